import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import highsImport from 'highs';
import type { Highs } from 'highs';
import type { RosterModel } from './model.js';
import { solve } from './solver.js';
import type { SolveResult } from './solver.js';

/** Messages from a solver worker to its parent. */
export type WorkerOut =
  | { type: 'progress'; ms: number; objective: number; roster: Int16Array; iterations: number }
  | { type: 'done'; result: SolveResult };

/** Messages from the parent: stop, or a better roster found by the other worker. */
export type WorkerIn =
  { type: 'stop' } | { type: 'incumbent'; roster: Int16Array; objective: number };

interface WorkerInput {
  model: RosterModel;
  seed: number;
  timeLimitMs: number;
  initial?: Int16Array;
  progressIntervalMs: number;
  /**
   * Start from the other worker's first feasible roster instead of constructing one: on two
   * shared cores a second, identical construction slows the first one down (Instance21).
   */
  waitForIncumbent?: boolean;
  /** MIP stage: 'full' (solve small models whole, else pure LNS), 'windows', 'both', or off. */
  mip?: 'full' | 'windows' | 'both';
}

// highs' types describe a CommonJS module (the loader as `default`); at run time the ESM
// entry's default export is the loader itself.
const loadHighs = ((highsImport as unknown as { default?: unknown }).default ??
  highsImport) as typeof highsImport.default;

const port = parentPort;
if (port) {
  const input = workerData as WorkerInput;
  // HiGHS (WASM) loads asynchronously; the search itself is synchronous. Not loaded for a
  // model with fairness terms (the MIP does not state them: the stage would be off).
  let highs: Highs | null = null;
  if (input.mip && !input.model.fairness?.length) highs = await loadHighs().catch(() => null);
  const controller = new AbortController();
  let incoming: { roster: Int16Array; objective: number } | null = null;
  // The search is synchronous, so the event loop never runs during it: messages (stop,
  // incumbent) are pulled with receiveMessageOnPort at the search's checkpoints.
  {
    const poll = () => {
      for (;;) {
        const m = receiveMessageOnPort(port);
        if (!m) break;
        const msg = m.message as WorkerIn;
        if (msg.type === 'stop') controller.abort();
        else incoming = { roster: msg.roster, objective: msg.objective };
      }
    };
    let lastPoll = 0;
    let initial = input.initial;
    let timeLimitMs = input.timeLimitMs;
    if (input.waitForIncumbent) {
      const sleeper = new Int32Array(new SharedArrayBuffer(4));
      const t0 = performance.now();
      while (!controller.signal.aborted && performance.now() - t0 < input.timeLimitMs) {
        poll();
        // Set by poll(); TypeScript cannot see the assignment inside the closure.
        const got = incoming as { roster: Int16Array; objective: number } | null;
        if (got) {
          initial = got.roster;
          incoming = null;
          break;
        }
        Atomics.wait(sleeper, 0, 0, 20);
      }
      timeLimitMs = Math.max(0, input.timeLimitMs - (performance.now() - t0));
    }
    const result = solve(input.model, {
      seed: input.seed,
      timeLimitMs,
      signal: controller.signal,
      ...(initial ? { initial } : {}),
      progressIntervalMs: input.progressIntervalMs,
      ...(highs && input.mip
        ? { mip: { highs, full: input.mip !== 'windows', windows: input.mip !== 'full' } }
        : {}),
      onProgress: (p) =>
        port.postMessage({
          type: 'progress',
          ms: p.ms,
          objective: p.objective,
          roster: p.roster,
          iterations: p.iterations,
        }),
      checkpoint: () => {
        const t = performance.now();
        if (t - lastPoll > 50) {
          lastPoll = t;
          poll();
        }
      },
      pollIncoming: () => {
        const got = incoming;
        incoming = null;
        return got;
      },
    });
    port.postMessage({ type: 'done', result } satisfies WorkerOut);
  }
}
