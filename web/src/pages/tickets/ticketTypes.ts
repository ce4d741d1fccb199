// Objects of the service desk API (see /api/docs: tickets).

export const TICKET_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'pending_customer',
  'pending_third_party',
  'resolved',
  'closed',
  'reopened',
  'merged',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_TYPES = ['fault', 'request', 'consultation', 'complaint'] as const;
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const LEVELS = ['high', 'medium', 'low'] as const;

export interface Ticket {
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
  status: TicketStatus;
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

export interface TicketEvent {
  id: string;
  at: number;
  kind: string;
  actorId: string | null;
  actorRole: string | null;
  visibility: string;
  body: string | null;
  data: Record<string, unknown>;
}

export interface SlaTarget {
  target: string;
  state: 'running' | 'paused' | 'met' | 'breached' | 'inactive';
  startedAt: number | null;
  stoppedAt: number | null;
  dueAt: number | null;
  warnAt: number | null;
  elapsedMinutes: number;
  remainingMinutes: number;
  pausedMinutes: number;
  breachedCycles: number;
}

export interface TicketDetail {
  ticket: Ticket;
  events: TicketEvent[];
  sla: { policyId: string; targets: SlaTarget[]; nextEventAt: number | null } | null;
}

export interface TicketPage {
  items: Ticket[];
  nextCursor: string | null;
}

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  active: boolean;
}

export interface Attachment {
  id: string;
  ticketId: string;
  eventId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  visibility: string;
  createdAt: number;
  url: string;
}
