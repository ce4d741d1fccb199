import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ApiToken, Locale, Me, Meta } from '../api/types';
import { useAuth, useMe } from '../auth/AuthContext';
import { SecretRevealModal } from '../components/SecretRevealModal';
import { useApiErrors } from '../forms/useApiErrors';
import { useLoad } from '../lib/useLoad';
import { applyLang, isLang } from '../i18n';
import { TID, tidFor } from '../testids';

const PASSWORD_MIN = 10;
const EXPIRY_DAYS = [30, 90, 365] as const;

interface DetailsValues {
  displayName: string;
  email?: string;
  phone?: string;
  locale: Locale;
}

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

interface TokenValues {
  name: string;
  scopes: string[];
  expiry: number;
}

const blankToNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

function ProfileDetailsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const me = useMe();
  const { setMe } = useAuth();
  const [form] = Form.useForm<DetailsValues>();
  const [saving, setSaving] = useState(false);

  const handleSave = async (values: DetailsValues) => {
    setSaving(true);
    try {
      const res = await api.patch<{ user: Me }>('/api/profile', {
        displayName: values.displayName.trim(),
        email: blankToNull(values.email),
        phone: blankToNull(values.phone),
        locale: values.locale,
      });
      setMe(res.user);
      if (isLang(res.user.locale)) applyLang(res.user.locale, true);
      void message.success(t('profile.saved'));
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('profile.details')}>
      <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('profile.username')}>{me.username}</Descriptions.Item>
        <Descriptions.Item label={t('profile.roles')}>
          <Space size={[0, 4]} wrap>
            {me.roles.map((r) => (
              <Tag color="blue" key={r}>
                {t(`roles.${r}`)}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      <Form<DetailsValues>
        form={form}
        name="profile"
        layout="vertical"
        onFinish={handleSave}
        initialValues={{
          displayName: me.displayName,
          email: me.email ?? '',
          phone: me.phone ?? '',
          locale: me.locale,
        }}
        style={{ maxWidth: 480 }}
      >
        <Form.Item
          name="displayName"
          label={t('profile.displayName')}
          rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }]}
        >
          <Input data-testid={TID.profileDisplayName} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('profile.email')}
          rules={[{ type: 'email', message: t('users.emailInvalid') }]}
        >
          <Input type="email" data-testid={TID.profileEmail} />
        </Form.Item>
        <Form.Item name="phone" label={t('profile.phone')}>
          <Input type="tel" data-testid={TID.profilePhone} />
        </Form.Item>
        <Form.Item name="locale" label={t('profile.locale')}>
          <Select
            data-testid={TID.profileLocale}
            options={[
              { value: 'zh', label: t('lang.zh') },
              { value: 'en', label: t('lang.en') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid={TID.profileSubmit}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

/** The password form of /profile; the portal's password page uses it too (`onChanged`). */
export function PasswordChangeCard({ onChanged }: { onChanged?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const { refresh } = useAuth();
  const [form] = Form.useForm<PasswordValues>();
  const [saving, setSaving] = useState(false);

  const handleChange = async (values: PasswordValues) => {
    setSaving(true);
    try {
      await api.post<void>('/api/profile/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.resetFields();
      void message.success(t('profile.passwordChanged'));
      // The session now reports mustChangePassword = false.
      await refresh();
      onChanged?.();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('profile.passwordTitle')}>
      <Form<PasswordValues>
        form={form}
        name="password"
        layout="vertical"
        onFinish={handleChange}
        style={{ maxWidth: 480 }}
      >
        <Form.Item
          name="currentPassword"
          label={t('profile.currentPassword')}
          rules={[{ required: true, message: t('profile.passwordRequired') }]}
        >
          <Input.Password autoComplete="current-password" data-testid={TID.passwordCurrent} />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('profile.newPassword')}
          rules={[
            { required: true, message: t('profile.passwordRequired') },
            { min: PASSWORD_MIN, message: t('profile.passwordMin', { min: PASSWORD_MIN }) },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid={TID.passwordNew} />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('profile.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('profile.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('newPassword') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('profile.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid={TID.passwordConfirm} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid={TID.passwordSubmit}>
          {t('profile.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

function ApiTokensCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const me = useMe();
  const [scopes, setScopes] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<TokenValues>();
  const dateLocale = i18n.resolvedLanguage === 'en' ? 'en-GB' : 'zh-CN';
  const formatTime = (at: number | null) =>
    at === null ? '—' : new Date(at).toLocaleString(dateLocale);

  const {
    data: items,
    loading,
    reload: load,
  } = useLoad(
    async (signal) =>
      (await api.get<{ items: ApiToken[] }>('/api/profile/tokens', undefined, { signal })).items,
    [],
    { initial: [] },
  );

  const handleOpenCreate = async () => {
    form.resetFields();
    setCreating(true);
    try {
      const meta = await api.get<Meta>('/api/meta');
      // A token can only carry permissions its owner has.
      setScopes(meta.permissions.map((p) => p.key).filter((k) => me.permissions.includes(k)));
    } catch (err) {
      showError(err);
    }
  };

  const handleCreate = async (values: TokenValues) => {
    setSaving(true);
    try {
      const res = await api.post<{ token: ApiToken; secret: string }>('/api/profile/tokens', {
        name: values.name.trim(),
        scopes: values.scopes,
        ...(values.expiry > 0 ? { expiresInDays: values.expiry } : {}),
      });
      setCreating(false);
      setSecret(res.secret);
      await load();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const handleRevoke = async (token: ApiToken) => {
    try {
      await api.delete(`/api/profile/tokens/${encodeURIComponent(token.id)}`);
      void message.success(t('tokens.revokedDone'));
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const status = (token: ApiToken) => {
    if (token.revokedAt !== null) return <Tag color="default">{t('tokens.revoked')}</Tag>;
    if (token.expiresAt !== null && token.expiresAt <= Date.now()) {
      return <Tag color="orange">{t('tokens.expired')}</Tag>;
    }
    return <Tag color="green">{t('tokens.active')}</Tag>;
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('tokens.scopes'),
      key: 'scopes',
      render: (_, tok) => (
        <Space size={[0, 4]} wrap>
          {tok.scopes.map((s) => (
            <Tag key={s}>{s}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('tokens.status'), key: 'status', render: (_, tok) => status(tok) },
    {
      title: t('tokens.createdAt'),
      key: 'createdAt',
      responsive: ['md'],
      render: (_, tok) => formatTime(tok.createdAt),
    },
    {
      title: t('tokens.lastUsedAt'),
      key: 'lastUsedAt',
      responsive: ['md'],
      render: (_, tok) =>
        tok.lastUsedAt === null ? t('common.never') : formatTime(tok.lastUsedAt),
    },
    {
      title: t('tokens.expiresAt'),
      key: 'expiresAt',
      responsive: ['md'],
      render: (_, tok) => (tok.expiresAt === null ? t('common.never') : formatTime(tok.expiresAt)),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, tok) =>
        tok.revokedAt === null && (
          <Popconfirm
            title={t('tokens.revoke')}
            description={t('tokens.revokeConfirm', { name: tok.name })}
            okText={t('common.yes')}
            cancelText={t('common.no')}
            onConfirm={() => handleRevoke(tok)}
          >
            <Button size="small" danger data-testid={tidFor.tokenRevoke(tok.name)}>
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card
      title={t('tokens.title')}
      extra={
        <Button
          icon={<PlusOutlined />}
          onClick={() => void handleOpenCreate()}
          data-testid={TID.tokensCreate}
        >
          {t('tokens.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Table<ApiToken>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid={TID.tokensTable}
      />
      <Modal
        open={creating}
        title={t('tokens.createTitle')}
        onCancel={() => setCreating(false)}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': TID.tokenSubmit }}
        forceRender
      >
        <Form<TokenValues>
          form={form}
          name="token"
          layout="vertical"
          onFinish={handleCreate}
          initialValues={{ scopes: [], expiry: 90 }}
        >
          <Form.Item
            name="name"
            label={t('tokens.name')}
            rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }]}
          >
            <Input data-testid={TID.tokenName} />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('tokens.scopes')}
            rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}
          >
            <Checkbox.Group data-testid={TID.tokenScopes}>
              <Space orientation="vertical">
                {scopes.map((s) => (
                  <Checkbox key={s} value={s}>
                    <code>{s}</code>
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="expiry" label={t('tokens.expiry')}>
            <Select
              data-testid={TID.tokenExpiry}
              options={[
                ...EXPIRY_DAYS.map((d) => ({
                  value: d,
                  label: t('tokens.expiryDays', { count: d }),
                })),
                { value: 0, label: t('tokens.expiryNever') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
      <SecretRevealModal
        title={t('tokens.secretTitle')}
        hint={t('tokens.secretHint')}
        secret={secret}
        testId={TID.tokenSecret}
        onClose={() => setSecret(null)}
      />
    </Card>
  );
}

export default function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid={TID.pageTitle}>
        {t('profile.title')}
      </Typography.Title>
      {me.mustChangePassword && (
        <Alert
          type="warning"
          showIcon
          title={t('profile.mustChangePassword')}
          data-testid={TID.mustChangePassword}
        />
      )}
      <ProfileDetailsCard />
      <PasswordChangeCard />
      <ApiTokensCard />
    </Space>
  );
}
