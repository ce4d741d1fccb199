import type { TicketStatus } from './ticketTypes.js';

/**
 * Pure rules of the ticket pages. The server decides every move; these only choose which
 * buttons to show. test/web-tickets-model.test.ts checks the table against the server's own
 * (src/modules/tickets/ticket-state.ts), so the two cannot drift apart.
 */
export const UI_ACTIONS = [
  'assign',
  'start',
  'wait_customer',
  'wait_third_party',
  'resume',
  'resolve',
  'confirm',
  'reopen',
] as const;
export type UiAction = (typeof UI_ACTIONS)[number];

export const ACTION_FROM: Record<UiAction, readonly TicketStatus[]> = {
  assign: ['new', 'assigned', 'in_progress', 'reopened'],
  start: ['assigned', 'reopened'],
  wait_customer: ['in_progress', 'pending_third_party'],
  wait_third_party: ['in_progress', 'pending_customer'],
  resume: ['pending_customer', 'pending_third_party'],
  resolve: ['assigned', 'in_progress', 'pending_customer', 'pending_third_party', 'reopened'],
  confirm: ['resolved'],
  reopen: ['resolved', 'closed'],
};

const WORKERS = ['admin', 'duty_manager', 'technician', 'service_agent', 'expert'];
export const ACTION_ROLES: Record<UiAction, readonly string[]> = {
  assign: WORKERS,
  start: WORKERS,
  wait_customer: WORKERS,
  wait_third_party: WORKERS,
  resume: WORKERS,
  resolve: WORKERS,
  confirm: ['admin', 'duty_manager', 'service_agent', 'requester'],
  reopen: ['admin', 'duty_manager', 'service_agent', 'requester'],
};

/** Moves the server refuses without a note (what was done, why it is reopened). */
export const NOTE_REQUIRED: readonly UiAction[] = ['resolve', 'reopen'];

/** The state moves to offer: allowed from this status for one of the roles (own ticket for requesters). */
export function allowedActions(
  status: TicketStatus,
  roles: readonly string[],
  ownTicket: boolean,
): UiAction[] {
  return UI_ACTIONS.filter(
    (a) =>
      ACTION_FROM[a].includes(status) &&
      roles.some((r) => ACTION_ROLES[a].includes(r) && (r !== 'requester' || ownTicket)),
  );
}

/** Escalation is for workers, on a ticket that is still open and below the last line. */
export function canEscalate(status: TicketStatus, level: string, roles: readonly string[]) {
  return (
    roles.some((r) => WORKERS.includes(r)) &&
    !['resolved', 'closed'].includes(status) &&
    level !== 'expert'
  );
}

export const SAVED_VIEWS = ['mine', 'group', 'breaching', 'unassigned', 'all'] as const;
export type SavedView = (typeof SAVED_VIEWS)[number];
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'pending_customer',
  'pending_third_party',
  'reopened',
];

/** The list query of a saved view, merged with the filters the user set. */
export function viewQuery(
  view: SavedView,
  ctx: { groupId: string | null },
  filters: { status?: string[]; type?: string; priority?: string; q?: string },
): Record<string, string | number | undefined> {
  const base: Record<string, string | number | undefined> = {
    status: (filters.status?.length ? filters.status : OPEN_STATUSES).join(','),
    type: filters.type,
    priority: filters.priority,
    q: filters.q?.trim() ? filters.q.trim().slice(0, 200) : undefined,
  };
  switch (view) {
    case 'mine':
      return { ...base, assignee: 'me' };
    case 'group':
      return { ...base, group: ctx.groupId ?? undefined };
    case 'breaching':
      return { ...base, breachingWithin: 120 };
    case 'unassigned':
      return { ...base, unassigned: 'true' };
    case 'all':
      return { ...base, status: filters.status?.length ? filters.status.join(',') : undefined };
  }
}

/** "2 h 05 min" style pieces of a minute count, for the SLA clocks. */
export function splitMinutes(minutes: number): { days: number; hours: number; mins: number } {
  const m = Math.max(0, Math.round(minutes));
  return { days: Math.floor(m / 1440), hours: Math.floor((m % 1440) / 60), mins: m % 60 };
}

/** A ticket title from what the caller said: its first line, at most 80 characters. */
export function titleFrom(description: string): string {
  const line =
    description
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  const chars = Array.from(line);
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : line;
}
