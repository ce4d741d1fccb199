import type { Caller } from './ticket-context.js';
import type { Level, TicketSnapshot, TicketStatus } from './ticket-state.js';
import type * as store from './tickets.store.js';

/** Rows never reach the client as they are: these shape a ticket and its timeline for HTTP. */

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

export function present(r: store.TicketRow, caller?: Pick<Caller, 'roles'>): TicketView {
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

export function presentEvent(e: store.TicketEventRow): EventView {
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

export function snapshot(r: store.TicketRow): TicketSnapshot {
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
