/**
 * Screening for solver variants: one thread, `solve()` on the process's CPU time as its clock
 * (so the machine's load matters less than with the wall clock), several seeds.
 * `npx tsx bench/solver-screen.ts --cpu 10 --only Instance5,Instance8 --seeds 1,2,3 [--mip off]`
 * Prints one line per run (instance, seed, objective, CPU seconds, load average) and the means.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import highsImport from 'highs';
import { benchmarkDir } from '../src/modules/solver/benchmark-paths.js';
import { readInstance } from '../src/modules/solver/instance-reader.js';
import { scoreRoster } from '../src/modules/solver/scorer.js';
import { solve } from '../src/modules/solver/solver.js';
import { validateRoster } from '../src/modules/solver/validator.js';

const loadHighs = ((highsImport as unknown as { default?: unknown }).default ??
  highsImport) as typeof highsImport.default;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(): Promise<void> {
  const seconds = Number(arg('cpu', '10'));
  const only = arg('only', 'Instance5').split(',');
  const seeds = arg('seeds', '1,2,3').split(',').map(Number);
  const mipMode = arg('mip', 'both');
  const highs = mipMode === 'off' ? null : await loadHighs();
  for (const instance of only) {
    const model = readInstance(
      readFileSync(join(benchmarkDir(), 'curtois', `${instance}.txt`), 'utf8'),
    );
    const objs: number[] = [];
    for (const seed of seeds) {
      const t0 = cpuMs();
      const r = solve(model, {
        seed,
        timeLimitMs: seconds * 1000,
        now: cpuMs,
        ...(highs
          ? { mip: { highs, full: mipMode !== 'windows', windows: mipMode !== 'full' } }
          : {}),
      });
      const ok = r.roster !== null && validateRoster(model, r.roster).length === 0;
      const obj = r.roster ? scoreRoster(model, r.roster).total : NaN;
      objs.push(obj);
      console.log(
        [
          instance,
          `seed ${seed}`,
          obj,
          ok ? 'feasible' : 'INFEASIBLE',
          `${((cpuMs() - t0) / 1000).toFixed(1)} s CPU`,
          `load ${loadavg()[0]!.toFixed(2)}`,
        ].join('\t'),
      );
    }
    const mean = objs.reduce((a, b) => a + b, 0) / objs.length;
    console.log(`${instance}\tmean ${mean.toFixed(1)}\t(${objs.join(' / ')})`);
  }
}

await main();
