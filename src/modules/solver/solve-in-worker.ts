import { Worker } from 'node:worker_threads';
import type { RosterModel } from './model.js';
import type { SolveResult } from './solver.js';
import type { WorkerIn, WorkerOut } from './solver-worker.js';

export interface WorkerSolveOptions {
  seed: number;
  timeLimitMs: number;
  /** Number of worker threads (different seeds, sharing the incumbent). Default 2. */
  workers?: number;
  signal?: AbortSignal;
  initial?: Int16Array;
  onProgress?: (p: { ms: number; objective: number; roster: Int16Array }) => void;
  /**
   * MIP stage with HiGHS (mip-stage.ts): the first worker solves small models whole (else
   * pure LNS), the others run fix-and-optimise windows between LNS moves (a single worker
   * does both). Default on; `DUTYDESK_SOLVER_MIP=0` turns it off.
   */
  mip?: boolean;
}

/**
 * Runs the solver off the main thread. From TypeScript (tsx, vitest) the worker is the .ts
 * file started with tsx's loader; from compiled JS it is the .js file next to this one.
 */
function startWorker(data: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Loader flags in a worker's execArgv are not honoured on every Node 20 release, so the
    // worker registers tsx itself before importing the TypeScript entry.
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./solver-worker.ts', here).href;
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { eval: true, workerData: data });
  }
  return new Worker(new URL('./solver-worker.js', here), { workerData: data });
}

/** Solves with N workers; resolves with the best feasible result of any of them. */
export function solveInWorkers(
  model: RosterModel,
  options: WorkerSolveOptions,
): Promise<SolveResult> {
  const n = Math.max(1, options.workers ?? 2);
  const mip = options.mip ?? process.env.DUTYDESK_SOLVER_MIP !== '0';
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const results: SolveResult[] = [];
    let best = Number.POSITIVE_INFINITY;
    let bestRoster: Int16Array | null = null;
    let settled = false;
    const stopAll = () => {
      for (const w of workers) w.postMessage({ type: 'stop' } satisfies WorkerIn);
    };
    options.signal?.addEventListener('abort', stopAll, { once: true });
    for (let i = 0; i < n; i++) {
      const w = startWorker({
        model,
        seed: options.seed + i * 7919,
        timeLimitMs: options.timeLimitMs,
        initial: options.initial,
        progressIntervalMs: 500,
        waitForIncumbent: i > 0 && !options.initial,
        mip: mip ? (n === 1 ? 'both' : i === 0 ? 'full' : 'windows') : undefined,
      });
      workers.push(w);
      w.on('message', (msg: WorkerOut) => {
        if (msg.type === 'progress') {
          if (msg.objective < best - 1e-9) {
            best = msg.objective;
            bestRoster = msg.roster;
            options.onProgress?.({ ms: msg.ms, objective: msg.objective, roster: msg.roster });
            // Share the incumbent with the others: they adopt it if it beats their current one.
            for (const other of workers)
              if (other !== w)
                other.postMessage({
                  type: 'incumbent',
                  roster: msg.roster,
                  objective: msg.objective,
                } satisfies WorkerIn);
          }
          return;
        }
        results.push(msg.result);
        void w.terminate();
        if (results.length === n && !settled) {
          settled = true;
          const feasible = results.filter((r) => r.status === 'feasible');
          if (feasible.length > 0) {
            const r = feasible.reduce((x, y) =>
              (x.objective ?? Infinity) <= (y.objective ?? Infinity) ? x : y,
            );
            resolve({ ...r, iterations: results.reduce((s, x) => s + x.iterations, 0) });
          } else resolve(results[0]!);
        }
      });
      w.on('error', (err) => {
        if (!settled) {
          settled = true;
          stopAll();
          reject(err);
        }
      });
    }
    void bestRoster;
  });
}
