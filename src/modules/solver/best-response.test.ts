import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BestResponse, windowBounds } from './best-response.js';
import { benchmarkDir } from './benchmark-paths.js';
import { readInstance } from './instance-reader.js';
import type { RosterModel } from './model.js';
import { OFF, compile, weekendsFor } from './model.js';
import { employeeFeasible, prng } from './solver.js';

/**
 * One employee, 8 days (two weekends), four shift types of which D and L share their forbidden
 * successors and length (one DP class and group), N is longer: the DP's result is compared
 * with brute force over all 5^8 rosters.
 */
function tinyModel(p: {
  minC: number;
  maxC: number;
  minO: number;
  maxW: number;
  minM: number;
  maxM: number;
  caps: number[];
  daysOff: number[];
}): RosterModel {
  return {
    days: 8,
    shifts: [
      { id: 'E', minutes: 480, cannotFollow: [] },
      { id: 'D', minutes: 480, cannotFollow: [0] },
      { id: 'L', minutes: 480, cannotFollow: [0] },
      { id: 'N', minutes: 600, cannotFollow: [0, 1, 2] },
    ],
    employees: [
      {
        id: 'A',
        maxShifts: p.caps,
        minMinutes: p.minM,
        maxMinutes: p.maxM,
        minConsecutive: p.minC,
        maxConsecutive: p.maxC,
        minConsecutiveDaysOff: p.minO,
        maxWeekends: p.maxW,
        daysOff: p.daysOff,
      },
    ],
    onRequests: [],
    offRequests: [],
    cover: [],
    weekends: weekendsFor(8, 6),
  };
}

const rules = fc.record({
  minC: fc.integer({ min: 1, max: 3 }),
  maxC: fc.integer({ min: 2, max: 5 }),
  minO: fc.integer({ min: 1, max: 2 }),
  maxW: fc.integer({ min: 0, max: 2 }),
  minM: fc.integer({ min: 0, max: 8 }).map((n) => n * 240),
  maxM: fc.integer({ min: 6, max: 24 }).map((n) => n * 240),
  caps: fc.constant<number[]>([8, 8, 8, 8]),
  daysOff: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 2 }),
});

/** Best cost over every roster of e that agrees with `fixed` outside [a, b] (brute force). */
function bruteForce(
  model: RosterModel,
  fixed: Int16Array,
  a: number,
  b: number,
  cost: Float64Array,
): number {
  const cm = compile(model);
  const { T } = cm;
  const L = b - a + 1;
  const roster = Int16Array.from(fixed);
  let best = Number.POSITIVE_INFINITY;
  const total = (T + 1) ** L;
  for (let code = 0; code < total; code++) {
    let x = code;
    let c = 0;
    for (let i = 0; i < L; i++) {
      const v = x % (T + 1);
      x = Math.floor(x / (T + 1));
      roster[a + i] = v === T ? OFF : v;
      c += cost[i * (T + 1) + v]!;
    }
    if (c < best && employeeFeasible(cm, roster, 0)) best = c;
  }
  return best;
}

describe('best response (per-employee DP)', () => {
  it('equals brute force over the whole horizon and over a window, and its result is feasible', () => {
    fc.assert(
      fc.property(rules, fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), (r, seed, win) => {
        const model = tinyModel(r);
        const cm = compile(model);
        const { T } = cm;
        const rand = prng(seed);
        const roster = new Int16Array(8).fill(OFF);
        let a = 0;
        let b = 7;
        if (win) {
          // Fix a feasible roster first (if any), then re-optimise days 3..6 only.
          const all = new Float64Array(8 * (T + 1)).map(() => Math.floor(rand() * 5));
          const br0 = new BestResponse(cm);
          const out0 = new Int16Array(8);
          const v0 = br0.solve(roster, 0, 0, 7, all, windowBounds(cm, roster, 0, 0, 7), out0);
          if (v0 === Number.POSITIVE_INFINITY) return;
          roster.set(out0);
          a = 3;
          b = 6;
        }
        const L = b - a + 1;
        const cost = new Float64Array(L * (T + 1)).map(() => Math.floor(rand() * 7));
        const expected = bruteForce(model, roster, a, b, cost);
        const br = new BestResponse(cm);
        const out = new Int16Array(L);
        const got = br.solve(roster, 0, a, b, cost, windowBounds(cm, roster, 0, a, b), out);
        expect(got).toBe(expected);
        if (got !== Number.POSITIVE_INFINITY) {
          const result = Int16Array.from(roster);
          result.set(out, a);
          expect(employeeFeasible(cm, result, 0)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('keeps weekends within the maximum when they are priced (year-long Instance22)', () => {
    const model = readInstance(
      readFileSync(join(benchmarkDir(), 'curtois', 'Instance22.txt'), 'utf8'),
    );
    const cm = compile(model);
    const { H, T } = cm;
    const br = new BestResponse(cm);
    const roster = new Int16Array(cm.E * H).fill(OFF);
    const rand = prng(5);
    for (const e of [0, 7]) {
      const bounds = windowBounds(cm, roster, e, 0, H - 1);
      expect(br.weekendMode(e, 0, H - 1, bounds)).toBe(-1);
      // Weekend work is cheap, so an unpriced DP would work far more weekends than allowed.
      const cost = new Float64Array(H * (T + 1));
      for (let d = 0; d < H; d++)
        for (let t = 0; t <= T; t++)
          cost[d * (T + 1) + t] = (t === T ? 3 : 0) + (cm.weekendOf[d]! >= 0 ? 0 : rand() * 2);
      const out = new Int16Array(H);
      expect(br.solve(roster, e, 0, H - 1, cost, bounds, out)).toBeLessThan(Infinity);
      roster.set(out, e * H);
      expect(employeeFeasible(cm, roster, e)).toBe(true);
    }
  });
});
