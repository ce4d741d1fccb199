import { PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useCan, useMe } from '../../auth/AuthContext';
import { useLoadPages } from '../../lib/useLoadPages';
import { TID } from '../../testids';
import { PriorityTag, StatusTag, useDirectory } from './TicketParts';
import { SAVED_VIEWS, type SavedView, viewQuery } from './ticketModel';
import {
  PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type Ticket,
  type TicketPage,
} from './ticketTypes';
import { useTicketsLive } from './useTicketsLive';

function isView(v: string | null): v is SavedView {
  return (SAVED_VIEWS as readonly string[]).includes(v ?? '');
}

/** The agent's inbox: saved views as tabs, filters, full-text search; updates live. */
export default function TicketInboxPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const canCreate = useCan('tickets.create');
  const names = useDirectory(true);
  const [params, setParams] = useSearchParams();
  const view: SavedView = isView(params.get('view')) ? (params.get('view') as SavedView) : 'mine';
  const [groupId, setGroupId] = useState<string | null>(me.teams[0]?.id ?? null);
  const [status, setStatus] = useState<string[]>([]);
  const [type, setType] = useState<string | undefined>();
  const [priority, setPriority] = useState<string | undefined>();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  const query = viewQuery(view, { groupId }, { status, type, priority, q });
  const queryKey = JSON.stringify(query);

  // A live change reloads the first page; whichever request came last is the one shown.
  const {
    items,
    next,
    loading,
    reload: load,
    loadMore,
  } = useLoadPages(
    async (cursor: string | undefined, signal) => {
      const page = await api.get<TicketPage>(
        '/api/tickets',
        { ...(JSON.parse(queryKey) as Record<string, string>), limit: 50, cursor },
        { signal },
      );
      return { items: page.items, next: page.nextCursor };
    },
    [queryKey],
  );

  const live = useTicketsLive((id) => {
    if (id) setFresh((s) => new Set(s).add(id));
    void load();
  });

  const columns = [
    {
      title: t('tickets.fields.number'),
      dataIndex: 'number',
      render: (n: string, r: Ticket) => (
        <Space size={4}>
          <Link to={`/tickets/${r.id}`} data-testid={`ticket-link-${r.number}`}>
            {n}
          </Link>
          {fresh.has(r.id) && <Badge status="processing" />}
        </Space>
      ),
    },
    {
      title: t('tickets.fields.title'),
      dataIndex: 'title',
      render: (title: string, r: Ticket) => (
        <div>
          <Typography.Text>{title}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.callerName ?? ''} {r.organisation ? `· ${r.organisation}` : ''}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: t('tickets.fields.status'),
      dataIndex: 'status',
      render: (s: string) => <StatusTag status={s} />,
    },
    {
      title: t('tickets.fields.priority'),
      dataIndex: 'priority',
      render: (p: string, r: Ticket) => (
        <Space size={2}>
          <PriorityTag priority={p} />
          {r.slaBreached && <Tag color="red">{t('tickets.sla.breachedShort')}</Tag>}
        </Space>
      ),
      responsive: ['sm' as const],
    },
    {
      title: t('tickets.fields.assignee'),
      dataIndex: 'assigneeId',
      render: (id: string | null) =>
        id ? (names.get(id) ?? (id === me.id ? me.displayName : '…')) : t('tickets.unassigned'),
      responsive: ['md' as const],
    },
    {
      title: t('tickets.fields.slaDue'),
      dataIndex: 'slaDueAt',
      render: (at: number | null) => (at ? dayjs(at).format('MM-DD HH:mm') : '—'),
      responsive: ['lg' as const],
    },
    {
      title: t('tickets.fields.updatedAt'),
      dataIndex: 'updatedAt',
      render: (at: number) => dayjs(at).format('MM-DD HH:mm'),
      responsive: ['lg' as const],
    },
  ];

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography.Title level={3} data-testid={TID.pageTitle} style={{ margin: 0 }}>
          {t('tickets.inbox.title')}{' '}
          <Badge
            status={live ? 'success' : 'default'}
            text={live ? t('tickets.inbox.live') : t('tickets.inbox.notLive')}
            data-testid="tickets-live"
            data-live={live ? 'yes' : 'no'}
          />
        </Typography.Title>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('tickets.inbox.reload')}
          </Button>
          {canCreate && (
            <Button
              type="primary"
              icon={<PhoneOutlined />}
              onClick={() => navigate('/tickets/phone')}
              data-testid="ticket-phone-new"
            >
              {t('tickets.phone.open')}
            </Button>
          )}
        </Space>
      </Space>
      <Tabs
        activeKey={view}
        onChange={(k) => {
          const nextParams = new URLSearchParams(params);
          nextParams.set('view', k);
          setParams(nextParams, { replace: true });
        }}
        items={SAVED_VIEWS.map((v) => ({
          key: v,
          label: <span data-testid={`tickets-view-${v}`}>{t(`tickets.views.${v}`)}</span>,
        }))}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('tickets.inbox.search')}
          defaultValue={q}
          onSearch={(v) => setQ(v)}
          style={{ width: 240 }}
          maxLength={200}
          data-testid="tickets-search"
        />
        {view === 'group' && me.teams.length > 1 && (
          <Select
            value={groupId ?? undefined}
            onChange={(v) => setGroupId(v)}
            options={me.teams.map((team) => ({ value: team.id, label: team.name }))}
            style={{ minWidth: 140 }}
          />
        )}
        <Select
          mode="multiple"
          allowClear
          placeholder={t('tickets.fields.status')}
          value={status}
          onChange={setStatus}
          options={TICKET_STATUSES.map((s) => ({ value: s, label: t(`tickets.status.${s}`) }))}
          style={{ minWidth: 160 }}
          data-testid="tickets-filter-status"
        />
        <Select
          allowClear
          placeholder={t('tickets.fields.type')}
          value={type}
          onChange={setType}
          options={TICKET_TYPES.map((s) => ({ value: s, label: t(`tickets.types.${s}`) }))}
          style={{ minWidth: 110 }}
        />
        <Select
          allowClear
          placeholder={t('tickets.fields.priority')}
          value={priority}
          onChange={setPriority}
          options={PRIORITIES.map((p) => ({ value: p, label: p }))}
          style={{ minWidth: 90 }}
        />
      </Space>
      {view === 'group' && !groupId ? (
        <Typography.Paragraph type="secondary">{t('tickets.inbox.noGroup')}</Typography.Paragraph>
      ) : (
        <Table<Ticket>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={items}
          columns={columns}
          pagination={false}
          data-testid="tickets-table"
          onRow={(r) => ({
            'data-testid': `ticket-row-${r.number}`,
            style: { cursor: 'pointer' },
            onClick: (e) => {
              if ((e.target as HTMLElement).closest('a')) return;
              navigate(`/tickets/${r.id}`);
            },
          })}
        />
      )}
      {next && (
        <Button style={{ marginTop: 12 }} onClick={() => void loadMore()} block>
          {t('tickets.inbox.more')}
        </Button>
      )}
    </div>
  );
}
