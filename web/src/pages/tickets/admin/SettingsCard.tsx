import { Button, Form, InputNumber, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useCan } from '../../../auth/AuthContext';
import { useErrorText } from '../../../forms/useApiErrors';
import { useLoad } from '../../../lib/useLoad';
import { PRIORITIES } from '../ticketTypes';
import { useSaving } from './AdminListParts';

interface PriorityMatrix {
  impacts: string[];
  urgencies: string[];
  cells: Record<string, Record<string, string>>;
}
interface Settings {
  priorityMatrix: PriorityMatrix;
  autoCloseDays: number;
  slaWarnPercent: number;
  slaAlertServiceId: string | null;
  dispatchStrategy: string;
}
type SettingsForm = Omit<Settings, 'priorityMatrix'> & { cells: PriorityMatrix['cells'] };

/** The desk's settings: auto-close, SLA warning, dispatch, the alert service, priority matrix. */
export function SettingsCard() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const canReadAlerts = useCan('alerts.read');
  const [form] = Form.useForm<SettingsForm>();
  // Each setting is saved on its own and names its own field: no form for useSaving.
  const { saving, save } = useSaving();

  const { data: settings, reload } = useLoad(
    (signal) => api.get<Settings>('/api/tickets/settings', undefined, { signal }),
    [],
    { onData: (s) => form.setFieldsValue({ ...s, cells: s.priorityMatrix.cells }) },
  );
  const { data: services } = useLoad(
    async (signal) =>
      canReadAlerts
        ? (
            await api.get<{ items: { id: string; name: string }[] }>(
              '/api/alerts/services',
              undefined,
              { signal },
            )
          ).items
        : [],
    [canReadAlerts],
    { initial: [] },
  );

  const handleSave = async (values: SettingsForm) => {
    if (!settings) return;
    const changes: [string, unknown][] = [];
    const matrix = { ...settings.priorityMatrix, cells: values.cells };
    if (JSON.stringify(matrix) !== JSON.stringify(settings.priorityMatrix))
      changes.push(['priorityMatrix', matrix]);
    for (const key of ['autoCloseDays', 'slaWarnPercent', 'dispatchStrategy'] as const)
      if (values[key] !== settings[key]) changes.push([key, values[key]]);
    const service = values.slaAlertServiceId ?? null;
    if (service !== settings.slaAlertServiceId) changes.push(['slaAlertServiceId', service]);
    const saved = await save(async () => {
      for (const [key, value] of changes) {
        try {
          await api.put(`/api/tickets/settings/${key}`, { value });
        } catch (err) {
          // The server names `value` (or `value.<cell>`): the refusal belongs to this setting.
          form.setFields([
            {
              name: (key === 'priorityMatrix' ? 'cells' : key) as keyof SettingsForm,
              errors: [errorText(err)],
            },
          ]);
          throw err;
        }
      }
    });
    if (saved) await reload();
  };

  if (!settings) return null;
  const m = settings.priorityMatrix;
  const priorities = PRIORITIES.map((p) => ({ value: p, label: p }));
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => void handleSave(v)}
      style={{ maxWidth: 640 }}
    >
      <Form.Item name="autoCloseDays" label={t('tickets.admin.autoCloseDays')}>
        <InputNumber min={1} max={365} data-testid="setting-autoCloseDays" />
      </Form.Item>
      <Form.Item name="slaWarnPercent" label={t('tickets.admin.slaWarnPercent')}>
        <InputNumber min={1} max={99} addonAfter="%" data-testid="setting-slaWarnPercent" />
      </Form.Item>
      <Form.Item name="dispatchStrategy" label={t('tickets.admin.dispatchStrategy')}>
        <Select
          data-testid="setting-dispatchStrategy"
          options={['least_loaded', 'round_robin'].map((v) => ({
            value: v,
            label: t(`tickets.admin.strategy.${v}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="slaAlertServiceId"
        label={t('tickets.admin.slaAlertService')}
        extra={t('tickets.admin.slaAlertServiceHelp')}
      >
        <Select
          allowClear
          data-testid="setting-slaAlertServiceId"
          options={services.map((s) => ({ value: s.id, label: s.name }))}
        />
      </Form.Item>
      <Typography.Title level={5}>{t('tickets.admin.priorityMatrix')}</Typography.Title>
      <table data-testid="setting-priorityMatrix" style={{ marginBottom: 16 }}>
        <thead>
          <tr>
            <th>{t('tickets.admin.impactUrgency')}</th>
            {m.urgencies.map((u) => (
              <th key={u}>{t(`tickets.levelsIU.${u}`, u)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.impacts.map((i) => (
            <tr key={i}>
              <th>{t(`tickets.levelsIU.${i}`, i)}</th>
              {m.urgencies.map((u) => (
                <td key={u}>
                  <Form.Item name={['cells', i, u]} noStyle>
                    <Select
                      options={priorities}
                      style={{ width: 80 }}
                      data-testid={`matrix-${i}-${u}`}
                    />
                  </Form.Item>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="settings-save">
        {t('tickets.admin.save')}
      </Button>
    </Form>
  );
}
