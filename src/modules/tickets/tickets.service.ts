import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type JobHandler, enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError, forbidden, invalid, notFound } from '../../lib/errors.js';
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
import { formatTicketNumber } from './email-threading.js';
import { toCsv } from './export-safe.js';
import { assertSurveyAllowed } from './follow-up.js';
import {
  DEFAULT_PRIORITY_MATRIX,
  type Priority,
  type PriorityMatrix,
  priorityFor,
  validatePriorityMatrix,
} from './priority.js';
import { planSearch } from './short-query.js';
import {
  type SlaEvent,
  type SlaPolicy,
  type SlaReport,
  SLA_TARGETS,
  computeSla,
  dueSignals,
  selectPolicy,
} from './sla-clock.js';
import {
  type ActionResult,
  type Actor,
  type ActorRole,
  type Level,
  type TicketAction,
  type TicketPermission,
  type TicketSnapshot,
  type TicketStatus,
  LEVELS,
  TICKET_STATUSES,
  TRANSITIONS,
  applyAction,
  can,
  escalate as escalateTicket,
  isDueToClose,
} from './ticket-state.js';
import {
  type SurveyInput,
  escalateSchema,
  parseTicketInput,
  phoneTicketCreateSchema,
  portalTicketCreateSchema,
  replySchema,
  requireCategory,
  stateChangeSchema,
  surveySchema,
} from './tickets.schema.js';
import * as store from './tickets.store.js';

/**
 * "Who is on duty on post P at time T". The roster module will answer it; until it is merged,
 * main.ts injects a default that treats the post key as a team id and returns that team's
 * members (everyone in the group is "on duty").
 */
export interface OnDutyProvider {
  onDutyForPost(postKey: string, at: number): Promise<string[]>;
}

/** What the ticket module needs to know about teams and users (from the users service). */
export interface Directory {
  /** The team's IANA zone, or null when there is no such team. */
  teamZone(teamId: string): Promise<string | null>;
  teamMemberIds(teamId: string): Promise<string[]>;
  /** The ids among `ids` that belong to enabled users. */
  existingUserIds(ids: readonly string[]): Promise<string[]>;
  /** Enabled users holding a role (SLA breaches without a group go to the duty managers). */
  userIdsWithRole(role: string): Promise<string[]>;
}

export interface TicketsDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  inbox: Pick<InboxService, 'notify'>;
  onDuty: OnDutyProvider;
  directory: Directory;
  publish?: (id: string, trx: Kysely<DB>) => Promise<void>;
  /** Told of every new timeline event, inside its transaction (ticket mail is enqueued here). */
  onEvent?: (trx: Kysely<DB>, event: TimelineEvent) => Promise<void>;
}

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
export const AUTO_CLOSE_JOB = 'tickets.auto_close';
const DEFAULT_ZONE = 'Asia/Shanghai';
const DEFAULT_QUIET_DAYS = 7;
const DAY = 86_400_000;

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
  warnAtPercent: 80,
}));

/** Role preference when a person holds several: the first that may do the thing acts. */
const ROLE_ORDER: readonly ActorRole[] = [
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

const isStaff = (c: Pick<Caller, 'roles'>) => c.roles.some((r) => r !== 'requester');

const apiTicketCreateSchema = phoneTicketCreateSchema.extend({
  channel: z.literal('api'),
  callerName: phoneTicketCreateSchema.shape.callerName.optional(),
  callerContact: phoneTicketCreateSchema.shape.callerContact.optional(),
  requesterId: z.string().trim().min(1).max(64).optional(),
  dispatch: z.enum(['auto', 'queue']).optional(),
});
const phoneCreateSchema = phoneTicketCreateSchema.extend({
  dispatch: z.enum(['auto', 'queue']).optional(),
});
export const escalateInputSchema = escalateSchema.extend({
  groupId: z.string().trim().min(1).max(64).optional(),
});

const categoryCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  parentId: z.string().trim().min(1).max(64).nullable().optional(),
});
const categoryUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  active: z.boolean().optional(),
});
export const slaPolicyInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  match: z.strictObject({
    type: z.enum(['fault', 'request', 'consultation', 'complaint']).optional(),
    priority: z.enum(['P1', 'P2', 'P3', 'P4']).optional(),
    customerId: z.string().min(1).max(64).optional(),
  }),
  targets: z.strictObject({
    firstResponse: z.number().int().min(1).max(525_600).optional(),
    nextUpdate: z.number().int().min(1).max(525_600).optional(),
    resolution: z.number().int().min(1).max(525_600).optional(),
  }),
  warnAtPercent: z.number().int().min(1).max(99).default(80),
  pauseStatuses: z.array(z.enum(TICKET_STATUSES)).max(8).optional(),
});

/** Settings an admin may store; the value is validated by its key's parser. */
const SETTINGS: Record<string, (v: unknown) => unknown> = {
  priorityMatrix: validatePriorityMatrix,
  dispatchStrategy: (v) => parseTicketInput(z.enum(['least_loaded', 'round_robin']), v),
  autoCloseDays: (v) => parseTicketInput(z.number().int().min(1).max(365), v),
  zone: (v) => {
    const zone = parseTicketInput(z.string().min(1).max(64), v);
    if (!DateTime.local().setZone(zone).isValid) throw invalid('value', 'validation.invalid');
    return zone;
  },
  /** Which team takes a ticket escalated to a line: { line2: teamId, expert: teamId }. */
  levelGroups: (v) =>
    parseTicketInput(
      z.strictObject({
        line1: z.string().min(1).optional(),
        line2: z.string().min(1).optional(),
        expert: z.string().min(1).optional(),
      }),
      v,
    ),
};
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

function calendarFromSetting(value: unknown): BusinessCalendar {
  const s = parseTicketInput(calendarSettingSchema, value);
  const cal = defineCalendar(s.calendar);
  return s.holidays === 'cn-2026' ? withHolidayList(cal, cnHolidays2026()) : cal;
}

interface EventData {
  from?: string;
  to?: string;
  action?: string;
  assigneeId?: string | null;
  fromLevel?: string;
  toLevel?: string;
  reason?: string;
  author?: 'agent' | 'customer';
  target?: string;
  dueAt?: number;
  groupId?: string | null;
  score?: number;
}

export interface TicketView {
  id: string;
  number: string;
  type: string;
  channel: string;
  categoryId: string;
  title: string;
  description: string;
  impact: string;
  urgency: string;
  priority: string;
  status: string;
  level: string;
  requesterId: string | null;
  callerName: string | null;
  callerContact: string | null;
  organisation: string | null;
  assigneeId: string | null;
  groupId: string | null;
  tags: string[];
  slaDueAt: number | null;
  slaBreached: boolean;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  survey: { score: number; comment: string | null; at: number } | null;
}

export interface EventView {
  id: string;
  at: number;
  kind: string;
  actorId: string | null;
  actorRole: string | null;
  visibility: string;
  body: string | null;
  data: Record<string, unknown>;
}

/** Roles that handle customers and so see their full contact; readers see it masked. */
const CONTACT_ROLES: readonly string[] = [
  'admin',
  'duty_manager',
  'technician',
  'service_agent',
  'expert',
];

/** 138-0013-8000 → 138*****8000; short values are hidden entirely. */
export function maskContact(contact: string): string {
  const chars = Array.from(contact);
  if (chars.length <= 7) return '***';
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

function present(r: store.TicketRow, caller?: Pick<Caller, 'roles'>): TicketView {
  const full = !caller || caller.roles.some((x) => CONTACT_ROLES.includes(x));
  return {
    id: r.id,
    number: r.number,
    type: r.type,
    channel: r.channel,
    categoryId: r.category_id,
    title: r.title,
    description: r.description,
    impact: r.impact,
    urgency: r.urgency,
    priority: r.priority,
    status: r.status,
    level: r.level,
    requesterId: r.requester_id,
    callerName: r.caller_name,
    callerContact: r.caller_contact && !full ? maskContact(r.caller_contact) : r.caller_contact,
    organisation: r.organisation,
    assigneeId: r.assignee_id,
    groupId: r.group_id,
    tags: JSON.parse(r.tags_json) as string[],
    slaDueAt: r.sla_due_at,
    slaBreached: r.sla_breached === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    survey:
      r.survey_score !== null && r.surveyed_at !== null
        ? { score: r.survey_score, comment: r.survey_comment, at: r.surveyed_at }
        : null,
  };
}

function presentEvent(e: store.TicketEventRow): EventView {
  return {
    id: e.id,
    at: e.at,
    kind: e.kind,
    actorId: e.actor_id,
    actorRole: e.actor_role,
    visibility: e.visibility,
    body: e.body,
    data: JSON.parse(e.data_json) as Record<string, unknown>,
  };
}

function snapshot(r: store.TicketRow): TicketSnapshot {
  return {
    status: r.status as TicketStatus,
    level: r.level as Level,
    requesterId: r.requester_id,
    assigneeId: r.assignee_id,
  };
}

/** The contact as typed digits/letters only, for "as they type" prefix lookups. */
export function callerKey(contact: string): string {
  return contact
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-()+.]/g, '');
}

export interface ListQuery {
  status?: string[];
  assignee?: string;
  unassigned?: boolean;
  group?: string;
  breachingWithinMinutes?: number;
  type?: string;
  priority?: string;
  q?: string;
  cursor?: string;
  limit: number;
}

export function createTicketsService(deps: TicketsDeps) {
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
    if (inserted)
      await deps.onEvent?.(trx, {
        id,
        ticketId,
        kind: e.kind,
        visibility: e.visibility ?? 'public',
        data: { ...e.data },
      });
    return inserted ? id : null;
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
  ): Promise<{ policyId: string; report: SlaReport } | null> {
    const policy =
      selectPolicy(await policies(q), {
        type: row.type as SlaPolicy['match']['type'] & string,
        priority: row.priority as Priority,
        customerId: row.requester_id,
      }) ?? selectPolicy(BUILTIN_POLICIES, { type: 'fault', priority: row.priority as Priority });
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
      report: computeSla(policy, await calendarOf(row.group_id, q), sla, now),
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

  async function afterChange(trx: Kysely<DB>, row: store.TicketRow) {
    await refreshSla(trx, row);
    await deps.publish?.(row.id, trx);
  }

  // ---- use cases ----

  async function createTicket(
    caller: Caller,
    input: unknown,
    mail?: MailIntake,
  ): Promise<TicketView> {
    const channel = (input as { channel?: unknown } | null)?.channel;
    const now = clock.now();
    const m = await matrix();
    let fields: {
      type: string;
      categoryId: string;
      title: string;
      description: string;
      impact: string;
      urgency: string;
      tags: string[];
      groupId: string | null;
      requesterId: string | null;
      callerName: string | null;
      callerContact: string | null;
      organisation: string | null;
      dispatch: 'auto' | 'queue';
    };
    if (!isStaff(caller)) {
      const p = parseTicketInput(portalTicketCreateSchema, input);
      const mid = (l: readonly string[]) => l[Math.floor(l.length / 2)]!;
      fields = {
        ...p,
        impact: p.impact ?? mid(m.impacts),
        urgency: p.urgency ?? mid(m.urgencies),
        tags: p.tags ?? [],
        groupId: ((await store.getSetting(db, 'portalGroupId')) as string | undefined) ?? null,
        requesterId: caller.userId,
        callerName: null,
        callerContact: null,
        organisation: null,
        dispatch: 'auto',
      };
    } else if (channel === 'api') {
      const p = parseTicketInput(apiTicketCreateSchema, input);
      fields = {
        ...p,
        tags: p.tags ?? [],
        groupId: p.groupId ?? null,
        requesterId: p.requesterId ?? null,
        callerName: p.callerName ?? null,
        callerContact: p.callerContact ?? null,
        organisation: p.organisation ?? null,
        dispatch: p.dispatch ?? 'auto',
      };
    } else {
      const p = parseTicketInput(phoneCreateSchema, input);
      fields = {
        ...p,
        tags: p.tags ?? [],
        groupId: p.groupId ?? null,
        requesterId: null,
        callerName: p.callerName,
        callerContact: p.callerContact,
        organisation: p.organisation ?? null,
        dispatch: p.dispatch ?? 'auto',
      };
    }
    const actor = actorFor(caller, 'create', fields.requesterId);
    if (!can(actor, 'create', fields.requesterId)) throw forbidden();
    requireCategory(
      fields.categoryId,
      (await store.listCategories(db)).map((c) => ({
        id: c.id,
        parentId: c.parent_id,
        active: c.active === 1,
      })),
    );
    const priority = priorityFor(m, fields.impact, fields.urgency);
    if (fields.groupId && (await deps.directory.teamZone(fields.groupId)) === null)
      throw invalid('groupId', 'tickets.errors.unknownGroup', { id: fields.groupId });
    if (
      fields.requesterId &&
      (await deps.directory.existingUserIds([fields.requesterId])).length === 0
    )
      throw invalid('requesterId', 'tickets.errors.unknownUser', { id: fields.requesterId });
    const zone = await zoneOf(fields.groupId);
    const day = DateTime.fromMillis(now, { zone }).toISODate()!;
    const onDuty = fields.dispatch === 'auto' ? await onDutyFor(fields.groupId) : [];

    const row = await db.transaction().execute(async (trx) => {
      const number = formatTicketNumber(day, await store.nextSequence(trx, day));
      let row: store.TicketRow = {
        id: newId(),
        number,
        type: fields.type,
        channel: mail
          ? 'email'
          : isStaff(caller)
            ? channel === 'api'
              ? 'api'
              : 'phone'
            : 'portal',
        category_id: fields.categoryId,
        title: fields.title,
        description: fields.description,
        impact: fields.impact,
        urgency: fields.urgency,
        priority,
        status: 'new',
        level: 'line1',
        requester_id: fields.requesterId,
        caller_name: fields.callerName,
        caller_contact: fields.callerContact,
        caller_key: fields.callerContact ? callerKey(fields.callerContact) : null,
        organisation: fields.organisation,
        assignee_id: null,
        group_id: fields.groupId,
        tags_json: JSON.stringify(fields.tags),
        sla_policy_id: null,
        sla_next_at: null,
        sla_due_at: null,
        sla_breached: 0,
        created_by: mail ? mail.actorId : caller.userId,
        created_at: now,
        updated_at: now,
        resolved_at: null,
        closed_at: null,
        last_customer_at: null,
        survey_score: null,
        survey_comment: null,
        surveyed_at: null,
      };
      await store.insertTicket(trx, row);
      const createdId = await event(trx, row.id, {
        kind: 'created',
        at: now,
        actorId: mail ? mail.actorId : caller.userId,
        actorRole: mail ? 'requester' : actor.role,
        data: { to: 'new', ...(mail?.data as EventData | undefined) },
      });
      if (mail) await mail.inTransaction(trx, row, createdId!);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.create',
        entityType: 'ticket',
        entityId: row.id,
        after: row,
      });
      await store.reindexTicket(trx, dialect, row.id);
      if (fields.dispatch === 'auto') row = await dispatch(trx, row, onDuty);
      await afterChange(trx, row);
      return row;
    });
    return present(await load(db, row.id));
  }

  async function getTicket(caller: Caller, id: string) {
    const row = await loadVisible(db, caller, id);
    const staff = isStaff(caller);
    const events = await store.listEvents(db, id, { publicOnly: !staff });
    const sla = await slaReport(db, row, clock.now());
    return {
      ticket: present(row, caller),
      events: events.map(presentEvent),
      sla: sla
        ? {
            policyId: sla.policyId,
            targets: [...sla.report.targets],
            nextEventAt: sla.report.nextEventAt,
          }
        : null,
    };
  }

  async function list(caller: Caller, q: ListQuery) {
    const staff = isStaff(caller);
    let after: store.ListFilter['after'];
    if (q.cursor) {
      const [c, cid] = q.cursor.split('_');
      if (!c || !cid || !/^\d+$/.test(c)) throw invalid('cursor', 'validation.invalid');
      after = { createdAt: Number(c), id: cid };
    }
    const plan = q.q ? planSearch(q.q) : undefined;
    const rows = await store.listTickets(db, dialect, {
      ...(q.status ? { status: q.status } : {}),
      ...(staff && q.assignee
        ? { assigneeId: q.assignee === 'me' ? caller.userId : q.assignee }
        : {}),
      ...(staff && q.unassigned ? { unassigned: true } : {}),
      ...(staff && q.group ? { groupId: q.group } : {}),
      ...(staff ? {} : { requesterId: caller.userId }),
      ...(q.type ? { type: q.type } : {}),
      ...(q.priority ? { priority: q.priority } : {}),
      ...(staff && q.breachingWithinMinutes !== undefined
        ? { dueBefore: clock.now() + q.breachingWithinMinutes * 60_000 }
        : {}),
      ...(plan && plan.terms.length ? { plan } : {}),
      ...(after ? { after } : {}),
      limit: q.limit,
    });
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => present(r, caller)),
      nextCursor: rows.length === q.limit && last ? `${last.created_at}_${last.id}` : null,
    };
  }

  async function reply(
    caller: Caller,
    id: string,
    input: unknown,
    mail?: MailIntake,
  ): Promise<EventView> {
    const r = parseTicketInput(replySchema, input);
    const what = r.visibility === 'internal' ? 'note_internal' : 'reply_public';
    const evId = await db.transaction().execute(async (trx) => {
      let row = await loadVisible(trx, caller, id);
      // A mail from the customer is their reply; the mail job speaks for them.
      const actor: Actor = mail
        ? { role: 'requester', userId: mail.actorId }
        : actorFor(caller, what, row.requester_id);
      if (!mail && !can(actor, what, row.requester_id))
        throw forbidden('tickets.errors.replyForbidden', { role: actor.role });
      const now = clock.now();
      const customer = actor.role === 'requester';
      const evId = await event(trx, id, {
        kind: 'reply',
        at: now,
        actorId: mail ? mail.actorId : caller.userId,
        actorRole: actor.role,
        visibility: r.visibility,
        body: r.body,
        data: { author: customer ? 'customer' : 'agent', ...(mail?.data as EventData | undefined) },
      });
      if (mail) await mail.inTransaction(trx, row, evId!);
      await store.updateTicket(trx, id, {
        updated_at: now,
        ...(customer ? { last_customer_at: now } : {}),
      });
      row = { ...row, updated_at: now, ...(customer ? { last_customer_at: now } : {}) };
      // The clock only reads events: a customer's answer on a pending ticket resumes the work.
      if (customer && row.status === 'pending_customer')
        row = await recordResult(trx, row, {
          ticket: { ...snapshot(row), status: 'in_progress' },
          event: {
            kind: 'status_changed',
            at: now,
            actorId: null,
            actorRole: 'system',
            action: 'resume',
            from: 'pending_customer',
            to: 'in_progress',
          },
        });
      // A customer who mails back about a resolved ticket has no reopen button: the mail is it.
      else if (mail && row.status === 'resolved')
        row = await recordResult(trx, row, {
          ticket: { ...snapshot(row), status: 'reopened' },
          event: {
            kind: 'status_changed',
            at: now,
            actorId: mail.actorId,
            actorRole: 'requester',
            action: 'reopen',
            from: 'resolved',
            to: 'reopened',
          },
        });
      await recordAudit(trx, caller.audit, now, {
        action: r.visibility === 'internal' ? 'ticket.note' : 'ticket.reply',
        entityType: 'ticket',
        entityId: id,
        after: { visibility: r.visibility, body: r.body },
      });
      await store.reindexTicket(trx, dialect, id);
      if (customer && row.assignee_id)
        await deps.inbox.notify(trx, {
          userIds: [row.assignee_id],
          kind: 'tickets.customer_reply',
          messageKey: 'tickets.notify.customerReply',
          params: { number: row.number },
          link: `/tickets/${id}`,
        });
      await afterChange(trx, row);
      return evId!;
    });
    const ev = (await store.listEvents(db, id, { publicOnly: false })).find((e) => e.id === evId)!;
    return presentEvent(ev);
  }

  async function transition(caller: Caller, id: string, input: unknown): Promise<TicketView> {
    const s = parseTicketInput(stateChangeSchema, input);
    if (s.assigneeId && (await deps.directory.existingUserIds([s.assigneeId])).length === 0)
      throw invalid('assigneeId', 'tickets.errors.unknownUser', { id: s.assigneeId });
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, caller, id);
      const actor = actorFor(caller, s.action, row.requester_id);
      const result = applyAction(snapshot(row), s.action, actor, {
        at: clock.now(),
        ...(s.assigneeId ? { assigneeId: s.assigneeId } : {}),
        ...(s.note ? { note: s.note } : {}),
      });
      const next = await recordResult(trx, row, result);
      await recordAudit(trx, caller.audit, result.event.at, {
        action: `ticket.${s.action}`,
        entityType: 'ticket',
        entityId: id,
        before: { status: row.status, assigneeId: row.assignee_id },
        after: { status: next.status, assigneeId: next.assignee_id },
      });
      if (s.action === 'assign' && next.assignee_id && next.assignee_id !== caller.userId)
        await deps.inbox.notify(trx, {
          userIds: [next.assignee_id],
          kind: 'tickets.assigned',
          messageKey: 'tickets.notify.assigned',
          params: { number: row.number, title: row.title },
          link: `/tickets/${id}`,
          email: true,
        });
      if (s.action === 'resolve' && row.requester_id)
        await deps.inbox.notify(trx, {
          userIds: [row.requester_id],
          kind: 'tickets.resolved',
          messageKey: 'tickets.notify.resolved',
          params: { number: row.number, title: row.title },
          link: `/portal/tickets/${id}`,
          // In-app only: the requester's mail is the threaded "resolved, please confirm" one.
        });
      await afterChange(trx, next);
    });
    return present(await load(db, id));
  }

  interface EscalationPlan {
    target: string | null;
    receivers: string[];
    onDuty: string[];
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

  async function escalate(caller: Caller, id: string, input: unknown): Promise<TicketView> {
    const e = parseTicketInput(escalateInputSchema, input);
    if (e.groupId && (await deps.directory.teamZone(e.groupId)) === null)
      throw invalid('groupId', 'tickets.errors.unknownGroup', { id: e.groupId });
    const plan = await planEscalation(await loadVisible(db, caller, id), e.groupId);
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, caller, id);
      const actor = actorFor(caller, 'escalate', row.requester_id);
      const next = await escalateIn(trx, row, actor, caller.audit, e.reason, plan);
      await afterChange(trx, next);
    });
    return present(await load(db, id));
  }

  async function survey(caller: Caller, id: string, input: unknown): Promise<TicketView> {
    const s: SurveyInput = parseTicketInput(surveySchema, input);
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, caller, id);
      const roles = ROLE_ORDER.filter((r) => caller.roles.includes(r));
      const role =
        roles.find((r) => ['service_agent', 'duty_manager', 'admin'].includes(r)) ??
        roles[0] ??
        'requester';
      assertSurveyAllowed(
        {
          status: row.status as TicketStatus,
          requesterId: row.requester_id,
          surveyedAt: row.surveyed_at,
        },
        { role, userId: caller.userId },
      );
      const now = clock.now();
      await store.updateTicket(trx, id, {
        survey_score: s.score,
        survey_comment: s.comment || null,
        surveyed_at: now,
        updated_at: now,
      });
      await event(trx, id, {
        kind: 'survey',
        at: now,
        actorId: caller.userId,
        actorRole: role,
        body: s.comment || null,
        data: { score: s.score },
      });
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.survey',
        entityType: 'ticket',
        entityId: id,
        after: { score: s.score, comment: s.comment ?? null },
      });
    });
    return present(await load(db, id));
  }

  async function callerHistory(prefix: string, limit = 10): Promise<TicketView[]> {
    const name = prefix.trim();
    if (!name) return [];
    const key = callerKey(name);
    return (await store.findByCaller(db, dialect, { key, name }, limit)).map((r) => present(r));
  }

  async function exportCsv(caller: Caller, q: ListQuery, locale: 'zh' | 'en'): Promise<string> {
    const rows: TicketView[] = [];
    let cursor = q.cursor;
    while (rows.length < 10_000) {
      const page = await list(caller, { ...q, limit: 500, ...(cursor ? { cursor } : {}) });
      rows.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const header =
      locale === 'zh'
        ? [
            '工单号',
            '类型',
            '优先级',
            '状态',
            '级别',
            '标题',
            '来电人',
            '联系方式',
            '单位',
            '创建时间',
          ]
        : [
            'Number',
            'Type',
            'Priority',
            'Status',
            'Level',
            'Title',
            'Caller',
            'Contact',
            'Organisation',
            'Created',
          ];
    return toCsv([
      header,
      ...rows.map((t) => [
        t.number,
        t.type,
        t.priority,
        t.status,
        t.level,
        t.title,
        t.callerName,
        t.callerContact,
        t.organisation,
        new Date(t.createdAt).toISOString(),
      ]),
    ]);
  }

  // ---- administration ----

  async function listCategories() {
    return (await store.listCategories(db)).map((c) => ({
      id: c.id,
      parentId: c.parent_id,
      name: c.name,
      active: c.active === 1,
    }));
  }

  async function createCategory(caller: Caller, input: unknown) {
    const c = parseTicketInput(categoryCreateSchema, input);
    const now = clock.now();
    const id = newId();
    await db.transaction().execute(async (trx) => {
      if (c.parentId) {
        const all = await store.listCategories(trx);
        if (!all.some((x) => x.id === c.parentId))
          throw invalid('parentId', 'tickets.errors.unknownCategory', { id: c.parentId });
      }
      const row = {
        id,
        parent_id: c.parentId ?? null,
        name: c.name,
        active: 1,
        created_at: now,
        updated_at: now,
      };
      await store.insertCategory(trx, row);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_category.create',
        entityType: 'ticket_category',
        entityId: id,
        after: row,
      });
    });
    return (await listCategories()).find((x) => x.id === id)!;
  }

  async function updateCategory(caller: Caller, id: string, input: unknown) {
    const c = parseTicketInput(categoryUpdateSchema, input);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const before = (await store.listCategories(trx)).find((x) => x.id === id);
      if (!before) throw notFound('ticket_category', id);
      const patch = {
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.active !== undefined ? { active: c.active ? 1 : 0 } : {}),
        updated_at: now,
      };
      await store.updateCategory(trx, id, patch);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_category.update',
        entityType: 'ticket_category',
        entityId: id,
        before,
        after: { ...before, ...patch },
      });
    });
    return (await listCategories()).find((x) => x.id === id)!;
  }

  async function listSlaPolicies() {
    return (await policies(db)).map((p) => ({ ...p }));
  }

  async function createSlaPolicy(caller: Caller, input: unknown) {
    const p = parseTicketInput(slaPolicyInputSchema, input);
    if (!SLA_TARGETS.some((t) => p.targets[t])) throw invalid('targets', 'validation.required');
    const now = clock.now();
    const id = newId();
    await db.transaction().execute(async (trx) => {
      const row = {
        id,
        name: p.name,
        match_json: JSON.stringify(p.match),
        targets_json: JSON.stringify(p.targets),
        warn_at_percent: p.warnAtPercent,
        pause_statuses_json: p.pauseStatuses ? JSON.stringify(p.pauseStatuses) : null,
        active: 1,
        created_at: now,
      };
      await store.insertPolicy(trx, row);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_sla_policy.create',
        entityType: 'ticket_sla_policy',
        entityId: id,
        after: row,
      });
    });
    return { id, ...p };
  }

  async function putSetting(caller: Caller, key: string, value: unknown) {
    let parsed: unknown;
    if (key.startsWith('calendar:')) {
      const teamId = key.slice('calendar:'.length);
      if ((await deps.directory.teamZone(teamId)) === null)
        throw invalid('key', 'tickets.errors.unknownGroup', { id: teamId });
      calendarFromSetting(value);
      parsed = value;
    } else if (key === 'portalGroupId') {
      const teamId = parseTicketInput(z.string().min(1).max(64), value);
      if ((await deps.directory.teamZone(teamId)) === null)
        throw invalid('value', 'tickets.errors.unknownGroup', { id: teamId });
      parsed = teamId;
    } else {
      const parse = Object.hasOwn(SETTINGS, key) ? SETTINGS[key] : undefined;
      if (!parse) throw invalid('key', 'tickets.errors.unknownSetting', { key });
      parsed = parse(value);
    }
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const before = await store.getSetting(trx, key);
      await store.putSetting(trx, key, parsed, now);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_setting.put',
        entityType: 'ticket_setting',
        entityId: key,
        before: before ?? null,
        after: parsed,
      });
    });
    return { key, value: parsed };
  }

  // ---- jobs ----

  const slaJob: JobHandler<{ ticketId: string }> = {
    kind: SLA_JOB,
    maxAttempts: 8,
    async run({ ticketId }) {
      const seen = await store.findTicket(db, ticketId);
      if (!seen || seen.status === 'closed') return;
      const zone = await zoneOf(seen.group_id);
      const watchers = seen.assignee_id
        ? [seen.assignee_id]
        : seen.group_id
          ? await deps.directory.teamMemberIds(seen.group_id)
          : await deps.directory.userIdsWithRole('duty_manager');
      const plan = await planEscalation(seen, undefined);
      await db.transaction().execute(async (trx) => {
        let row = await store.findTicket(trx, ticketId);
        if (!row || row.status === 'closed') return;
        const now = clock.now();
        const sla = await slaReport(trx, row, now);
        if (!sla) return;
        for (const signal of dueSignals(ticketId, sla.report, now)) {
          const recorded = await event(trx, ticketId, {
            kind: signal.kind === 'breach' ? 'sla_breach' : 'sla_warning',
            at: now,
            actorId: null,
            actorRole: 'system',
            visibility: 'internal',
            data: { target: signal.target, dueAt: signal.at },
            dedupeKey: signal.key,
          });
          // A retried job finds the signal recorded and does nothing twice.
          if (!recorded) continue;
          await recordAudit(trx, SYSTEM_ACTOR, now, {
            action: `ticket.sla_${signal.kind}`,
            entityType: 'ticket',
            entityId: ticketId,
            after: { target: signal.target, dueAt: signal.at },
          });
          const to = watchers;
          if (to.length)
            await deps.inbox.notify(trx, {
              userIds: to,
              kind: `tickets.sla_${signal.kind}`,
              messageKey:
                signal.kind === 'breach' ? 'tickets.notify.slaBreach' : 'tickets.notify.slaWarning',
              params: {
                number: row.number,
                target: signal.target,
                due: DateTime.fromMillis(signal.at, { zone }).toFormat('yyyy-MM-dd HH:mm'),
              },
              link: `/tickets/${ticketId}`,
              email: true,
            });
          if (signal.kind === 'breach') {
            try {
              row = await escalateIn(
                trx,
                row,
                { role: 'system', userId: null },
                SYSTEM_ACTOR,
                `SLA ${signal.target} breached`,
                plan,
              );
            } catch (err) {
              // Already at the top line, or in a state that cannot escalate: the breach stands.
              if (!(err instanceof DomainError) || err.kind !== 'conflict') throw err;
            }
          }
        }
        await afterChange(trx, row);
      });
    },
  };

  const autoCloseJob: JobHandler<unknown> = {
    kind: AUTO_CLOSE_JOB,
    maxAttempts: 3,
    async run() {
      const now = clock.now();
      const quietDays =
        ((await store.getSetting(db, 'autoCloseDays')) as number | undefined) ?? DEFAULT_QUIET_DAYS;
      // A day of slack for zones and DST; isDueToClose decides exactly.
      for (const candidate of await store.resolvedBefore(db, now - (quietDays - 1) * DAY)) {
        const zone = await zoneOf(candidate.group_id);
        await db.transaction().execute(async (trx) => {
          const row = await store.findTicket(trx, candidate.id);
          if (!row || row.status !== 'resolved' || row.resolved_at === null) return;
          const input = {
            resolvedAt: row.resolved_at,
            lastCustomerActivityAt: row.last_customer_at,
            quietDays,
            zone,
          };
          if (!isDueToClose('resolved', input, now)) return;
          const result = applyAction(
            snapshot(row),
            'auto_close',
            { role: 'system', userId: null },
            { at: now },
          );
          const next = await recordResult(trx, row, result);
          await recordAudit(trx, SYSTEM_ACTOR, now, {
            action: 'ticket.auto_close',
            entityType: 'ticket',
            entityId: row.id,
            before: { status: row.status },
            after: { status: next.status },
          });
          await afterChange(trx, next);
        });
      }
    },
  };

  return {
    createTicket,
    getTicket,
    list,
    reply,
    transition,
    escalate,
    survey,
    callerHistory,
    exportCsv,
    listCategories,
    createCategory,
    updateCategory,
    listSlaPolicies,
    createSlaPolicy,
    putSetting,
    slaJob,
    autoCloseJob,
  };
}

export type TicketsService = ReturnType<typeof createTicketsService>;
