import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchmarkDir } from './benchmark-paths.js';
import { findInfeasibility } from './infeasibility.js';
import { readInstance } from './instance-reader.js';
import type { EmployeeRules, RosterModel } from './model.js';
import { OFF } from './model.js';
import { scoreRoster } from './scorer.js';
import { solve } from './solver.js';
import { coverModel } from './test-models.js';
import { validateRoster } from './validator.js';

const load = (n: number) =>
  readInstance(readFileSync(join(benchmarkDir(), 'curtois', `Instance${n}.txt`), 'utf8'));

/** A small product-like model: 3 shift types (day, evening, night), night cannot precede day. */
function smallModel(
  people: number,
  days: number,
  overrides: Partial<EmployeeRules> = {},
): RosterModel {
  const shifts = [
    { id: 'D', minutes: 480, cannotFollow: [] },
    { id: 'E', minutes: 480, cannotFollow: [0] },
    { id: 'N', minutes: 480, cannotFollow: [0, 1] },
  ];
  const employees: EmployeeRules[] = Array.from({ length: people }, (_, e) => ({
    id: `P${e}`,
    maxShifts: [days, days, Math.ceil(days / 3)],
    minMinutes: 480 * Math.floor(days / 3),
    maxMinutes: 480 * Math.ceil((days * 5) / 7),
    minConsecutive: 2,
    maxConsecutive: 5,
    minConsecutiveDaysOff: 2,
    maxWeekends: Math.ceil(days / 14),
    daysOff: [],
    ...overrides,
  }));
  return coverModel(days, shifts, employees, () => 1);
}

describe('solver on benchmark instances', () => {
  it('reaches the optimum 607 on Instance1 with a roster the validator accepts', () => {
    const model = load(1);
    // The solver's clock is a counter (0.05 ms per reading, ~20 000 moves in its "2 s"), so the
    // run — annealing schedule and stopping point included — is the same on a quiet machine and
    // at load 11 (a wall-clock 2 s failed once in five there). Seeds 1–5 all reach 607 by the
    // counter's ~450 ms; a solver that cannot reach it in 20 000 moves fails here.
    let t = 0;
    const r = solve(model, { seed: 1, timeLimitMs: 2000, now: () => (t += 0.05) });
    expect(r.status).toBe('feasible');
    expect(validateRoster(model, r.roster!)).toEqual([]);
    expect(scoreRoster(model, r.roster!).total).toBe(r.objective);
    expect(r.objective).toBe(607);
  });

  it('is reproducible for a seed when stopped by iteration count', () => {
    const model = load(2);
    const a = solve(model, { seed: 42, timeLimitMs: 60_000, maxIterations: 300 });
    const b = solve(model, { seed: 42, timeLimitMs: 60_000, maxIterations: 300 });
    expect(a.objective).toBe(b.objective);
    expect(Array.from(a.roster!)).toEqual(Array.from(b.roster!));
  });

  it('stops promptly when aborted and still returns its best feasible roster', () => {
    const model = load(7);
    const controller = new AbortController();
    let events = 0;
    const r = solve(model, {
      seed: 3,
      timeLimitMs: 60_000,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: () => {
        events++;
        if (events === 3) controller.abort();
      },
    });
    expect(r.ms).toBeLessThan(5000);
    expect(r.status).toBe('feasible');
    expect(validateRoster(model, r.roster!)).toEqual([]);
  });

  it('reports objective over time, never increasing', () => {
    const r = solve(load(3), { seed: 5, timeLimitMs: 1000 });
    expect(r.history.length).toBeGreaterThan(1);
    for (let i = 1; i < r.history.length; i++)
      expect(r.history[i]!.objective).toBeLessThan(r.history[i - 1]!.objective);
  });
});

describe('solver on generated product cases', () => {
  it('never returns a roster that breaks a hard rule (random small models)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 7 }),
        fc.constantFrom(14, 21, 28),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
        (people, days, seed, offs) => {
          const model = smallModel(people, days);
          for (const [e, d] of offs) model.employees[e % people]!.daysOff.push(d % days);
          const r = solve(model, { seed, timeLimitMs: 10_000, maxIterations: 150 });
          if (r.status === 'feasible') expect(validateRoster(model, r.roster!)).toEqual([]);
          else
            expect(
              r.status === 'infeasible' ? r.reasons.length : r.unplaced.length,
            ).toBeGreaterThan(0);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('never returns a roster below a hard minimum cover or off a pin (random small models)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 3 })), { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: -1, max: 2 })), { maxLength: 3 }),
        (people, seed, mins, pins) => {
          const days = 14;
          const model = smallModel(people, days);
          for (const [d, t, m] of mins)
            model.cover.find((c) => c.day === d % days && c.shift === t % 3)!.hardMin = m;
          model.pins = pins.map(([e, d, t]) => ({ employee: e % people, day: d % days, shift: t }));
          const r = solve(model, { seed, timeLimitMs: 10_000, maxIterations: 200 });
          if (r.status === 'feasible') {
            expect(validateRoster(model, r.roster!)).toEqual([]);
            for (const p of model.pins) expect(r.roster![p.employee * days + p.day]).toBe(p.shift);
          } else {
            expect(r.roster).toBeNull();
            expect(r.reasons.length + r.unplaced.length + r.uncovered.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('keeps pinned assignments', () => {
    const model = smallModel(5, 14);
    model.pins = [
      { employee: 0, day: 3, shift: 2 },
      { employee: 1, day: 3, shift: OFF },
      { employee: 2, day: 10, shift: 0 },
    ];
    const r = solve(model, { seed: 9, timeLimitMs: 5000, maxIterations: 500 });
    expect(r.status).toBe('feasible');
    const H = model.days;
    expect(r.roster![0 * H + 3]).toBe(2);
    expect(r.roster![1 * H + 3]).toBe(OFF);
    expect(r.roster![2 * H + 10]).toBe(0);
    expect(validateRoster(model, r.roster!)).toEqual([]);
  });

  it('spreads nights more evenly when a fairness term is set', () => {
    const base = smallModel(6, 28, { maxShifts: [28, 28, 28] });
    const nights = [];
    for (let d = 0; d < 28; d++) nights.push({ day: d, shift: 2 });
    const spread = (m: RosterModel, roster: Int16Array) => {
      const counts = m.employees.map((_, e) => {
        let n = 0;
        for (let d = 0; d < m.days; d++) if (roster[e * m.days + d] === 2) n++;
        return n;
      });
      return Math.max(...counts) - Math.min(...counts);
    };
    const fair: RosterModel = { ...base, fairness: [{ name: 'nights', weight: 5, cells: nights }] };
    const r = solve(fair, { seed: 4, timeLimitMs: 600_000, maxIterations: 3000 });
    expect(r.status).toBe('feasible');
    expect(validateRoster(fair, r.roster!)).toEqual([]);
    const s = scoreRoster(fair, r.roster!);
    expect(s.total).toBeCloseTo(r.objective!, 6);
    expect(spread(fair, r.roster!)).toBeLessThanOrEqual(2);
  });

  it('honours on and off requests when cover allows', () => {
    const model = smallModel(6, 14);
    model.onRequests = [{ employee: 0, day: 2, shift: 1, weight: 3 }];
    model.offRequests = [{ employee: 1, day: 5, shift: 0, weight: 3 }];
    const r = solve(model, { seed: 2, timeLimitMs: 600_000, maxIterations: 2000 });
    const s = scoreRoster(model, r.roster!);
    expect(s.onRequests + s.offRequests).toBe(0);
  });
});

describe('infeasible input ends fast with the reason', () => {
  it('names the employee whose minimum minutes cannot be reached', () => {
    const model = smallModel(4, 14);
    model.employees[2]!.daysOff = Array.from({ length: 12 }, (_, d) => d);
    const r = solve(model, { seed: 1, timeLimitMs: 30_000 });
    expect(r.status).toBe('infeasible');
    expect(r.ms).toBeLessThan(2000);
    expect(r.reasons[0]).toMatchObject({ rule: 'H4_min_minutes', employee: 'P2' });
  });

  it('names the day and shift when hard cover needs more people than exist', () => {
    const model = smallModel(3, 14);
    model.cover.find((c) => c.day === 4 && c.shift === 1)!.hardMin = 4;
    expect(findInfeasibility(model)).toEqual([
      expect.objectContaining({ rule: 'hard_cover', day: 4, shift: 'E' }),
    ]);
  });

  it('treats a hard minimum cover as a hard rule: meets it when it can, else names the cells', () => {
    // Coverable: 4 people, one day shift a day needing 2 on days 0–6.
    const ok = smallModel(4, 7);
    for (const c of ok.cover) if (c.shift === 0) c.hardMin = 2;
    const r = solve(ok, { seed: 3, timeLimitMs: 5000, maxIterations: 300 });
    expect(r.status).toBe('feasible');
    expect(validateRoster(ok, r.roster!)).toEqual([]);
    // Not coverable, though every cell alone is: 2 people may work 3 shifts each (minutes),
    // 7 days need one on D. No per-cell or per-person proof exists; the search must not return
    // an under-covered roster, and says which cells it could not cover.
    const tight = smallModel(2, 7, { minMinutes: 0, maxMinutes: 3 * 480, minConsecutive: 1 });
    for (const c of tight.cover) if (c.shift === 0) c.hardMin = 1;
    const t = solve(tight, { seed: 3, timeLimitMs: 1500 });
    expect(t.status).toBe('no_feasible_found');
    expect(t.roster).toBeNull();
    expect(t.unplaced).toEqual([]);
    expect(t.uncovered.length).toBeGreaterThan(0);
    for (const u of t.uncovered) {
      expect(u.shift).toBe(0);
      expect(u.min).toBe(1);
      expect(u.count).toBe(0);
    }
  });

  it('reports a pin that contradicts a day off', () => {
    const model = smallModel(3, 14);
    model.employees[0]!.daysOff = [6];
    model.pins = [{ employee: 0, day: 6, shift: 0 }];
    expect(findInfeasibility(model)[0]).toMatchObject({ rule: 'pin', employee: 'P0', day: 6 });
  });

  it('reports two pins on one day that disagree, and returns no roster for them', () => {
    // The property test above found it: the solver kept one pin and returned a roster off the other.
    const model = smallModel(3, 14);
    model.pins = [
      { employee: 0, day: 0, shift: 1 },
      { employee: 0, day: 0, shift: 0 },
    ];
    expect(findInfeasibility(model)).toEqual([
      expect.objectContaining({
        rule: 'pin',
        messageKey: 'solver.infeasible.pinConflict',
        employee: 'P0',
        day: 0,
        shift: 'D',
      }),
    ]);
    const r = solve(model, { seed: 1, timeLimitMs: 5000, maxIterations: 200 });
    expect(r.status).toBe('infeasible');
    expect(r.roster).toBeNull();
  });

  it('finds a contradiction between runs, days off and minutes with the exact check', () => {
    // Works at most 2 days in a row and needs 4 days off between runs: 14 days hold at most
    // 2+2+2 = 6 shifts, but 7 are required; the counting bound alone does not see it.
    const model = smallModel(2, 14, {
      maxConsecutive: 2,
      minConsecutiveDaysOff: 4,
      minMinutes: 7 * 480,
    });
    const reasons = findInfeasibility(model);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons[0]!.employee).toBe('P0');
  });
});
