import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkDir } from '../src/modules/solver/benchmark-paths.js';
import { readInstance } from '../src/modules/solver/instance-reader.js';
import { scoreRoster } from '../src/modules/solver/scorer.js';
import { solveInWorkers } from '../src/modules/solver/solve-in-worker.js';
import { validateRoster } from '../src/modules/solver/validator.js';

// CI smoke: two small instances, a few seconds, in worker threads. Checks feasibility and that
// the independent scorer reproduces the solver's objective. The full run is `npm run bench:solver`.
describe('roster solver smoke (worker threads)', () => {
  for (const name of ['Instance1', 'Instance4']) {
    it(`solves ${name} feasibly and the scorer agrees`, async () => {
      const model = readInstance(
        readFileSync(join(benchmarkDir(), 'curtois', `${name}.txt`), 'utf8'),
      );
      const progress: number[] = [];
      const r = await solveInWorkers(model, {
        seed: 1,
        timeLimitMs: 2000,
        workers: 2,
        onProgress: (p) => progress.push(p.objective),
      });
      expect(r.status).toBe('feasible');
      expect(validateRoster(model, r.roster!)).toEqual([]);
      expect(scoreRoster(model, r.roster!).total).toBe(r.objective);
      expect(progress.length).toBeGreaterThan(0);
    });
  }

  it('stops the workers promptly when aborted after the first feasible roster', async () => {
    const model = readInstance(
      readFileSync(join(benchmarkDir(), 'curtois', 'Instance7.txt'), 'utf8'),
    );
    const controller = new AbortController();
    let abortedAt = 0;
    const r = await solveInWorkers(model, {
      seed: 2,
      timeLimitMs: 60_000,
      signal: controller.signal,
      onProgress: () => {
        if (!abortedAt) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(5_000);
    expect(r.status).toBe('feasible');
    expect(validateRoster(model, r.roster!)).toEqual([]);
  });
});
