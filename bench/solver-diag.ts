/**
 * What a run's penalty consists of: `npx tsx bench/solver-diag.ts Instance13 [seconds] [seed]`.
 * Runs the 2-worker solve, prints each new best (wall seconds, objective, on / off requests,
 * cover), then the final roster's cover broken down by cell (day, shift, under or over × weight).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkDir } from '../src/modules/solver/benchmark-paths.js';
import { readInstance } from '../src/modules/solver/instance-reader.js';
import { scoreRoster } from '../src/modules/solver/scorer.js';
import { solveInWorkers } from '../src/modules/solver/solve-in-worker.js';

const instance = process.argv[2] ?? 'Instance5';
const seconds = Number(process.argv[3] ?? 60);
const seed = Number(process.argv[4] ?? 1);
const model = readInstance(
  readFileSync(join(benchmarkDir(), 'curtois', `${instance}.txt`), 'utf8'),
);
const t0 = Date.now();
const r = await solveInWorkers(model, {
  seed,
  timeLimitMs: seconds * 1000,
  workers: 2,
  onProgress: (p) => {
    const s = scoreRoster(model, p.roster);
    const at = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(
      `${at} s\t${p.objective}\ton ${s.onRequests}\toff ${s.offRequests}\tcover ${s.cover}`,
    );
  },
});
if (!r.roster) {
  console.log(`no roster: ${r.status}`);
} else {
  const roster = r.roster;
  console.log(`final ${JSON.stringify(scoreRoster(model, roster))}`);
  const H = model.days;
  const cells: string[] = [];
  for (const c of model.cover) {
    let n = 0;
    for (let e = 0; e < model.employees.length; e++) if (roster[e * H + c.day] === c.shift) n++;
    if (n < c.requirement)
      cells.push(`day ${c.day} shift ${c.shift}: under ${c.requirement - n} × ${c.underWeight}`);
    if (n > c.requirement)
      cells.push(`day ${c.day} shift ${c.shift}: over ${n - c.requirement} × ${c.overWeight}`);
  }
  console.log(cells.join('\n'));
}
