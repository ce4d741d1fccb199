import type { Highs } from 'highs';
import type { CompiledModel } from './model.js';
import { buildMip, representable, runMip } from './mip.js';
import type { MipSubproblem } from './mip.js';
import { scoreRoster } from './scorer.js';
import { validateRoster } from './validator.js';

/**
 * The MIP stage of the search (HiGHS, see mip.ts), called from the LNS loop in solver.ts:
 * - **full**: a model with ≤ FULL_MIP_VARS decision variables (Instances 1–4) is solved whole
 *   once, after ≤ 3 s of LNS, with the search's incumbent as the MIP start and the rest of
 *   the budget as its time limit (interrupted at HiGHS's checkpoints on cancel / time up);
 *   proven optimal ends the search;
 * - **windows** (fix-and-optimise): about MIP_SHARE of the search's time goes to sub-MIPs,
 *   each ≤ WINDOW_SEC seconds of the search's clock: the aligned weeks in turn with everyone
 *   free, or a random part of the staff over the week when everyone would exceed
 *   WINDOW_VARS columns; the rest fixed to the incumbent.
 * Every roster HiGHS returns is re-checked by the independent validator and scorer before
 * the search sees it. Off for models with fairness terms (quadratic, not stated in the MIP).
 */
export const FULL_MIP_VARS = 800;
const WINDOW_VARS = 2000;
const WINDOW_SEC = 6;
const MIP_SHARE = 0.25;
/**
 * Windows only on horizons up to this many days: measured better on the 14–28-day instances,
 * even on 15 (42 days), worse on 19 (84 days: 4322 → 4862), within noise on 23 and 24 (364).
 */
const WINDOW_MAX_DAYS = 42;

export interface MipStageOptions {
  highs: Highs;
  /** Solve the whole model when it is small. */
  full: boolean;
  /** Fix-and-optimise windows (one worker runs them, the other pure LNS). */
  windows: boolean;
}

export type Adopt = (roster: Int16Array, objective: number) => boolean;

export class MipStage {
  private mipMs = 0;
  private week = 0;
  private fullDone: boolean;
  private failed = false;
  private readonly vars: number;
  /** The full MIP proved the incumbent optimal. */
  optimal = false;

  constructor(
    private readonly cm: CompiledModel,
    private readonly opt: MipStageOptions,
    private readonly seed: number,
    /** The search's clock (ms): time shares and per-window limits are on it. */
    private readonly now: () => number,
  ) {
    let vars = 0;
    for (let e = 0; e < cm.E; e++)
      for (let t = 0; t < cm.T; t++)
        if ((cm.model.employees[e]!.maxShifts[t] ?? cm.H) > 0) vars += cm.H;
    this.vars = vars;
    this.fullDone = !opt.full || vars > FULL_MIP_VARS;
  }

  static usable(cm: CompiledModel): boolean {
    return representable(cm);
  }

  /** Whether the stage wants to run now (elapsed and budget in ms). */
  due(elapsedMs: number, budgetMs: number): boolean {
    if (this.failed || this.optimal) return false;
    if (!this.fullDone) return elapsedMs >= Math.min(budgetMs * 0.15, 3000);
    return this.opt.windows && this.cm.H <= WINDOW_MAX_DAYS && this.mipMs < MIP_SHARE * elapsedMs;
  }

  /**
   * One MIP run from `current` (a feasible roster). `adopt` gets each checked roster better
   * than what it has; `stop` interrupts.
   */
  step(
    current: Int16Array,
    rand: () => number,
    remainingMs: number,
    stop: () => boolean,
    adopt: Adopt,
  ): void {
    const t0 = this.now();
    try {
      if (!this.fullDone) {
        this.fullDone = true;
        const r = this.solve({}, current, remainingMs, stop, adopt);
        if (r) this.optimal = true;
      } else {
        const limit = Math.min(WINDOW_SEC * 1000, remainingMs);
        this.solve(
          this.pickWindow(rand),
          current,
          limit,
          () => stop() || this.now() - t0 > limit,
          adopt,
        );
      }
    } catch {
      // A HiGHS failure (WASM abort, memory) switches the stage off; the LNS goes on.
      this.failed = true;
    }
    this.mipMs += this.now() - t0;
  }

  /**
   * The next window: the aligned weeks in turn, everyone free (each such sub-MIP is usually
   * solved to optimality in a few seconds and improves the LNS roster by a few points);
   * when a week of everyone is too big, a random part of the staff over that week.
   */
  private pickWindow(rand: () => number): MipSubproblem {
    const { E, H } = this.cm;
    const perCellVars = this.vars / (E * H);
    const weeks = Math.max(1, Math.floor(H / 7));
    const w = this.week++ % weeks;
    const from = w * 7;
    const to = w === weeks - 1 ? H - 1 : from + 6;
    const k = Math.floor(WINDOW_VARS / Math.max(1e-9, perCellVars * (to - from + 1)));
    if (k >= E) return { from, to };
    const all = Array.from({ length: E }, (_, i) => i);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return { employees: all.slice(0, Math.max(2, k)), from, to };
  }

  /** Returns true when HiGHS proved the (sub-)problem optimal. */
  private solve(
    sub: MipSubproblem,
    current: Int16Array,
    limitMs: number,
    stop: () => boolean,
    adopt: Adopt,
  ): boolean {
    const model = this.cm.model;
    const problem = buildMip(this.cm, current, sub);
    let valid = false;
    const check = (roster: Int16Array, mipObjective: number): boolean => {
      // Never trust the MIP: the independent validator and scorer decide.
      if (validateRoster(model, roster).length > 0) return false;
      const score = scoreRoster(model, roster).total;
      if (Math.abs(score - mipObjective) > 1e-4 * Math.max(1, Math.abs(score))) return false;
      valid = true;
      return adopt(roster, score);
    };
    const r = runMip(this.opt.highs, this.cm, current, problem, {
      // HiGHS's own (wall-clock) limit too: its interrupt checkpoints can be seconds apart
      // (a full solve of Instance4 overran a 60 s budget by 8 s on the callback alone).
      timeLimitSec: limitMs / 1000 + 0.2,
      seed: this.seed,
      shouldStop: stop,
      onImproving: (roster, objective) => void check(roster, objective),
    });
    valid = false;
    if (r.roster !== null && r.objective !== null) check(r.roster, r.objective);
    // Proven optimal and checked: the search's best (adopted or already as good) is optimal.
    return r.optimal && valid;
  }
}
