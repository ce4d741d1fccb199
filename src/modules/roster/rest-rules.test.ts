import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Assignment, RestRules } from './roster.schema.js';
import {
  assertAssignmentFits,
  checkRoster,
  dayKindOf,
  violationKey,
  type RosterCheckInput,
  type Violation,
} from './rest-rules.js';
import { applyRotation } from './rotation.js';
import { datesInRange } from './local-date.js';
import { shiftTypes, posts, tech } from './fixtures.test-helpers.js';

const rules: RestRules = {
  minRestHours: { value: 12, severity: 'block' },
  maxConsecutiveDays: { value: 5, severity: 'block' },
  maxConsecutiveNights: { value: 3, severity: 'warn' },
  minDaysOffAfterNights: { value: 2, severity: 'warn' },
  maxHoursPerWeek: { value: 40, severity: 'warn' },
  maxHoursPerMonth: { value: 160, severity: 'block' },
  skills: { severity: 'block' },
  cover: { severity: 'block' },
  doubleBooking: { severity: 'block' },
  leave: { severity: 'block' },
};
const people = [
  { id: 'ann', skills: ['linux'] },
  { id: 'bob', skills: [] },
  { id: 'cai', skills: ['linux'] },
];
const base = (
  assignments: Assignment[],
  extra: Partial<RosterCheckInput> = {},
): RosterCheckInput => ({
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  timeZone: 'America/New_York',
  assignments,
  shiftTypes,
  posts,
  people,
  rules,
  ...extra,
});
const a = (
  personId: string,
  code: 'D' | 'E' | 'N',
  date: string,
  postId = 'p-tech',
): Assignment => ({
  personId,
  postId,
  shiftTypeId: `st-${code.toLowerCase()}`,
  date,
});
const only = (vs: Violation[], rule: string) => vs.filter((v) => v.rule === rule);

describe('checkRoster', () => {
  it('flags rest below the minimum with the real hours, and not 16 h of rest', () => {
    const vs = checkRoster(
      base([a('ann', 'E', '2026-03-02'), a('ann', 'D', '2026-03-03'), a('ann', 'D', '2026-03-05')]),
    );
    const rest = only(vs, 'minRest');
    expect(rest).toHaveLength(1);
    expect(rest[0]).toMatchObject({
      personId: 'ann',
      date: '2026-03-03',
      severity: 'block',
      params: { hours: 8, min: 12 },
    });
  });

  it('measures rest over the spring-forward night in real hours', () => {
    // E ends 00:00 on 8 March, D starts 08:00 that day: 7 real hours in New York, not 8.
    const vs = checkRoster(base([a('ann', 'E', '2026-03-07'), a('ann', 'D', '2026-03-08')]));
    expect(only(vs, 'minRest')[0]?.params.hours).toBe(7);
  });

  it('finds double bookings, runs, days off after nights, skills, leave and cover', () => {
    const as = [
      a('ann', 'D', '2026-03-02'),
      a('ann', 'D', '2026-03-02', 'p-desk'),
      ...['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12'].map((d) => a('cai', 'N', d)),
      a('cai', 'D', '2026-03-14'),
      a('bob', 'D', '2026-03-16'),
      a('ann', 'D', '2026-03-20'),
    ];
    const vs = checkRoster(
      base(as, { leave: [{ personId: 'ann', startDate: '2026-03-19', endDate: '2026-03-21' }] }),
    );
    expect(only(vs, 'doubleBooking')).toHaveLength(1);
    expect(only(vs, 'maxConsecutiveNights')).toMatchObject([
      { personId: 'cai', date: '2026-03-12', params: { nights: 4, max: 3 } },
    ]);
    expect(only(vs, 'minDaysOffAfterNights')).toMatchObject([
      { personId: 'cai', date: '2026-03-14' },
    ]);
    expect(only(vs, 'skills')).toMatchObject([{ personId: 'bob', params: { skills: 'linux' } }]);
    expect(only(vs, 'leave')).toMatchObject([{ personId: 'ann', date: '2026-03-20' }]);
    const coverMin = only(vs, 'coverMin');
    // 22 weekdays in March 2026 need a D and an N on 技术.
    expect(coverMin.filter((v) => v.shiftTypeId === 'st-n')).toHaveLength(22 - 4);
    expect(
      coverMin.find((v) => v.date === '2026-03-02' && v.shiftTypeId === 'st-d'),
    ).toBeUndefined();
    expect(only(vs, 'coverPreferred').find((v) => v.date === '2026-03-02')).toMatchObject({
      severity: 'warn',
      params: { count: 1, preferred: 2 },
    });
  });

  it('counts weekly and monthly hours after breaks', () => {
    const week = datesInRange('2026-03-02', '2026-03-07').map((d) => a('ann', 'D', d));
    const vs = checkRoster(base(week));
    // 6 × 7.5 h = 45 h in ISO week 2026-W10; 6 days > 5 consecutive.
    expect(only(vs, 'maxHoursPerWeek')).toMatchObject([
      { date: '2026-03-07', params: { period: '2026-W10', hours: 45 } },
    ]);
    expect(only(vs, 'maxConsecutiveDays')).toMatchObject([
      { date: '2026-03-07', params: { days: 6 } },
    ]);
  });

  it('refuses assignments outside the period and unknown shifts', () => {
    const vs = checkRoster(
      base([a('ann', 'D', '2026-04-01'), a('ann', 'N', '2026-03-03', 'p-desk')]),
    );
    expect(only(vs, 'outsidePeriod')).toMatchObject([{ date: '2026-04-01', severity: 'block' }]);
    expect(only(vs, 'unknownReference')).toHaveLength(1);
  });

  it('uses context days from the previous month for rest but reports only inside the period', () => {
    const vs = checkRoster(
      base([a('ann', 'D', '2026-03-01')], { context: [a('ann', 'E', '2026-02-28')] }),
    );
    expect(only(vs, 'minRest')).toMatchObject([{ date: '2026-03-01' }]);
  });

  it('refuses a single edit outside the period or on a shift the post lacks', () => {
    const r = { periodStart: '2026-03-01', periodEnd: '2026-03-31' };
    expect(() => assertAssignmentFits(a('ann', 'D', '2026-03-05'), r, posts)).not.toThrow();
    expect(() => assertAssignmentFits(a('ann', 'D', '2026-04-01'), r, posts)).toThrow(
      /outsidePeriod/,
    );
    expect(() => assertAssignmentFits(a('ann', 'N', '2026-03-05', 'p-desk'), r, posts)).toThrow(
      /unknownReference/,
    );
  });

  // Speed is measured by `npm run bench:roster-query`, not here: this checks the result at size.
  it('checks a 500-person month and finds the rotation’s over-long runs', () => {
    const dates = datesInRange('2026-03-01', '2026-03-31');
    const many: Assignment[] = [];
    const manyPeople = Array.from({ length: 500 }, (_, p) => ({ id: `u${p}`, skills: ['linux'] }));
    for (let p = 0; p < 500; p++) {
      dates.forEach((d, i) => {
        if ((i + p) % 5 < 3) many.push(a(`u${p}`, (['D', 'E', 'N'] as const)[(i + p) % 3]!, d));
      });
    }
    const vs = checkRoster(base(many, { people: manyPeople }));
    expect(vs.length).toBeGreaterThan(0);
    expect(new Set(vs.map((v) => v.personId)).size).toBeGreaterThan(1);
  });

  it('knows holidays and 调休 working weekends', () => {
    const cal = { holidays: ['2026-10-01'], workingWeekends: ['2026-10-10'] };
    expect(dayKindOf('2026-10-01', cal)).toBe('holiday');
    expect(dayKindOf('2026-10-10', cal)).toBe('weekday');
    expect(dayKindOf('2026-10-11', cal)).toBe('weekend');
  });
});

const personArb = fc.constantFrom('ann', 'bob', 'cai');
const assignmentArb = fc.record({
  personId: personArb,
  postId: fc.constant(tech.id),
  shiftTypeId: fc.constantFrom('st-d', 'st-e', 'st-n'),
  date: fc.integer({ min: 1, max: 14 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`),
});
const zoneArb = fc.constantFrom(...Intl.supportedValuesOf('timeZone'));

describe('checkRoster properties', () => {
  const restClass = (v: Violation) =>
    v.rule === 'minRest' || v.rule === 'doubleBooking'
      ? `rest|${v.personId}|${v.shiftTypeId}|${v.date}`
      : violationKey(v);
  const watched = new Set([
    'minRest',
    'doubleBooking',
    'maxConsecutiveDays',
    'maxConsecutiveNights',
  ]);

  it('removing an assignment never adds a rest, overlap or consecutive-days violation', () => {
    // Tight limits so that long runs, and runs split by a removal, are common.
    const tight: RestRules = {
      minRestHours: { value: 12, severity: 'block' },
      maxConsecutiveDays: { value: 2, severity: 'block' },
      maxConsecutiveNights: { value: 1, severity: 'warn' },
      doubleBooking: { severity: 'block' },
    };
    fc.assert(
      fc.property(
        fc.array(assignmentArb, { maxLength: 30, size: 'medium' }),
        fc.nat(),
        zoneArb,
        (as, pick, zone) => {
          fc.pre(as.length > 0);
          const before = new Set(
            checkRoster(base(as, { timeZone: zone, rules: tight }))
              .filter((v) => watched.has(v.rule))
              .map(restClass),
          );
          const removed = as.filter((_, i) => i !== pick % as.length);
          const after = checkRoster(base(removed, { timeZone: zone, rules: tight })).filter((v) =>
            watched.has(v.rule),
          );
          for (const v of after) expect(before.has(restClass(v))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a rotation with enough rest between its shifts has no rest violation in any zone', () => {
    fc.assert(
      fc.property(
        zoneArb,
        fc.nat({ max: 100 }),
        fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 3 }),
        (zone, anchorShift, offsets) => {
          // D D E E - N N - - - : every change of shift leaves ≥ 16 h of rest (less 1 h for DST).
          const pattern = ['D', 'D', 'E', 'E', null, 'N', 'N', null, null, null];
          const members = offsets.map((offset, i) => ({
            personId: ['ann', 'bob', 'cai'][i]!,
            postId: 'p-desk',
            offset,
          }));
          const deskAll = { ...posts[1]!, shiftTypeIds: ['st-d', 'st-e', 'st-n'] };
          const as = applyRotation({
            pattern,
            anchorDate: datesInRange('2026-01-01', '2026-12-31')[anchorShift]!,
            members,
            periodStart: '2026-03-01',
            periodEnd: '2026-04-30',
            shiftTypes,
          });
          const vs = checkRoster(
            base(as, {
              timeZone: zone,
              periodEnd: '2026-04-30',
              posts: [tech, deskAll],
              rules: { minRestHours: { value: 12, severity: 'block' } },
            }),
          );
          expect(vs.filter((v) => v.rule === 'minRest')).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('cover counts equal the assignments on each post, shift and day', () => {
    fc.assert(
      fc.property(fc.array(assignmentArb, { maxLength: 40 }), (as) => {
        const strict = {
          ...tech,
          cover: tech.shiftTypeIds.flatMap((s) =>
            (['weekday', 'weekend'] as const).map((k) => ({
              shiftTypeId: s,
              dayKind: k,
              min: 100,
              preferred: 100,
            })),
          ),
        };
        const vs = checkRoster(
          base(as, {
            posts: [strict],
            rules: { cover: { severity: 'block' } },
            periodEnd: '2026-03-14',
          }),
        );
        for (const v of vs.filter((x) => x.rule === 'coverMin')) {
          const n = as.filter((x) => x.shiftTypeId === v.shiftTypeId && x.date === v.date).length;
          expect(v.params.count).toBe(n);
        }
        expect(vs.filter((x) => x.rule === 'coverMin')).toHaveLength(14 * 3);
      }),
      { numRuns: 100 },
    );
  });
});
