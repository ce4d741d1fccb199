import { DateTime } from 'luxon';
import { conflict, forbidden, invalid } from '../../lib/errors.js';

/**
 * The ticket life cycle: who may move a ticket from which state to which, escalation from line to
 * line, and when a quiet resolved ticket closes by itself. Pure: the service loads the ticket,
 * calls `applyAction`, and writes the returned state and timeline event in one transaction.
 */

export const TICKET_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'pending_customer',
  'pending_third_party',
  'resolved',
  'closed',
  'reopened',
  // Merged into another ticket: final, nothing moves it (see ticket-merge.service.ts).
  'merged',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_TYPES = ['fault', 'request', 'consultation', 'complaint'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

// The product's roles are defined once, with the permission table.
export { ROLES, type Role } from '../../server/permissions.js';
import { ROLES, type Role } from '../../server/permissions.js';

/** The scheduler acts as `system` (auto-close, escalation on breach); no person holds it. */
export type ActorRole = Role | 'system';

export const TICKET_ACTIONS = [
  'assign',
  'start',
  'wait_customer',
  'wait_third_party',
  'resume',
  'resolve',
  'confirm',
  'reopen',
  'auto_close',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** From which states an action may be taken, and where it leads. */
export const TRANSITIONS: Record<
  TicketAction,
  { from: readonly TicketStatus[]; to: TicketStatus }
> = {
  assign: { from: ['new', 'assigned', 'in_progress', 'reopened'], to: 'assigned' },
  start: { from: ['assigned', 'reopened'], to: 'in_progress' },
  wait_customer: { from: ['in_progress', 'pending_third_party'], to: 'pending_customer' },
  wait_third_party: { from: ['in_progress', 'pending_customer'], to: 'pending_third_party' },
  resume: { from: ['pending_customer', 'pending_third_party'], to: 'in_progress' },
  resolve: {
    from: ['assigned', 'in_progress', 'pending_customer', 'pending_third_party', 'reopened'],
    to: 'resolved',
  },
  confirm: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'closed'], to: 'reopened' },
  auto_close: { from: ['resolved'], to: 'closed' },
};

const WORKERS: readonly ActorRole[] = [
  'admin',
  'duty_manager',
  'technician',
  'service_agent',
  'expert',
];

/**
 * The one permission table for ticket actions. Agents, technicians and experts work tickets; the
 * service agent and managers also record a customer's confirmation (by phone) and reopen; a
 * requester only confirms or reopens their own ticket; supervisor, leadership, duty admin and
 * security guard read (guards report faults, which is creating, not moving). `own` marks
 * permissions that hold only for the requester's own tickets.
 */
export const ACTION_ROLES: Record<TicketAction, readonly ActorRole[]> = {
  assign: WORKERS,
  start: WORKERS,
  wait_customer: WORKERS,
  wait_third_party: WORKERS,
  resume: WORKERS,
  resolve: WORKERS,
  confirm: ['admin', 'duty_manager', 'service_agent', 'requester'],
  reopen: ['admin', 'duty_manager', 'service_agent', 'requester'],
  auto_close: ['system'],
};
const OWN_ONLY: readonly ActorRole[] = ['requester'];

/** Non-transition permissions the routes ask about. */
export type TicketPermission = 'view' | 'reply_public' | 'note_internal' | 'escalate' | 'create';

const PERMISSIONS: Record<TicketPermission, readonly ActorRole[]> = {
  view: [...ROLES, 'system'],
  create: [
    'admin',
    'duty_manager',
    'technician',
    'service_agent',
    'expert',
    'security_guard',
    'requester',
    'system',
  ],
  reply_public: [...WORKERS, 'requester'],
  note_internal: WORKERS,
  escalate: [...WORKERS, 'system'],
};

export interface Actor {
  readonly role: ActorRole;
  readonly userId: string | null;
}

/** True when the actor may do `what` on a ticket whose requester is `requesterId`. */
export function can(
  actor: Actor,
  what: TicketPermission | TicketAction,
  requesterId: string | null,
): boolean {
  const roles =
    what in PERMISSIONS
      ? PERMISSIONS[what as TicketPermission]
      : ACTION_ROLES[what as TicketAction];
  if (!roles.includes(actor.role)) return false;
  if (OWN_ONLY.includes(actor.role) && what !== 'create')
    return actor.userId !== null && actor.userId === requesterId;
  return true;
}

export const LEVELS = ['line1', 'line2', 'expert'] as const;
export type Level = (typeof LEVELS)[number];

export interface TicketSnapshot {
  readonly status: TicketStatus;
  readonly level: Level;
  readonly requesterId: string | null;
  readonly assigneeId: string | null;
}

export type TimelineEvent =
  | {
      readonly kind: 'status_changed';
      readonly at: number;
      readonly actorId: string | null;
      readonly actorRole: ActorRole;
      readonly action: TicketAction;
      readonly from: TicketStatus;
      readonly to: TicketStatus;
      readonly assigneeId?: string | null;
      readonly note?: string;
    }
  | {
      readonly kind: 'escalated';
      readonly at: number;
      readonly actorId: string | null;
      readonly actorRole: ActorRole;
      readonly fromLevel: Level;
      readonly toLevel: Level;
      readonly reason: string;
    };

export interface ActionInput {
  readonly at: number;
  /** Required by assign. */
  readonly assigneeId?: string;
  /** Required by resolve (what was done) and reopen (why). */
  readonly note?: string;
}

export interface ActionResult {
  readonly ticket: TicketSnapshot;
  readonly event: TimelineEvent;
}

function needText(value: string | undefined, field: string): string {
  const v = value?.trim();
  if (!v) throw invalid(field, 'validation.required');
  return v;
}

/** Applies an action or throws: forbidden names role and states, conflict names the state. */
export function applyAction(
  ticket: TicketSnapshot,
  action: TicketAction,
  actor: Actor,
  input: ActionInput,
): ActionResult {
  const rule = TRANSITIONS[action];
  if (!can(actor, action, ticket.requesterId))
    throw forbidden('tickets.errors.transitionForbidden', {
      action,
      from: ticket.status,
      to: rule.to,
      role: actor.role,
    });
  if (!rule.from.includes(ticket.status))
    throw conflict(
      'invalid_transition',
      'tickets.errors.transitionInvalid',
      {
        action,
        from: ticket.status,
        to: rule.to,
      },
      'status',
    );
  let assigneeId = ticket.assigneeId;
  let note: string | undefined;
  if (action === 'assign') assigneeId = needText(input.assigneeId, 'assigneeId');
  if (action === 'resolve') note = needText(input.note, 'note');
  if (action === 'reopen') note = needText(input.note, 'note');
  if (action === 'confirm' || action === 'auto_close') note = input.note?.trim() || undefined;
  return {
    ticket: { ...ticket, status: rule.to, assigneeId },
    event: {
      kind: 'status_changed',
      at: input.at,
      actorId: actor.userId,
      actorRole: actor.role,
      action,
      from: ticket.status,
      to: rule.to,
      ...(action === 'assign' ? { assigneeId } : {}),
      ...(note ? { note } : {}),
    },
  };
}

const ESCALATABLE: readonly TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'pending_third_party',
  'reopened',
];

/**
 * Escalates to the next line (一线 → 二线 → 专家) with a reason. The ticket goes back to the
 * queue of the next line: status `new`, no assignee; dispatch then picks someone there.
 */
export function escalate(
  ticket: TicketSnapshot,
  actor: Actor,
  input: { at: number; reason?: string },
): ActionResult {
  if (!can(actor, 'escalate', ticket.requesterId))
    throw forbidden('tickets.errors.escalateForbidden', { role: actor.role });
  const reason = needText(input.reason, 'reason');
  if (!ESCALATABLE.includes(ticket.status))
    throw conflict(
      'invalid_transition',
      'tickets.errors.escalateState',
      { from: ticket.status },
      'status',
    );
  const next = LEVELS[LEVELS.indexOf(ticket.level) + 1];
  if (!next)
    throw conflict('no_higher_level', 'tickets.errors.noHigherLevel', { level: ticket.level });
  return {
    ticket: { ...ticket, level: next, status: 'new', assigneeId: null },
    event: {
      kind: 'escalated',
      at: input.at,
      actorId: actor.userId,
      actorRole: actor.role,
      fromLevel: ticket.level,
      toLevel: next,
      reason,
    },
  };
}

/**
 * When a resolved ticket closes by itself: `quietDays` calendar days (in the team's zone, so a DST
 * change does not move the hour) after the later of resolution and the last customer activity.
 */
export function autoCloseDueAt(input: {
  resolvedAt: number;
  lastCustomerActivityAt?: number | null;
  quietDays: number;
  zone: string;
}): number {
  if (!Number.isInteger(input.quietDays) || input.quietDays < 1)
    throw invalid('quietDays', 'tickets.errors.quietDays', { value: input.quietDays });
  const from = Math.max(input.resolvedAt, input.lastCustomerActivityAt ?? -Infinity);
  return DateTime.fromMillis(from, { zone: input.zone }).plus({ days: input.quietDays }).toMillis();
}

/** True when a ticket in `status` is due to close by itself at `now`. */
export function isDueToClose(
  status: TicketStatus,
  input: Parameters<typeof autoCloseDueAt>[0],
  now: number,
): boolean {
  return status === 'resolved' && now >= autoCloseDueAt(input);
}
