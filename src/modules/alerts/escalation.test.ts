import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  startEscalation,
  stepEscalation,
  type EscalationEffect,
  type EscalationEvent,
  type EscalationPolicy,
  type EscalationState,
  type ResolveTargets,
} from './escalation.js';

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1, 2, 0);

const teams: Record<string, string[]> = { ops: ['u2', 'u3', 'u4'], empty: [] };
const onDuty: Record<string, string[]> = { 'night-tech': ['u5'], vacant: [] };
const resolve: ResolveTargets = (t) =>
  t.kind === 'team' ? (teams[t.id] ?? []) : t.kind === 'post' ? (onDuty[t.id] ?? []) : [t.id];

const policy: EscalationPolicy = {
  levels: [
    { targets: [{ kind: 'post', id: 'night-tech' }], delayMinutes: 5, roundRobin: false },
    {
      targets: [
        { kind: 'team', id: 'ops' },
        { kind: 'user', id: 'u2' },
      ],
      delayMinutes: 10,
      roundRobin: false,
    },
  ],
  repeat: 1,
};

const notified = (effects: EscalationEffect[]) =>
  effects.flatMap((e) => (e.kind === 'notify' ? [`${e.userId}@L${e.level}R${e.loop}`] : []));
const timer = (effects: EscalationEffect[]) => effects.find((e) => e.kind === 'schedule');

function fire(state: EscalationState, p = policy) {
  return stepEscalation(p, state, { type: 'timer', at: state.timerAt!, seq: state.seq }, resolve);
}

describe('escalation examples', () => {
  it('pages the on-duty person, climbs after the delay, repeats once, then stops', () => {
    let s = startEscalation('p1', policy, T0, resolve);
    expect(notified(s.effects)).toEqual(['u5@L0R0']);
    expect(timer(s.effects)).toEqual({ kind: 'schedule', pageId: 'p1', at: T0 + 5 * MIN, seq: 1 });
    s = fire(s.state);
    expect(notified(s.effects)).toEqual(['u2@L1R0', 'u3@L1R0', 'u4@L1R0']);
    s = fire(s.state);
    expect(notified(s.effects)).toEqual(['u5@L0R1']);
    s = fire(s.state);
    expect(notified(s.effects)).toEqual(['u2@L1R1', 'u3@L1R1', 'u4@L1R1']);
    s = fire(s.state);
    expect(s.effects).toEqual([
      { kind: 'timeline', pageId: 'p1', at: T0 + 30 * MIN, entry: { type: 'exhausted' } },
    ]);
    expect(s.state.exhausted).toBe(true);
  });

  it('stops on acknowledge: the pending timer is stale', () => {
    const s = startEscalation('p1', policy, T0, resolve);
    const acked = stepEscalation(
      policy,
      s.state,
      { type: 'acknowledge', at: T0 + MIN, userId: 'u5' },
      resolve,
    );
    expect(acked.state.status).toBe('acknowledged');
    const late = stepEscalation(
      policy,
      acked.state,
      { type: 'timer', at: T0 + 5 * MIN, seq: s.state.seq },
      resolve,
    );
    expect(late.effects).toEqual([]);
  });

  it('takes turns in a round-robin level across repeats', () => {
    const rr: EscalationPolicy = {
      levels: [{ targets: [{ kind: 'team', id: 'ops' }], delayMinutes: 3, roundRobin: true }],
      repeat: 3,
    };
    let s = startEscalation('p2', rr, T0, resolve);
    const seen = [notified(s.effects)];
    for (let i = 0; i < 3; i++) {
      s = fire(s.state, rr);
      seen.push(notified(s.effects));
    }
    expect(seen).toEqual([['u2@L0R0'], ['u3@L0R1'], ['u4@L0R2'], ['u2@L0R3']]);
  });

  it('passes over a level with nobody on duty', () => {
    const p: EscalationPolicy = {
      levels: [
        { targets: [{ kind: 'post', id: 'vacant' }], delayMinutes: 5, roundRobin: false },
        { targets: [{ kind: 'user', id: 'u9' }], delayMinutes: 5, roundRobin: false },
      ],
      repeat: 0,
    };
    const s = startEscalation('p3', p, T0, resolve);
    expect(notified(s.effects)).toEqual(['u9@L1R0']);
    expect(
      s.effects.some((e) => e.kind === 'timeline' && e.entry.type === 'no_one_to_notify'),
    ).toBe(true);
  });

  it('snoozes and pages the current level again when the snooze ends', () => {
    const s = startEscalation('p1', policy, T0, resolve);
    const sn = stepEscalation(
      policy,
      s.state,
      { type: 'snooze', at: T0 + MIN, userId: 'u5', until: T0 + 61 * MIN },
      resolve,
    );
    expect(timer(sn.effects)).toMatchObject({ at: T0 + 61 * MIN });
    const woke = fire(sn.state);
    expect(woke.state.status).toBe('triggered');
    expect(notified(woke.effects)).toEqual(['u5@L0R0']);
    expect(() =>
      stepEscalation(policy, s.state, { type: 'snooze', at: T0, userId: 'u5', until: T0 }, resolve),
    ).toThrow(/snoozeInPast/);
  });

  it('reassigns, adds responders and escalates now with fresh keys', () => {
    const s = startEscalation('p1', policy, T0, resolve);
    const ra = stepEscalation(
      policy,
      s.state,
      { type: 'reassign', at: T0 + MIN, userId: 'u5', to: [{ kind: 'user', id: 'u7' }] },
      resolve,
    );
    expect(notified(ra.effects)).toEqual(['u7@L0R0']);
    const add = stepEscalation(
      policy,
      ra.state,
      {
        type: 'add_responders',
        at: T0 + 2 * MIN,
        userId: 'u7',
        targets: [{ kind: 'user', id: 'u5' }],
      },
      resolve,
    );
    expect(notified(add.effects)).toEqual(['u5@L0R0']);
    const keyOf = (es: EscalationEffect[]) =>
      es.flatMap((e) => (e.kind === 'notify' ? [e.idempotencyKey] : []));
    expect(keyOf(add.effects)).not.toEqual(keyOf(s.effects));
    const now = stepEscalation(
      policy,
      add.state,
      { type: 'escalate_now', at: T0 + 3 * MIN, userId: 'u7' },
      resolve,
    );
    expect(notified(now.effects)).toEqual(['u2@L1R0', 'u3@L1R0', 'u4@L1R0']);
  });
});

// A random run: start, then random user actions interleaved with firing any timer ever
// scheduled (stale ones included, in any order).
type Action =
  | { kind: 'fire'; pick: number }
  | {
      kind: 'user';
      event: 'acknowledge' | 'resolve' | 'escalate_now' | 'snooze' | 'reassign' | 'add_responders';
    };

const policyArb: fc.Arbitrary<EscalationPolicy> = fc.record({
  levels: fc.array(
    fc.record({
      targets: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('user' as const), id: fc.constantFrom('u1', 'u2', 'u6') }),
          fc.record({ kind: fc.constant('team' as const), id: fc.constantFrom('ops', 'empty') }),
          fc.record({
            kind: fc.constant('post' as const),
            id: fc.constantFrom('night-tech', 'vacant'),
          }),
        ),
        { maxLength: 3 },
      ),
      delayMinutes: fc.integer({ min: 0, max: 30 }),
      roundRobin: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
  repeat: fc.integer({ min: 0, max: 3 }),
});

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('fire' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('user' as const),
      event: fc.constantFrom(
        'acknowledge',
        'resolve',
        'escalate_now',
        'snooze',
        'reassign',
        'add_responders' as const,
      ),
    }),
  },
);

function run(p: EscalationPolicy, actions: Action[]) {
  const start = startEscalation('pg', p, T0, resolve);
  let state = start.state;
  let now = T0;
  const timers: Array<{ at: number; seq: number }> = [];
  const log: Array<{
    before: EscalationState;
    event: EscalationEvent | null;
    effects: EscalationEffect[];
    after: EscalationState;
  }> = [{ before: state, event: null, effects: start.effects, after: state }];
  const collect = (effects: EscalationEffect[]) => {
    for (const e of effects) if (e.kind === 'schedule') timers.push({ at: e.at, seq: e.seq });
  };
  collect(start.effects);
  for (const a of actions) {
    let event: EscalationEvent;
    if (a.kind === 'fire') {
      if (timers.length === 0) continue;
      const t = timers[a.pick % timers.length]!;
      now = Math.max(now, t.at);
      event = { type: 'timer', at: now, seq: t.seq };
    } else {
      now += MIN;
      const u = 'u1';
      event =
        a.event === 'snooze'
          ? { type: 'snooze', at: now, userId: u, until: now + 30 * MIN }
          : a.event === 'reassign'
            ? { type: 'reassign', at: now, userId: u, to: [{ kind: 'user', id: 'u8' }] }
            : a.event === 'add_responders'
              ? {
                  type: 'add_responders',
                  at: now,
                  userId: u,
                  targets: [{ kind: 'team', id: 'ops' }],
                }
              : a.event === 'resolve'
                ? { type: 'resolve', at: now, userId: u }
                : { type: a.event, at: now, userId: u };
    }
    const before = state;
    const step = stepEscalation(p, state, event, resolve);
    collect(step.effects);
    state = step.state;
    log.push({ before, event, effects: step.effects, after: state });
  }
  return log;
}

describe('escalation properties', () => {
  it('never notifies after resolve, and a timer never notifies an acknowledged page', () => {
    fc.assert(
      fc.property(policyArb, fc.array(actionArb, { maxLength: 40 }), (p, actions) => {
        for (const { before, event, effects, after } of run(p, actions)) {
          if (before.status === 'resolved') {
            expect(effects).toEqual([]);
            expect(after).toBe(before);
          }
          if (
            before.status === 'acknowledged' &&
            before.snoozedUntil === null &&
            event?.type === 'timer'
          ) {
            expect(effects.filter((e) => e.kind === 'notify')).toEqual([]);
          }
        }
      }),
    );
  });

  it('gives every notification a unique idempotency key', () => {
    fc.assert(
      fc.property(policyArb, fc.array(actionArb, { maxLength: 40 }), (p, actions) => {
        const keys = run(p, actions).flatMap((l) =>
          l.effects.flatMap((e) => (e.kind === 'notify' ? [e.idempotencyKey] : [])),
        );
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });

  it('with only timers, climbs levels in order and stops after the repeats', () => {
    fc.assert(
      fc.property(policyArb, fc.array(fc.nat(), { maxLength: 60 }), (p, picks) => {
        const log = run(
          p,
          picks.map((pick) => ({ kind: 'fire' as const, pick })),
        );
        const visits = log.flatMap((l) => {
          const n = l.effects.find((e) => e.kind === 'notify');
          return n && n.kind === 'notify' ? [[n.loop, n.level] as const] : [];
        });
        for (let i = 1; i < visits.length; i++) {
          const [pl, pv] = visits[i - 1]!;
          const [l, v] = visits[i]!;
          expect(l > pl || (l === pl && v > pv)).toBe(true);
        }
        for (const [loop] of visits) expect(loop).toBeLessThanOrEqual(p.repeat);
        expect(visits.length).toBeLessThanOrEqual(p.levels.length * (p.repeat + 1));
      }),
    );
  });

  it('fires a full in-order run to exhaustion, notifying each non-empty level once per loop', () => {
    fc.assert(
      fc.property(policyArb, (p) => {
        let s = startEscalation('pg', p, T0, resolve);
        let visits = s.effects.some((e) => e.kind === 'notify') ? 1 : 0;
        for (let i = 0; i < 50 && !s.state.exhausted; i++) {
          s = fire(s.state, p);
          if (s.effects.some((e) => e.kind === 'notify')) visits++;
        }
        expect(s.state.exhausted).toBe(true);
        const nonEmpty = p.levels.filter((l) =>
          l.targets.some((t) => (t.kind === 'user' ? true : resolve(t).length > 0)),
        ).length;
        expect(visits).toBe(nonEmpty * (p.repeat + 1));
      }),
    );
  });
});
