import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RosterModel } from './model.js';
import { compile } from './model.js';
import { scoreRoster } from './scorer.js';
import { solve } from './solver.js';
import { coverModel } from './test-models.js';
import { validateRoster } from './validator.js';
import { budgetShares, yearBudget } from './year-budget.js';

/**
 * A year-long model whose per-employee DP over the whole horizon is too big for the exact
 * construction (3 shift lengths, runs up to 7): the solver builds it in rolling windows with
 * the demand-weighted budgets, and runs the two-window moves (horizon ≥ 8 weeks).
 */
function yearModel(
  people: number,
  ramp: number[],
  offs: [number, number][],
  days = 364,
): RosterModel {
  const shifts = [
    { id: 'D', minutes: 480, cannotFollow: [] },
    { id: 'L', minutes: 600, cannotFollow: [] },
    { id: 'N', minutes: 720, cannotFollow: [0, 1] },
  ];
  const employees = Array.from({ length: people }, (_, e) => ({
    id: `P${e}`,
    maxShifts: [days, days, 60],
    minMinutes: 480 * 150,
    maxMinutes: 480 * 175,
    minConsecutive: 2,
    maxConsecutive: 7,
    minConsecutiveDaysOff: 2,
    maxWeekends: 26,
    daysOff: [] as number[],
  }));
  for (const [e, d] of offs) employees[e % people]!.daysOff.push(d % days);
  return coverModel(days, shifts, employees, (d) => ramp[Math.floor((d * ramp.length) / days)]!);
}

const ramp = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 });
const offs = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 });

describe('year budget (demand-weighted shares for the rolling construction)', () => {
  it('gives shares in [0, 1], never decreasing over the year, all of it by the last day', () => {
    fc.assert(
      fc.property(ramp, offs, fc.integer({ min: 56, max: 120 }), (r, o, days) => {
        const cm = compile(yearModel(3, r, o, days));
        const yb = yearBudget(cm);
        for (let e = 0; e < cm.E; e++) {
          let prev = { minutes: 0, weekends: 0 };
          for (let b = 0; b < days; b++) {
            const s = budgetShares(cm, yb, e, b);
            for (const k of ['minutes', 'weekends'] as const) {
              expect(s[k]).toBeGreaterThanOrEqual(prev[k] - 1e-12);
              expect(s[k]).toBeLessThanOrEqual(1 + 1e-12);
            }
            prev = s;
          }
          expect(prev.minutes).toBeCloseTo(1, 12);
          expect(prev.weekends).toBeCloseTo(1, 12);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('follows the demand: uniform cover gives the share of available days, rising cover less early', () => {
    fc.assert(
      fc.property(
        offs,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 363 }),
        (o, n, b) => {
          const flat = compile(yearModel(2, [n], o));
          const fb = budgetShares(flat, yearBudget(flat), 0, b);
          let before = 0;
          let all = 0;
          for (let d = 0; d < 364; d++) {
            if (flat.dayOff[d]) continue;
            all++;
            if (d <= b) before++;
          }
          expect(fb.minutes).toBeCloseTo(all > 0 ? before / all : (b + 1) / 364, 12);
          const rising = compile(yearModel(2, [1, 2, 3, 3], o));
          const rb = budgetShares(rising, yearBudget(rising), 0, b);
          expect(rb.minutes).toBeLessThanOrEqual(fb.minutes + 1e-12);
          expect(rb.weekends).toBeLessThanOrEqual(b < 363 ? (b + 1) / 364 + 0.02 : 1);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('the solver on year-long models (rolling construction, two-window moves) keeps every hard rule and scores as the scorer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        ramp,
        offs,
        fc.integer({ min: 1, max: 1000 }),
        (people, r, o, seed) => {
          const model = yearModel(people, r, o);
          const res = solve(model, { seed, timeLimitMs: 60_000, maxIterations: 60 });
          expect(res.status).toBe('feasible');
          expect(validateRoster(model, res.roster!)).toEqual([]);
          expect(res.objective).toBeCloseTo(scoreRoster(model, res.roster!).total, 6);
        },
      ),
      { numRuns: 4 },
    );
  });
});
