import { invalid } from '../../lib/errors.js';

export type TargetKind = 'user' | 'team' | 'post';
export interface EscalationTarget {
  kind: TargetKind;
  id: string;
}

export interface EscalationLevel {
  targets: EscalationTarget[];
  /** Minutes to wait for an acknowledgement before climbing to the next level. */
  delayMinutes: number;
  /** Notify one person of the level per visit, taking turns, instead of everyone. */
  roundRobin: boolean;
}

export interface EscalationPolicy {
  levels: EscalationLevel[];
  /** How many more times the whole policy is run after the last level (0 = once). */
  repeat: number;
}

export type PageStatus = 'triggered' | 'acknowledged' | 'resolved';

/** The escalation part of a page, stored with the page. */
export interface EscalationState {
  pageId: string;
  status: PageStatus;
  level: number;
  /** Which run of the policy this is: 0 … policy.repeat. */
  loop: number;
  /** Bumped whenever pending timers must stop counting; a timer fires only with the current seq. */
  seq: number;
  /** Bumped for every batch of notifications, so that idempotency keys never repeat. */
  round: number;
  timerAt: number | null;
  exhausted: boolean;
  snoozedUntil: number | null;
  acknowledgedBy: string | null;
  /** Round-robin position per level. */
  rrCursor: number[];
}

export type EscalationEvent =
  | { type: 'acknowledge'; at: number; userId: string }
  | { type: 'resolve'; at: number; userId: string | null }
  | { type: 'timer'; at: number; seq: number }
  | { type: 'escalate_now'; at: number; userId: string }
  | { type: 'snooze'; at: number; userId: string; until: number }
  | { type: 'reassign'; at: number; userId: string; to: EscalationTarget[] }
  | { type: 'add_responders'; at: number; userId: string; targets: EscalationTarget[] };

export type NotifyReason = 'escalation' | 'snooze_ended' | 'reassigned' | 'responder';

export type TimelineEntry =
  | { type: 'triggered' }
  | { type: 'escalated'; level: number; loop: number; userIds: string[] }
  | { type: 'no_one_to_notify'; level: number; loop: number }
  | { type: 'exhausted' }
  | { type: 'acknowledged'; userId: string }
  | { type: 'resolved'; userId: string | null }
  | { type: 'snoozed'; userId: string; until: number }
  | { type: 'snooze_ended' }
  | { type: 'escalated_manually'; userId: string }
  | { type: 'reassigned'; userId: string; targets: EscalationTarget[]; userIds: string[] }
  | { type: 'responders_added'; userId: string; targets: EscalationTarget[]; userIds: string[] };

export type EscalationEffect =
  | {
      kind: 'notify';
      pageId: string;
      userId: string;
      level: number;
      loop: number;
      reason: NotifyReason;
      /** Unique per (page, batch, level, loop, user); a send key appends the rule step. */
      idempotencyKey: string;
    }
  | { kind: 'schedule'; pageId: string; at: number; seq: number }
  | { kind: 'timeline'; pageId: string; at: number; entry: TimelineEntry };

/**
 * Who a team or post means at an instant (a user means itself). The caller looks these up
 * before the step (the roster module answers "who is on duty on post P now") so the state
 * machine stays pure.
 */
export type ResolveTargets = (target: EscalationTarget) => readonly string[];

export interface EscalationStep {
  state: EscalationState;
  effects: EscalationEffect[];
}

const MINUTE = 60_000;

function usersOf(targets: readonly EscalationTarget[], resolve: ResolveTargets): string[] {
  const seen = new Set<string>();
  for (const t of targets) {
    for (const u of t.kind === 'user' ? [t.id] : resolve(t)) seen.add(u);
  }
  return [...seen];
}

function notifyAll(
  state: EscalationState,
  userIds: readonly string[],
  reason: NotifyReason,
): EscalationEffect[] {
  return userIds.map((userId) => ({
    kind: 'notify',
    pageId: state.pageId,
    userId,
    level: state.level,
    loop: state.loop,
    reason,
    idempotencyKey: `${state.pageId}:${state.round}:L${state.level}:R${state.loop}:${userId}`,
  }));
}

/**
 * Enters (level, loop) at `at`: notifies its people and arms the timer. A level with nobody to
 * notify (an empty post at night) is passed over at once rather than waited out.
 */
function enterLevel(
  policy: EscalationPolicy,
  base: EscalationState,
  level: number,
  loop: number,
  at: number,
  reason: NotifyReason,
  resolve: ResolveTargets,
): EscalationStep {
  const effects: EscalationEffect[] = [];
  let state: EscalationState = { ...base, rrCursor: [...base.rrCursor] };
  let l = level;
  let r = loop;
  for (;;) {
    const spec = policy.levels[l];
    if (spec === undefined) {
      state = { ...state, seq: state.seq + 1, timerAt: null, exhausted: true };
      effects.push({ kind: 'timeline', pageId: state.pageId, at, entry: { type: 'exhausted' } });
      return { state, effects };
    }
    let users = usersOf(spec.targets, resolve);
    if (spec.roundRobin && users.length > 0) {
      const cursor = state.rrCursor[l] ?? 0;
      users = [users[cursor % users.length]!];
      state.rrCursor[l] = cursor + 1;
    }
    state = { ...state, level: l, loop: r };
    if (users.length > 0) {
      const seq = state.seq + 1;
      const timerAt = at + spec.delayMinutes * MINUTE;
      effects.push(...notifyAll(state, users, reason));
      state = { ...state, seq, round: state.round + 1, timerAt, exhausted: false };
      effects.push(
        {
          kind: 'timeline',
          pageId: state.pageId,
          at,
          entry: { type: 'escalated', level: l, loop: r, userIds: users },
        },
        { kind: 'schedule', pageId: state.pageId, at: timerAt, seq },
      );
      return { state, effects };
    }
    effects.push({
      kind: 'timeline',
      pageId: state.pageId,
      at,
      entry: { type: 'no_one_to_notify', level: l, loop: r },
    });
    const next = nextPosition(policy, l, r);
    if (next === null) {
      state = { ...state, seq: state.seq + 1, timerAt: null, exhausted: true };
      effects.push({ kind: 'timeline', pageId: state.pageId, at, entry: { type: 'exhausted' } });
      return { state, effects };
    }
    [l, r] = next;
  }
}

function nextPosition(
  policy: EscalationPolicy,
  level: number,
  loop: number,
): [number, number] | null {
  if (level + 1 < policy.levels.length) return [level + 1, loop];
  if (loop < policy.repeat) return [0, loop + 1];
  return null;
}

/** Opens escalation for a new page: level 0 is notified at once. */
export function startEscalation(
  pageId: string,
  policy: EscalationPolicy,
  at: number,
  resolve: ResolveTargets,
): EscalationStep {
  const initial: EscalationState = {
    pageId,
    status: 'triggered',
    level: 0,
    loop: 0,
    seq: 0,
    round: 0,
    timerAt: null,
    exhausted: false,
    snoozedUntil: null,
    acknowledgedBy: null,
    rrCursor: policy.levels.map(() => 0),
  };
  const step = enterLevel(policy, initial, 0, 0, at, 'escalation', resolve);
  return {
    state: step.state,
    effects: [{ kind: 'timeline', pageId, at, entry: { type: 'triggered' } }, ...step.effects],
  };
}

/**
 * The escalation state machine: one event in, the new state and what must happen out. The
 * caller persists the state and turns effects into jobs in one transaction.
 */
export function stepEscalation(
  policy: EscalationPolicy,
  state: EscalationState,
  event: EscalationEvent,
  resolve: ResolveTargets,
): EscalationStep {
  const none: EscalationStep = { state, effects: [] };
  if (state.status === 'resolved') return none;
  const at = event.at;
  const line = (entry: TimelineEntry): EscalationEffect => ({
    kind: 'timeline',
    pageId: state.pageId,
    at,
    entry,
  });
  switch (event.type) {
    case 'acknowledge':
      if (state.status === 'acknowledged') return none;
      return {
        state: {
          ...state,
          status: 'acknowledged',
          acknowledgedBy: event.userId,
          seq: state.seq + 1,
          timerAt: null,
        },
        effects: [line({ type: 'acknowledged', userId: event.userId })],
      };
    case 'resolve':
      return {
        state: {
          ...state,
          status: 'resolved',
          seq: state.seq + 1,
          timerAt: null,
          snoozedUntil: null,
        },
        effects: [line({ type: 'resolved', userId: event.userId })],
      };
    case 'timer': {
      if (event.seq !== state.seq || state.exhausted) return none;
      if (state.status === 'acknowledged') {
        if (state.snoozedUntil === null) return none;
        const woke: EscalationState = {
          ...state,
          status: 'triggered',
          snoozedUntil: null,
          acknowledgedBy: null,
        };
        const step = enterLevel(policy, woke, state.level, state.loop, at, 'snooze_ended', resolve);
        return { state: step.state, effects: [line({ type: 'snooze_ended' }), ...step.effects] };
      }
      const next = nextPosition(policy, state.level, state.loop);
      if (next === null) {
        return {
          state: { ...state, seq: state.seq + 1, timerAt: null, exhausted: true },
          effects: [line({ type: 'exhausted' })],
        };
      }
      return enterLevel(policy, state, next[0], next[1], at, 'escalation', resolve);
    }
    case 'escalate_now': {
      const last = Math.max(policy.levels.length - 1, 0);
      const base: EscalationState = {
        ...state,
        status: 'triggered',
        snoozedUntil: null,
        acknowledgedBy: null,
      };
      const step = enterLevel(
        policy,
        base,
        Math.min(state.level + 1, last),
        state.loop,
        at,
        'escalation',
        resolve,
      );
      return {
        state: step.state,
        effects: [line({ type: 'escalated_manually', userId: event.userId }), ...step.effects],
      };
    }
    case 'snooze': {
      if (event.until <= at) throw invalid('until', 'alerts.errors.snoozeInPast');
      const seq = state.seq + 1;
      return {
        state: {
          ...state,
          status: 'acknowledged',
          acknowledgedBy: state.acknowledgedBy ?? event.userId,
          snoozedUntil: event.until,
          seq,
          timerAt: event.until,
        },
        effects: [
          line({ type: 'snoozed', userId: event.userId, until: event.until }),
          { kind: 'schedule', pageId: state.pageId, at: event.until, seq },
        ],
      };
    }
    case 'reassign': {
      const users = usersOf(event.to, resolve);
      if (users.length === 0) throw invalid('to', 'alerts.errors.nobodyToReassign');
      const seq = state.seq + 1;
      const spec = policy.levels[state.level];
      const timerAt = at + (spec?.delayMinutes ?? 0) * MINUTE;
      const base: EscalationState = {
        ...state,
        status: 'triggered',
        acknowledgedBy: null,
        snoozedUntil: null,
      };
      return {
        state: { ...base, seq, round: state.round + 1, timerAt, exhausted: false },
        effects: [
          line({ type: 'reassigned', userId: event.userId, targets: event.to, userIds: users }),
          ...notifyAll(base, users, 'reassigned'),
          { kind: 'schedule', pageId: state.pageId, at: timerAt, seq },
        ],
      };
    }
    case 'add_responders': {
      const users = usersOf(event.targets, resolve);
      if (users.length === 0) throw invalid('targets', 'alerts.errors.nobodyToAdd');
      return {
        state: { ...state, round: state.round + 1 },
        effects: [
          line({
            type: 'responders_added',
            userId: event.userId,
            targets: event.targets,
            userIds: users,
          }),
          ...notifyAll(state, users, 'responder'),
        ],
      };
    }
  }
}
