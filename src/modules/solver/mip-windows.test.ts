import fc from 'fast-check';
import highsImport from 'highs';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KINDS,
  SHARE_MAX,
  SHARE_MIN,
  emptyStats,
  employeeColumns,
  mipShare,
  pickKind,
  pickStaff,
  underCovered,
  windowOf,
} from './mip-windows.js';
import type { WindowKind } from './mip-windows.js';
import type { RosterModel } from './model.js';
import { OFF, compile, weekendsFor } from './model.js';
import { scoreRoster } from './scorer.js';
import { prng, solve } from './solver.js';
import { validateRoster } from './validator.js';

const loadHighs = ((highsImport as unknown as { default?: unknown }).default ??
  highsImport) as typeof highsImport.default;
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

/** A random model of E people over H days, three shift types, days off and caps at 0. */
const smallModel = fc
  .record({
    E: fc.integer({ min: 3, max: 12 }),
    H: fc.constantFrom(7, 14, 21, 28),
    caps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 36, maxLength: 36 }),
    off: fc.array(fc.nat(27), { maxLength: 10 }),
    req: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 84, maxLength: 84 }),
  })
  .map(({ E, H, caps, off, req }): RosterModel => ({
    days: H,
    shifts: [
      { id: 'E', minutes: 480, cannotFollow: [] },
      { id: 'D', minutes: 480, cannotFollow: [] },
      { id: 'N', minutes: 480, cannotFollow: [0, 1] },
    ],
    employees: Array.from({ length: E }, (_, e) => ({
      id: `P${e}`,
      // A cap of 0 removes the type for that person (skills): fewer columns.
      maxShifts: [0, 1, 2].map((t) => (caps[(e * 3 + t) % caps.length]! === 0 ? 0 : H)),
      minMinutes: 0,
      maxMinutes: H * 480,
      minConsecutive: 1,
      maxConsecutive: H,
      minConsecutiveDaysOff: 1,
      maxWeekends: 4,
      daysOff: off.filter((_, i) => i % E === e).map((d) => d % H),
    })),
    onRequests: [],
    offRequests: [],
    cover: Array.from({ length: H * 3 }, (_, i) => ({
      day: Math.floor(i / 3),
      shift: i % 3,
      requirement: req[i % req.length]!,
      underWeight: 100,
      overWeight: 1,
    })),
    weekends: weekendsFor(H),
  }));

/** A roster that respects days off and the caps at 0 (every rule of smallModel is loose). */
function randomRoster(model: RosterModel, rand: () => number): Int16Array {
  const H = model.days;
  const r = new Int16Array(model.employees.length * H).fill(OFF);
  model.employees.forEach((emp, e) => {
    for (let d = 0; d < H; d++) {
      if (emp.daysOff.includes(d)) continue;
      const t = Math.floor(rand() * 4) - 1;
      if (t >= 0 && emp.maxShifts[t]! > 0) r[e * H + d] = t;
    }
  });
  return r;
}

describe('adaptive MIP windows (mip-windows.ts)', () => {
  it('mipShare stays within its bounds, grows with the MIP rate, 0.25 without evidence', () => {
    expect(mipShare(0, 0)).toBe(0.25);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        (m, l, more) => {
          const s = mipShare(m, l);
          expect(s).toBeGreaterThanOrEqual(SHARE_MIN);
          expect(s).toBeLessThanOrEqual(SHARE_MAX);
          if (m + l > 1e-9) expect(mipShare(m + more, l)).toBeGreaterThanOrEqual(s);
        },
      ),
    );
    expect(mipShare(100, 0)).toBe(SHARE_MAX);
    expect(mipShare(0, 100)).toBe(SHARE_MIN);
  });

  it('pickKind tries each kind once in turn, then favours gain per second, never starving one', () => {
    const stats = emptyStats();
    const rand = prng(3);
    const first: WindowKind[] = [];
    for (let i = 0; i < KINDS.length; i++) {
      const k = pickKind(stats, rand);
      first.push(k);
      stats[k].tries++;
      stats[k].ms += 3000;
    }
    expect(first).toEqual([...KINDS]);
    stats.staff.gain = 300;
    const seen: Record<WindowKind, number> = { week: 0, fortnight: 0, staff: 0 };
    for (let i = 0; i < 4000; i++) seen[pickKind(stats, rand)]++;
    expect(seen.staff).toBeGreaterThan(seen.week + seen.fortnight);
    for (const k of KINDS) expect(seen[k]).toBeGreaterThan(4000 * 0.07);
  });

  it('underCovered lists exactly the cells below their requirement (brute force count)', () => {
    fc.assert(
      fc.property(smallModel, fc.nat(), (model, seed) => {
        const cm = compile(model);
        const roster = randomRoster(model, prng(seed));
        const holes = new Set(underCovered(cm, roster, 0, model.days - 1));
        for (const c of model.cover) {
          let n = 0;
          for (let e = 0; e < model.employees.length; e++)
            if (roster[e * model.days + c.day] === c.shift) n++;
          expect(holes.has(c.day * 3 + c.shift)).toBe(n < c.requirement);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('pickStaff starts with the people who could take one under-covered cell and fits its budget', () => {
    fc.assert(
      fc.property(
        smallModel,
        fc.nat(),
        fc.integer({ min: 20, max: 400 }),
        (model, seed, budget) => {
          const cm = compile(model);
          const rand = prng(seed);
          const roster = randomRoster(model, rand);
          const H = model.days;
          const staff = pickStaff(cm, roster, 0, H - 1, budget, rand);
          expect(new Set(staff).size).toBe(staff.length);
          const cols = staff.reduce((s, e) => s + employeeColumns(cm, e, 0, H - 1), 0);
          if (staff.length > 2) expect(cols).toBeLessThanOrEqual(budget);
          const holes = underCovered(cm, roster, 0, H - 1);
          const canTake = (e: number, cell: number) => {
            const d = Math.floor(cell / 3);
            const t = cell % 3;
            return (
              !model.employees[e]!.daysOff.includes(d) &&
              model.employees[e]!.maxShifts[t]! > 0 &&
              roster[e * H + d] !== t
            );
          };
          // Some hole's candidates form a prefix of the list (as many as were taken).
          const ok =
            holes.length === 0 ||
            holes.some((cell) => {
              let i = 0;
              while (i < staff.length && canTake(staff[i]!, cell)) i++;
              const all = model.employees
                .map((_, e) => e)
                .filter((e) => canTake(e, cell) && employeeColumns(cm, e, 0, H - 1) > 0);
              return i === staff.length || all.every((e) => staff.slice(0, i).includes(e));
            });
          expect(ok).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('windowOf: the days and staff of each kind, within the horizon and the budgets', () => {
    fc.assert(
      fc.property(
        smallModel,
        fc.nat(),
        fc.constantFrom(...KINDS),
        fc.nat(10),
        fc.integer({ min: 30, max: 3000 }),
        (model, seed, kind, week, budget) => {
          const cm = compile(model);
          const rand = prng(seed);
          const roster = randomRoster(model, rand);
          const { H } = cm;
          const E = model.employees.length;
          const sizes = { windowColumns: budget, staffColumns: budget };
          const sub = windowOf(kind, cm, roster, week, sizes, rand);
          const from = sub.from ?? 0;
          const to = sub.to ?? H - 1;
          expect(from).toBeGreaterThanOrEqual(0);
          expect(to).toBeLessThanOrEqual(H - 1);
          if (kind === 'week') {
            expect(from % 7).toBe(0);
            expect(to - from + 1).toBe(7);
          }
          if (kind === 'fortnight') expect(to - from + 1).toBe(Math.min(14, H));
          if (kind === 'staff') {
            expect([from, to]).toEqual([0, H - 1]);
            expect(sub.employees!.length).toBeLessThanOrEqual(Math.max(2, Math.ceil(E / 2)));
          }
          const staff = sub.employees ?? model.employees.map((_, e) => e);
          const cols = staff.reduce((s, e) => s + employeeColumns(cm, e, from, to), 0);
          if (staff.length > 2) expect(cols).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('in the search (adaptive windows only): every returned roster validates, scored as the scorer does', () => {
    fc.assert(
      fc.property(smallModel, fc.nat(100), (model, seed) => {
        // A clock that advances with each reading: the stage's shares and limits run on it.
        let clock = 0;
        const r = solve(model, {
          seed,
          timeLimitMs: 3000,
          now: () => (clock += 0.5),
          mip: { highs, full: false, windows: true },
        });
        expect(r.status).toBe('feasible');
        expect(validateRoster(model, r.roster!)).toEqual([]);
        expect(scoreRoster(model, r.roster!).total).toBe(r.objective);
      }),
      { numRuns: 6, seed: 11 },
    );
  });
});
