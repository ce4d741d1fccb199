import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Modal,
  Result,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import type { User } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import { attemptOf, type PageDetail, type Target, type TimelineEntry } from './alertsModel';
import {
  SeverityTag,
  StatusTag,
  TargetsInput,
  useAlertsLive,
  useServices,
  useTargetOptions,
} from './alertsShared';

const SNOOZE_MINUTES = [15, 30, 60, 120, 240];
const big = { size: 'large' as const, block: true, style: { minHeight: 52, fontSize: 17 } };

/** One timeline line, in the reader's language; notification attempts show their outcome. */
function useTimelineText(names: Map<string, string>) {
  const { t } = useTranslation();
  return (e: TimelineEntry): string => {
    const d = e.data;
    const name = (id: unknown) => (typeof id === 'string' ? (names.get(id) ?? id.slice(0, 8)) : '');
    const list = (ids: unknown) =>
      Array.isArray(ids) ? ids.map(name).join(t('common.listSeparator')) : '';
    const attempt = attemptOf(e);
    if (attempt) {
      return t('alerts.timeline.attempt', {
        user: name(d.userId),
        channel: t(`alerts.contactKinds.${attempt.channel}`, { defaultValue: attempt.channel }),
        attempt: attempt.attempt,
        outcome: t(`alerts.outcome.${attempt.status}`, { defaultValue: attempt.status }),
        detail: attempt.detail ? ` (${attempt.detail})` : '',
        next:
          attempt.next === 'retry' && attempt.retryAt
            ? t('alerts.outcome.retryAt', { time: dayjs(attempt.retryAt).format('HH:mm:ss') })
            : t(`alerts.outcome.next_${attempt.next}`, { defaultValue: '' }),
      });
    }
    return t(`alerts.timeline.${e.type}`, {
      defaultValue: e.type,
      user: name(d.userId),
      users: list(d.userIds),
      level: typeof d.level === 'number' ? d.level + 1 : '',
      loop: typeof d.loop === 'number' ? d.loop + 1 : '',
      until: typeof d.until === 'number' ? dayjs(d.until).format('MM-DD HH:mm') : '',
      summary: typeof d.summary === 'string' ? d.summary : '',
      status: typeof d.pageStatus === 'string' ? t(`alerts.status.${d.pageStatus}`) : '',
    });
  };
}

function colourOf(e: TimelineEntry): string {
  if (e.type === 'notification_failed') return 'red';
  if (e.type === 'notification_delivered') return 'green';
  if (e.type === 'acknowledged' || e.type === 'resolved') return 'blue';
  if (e.type === 'triggered' || e.type.startsWith('escalat')) return 'orange';
  return 'gray';
}

/** A page: what happened, who was told and how it went, and the responder's big buttons. */
const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;

export default function PageDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const canRespond = useCan('alerts.respond');
  const canTicket = useCan('tickets.create');
  const services = useServices();
  const targetOptions = useTargetOptions();
  const [busy, setBusy] = useState<string | null>(null);
  const [targetsDialog, setTargetsDialog] = useState<'reassign' | 'add_responders' | null>(null);
  const [targets, setTargets] = useState<Target[]>([]);
  const [snooze, setSnooze] = useState(false);
  const [ticketId, setTicketId] = useState<string | null>(null);

  const {
    data: page,
    error,
    reload: load,
    setData: setPage,
  } = useLoad((signal) => api.get<PageDetail>(`/api/pages/${id}`, undefined, { signal }), [id], {
    onError: (err) => {
      if (!isNotFound(err)) showError(err);
    },
  });
  const missing = isNotFound(error);
  // Names for the timeline; without users.read they stay ids.
  const { data: users } = useLoad(
    async (signal) => (await api.get<{ items: User[] }>('/api/users', undefined, { signal })).items,
    [],
    { initial: [], onError: () => {} },
  );
  useAlertsLive((pageId) => {
    if (!pageId || pageId === id) void load();
  });
  const names = useMemo(() => new Map(users.map((u) => [u.id, u.displayName])), [users]);
  const line = useTimelineText(names);

  const act = async (action: Record<string, unknown>) => {
    setBusy(String(action.type));
    try {
      setPage(await api.post<PageDetail>(`/api/pages/${id}/actions`, action));
      void message.success(t(`alerts.actions.done.${String(action.type)}`));
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const openTicket = async () => {
    if (!page) return;
    setBusy('ticket');
    try {
      const categories = await api.get<{ items: { id: string; active?: boolean }[] }>(
        '/api/tickets/categories',
      );
      const category = categories.items.find((c) => c.active !== false);
      if (!category) {
        void message.error(t('alerts.detail.noCategory'));
        return;
      }
      const ticket = await api.post<{ id: string }>('/api/tickets', {
        channel: 'api',
        type: 'fault',
        categoryId: category.id,
        title: page.summary.slice(0, 200),
        description: t('alerts.detail.ticketDescription', {
          summary: page.summary,
          url: `${window.location.origin}/alerts/pages/${page.id}`,
          opened: dayjs(page.openedAt).format('YYYY-MM-DD HH:mm:ss'),
        }),
        impact: page.severity === 'critical' || page.severity === 'error' ? 'high' : 'medium',
        urgency: 'high',
        // Linked on the ticket page with the page's live status (the alerts module answers).
        alertPageId: page.id,
      });
      setTicketId(ticket.id);
      void message.success(t('alerts.detail.ticketOpened'));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  if (missing) return <Result status="404" title={t('alerts.detail.notFound')} />;
  if (!page) return <Spin />;
  const open = page.status !== 'resolved';
  const service = services.find((s) => s.id === page.serviceId);

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 820 }}>
      <Link to="/alerts">← {t('alerts.list.title')}</Link>
      <Space wrap>
        <StatusTag status={page.status} />
        <SeverityTag severity={page.severity} />
        {service && <Tag>{service.name}</Tag>}
      </Space>
      <Typography.Title level={3} data-testid={TID.pageTitle} style={{ marginTop: 0 }}>
        {page.summary}
      </Typography.Title>
      <span data-testid="page-status" data-status={page.status} hidden />
      {canRespond && open && (
        <Card size="small">
          <Space direction="vertical" style={{ width: '100%' }}>
            {page.status === 'triggered' && (
              <Button
                {...big}
                type="primary"
                loading={busy === 'acknowledge'}
                onClick={() => void act({ type: 'acknowledge' })}
                data-testid="page-acknowledge"
              >
                {t('alerts.actions.acknowledge')}
              </Button>
            )}
            <Button
              {...big}
              type={page.status === 'acknowledged' ? 'primary' : 'default'}
              loading={busy === 'resolve'}
              onClick={() => void act({ type: 'resolve' })}
              data-testid="page-resolve"
            >
              {t('alerts.actions.resolve')}
            </Button>
            <Space.Compact block>
              <Button {...big} onClick={() => setSnooze(true)} data-testid="page-snooze">
                {t('alerts.actions.snooze')}
              </Button>
              <Button
                {...big}
                loading={busy === 'escalate_now'}
                onClick={() => void act({ type: 'escalate_now' })}
                data-testid="page-escalate"
              >
                {t('alerts.actions.escalate_now')}
              </Button>
            </Space.Compact>
            <Space.Compact block>
              <Button
                {...big}
                onClick={() => {
                  setTargets([]);
                  setTargetsDialog('reassign');
                }}
                data-testid="page-reassign"
              >
                {t('alerts.actions.reassign')}
              </Button>
              <Button
                {...big}
                onClick={() => {
                  setTargets([]);
                  setTargetsDialog('add_responders');
                }}
                data-testid="page-add-responders"
              >
                {t('alerts.actions.add_responders')}
              </Button>
            </Space.Compact>
          </Space>
        </Card>
      )}
      {canTicket &&
        (ticketId ? (
          <Typography.Text data-testid="page-ticket">
            {t('alerts.detail.ticketOpened')} #{ticketId.slice(0, 8)}
          </Typography.Text>
        ) : (
          <Button
            {...big}
            loading={busy === 'ticket'}
            onClick={() => void openTicket()}
            data-testid="page-open-ticket"
          >
            {t('alerts.detail.openTicket')}
          </Button>
        ))}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('alerts.detail.opened')}>
          {dayjs(page.openedAt).format('YYYY-MM-DD HH:mm:ss')}
        </Descriptions.Item>
        {page.acknowledgedAt && (
          <Descriptions.Item label={t('alerts.detail.acknowledged')}>
            {dayjs(page.acknowledgedAt).format('YYYY-MM-DD HH:mm:ss')}
          </Descriptions.Item>
        )}
        {page.resolvedAt && (
          <Descriptions.Item label={t('alerts.detail.resolved')}>
            {dayjs(page.resolvedAt).format('YYYY-MM-DD HH:mm:ss')}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('alerts.detail.level')}>{page.level + 1}</Descriptions.Item>
        <Descriptions.Item label={t('alerts.detail.alerts')}>{page.alertCount}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t('alerts.detail.timeline')}</Typography.Title>
      <Timeline
        data-testid="page-timeline"
        items={page.timeline.map((e) => ({
          color: colourOf(e),
          children: (
            <span data-testid={`timeline-${e.type}`}>
              <Typography.Text type="secondary">
                {dayjs(e.at).format('MM-DD HH:mm:ss')}
              </Typography.Text>{' '}
              {line(e)}
            </span>
          ),
        }))}
      />
      <Typography.Title level={5}>{t('alerts.detail.alerts')}</Typography.Title>
      {page.alerts.map((a) => (
        <Card size="small" key={a.id}>
          <Space direction="vertical" size={0}>
            <Typography.Text strong>{a.summary}</Typography.Text>
            <Typography.Text type="secondary">
              {a.source} · {a.dedupKey} · ×{a.count} ·{' '}
              {t(`alerts.alertStatus.${a.status}`, { defaultValue: a.status })}
            </Typography.Text>
          </Space>
        </Card>
      ))}

      <Modal
        open={snooze}
        title={t('alerts.actions.snooze')}
        footer={null}
        onCancel={() => setSnooze(false)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          {SNOOZE_MINUTES.map((m) => (
            <Button
              key={m}
              {...big}
              loading={busy === 'snooze'}
              data-testid={`snooze-${m}`}
              onClick={() =>
                void act({ type: 'snooze', minutes: m }).then((ok) => ok && setSnooze(false))
              }
            >
              {t('alerts.actions.snoozeFor', { minutes: m })}
            </Button>
          ))}
        </Space>
      </Modal>
      <Modal
        open={targetsDialog !== null}
        title={targetsDialog ? t(`alerts.actions.${targetsDialog}`) : ''}
        okText={t('common.save')}
        okButtonProps={{ disabled: targets.length === 0, 'data-testid': 'targets-submit' }}
        confirmLoading={busy !== null}
        onCancel={() => setTargetsDialog(null)}
        onOk={() => {
          const action =
            targetsDialog === 'reassign'
              ? { type: 'reassign', to: targets }
              : { type: 'add_responders', targets };
          void act(action).then((ok) => ok && setTargetsDialog(null));
        }}
      >
        <Form layout="vertical">
          <Form.Item label={t('alerts.policies.targets')}>
            <TargetsInput
              value={targets}
              onChange={setTargets}
              options={targetOptions}
              testId="page-targets"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
