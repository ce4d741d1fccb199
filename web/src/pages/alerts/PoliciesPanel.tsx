import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import type { Level, Policy, TargetKind } from './alertsModel';
import { TargetsInput, type TargetOption } from './alertsShared';

interface PolicyValues {
  name: string;
  description: string;
  repeat: number;
  levels: Level[];
}

const EMPTY_LEVEL: Level = { targets: [], delayMinutes: 5, roundRobin: false };

/** Creates or edits an escalation policy: ordered levels of targets, delays, repeats. */
function PolicyDialog({
  policy,
  open,
  options,
  onClose,
  onSaved,
}: {
  policy: Policy | null;
  open: boolean;
  options: Record<TargetKind, TargetOption[]>;
  onClose(): void;
  onSaved(p: Policy): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PolicyValues>();
  const showError = useApiErrors();
  const [saving, setSaving] = useState(false);
  // A fresh form each time the dialog opens, from this policy (or an empty one). Not by
  // `preserve={false}` or `clearOnDestroy`: with either, the levels' fields lost their values
  // as Chromium 156 drew the dialog (a new level's delay came up empty, and saving was refused).
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, policy, form]);

  const submit = async (values: PolicyValues) => {
    setSaving(true);
    try {
      const body = {
        name: values.name,
        description: values.description ?? '',
        repeat: values.repeat ?? 0,
        levels: values.levels.map((l) => ({
          targets: l.targets ?? [],
          delayMinutes: l.delayMinutes,
          roundRobin: !!l.roundRobin,
        })),
      };
      const saved = policy
        ? await api.put<Policy>(`/api/alerts/policies/${policy.id}`, body)
        : await api.post<Policy>('/api/alerts/policies', body);
      onSaved(saved);
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      destroyOnHidden
      width={720}
      title={policy ? t('alerts.policies.edit') : t('alerts.policies.create')}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'policy-submit' }}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form<PolicyValues>
        form={form}
        layout="vertical"
        initialValues={
          policy
            ? {
                name: policy.name,
                description: policy.description,
                repeat: policy.repeat,
                levels: policy.levels,
              }
            : { name: '', description: '', repeat: 0, levels: [EMPTY_LEVEL] }
        }
        onValuesChange={(changed) => clearErrors(form, changed as object)}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="name"
          label={t('alerts.policies.name')}
          rules={[{ required: true, whitespace: true, message: t('alerts.form.required') }]}
        >
          <Input maxLength={120} data-testid="policy-name" />
        </Form.Item>
        <Form.Item name="description" label={t('alerts.policies.description')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item
          name="repeat"
          label={t('alerts.policies.repeat')}
          extra={t('alerts.policies.repeatHint')}
        >
          <InputNumber min={0} max={9} data-testid="policy-repeat" />
        </Form.Item>
        <Form.List name="levels">
          {(fields, { add, remove, move }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  data-testid={`policy-level-${index}`}
                  title={t('alerts.policies.level', { n: index + 1 })}
                  extra={
                    <Space>
                      <Button
                        size="small"
                        disabled={index === 0}
                        onClick={() => move(index, index - 1)}
                        aria-label={t('alerts.policies.up')}
                      >
                        ↑
                      </Button>
                      <Button
                        size="small"
                        disabled={index === fields.length - 1}
                        onClick={() => move(index, index + 1)}
                        aria-label={t('alerts.policies.down')}
                      >
                        ↓
                      </Button>
                      <Button
                        size="small"
                        icon={<MinusCircleOutlined />}
                        disabled={fields.length === 1}
                        onClick={() => remove(field.name)}
                        aria-label={t('alerts.policies.removeLevel')}
                      />
                    </Space>
                  }
                >
                  <Form.Item
                    name={[field.name, 'targets']}
                    label={t('alerts.policies.targets')}
                    rules={[
                      {
                        validator: (_, v: unknown[] | undefined) =>
                          v && v.length > 0
                            ? Promise.resolve()
                            : Promise.reject(new Error(t('alerts.policies.targetsRequired'))),
                      },
                    ]}
                  >
                    <TargetsInput options={options} testId={`policy-level-${index}-targets`} />
                  </Form.Item>
                  <Space wrap>
                    <Form.Item
                      name={[field.name, 'delayMinutes']}
                      label={t('alerts.policies.delay')}
                      rules={[{ required: true, message: t('alerts.form.required') }]}
                    >
                      <InputNumber
                        min={1}
                        max={1440}
                        addonAfter={t('alerts.form.minutes')}
                        data-testid={`policy-level-${index}-delay`}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'roundRobin']} valuePropName="checked">
                      <Checkbox>{t('alerts.policies.roundRobin')}</Checkbox>
                    </Form.Item>
                  </Space>
                </Card>
              ))}
              <Button
                icon={<PlusOutlined />}
                disabled={fields.length >= 10}
                onClick={() => add({ ...EMPTY_LEVEL })}
                data-testid="policy-add-level"
              >
                {t('alerts.policies.addLevel')}
              </Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

export function PoliciesPanel({
  policies,
  options,
  onChanged,
}: {
  policies: Policy[];
  options: Record<TargetKind, TargetOption[]>;
  onChanged(): Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Policy | null | 'new'>(null);
  const labelOf = (kind: TargetKind, id: string) =>
    options[kind].find((o) => o.value === id)?.label ?? id.slice(0, 8);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" onClick={() => setEditing('new')} data-testid="policy-create">
        {t('alerts.policies.create')}
      </Button>
      <List<Policy>
        dataSource={policies}
        data-testid="policy-list"
        locale={{ emptyText: t('alerts.policies.empty') }}
        renderItem={(p) => (
          <List.Item
            key={p.id}
            actions={[
              <Button
                key="edit"
                onClick={() => setEditing(p)}
                data-testid={`policy-edit-${p.name}`}
              >
                {t('common.edit')}
              </Button>,
            ]}
          >
            <Space direction="vertical" size={2}>
              <Typography.Text strong>{p.name}</Typography.Text>
              {p.levels.map((l, i) => (
                <Typography.Text
                  key={i}
                  type="secondary"
                  data-testid={`policy-${p.name}-level-${i}`}
                >
                  {t('alerts.policies.levelLine', { n: i + 1, minutes: l.delayMinutes })}{' '}
                  {l.targets.map((tg) => (
                    <Tag key={`${tg.kind}:${tg.id}`}>
                      {t(`alerts.targetKinds.${tg.kind}`)}: {labelOf(tg.kind, tg.id)}
                    </Tag>
                  ))}
                  {l.roundRobin && <Tag color="purple">{t('alerts.policies.roundRobin')}</Tag>}
                </Typography.Text>
              ))}
              {p.repeat > 0 && (
                <Typography.Text type="secondary">
                  {t('alerts.policies.repeatLine', { count: p.repeat })}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
      <PolicyDialog
        open={editing !== null}
        policy={editing === 'new' ? null : editing}
        options={options}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void message.success(t('common.saved'));
          void onChanged();
        }}
      />
    </Space>
  );
}
