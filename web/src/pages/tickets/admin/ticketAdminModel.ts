// The ticket administration's pure parts: the category tree, the calendar form and the SLA
// policy body. Tested in test/web-tickets-admin-model.test.ts.

import { TICKET_STATUSES, type Category, type TicketStatus } from '../ticketTypes.js';

export interface CategoryNode extends Category {
  children?: CategoryNode[];
}

/** The category tree, children under their parent, each level in the server's order. */
export function toTree(items: readonly Category[]): CategoryNode[] {
  const nodes = new Map(items.map((c) => [c.id, { ...c } as CategoryNode]));
  const roots: CategoryNode[] = [];
  for (const c of items) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids under `id` (itself included): a category cannot move there. */
export function subtreeOf(id: string, items: readonly Category[]): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of items)
      if (c.parentId && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
  }
  return out;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export interface CalendarSetting {
  calendar:
    | { kind: '24x7' }
    | {
        kind: 'hours';
        zone: string;
        weekly: Partial<Record<(typeof WEEKDAYS)[number], string[]>>;
        holidays?: string[];
        workdays?: { date: string; as?: number }[];
      };
  holidays?: 'cn-2026';
}
export interface CalendarForm {
  kind: '24x7' | 'hours';
  zone: string;
  weekly: Record<string, string>;
  holidays: string;
  workdays: string;
  cn2026: boolean;
}

const lines = (text: string) =>
  text
    .split(/[\n,，]/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Form values → the `calendar:<teamId>` setting the server validates (it names bad fields). */
export function toCalendarSetting(v: CalendarForm): CalendarSetting {
  const calendar: CalendarSetting['calendar'] =
    v.kind === '24x7'
      ? { kind: '24x7' }
      : {
          kind: 'hours',
          zone: v.zone,
          weekly: Object.fromEntries(
            WEEKDAYS.map((d) => [d, lines(v.weekly[d] ?? '')] as const).filter(
              ([, r]) => r.length > 0,
            ),
          ),
          holidays: lines(v.holidays),
          workdays: lines(v.workdays).map((l) => {
            const [date, as] = l.split(/\s+/);
            return as ? { date: date!, as: Number(as) } : { date: date! };
          }),
        };
  return v.cn2026 ? { calendar, holidays: 'cn-2026' } : { calendar };
}

/** A stored calendar setting (or none: 24x7 in the team's zone) → the form's values. */
export function toCalendarForm(s: CalendarSetting | undefined, zone: string): CalendarForm {
  const c = s?.calendar;
  const hours = c && c.kind === 'hours' ? c : undefined;
  return {
    kind: c?.kind ?? '24x7',
    zone: hours?.zone ?? zone,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, (hours?.weekly[d] ?? []).join(', ')])),
    holidays: (hours?.holidays ?? []).join('\n'),
    workdays: (hours?.workdays ?? []).map((w) => (w.as ? `${w.date} ${w.as}` : w.date)).join('\n'),
    cn2026: s?.holidays === 'cn-2026',
  };
}

export const TARGETS = ['firstResponse', 'nextUpdate', 'resolution'] as const;
export interface SlaPolicy {
  id: string;
  name: string;
  match: { type?: string; priority?: string; customerId?: string };
  targets: Partial<Record<(typeof TARGETS)[number], number>>;
  warnAtPercent: number;
  pauseStatuses: string[] | null;
  escalateOnBreach: boolean;
  calendarTeamId: string | null;
  active: boolean;
}
export type SlaPolicyForm = Omit<SlaPolicy, 'id' | 'active' | 'pauseStatuses'> & {
  /** Absent or null: the server's default (`pending_customer`); []: the clock never pauses. */
  pauseStatuses?: string[] | null;
};

/** Statuses a policy may pause in: resolved, closed and merged already stop the clock. */
export const PAUSABLE_STATUSES: readonly TicketStatus[] = TICKET_STATUSES.filter(
  (s) => s !== 'resolved' && s !== 'closed' && s !== 'merged',
);
/** What the clock pauses in when a policy stores none. */
export const DEFAULT_PAUSE_STATUSES: readonly TicketStatus[] = ['pending_customer'];

/** Form values → the body the server validates; empty match fields and targets are left out. */
export function toPolicyBody(v: SlaPolicyForm, active: boolean) {
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(
      Object.entries(o).filter(([, x]) => x !== undefined && x !== null && x !== ''),
    );
  return {
    name: v.name,
    match: defined({ ...v.match, customerId: v.match.customerId?.trim() }),
    targets: defined(v.targets),
    warnAtPercent: v.warnAtPercent,
    escalateOnBreach: v.escalateOnBreach,
    calendarTeamId: v.calendarTeamId ?? null,
    pauseStatuses: v.pauseStatuses ?? null,
    active,
  };
}
