import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import cn2026 from './calendars/cn-2026.json' with { type: 'json' };
import {
  addBusinessMinutes,
  defineCalendar,
  parseHolidayList,
  TWENTY_FOUR_SEVEN,
  WEEKDAY_KEYS,
  withHolidayList,
  type BusinessCalendar,
} from './business-calendar.js';
import {
  computeSla,
  dueSignals,
  selectPolicy,
  type SlaEvent,
  type SlaPolicy,
  type SlaTarget,
} from './sla-clock.js';
import { TICKET_STATUSES } from './ticket-state.js';

const M = 60_000;
const T0 = Date.UTC(2026, 10, 2, 1, 0); // Monday 09:00 in Shanghai
const policy: SlaPolicy = {
  id: 'p',
  match: {},
  targets: { firstResponse: 30, nextUpdate: 60, resolution: 240 },
  warnAtPercent: 80,
};
const target = (r: ReturnType<typeof computeSla>, t: SlaTarget) =>
  r.targets.find((x) => x.target === t)!;
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();

const office = (zone: string) =>
  defineCalendar({
    kind: 'hours',
    zone,
    weekly: Object.fromEntries(
      WEEKDAY_KEYS.slice(0, 5).map((k) => [k, ['09:00-12:00', '13:30-18:00']]),
    ),
  });
const shanghai = withHolidayList(office('Asia/Shanghai'), parseHolidayList(cn2026));

describe('SLA clock, hand-checked', () => {
  it('meets first response answered in 20 min; warns at 24, due at 30', () => {
    const r = computeSla(
      policy,
      TWENTY_FOUR_SEVEN,
      [
        { kind: 'created', at: T0 },
        { kind: 'agent_reply', at: T0 + 20 * M },
      ],
      T0 + 60 * M,
    );
    expect(target(r, 'firstResponse')).toMatchObject({
      state: 'met',
      dueAt: T0 + 30 * M,
      warnAt: T0 + 24 * M,
      elapsedMinutes: 20,
      stoppedAt: T0 + 20 * M,
    });
    expect(target(r, 'nextUpdate').state).toBe('inactive');
    expect(target(r, 'resolution')).toMatchObject({
      state: 'running',
      dueAt: T0 + 240 * M,
      warnAt: T0 + 192 * M,
    });
    expect(r.nextEventAt).toBe(T0 + 192 * M);
  });

  it('runs, then breaches, an unanswered ticket; schedules the breach next', () => {
    const ev: SlaEvent[] = [{ kind: 'created', at: T0 }];
    const r = computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 25 * M);
    expect(target(r, 'firstResponse').state).toBe('running');
    expect(r.nextEventAt).toBe(T0 + 30 * M);
    const late = computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 30 * M);
    expect(target(late, 'firstResponse')).toMatchObject({ state: 'breached', remainingMinutes: 0 });
    const answeredLate = computeSla(
      policy,
      TWENTY_FOUR_SEVEN,
      [...ev, { kind: 'agent_reply', at: T0 + 31 * M }],
      T0 + 40 * M,
    );
    expect(target(answeredLate, 'firstResponse').state).toBe('breached');
  });

  it('pauses resolution while pending the customer (60 min) and not while pending a third party', () => {
    const ev: SlaEvent[] = [
      { kind: 'created', at: T0 },
      { kind: 'agent_reply', at: T0 + 5 * M },
      { kind: 'status', at: T0 + 60 * M, to: 'pending_customer' },
      { kind: 'status', at: T0 + 120 * M, to: 'in_progress' },
      { kind: 'status', at: T0 + 130 * M, to: 'pending_third_party' },
    ];
    const r = computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 150 * M);
    expect(target(r, 'resolution')).toMatchObject({
      state: 'running',
      dueAt: T0 + 300 * M,
      pausedMinutes: 60,
      elapsedMinutes: 90,
    });
    const during = computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 90 * M);
    expect(target(during, 'resolution')).toMatchObject({
      state: 'paused',
      dueAt: null,
      remainingMinutes: 180,
    });
  });

  it('opens a next-update cycle on a customer reply and closes it with the agent answer', () => {
    const ev: SlaEvent[] = [
      { kind: 'created', at: T0 },
      { kind: 'agent_reply', at: T0 + 5 * M },
      { kind: 'customer_reply', at: T0 + 10 * M },
      { kind: 'customer_reply', at: T0 + 20 * M },
      { kind: 'agent_reply', at: T0 + 100 * M },
      { kind: 'customer_reply', at: T0 + 110 * M },
    ];
    const r = computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 120 * M);
    expect(target(r, 'nextUpdate')).toMatchObject({
      state: 'running',
      startedAt: T0 + 110 * M,
      dueAt: T0 + 170 * M,
      breachedCycles: 1,
    });
  });

  it('stops resolution while resolved and continues on reopen', () => {
    const ev: SlaEvent[] = [
      { kind: 'created', at: T0 },
      { kind: 'status', at: T0 + 100 * M, to: 'resolved' },
      { kind: 'status', at: T0 + 200 * M, to: 'closed' },
      { kind: 'status', at: T0 + 300 * M, to: 'reopened' },
    ];
    expect(
      target(computeSla(policy, TWENTY_FOUR_SEVEN, ev.slice(0, 3), T0 + 250 * M), 'resolution'),
    ).toMatchObject({
      state: 'met',
      stoppedAt: T0 + 100 * M,
    });
    const r = computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 310 * M);
    expect(target(r, 'resolution')).toMatchObject({
      state: 'running',
      elapsedMinutes: 110,
      dueAt: T0 + 440 * M,
    });
    // Resolution also counts as the first response.
    expect(target(r, 'firstResponse').state).toBe('breached');
  });

  it('meets a reply exactly at the due instant; breaches one millisecond later', () => {
    const ev = (reply: number): SlaEvent[] => [
      { kind: 'created', at: T0 },
      { kind: 'agent_reply', at: reply },
    ];
    expect(
      target(computeSla(policy, TWENTY_FOUR_SEVEN, ev(T0 + 30 * M), T0 + 99 * M), 'firstResponse')
        .state,
    ).toBe('met');
    expect(
      target(
        computeSla(policy, TWENTY_FOUR_SEVEN, ev(T0 + 30 * M + 1), T0 + 99 * M),
        'firstResponse',
      ).state,
    ).toBe('breached');
  });

  it('opens no next-update cycle before the first response, nor while resolved', () => {
    const r = computeSla(
      policy,
      TWENTY_FOUR_SEVEN,
      [
        { kind: 'created', at: T0 },
        { kind: 'customer_reply', at: T0 + 1 * M },
        { kind: 'status', at: T0 + 2 * M, to: 'resolved' },
        { kind: 'customer_reply', at: T0 + 3 * M },
      ],
      T0 + 500 * M,
    );
    expect(target(r, 'nextUpdate').state).toBe('inactive');
    expect(target(r, 'firstResponse')).toMatchObject({ state: 'met', stoppedAt: T0 + 2 * M });
  });

  it('emits each warning and breach once, keyed per target and period', () => {
    const ev: SlaEvent[] = [{ kind: 'created', at: T0 }];
    expect(
      dueSignals('t1', computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 10 * M), T0 + 10 * M),
    ).toEqual([]);
    expect(
      dueSignals('t1', computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 25 * M), T0 + 25 * M),
    ).toEqual([
      {
        kind: 'warning',
        target: 'firstResponse',
        at: T0 + 24 * M,
        key: `sla:t1:firstResponse:${T0}:warning`,
      },
    ]);
    expect(
      dueSignals('t1', computeSla(policy, TWENTY_FOUR_SEVEN, ev, T0 + 200 * M), T0 + 200 * M),
    ).toEqual([
      {
        kind: 'breach',
        target: 'firstResponse',
        at: T0 + 30 * M,
        key: `sla:t1:firstResponse:${T0}:breach`,
      },
      {
        kind: 'warning',
        target: 'resolution',
        at: T0 + 192 * M,
        key: `sla:t1:resolution:${T0}:warning`,
      },
    ]);
  });

  it('counts on the Shanghai office calendar across National Day', () => {
    const created = at('2026-09-30T17:00+08:00');
    const r = computeSla(policy, shanghai, [{ kind: 'created', at: created }], created + M);
    expect(target(r, 'resolution').dueAt).toBe(at('2026-10-08T12:00+08:00'));
    expect(target(r, 'firstResponse').dueAt).toBe(at('2026-09-30T17:30+08:00'));
  });

  it('selects the most specific policy: customer beats priority beats type; ties by id', () => {
    const mk = (id: string, match: SlaPolicy['match']): SlaPolicy => ({ ...policy, id, match });
    const all = [
      mk('z-default', {}),
      mk('type', { type: 'complaint' }),
      mk('prio', { priority: 'P1' }),
      mk('prio-type', { priority: 'P1', type: 'complaint' }),
      mk('cust', { customerId: 'acme' }),
      mk('b-cust-type', { customerId: 'acme', type: 'fault' }),
      mk('a-cust-type', { customerId: 'acme', type: 'fault' }),
    ];
    expect(selectPolicy(all, { type: 'complaint', priority: 'P1' })?.id).toBe('prio-type');
    expect(selectPolicy(all, { type: 'complaint', priority: 'P3' })?.id).toBe('type');
    expect(selectPolicy(all, { type: 'complaint', priority: 'P1', customerId: 'acme' })?.id).toBe(
      'cust',
    );
    expect(selectPolicy(all, { type: 'fault', priority: 'P1', customerId: 'acme' })?.id).toBe(
      'a-cust-type',
    );
    expect(
      selectPolicy([...all].reverse(), { type: 'fault', priority: 'P1', customerId: 'acme' })?.id,
    ).toBe('a-cust-type');
    expect(selectPolicy(all, { type: 'request', priority: 'P4' })?.id).toBe('z-default');
    expect(selectPolicy(all.slice(1), { type: 'request', priority: 'P4' })).toBeUndefined();
  });
});

// ---- properties ----

const calendars: BusinessCalendar[] = [
  TWENTY_FOUR_SEVEN,
  shanghai,
  office('America/New_York'),
  office('Europe/Berlin'),
];
const calArb = fc.constantFrom(...calendars);
const policyArb = fc.record({
  id: fc.constant('p'),
  match: fc.constant({}),
  targets: fc.record({
    firstResponse: fc.integer({ min: 1, max: 600 }),
    nextUpdate: fc.integer({ min: 1, max: 600 }),
    resolution: fc.integer({ min: 1, max: 6000 }),
  }),
  warnAtPercent: fc.integer({ min: 1, max: 99 }),
});
const startArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) });
const stepArb = fc.record({
  gap: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  event: fc.oneof(
    fc.constant({ kind: 'agent_reply' as const }),
    fc.constant({ kind: 'customer_reply' as const }),
    fc.constantFrom(...TICKET_STATUSES).map((to) => ({ kind: 'status' as const, to })),
  ),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;
const historyArb = (steps: fc.Arbitrary<Step[]>) =>
  fc.tuple(startArb, steps, fc.integer({ min: 0, max: 7 * 24 * 60 })).map(([start, list, tail]) => {
    const events: SlaEvent[] = [{ kind: 'created', at: start }];
    let t = start;
    for (const s of list) {
      t += s.gap * M;
      events.push({ ...s.event, at: t });
    }
    return { events, now: t + tail * M };
  });
const anyHistory = historyArb(fc.array(stepArb, { maxLength: 12 }));
const repliesOnly = historyArb(
  fc.array(
    stepArb.filter((s) => s.event.kind !== 'status'),
    { maxLength: 6 },
  ),
);

describe('SLA clock properties', () => {
  it('without pauses, due = addBusinessMinutes(created, target) for first response and resolution', () => {
    fc.assert(
      fc.property(calArb, policyArb, repliesOnly, (cal, p, { events, now }) => {
        const r = computeSla(p, cal, events, now);
        const created = events[0]!.at;
        expect(target(r, 'firstResponse').dueAt).toBe(
          addBusinessMinutes(cal, created, p.targets.firstResponse),
        );
        expect(target(r, 'resolution').dueAt).toBe(
          addBusinessMinutes(cal, created, p.targets.resolution),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('first response is met iff the first agent reply comes at or before the due instant', () => {
    fc.assert(
      fc.property(calArb, policyArb, repliesOnly, (cal, p, { events, now }) => {
        const r = target(computeSla(p, cal, events, now), 'firstResponse');
        const reply = events.find((e) => e.kind === 'agent_reply');
        const due = addBusinessMinutes(cal, events[0]!.at, p.targets.firstResponse);
        if (reply) expect(r.state).toBe(reply.at <= due ? 'met' : 'breached');
        else expect(r.state).toBe(now >= due ? 'breached' : 'running');
      }),
      { numRuns: 60 },
    );
  });

  it('pausing never brings a due instant earlier', () => {
    fc.assert(
      fc.property(calArb, policyArb, anyHistory, (cal, p, { events, now }) => {
        const paused = computeSla(p, cal, events, now);
        const unpaused = computeSla({ ...p, pauseStatuses: [] }, cal, events, now);
        for (const t of ['firstResponse', 'nextUpdate', 'resolution'] as const) {
          const a = target(paused, t);
          const b = target(unpaused, t);
          expect(a.elapsedMinutes).toBeLessThanOrEqual(b.elapsedMinutes);
          if (a.dueAt !== null && b.dueAt !== null) expect(a.dueAt).toBeGreaterThanOrEqual(b.dueAt);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps elapsed + remaining = target until breach; met only when stopped at or before due', () => {
    fc.assert(
      fc.property(calArb, policyArb, anyHistory, (cal, p, { events, now }) => {
        const r = computeSla(p, cal, events, now);
        for (const x of r.targets) {
          const goal = p.targets[x.target];
          if (x.state === 'inactive') continue;
          if (x.state !== 'breached')
            expect(x.elapsedMinutes + x.remainingMinutes).toBeCloseTo(goal, 6);
          if (x.state === 'met') expect(x.stoppedAt!).toBeLessThanOrEqual(x.dueAt!);
          if (x.state === 'breached') expect(x.dueAt).not.toBeNull();
          if (x.state === 'running') expect(x.dueAt!).toBeGreaterThan(now);
          if (x.warnAt !== null && x.dueAt !== null) expect(x.warnAt).toBeLessThanOrEqual(x.dueAt);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the scheduled next event is in the future and, reached with no new events, warns or breaches', () => {
    fc.assert(
      fc.property(calArb, policyArb, anyHistory, (cal, p, { events, now }) => {
        const r = computeSla(p, cal, events, now);
        if (r.nextEventAt === null) {
          expect(r.targets.some((x) => x.state === 'running')).toBe(false);
          return;
        }
        expect(r.nextEventAt).toBeGreaterThan(now);
        const later = computeSla(p, cal, events, r.nextEventAt);
        const fired = later.targets.some(
          (x) =>
            (x.state === 'breached' && x.dueAt === r.nextEventAt) || x.warnAt === r.nextEventAt,
        );
        expect(fired).toBe(true);
        // A running clock keeps its due instant as time passes without events.
        for (const x of r.targets)
          if (x.state === 'running') expect(target(later, x.target).dueAt).toBe(x.dueAt);
      }),
      { numRuns: 60 },
    );
  });
});
