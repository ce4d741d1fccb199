import type { Highs } from 'highs';
import type { CompiledModel } from './model.js';
import { buildMip, representable, runMip } from './mip.js';
import type { MipSubproblem } from './mip.js';
import {
  ADAPTIVE_MAX_DAYS,
  ADAPTIVE_MAX_STAFF,
  ADAPTIVE_MIN_STAFF,
  alignedWeek,
  emptyStats,
  mipShare,
  pickKind,
  shuffled,
  windowOf,
} from './mip-windows.js';
import type { WindowKind, WindowSizes } from './mip-windows.js';
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
 * On horizons ≤ ADAPTIVE_MAX_DAYS with ADAPTIVE_MIN_STAFF–ADAPTIVE_MAX_STAFF people the
 * windows are adaptive instead (mip-windows.ts): week, fortnight or part of the staff over the
 * whole horizon, chosen by gain per second, from 10 % of the budget on, the share following the
 * MIP's gain rate against the LNS's (0.1–0.6).
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
/** Adaptive windows (≤ ADAPTIVE_MAX_DAYS): none before this share of the budget. */
const ADAPTIVE_START = 0.1;
/** Gain and time are decayed with this time constant, as a share of the budget. */
const ADAPTIVE_TAU = 0.2;
/**
 * Column budgets and time limit of an adaptive window (screening, 25 s CPU, seeds 1–2: a
 * fortnight of everyone on Instance8, ~1 300 columns, was rarely solved in 3–5 s and never
 * improved; half the staff of Instance5 over the month, 448 columns, once gained a cover unit).
 */
const ADAPTIVE_SIZES: WindowSizes = { windowColumns: 1000, staffColumns: 4000 };
const ADAPTIVE_WINDOW_SEC = 3;

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
  // Adaptive windows (short horizons): decayed gains and times, see mip-windows.ts.
  private readonly adaptive: boolean;
  private readonly kinds = emptyStats();
  private lastBest = Number.POSITIVE_INFINITY;
  private lastSeen = 0;
  private decMip = 0;
  private decAll = 0;
  private gainMip = 0;
  private gainLns = 0;

  constructor(
    private readonly cm: CompiledModel,
    private readonly opt: MipStageOptions,
    private readonly seed: number,
    /** The search's clock (ms): time shares and per-window limits are on it. */
    private readonly now: () => number,
    /** The search's best objective so far (the gain rates are measured on it). */
    private readonly best: () => number = () => Number.POSITIVE_INFINITY,
  ) {
    let vars = 0;
    for (let e = 0; e < cm.E; e++)
      for (let t = 0; t < cm.T; t++)
        if ((cm.model.employees[e]!.maxShifts[t] ?? cm.H) > 0) vars += cm.H;
    this.vars = vars;
    this.fullDone = !opt.full || vars > FULL_MIP_VARS;
    this.adaptive =
      opt.windows &&
      cm.H <= ADAPTIVE_MAX_DAYS &&
      cm.E >= ADAPTIVE_MIN_STAFF &&
      cm.E <= ADAPTIVE_MAX_STAFF;
  }

  static usable(cm: CompiledModel): boolean {
    return representable(cm);
  }

  /** Whether the stage wants to run now (elapsed and budget in ms). */
  due(elapsedMs: number, budgetMs: number): boolean {
    if (this.failed || this.optimal) return false;
    if (!this.fullDone) return elapsedMs >= Math.min(budgetMs * 0.15, 3000);
    if (this.adaptive) return this.adaptiveDue(elapsedMs, budgetMs);
    return this.opt.windows && this.cm.H <= WINDOW_MAX_DAYS && this.mipMs < MIP_SHARE * elapsedMs;
  }

  /**
   * Adaptive share: the LNS's gain is what the best improved between MIP steps; the rates
   * are decayed (recent evidence counts), the share is held on the whole run's time (a
   * decayed total let 6 s windows eat half of a short run on Instance13).
   */
  private adaptiveDue(elapsedMs: number, budgetMs: number): boolean {
    this.decay(elapsedMs, budgetMs);
    const b = this.best();
    if (b < this.lastBest && Number.isFinite(this.lastBest)) this.gainLns += this.lastBest - b;
    this.lastBest = b;
    if (elapsedMs < ADAPTIVE_START * budgetMs) return false;
    const lnsMs = Math.max(1, this.decAll - this.decMip);
    const share = mipShare(
      this.gainMip / Math.max(1, this.decMip),
      this.decMip > 0 ? this.gainLns / lnsMs : 0,
    );
    return this.mipMs < share * elapsedMs;
  }

  private decay(elapsedMs: number, budgetMs: number): void {
    const dt = Math.max(0, elapsedMs - this.lastSeen);
    this.lastSeen = elapsedMs;
    const k = Math.exp(-dt / Math.max(1, ADAPTIVE_TAU * budgetMs));
    this.decMip *= k;
    this.decAll = this.decAll * k + dt;
    this.gainMip *= k;
    this.gainLns *= k;
    for (const s of Object.values(this.kinds)) {
      s.gain *= k;
      s.ms *= k;
    }
  }

  /** A better roster came from elsewhere (the other worker): not the LNS's gain. */
  rebase(): void {
    this.lastBest = this.best();
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
      } else if (this.adaptive) {
        this.adaptiveStep(current, rand, remainingMs, stop, adopt);
      } else {
        this.solveWindow(this.pickWindow(rand), current, WINDOW_SEC, remainingMs, stop, adopt);
      }
    } catch {
      // A HiGHS failure (WASM abort, memory) switches the stage off; the LNS goes on.
      this.failed = true;
    }
    this.mipMs += this.now() - t0;
  }

  /** One adaptive window; its gain (on the roster it started from) is credited to its kind. */
  private adaptiveStep(
    current: Int16Array,
    rand: () => number,
    remainingMs: number,
    stop: () => boolean,
    adopt: Adopt,
  ): void {
    const t0 = this.now();
    const best0 = this.best();
    const kind: WindowKind = pickKind(this.kinds, rand);
    const sub = windowOf(kind, this.cm, current, this.week, ADAPTIVE_SIZES, rand);
    if (kind === 'week') this.week++;
    const start = scoreRoster(this.cm.model, current).total;
    let reached = start;
    this.solveWindow(sub, current, ADAPTIVE_WINDOW_SEC, remainingMs, stop, (roster, objective) => {
      const took = adopt(roster, objective);
      if (took) reached = Math.min(reached, objective);
      return took;
    });
    const ms = this.now() - t0;
    const s = this.kinds[kind];
    s.tries++;
    s.gain += start - reached;
    s.ms += ms;
    this.decAll += ms;
    this.lastSeen += ms;
    this.decMip += ms;
    const b = this.best();
    if (b < best0) this.gainMip += best0 - b;
    this.lastBest = b;
  }

  /**
   * The next window: the aligned weeks in turn, everyone free (each such sub-MIP is usually
   * solved to optimality in a few seconds and improves the LNS roster by a few points);
   * when a week of everyone is too big, a random part of the staff over that week.
   */
  private pickWindow(rand: () => number): MipSubproblem {
    const { E, H } = this.cm;
    const perCellVars = this.vars / (E * H);
    const { from, to } = alignedWeek(H, this.week++);
    const k = Math.floor(WINDOW_VARS / Math.max(1e-9, perCellVars * (to - from + 1)));
    if (k >= E) return { from, to };
    return { employees: shuffled(E, rand).slice(0, Math.max(2, k)), from, to };
  }

  /** One window, stopped after `sec` seconds of the search's clock (or what is left). */
  private solveWindow(
    sub: MipSubproblem,
    current: Int16Array,
    sec: number,
    remainingMs: number,
    stop: () => boolean,
    adopt: Adopt,
  ): void {
    const t0 = this.now();
    const limit = Math.min(sec * 1000, remainingMs);
    this.solve(sub, current, limit, () => stop() || this.now() - t0 > limit, adopt);
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
