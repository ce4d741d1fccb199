/**
 * Roster solver benchmark: `npm run bench:solver -- --time 60 [--dir D] [--only Instance1,Instance7] [--seed 1] [--workers 2]`.
 * Runs every Curtois & Qu instance, re-checks each roster with the independent validator and
 * scorer, prints a table and one closing line of JSON.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { benchmarkDir } from '../src/modules/solver/benchmark-paths.js';
import { readInstance } from '../src/modules/solver/instance-reader.js';
import { scoreRoster } from '../src/modules/solver/scorer.js';
import { solveInWorkers } from '../src/modules/solver/solve-in-worker.js';
import { validateRoster } from '../src/modules/solver/validator.js';

interface Args {
  time: number;
  dirs: string[];
  only: string[] | null;
  seed: number;
  workers: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { time: 60, dirs: [], only: null, seed: 1, workers: 2 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--time' && v) args.time = Number(v);
    else if (a === '--dir' && v) args.dirs.push(v);
    else if (a === '--only' && v) args.only = v.split(',');
    else if (a === '--seed' && v) args.seed = Number(v);
    else if (a === '--workers' && v) args.workers = Number(v);
    else continue;
    i++;
  }
  return args;
}

/** Best known values from BEST_KNOWN.md's table ("| 1 | 607 | …"). */
export function readBestKnown(root: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const text = readFileSync(join(root, 'BEST_KNOWN.md'), 'utf8');
    // The first table is the best-known one; later tables (short-run results) share its shape.
    for (const m of text.matchAll(/^\| (\d+) \| (\d+) \|/gm)) {
      const key = `Instance${m[1]}`;
      if (!out.has(key)) out.set(key, Number(m[2]));
    }
  } catch {
    // No table: gaps are reported as null.
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = benchmarkDir();
  const best = readBestKnown(root);
  const dirs = [join(root, 'curtois'), ...args.dirs];
  const files: string[] = [];
  for (const dir of dirs) {
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort(
        (x, y) =>
          Number(/\d+/.exec(x)?.[0] ?? 0) - Number(/\d+/.exec(y)?.[0] ?? 0) || x.localeCompare(y),
      );
    for (const n of names) files.push(join(dir, n));
  }
  const results: {
    instance: string;
    objective: number | null;
    best_known: number | null;
    gap_pct: number | null;
    seconds: number;
    feasible: boolean;
  }[] = [];
  const header = [
    'instance',
    'staff×days',
    'objective',
    'best known',
    'gap %',
    'seconds',
    'feasible',
  ];
  console.log(header.join('\t'));
  for (const file of files) {
    const instance = basename(file, '.txt');
    if (args.only && !args.only.includes(instance)) continue;
    const t0 = performance.now();
    let objective: number | null = null;
    let feasible = false;
    let size = '?';
    let note = '';
    try {
      const model = readInstance(readFileSync(file, 'utf8'));
      size = `${model.employees.length}×${model.days}`;
      const result = await solveInWorkers(model, {
        seed: args.seed,
        timeLimitMs: args.time * 1000,
        workers: args.workers,
      });
      if (result.roster) {
        // Trust nothing from the solver: re-check with the independent validator and scorer.
        const violations = validateRoster(model, result.roster);
        feasible = violations.length === 0;
        objective = scoreRoster(model, result.roster).total;
        if (!feasible) note = ` (${violations.length} hard violations!)`;
        if (objective !== result.objective) note += ` (solver said ${result.objective})`;
      } else {
        note = ` (${result.status}: ${[...result.reasons.map((r) => r.detail), ...result.unplaced].slice(0, 3).join('; ')})`;
      }
    } catch (err) {
      note = ` (error: ${(err as Error).message})`;
    }
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    const bk = best.get(instance) ?? null;
    const gap = objective !== null && bk ? Math.round(((objective - bk) / bk) * 10000) / 100 : null;
    results.push({ instance, objective, best_known: bk, gap_pct: gap, seconds, feasible });
    console.log(
      [
        instance,
        size,
        objective ?? '-',
        bk ?? '-',
        gap ?? '-',
        seconds,
        feasible ? 'yes' : 'no',
      ].join('\t') + note,
    );
  }
  console.log(JSON.stringify({ results }));
}

await main();
