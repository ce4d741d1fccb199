import { Badge, Card, Empty, List, Segmented, Select, Space, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import type { AlertItem, PageItem, PageStatus } from './alertsModel';
import { SeverityTag, StatusTag, useAlertsLive, useServices } from './alertsShared';

type StatusFilter = 'all' | PageStatus;

/** Pages and alerts, newest first, updated live; filters by status and service. Phone-first. */
export default function AlertsPage() {
  const { t } = useTranslation();
  const services = useServices();
  const [tab, setTab] = useState<'pages' | 'alerts'>('pages');
  const [status, setStatus] = useState<StatusFilter>('triggered');
  const [serviceId, setServiceId] = useState<string | undefined>();
  const {
    data: { pages, alerts },
    loading,
    reload: load,
  } = useLoad(
    async (signal) => {
      const [p, a] = await Promise.all([
        api.get<{ items: PageItem[] }>(
          '/api/pages',
          { status: status === 'all' ? undefined : status, limit: 200 },
          { signal },
        ),
        api.get<{ items: AlertItem[] }>('/api/alerts', { serviceId, limit: 200 }, { signal }),
      ]);
      return { pages: p.items, alerts: a.items };
    },
    [status, serviceId],
    { initial: { pages: [], alerts: [] } },
  );
  const connected = useAlertsLive(() => void load());

  const serviceName = (id: string) => services.find((s) => s.id === id)?.name ?? '';
  const shownPages = pages.filter((p) => !serviceId || p.serviceId === serviceId);
  const shownAlerts = alerts.filter((a) =>
    status === 'all'
      ? true
      : status === 'resolved'
        ? a.status === 'resolved'
        : a.status !== 'resolved',
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={3} data-testid={TID.pageTitle} style={{ margin: 0 }}>
          {t('alerts.list.title')}
        </Typography.Title>
        <Badge
          status={connected ? 'success' : 'default'}
          text={connected ? t('alerts.list.live') : t('alerts.list.offline')}
          data-testid="alerts-live"
          data-connected={connected ? 'yes' : 'no'}
        />
      </Space>
      <Space wrap>
        <Segmented<StatusFilter>
          value={status}
          onChange={setStatus}
          data-testid="alerts-status-filter"
          options={(['triggered', 'acknowledged', 'resolved', 'all'] as const).map((s) => ({
            value: s,
            label: t(`alerts.filter.${s}`),
          }))}
        />
        <Select<string>
          allowClear
          placeholder={t('alerts.filter.service')}
          value={serviceId}
          onChange={setServiceId}
          style={{ minWidth: 180 }}
          data-testid="alerts-service-filter"
          options={services.map((s) => ({ value: s.id, label: s.name }))}
        />
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'pages' | 'alerts')}
        items={[
          {
            key: 'pages',
            label: t('alerts.list.pages'),
            children: (
              <List<PageItem>
                loading={loading && pages.length === 0}
                dataSource={shownPages}
                data-testid="pages-list"
                locale={{ emptyText: <Empty description={t('alerts.list.noPages')} /> }}
                renderItem={(p) => (
                  <List.Item key={p.id} style={{ padding: '4px 0' }}>
                    <Link
                      to={`/alerts/pages/${p.id}`}
                      style={{ width: '100%' }}
                      data-testid={`page-${p.id}`}
                    >
                      <Card size="small" hoverable style={{ width: '100%' }}>
                        <Space direction="vertical" size={2} style={{ width: '100%' }}>
                          <Space wrap>
                            <StatusTag status={p.status} />
                            <SeverityTag severity={p.severity} />
                            <Typography.Text type="secondary">
                              {serviceName(p.serviceId)}
                            </Typography.Text>
                          </Space>
                          <Typography.Text strong style={{ fontSize: 16 }}>
                            {p.summary}
                          </Typography.Text>
                          <Typography.Text type="secondary">
                            {t('alerts.list.pageLine', {
                              opened: dayjs(p.openedAt).format('MM-DD HH:mm:ss'),
                              count: p.alertCount,
                              level: p.level + 1,
                            })}
                          </Typography.Text>
                        </Space>
                      </Card>
                    </Link>
                  </List.Item>
                )}
              />
            ),
          },
          {
            key: 'alerts',
            label: t('alerts.list.alerts'),
            children: (
              <List<AlertItem>
                loading={loading && alerts.length === 0}
                dataSource={shownAlerts}
                data-testid="alerts-list"
                locale={{ emptyText: <Empty description={t('alerts.list.noAlerts')} /> }}
                renderItem={(a) => (
                  <List.Item key={a.id}>
                    <Space direction="vertical" size={2} style={{ width: '100%' }}>
                      <Space wrap>
                        <SeverityTag severity={a.severity} />
                        <Typography.Text>
                          {t(`alerts.alertStatus.${a.status}`, { defaultValue: a.status })}
                        </Typography.Text>
                        <Typography.Text type="secondary">
                          {serviceName(a.serviceId)}
                        </Typography.Text>
                        {a.suppressed && (
                          <Typography.Text type="warning">
                            {t(`alerts.suppressed.${a.suppressed}`, { defaultValue: a.suppressed })}
                          </Typography.Text>
                        )}
                      </Space>
                      <Typography.Text strong>{a.summary}</Typography.Text>
                      <Typography.Text type="secondary">
                        {dayjs(a.createdAt).format('MM-DD HH:mm:ss')} · {a.source} · ×{a.count}
                        {a.pageId && (
                          <>
                            {' · '}
                            <Link to={`/alerts/pages/${a.pageId}`}>
                              {t('alerts.list.openPage')}
                            </Link>
                          </>
                        )}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}
