import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../roster/local-date.js';
import { checkRoster } from '../roster/rest-rules.js';
import type { Post, RestRules, ShiftType } from '../roster/roster.schema.js';
import { buildProductModel, rosterToAssignments } from './product-model.js';
import type { ProductSetup } from './product-model.js';
import type { RosterModel } from './model.js';
import {
  MIN_RESUME_MS,
  type SolveFn,
  type SolveStage,
  checkInputOf,
  fairnessReport,
  modelIdentity,
  softMisses,
  solveProduct,
} from './product-solve.js';
import { solve } from './solver.js';
import { validateRoster } from './validator.js';

const st = (id: string, start: string, end: string, night?: boolean): ShiftType => ({
  id,
  code: id.toUpperCase(),
  name: id,
  start,
  end,
  breakMinutes: 0,
  colour: '#123456',
  ...(night !== undefined ? { night } : {}),
});
const TYPES = [
  st('d', '08:00', '16:00'),
  st('e', '16:00', '00:00'),
  st('n', '00:00', '08:00', true),
  st('l', '20:00', '08:00'),
];

const inThread: SolveFn = async (model, o) =>
  solve(model, {
    seed: 7,
    timeLimitMs: Math.min(o.timeLimitMs, 1500),
    maxIterations: 150,
    ...(o.initial ? { initial: o.initial } : {}),
  });

const sev = fc.constantFrom<'block' | 'warn'>('block', 'warn');
const rulesArb: fc.Arbitrary<RestRules> = fc.record(
  {
    minRestHours: fc.record({ value: fc.integer({ min: 8, max: 14 }), severity: sev }),
    maxConsecutiveDays: fc.record({ value: fc.integer({ min: 3, max: 7 }), severity: sev }),
    maxConsecutiveNights: fc.record({ value: fc.integer({ min: 1, max: 4 }), severity: sev }),
    minDaysOffAfterNights: fc.record({ value: fc.integer({ min: 1, max: 3 }), severity: sev }),
    maxHoursPerWeek: fc.record({ value: fc.integer({ min: 24, max: 56 }), severity: sev }),
    maxHoursPerMonth: fc.record({ value: fc.integer({ min: 60, max: 200 }), severity: sev }),
    skills: fc.record({ severity: sev }),
    cover: fc.record({ severity: sev }),
    doubleBooking: fc.record({ severity: sev }),
    leave: fc.record({ severity: sev }),
  },
  { requiredKeys: [] },
);

const setupArb: fc.Arbitrary<ProductSetup> = fc
  .record({
    start: fc.constantFrom('2026-12-01', '2027-01-28', '2026-10-20'),
    days: fc.integer({ min: 5, max: 14 }),
    zone: fc.constantFrom('Asia/Shanghai', 'UTC', 'Europe/Berlin'),
    types: fc.subarray(TYPES, { minLength: 1 }),
    people: fc.integer({ min: 2, max: 9 }),
    skilled: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    cover: fc.array(
      fc.record({ min: fc.integer({ min: 0, max: 2 }), extra: fc.integer({ min: 0, max: 1 }) }),
      { minLength: 8, maxLength: 8 },
    ),
    rules: rulesArb,
    leave: fc.array(
      fc.record({ p: fc.nat(8), from: fc.nat(13), len: fc.integer({ min: 0, max: 3 }) }),
      { maxLength: 3 },
    ),
    requests: fc.array(fc.record({ p: fc.nat(8), d: fc.nat(13), on: fc.boolean(), t: fc.nat(3) }), {
      maxLength: 6,
    }),
    holiday: fc.option(fc.nat(13), { nil: undefined }),
  })
  .map((x) => {
    const end = addDays(x.start, x.days - 1);
    const ids = x.types.map((t) => t.id);
    const posts: Post[] = [
      {
        id: 'p1',
        name: 'Ops',
        shiftTypeIds: ids,
        cover: ids.flatMap((id, i) => [
          {
            shiftTypeId: id,
            dayKind: 'weekday' as const,
            min: x.cover[i]!.min,
            preferred: x.cover[i]!.min + x.cover[i]!.extra,
          },
          {
            shiftTypeId: id,
            dayKind: 'weekend' as const,
            min: Math.min(1, x.cover[i + 4]!.min),
            preferred: 1,
          },
        ]),
        requiredSkills: [],
      },
      {
        id: 'p2',
        name: 'Net',
        shiftTypeIds: [ids[0]!],
        cover: [{ shiftTypeId: ids[0]!, dayKind: 'weekday', min: 0, preferred: 1 }],
        requiredSkills: ['net'],
      },
    ];
    const people = Array.from({ length: x.people }, (_, i) => ({
      id: `u${i}`,
      skills: x.skilled[i] ? ['net'] : [],
    }));
    return {
      periodStart: x.start,
      periodEnd: end,
      timeZone: x.zone,
      shiftTypes: x.types,
      posts,
      people,
      rules: x.rules,
      calendar: x.holiday !== undefined ? { holidays: [addDays(x.start, x.holiday)] } : {},
      leave: x.leave
        .filter((l) => l.p < x.people)
        .map((l) => ({
          personId: `u${l.p}`,
          startDate: addDays(x.start, l.from),
          endDate: addDays(x.start, l.from + l.len),
        })),
      requests: x.requests
        .filter((r) => r.p < x.people)
        .map((r) => ({
          personId: `u${r.p}`,
          date: addDays(x.start, r.d % x.days),
          kind: r.on ? ('on' as const) : ('off' as const),
          shiftTypeId: ids[r.t % ids.length]!,
        })),
    } satisfies ProductSetup;
  });

describe('product roster → solver model', () => {
  it('every roster returned passes the roster rule check with no blocking violation', async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, async (setup) => {
        const res = await solveProduct(setup, inThread, {
          timeLimitMs: 1500,
          repairMs: 500,
          maxRounds: 6,
        });
        if (res.status !== 'feasible') {
          expect(res.assignments).toEqual([]);
          return;
        }
        const violations = checkRoster(checkInputOf(setup, res.assignments));
        expect(violations.filter((v) => v.severity === 'block')).toEqual([]);
        // Nobody works on leave, whatever the leave rule's severity.
        for (const l of setup.leave ?? []) {
          expect(
            res.assignments.some(
              (a) => a.personId === l.personId && a.date >= l.startDate && a.date <= l.endDate,
            ),
          ).toBe(false);
        }
        // The report covers everyone; hours add up.
        const report = fairnessReport(setup, res.assignments);
        expect(report.map((r) => r.personId)).toEqual(setup.people.map((p) => p.id));
        for (const m of softMisses(setup, res.assignments, violations))
          expect(m.date >= setup.periodStart && m.date <= setup.periodEnd).toBe(true);
      }),
      { numRuns: 30 },
    );
  }, 240_000);

  it('a resumed solve goes on at the killed stage, from its roster, with only its time left', async () => {
    interface Call {
      stage: SolveStage;
      model: RosterModel;
      limit: number;
      initial: Int16Array | null;
      first: boolean;
      out: Int16Array | null;
    }
    // Records every stage (tier, round, pins) and the solve call made in it.
    const recording = (calls: Call[]) => {
      let stage: { s: SolveStage; initial: Int16Array | null } | null = null;
      const solveFn: SolveFn = async (model, o) => {
        const res = await inThread(model, o);
        calls.push({
          stage: stage!.s,
          model,
          limit: o.timeLimitMs,
          initial: o.initial ?? null,
          first: o.first,
          out: res.roster,
        });
        return res;
      };
      const onStage = (s: SolveStage, initial: Int16Array | null) => {
        stage = { s, initial };
      };
      return { solveFn, onStage };
    };
    let laterStages = 0;
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        fc.nat(20),
        fc.integer({ min: 0, max: 3000 }),
        fc.boolean(),
        async (setup, pick, spent, withBest) => {
          const opts = { timeLimitMs: 2000, repairMs: 700, maxRounds: 6 };
          const first: Call[] = [];
          const a = recording(first);
          await solveProduct(setup, a.solveFn, { ...opts, onStage: a.onStage });
          // Killed in stage k, with its best roster so far (or the one it started from).
          const k = first[pick % first.length]!;
          if (k.stage.round > 0 || k.stage.strict) laterStages++;
          const roster = withBest && k.out ? k.out : k.initial;
          const again: Call[] = [];
          const b = recording(again);
          const res = await solveProduct(setup, b.solveFn, {
            ...opts,
            onStage: b.onStage,
            resume: {
              stage: k.stage,
              roster: roster && { identity: modelIdentity(k.model), cells: Array.from(roster) },
              spentMs: spent,
            },
          });
          const r = again[0]!;
          expect(r.stage).toEqual(k.stage);
          expect(r.first).toBe(k.first);
          expect(r.model).toEqual(k.model);
          expect(r.limit).toBe(Math.max(MIN_RESUME_MS, k.limit - spent));
          expect(r.initial ? Array.from(r.initial) : null).toEqual(
            roster ? Array.from(roster) : null,
          );
          // Earlier tiers are not solved again.
          expect(again.every((c) => c.stage.strict || !k.stage.strict)).toBe(true);
          if (res.status === 'feasible') {
            const violations = checkRoster(checkInputOf(setup, res.assignments));
            expect(violations.filter((v) => v.severity === 'block')).toEqual([]);
          }
        },
      ),
      { numRuns: 25 },
    );
    // The property saw resumes in repair rounds or the strict tier, not only in round 0.
    expect(laterStages).toBeGreaterThan(0);
  }, 240_000);

  it('a roster for a team with people to spare is always found', async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, async (s) => {
        // One shift a day needing one person, eight people, default-like rules.
        const setup: ProductSetup = {
          ...s,
          posts: [
            {
              id: 'p1',
              name: 'Ops',
              shiftTypeIds: [s.shiftTypes[0]!.id],
              cover: [
                { shiftTypeId: s.shiftTypes[0]!.id, dayKind: 'weekday', min: 1, preferred: 1 },
                { shiftTypeId: s.shiftTypes[0]!.id, dayKind: 'weekend', min: 1, preferred: 1 },
              ],
              requiredSkills: [],
            },
          ],
          people: Array.from({ length: 8 }, (_, i) => ({ id: `u${i}`, skills: [] })),
          leave: [],
          rules: {
            minRestHours: { value: 12, severity: 'block' },
            maxConsecutiveDays: { value: 5, severity: 'block' },
            maxHoursPerWeek: { value: 40, severity: 'block' },
            cover: { severity: 'block' },
            leave: { severity: 'block' },
          },
        };
        const res = await solveProduct(setup, inThread, { timeLimitMs: 1500, repairMs: 500 });
        expect(res.status).toBe('feasible');
        expect(
          checkRoster(checkInputOf(setup, res.assignments)).filter((v) => v.severity === 'block'),
        ).toEqual([]);
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('cover needing more people than exist is refused fast, naming the day and the shift', async () => {
    const setup: ProductSetup = {
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      timeZone: 'Asia/Shanghai',
      shiftTypes: [TYPES[0]!],
      posts: [
        {
          id: 'p1',
          name: 'Ops',
          shiftTypeIds: ['d'],
          cover: [{ shiftTypeId: 'd', dayKind: 'weekday', min: 3, preferred: 3 }],
          requiredSkills: [],
        },
      ],
      people: [
        { id: 'a', skills: [] },
        { id: 'b', skills: [] },
      ],
      rules: { cover: { severity: 'block' } },
    };
    const t0 = Date.now();
    const res = await solveProduct(
      setup,
      async (m, o) => solve(m, { seed: 1, timeLimitMs: o.timeLimitMs }),
      { timeLimitMs: 60_000 },
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(res.status).toBe('infeasible');
    expect(res.reasons[0]).toMatchObject({
      rule: expect.any(String),
      date: '2026-12-01',
      postId: 'p1',
      shiftTypeId: 'd',
    });
  });

  it('a blocking minimum cover is hard: never returned under-covered, the cells named with why', async () => {
    // 31 days need one person each; two people may work 10 shifts of 8 h (80 h a month) each.
    // No single cell or person shows it; the search ends without a roster and says where.
    const setup: ProductSetup = {
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      timeZone: 'Asia/Shanghai',
      shiftTypes: [TYPES[0]!],
      posts: [
        {
          id: 'p1',
          name: 'Ops',
          shiftTypeIds: ['d'],
          cover: (['weekday', 'weekend', 'holiday'] as const).map((dayKind) => ({
            shiftTypeId: 'd',
            dayKind,
            min: 1,
            preferred: 1,
          })),
          requiredSkills: [],
        },
      ],
      people: [
        { id: 'a', skills: [] },
        { id: 'b', skills: [] },
      ],
      rules: { cover: { severity: 'block' }, maxHoursPerMonth: { value: 80, severity: 'block' } },
    };
    const res = await solveProduct(
      setup,
      async (m, o) => solve(m, { seed: 1, timeLimitMs: Math.min(o.timeLimitMs, 1500) }),
      { timeLimitMs: 1500 },
    );
    expect(res.status).toBe('no_feasible_found');
    expect(res.assignments).toEqual([]);
    expect(res.reasons.length).toBeGreaterThanOrEqual(11);
    for (const r of res.reasons) {
      expect(r).toMatchObject({
        rule: 'coverNotMet',
        messageKey: 'solver.infeasible.coverNotMet',
        postId: 'p1',
        shiftTypeId: 'd',
        date: expect.stringMatching(/^2026-12-\d\d$/),
        params: { count: 0, min: 1, eligible: 2 },
      });
    }
  });

  it('pins are kept and requests are priced; the model round-trips assignments', () => {
    const setup: ProductSetup = {
      periodStart: '2026-12-01',
      periodEnd: '2026-12-07',
      timeZone: 'UTC',
      shiftTypes: TYPES,
      posts: [{ id: 'p1', name: 'Ops', shiftTypeIds: ['d', 'n'], cover: [], requiredSkills: [] }],
      people: [
        { id: 'a', skills: [] },
        { id: 'b', skills: [] },
      ],
      rules: {
        minRestHours: { value: 12, severity: 'block' },
        minDaysOffAfterNights: { value: 1, severity: 'block' },
      },
      pins: [{ personId: 'a', postId: 'p1', shiftTypeId: 'n', date: '2026-12-03' }],
      requests: [{ personId: 'b', date: '2026-12-02', kind: 'off' }],
    };
    const pm = buildProductModel(setup);
    expect(pm.model.pins).toEqual([{ employee: 0, day: 2, shift: 1 }]);
    // Two duties (d, n), each as a core and an extra solver shift.
    expect(pm.model.offRequests.map((r) => [r.employee, r.day, r.shift])).toEqual([
      [1, 1, 0],
      [1, 1, 1],
      [1, 1, 2],
      [1, 1, 3],
    ]);
    // n (00:00–08:00) then d (08:00) the next day: rest 24 h, allowed; d then n: 8 h, forbidden.
    expect(pm.model.shifts[0]!.cannotFollow).toContain(1);
    const res = solve(pm.model, { seed: 3, timeLimitMs: 1000, maxIterations: 50 });
    expect(validateRoster(pm.model, res.roster!)).toEqual([]);
    const as = rosterToAssignments(pm, res.roster!);
    expect(as).toContainEqual({
      personId: 'a',
      postId: 'p1',
      shiftTypeId: 'n',
      date: '2026-12-03',
    });
  });
});
