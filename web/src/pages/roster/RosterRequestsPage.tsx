import { App, Button, Popconfirm, Space, Switch, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import type { LeaveItem, SwapItem } from './rosterTypes';
import { SwapCheck } from './SwapCheck';

interface SwapEvent {
  at: number;
  action: string;
  from: string | null;
  to: string;
}

/** The steps a swap request went through, loaded when its row is opened. */
function SwapHistory({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data: events } = useLoad(
    async (signal) =>
      (await api.get<{ events: SwapEvent[] }>(`/api/roster/swaps/${id}`, undefined, { signal }))
        .events,
    [id],
    { onError: () => {} },
  );
  return (
    <Timeline
      items={(events ?? []).map((e) => ({
        children: `${dayjs(e.at).format('MM-DD HH:mm')} · ${t(`roster.swapStatus.${e.to}`)}`,
      }))}
    />
  );
}

/** The duty admin's inbox: swaps waiting for approval and leave requests, with their history. */
export default function RosterRequestsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [all, setAll] = useState(false);
  const {
    data: { swaps, leave },
    loading,
    reload: load,
  } = useLoad(
    (signal) =>
      api.get<{ swaps: SwapItem[]; leave: LeaveItem[] }>(
        '/api/roster/requests',
        { open: all ? 'false' : 'true' },
        { signal },
      ),
    [all],
    { initial: { swaps: [], leave: [] } },
  );

  const act = async (path: string) => {
    try {
      await api.post(path, {});
      void message.success(t('roster.requests.done'));
    } catch (err) {
      // A refused approval names the rules the swap would break.
      const violations =
        err instanceof ApiError
          ? ((err.body as { violations?: { message: string }[] }).violations ?? [])
          : [];
      if (violations.length > 0) {
        void message.error(
          `${t('roster.requests.blocked')} ${violations.map((v) => v.message).join('；')}`,
        );
      } else {
        showError(err);
      }
    }
    await load();
  };

  const decide = (base: string, id: string, ready: boolean) =>
    ready && (
      <Space>
        <Button
          type="primary"
          size="small"
          onClick={() => void act(`${base}/${id}/approve`)}
          data-testid={`approve-${id}`}
        >
          {t('roster.requests.approve')}
        </Button>
        <Button danger size="small" onClick={() => void act(`${base}/${id}/reject`)}>
          {t('roster.requests.reject')}
        </Button>
      </Space>
    );
  const cancel = (base: string, id: string) => (
    <Popconfirm
      title={t('roster.requests.cancelConfirm')}
      onConfirm={() => void act(`${base}/${id}/cancel`)}
    >
      <Button size="small">{t('roster.requests.cancel')}</Button>
    </Popconfirm>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('roster.requests.title')}
      </Typography.Title>
      <Space>
        <Switch checked={all} onChange={setAll} />
        <Typography.Text>{t('roster.requests.showAll')}</Typography.Text>
      </Space>
      <Typography.Title level={5}>{t('roster.requests.swaps')}</Typography.Title>
      <Table<SwapItem>
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={swaps}
        data-testid="requests-swaps"
        locale={{ emptyText: t('roster.requests.empty') }}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (s) => <SwapHistory id={s.id} /> }}
        columns={[
          { title: t('roster.requests.date'), dataIndex: 'date' },
          { title: t('roster.requests.kind'), render: (_, s) => t(`roster.kinds.${s.kind}`) },
          { title: t('roster.requests.requester'), dataIndex: 'requesterName' },
          { title: t('roster.requests.substitute'), dataIndex: 'substituteName' },
          {
            title: t('roster.requests.status'),
            render: (_, s) => <Tag>{t(`roster.swapStatus.${s.status}`)}</Tag>,
          },
          { title: t('roster.requests.reason'), dataIndex: 'reason' },
          {
            title: t('roster.requests.check'),
            key: 'check',
            render: (_, s) => (s.status === 'pending_approval' ? <SwapCheck id={s.id} /> : null),
          },
          {
            key: 'actions',
            render: (_, s) =>
              s.status === 'approved'
                ? cancel('/api/roster/swaps', s.id)
                : decide('/api/roster/swaps', s.id, s.status === 'pending_approval'),
          },
        ]}
      />
      <Typography.Title level={5}>{t('roster.requests.leave')}</Typography.Title>
      <Table<LeaveItem>
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={leave}
        data-testid="requests-leave"
        locale={{ emptyText: t('roster.requests.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('roster.requests.requester'), dataIndex: 'personName' },
          { title: t('roster.requests.kind'), render: (_, l) => t(`roster.kinds.${l.kind}`) },
          {
            title: t('roster.requests.period'),
            key: 'period',
            render: (_, l) => `${l.startDate} – ${l.endDate}`,
          },
          {
            title: t('roster.requests.status'),
            render: (_, l) => <Tag>{t(`roster.leaveStatus.${l.status}`)}</Tag>,
          },
          { title: t('roster.requests.reason'), dataIndex: 'reason' },
          {
            key: 'actions',
            render: (_, l) =>
              l.status === 'approved'
                ? cancel('/api/roster/leave', l.id)
                : decide('/api/roster/leave', l.id, l.status === 'pending'),
          },
        ]}
      />
    </Space>
  );
}
