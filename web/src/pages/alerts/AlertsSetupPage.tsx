import { Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import type { Policy, Service } from './alertsModel';
import { useTargetOptions } from './alertsShared';
import { MaintenancePanel } from './MaintenancePanel';
import { PoliciesPanel } from './PoliciesPanel';
import { ServicesPanel } from './ServicesPanel';

/** Alerts setup for admins and duty managers: services and integrations, policies, windows. */
export default function AlertsSetupPage() {
  const { t } = useTranslation();
  const options = useTargetOptions();
  const [tab, setTab] = useState('services');
  const {
    data: { services, policies },
    reload: load,
  } = useLoad(
    async (signal) => {
      const [s, p] = await Promise.all([
        api.get<{ items: Service[] }>('/api/alerts/services', undefined, { signal }),
        api.get<{ items: Policy[] }>('/api/alerts/policies', undefined, { signal }),
      ]);
      return { services: s.items, policies: p.items };
    },
    [],
    { initial: { services: [], policies: [] } },
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('alerts.setup.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'services',
            label: <span data-testid="setup-tab-services">{t('alerts.setup.services')}</span>,
            children: <ServicesPanel services={services} policies={policies} onChanged={load} />,
          },
          {
            key: 'policies',
            label: <span data-testid="setup-tab-policies">{t('alerts.setup.policies')}</span>,
            children: <PoliciesPanel policies={policies} options={options} onChanged={load} />,
          },
          {
            key: 'maintenance',
            label: <span data-testid="setup-tab-maintenance">{t('alerts.setup.maintenance')}</span>,
            children: <MaintenancePanel services={services} />,
          },
        ]}
      />
    </Space>
  );
}
