import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './business-calendar.js';
import type { Priority } from './priority.js';
import type { TicketStatus, TicketType } from './ticket-state.js';

/**
 * The SLA clock: a pure function of a policy, a business calendar, the ticket's event history and
 * "now". It says, for each target, when it is due, how much business time has run, whether it is
 * running, paused, met or breached, and the next instant something happens (a warning or a breach)
 * so that one timer job can be scheduled. Nothing is stored but the events: recomputing is cheap
 * and always agrees with itself.
 *
 * Semantics (decided here, documented in the tests):
 * - first response: from creation to the first public agent reply (or resolution, whichever first);
 * - next update: each customer reply that waits for an answer (after the first response) opens a
 *   cycle that closes at the next public agent reply or resolution;
 * - resolution: from creation; the clock stops while resolved or closed and continues on reopen.
 * - every clock pauses while the ticket is in a pause status (pending customer by default).
 */

export const SLA_TARGETS = ['firstResponse', 'nextUpdate', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

export interface SlaPolicy {
  readonly id: string;
  /** Unset fields match anything; the most specific matching policy wins. */
  readonly match: {
    readonly type?: TicketType;
    readonly priority?: Priority;
    readonly customerId?: string;
  };
  /** Business minutes per target; an absent target is not tracked. */
  readonly targets: Partial<Record<SlaTarget, number>>;
  /** Percentage of a target at which to warn, e.g. 80. */
  readonly warnAtPercent: number;
  readonly pauseStatuses?: readonly TicketStatus[];
  /** A breach escalates the ticket to the next line unless this is false (the clock ignores it). */
  readonly escalateOnBreach?: boolean;
  /** The team whose business calendar the service runs the clock on (the clock ignores it). */
  readonly calendarTeamId?: string | null;
}

export type SlaEvent =
  | { readonly kind: 'created'; readonly at: number }
  | { readonly kind: 'agent_reply'; readonly at: number }
  | { readonly kind: 'customer_reply'; readonly at: number }
  | { readonly kind: 'status'; readonly at: number; readonly to: TicketStatus };

export type SlaState = 'running' | 'paused' | 'met' | 'breached' | 'inactive';

export interface SlaTargetReport {
  readonly target: SlaTarget;
  readonly state: SlaState;
  /** Start of the current (or last) measured period. */
  readonly startedAt: number | null;
  /** When the met/stopped period ended (reply or resolution). */
  readonly stoppedAt: number | null;
  /**
   * When the target falls due. Null while paused before the target is reached: the due instant
   * depends on when the pause ends. For a met target, the instant it would have fallen due.
   */
  readonly dueAt: number | null;
  /** When the warning falls due (same rules as dueAt). */
  readonly warnAt: number | null;
  readonly elapsedMinutes: number;
  readonly remainingMinutes: number;
  /** Wall-clock minutes spent paused within the period. */
  readonly pausedMinutes: number;
  /** Past next-update cycles that breached (other targets: 0 or 1 in `state`). */
  readonly breachedCycles: number;
}

export interface SlaReport {
  readonly targets: readonly SlaTargetReport[];
  /** The next instant after `now` at which a warning or breach falls due, or null. */
  readonly nextEventAt: number | null;
}

const MINUTE = 60_000;
const DEFAULT_PAUSE: readonly TicketStatus[] = ['pending_customer'];
const STOP: readonly TicketStatus[] = ['resolved', 'closed', 'merged'];

const SPECIFICITY = { customerId: 4, priority: 2, type: 1 } as const;

/**
 * Picks the policy for a ticket: every set field of `match` must equal the ticket's; the one with
 * the highest specificity wins (customer 4 > priority 2 > type 1, summed); ties go to the lower id
 * so the choice never depends on list order.
 */
export function selectPolicy<P extends SlaPolicy>(
  policies: readonly P[],
  ticket: { type: TicketType; priority: Priority; customerId?: string | null },
): P | undefined {
  let best: P | undefined;
  let bestScore = -1;
  for (const p of policies) {
    let score = 0;
    let ok = true;
    for (const key of ['customerId', 'priority', 'type'] as const) {
      const want = p.match[key];
      if (want === undefined) continue;
      if (want !== ticket[key]) ok = false;
      else score += SPECIFICITY[key];
    }
    if (!ok) continue;
    if (score > bestScore || (score === bestScore && best !== undefined && p.id < best.id)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

type Segment = readonly [number, number];

interface StatusChange {
  readonly at: number;
  readonly to: TicketStatus;
}

/**
 * Running segments inside [from, until): times when the status is neither paused nor stopped.
 * Also returns the wall time spent paused inside the window.
 */
function runningSegments(
  changes: readonly StatusChange[],
  from: number,
  until: number,
  pause: readonly TicketStatus[],
): { segments: Segment[]; pausedMs: number } {
  const segments: Segment[] = [];
  let pausedMs = 0;
  let status: TicketStatus = 'new';
  let since = from;
  const close = (end: number) => {
    const a = Math.max(since, from);
    const b = Math.min(end, until);
    if (b > a) {
      if (pause.includes(status)) pausedMs += b - a;
      else if (!STOP.includes(status)) segments.push([a, b]);
    }
  };
  for (const c of changes) {
    if (c.at >= until) break;
    if (c.at > since) {
      close(c.at);
      since = c.at;
    }
    status = c.to;
  }
  close(until);
  return { segments, pausedMs };
}

/** Walks running segments until `amount` business ms have run; null when they never do. */
function reach(
  cal: BusinessCalendar,
  segments: readonly Segment[],
  openEnded: boolean,
  amount: number,
): number | null {
  let remaining = amount;
  for (let i = 0; i < segments.length; i++) {
    const [s, e] = segments[i]!;
    const isLastOpen = openEnded && i === segments.length - 1;
    if (isLastOpen) return addBusinessMs(cal, s, remaining);
    const b = businessMsBetween(cal, s, e);
    if (b >= remaining) return addBusinessMs(cal, s, remaining);
    remaining -= b;
  }
  return null;
}

function measure(
  cal: BusinessCalendar,
  target: SlaTarget,
  targetMs: number,
  warnMs: number,
  changes: readonly StatusChange[],
  pause: readonly TicketStatus[],
  start: number,
  stop: number | null,
  now: number,
  currentStatus: TicketStatus,
  breachedCycles: number,
): SlaTargetReport {
  const end = stop ?? now;
  const { segments, pausedMs } = runningSegments(changes, start, end, pause);
  const elapsed = segments.reduce((t, [s, e]) => t + businessMsBetween(cal, s, e), 0);
  const running = stop === null && !pause.includes(currentStatus) && !STOP.includes(currentStatus);
  // While running, the last segment continues beyond now; a paused clock has no open segment.
  if (running && (segments.length === 0 || segments[segments.length - 1]![1] < end))
    segments.push([end, end]);
  let dueAt = reach(cal, segments, running, targetMs);
  let warnAt = reach(cal, segments, running, warnMs);
  if (stop !== null) {
    // Met or late: report where the clock would have fallen due had it kept running.
    dueAt ??= addBusinessMs(cal, stop, targetMs - elapsed);
    warnAt ??= addBusinessMs(cal, stop, Math.max(0, warnMs - elapsed));
  }
  let state: SlaState;
  if (elapsed >= targetMs && (stop === null || dueAt! < stop)) state = 'breached';
  else if (stop !== null) state = 'met';
  else state = running ? 'running' : 'paused';
  return {
    target,
    state,
    startedAt: start,
    stoppedAt: stop,
    dueAt,
    warnAt,
    elapsedMinutes: elapsed / MINUTE,
    remainingMinutes: Math.max(0, targetMs - elapsed) / MINUTE,
    pausedMinutes: pausedMs / MINUTE,
    breachedCycles,
  };
}

function inactive(target: SlaTarget, breachedCycles = 0): SlaTargetReport {
  return {
    target,
    state: 'inactive',
    startedAt: null,
    stoppedAt: null,
    dueAt: null,
    warnAt: null,
    elapsedMinutes: 0,
    remainingMinutes: 0,
    pausedMinutes: 0,
    breachedCycles,
  };
}

/** Computes the SLA state of a ticket at `now` from its history (events after `now` are ignored). */
export function computeSla(
  policy: SlaPolicy,
  cal: BusinessCalendar,
  events: readonly SlaEvent[],
  now: number,
): SlaReport {
  const pause = policy.pauseStatuses ?? DEFAULT_PAUSE;
  const sorted = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.at <= now)
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);
  const created = sorted.find((e) => e.kind === 'created')?.at;
  if (created === undefined)
    return {
      targets: SLA_TARGETS.filter((t) => policy.targets[t]).map((t) => inactive(t)),
      nextEventAt: null,
    };

  const changes: StatusChange[] = [];
  let status: TicketStatus = 'new';
  let firstResponseAt: number | null = null;
  let resolvedAt: number | null = null;
  const cycles: { start: number; stop: number | null }[] = [];
  let open: { start: number; stop: number | null } | null = null;
  for (const e of sorted) {
    if (e.at < created) continue;
    switch (e.kind) {
      case 'created':
        break;
      case 'status':
        changes.push({ at: e.at, to: e.to });
        if (STOP.includes(e.to)) {
          firstResponseAt ??= e.at;
          // resolved → closed keeps the moment of resolution.
          if (!STOP.includes(status)) resolvedAt = e.at;
          if (open) open.stop = e.at;
          open = null;
        } else resolvedAt = null;
        status = e.to;
        break;
      case 'agent_reply':
        firstResponseAt ??= e.at;
        if (open) open.stop = e.at;
        open = null;
        break;
      case 'customer_reply':
        if (firstResponseAt !== null && open === null && !STOP.includes(status)) {
          open = { start: e.at, stop: null };
          cycles.push(open);
        }
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown SLA event ${JSON.stringify(never)}`);
      }
    }
  }

  const warnOf = (ms: number) => Math.ceil((ms * policy.warnAtPercent) / 100);
  const reports: SlaTargetReport[] = [];
  const fr = policy.targets.firstResponse;
  if (fr) {
    const ms = fr * MINUTE;
    reports.push(
      measure(
        cal,
        'firstResponse',
        ms,
        warnOf(ms),
        changes,
        pause,
        created,
        firstResponseAt,
        now,
        status,
        0,
      ),
    );
  }
  const nu = policy.targets.nextUpdate;
  if (nu) {
    const ms = nu * MINUTE;
    const measured = cycles.map((c) =>
      measure(cal, 'nextUpdate', ms, warnOf(ms), changes, pause, c.start, c.stop, now, status, 0),
    );
    const last = measured[measured.length - 1];
    const breached = measured.slice(0, -1).filter((r) => r.state === 'breached').length;
    reports.push(last ? { ...last, breachedCycles: breached } : inactive('nextUpdate'));
  }
  const rs = policy.targets.resolution;
  if (rs) {
    const ms = rs * MINUTE;
    reports.push(
      measure(
        cal,
        'resolution',
        ms,
        warnOf(ms),
        changes,
        pause,
        created,
        resolvedAt,
        now,
        status,
        0,
      ),
    );
  }
  let nextEventAt: number | null = null;
  for (const r of reports) {
    if (r.state !== 'running') continue;
    for (const t of [r.warnAt, r.dueAt])
      if (t !== null && t > now && (nextEventAt === null || t < nextEventAt)) nextEventAt = t;
  }
  return { targets: reports, nextEventAt };
}

export interface SlaSignal {
  readonly kind: 'warning' | 'breach';
  readonly target: SlaTarget;
  /** When it fell due. */
  readonly at: number;
  /** Idempotency key: the same warning or breach always has the same key, so it is sent once. */
  readonly key: string;
}

/**
 * The warnings and breaches that have fallen due by the report's `now`: what the SLA timer job
 * notifies (and, for breaches, escalates). A breached target yields only its breach. Keys include
 * the start of the measured period, so each next-update cycle warns and breaches on its own.
 */
export function dueSignals(ticketId: string, report: SlaReport, now: number): SlaSignal[] {
  const out: SlaSignal[] = [];
  for (const r of report.targets) {
    const base = `sla:${ticketId}:${r.target}:${r.startedAt ?? 0}`;
    if (r.state === 'breached' && r.dueAt !== null && r.dueAt <= now)
      out.push({ kind: 'breach', target: r.target, at: r.dueAt, key: `${base}:breach` });
    else if (
      (r.state === 'running' || r.state === 'paused') &&
      r.warnAt !== null &&
      r.warnAt <= now
    )
      out.push({ kind: 'warning', target: r.target, at: r.warnAt, key: `${base}:warning` });
  }
  return out;
}
