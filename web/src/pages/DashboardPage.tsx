import { Card, Empty, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/AuthContext';
import { TID } from '../testids';

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.dashboardWelcome} style={{ margin: 0 }}>
        {t('dashboard.welcome', { name: me.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('dashboard.intro')}</Typography.Paragraph>
      <Card title={t('dashboard.yourRoles')}>
        <Space wrap>
          {me.roles.map((r) => (
            <Tag color="blue" key={r}>
              {t(`roles.${r}`)}
            </Tag>
          ))}
        </Space>
      </Card>
      <Card title={t('dashboard.yourTeams')}>
        {me.teams.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noTeams')} />
        ) : (
          <Space wrap>
            {me.teams.map((team) => (
              <Tag key={team.id}>{team.name}</Tag>
            ))}
          </Space>
        )}
      </Card>
    </Space>
  );
}
