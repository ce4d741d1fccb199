import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { clearErrors, useApiErrors, useErrorText } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import {
  CONTACT_KINDS,
  type ContactKind,
  type ContactMethod,
  contactFields,
  contactTarget,
  type NotificationRule,
} from './alertsModel';

type MethodValues = { name: string; kind: ContactKind } & Record<string, string | undefined>;

/** One contact method: verify it with a code sent through it. */
function MethodItem({ m, onChanged }: { m: ContactMethod; onChanged(): Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const sendCode = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/profile/contact-methods/${m.id}/send-code`, {});
      setSent(true);
      void message.success(t('alerts.me.codeSent'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/profile/contact-methods/${m.id}/verify`, { code });
      void message.success(t('alerts.me.verified'));
      await onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <List.Item key={m.id} data-testid={`contact-${m.name}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Tag>{t(`alerts.contactKinds.${m.kind}`)}</Tag>
          <Typography.Text strong>{m.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
            {m.address}
          </Typography.Text>
          {m.verified ? (
            <Tag color="green" data-testid={`contact-verified-${m.name}`}>
              {t('alerts.me.verifiedTag')}
            </Tag>
          ) : (
            <Tag color="orange">{t('alerts.me.unverifiedTag')}</Tag>
          )}
        </Space>
        {!m.verified && (
          <Space wrap>
            <Button
              loading={busy && !sent}
              onClick={() => void sendCode()}
              data-testid={`contact-send-code-${m.name}`}
            >
              {sent ? t('alerts.me.resend') : t('alerts.me.sendCode')}
            </Button>
            {sent && (
              <>
                <Input
                  value={code}
                  onChange={(e) => setCode(e.target.value.trim())}
                  maxLength={6}
                  inputMode="numeric"
                  placeholder={t('alerts.me.code')}
                  style={{ width: 120 }}
                  data-testid={`contact-code-${m.name}`}
                />
                <Button
                  type="primary"
                  loading={busy}
                  disabled={!/^\d{6}$/.test(code)}
                  onClick={() => void verify()}
                  data-testid={`contact-verify-${m.name}`}
                >
                  {t('alerts.me.verify')}
                </Button>
              </>
            )}
          </Space>
        )}
        {error && (
          <Alert type="error" showIcon title={error} data-testid={`contact-error-${m.name}`} />
        )}
      </Space>
    </List.Item>
  );
}

/** Each person's contact methods (verified before use) and rules ("SMS at 0 min, voice at 3"). */
export default function MyNotificationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [form] = Form.useForm<MethodValues>();
  const [ruleForm] = Form.useForm<{ contactMethodId: string; delayMinutes: number }>();
  const kind = Form.useWatch('kind', form) ?? 'email';

  const {
    data: { methods, rules },
    reload: load,
  } = useLoad(
    async (signal) => {
      const [m, r] = await Promise.all([
        api.get<{ items: ContactMethod[] }>('/api/profile/contact-methods', undefined, { signal }),
        api.get<{ items: NotificationRule[] }>('/api/profile/notification-rules', undefined, {
          signal,
        }),
      ]);
      return { methods: m.items, rules: r.items };
    },
    [],
    { initial: { methods: [], rules: [] } },
  );

  const addMethod = async (v: MethodValues) => {
    try {
      await api.post('/api/profile/contact-methods', {
        name: v.name,
        target: contactTarget(v.kind, v),
      });
      form.resetFields();
      void message.success(t('common.saved'));
      await load();
    } catch (err) {
      // The server names `target.<field>`; the form's fields are flat.
      if (err instanceof ApiError && err.field?.startsWith('target.')) {
        const name = err.field.slice('target.'.length);
        form.setFields([{ name, errors: [err.message] }]);
        return;
      }
      showError(err, form);
    }
  };
  const addRule = async (v: { contactMethodId: string; delayMinutes: number }) => {
    try {
      await api.post('/api/profile/notification-rules', v);
      ruleForm.resetFields();
      await load();
    } catch (err) {
      showError(err, ruleForm);
    }
  };
  const removeRule = async (id: string) => {
    try {
      await api.delete(`/api/profile/notification-rules/${id}`);
      await load();
    } catch (err) {
      showError(err);
    }
  };
  const methodName = (id: string) => methods.find((m) => m.id === id);

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 820 }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('alerts.me.title')}
      </Typography.Title>
      <Card title={t('alerts.me.methods')} size="small">
        <List<ContactMethod>
          dataSource={methods}
          data-testid="contact-list"
          locale={{ emptyText: t('alerts.me.noMethods') }}
          renderItem={(m) => <MethodItem m={m} onChanged={load} />}
        />
        <Typography.Title level={5}>{t('alerts.me.addMethod')}</Typography.Title>
        <Form<MethodValues>
          form={form}
          layout="vertical"
          initialValues={{ kind: 'email' }}
          onValuesChange={(c) => clearErrors(form, c as object)}
          onFinish={(v) => void addMethod(v)}
        >
          <Space wrap align="start">
            <Form.Item name="kind" label={t('alerts.me.kind')}>
              <Select<ContactKind>
                style={{ width: 180 }}
                data-testid="contact-kind"
                options={CONTACT_KINDS.map((k) => ({
                  value: k,
                  label: t(`alerts.contactKinds.${k}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="name"
              label={t('alerts.me.name')}
              rules={[{ required: true, whitespace: true, message: t('alerts.form.required') }]}
            >
              <Input maxLength={80} data-testid="contact-name" />
            </Form.Item>
          </Space>
          {contactFields(kind).map((f) => (
            <Form.Item
              key={`${kind}-${f}`}
              name={f}
              label={t(`alerts.me.fields.${f}`)}
              extra={t(`alerts.me.hints.${f}`, { defaultValue: '' }) || undefined}
              rules={
                f === 'secret' && kind !== 'webhook'
                  ? []
                  : [{ required: true, whitespace: true, message: t('alerts.form.required') }]
              }
            >
              <Input data-testid={`contact-${f}`} />
            </Form.Item>
          ))}
          <Button type="primary" htmlType="submit" data-testid="contact-submit">
            {t('alerts.me.add')}
          </Button>
        </Form>
      </Card>
      <Card title={t('alerts.me.rules')} size="small">
        <Typography.Paragraph type="secondary">{t('alerts.me.rulesHint')}</Typography.Paragraph>
        <List<NotificationRule>
          dataSource={rules}
          data-testid="rule-list"
          locale={{ emptyText: t('alerts.me.noRules') }}
          renderItem={(r) => {
            const m = methodName(r.contactMethodId);
            return (
              <List.Item
                key={r.id}
                actions={[
                  <Popconfirm
                    key="rm"
                    title={t('alerts.me.removeRule')}
                    onConfirm={() => void removeRule(r.id)}
                  >
                    <Button size="small" danger>
                      {t('alerts.me.remove')}
                    </Button>
                  </Popconfirm>,
                ]}
              >
                {t('alerts.me.ruleLine', {
                  minutes: r.delayMinutes,
                  method: m ? `${t(`alerts.contactKinds.${m.kind}`)} · ${m.name}` : '—',
                })}
                {m && !m.verified && (
                  <Tag color="orange" style={{ marginLeft: 8 }}>
                    {t('alerts.me.unverifiedTag')}
                  </Tag>
                )}
              </List.Item>
            );
          }}
        />
        <Form
          form={ruleForm}
          layout="inline"
          initialValues={{ delayMinutes: 0 }}
          onValuesChange={(c) => clearErrors(ruleForm, c as object)}
          onFinish={(v) => void addRule(v)}
        >
          <Form.Item
            name="contactMethodId"
            rules={[{ required: true, message: t('alerts.form.required') }]}
          >
            <Select
              style={{ minWidth: 200 }}
              placeholder={t('alerts.me.method')}
              data-testid="rule-method"
              options={methods.map((m) => ({
                value: m.id,
                label: `${t(`alerts.contactKinds.${m.kind}`)} · ${m.name}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="delayMinutes" label={t('alerts.me.after')}>
            <InputNumber
              min={0}
              max={1440}
              addonAfter={t('alerts.form.minutes')}
              data-testid="rule-delay"
            />
          </Form.Item>
          <Button htmlType="submit" data-testid="rule-submit">
            {t('alerts.me.addRule')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
