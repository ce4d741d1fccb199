import type { Kysely } from 'kysely';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor as AuditActor, SYSTEM_ACTOR, recordAudit } from '../audit/audit.service.js';
import type { InboxService } from '../inbox/inbox.service.js';
import {
  type BusinessCalendar,
  TWENTY_FOUR_SEVEN,
  defineCalendar,
  parseHolidayList,
  withHolidayList,
} from './business-calendar.js';
import { chooseAssignee } from './dispatch.js';
import {
  DEFAULT_PRIORITY_MATRIX,
  type Priority,
  type PriorityMatrix,
  validatePriorityMatrix,
} from './priority.js';
import {
  type SlaEvent,
  type SlaPolicy,
  type SlaReport,
  computeSla,
  selectPolicy,
} from './sla-clock.js';
import {
  type ActionResult,
  type Actor,
  type ActorRole,
  type Level,
  type TicketAction,
  type TicketPermission,
  type TicketStatus,
  LEVELS,
  TRANSITIONS,
  can,
  escalate as escalateTicket,
} from './ticket-state.js';
import * as collab from './ticket-collab.store.js';
import { snapshot } from './ticket-presenter.js';
import { parseTicketInput } from './tickets.schema.js';
import * as store from './tickets.store.js';

/**
 * What every ticket use case shares: the module's dependencies, its configuration readers and the
 * internals of a change (timeline event, state result, SLA refresh and timer, dispatch,
 * escalation). The use-case files (`ticket-*.service.ts`) are built on one context.
 */

export interface OnDutyProvider {
  onDutyForPost(postKey: string, at: number): Promise<string[]>;
}

/** What the ticket module needs to know about teams and users (from the users service). */
export interface Directory {
  /** The team's IANA zone, or null when there is no such team. */
  teamZone(teamId: string): Promise<string | null>;
  teamMemberIds(teamId: string): Promise<string[]>;
  /** The teams a user belongs to (the "my group" view); absent means none known. */
  teamIdsOf?(userId: string): Promise<string[]>;
  /** The ids among `ids` that belong to enabled users. */
  existingUserIds(ids: readonly string[]): Promise<string[]>;
  /** Enabled users holding a role (SLA breaches without a group go to the duty managers). */
  userIdsWithRole(role: string): Promise<string[]>;
  /** The ids among `ids` of enabled staff (any role but requester only): who may watch. */
  staffUserIds?(ids: readonly string[]): Promise<string[]>;
}

/**
 * The alerts module's paging, as the SLA notices use it (main.ts wires `alerts.raise`): an alert
 * on the service set in `slaAlertServiceId` whose page first notifies `userIds`, then follows the
 * service's policy; one alert per `dedupKey` while it is open.
 */
export interface SlaPager {
  page(input: {
    serviceId: string;
    dedupKey: string;
    summary: string;
    severity: 'warning' | 'critical';
    details: Record<string, unknown>;
    link: string;
    userIds: readonly string[];
  }): Promise<void>;
  serviceExists(serviceId: string): Promise<boolean>;
}

export interface TicketsDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  inbox: Pick<InboxService, 'notify'>;
  onDuty: OnDutyProvider;
  directory: Directory;
  /** SLA warnings and breaches page through alerts when set and `slaAlertServiceId` is set. */
  pager?: SlaPager;
  publish?: (id: string, trx: Kysely<DB>) => Promise<void>;
  /** Told of every new timeline event, inside its transaction (ticket mail is enqueued here). */
  onEvent?: (trx: Kysely<DB>, event: TimelineEvent) => Promise<void>;
  /** The alerts module's pages, read through its service (absent: alert links are refused). */
  alertPages?: AlertPages;
}

/** What tickets need to know of an alert page: the alerts service answers (never its tables). */
export interface AlertPageSummary {
  id: string;
  summary: string;
  severity: string;
  status: string;
  openedAt: number;
  resolvedAt: number | null;
}
export interface AlertPages {
  /** The page, or null when there is no such page. */
  page(id: string): Promise<AlertPageSummary | null>;
}

/** Events that tell a ticket's watchers (public replies and state changes). */
const WATCHED_KINDS: Record<string, string> = {
  reply: 'tickets.notify.watchedReply',
  status_changed: 'tickets.notify.watchedStatus',
  escalated: 'tickets.notify.watchedStatus',
};

export interface TimelineEvent {
  id: string;
  ticketId: string;
  kind: string;
  visibility: string;
  data: Record<string, unknown>;
}

/**
 * A ticket or a customer reply that arrived by email: no one is signed in, the mail job acts for
 * the sender (a requester's account when the address is one, else a caller known by address).
 */
export interface MailIntake {
  /** The sender's requester account, or null. */
  actorId: string | null;
  /** Kept on the created / reply event (Message-ID, sanitised HTML, attachments). */
  data: Record<string, unknown>;
  /** Runs in the transaction once the ticket or reply is written (threading, attachments). */
  inTransaction: (trx: Kysely<DB>, row: store.TicketRow, eventId: string) => Promise<void>;
}

/** The signed-in person as the ticket rules see them. */
export interface Caller {
  userId: string;
  roles: readonly string[];
  audit: AuditActor;
}

export const SLA_JOB = 'tickets.sla';
/**
 * The `policyId` of a `tickets.sla_recompute` run over the tickets under the built-in policies
 * (the setting `slaWarnPercent`, their warning point, changed).
 */
export const BUILTIN_RECOMPUTE = 'builtin';
export const SLA_PAGE_JOB = 'tickets.sla_page';
export const SLA_RECOMPUTE_JOB = 'tickets.sla_recompute';
export const DEFAULT_WARN_PERCENT = 80;
export const AUTO_CLOSE_JOB = 'tickets.auto_close';
export const DEFAULT_ZONE = 'Asia/Shanghai';
export const DEFAULT_QUIET_DAYS = 7;
export const DAY = 86_400_000;

/** Used when no stored policy matches: targets in business minutes, by priority. */
export const BUILTIN_POLICIES: readonly SlaPolicy[] = (
  [
    ['P1', 15, 60, 240],
    ['P2', 30, 120, 480],
    ['P3', 60, 240, 1440],
    ['P4', 240, 480, 4320],
  ] as const
).map(([priority, firstResponse, nextUpdate, resolution]) => ({
  id: `builtin-${priority}`,
  match: { priority },
  targets: { firstResponse, nextUpdate, resolution },
  warnAtPercent: DEFAULT_WARN_PERCENT,
}));

/** Role preference when a person holds several: the first that may do the thing acts. */
export const ROLE_ORDER: readonly ActorRole[] = [
  'admin',
  'duty_manager',
  'service_agent',
  'technician',
  'expert',
  'requester',
  'supervisor',
  'leadership',
  'duty_admin',
  'security_guard',
];

export function actorFor(
  caller: Pick<Caller, 'userId' | 'roles'>,
  what: TicketPermission | TicketAction,
  requesterId: string | null,
): Actor {
  const roles = ROLE_ORDER.filter((r) => caller.roles.includes(r));
  for (const role of roles) {
    const actor = { role, userId: caller.userId };
    if (can(actor, what, requesterId)) return actor;
  }
  return { role: roles[0] ?? 'requester', userId: caller.userId };
}

export const isStaff = (c: Pick<Caller, 'roles'>) => c.roles.some((r) => r !== 'requester');

/** A team's business calendar: `calendar:<teamId>` → { calendar, holidays?: 'cn-2026' }. */
const calendarSettingSchema = z.strictObject({
  calendar: z.unknown(),
  holidays: z.enum(['cn-2026']).optional(),
});

let cn2026: ReturnType<typeof parseHolidayList> | undefined;
function cnHolidays2026() {
  cn2026 ??= parseHolidayList(
    JSON.parse(readFileSync(new URL('./calendars/cn-2026.json', import.meta.url), 'utf8')),
  );
  return cn2026;
}

export function calendarFromSetting(value: unknown): BusinessCalendar {
  const s = parseTicketInput(calendarSettingSchema, value);
  const cal = defineCalendar(s.calendar);
  return s.holidays === 'cn-2026' ? withHolidayList(cal, cnHolidays2026()) : cal;
}

export interface EventData {
  receivers?: string[];
  signal?: string;
  from?: string;
  to?: string;
  action?: string;
  assigneeId?: string | null;
  fromLevel?: string;
  toLevel?: string;
  reason?: string;
  author?: 'agent' | 'customer';
  target?: string;
  dueAt?: number | null;
  groupId?: string | null;
  score?: number;
  attachments?: { id: string; fileName: string; contentType: string; sizeBytes: number }[];
  pageId?: string;
  /** SLA recompute after a policy change: the policy, the summary before and after. */
  policyId?: string;
  name?: string;
  fromPolicyId?: string | null;
  toPolicyId?: string | null;
  fromDueAt?: number | null;
  /** The other ticket of a merge, and its number. */
  ticketId?: string;
  number?: string;
}

export interface EscalationPlan {
  target: string | null;
  receivers: string[];
  onDuty: string[];
}

export function createTicketContext(deps: TicketsDeps) {
  const { db, dialect, clock } = deps;

  // ---- configuration ----

  async function matrix(q: Kysely<DB> = db): Promise<PriorityMatrix> {
    const v = await store.getSetting(q, 'priorityMatrix');
    return v === undefined ? DEFAULT_PRIORITY_MATRIX : validatePriorityMatrix(v);
  }

  async function zoneOf(groupId: string | null, q: Kysely<DB> = db): Promise<string> {
    if (groupId) {
      const z = await deps.directory.teamZone(groupId);
      if (z) return z;
    }
    return ((await store.getSetting(q, 'zone')) as string | undefined) ?? DEFAULT_ZONE;
  }

  async function calendarOf(groupId: string | null, q: Kysely<DB> = db): Promise<BusinessCalendar> {
    if (!groupId) return TWENTY_FOUR_SEVEN;
    const v = await store.getSetting(q, `calendar:${groupId}`);
    return v === undefined ? TWENTY_FOUR_SEVEN : calendarFromSetting(v);
  }

  async function policies(q: Kysely<DB>): Promise<SlaPolicy[]> {
    const rows = await store.listPolicies(q);
    return rows.map((r) => ({
      id: r.id,
      match: JSON.parse(r.match_json) as SlaPolicy['match'],
      targets: JSON.parse(r.targets_json) as SlaPolicy['targets'],
      warnAtPercent: r.warn_at_percent,
      escalateOnBreach: r.escalate_on_breach !== 0,
      calendarTeamId: r.calendar_team_id,
      ...(r.pause_statuses_json
        ? { pauseStatuses: JSON.parse(r.pause_statuses_json) as TicketStatus[] }
        : {}),
    }));
  }

  // ---- internals shared by every change ----

  async function event(
    trx: Kysely<DB>,
    ticketId: string,
    e: {
      kind: string;
      at: number;
      actorId: string | null;
      actorRole: string | null;
      visibility?: 'public' | 'internal';
      body?: string | null;
      data?: EventData;
      dedupeKey?: string;
    },
  ): Promise<string | null> {
    const id = newId();
    const inserted = await store.insertEvent(trx, {
      id,
      ticket_id: ticketId,
      at: e.at,
      kind: e.kind,
      actor_id: e.actorId,
      actor_role: e.actorRole,
      visibility: e.visibility ?? 'public',
      body: e.body ?? null,
      data_json: JSON.stringify(e.data ?? {}),
      dedupe_key: e.dedupeKey ?? null,
    });
    if (inserted) {
      await deps.onEvent?.(trx, {
        id,
        ticketId,
        kind: e.kind,
        visibility: e.visibility ?? 'public',
        data: { ...e.data },
      });
      await tellWatchers(trx, ticketId, e.kind, e.visibility ?? 'public', e.actorId);
    }
    return inserted ? id : null;
  }

  /** Watchers hear of public replies and state changes, except the one who made them. */
  async function tellWatchers(
    trx: Kysely<DB>,
    ticketId: string,
    kind: string,
    visibility: string,
    actorId: string | null,
  ) {
    const messageKey = WATCHED_KINDS[kind];
    if (!messageKey || (kind === 'reply' && visibility !== 'public')) return;
    // Each watcher chose whether the notice also comes by mail (`notify_mail`, default on).
    const { mail, inboxOnly } = await collab.watchersByMail(trx, ticketId);
    const byMail = mail.filter((u) => u !== actorId);
    const inboxIds = inboxOnly.filter((u) => u !== actorId);
    if (!byMail.length && !inboxIds.length) return;
    const row = await store.findTicket(trx, ticketId);
    if (!row) return;
    for (const [userIds, email] of [
      [byMail, true],
      [inboxIds, false],
    ] as const)
      if (userIds.length)
        await deps.inbox.notify(trx, {
          userIds,
          kind: kind === 'reply' ? 'tickets.watched_reply' : 'tickets.watched_status',
          messageKey,
          params: { number: row.number, title: row.title },
          link: `/tickets/${ticketId}`,
          email,
        });
  }

  /**
   * Uploads named in `attachmentIds`, checked inside the transaction that attaches them: each must
   * exist, belong to the caller and not be attached yet. Refusals name `attachmentIds.<i>`.
   */
  async function claimUploads(
    trx: Kysely<DB>,
    userId: string,
    ids: readonly string[] | undefined,
  ): Promise<collab.UploadRow[]> {
    if (!ids?.length) return [];
    const rows = await collab.findUploads(trx, ids);
    const attached = new Set(await collab.attachedIds(trx, ids));
    const out: collab.UploadRow[] = [];
    for (const [i, id] of ids.entries()) {
      const field = `attachmentIds.${i}`;
      if (ids.indexOf(id) !== i) throw invalid(field, 'tickets.errors.uploadDuplicate', { id });
      if (attached.has(id)) throw invalid(field, 'tickets.errors.uploadAttached', { id });
      const row = rows.find((r) => r.id === id);
      if (!row || row.uploaded_by !== userId)
        throw invalid(field, 'tickets.errors.uploadUnknown', { id });
      out.push(row);
    }
    return out;
  }

  /** The event data listing claimed uploads (as the attachment upload event lists its file). */
  const uploadsData = (rows: readonly collab.UploadRow[]) =>
    rows.length
      ? {
          attachments: rows.map((r) => ({
            id: r.id,
            fileName: r.file_name,
            contentType: r.content_type,
            sizeBytes: Number(r.size_bytes),
          })),
        }
      : {};

  /** Records claimed uploads as the event's attachments (same ids) and forgets the uploads. */
  async function attachUploads(
    trx: Kysely<DB>,
    ticketId: string,
    eventId: string,
    rows: readonly collab.UploadRow[],
    visibility: 'public' | 'internal',
  ) {
    if (!rows.length) return;
    await trx
      .insertInto('ticket_attachment')
      .values(
        rows.map((r) => ({
          id: r.id,
          ticket_id: ticketId,
          event_id: eventId,
          file_name: r.file_name,
          content_type: r.content_type,
          size_bytes: r.size_bytes,
          sha256: r.sha256,
          storage_key: r.storage_key,
          content_id: null,
          visibility,
          source: 'web',
          uploaded_by: r.uploaded_by,
          created_at: r.created_at,
        })),
      )
      .execute();
    // Two requests racing for one upload: only the one that deletes it may keep it.
    if (
      (await collab.deleteUploads(
        trx,
        rows.map((r) => r.id),
      )) !== rows.length
    )
      throw invalid('attachmentIds', 'tickets.errors.uploadAttached', { id: rows[0]!.id });
  }

  async function recordResult(
    trx: Kysely<DB>,
    row: store.TicketRow,
    result: ActionResult,
    extra: Partial<store.TicketRow> = {},
  ): Promise<store.TicketRow> {
    const now = result.event.at;
    const e = result.event;
    if (e.kind === 'status_changed') {
      await event(trx, row.id, {
        kind: 'status_changed',
        at: now,
        actorId: e.actorId,
        actorRole: e.actorRole,
        body: e.note ?? null,
        data: {
          action: e.action,
          from: e.from,
          to: e.to,
          ...(e.assigneeId !== undefined ? { assigneeId: e.assigneeId } : {}),
        },
      });
    } else {
      await event(trx, row.id, {
        kind: 'escalated',
        at: now,
        actorId: e.actorId,
        actorRole: e.actorRole,
        visibility: 'internal',
        body: e.reason,
        data: {
          fromLevel: e.fromLevel,
          toLevel: e.toLevel,
          reason: e.reason,
          to: 'new',
          groupId: extra.group_id ?? row.group_id,
        },
      });
    }
    const to = result.ticket.status;
    const patch: Partial<store.TicketRow> = {
      status: to,
      level: result.ticket.level,
      assignee_id: result.ticket.assigneeId,
      updated_at: now,
      ...(to === 'resolved' ? { resolved_at: now } : {}),
      ...(to === 'closed' ? { closed_at: now } : {}),
      ...(to === 'reopened' ? { resolved_at: null, closed_at: null } : {}),
      ...extra,
    };
    await store.updateTicket(trx, row.id, patch);
    return { ...row, ...patch };
  }

  /** Recomputes the SLA, stores the summary columns and schedules the one timer. */
  async function refreshSla(trx: Kysely<DB>, row: store.TicketRow): Promise<SlaReport | null> {
    const now = clock.now();
    const report = await slaReport(trx, row, now);
    let dueAt: number | null = null;
    let breached = false;
    for (const t of report?.report.targets ?? []) {
      if (t.state === 'breached') breached = true;
      if (t.state === 'running' && t.dueAt !== null && (dueAt === null || t.dueAt < dueAt))
        dueAt = t.dueAt;
    }
    const next = report?.report.nextEventAt ?? null;
    await store.updateTicket(trx, row.id, {
      sla_policy_id: report?.policyId ?? null,
      sla_next_at: next,
      sla_due_at: dueAt,
      sla_breached: breached ? 1 : 0,
    });
    if (next !== null)
      await enqueueJob(trx, dialect, clock, {
        kind: SLA_JOB,
        payload: { ticketId: row.id },
        runAt: next,
        idempotencyKey: `${SLA_JOB}:${row.id}:${next}`,
      });
    return report?.report ?? null;
  }

  async function slaReport(
    q: Kysely<DB>,
    row: store.TicketRow,
    now: number,
  ): Promise<{ policyId: string; policy: SlaPolicy; report: SlaReport } | null> {
    const warn = (await store.getSetting(q, 'slaWarnPercent')) as number | undefined;
    const builtins =
      warn === undefined
        ? BUILTIN_POLICIES
        : BUILTIN_POLICIES.map((p) => ({ ...p, warnAtPercent: warn }));
    const policy =
      selectPolicy(await policies(q), {
        type: row.type as SlaPolicy['match']['type'] & string,
        priority: row.priority as Priority,
        customerId: row.requester_id,
      }) ?? selectPolicy(builtins, { type: 'fault', priority: row.priority as Priority });
    if (!policy) return null;
    const events = await store.listEvents(q, row.id, { publicOnly: false });
    const sla: SlaEvent[] = [];
    for (const e of events) {
      const d = JSON.parse(e.data_json) as EventData;
      if (e.kind === 'created') sla.push({ kind: 'created', at: e.at });
      else if (e.kind === 'reply' && e.visibility === 'public')
        sla.push({ kind: d.author === 'customer' ? 'customer_reply' : 'agent_reply', at: e.at });
      else if ((e.kind === 'status_changed' || e.kind === 'escalated') && d.to)
        sla.push({ kind: 'status', at: e.at, to: d.to as TicketStatus });
    }
    return {
      policyId: policy.id,
      policy,
      report: computeSla(
        policy,
        await calendarOf(policy.calendarTeamId ?? row.group_id, q),
        sla,
        now,
      ),
    };
  }

  /**
   * Who is on duty for a group, asked before the transaction: the answer comes from other modules
   * over the pool, and SQLite's one connection is held by the transaction.
   */
  async function onDutyFor(groupId: string | null): Promise<string[]> {
    return groupId ? deps.onDuty.onDutyForPost(groupId, clock.now()) : [];
  }

  /** Picks someone on duty in the group and assigns the ticket; leaves it queued when nobody is. */
  async function dispatch(
    trx: Kysely<DB>,
    row: store.TicketRow,
    onDuty: readonly string[],
  ): Promise<store.TicketRow> {
    if (!row.group_id || !TRANSITIONS.assign.from.includes(row.status as TicketStatus)) return row;
    const now = clock.now();
    const load = await store.loadOf(trx, onDuty);
    const chosen = chooseAssignee(
      onDuty.map((userId) => ({
        userId,
        openCount: load.get(userId)?.open ?? 0,
        lastAssignedAt: load.get(userId)?.last ?? null,
      })),
      (await store.getSetting(trx, 'dispatchStrategy')) === 'round_robin'
        ? {
            kind: 'round_robin',
            lastAssignedId:
              ((await store.getSetting(trx, `lastAssigned:${row.group_id}`)) as
                string | undefined) ?? null,
          }
        : { kind: 'least_loaded' },
    );
    if (!chosen) return row;
    await store.putSetting(trx, `lastAssigned:${row.group_id}`, chosen, now);
    // Dispatch is the scheduler's decision, not a person's: it is recorded as `system`, which
    // the role table does not let assign by hand, so the transition is built here directly.
    const result: ActionResult = {
      ticket: { ...snapshot(row), status: TRANSITIONS.assign.to, assigneeId: chosen },
      event: {
        kind: 'status_changed',
        at: now,
        actorId: null,
        actorRole: 'system',
        action: 'assign',
        from: row.status as TicketStatus,
        to: TRANSITIONS.assign.to,
        assigneeId: chosen,
      },
    };
    const next = await recordResult(trx, row, result);
    await recordAudit(trx, SYSTEM_ACTOR, now, {
      action: 'ticket.dispatch',
      entityType: 'ticket',
      entityId: row.id,
      before: { status: row.status, assigneeId: row.assignee_id },
      after: { status: next.status, assigneeId: chosen, groupId: row.group_id },
    });
    await deps.inbox.notify(trx, {
      userIds: [chosen],
      kind: 'tickets.assigned',
      messageKey: 'tickets.notify.assigned',
      params: { number: row.number, title: row.title },
      link: `/tickets/${row.id}`,
      email: true,
    });
    return next;
  }

  async function load(q: Kysely<DB>, id: string): Promise<store.TicketRow> {
    const row = await store.findTicket(q, id);
    if (!row) throw notFound('ticket', id);
    return row;
  }

  /** Loads a ticket the caller may see: a requester sees only their own (others do not exist). */
  async function loadVisible(q: Kysely<DB>, caller: Caller, id: string) {
    const row = await load(q, id);
    if (!isStaff(caller) && row.requester_id !== caller.userId) throw notFound('ticket', id);
    return row;
  }

  /** Refuses watchers who are not enabled staff, naming `<field>.<i>` (or `field` for one). */
  async function requireStaff(ids: readonly string[], field: string, indexed = true) {
    if (!ids.length) return;
    const ok = new Set(
      await (deps.directory.staffUserIds
        ? deps.directory.staffUserIds(ids)
        : deps.directory.existingUserIds(ids)),
    );
    for (const [i, id] of ids.entries())
      if (!ok.has(id))
        throw invalid(indexed ? `${field}.${i}` : field, 'tickets.errors.watcherNotStaff', { id });
  }

  async function afterChange(trx: Kysely<DB>, row: store.TicketRow) {
    await refreshSla(trx, row);
    await deps.publish?.(row.id, trx);
  }

  /** Where an escalation of `row` goes and who hears of it, read before the transaction. */
  async function planEscalation(
    row: store.TicketRow,
    groupId: string | undefined,
  ): Promise<EscalationPlan> {
    const levelGroups = ((await store.getSetting(db, 'levelGroups')) ?? {}) as Partial<
      Record<Level, string>
    >;
    const nextLevel = LEVELS[LEVELS.indexOf(row.level as Level) + 1];
    const target = groupId ?? (nextLevel ? levelGroups[nextLevel] : undefined) ?? row.group_id;
    return {
      target,
      receivers: target
        ? await deps.directory.teamMemberIds(target)
        : await deps.directory.userIdsWithRole('duty_manager'),
      onDuty: await onDutyFor(target),
    };
  }

  /** Moves the ticket up a line inside `trx`; notifies the receiving group and dispatches there. */
  async function escalateIn(
    trx: Kysely<DB>,
    row: store.TicketRow,
    actor: Actor,
    audit: AuditActor,
    reason: string,
    plan: EscalationPlan,
  ): Promise<store.TicketRow> {
    const result = escalateTicket(snapshot(row), actor, { at: clock.now(), reason });
    const { target, receivers } = plan;
    let next = await recordResult(trx, row, result, { group_id: target });
    await recordAudit(trx, audit, result.event.at, {
      action: 'ticket.escalate',
      entityType: 'ticket',
      entityId: row.id,
      before: { level: row.level, groupId: row.group_id, assigneeId: row.assignee_id },
      after: { level: next.level, groupId: next.group_id, reason },
    });
    if (receivers.length)
      await deps.inbox.notify(trx, {
        userIds: receivers,
        kind: 'tickets.escalated',
        messageKey: 'tickets.notify.escalated',
        params: { number: row.number, title: row.title, level: next.level, reason },
        link: `/tickets/${row.id}`,
        email: true,
      });
    next = await dispatch(trx, next, plan.onDuty);
    return next;
  }

  return {
    deps,
    db,
    dialect,
    clock,
    matrix,
    zoneOf,
    calendarOf,
    policies,
    event,
    claimUploads,
    uploadsData,
    attachUploads,
    recordResult,
    refreshSla,
    slaReport,
    onDutyFor,
    dispatch,
    load,
    loadVisible,
    afterChange,
    requireStaff,
    planEscalation,
    escalateIn,
  };
}

export type TicketContext = ReturnType<typeof createTicketContext>;
