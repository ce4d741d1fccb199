import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Space, Tag, Timeline, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, getCsrfToken } from '../../api/client';
import { useLoad } from '../../lib/useLoad';
import type { Loaded } from '../../lib/useLoad';
import { splitMinutes } from './ticketModel';
import type { Category, SlaTarget, Ticket, TicketEvent } from './ticketTypes';

const STATUS_COLOURS: Record<string, string> = {
  new: 'blue',
  assigned: 'geekblue',
  in_progress: 'processing',
  pending_customer: 'gold',
  pending_third_party: 'orange',
  resolved: 'green',
  closed: 'default',
  reopened: 'magenta',
  merged: 'default',
};
const PRIORITY_COLOURS: Record<string, string> = {
  P1: 'red',
  P2: 'volcano',
  P3: 'blue',
  P4: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status] ?? 'default'} data-testid="ticket-status">
      {t(`tickets.status.${status}`, status)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: string }) {
  return <Tag color={PRIORITY_COLOURS[priority] ?? 'default'}>{priority}</Tag>;
}

/** A ticket that does not exist, or an id that cannot be one: the page says "not found". */
export const isTicketMissing = (err: unknown) =>
  err instanceof ApiError && (err.status === 404 || err.status === 400);

/**
 * The ticket categories in the server's order, disabled ones included; `quiet` where the page
 * works without them (a failed load then leaves the list empty without a message).
 */
export function useTicketCategories({ quiet = false } = {}): Loaded<Category[]> {
  return useLoad(
    async (signal) =>
      (await api.get<{ items: Category[] }>('/api/tickets/categories', undefined, { signal }))
        .items,
    [],
    { initial: [], ...(quiet ? { onError: () => {} } : {}) },
  );
}

/** People's names for ids, from the teams list staff may read (requesters see roles only). */
export function useDirectory(enabled: boolean): Map<string, string> {
  return useLoad(
    async (signal) =>
      enabled
        ? api
            .get<{
              items: { members: { id: string; displayName: string }[] }[];
            }>('/api/teams', undefined, { signal })
            .then(
              (r) =>
                new Map(r.items.flatMap((team) => team.members.map((m) => [m.id, m.displayName]))),
              () => new Map<string, string>(),
            )
        : new Map<string, string>(),
    [enabled],
    { initial: new Map<string, string>() },
  ).data;
}

function Minutes({ minutes }: { minutes: number }) {
  const { t } = useTranslation();
  const { days, hours, mins } = splitMinutes(minutes);
  return (
    <>
      {days > 0
        ? t('tickets.sla.daysHours', { days, hours })
        : t('tickets.sla.hoursMinutes', { hours, mins })}
    </>
  );
}

/** First response and resolution clocks (and next update when running): remaining, paused, breached. */
export function SlaClocks({ targets }: { targets: SlaTarget[] }) {
  const { t } = useTranslation();
  const shown = targets.filter((x) => x.state !== 'inactive' || x.target !== 'nextUpdate');
  if (shown.length === 0)
    return <Typography.Text type="secondary">{t('tickets.sla.none')}</Typography.Text>;
  return (
    <Space wrap size={[8, 8]} data-testid="sla-clocks">
      {shown.map((x) => {
        const colour =
          x.state === 'breached'
            ? 'red'
            : x.state === 'paused'
              ? 'gold'
              : x.state === 'met'
                ? 'green'
                : x.state === 'running'
                  ? 'blue'
                  : 'default';
        return (
          <Tag key={x.target} color={colour} data-testid={`sla-${x.target}`} data-state={x.state}>
            <strong>{t(`tickets.sla.targets.${x.target}`, x.target)}</strong>{' '}
            {t(`tickets.sla.states.${x.state}`)}
            {x.state === 'running' || x.state === 'paused' ? (
              <>
                {' · '}
                {t('tickets.sla.remaining')} <Minutes minutes={x.remainingMinutes} />
              </>
            ) : null}
            {x.dueAt && (x.state === 'running' || x.state === 'breached')
              ? ` · ${t('tickets.sla.due')} ${dayjs(x.dueAt).format('MM-DD HH:mm')}`
              : ''}
          </Tag>
        );
      })}
    </Space>
  );
}

/**
 * An email as received: the server has sanitised its HTML (no scripts, no remote images); it is
 * still shown in a sandboxed frame with no script rights, so nothing in it can act on our page.
 */
function MailHtml({ html }: { html: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <div>
      <Button size="small" type="link" onClick={() => setOpen(!open)} style={{ padding: 0 }}>
        {open ? t('tickets.timeline.hideMail') : t('tickets.timeline.showMail')}
      </Button>
      {open && (
        <iframe
          title={t('tickets.timeline.mail')}
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'">${html}`}
          style={{ width: '100%', minHeight: 200, border: '1px solid #f0f0f0', borderRadius: 6 }}
        />
      )}
    </div>
  );
}

function AttachmentLinks({
  items,
}: {
  items: { id: string; fileName: string; sizeBytes?: number }[];
}) {
  return (
    <Space direction="vertical" size={0}>
      {items.map((a) => (
        <a
          key={a.id}
          href={`/api/ticket-attachments/${a.id}`}
          data-testid={`attachment-${a.fileName}`}
        >
          <PaperClipOutlined /> {a.fileName}
          {a.sizeBytes !== undefined ? ` (${Math.ceil(a.sizeBytes / 1024)} KB)` : ''}
        </a>
      ))}
    </Space>
  );
}

/** The ticket's history, oldest first; every text is rendered as text (React escapes it). */
export function TicketTimeline({
  ticket,
  events,
  names,
}: {
  ticket: Ticket;
  events: TicketEvent[];
  names: Map<string, string>;
}) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty />;
  const who = (e: TicketEvent) =>
    e.actorRole === 'system'
      ? t('tickets.timeline.system')
      : e.actorId && names.get(e.actorId)
        ? names.get(e.actorId)!
        : e.actorRole === 'requester'
          ? (ticket.callerName ?? t('tickets.timeline.customer'))
          : t(`roles.${e.actorRole ?? 'staff'}`, t('tickets.timeline.staff'));
  const text = (body: string | null) =>
    body ? (
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
        {body}
      </Typography.Paragraph>
    ) : null;
  return (
    <Timeline
      data-testid="ticket-timeline"
      items={events.map((e) => {
        const internal = e.visibility === 'internal';
        const head = (label: string) => (
          <Space size={4} wrap>
            <Typography.Text strong>{label}</Typography.Text>
            <Typography.Text type="secondary">
              {who(e)} · {dayjs(e.at).format('YYYY-MM-DD HH:mm')}
            </Typography.Text>
            {internal && <Tag color="purple">{t('tickets.timeline.internal')}</Tag>}
          </Space>
        );
        const d = e.data;
        let label: string;
        let extra: React.ReactNode = null;
        switch (e.kind) {
          case 'created':
            label = t('tickets.timeline.created', {
              channel: t(`tickets.channels.${ticket.channel}`, ticket.channel),
            });
            if (Array.isArray(d.attachments) && d.attachments.length > 0)
              extra = (
                <AttachmentLinks
                  items={d.attachments as { id: string; fileName: string; sizeBytes: number }[]}
                />
              );
            break;
          case 'reply': {
            const mail = d.mail as { html?: string | null; from?: string } | undefined;
            label = internal
              ? t('tickets.timeline.note')
              : d.author === 'customer'
                ? mail
                  ? t('tickets.timeline.customerMail', { from: mail.from ?? '' })
                  : t('tickets.timeline.customerReply')
                : t('tickets.timeline.reply');
            const atts =
              (d.attachments as
                { id: string; fileName: string; sizeBytes: number }[] | undefined) ?? [];
            extra = (
              <>
                {mail?.html ? <MailHtml html={mail.html} /> : null}
                {atts.length > 0 && <AttachmentLinks items={atts} />}
              </>
            );
            break;
          }
          case 'status_changed':
            if (d.action === 'merge') {
              label = t('tickets.timelineCollab.mergedInto', { number: String(d.number) });
              break;
            }
            if (d.action === 'unmerge') {
              label = t('tickets.timelineCollab.unmergedInto', {
                number: String(d.number),
                status: t(`tickets.status.${String(d.to)}`, String(d.to)),
              });
              break;
            }
            label = t('tickets.timeline.moved', {
              from: t(`tickets.status.${String(d.from)}`, String(d.from)),
              to: t(`tickets.status.${String(d.to)}`, String(d.to)),
            });
            // A name only where the reader may know it (requesters see no staff directory).
            if (typeof d.assigneeId === 'string' && names.has(d.assigneeId))
              extra = (
                <Typography.Text type="secondary">
                  {t('tickets.timeline.assignedTo', { name: names.get(d.assigneeId) })}
                </Typography.Text>
              );
            break;
          case 'escalated':
            label = t('tickets.timeline.escalated', {
              from: t(`tickets.levels.${String(d.fromLevel)}`, String(d.fromLevel)),
              to: t(`tickets.levels.${String(d.toLevel)}`, String(d.toLevel)),
            });
            break;
          case 'sla_paged':
            label = t('tickets.timeline.sla_paged', {
              target: t(`tickets.sla.targets.${String(d.target)}`, String(d.target ?? '')),
              count: Array.isArray(d.receivers) ? d.receivers.length : 0,
            });
            break;
          case 'sla_warning':
          case 'sla_breach':
            label = t(`tickets.timeline.${e.kind}`, {
              target: t(`tickets.sla.targets.${String(d.target)}`, String(d.target ?? '')),
            });
            break;
          case 'attachment':
            label = t('tickets.timeline.attachment');
            extra = (
              <AttachmentLinks
                items={
                  (d.attachments as { id: string; fileName: string; sizeBytes: number }[]) ?? []
                }
              />
            );
            break;
          case 'survey':
            label = t('tickets.timeline.survey', { score: Number(d.score) });
            break;
          case 'merged':
            label = t('tickets.timelineCollab.mergedFrom', { number: String(d.number) });
            break;
          case 'alert_linked':
            label = t('tickets.timelineCollab.alertLinked');
            break;
          case 'unmerged':
            label = t('tickets.timelineCollab.unmergedFrom', { number: String(d.number) });
            break;
          case 'sla_recomputed':
            label = t('tickets.timelineCollab.slaRecomputed', { name: String(d.name ?? '') });
            break;
          default:
            label = e.kind;
        }
        return {
          key: e.id,
          color: internal
            ? 'purple'
            : e.kind === 'sla_breach'
              ? 'red'
              : e.kind === 'escalated'
                ? 'orange'
                : 'blue',
          children: (
            <div data-testid={`event-${e.kind}`} data-visibility={e.visibility}>
              {head(label)}
              {text(e.body)}
              {extra}
            </div>
          ),
        };
      })}
    />
  );
}

/** Upload a file to the ticket (multipart, field "file") and list what is attached. */
export function AttachmentsCard({
  ticketId,
  base,
  allowInternal,
  refreshKey,
  onUploaded,
}: {
  ticketId: string;
  base: '/api/tickets' | '/api/portal/tickets';
  allowInternal: boolean;
  refreshKey: number;
  onUploaded: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  // A list that cannot be read shows as empty; the upload reports its own errors.
  const { data: items } = useLoad(
    (signal) =>
      api
        .get<{
          items: { id: string; fileName: string; sizeBytes: number; visibility: string }[];
        }>(`${base}/${ticketId}/attachments`, undefined, { signal })
        .then(
          (r) => r.items,
          () => [],
        ),
    [base, ticketId, refreshKey],
    { initial: [] },
  );
  return (
    <Card size="small" title={t('tickets.attachments.title')}>
      {items.length > 0 ? (
        <AttachmentLinks items={items} />
      ) : (
        <Typography.Text type="secondary">{t('tickets.attachments.none')}</Typography.Text>
      )}
      <div style={{ marginTop: 8 }}>
        <Upload
          name="file"
          action={`${base}/${ticketId}/attachments${allowInternal ? '?visibility=public' : ''}`}
          withCredentials
          headers={{ 'x-csrf-token': getCsrfToken() ?? '' }}
          showUploadList={false}
          onChange={(info) => {
            if (info.file.status === 'done') {
              setError(null);
              onUploaded();
            } else if (info.file.status === 'error') {
              const body = info.file.response as { message?: string } | undefined;
              setError(body?.message ?? t('tickets.attachments.failed'));
            }
          }}
        >
          <Button icon={<UploadOutlined />} data-testid="attachment-upload">
            {t('tickets.attachments.upload')}
          </Button>
        </Upload>
        {error && (
          <Typography.Text
            type="danger"
            data-testid="attachment-error"
            style={{ display: 'block' }}
          >
            {error}
          </Typography.Text>
        )}
      </div>
    </Card>
  );
}
