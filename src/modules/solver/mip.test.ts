import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import highsImport from 'highs';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchmarkDir } from './benchmark-paths.js';
import { readInstance } from './instance-reader.js';
import { buildMip, representable, runMip } from './mip.js';
import type { RosterModel } from './model.js';
import { OFF, compile, emptyRoster } from './model.js';
import { scoreRoster } from './scorer.js';
import { solve } from './solver.js';
import { validateRoster } from './validator.js';

const loadHighs = ((highsImport as unknown as { default?: unknown }).default ??
  highsImport) as typeof highsImport.default;
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

/** Every roster of the model (E × H cells, each OFF or a shift): brute force for tiny models. */
function allRosters(model: RosterModel): Int16Array[] {
  const n = model.employees.length * model.days;
  const T = model.shifts.length;
  const out: Int16Array[] = [];
  const r = new Int16Array(n).fill(OFF);
  const rec = (i: number) => {
    if (i === n) {
      out.push(Int16Array.from(r));
      return;
    }
    for (let t = -1; t < T; t++) {
      r[i] = t;
      rec(i + 1);
    }
  };
  rec(0);
  return out;
}

/** Two employees, four days (Friday to Monday: one weekend), two shift types (L → E forbidden). */
const tinyModel = fc
  .record({
    emp: fc.array(
      fc.record({
        capE: fc.integer({ min: 0, max: 4 }),
        capL: fc.integer({ min: 0, max: 4 }),
        minM: fc.integer({ min: 0, max: 3 }),
        maxM: fc.integer({ min: 1, max: 4 }),
        minC: fc.integer({ min: 1, max: 3 }),
        maxC: fc.integer({ min: 1, max: 4 }),
        minO: fc.integer({ min: 1, max: 3 }),
        maxW: fc.integer({ min: 0, max: 1 }),
        off: fc.subarray([0, 1, 2, 3], { maxLength: 1 }),
      }),
      { minLength: 2, maxLength: 2 },
    ),
    cover: fc.array(
      fc.record({
        req: fc.integer({ min: 0, max: 2 }),
        under: fc.integer({ min: 0, max: 100 }),
        over: fc.integer({ min: 0, max: 3 }),
        hard: fc.integer({ min: 0, max: 1 }),
      }),
      { minLength: 8, maxLength: 8 },
    ),
    on: fc.array(fc.tuple(fc.nat(7), fc.nat(1), fc.integer({ min: 1, max: 3 })), { maxLength: 3 }),
    off: fc.array(fc.tuple(fc.nat(7), fc.nat(1), fc.integer({ min: 1, max: 3 })), {
      maxLength: 3,
    }),
    pin: fc.option(fc.tuple(fc.nat(7), fc.integer({ min: -1, max: 1 })), { nil: undefined }),
    hardCover: fc.boolean(),
  })
  .map((p): RosterModel => ({
    days: 4,
    shifts: [
      { id: 'E', minutes: 480, cannotFollow: [] },
      { id: 'L', minutes: 600, cannotFollow: [0] },
    ],
    employees: p.emp.map((e, i) => ({
      id: `P${i}`,
      maxShifts: [e.capE, e.capL],
      minMinutes: e.minM * 480,
      maxMinutes: Math.max(e.minM, e.maxM) * 600,
      minConsecutive: e.minC,
      maxConsecutive: e.maxC,
      minConsecutiveDaysOff: e.minO,
      maxWeekends: e.maxW,
      daysOff: e.off,
    })),
    onRequests: p.on.map(([c, t, w]) => ({ employee: c >> 2, day: c & 3, shift: t, weight: w })),
    offRequests: p.off.map(([c, t, w]) => ({
      employee: c >> 2,
      day: c & 3,
      shift: t,
      weight: w,
    })),
    cover: p.cover.map((c, i) => ({
      day: i >> 1,
      shift: i & 1,
      requirement: c.req,
      underWeight: c.under,
      overWeight: c.over,
      ...(p.hardCover && c.hard ? { hardMin: 1 } : {}),
    })),
    weekends: [[1, 2]],
    ...(p.pin ? { pins: [{ employee: p.pin[0] >> 2, day: p.pin[0] & 3, shift: p.pin[1] }] } : {}),
  }));

function bruteBest(model: RosterModel, agree?: (r: Int16Array) => boolean): number | null {
  let best: number | null = null;
  for (const r of allRosters(model)) {
    if (agree && !agree(r)) continue;
    if (validateRoster(model, r).length > 0) continue;
    const s = scoreRoster(model, r).total;
    if (best === null || s < best) best = s;
  }
  return best;
}

describe('MIP (HiGHS) of the roster model', () => {
  it('whole model: the optimum of brute force, on a roster the validator accepts', () => {
    fc.assert(
      fc.property(tinyModel, (model) => {
        const cm = compile(model);
        const start = emptyRoster(model);
        const p = buildMip(cm, start);
        const r = runMip(highs, cm, start, p, { timeLimitSec: 10 });
        const best = bruteBest(model);
        if (best === null) {
          expect(r.roster).toBeNull();
          return;
        }
        expect(r.roster).not.toBeNull();
        expect(r.optimal).toBe(true);
        expect(validateRoster(model, r.roster!)).toEqual([]);
        expect(scoreRoster(model, r.roster!).total).toBe(best);
        expect(r.objective).toBeCloseTo(best, 6);
      }),
      { numRuns: 40, seed: 6 },
    );
  });

  it('sub-problem: the free cells optimised, the rest kept; never worse than the incumbent', () => {
    fc.assert(
      fc.property(
        tinyModel,
        fc.nat(),
        fc.subarray([0, 1], { minLength: 1 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (model, pick, employees, a, b) => {
          const feasible = allRosters(model).filter((r) => validateRoster(model, r).length === 0);
          fc.pre(feasible.length > 0);
          const incumbent = feasible[pick % feasible.length]!;
          const from = Math.min(a, b);
          const to = Math.max(a, b);
          const H = model.days;
          const isFree = (i: number) =>
            employees.includes(Math.floor(i / H)) && i % H >= from && i % H <= to;
          const cm = compile(model);
          const p = buildMip(cm, incumbent, { employees, from, to });
          const r = runMip(highs, cm, incumbent, p, { timeLimitSec: 10 });
          expect(r.roster).not.toBeNull();
          expect(validateRoster(model, r.roster!)).toEqual([]);
          for (let i = 0; i < incumbent.length; i++)
            if (!isFree(i)) expect(r.roster![i]).toBe(incumbent[i]);
          const got = scoreRoster(model, r.roster!).total;
          expect(got).toBeLessThanOrEqual(scoreRoster(model, incumbent).total);
          const best = bruteBest(model, (x) => x.every((v, i) => isFree(i) || v === incumbent[i]));
          expect(got).toBe(best);
          expect(r.objective).toBeCloseTo(got, 6);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('in the search (full MIP and windows): a returned roster validates and is optimal', () => {
    fc.assert(
      fc.property(tinyModel, fc.nat(100), (model, seed) => {
        const r = solve(model, {
          seed,
          timeLimitMs: 5000,
          mip: { highs, full: true, windows: true },
        });
        const best = bruteBest(model);
        if (r.status !== 'feasible') {
          expect(best).toBeNull();
          return;
        }
        expect(validateRoster(model, r.roster!)).toEqual([]);
        expect(scoreRoster(model, r.roster!).total).toBe(r.objective);
        expect(r.objective).toBe(best);
      }),
      { numRuns: 25, seed: 8 },
    );
  });

  it('is off for models with fairness terms (quadratic)', () => {
    const model: RosterModel = {
      days: 1,
      shifts: [{ id: 'N', minutes: 480, cannotFollow: [] }],
      employees: [],
      onRequests: [],
      offRequests: [],
      cover: [],
      weekends: [],
      fairness: [{ name: 'nights', weight: 1, cells: [{ day: 0, shift: 0 }] }],
    };
    expect(representable(compile(model))).toBe(false);
  });

  it('proves 607 optimal on Instance1 from the LNS construction', () => {
    const model = readInstance(readFileSync(join(benchmarkDir(), 'curtois/Instance1.txt'), 'utf8'));
    const first = solve(model, { seed: 1, timeLimitMs: 60_000, maxIterations: 1 });
    expect(first.roster).not.toBeNull();
    const cm = compile(model);
    const p = buildMip(cm, first.roster!);
    const r = runMip(highs, cm, first.roster!, p, { timeLimitSec: 60 });
    expect(r.optimal).toBe(true);
    expect(validateRoster(model, r.roster!)).toEqual([]);
    expect(scoreRoster(model, r.roster!).total).toBe(607);
  }, 90_000);

  it('in the search: a single thread with the MIP stage reaches 607 on Instance1 and stops', () => {
    const model = readInstance(readFileSync(join(benchmarkDir(), 'curtois/Instance1.txt'), 'utf8'));
    const r = solve(model, {
      seed: 3,
      timeLimitMs: 120_000,
      mip: { highs, full: true, windows: true },
    });
    expect(r.objective).toBe(607);
    expect(validateRoster(model, r.roster!)).toEqual([]);
    // The full MIP proved optimality: the search ended long before its limit.
    expect(r.ms).toBeLessThan(100_000);
  }, 150_000);
});
