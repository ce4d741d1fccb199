import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchmarkDir } from './benchmark-paths.js';
import { readInstance, readRoster } from './instance-reader.js';
import { Tally, cheapMoves, feasibleAfterChange } from './local-moves.js';
import type { MoveStats } from './local-moves.js';
import type { RosterModel } from './model.js';
import { OFF, compile } from './model.js';
import { scoreRoster } from './scorer.js';
import { State, prng } from './solver.js';
import { validateRoster } from './validator.js';

const dir = benchmarkDir();
/** A benchmark instance with its reference roster (feasible: scorer.test.ts checks it). */
function withReference(n: number, pinEvery = 0): { model: RosterModel; roster: Int16Array } {
  const model = readInstance(readFileSync(join(dir, 'curtois', `Instance${n}.txt`), 'utf8'));
  const text = readFileSync(join(dir, 'reference_solutions', `Instance${n}.roster.txt`), 'utf8');
  const roster = readRoster(model, text);
  if (pinEvery > 0) {
    // Product-like pins (re-plan): every pinEvery-th cell kept as the reference has it.
    model.pins = [];
    for (let i = 0; i < roster.length; i += pinEvery)
      model.pins.push({
        employee: Math.floor(i / model.days),
        day: i % model.days,
        shift: roster[i]!,
      });
  }
  return { model, roster };
}

const feasibleFor = (model: RosterModel, roster: Int16Array, e: number) =>
  !validateRoster(model, roster).some((v) => v.employee === model.employees[e]!.id);

/** A change: employee e's days [d, d + span) set to `values`, or swapped with employee `other`. */
const changeArb = fc.record({
  e: fc.nat(),
  other: fc.option(fc.nat(), { nil: undefined }),
  d: fc.nat(),
  span: fc.integer({ min: 1, max: 7 }),
  values: fc.array(fc.integer({ min: -1, max: 40 }), { minLength: 7, maxLength: 7 }),
});

describe('local moves: delta evaluation and the local hard-rule check', () => {
  for (const [n, pinEvery] of [
    [1, 0],
    [3, 0],
    [7, 0],
    [2, 5],
  ] as const) {
    it(`Instance${n}${pinEvery ? ' with pins' : ''}: the delta equals the scorer's difference and the local check equals the validator's verdict`, () => {
      const { model, roster } = withReference(n, pinEvery);
      const cm = compile(model);
      const { E, H, T } = cm;
      fc.assert(
        fc.property(fc.array(changeArb, { minLength: 1, maxLength: 40 }), (changes) => {
          const st = new State(cm, Int16Array.from(roster));
          for (const c of changes) {
            const e = c.e % E;
            const d1 = c.d % H;
            const d2 = Math.min(H - 1, d1 + c.span - 1);
            const o = c.other === undefined ? -1 : c.other % E;
            const before = st.objective;
            const scoreBefore = scoreRoster(model, st.roster).total;
            const saved = Array.from(st.roster);
            for (let d = d1; d <= d2; d++) {
              if (o >= 0 && o !== e) {
                const a = st.roster[e * H + d]!;
                st.set(e, d, st.roster[o * H + d]!);
                st.set(o, d, a);
              } else {
                const v = c.values[d - d1]!;
                st.set(e, d, v < 0 ? OFF : v % T);
              }
            }
            // Delta: the incremental objective moved by exactly the scorer's difference.
            const diff = scoreRoster(model, st.roster).total - scoreBefore;
            expect(st.objective - before).toBeCloseTo(diff, 6);
            // Feasibility after the move: the local check agrees with the validator.
            for (const x of o >= 0 && o !== e ? [e, o] : [e]) {
              expect(feasibleAfterChange(cm, st.roster, st.tally, x, d1, d2)).toBe(
                feasibleFor(model, st.roster, x),
              );
            }
            // The totals kept incrementally equal a fresh count.
            const fresh = new Tally(cm);
            fresh.reset(st.roster);
            expect(Array.from(st.tally.minutes)).toEqual(Array.from(fresh.minutes));
            expect(Array.from(st.tally.typeCount)).toEqual(Array.from(fresh.typeCount));
            expect(Array.from(st.tally.weekends)).toEqual(Array.from(fresh.weekends));
            // Keep the precondition (everyone feasible) for the next change.
            if (validateRoster(model, st.roster).length > 0)
              saved.forEach((t, i) => st.set(Math.floor(i / H), i % H, t));
          }
          expect(validateRoster(model, st.roster)).toEqual([]);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('a batch of cheap moves keeps every hard rule and the exact objective, and does move', () => {
    const cases = [withReference(5), withReference(8), withReference(4, 7)];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cases.length - 1 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        (k, seed, count, temp) => {
          const { model, roster } = cases[k]!;
          const cm = compile(model);
          const st = new State(cm, Int16Array.from(roster));
          const stats: MoveStats = { tried: 0, feasible: 0, accepted: 0 };
          cheapMoves(cm, st, prng(seed), count, temp, stats);
          expect(validateRoster(model, st.roster)).toEqual([]);
          expect(st.objective).toBeCloseTo(scoreRoster(model, st.roster).total, 6);
          // Some draws find nothing to try (e.g. no under-covered shift that day); not many.
          if (count >= 100) expect(stats.tried).toBeGreaterThan(count / 4);
          if (count >= 500) expect(stats.accepted).toBeGreaterThan(0);
        },
      ),
      { numRuns: 30 },
    );
  });
});
