import { App, Button, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useApiErrors } from '../forms/useApiErrors';
import { TID } from '../testids';

interface Swap {
  id: string;
  kind: string;
  requesterName: string;
  substituteName: string;
  date: string | null;
  status: string;
  reason: string;
}
interface Leave {
  id: string;
  personName: string;
  kind: string;
  startDate: string;
  endDate: string;
  status: string;
  reason: string;
}

/** The duty admin's inbox of open swap and leave requests. */
export default function RosterRequestsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [swaps, setSwaps] = useState<Swap[]>([]);
  const [leave, setLeave] = useState<Leave[]>([]);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.get<{ swaps: Swap[]; leave: Leave[] }>('/api/roster/requests');
      setSwaps(r.swaps);
      setLeave(r.leave);
    } catch (err) {
      showError(err);
    } finally {
      setLoading(false);
    }
  }, [showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (path: string) => {
    try {
      await api.post(path, {});
      void message.success(t('rosterRequests.done'));
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const decide = (base: string, id: string, ready: boolean) => (
    <Space>
      <Button type="primary" disabled={!ready} onClick={() => void act(`${base}/${id}/approve`)}>
        {t('rosterRequests.approve')}
      </Button>
      <Button danger disabled={!ready} onClick={() => void act(`${base}/${id}/reject`)}>
        {t('rosterRequests.reject')}
      </Button>
    </Space>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('rosterRequests.title')}
      </Typography.Title>
      <Typography.Title level={5}>{t('rosterRequests.swaps')}</Typography.Title>
      <Table<Swap>
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={swaps}
        locale={{ emptyText: t('rosterRequests.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('rosterRequests.date'), dataIndex: 'date' },
          { title: t('rosterRequests.requester'), dataIndex: 'requesterName' },
          { title: t('rosterRequests.substitute'), dataIndex: 'substituteName' },
          { title: t('rosterRequests.status'), dataIndex: 'status' },
          { title: t('rosterRequests.reason'), dataIndex: 'reason' },
          {
            key: 'actions',
            render: (_, s) => decide('/api/roster/swaps', s.id, s.status === 'pending_approval'),
          },
        ]}
      />
      <Typography.Title level={5}>{t('rosterRequests.leave')}</Typography.Title>
      <Table<Leave>
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={leave}
        locale={{ emptyText: t('rosterRequests.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('rosterRequests.requester'), dataIndex: 'personName' },
          { title: t('rosterRequests.kind'), dataIndex: 'kind' },
          {
            title: t('rosterRequests.period'),
            key: 'period',
            render: (_, l) => `${l.startDate} – ${l.endDate}`,
          },
          { title: t('rosterRequests.reason'), dataIndex: 'reason' },
          {
            key: 'actions',
            render: (_, l) => decide('/api/roster/leave', l.id, l.status === 'pending'),
          },
        ]}
      />
    </Space>
  );
}
