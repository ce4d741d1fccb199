import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import type { Service } from './alertsModel';

interface Window {
  id: string;
  name: string;
  serviceIds: string[] | null;
  startsAt: number;
  endsAt: number;
}
interface Heartbeat {
  id: string;
  serviceId: string;
  name: string;
  intervalSeconds: number;
  graceSeconds: number;
  lastPingAt: number | null;
  down: boolean;
}

/** Maintenance windows (alerts stored, nobody paged) and heartbeat monitors (URL to ping). */
export function MaintenancePanel({ services }: { services: Service[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [pingUrl, setPingUrl] = useState<string | null>(null);
  const [mForm] = Form.useForm<{ name: string; serviceIds: string[]; range: [Dayjs, Dayjs] }>();
  const [hForm] = Form.useForm<{
    serviceId: string;
    name: string;
    intervalSeconds: number;
    graceSeconds: number;
  }>();

  const {
    data: { windows, beats },
    reload: load,
  } = useLoad(
    async (signal) => {
      const [w, h] = await Promise.all([
        api.get<{ items: Window[] }>('/api/alerts/maintenance', undefined, { signal }),
        api.get<{ items: Heartbeat[] }>('/api/alerts/heartbeats', undefined, { signal }),
      ]);
      return { windows: w.items, beats: h.items };
    },
    [],
    { initial: { windows: [], beats: [] } },
  );
  const serviceName = (id: string) => services.find((s) => s.id === id)?.name ?? id.slice(0, 8);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>{t('alerts.maintenance.title')}</Typography.Title>
      <Form
        form={mForm}
        layout="inline"
        onValuesChange={(c) => clearErrors(mForm, c as object)}
        onFinish={(v) =>
          void (async () => {
            try {
              await api.post('/api/alerts/maintenance', {
                name: v.name,
                serviceIds: v.serviceIds?.length ? v.serviceIds : null,
                startsAt: v.range[0].valueOf(),
                endsAt: v.range[1].valueOf(),
              });
              mForm.resetFields();
              void message.success(t('common.saved'));
              await load();
            } catch (err) {
              showError(err, mForm);
            }
          })()
        }
      >
        <Form.Item
          name="name"
          rules={[{ required: true, whitespace: true, message: t('alerts.form.required') }]}
        >
          <Input placeholder={t('alerts.maintenance.name')} maxLength={120} />
        </Form.Item>
        <Form.Item name="serviceIds">
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t('alerts.maintenance.allServices')}
            options={services.map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item name="range" rules={[{ required: true, message: t('alerts.form.required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Button htmlType="submit">{t('alerts.maintenance.add')}</Button>
      </Form>
      <List<Window>
        size="small"
        dataSource={windows}
        locale={{ emptyText: t('alerts.maintenance.empty') }}
        renderItem={(w) => (
          <List.Item key={w.id}>
            <Space wrap>
              <Typography.Text strong>{w.name}</Typography.Text>
              <Typography.Text>
                {dayjs(w.startsAt).format('MM-DD HH:mm')} – {dayjs(w.endsAt).format('MM-DD HH:mm')}
              </Typography.Text>
              {(w.serviceIds ?? []).map((id) => (
                <Tag key={id}>{serviceName(id)}</Tag>
              ))}
              {w.serviceIds === null && <Tag>{t('alerts.maintenance.allServices')}</Tag>}
            </Space>
          </List.Item>
        )}
      />

      <Typography.Title level={5}>{t('alerts.heartbeats.title')}</Typography.Title>
      <Form
        form={hForm}
        layout="inline"
        initialValues={{ intervalSeconds: 300, graceSeconds: 60 }}
        onValuesChange={(c) => clearErrors(hForm, c as object)}
        onFinish={(v) =>
          void (async () => {
            try {
              const r = await api.post<{ pingUrl: string }>('/api/alerts/heartbeats', v);
              setPingUrl(r.pingUrl);
              hForm.resetFields();
              await load();
            } catch (err) {
              showError(err, hForm);
            }
          })()
        }
      >
        <Form.Item
          name="serviceId"
          rules={[{ required: true, message: t('alerts.form.required') }]}
        >
          <Select
            style={{ minWidth: 160 }}
            placeholder={t('alerts.heartbeats.service')}
            options={services.map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          rules={[{ required: true, whitespace: true, message: t('alerts.form.required') }]}
        >
          <Input placeholder={t('alerts.heartbeats.name')} maxLength={120} />
        </Form.Item>
        <Form.Item name="intervalSeconds" label={t('alerts.heartbeats.interval')}>
          <InputNumber min={30} max={604800} addonAfter={t('alerts.form.seconds')} />
        </Form.Item>
        <Form.Item name="graceSeconds" label={t('alerts.heartbeats.grace')}>
          <InputNumber min={0} max={86400} addonAfter={t('alerts.form.seconds')} />
        </Form.Item>
        <Button htmlType="submit">{t('alerts.heartbeats.add')}</Button>
      </Form>
      {pingUrl && (
        <Typography.Paragraph copyable={{ text: `curl -X POST '${pingUrl}'` }}>
          {t('alerts.heartbeats.pingOnce')}{' '}
          <code data-testid="heartbeat-url">curl -X POST '{pingUrl}'</code>
        </Typography.Paragraph>
      )}
      <List<Heartbeat>
        size="small"
        dataSource={beats}
        locale={{ emptyText: t('alerts.heartbeats.empty') }}
        renderItem={(h) => (
          <List.Item key={h.id}>
            <Space wrap>
              <Tag color={h.down ? 'red' : 'green'}>
                {h.down ? t('alerts.heartbeats.down') : t('alerts.heartbeats.up')}
              </Tag>
              <Typography.Text strong>{h.name}</Typography.Text>
              <Typography.Text type="secondary">
                {serviceName(h.serviceId)} ·{' '}
                {t('alerts.heartbeats.every', { seconds: h.intervalSeconds })} ·{' '}
                {h.lastPingAt
                  ? t('alerts.heartbeats.last', {
                      time: dayjs(h.lastPingAt).format('MM-DD HH:mm:ss'),
                    })
                  : t('alerts.heartbeats.never')}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Space>
  );
}
