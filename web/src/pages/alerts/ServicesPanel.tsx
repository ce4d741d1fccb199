import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import {
  INTEGRATION_KINDS,
  type Integration,
  type IntegrationKind,
  type IntegrationSecret,
  type Policy,
  type Service,
} from './alertsModel';
import { IntegrationKeyModal } from './IntegrationKeyModal';

const TEST_INTEGRATION_NAME = 'Dutydesk test alert';

/** One service: its integrations (add, re-key) and the "send test alert" button. */
function ServiceCard({ service, policy }: { service: Service; policy: Policy | undefined }) {
  const { t } = useTranslation();
  const showError = useApiErrors();
  const [form] = Form.useForm<{ kind: IntegrationKind; name: string }>();
  const [secret, setSecret] = useState<IntegrationSecret | null>(null);
  const [testing, setTesting] = useState(false);
  const [testPage, setTestPage] = useState<{
    pageId: string | null;
    suppressed: string | null;
  } | null>(null);

  const { data: items, reload: load } = useLoad(
    async (signal) =>
      (
        await api.get<{ items: Integration[] }>(
          `/api/alerts/services/${service.id}/integrations`,
          undefined,
          { signal },
        )
      ).items,
    [service.id],
    { initial: [] },
  );

  const add = async (v: { kind: IntegrationKind; name: string }) => {
    try {
      setSecret(
        await api.post<IntegrationSecret>('/api/alerts/integrations', {
          serviceId: service.id,
          kind: v.kind,
          name: v.name,
        }),
      );
      form.resetFields();
      await load();
    } catch (err) {
      showError(err, form);
    }
  };
  const rotate = async (id: string) => {
    try {
      setSecret(await api.post<IntegrationSecret>(`/api/alerts/integrations/${id}/rotate-key`, {}));
    } catch (err) {
      showError(err);
    }
  };
  const sendTest = async () => {
    setTesting(true);
    try {
      setTestPage(
        await api.post<{ pageId: string | null; suppressed: string | null }>(
          `/api/alerts/services/${service.id}/test-alert`,
          { summary: t('alerts.services.testSummary', { service: service.name }) },
        ),
      );
      await load();
    } catch (err) {
      showError(err);
    } finally {
      setTesting(false);
    }
  };

  return (
    <Card
      size="small"
      data-testid={`service-${service.name}`}
      title={service.name}
      extra={
        <Button
          loading={testing}
          onClick={() => void sendTest()}
          data-testid={`service-test-${service.name}`}
        >
          {t('alerts.services.sendTest')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('alerts.services.line', {
            policy: policy?.name ?? '—',
            minutes: service.groupingWindowMinutes,
          })}
        </Typography.Text>
        {testPage && (
          <Typography.Text data-testid="service-test-result">
            {testPage.pageId ? (
              <Link to={`/alerts/pages/${testPage.pageId}`} data-testid="service-test-page">
                {t('alerts.services.testOpened')}
              </Link>
            ) : (
              t('alerts.services.testNoPage', {
                reason: testPage.suppressed
                  ? t(`alerts.suppressed.${testPage.suppressed}`, {
                      defaultValue: testPage.suppressed,
                    })
                  : '',
              })
            )}
          </Typography.Text>
        )}
        <List<Integration>
          size="small"
          dataSource={items.filter((i) => i.name !== TEST_INTEGRATION_NAME)}
          locale={{ emptyText: t('alerts.integrations.empty') }}
          renderItem={(i) => (
            <List.Item
              key={i.id}
              actions={[
                <Popconfirm
                  key="rotate"
                  title={t('alerts.integrations.rotateConfirm')}
                  onConfirm={() => void rotate(i.id)}
                  okButtonProps={{ 'data-testid': 'rotate-confirm' }}
                >
                  <Button size="small" data-testid={`integration-rotate-${i.name}`}>
                    {t('alerts.integrations.rotate')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <Space wrap>
                <Tag>{t(`alerts.integrationKinds.${i.kind}`)}</Tag>
                <Typography.Text>{i.name}</Typography.Text>
                <Typography.Text type="secondary">
                  {dayjs(i.createdAt).format('YYYY-MM-DD')}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
        <Form
          form={form}
          layout="inline"
          initialValues={{ kind: 'generic' }}
          onValuesChange={(c) => clearErrors(form, c as object)}
          onFinish={(v) => void add(v)}
        >
          <Form.Item name="kind">
            <Select<IntegrationKind>
              style={{ width: 200 }}
              data-testid={`integration-kind-${service.name}`}
              options={INTEGRATION_KINDS.map((k) => ({
                value: k,
                label: t(`alerts.integrationKinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="name"
            rules={[{ required: true, whitespace: true, message: t('alerts.form.required') }]}
          >
            <Input
              placeholder={t('alerts.integrations.name')}
              maxLength={120}
              data-testid={`integration-name-${service.name}`}
            />
          </Form.Item>
          <Button htmlType="submit" data-testid={`integration-add-${service.name}`}>
            {t('alerts.integrations.add')}
          </Button>
        </Form>
      </Space>
      <IntegrationKeyModal secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}

interface ServiceValues {
  name: string;
  escalationPolicyId: string;
  groupingWindowMinutes: number;
}

export function ServicesPanel({
  services,
  policies,
  onChanged,
}: {
  services: Service[];
  policies: Policy[];
  onChanged(): Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [form] = Form.useForm<ServiceValues>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);

  const create = async (v: ServiceValues) => {
    setSaving(true);
    try {
      await api.post('/api/alerts/services', v);
      setOpen(false);
      void message.success(t('common.saved'));
      await onChanged();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        onClick={() => setOpen(true)}
        disabled={policies.length === 0}
        data-testid="service-create"
      >
        {t('alerts.services.create')}
      </Button>
      {policies.length === 0 && (
        <Typography.Text type="secondary">{t('alerts.services.needPolicy')}</Typography.Text>
      )}
      {services.map((s) => (
        <ServiceCard
          key={s.id}
          service={s}
          policy={policies.find((p) => p.id === s.escalationPolicyId)}
        />
      ))}
      <Modal
        open={open}
        destroyOnHidden
        title={t('alerts.services.create')}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'service-submit' }}
        confirmLoading={saving}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
      >
        <Form<ServiceValues>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ groupingWindowMinutes: 5, escalationPolicyId: policies[0]?.id }}
          onValuesChange={(c) => clearErrors(form, c as object)}
          onFinish={(v) => void create(v)}
        >
          <Form.Item
            name="name"
            label={t('alerts.services.name')}
            rules={[{ required: true, whitespace: true, message: t('alerts.form.required') }]}
          >
            <Input maxLength={120} data-testid="service-name" />
          </Form.Item>
          <Form.Item
            name="escalationPolicyId"
            label={t('alerts.services.policy')}
            rules={[{ required: true, message: t('alerts.form.required') }]}
          >
            <Select
              data-testid="service-policy"
              options={policies.map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
          <Form.Item
            name="groupingWindowMinutes"
            label={t('alerts.services.grouping')}
            extra={t('alerts.services.groupingHint')}
          >
            <InputNumber min={0} max={1440} addonAfter={t('alerts.form.minutes')} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
