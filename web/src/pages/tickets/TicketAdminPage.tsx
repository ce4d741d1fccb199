import { Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TID } from '../../testids';
import { CalendarsCard } from './admin/CalendarsCard';
import { CategoriesCard } from './admin/CategoriesCard';
import { SettingsCard } from './admin/SettingsCard';
import { SlaPoliciesCard } from './admin/SlaPoliciesCard';

/** Ticket administration for admins and duty managers: the category tree and desk settings. */
export default function TicketAdminPage() {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle} style={{ marginTop: 0 }}>
        {t('tickets.admin.title')}
      </Typography.Title>
      <Tabs
        items={[
          {
            key: 'categories',
            label: t('tickets.admin.categories'),
            children: <CategoriesCard />,
          },
          { key: 'settings', label: t('tickets.admin.settings'), children: <SettingsCard /> },
          {
            key: 'sla',
            label: t('tickets.admin.sla.title'),
            children: <SlaPoliciesCard />,
          },
          {
            key: 'calendars',
            label: t('tickets.admin.calendars'),
            children: <CalendarsCard />,
          },
        ]}
      />
    </Space>
  );
}
