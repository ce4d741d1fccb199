import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ROLES } from '../api/types';
import type { Role, User } from '../api/types';
import { useCan } from '../auth/AuthContext';
import { RoleSelect } from '../components/RoleSelect';
import { SecretRevealModal } from '../components/SecretRevealModal';
import { useApiErrors } from '../forms/useApiErrors';
import { useLoad } from '../lib/useLoad';
import { TID, tidFor } from '../testids';

interface UserFormValues {
  username: string;
  displayName: string;
  email?: string;
  phone?: string;
  roles: Role[];
  disabled?: boolean;
}

const blankToNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

function UserFormFields({ editing }: { editing: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {!editing && (
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[{ required: true, whitespace: true, message: t('users.usernameRequired') }]}
        >
          <Input autoComplete="off" data-testid={TID.userUsername} />
        </Form.Item>
      )}
      <Form.Item
        name="displayName"
        label={t('users.displayName')}
        rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }]}
      >
        <Input data-testid={TID.userDisplayName} />
      </Form.Item>
      <Form.Item
        name="email"
        label={t('users.email')}
        rules={[{ type: 'email', message: t('users.emailInvalid') }]}
      >
        <Input type="email" data-testid={TID.userEmail} />
      </Form.Item>
      <Form.Item name="phone" label={t('users.phone')}>
        <Input type="tel" data-testid={TID.userPhone} />
      </Form.Item>
      <Form.Item
        name="roles"
        label={t('users.roles')}
        rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}
      >
        <RoleSelect />
      </Form.Item>
      {editing && (
        <Form.Item name="disabled" label={t('users.disabledLabel')} valuePropName="checked">
          <Switch data-testid={TID.userDisabled} />
        </Form.Item>
      )}
    </>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const canManage = useCan('users.manage');
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>(undefined);
  const [includeDisabled, setIncludeDisabled] = useState(true);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [saving, setSaving] = useState(false);
  const [secret, setSecret] = useState<{
    kind: 'initial' | 'reset';
    user: string;
    value: string;
  }>();
  const [createForm] = Form.useForm<UserFormValues>();
  const [editForm] = Form.useForm<UserFormValues>();

  // A search overtaken by the next one is dropped: its late answer no longer replaces the list.
  const {
    data: items,
    loading,
    reload: load,
  } = useLoad(
    async (signal) =>
      (await api.get<{ items: User[] }>('/api/users', { q, role, includeDisabled }, { signal }))
        .items,
    [q, role, includeDisabled],
    { initial: [] },
  );

  const handleCreate = async (values: UserFormValues) => {
    setSaving(true);
    try {
      const body = {
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        roles: values.roles,
        ...(blankToNull(values.email) ? { email: blankToNull(values.email) } : {}),
        ...(blankToNull(values.phone) ? { phone: blankToNull(values.phone) } : {}),
      };
      const res = await api.post<{ user: User; initialPassword?: string }>('/api/users', body);
      setCreating(false);
      void message.success(t('users.created'));
      if (res.initialPassword) {
        setSecret({ kind: 'initial', user: res.user.username, value: res.initialPassword });
      }
      await load();
    } catch (err) {
      showError(err, createForm);
    } finally {
      setSaving(false);
    }
  };

  const handleOpenEdit = (user: User) => setEditing(user);

  const handleEdit = async (values: UserFormValues) => {
    if (!editing) return;
    setSaving(true);
    try {
      await api.patch<{ user: User }>(`/api/users/${encodeURIComponent(editing.id)}`, {
        displayName: values.displayName.trim(),
        email: blankToNull(values.email),
        phone: blankToNull(values.phone),
        roles: values.roles,
        disabled: values.disabled ?? false,
      });
      setEditing(null);
      void message.success(t('common.saved'));
      await load();
    } catch (err) {
      showError(err, editForm);
    } finally {
      setSaving(false);
    }
  };

  const handleReset = async (user: User) => {
    try {
      const res = await api.post<{ password: string }>(
        `/api/users/${encodeURIComponent(user.id)}/reset-password`,
      );
      setSecret({ kind: 'reset', user: user.username, value: res.password });
    } catch (err) {
      showError(err);
    }
  };

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName' },
    {
      title: t('users.roles'),
      key: 'roles',
      render: (_, u) => (
        <Space size={[0, 4]} wrap>
          {u.roles.map((r) => (
            <Tag color="blue" key={r}>
              {t(`roles.${r}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('users.teams'),
      key: 'teams',
      responsive: ['md'],
      render: (_, u) => u.teams.map((team) => team.name).join(t('common.listSeparator')) || '—',
    },
    {
      title: t('users.status'),
      key: 'disabled',
      render: (_, u) =>
        u.disabled ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag>{t('users.active')}</Tag>,
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, u) => (
        <Space wrap>
          <Button
            size="small"
            onClick={() => handleOpenEdit(u)}
            data-testid={tidFor.userEdit(u.username)}
          >
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('users.resetPassword')}
            description={t('users.resetConfirm', { username: u.username })}
            okText={t('common.yes')}
            cancelText={t('common.no')}
            onConfirm={() => handleReset(u)}
          >
            <Button size="small" danger data-testid={tidFor.userReset(u.username)}>
              {t('users.resetPassword')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid={TID.pageTitle}>
        {t('users.title')}
      </Typography.Title>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          onSearch={(v) => setQ(v.trim())}
          style={{ width: 280, maxWidth: '100%' }}
          data-testid={TID.usersSearch}
        />
        <Select<Role>
          allowClear
          placeholder={t('users.roleFilter')}
          value={role}
          onChange={(v) => setRole(v)}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          style={{ width: 200 }}
          data-testid={TID.usersRoleFilter}
        />
        <Checkbox
          checked={includeDisabled}
          onChange={(e) => setIncludeDisabled(e.target.checked)}
          data-testid={TID.usersIncludeDisabled}
        >
          {t('users.includeDisabled')}
        </Checkbox>
        {canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid={TID.usersCreate}
          >
            {t('users.create')}
          </Button>
        )}
      </Space>
      <Table<User>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        data-testid={TID.usersTable}
      />

      <Modal
        open={creating}
        title={t('users.createTitle')}
        onCancel={() => setCreating(false)}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => createForm.submit()}
        okButtonProps={{ 'data-testid': TID.userCreateSubmit }}
        destroyOnHidden
      >
        <Form<UserFormValues>
          form={createForm}
          name="userCreate"
          layout="vertical"
          onFinish={handleCreate}
        >
          <UserFormFields editing={false} />
        </Form>
      </Modal>

      <Modal
        open={editing !== null}
        title={t('users.editTitle', { username: editing?.username ?? '' })}
        onCancel={() => setEditing(null)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => editForm.submit()}
        okButtonProps={{ 'data-testid': TID.userEditSubmit }}
        destroyOnHidden
      >
        <Form<UserFormValues>
          form={editForm}
          name="userEdit"
          layout="vertical"
          onFinish={handleEdit}
          initialValues={
            editing
              ? {
                  displayName: editing.displayName,
                  email: editing.email ?? '',
                  phone: editing.phone ?? '',
                  roles: editing.roles,
                  disabled: editing.disabled,
                }
              : undefined
          }
        >
          <UserFormFields editing />
        </Form>
      </Modal>

      <SecretRevealModal
        title={
          secret?.kind === 'reset' ? t('users.newPasswordTitle') : t('users.initialPasswordTitle')
        }
        hint={
          secret?.kind === 'reset'
            ? t('users.newPasswordHint', { username: secret.user })
            : t('users.initialPasswordHint', { username: secret?.user ?? '' })
        }
        secret={secret?.value ?? null}
        testId={secret?.kind === 'reset' ? TID.newPassword : TID.initialPassword}
        onClose={() => setSecret(undefined)}
      />
    </Space>
  );
}
