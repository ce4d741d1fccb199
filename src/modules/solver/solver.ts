import { BestResponse, windowBounds } from './best-response.js';
import type { WindowBounds } from './best-response.js';
import { findInfeasibility } from './infeasibility.js';
import { MipStage } from './mip-stage.js';
import type { MipStageOptions } from './mip-stage.js';
import type { InfeasibilityReason } from './infeasibility.js';
import { Tally, cheapMoves } from './local-moves.js';
import type { CompiledModel, RosterModel } from './model.js';
import { OFF, compile } from './model.js';
import { budgetShares, yearBudget } from './year-budget.js';
import type { YearBudget } from './year-budget.js';

/**
 * Roster solver: rolling construction by per-employee best responses, then large
 * neighbourhood search (free 1–4 employees over a window, re-insert them one by one with
 * the exact best-response DP) under simulated annealing on the exact objective. Anytime
 * (best roster so far on every progress event), cancellable (AbortSignal), reproducible
 * (seeded PRNG, iteration-based decisions; only the stopping point depends on the clock).
 */

export interface SolveOptions {
  seed: number;
  timeLimitMs: number;
  signal?: AbortSignal;
  /** Monotonic milliseconds; injected so tests control time. */
  now?: () => number;
  /** Stop after this many LNS iterations (reproducible runs). */
  maxIterations?: number;
  onProgress?: (p: SolveProgress) => void;
  /** Minimum ms between progress events carrying a new best. */
  progressIntervalMs?: number;
  /** A roster to start from (re-planning); pins in the model still win. */
  initial?: Int16Array;
  /** Called between iterations: a better roster found elsewhere (the other worker). */
  pollIncoming?: () => { roster: Int16Array; objective: number } | null;
  /** Called often (also during construction): lets a worker read its messages. */
  checkpoint?: () => void;
  /** A loaded HiGHS: enables the MIP stage (mip-stage.ts); not with `maxIterations`. */
  mip?: MipStageOptions;
}

export interface SolveProgress {
  ms: number;
  objective: number;
  roster: Int16Array;
  iterations: number;
}

export type SolveStatus = 'feasible' | 'infeasible' | 'no_feasible_found';

export interface SolveResult {
  status: SolveStatus;
  roster: Int16Array | null;
  objective: number | null;
  reasons: InfeasibilityReason[];
  /** Employees still breaking a hard rule when no feasible roster was found. */
  unplaced: string[];
  /**
   * Cells (day, shift) still below their hard minimum cover when no feasible roster was found,
   * with the people on them and the minimum (cover that could not be met in the time limit).
   */
  uncovered: { day: number; shift: number; count: number; min: number }[];
  iterations: number;
  ms: number;
  history: { ms: number; objective: number }[];
}

// Cost noise for the re-insertion (diversifies ties and greedy order) and the annealing
// schedule; tuned on Instances 2, 5, 7 (a missing person costs 100, so early on the search may
// give up cover to escape, late only requests).
const NOISE = [0, 0.9, 5, 30];
const T_START = 100;
const T_END = 1;
/** Share of moves that are ejection chains (see chainMove), and their length. */
const CHAIN_RATE = 0.1;
const CHAIN_DEPTH = 4;
/** A chain stays within 1–CHAIN_WEEKS aligned weeks around its first cell (cheap moves). */
const CHAIN_WEEKS = 2;
/**
 * Big staffs (Instances 13, 23, 24): every LNS window is 1–BIG_WEEKS aligned weeks, never the
 * whole horizon. The DP's cost grows with the square of the window (days × minute band), so
 * this makes 3–4× more moves per second, which pays where 100+ people each need many moves
 * (single-thread CPU-time runs: 13, 15 s, seeds 1/2: 3611/4008 → 3261/3434; 30 s, seed 1:
 * 23: 26 999 → 24 819, 24: 111 873 → 100 850). Not on 15 and 19 (45 and 40 people): 30× or 3×
 * the moves, no better (cover plateau).
 */
const BIG_STAFF = 100;
const BIG_WEEKS = 2;
/**
 * Share of iterations that are a batch of CHEAP_BATCH cheap local moves (local-moves.ts: one
 * cell onto an under-covered shift or off an over-covered one, or two employees swapping 1–7
 * days; delta-evaluated, ~100× the DP moves per second), accepted by the annealing rule at
 * CHEAP_TEMP × the DP moves' temperature (at the full temperature they random-walk the requests;
 * single-thread 15 s CPU screening, seed 1: Instance13 3375 → 2234–2308, 15: 5746 → 4851–5087,
 * 19: 4565 → 4123–4217, 23: 28 118 → 26 170, 24: 117 886 → 102 276).
 */
const CHEAP_RATE = 0.5;
const CHEAP_BATCH = 200;
const CHEAP_TEMP = 0.1;
/**
 * Share of moves on long horizons (≥ PAIRED_MIN_DAYS) that re-solve the same people over two
 * weeks (pairedMove): minutes and weekends move from one part of the year to another. 0.2 → 0.4
 * with week B chosen by transferWeek (single-thread 10 s CPU screening on Instance24, seeds 1/2:
 * ~92 000 → ~86 000).
 */
const PAIRED_RATE = 0.4;
/**
 * Rolling construction: share of an employee's minutes and weekends for the days up to a
 * window's end = (1 − x) · share of their available days + x · share of the cover asked
 * (year-budget.ts). Instance24, construction 210 210 → 152 164; single-thread 10 s CPU
 * screening: 0 → 118 000, 0.5 → 97 000, 1 → 168 000 (the first weeks then under-covered).
 */
const BUDGET_BY_DEMAND = 0.5;
const PAIRED_MIN_DAYS = 56;
/** Cost added to every other choice of a forced cell. */
const FORCE = 1e7;
/** Construction uses the exact full-horizon DP per employee up to this many states. */
const FULL_HORIZON_STATES = 2_500_000;
/** Search price per person below a hard minimum cover (on top of the cover's own weight). */
const HARD_COVER_PRICE = 10_000;

/** Small fast seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Incremental state: roster, cover counts, objective parts, per-employee rule totals. */
export class State {
  readonly roster: Int16Array;
  readonly cnt: Int32Array;
  readonly tally: Tally;
  /** fair[k * E + e] = number of fairness cells of term k worked by e. */
  readonly fair: Int32Array;
  objective = 0;

  constructor(
    private readonly cm: CompiledModel,
    roster: Int16Array,
  ) {
    this.roster = roster;
    this.cnt = new Int32Array(cm.H * cm.T);
    this.fair = new Int32Array(cm.fairnessCell.length * cm.E);
    this.tally = new Tally(cm);
    this.recompute();
  }

  recompute(): void {
    const { E, H, T } = this.cm;
    this.cnt.fill(0);
    this.fair.fill(0);
    this.tally.reset(this.roster);
    let obj = 0;
    for (let e = 0; e < E; e++) {
      for (let d = 0; d < H; d++) {
        const t = this.roster[e * H + d]!;
        obj += this.cm.requestCost[(e * H + d) * (T + 1) + (t === OFF ? T : t)]!;
        if (t !== OFF) {
          this.cnt[d * T + t]!++;
          this.cm.fairnessCell.forEach((cells, k) => {
            if (cells[d * T + t]) this.fair[k * E + e]!++;
          });
        }
      }
    }
    for (let i = 0; i < H * T; i++) obj += this.coverCost(i, this.cnt[i]!);
    this.cm.fairnessCell.forEach((_, k) => {
      for (let e = 0; e < E; e++) {
        const c = this.fair[k * E + e]!;
        obj += this.cm.fairnessWeight[k]! * c * c * this.cm.fairnessInvShare[k]![e]!;
      }
    });
    this.objective = obj;
  }

  coverCost(i: number, n: number): number {
    const r = this.cm.req[i]!;
    const h = this.cm.hardMin[i]!;
    // Below a hard minimum: a search price only (a roster below it is never recorded).
    const hard = n < h ? HARD_COVER_PRICE * (h - n) : 0;
    return hard + (n < r ? this.cm.under[i]! * (r - n) : this.cm.over[i]! * (n - r));
  }

  /** Sets e's shift on day d, keeping counts and objective exact. */
  set(e: number, d: number, t: number): void {
    const { E, H, T } = this.cm;
    const old = this.roster[e * H + d]!;
    if (old === t) return;
    const rc = (e * H + d) * (T + 1);
    let delta =
      this.cm.requestCost[rc + (t === OFF ? T : t)]! -
      this.cm.requestCost[rc + (old === OFF ? T : old)]!;
    if (old !== OFF) {
      const i = d * T + old;
      const n = this.cnt[i]!;
      delta += this.coverCost(i, n - 1) - this.coverCost(i, n);
      this.cnt[i] = n - 1;
      for (let k = 0; k < this.cm.fairnessCell.length; k++) {
        if (!this.cm.fairnessCell[k]![i]) continue;
        const c = this.fair[k * E + e]!;
        delta +=
          this.cm.fairnessWeight[k]! *
          this.cm.fairnessInvShare[k]![e]! *
          ((c - 1) * (c - 1) - c * c);
        this.fair[k * E + e] = c - 1;
      }
    }
    if (t !== OFF) {
      const i = d * T + t;
      const n = this.cnt[i]!;
      delta += this.coverCost(i, n + 1) - this.coverCost(i, n);
      this.cnt[i] = n + 1;
      for (let k = 0; k < this.cm.fairnessCell.length; k++) {
        if (!this.cm.fairnessCell[k]![i]) continue;
        const c = this.fair[k * E + e]!;
        delta +=
          this.cm.fairnessWeight[k]! *
          this.cm.fairnessInvShare[k]![e]! *
          ((c + 1) * (c + 1) - c * c);
        this.fair[k * E + e] = c + 1;
      }
    }
    this.roster[e * H + d] = t;
    this.tally.change(e, d, old, t);
    this.objective += delta;
  }
}

/** Per-employee hard-rule check on the solver's own arrays (used to track feasibility). */
export function employeeFeasible(cm: CompiledModel, roster: Int16Array, e: number): boolean {
  const { H, T, len, forbidNext } = cm;
  const emp = cm.model.employees[e]!;
  const counts = new Int32Array(T);
  let minutes = 0;
  for (let d = 0; d < H; d++) {
    const t = roster[e * H + d]!;
    const p = cm.pin[e * H + d]!;
    if (p !== -2 && p !== t) return false;
    if (t === OFF) continue;
    if (cm.dayOff[e * H + d]) return false;
    counts[t]!++;
    minutes += len[t]!;
    if (d + 1 < H) {
      const u = roster[e * H + d + 1]!;
      if (u !== OFF && forbidNext[t * T + u]) return false;
    }
  }
  for (let t = 0; t < T; t++) if (counts[t]! > (emp.maxShifts[t] ?? H)) return false;
  if (minutes < emp.minMinutes || minutes > emp.maxMinutes) return false;
  let start = 0;
  while (start < H) {
    const working = roster[e * H + start] !== OFF;
    let end = start;
    while (end + 1 < H && (roster[e * H + end + 1] !== OFF) === working) end++;
    const length = end - start + 1;
    const border = start === 0 || end === H - 1;
    if (working && length > emp.maxConsecutive) return false;
    if (working && !border && length < emp.minConsecutive) return false;
    if (!working && !border && length < emp.minConsecutiveDaysOff) return false;
    start = end + 1;
  }
  let weekends = 0;
  for (const days of cm.model.weekends) if (days.some((d) => roster[e * H + d] !== OFF)) weekends++;
  return weekends <= emp.maxWeekends;
}

export function solve(model: RosterModel, options: SolveOptions): SolveResult {
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const elapsed = () => now() - t0;
  const reasons = findInfeasibility(model, {
    now,
    exactBudgetMs: options.initial ? 0 : Math.min(2000, options.timeLimitMs * 0.05),
  });
  if (reasons.length > 0) {
    return {
      status: 'infeasible',
      roster: null,
      objective: null,
      reasons,
      unplaced: [],
      uncovered: [],
      iterations: 0,
      ms: elapsed(),
      history: [],
    };
  }
  const cm = compile(model);
  return new Search(cm, options, now, t0).run();
}

class Search {
  private readonly rand: () => number;
  private readonly br: BestResponse;
  private readonly st: State;
  private readonly cost: Float64Array;
  private readonly out: Int16Array;
  private readonly saved: Int16Array;
  private readonly feasible: Uint8Array;
  private best: Int16Array | null = null;
  private bestObj = Number.POSITIVE_INFINITY;
  private history: { ms: number; objective: number }[] = [];
  private lastProgress = -1e9;
  private iterations = 0;
  private readonly weekAligned: number[];
  private readonly hasHardMin: boolean;

  constructor(
    private readonly cm: CompiledModel,
    private readonly opt: SolveOptions,
    private readonly now: () => number,
    private readonly t0: number,
  ) {
    this.rand = prng(opt.seed);
    this.br = new BestResponse(cm);
    const roster = new Int16Array(cm.E * cm.H).fill(OFF);
    if (opt.initial) roster.set(opt.initial);
    for (let i = 0; i < roster.length; i++) if (cm.pin[i] !== -2) roster[i] = cm.pin[i]!;
    this.st = new State(cm, roster);
    this.cost = new Float64Array(cm.H * (cm.T + 1));
    this.out = new Int16Array(cm.H);
    this.saved = new Int16Array(cm.H * 8);
    this.feasible = new Uint8Array(cm.E);
    // Window borders that never split a weekend group.
    const starts: number[] = [0];
    for (let d = 1; d < cm.H; d++) {
      if (cm.weekendOf[d]! >= 0 && cm.weekendOf[d] === cm.weekendOf[d - 1]) continue;
      if ((d % 7 === 0 && cm.H > 7) || cm.H <= 7) starts.push(d);
    }
    this.weekAligned = starts;
    this.hasHardMin = cm.hardMin.some((m) => m > 0);
    this.mip =
      opt.mip && opt.maxIterations === undefined && MipStage.usable(cm)
        ? new MipStage(
            cm,
            opt.mip,
            opt.seed,
            () => this.elapsed(),
            () => this.bestObj,
          )
        : null;
  }

  // ---- MIP stage hook (mip-stage.ts): runs a (sub-)MIP from the current roster. ----
  private readonly mip: MipStage | null;

  /** Returns true when the search should end (the full MIP proved optimality). */
  private mipStep(): boolean {
    const mip = this.mip!;
    mip.step(
      Int16Array.from(this.st.roster),
      this.rand,
      this.opt.timeLimitMs - this.elapsed(),
      () => this.stopped(),
      (roster, objective) => {
        if (objective > this.st.objective - 1e-9 && objective >= this.bestObj) return false;
        const keep = Int16Array.from(this.st.roster);
        this.st.roster.set(roster);
        this.st.recompute();
        // The solver's own objective and rules must agree with the validator and scorer.
        let ok = Math.abs(this.st.objective - objective) <= 1e-6 * Math.max(1, objective);
        for (let e = 0; e < this.cm.E && ok; e++) ok = employeeFeasible(this.cm, roster, e);
        if (!ok) {
          this.st.roster.set(keep);
          this.st.recompute();
          return false;
        }
        this.feasible.fill(1);
        this.record();
        return true;
      },
    );
    return mip.optimal;
  }

  private elapsed(): number {
    return this.now() - this.t0;
  }

  /**
   * Share of the run done, for the annealing schedule: by iterations when the run is bounded
   * by `maxIterations` (the run, acceptance included, is then the same at any speed), else by time.
   */
  private progress(): number {
    const m = this.opt.maxIterations;
    if (m !== undefined) return Math.min(1, this.iterations / Math.max(1, m));
    return Math.min(1, this.elapsed() / Math.max(1, this.opt.timeLimitMs));
  }

  private timeUp(): boolean {
    this.opt.checkpoint?.();
    return this.opt.signal?.aborted === true || this.elapsed() >= this.opt.timeLimitMs;
  }

  private stopped(): boolean {
    this.opt.checkpoint?.();
    if (this.opt.signal?.aborted) return true;
    if (this.opt.maxIterations !== undefined && this.iterations >= this.opt.maxIterations)
      return true;
    return this.elapsed() >= this.opt.timeLimitMs;
  }

  /** Cost of each cell of e's window given everybody else. */
  private fillCost(e: number, a: number, b: number, noise: number): void {
    const { H, T, E } = this.cm;
    const cm = this.cm;
    const st = this.st;
    for (let d = a; d <= b; d++) {
      const i = d - a;
      const cur = st.roster[e * H + d]!;
      const rc = (e * H + d) * (T + 1);
      for (let t = 0; t < T; t++) {
        const ci = d * T + t;
        const others = st.cnt[ci]! - (cur === t ? 1 : 0);
        let c = cm.requestCost[rc + t]! + st.coverCost(ci, others + 1) - st.coverCost(ci, others);
        for (let k = 0; k < cm.fairnessCell.length; k++) {
          if (!cm.fairnessCell[k]![ci]) continue;
          const f = st.fair[k * E + e]!;
          c += cm.fairnessWeight[k]! * cm.fairnessInvShare[k]![e]! * (2 * f + 1);
        }
        if (noise > 0) c += noise * this.rand();
        this.cost[i * (T + 1) + t] = c;
      }
      this.cost[i * (T + 1) + T] = cm.requestCost[rc + T]!;
    }
  }

  /** Re-optimises e over [a, b]; returns false (roster unchanged) if the DP finds nothing. */
  private improve(e: number, a: number, b: number, bounds: WindowBounds, noise: number): boolean {
    this.fillCost(e, a, b, noise);
    const v = this.br.solve(this.st.roster, e, a, b, this.cost, bounds, this.out);
    if (v === Number.POSITIVE_INFINITY) return false;
    for (let d = a; d <= b; d++) this.st.set(e, d, this.out[d - a]!);
    return true;
  }

  private allFeasible(): boolean {
    for (let e = 0; e < this.cm.E; e++) if (!this.feasible[e]) return false;
    return true;
  }

  /** Every hard minimum cover met (the product's blocking cover rule; none in the benchmark). */
  private coverMet(): boolean {
    if (!this.hasHardMin) return true;
    const { hardMin } = this.cm;
    for (let i = 0; i < hardMin.length; i++) if (this.st.cnt[i]! < hardMin[i]!) return false;
    return true;
  }

  private record(force = false): void {
    const obj = this.st.objective;
    if (!this.allFeasible() || obj >= this.bestObj || !this.coverMet()) return;
    this.bestObj = obj;
    if (!this.best) this.best = new Int16Array(this.st.roster.length);
    this.best.set(this.st.roster);
    const ms = this.elapsed();
    this.history.push({ ms: Math.round(ms), objective: Math.round(obj * 1000) / 1000 });
    const interval = this.opt.progressIntervalMs ?? 200;
    if (this.opt.onProgress && (force || ms - this.lastProgress >= interval)) {
      this.lastProgress = ms;
      this.opt.onProgress({ ms, objective: obj, roster: this.best, iterations: this.iterations });
    }
  }

  /**
   * Construction, employee by employee in random order: the exact DP over the whole horizon
   * when its (banded) state space is affordable, else rolling 4-week windows with resource
   * bounds pro-rated over the employee's available days.
   */
  private construct(): void {
    const { E, H } = this.cm;
    for (let e = 0; e < E; e++)
      this.feasible[e] = employeeFeasible(this.cm, this.st.roster, e) ? 1 : 0;
    if (this.opt.initial && this.allFeasible()) return;
    const order = Array.from({ length: E }, (_, i) => i);
    this.shuffle(order);
    for (const e of order) {
      if (this.feasible[e]) continue;
      if (this.timeUp()) break;
      for (let d = 0; d < H; d++) if (this.cm.pin[e * H + d] === -2) this.st.set(e, d, OFF);
      const full = windowBounds(this.cm, this.st.roster, e, 0, H - 1);
      if (
        this.br.estimate(this.st.roster, e, 0, H - 1, full) <= FULL_HORIZON_STATES &&
        this.improve(e, 0, H - 1, full, 0)
      ) {
        this.feasible[e] = employeeFeasible(this.cm, this.st.roster, e) ? 1 : 0;
        continue;
      }
      for (let a = 0; a < H;) {
        let b = this.alignedAfter(a + 27);
        if (H - 1 - b < 28) b = H - 1;
        const exact = b === H - 1;
        const bounds = exact
          ? windowBounds(this.cm, this.st.roster, e, a, b)
          : this.proRated(e, a, b);
        if (!this.improve(e, a, b, bounds, 0) && !exact) {
          // Pro-rating was too strict (e.g. a long leave ahead): relax step by step.
          const loose = windowBounds(this.cm, this.st.roster, e, a, b);
          loose.freeEnd = true;
          const maxLen = Math.max(...this.cm.len);
          for (const k of [1, 2, 4, 1000]) {
            loose.minMinutes = bounds.minMinutes - k * maxLen;
            if (this.improve(e, a, b, loose, 0)) break;
          }
        }
        a = b + 1;
      }
      this.feasible[e] = employeeFeasible(this.cm, this.st.roster, e) ? 1 : 0;
    }
    this.repair();
  }

  /** Whether the exact DP over the whole horizon fits in memory for every employee. */
  private fullHorizonFits(): boolean {
    const { H, T, len } = this.cm;
    let g = 0;
    for (const l of len) {
      let x = g;
      let y = l;
      while (y) [x, y] = [y, x % y];
      g = x;
    }
    for (const emp of this.cm.model.employees) {
      const S = T * (emp.maxConsecutive + emp.minConsecutive) + 2 * emp.minConsecutiveDaysOff;
      const Mn = Math.floor(emp.maxMinutes / g) + 1;
      const Wn = Math.min(emp.maxWeekends, this.cm.model.weekends.length) + 1;
      if (S * Mn * Wn * H > 30_000_000) return false;
    }
    return true;
  }

  /** Last day of the aligned window that contains day d (never splits a weekend). */
  private alignedAfter(d: number): number {
    if (d >= this.cm.H - 1) return this.cm.H - 1;
    for (const s of this.weekAligned) if (s > d) return s - 1;
    return this.cm.H - 1;
  }

  private yb: YearBudget | undefined;

  private proRated(e: number, a: number, b: number): WindowBounds {
    const { H, T, len } = this.cm;
    const emp = this.cm.model.employees[e]!;
    let minutes = 0;
    const counts = new Int32Array(T);
    for (let d = 0; d < a; d++) {
      const t = this.st.roster[e * H + d]!;
      if (t !== OFF) {
        minutes += len[t]!;
        counts[t]!++;
      }
    }
    let weekends = 0;
    for (const days of this.cm.model.weekends)
      if (days[0]! < a && days.some((d) => this.st.roster[e * H + d] !== OFF)) weekends++;
    // Pro-rate by the days the employee is available, not by calendar days (leave blocks).
    let availBefore = 0;
    let availAll = 0;
    for (let d = 0; d < H; d++) {
      if (this.cm.dayOff[e * H + d]) continue;
      availAll++;
      if (d <= b) availBefore++;
    }
    const f0 = availAll > 0 ? availBefore / availAll : (b + 1) / H;
    let f = f0;
    // Half by days, half by the cover asked (year-budget.ts): spends less early in the year.
    this.yb ??= yearBudget(this.cm);
    const share = budgetShares(this.cm, this.yb, e, b);
    f = (1 - BUDGET_BY_DEMAND) * f + BUDGET_BY_DEMAND * share.minutes;
    const fw = (1 - BUDGET_BY_DEMAND) * f0 + BUDGET_BY_DEMAND * share.weekends;
    const maxLen = Math.max(...len);
    const typeCap = new Int32Array(T);
    for (let t = 0; t < T; t++) {
      const lim = emp.maxShifts[t] ?? H;
      typeCap[t] = Math.min(lim - counts[t]!, Math.ceil(lim * f) + 1 - counts[t]!);
    }
    return {
      minMinutes: Math.floor(emp.minMinutes * f) + (f < 1 ? maxLen : 0) - minutes,
      maxMinutes: Math.min(
        emp.maxMinutes - minutes,
        Math.ceil(emp.maxMinutes * f) + 2 * maxLen - minutes,
      ),
      maxWeekends: Math.min(emp.maxWeekends - weekends, Math.ceil(emp.maxWeekends * fw) - weekends),
      typeCap,
      freeEnd: true,
    };
  }

  /**
   * Employees left infeasible: sweep the horizon in aligned 4-week windows; in each, try the
   * exact best response, else move the employee's minutes towards the feasible range (a large
   * per-minute bonus or charge) under relaxed bounds, so that each window makes progress.
   */
  private repair(): void {
    const { E, H, T, len } = this.cm;
    for (let e = 0; e < E && !this.timeUp(); e++) {
      if (this.feasible[e]) continue;
      const emp = this.cm.model.employees[e]!;
      const starts = this.weekAligned.filter((_, i) => i % 4 === 0);
      for (let pass = 0; pass < 8 && !this.feasible[e] && !this.timeUp(); pass++) {
        for (const a of pass % 2 === 1 ? [...starts].reverse() : starts) {
          const b = Math.min(H - 1, this.alignedAfter(a + 27));
          const exact = windowBounds(this.cm, this.st.roster, e, a, b);
          if (this.improve(e, a, b, exact, 0)) {
            this.feasible[e] = employeeFeasible(this.cm, this.st.roster, e) ? 1 : 0;
            if (this.feasible[e]) break;
            continue;
          }
          let minutes = 0;
          for (let d = 0; d < H; d++) {
            const t = this.st.roster[e * H + d]!;
            if (t !== OFF) minutes += len[t]!;
          }
          const sign = minutes < emp.minMinutes ? -1 : minutes > emp.maxMinutes ? 1 : 0;
          const relaxed: WindowBounds = {
            minMinutes: 0,
            maxMinutes: Math.max(0, exact.maxMinutes),
            maxWeekends: Math.max(0, exact.maxWeekends),
            typeCap: exact.typeCap.map((c) => Math.max(0, c)),
            freeEnd: false,
          };
          this.fillCost(e, a, b, 0);
          for (let d = a; d <= b; d++)
            for (let t = 0; t < T; t++) this.cost[(d - a) * (T + 1) + t]! += sign * len[t]!;
          const v = this.br.solve(this.st.roster, e, a, b, this.cost, relaxed, this.out);
          if (v !== Number.POSITIVE_INFINITY)
            for (let d = a; d <= b; d++) this.st.set(e, d, this.out[d - a]!);
        }
        this.feasible[e] = employeeFeasible(this.cm, this.st.roster, e) ? 1 : 0;
      }
    }
  }

  private alignedStartBefore(d: number): number {
    let best = 0;
    for (const s of this.weekAligned) if (s <= d) best = s;
    return best;
  }

  private shuffle(arr: number[]): void {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [arr[i], arr[j]] = [arr[j]!, arr[i]!];
    }
  }

  run(): SolveResult {
    const { E, H, T } = this.cm;
    this.construct();
    this.record(true);
    // Coordinate descent over the full windows first, then LNS.
    const big = E >= BIG_STAFF;
    const maxWin = big ? 0 : H <= 56 ? H : 28;
    const maxWeeks = big ? BIG_WEEKS : 4;
    const picks: number[] = [];
    let temp = 2;
    while (!this.stopped()) {
      this.iterations++;
      const incoming = this.opt.pollIncoming?.();
      if (
        incoming &&
        incoming.objective < (this.allFeasible() ? this.st.objective : Infinity) - 1e-9
      ) {
        this.st.roster.set(incoming.roster);
        this.st.recompute();
        this.feasible.fill(1);
        this.record();
        this.mip?.rebase();
      }
      if (!this.allFeasible()) {
        this.repair();
        this.record(true);
        if (!this.allFeasible() && this.iterations > 3) break;
        continue;
      }
      if (this.mip?.due(this.elapsed(), this.opt.timeLimitMs)) {
        if (this.mipStep()) break;
        continue;
      }
      if (CHEAP_RATE > 0 && this.rand() < CHEAP_RATE) {
        const frac = this.progress();
        cheapMoves(
          this.cm,
          this.st,
          this.rand,
          CHEAP_BATCH,
          CHEAP_TEMP * T_START * Math.pow(T_END / T_START, frac),
        );
        this.record();
        continue;
      }
      if (H >= PAIRED_MIN_DAYS && this.rand() < PAIRED_RATE) {
        this.pairedMove();
        this.record();
        continue;
      }
      if (CHAIN_RATE > 0 && this.rand() < CHAIN_RATE) {
        this.chainMove();
        this.record();
        continue;
      }
      // Window: whole horizon when small, else 1–4 aligned weeks (1–2 for big staffs), around a
      // bad cell if any.
      const bad = this.rand() < 0.6 ? this.findBadCell() : -1;
      let a = 0;
      let b = H - 1;
      if (H > maxWin || this.rand() < 0.3) {
        const weeks =
          1 + Math.floor(this.rand() * Math.min(maxWeeks, Math.max(1, Math.floor(H / 7))));
        const centre = bad >= 0 ? Math.floor(bad / T) : Math.floor(this.rand() * H);
        a = this.alignedStartBefore(Math.max(0, centre - Math.floor(this.rand() * weeks * 7)));
        b = this.alignedAfter(a + weeks * 7 - 1);
      }
      const k = 1 + Math.floor(this.rand() * this.rand() * Math.min(4, E));
      picks.length = 0;
      if (bad >= 0) {
        // Employees free to change the bad cell's day.
        const d = Math.floor(bad / T);
        const cand: number[] = [];
        for (let e = 0; e < E; e++)
          if (this.cm.pin[e * H + d] === -2 && !this.cm.dayOff[e * H + d]) cand.push(e);
        this.shuffle(cand);
        for (const e of cand) if (picks.length < k) picks.push(e);
      }
      while (picks.length < k) {
        const e = Math.floor(this.rand() * E);
        if (!picks.includes(e)) picks.push(e);
      }
      const before = this.st.objective;
      picks.forEach((e, j) => {
        for (let d = a; d <= b; d++) this.saved[j * H + d - a] = this.st.roster[e * H + d]!;
      });
      for (const e of picks)
        for (let d = a; d <= b; d++) if (this.cm.pin[e * H + d] === -2) this.st.set(e, d, OFF);
      let ok = true;
      const noise = NOISE[Math.floor(this.rand() * NOISE.length)]!;
      for (const e of picks) {
        if (!this.improve(e, a, b, windowBounds(this.cm, this.st.roster, e, a, b), noise)) {
          ok = false;
          break;
        }
      }
      const delta = this.st.objective - before;
      const frac = this.progress();
      temp = T_START * Math.pow(T_END / T_START, frac);
      const accept = ok && (delta <= 0 || this.rand() < Math.exp(-delta / temp));
      if (!accept) {
        picks.forEach((e, j) => {
          for (let d = a; d <= b; d++) this.st.set(e, d, this.saved[j * H + d - a]!);
        });
      }
      this.record();
      // Occasionally restart from the best to intensify.
      if (this.best && this.iterations % 2000 === 0 && this.st.objective > this.bestObj) {
        this.st.roster.set(this.best);
        this.st.recompute();
      }
    }
    this.record(true);
    const ms = this.elapsed();
    if (!this.best) {
      const unplaced: string[] = [];
      for (let e = 0; e < E; e++)
        if (!this.feasible[e]) unplaced.push(this.cm.model.employees[e]!.id);
      const uncovered: SolveResult['uncovered'] = [];
      if (unplaced.length === 0) {
        const { hardMin } = this.cm;
        for (let i = 0; i < hardMin.length; i++) {
          const n = this.st.cnt[i]!;
          if (n < hardMin[i]!)
            uncovered.push({ day: Math.floor(i / T), shift: i % T, count: n, min: hardMin[i]! });
        }
      }
      return {
        status: 'no_feasible_found',
        roster: null,
        objective: null,
        reasons: [],
        unplaced,
        uncovered,
        iterations: this.iterations,
        ms,
        history: this.history,
      };
    }
    if (this.opt.onProgress) {
      this.opt.onProgress({
        ms,
        objective: this.bestObj,
        roster: this.best,
        iterations: this.iterations,
      });
    }
    return {
      status: 'feasible',
      roster: this.best,
      objective: Math.round(this.bestObj * 1e6) / 1e6,
      reasons: [],
      unplaced: [],
      uncovered: [],
      iterations: this.iterations,
      ms,
      history: this.history,
    };
  }

  /** A random under-covered (day, shift) cell, or -1. */
  private findUnderCell(): number {
    const n = this.cm.H * this.cm.T;
    const start = Math.floor(this.rand() * n);
    for (let j = 0; j < n; j++) {
      const i = (start + j) % n;
      if (this.st.cnt[i]! < Math.max(this.cm.req[i]!, this.cm.hardMin[i]!)) return i;
    }
    return -1;
  }

  /**
   * Ejection chain: an under-covered cell is forced onto someone who is not on it (the best
   * response of that person with the cell imposed); a cell the person leaves and that is then
   * under-covered is forced onto someone else, up to CHAIN_DEPTH people. The chain ends with
   * one free re-response of each member, and is accepted by the annealing rule on the exact
   * objective. It makes the coordinated changes a one-person move cannot (A takes X so that B,
   * freed from X, can take Y).
   */
  private chainMove(): void {
    const { E, H, T } = this.cm;
    const cm = this.cm;
    let cell = this.findUnderCell();
    if (cell < 0) return;
    const d0 = Math.floor(cell / T);
    const weeks =
      1 + Math.floor(this.rand() * Math.min(CHAIN_WEEKS, Math.max(1, Math.floor(H / 7))));
    const a = this.alignedStartBefore(Math.max(0, d0 - Math.floor(this.rand() * weeks * 7)));
    const b = this.alignedAfter(a + weeks * 7 - 1);
    const members: number[] = [];
    const before = this.st.objective;
    let ok = true;
    for (let depth = 0; depth < CHAIN_DEPTH && cell >= 0; depth++) {
      const d = Math.floor(cell / T);
      const t = cell % T;
      if (d < a || d > b) break;
      // Who could take it: free that day, allowed the type, not on it, not in the chain yet.
      const cand: number[] = [];
      for (let e = 0; e < E; e++) {
        if (members.includes(e) || cm.pin[e * H + d] !== -2 || cm.dayOff[e * H + d]) continue;
        if ((cm.model.employees[e]!.maxShifts[t] ?? H) <= 0) continue;
        if (this.st.roster[e * H + d] === t) continue;
        cand.push(e);
      }
      if (cand.length === 0) break;
      const e = cand[Math.floor(this.rand() * cand.length)]!;
      const j = members.length;
      members.push(e);
      for (let x = a; x <= b; x++) this.saved[j * H + x - a] = this.st.roster[e * H + x]!;
      for (let x = a; x <= b; x++) if (cm.pin[e * H + x] === -2) this.st.set(e, x, OFF);
      const bounds = windowBounds(cm, this.st.roster, e, a, b);
      this.fillCost(e, a, b, 0);
      const row = (d - a) * (T + 1);
      for (let u = 0; u <= T; u++) if (u !== t) this.cost[row + u]! += FORCE;
      const v = this.br.solve(this.st.roster, e, a, b, this.cost, bounds, this.out);
      if (v === Number.POSITIVE_INFINITY || this.out[d - a] !== t) {
        ok = false;
        break;
      }
      for (let x = a; x <= b; x++) this.st.set(e, x, this.out[x - a]!);
      // Next link: a cell e left that is now under-covered.
      cell = -1;
      const off = Math.floor(this.rand() * (b - a + 1));
      for (let k = 0; k <= b - a && cell < 0; k++) {
        const x = a + ((off + k) % (b - a + 1));
        const was = this.saved[j * H + x - a]!;
        if (was === OFF || was === this.st.roster[e * H + x]) continue;
        const i = x * T + was;
        if (this.st.cnt[i]! < Math.max(cm.req[i]!, cm.hardMin[i]!)) cell = i;
      }
    }
    if (ok && members.length > 0) {
      for (const e of members) {
        for (let x = a; x <= b; x++) if (cm.pin[e * H + x] === -2) this.st.set(e, x, OFF);
        if (!this.improve(e, a, b, windowBounds(cm, this.st.roster, e, a, b), 0)) {
          ok = false;
          break;
        }
      }
    }
    const delta = this.st.objective - before;
    const frac = this.progress();
    const temp = T_START * Math.pow(T_END / T_START, frac);
    if (ok && members.length > 0 && (delta <= 0 || this.rand() < Math.exp(-delta / temp))) return;
    members.forEach((e, j) => {
      for (let x = a; x <= b; x++) this.st.set(e, x, this.saved[j * H + x - a]!);
    });
  }

  /**
   * Two-window move (long horizons): 1–2 people who could take an under-covered cell are freed
   * over the cell's week (A) and over another week (B) of the horizon; A is re-solved first
   * (with B's minutes and weekends free), then B with what is left. A one-window move cannot
   * move minutes or weekends from one part of the year to another (its bounds keep the rest's
   * totals), and the year-long instances end short of both in their last months. Week B is
   * where the person gives up the least cover (transferWeek); then up to two people who work
   * the other day of a weekend in B re-solve B (weekendHelpers), so a weekend given up in B is
   * filled by someone already on it (screening, 10 s CPU, seeds 1–3: Instance23 28 497 / 28 996 /
   * 29 155 → 26 676 / 28 074 / 28 257; Instance24 85 898 / 88 807 / 87 238 → 87 908 / 87 111 /
   * 86 586).
   */
  private pairedMove(): void {
    const { E, H, T } = this.cm;
    const cm = this.cm;
    const cell = this.findUnderCell();
    if (cell < 0) return;
    const d0 = Math.floor(cell / T);
    const t0 = cell % T;
    const a = this.alignedStartBefore(d0);
    const b = this.alignedAfter(a + 6);
    const cand: number[] = [];
    for (let e = 0; e < E; e++) {
      if (cm.pin[e * H + d0] !== -2 || cm.dayOff[e * H + d0]) continue;
      if ((cm.model.employees[e]!.maxShifts[t0] ?? H) <= 0) continue;
      if (this.st.roster[e * H + d0] !== t0) cand.push(e);
    }
    if (cand.length === 0) return;
    this.shuffle(cand);
    const picks = cand.slice(0, 1 + Math.floor(this.rand() * 2));
    // B: a week where the first person works only over-covered shifts (days that can give), else
    // any other week.
    const e0 = picks[0]!;
    const separate = (x: number) => x > b + 1 || this.alignedAfter(x + 6) < a - 1;
    let a2 = this.transferWeek(e0, a, b, separate);
    const off = Math.floor(this.rand() * this.weekAligned.length);
    for (let k = 0; k < this.weekAligned.length && a2 < 0; k++) {
      const x = this.weekAligned[(off + k) % this.weekAligned.length]!;
      if (!separate(x)) continue;
      let works = 0;
      let gives = 0;
      for (let d = x, y = this.alignedAfter(x + 6); d <= y; d++) {
        const t = this.st.roster[e0 * H + d]!;
        if (t === OFF) continue;
        works++;
        if (this.st.cnt[d * T + t]! > Math.max(cm.req[d * T + t]!, cm.hardMin[d * T + t]!)) gives++;
      }
      if (works > 0 && gives === works) a2 = x;
    }
    for (let k = 0; k < 8 && a2 < 0; k++) {
      const x = this.alignedStartBefore(Math.floor(this.rand() * H));
      if (separate(x)) a2 = x;
    }
    if (a2 < 0) return;
    const b2 = this.alignedAfter(a2 + 6);
    const before = this.st.objective;
    picks.forEach((e, j) => {
      for (let d = a; d <= b; d++) this.saved[j * H + d - a] = this.st.roster[e * H + d]!;
      for (let d = a2; d <= b2; d++) this.saved[(j + 4) * H + d - a2] = this.st.roster[e * H + d]!;
    });
    for (const e of picks) {
      for (let d = a; d <= b; d++) if (cm.pin[e * H + d] === -2) this.st.set(e, d, OFF);
      for (let d = a2; d <= b2; d++) if (cm.pin[e * H + d] === -2) this.st.set(e, d, OFF);
    }
    let ok = true;
    const noise = NOISE[Math.floor(this.rand() * 2)]!;
    // A first, its minimum minutes lowered by what B held (B gives them back after).
    picks.forEach((e, j) => {
      if (!ok) return;
      const bounds = windowBounds(cm, this.st.roster, e, a, b);
      for (let d = a2; d <= b2; d++) {
        const t = this.saved[(j + 4) * H + d - a2]!;
        if (t !== OFF && cm.pin[e * H + d] === -2) bounds.minMinutes -= cm.len[t]!;
      }
      if (!this.improve(e, a, b, bounds, noise)) ok = false;
    });
    for (const e of picks)
      if (ok && !this.improve(e, a2, b2, windowBounds(cm, this.st.roster, e, a2, b2), noise))
        ok = false;
    // Both windows are solved with the other's days as they are; recheck the whole employee.
    if (ok) for (const e of picks) if (!employeeFeasible(cm, this.st.roster, e)) ok = false;
    const helpers = ok ? this.weekendHelpers(picks, a2, b2) : [];
    helpers.forEach((e, j) => {
      for (let d = a2; d <= b2; d++) this.saved[(j + 2) * H + d - a2] = this.st.roster[e * H + d]!;
    });
    for (const e of helpers) {
      for (let d = a2; d <= b2; d++) if (cm.pin[e * H + d] === -2) this.st.set(e, d, OFF);
      if (ok && !this.improve(e, a2, b2, windowBounds(cm, this.st.roster, e, a2, b2), noise))
        ok = false;
    }
    const delta = this.st.objective - before;
    const frac = this.progress();
    const temp = T_START * Math.pow(T_END / T_START, frac);
    if (ok && (delta <= 0 || this.rand() < Math.exp(-delta / temp))) return;
    picks.forEach((e, j) => {
      for (let d = a; d <= b; d++) this.st.set(e, d, this.saved[j * H + d - a]!);
      for (let d = a2; d <= b2; d++) this.st.set(e, d, this.saved[(j + 4) * H + d - a2]!);
    });
    helpers.forEach((e, j) => {
      for (let d = a2; d <= b2; d++) this.st.set(e, d, this.saved[(j + 2) * H + d - a2]!);
    });
  }

  /**
   * Week B of a two-window move for employee e (A = [a, b]): the week, apart from A, whose
   * cells e could give up at the least cover cost (over-covered cells first; a weekend cell
   * someone on the other day of that weekend could take counts 1). When e has no
   * weekend left and does not work A's weekend, only weeks holding a weekend e works count:
   * freeing B then gives A the weekend (a weekend moves from where the cover is over to where
   * it is under). -1 when there is none.
   */
  private transferWeek(e: number, a: number, b: number, separate: (x: number) => boolean): number {
    const { H, T, weekendOf } = this.cm;
    const cm = this.cm;
    const st = this.st;
    const W = cm.model.weekends.length;
    let needWeekend = st.tally.weekends[e]! >= cm.model.employees[e]!.maxWeekends;
    for (let d = a; d <= b && needWeekend; d++)
      if (weekendOf[d]! >= 0 && st.tally.wkDays[e * W + weekendOf[d]!]! > 0) needWeekend = false;
    let best = -1;
    let bestLoss = Number.POSITIVE_INFINITY;
    for (const x of this.weekAligned) {
      if (!separate(x)) continue;
      const y = this.alignedAfter(x + 6);
      let works = 0;
      let weekend = false;
      let loss = 0;
      for (let d = x; d <= y; d++) {
        const t = st.roster[e * H + d]!;
        if (t === OFF || cm.pin[e * H + d] !== -2) continue;
        works++;
        if (weekendOf[d]! >= 0) weekend = true;
        const i = d * T + t;
        let l = st.coverCost(i, st.cnt[i]! - 1) - st.coverCost(i, st.cnt[i]!);
        if (l > 0 && weekendOf[d]! >= 0 && this.canFill(e, d, t)) l = 1;
        loss += l;
      }
      if (works === 0 || (needWeekend && !weekend)) continue;
      loss += this.rand();
      if (loss < bestLoss) {
        bestLoss = loss;
        best = x;
      }
    }
    return best;
  }

  /** Someone other than e who works another day of d's weekend, is off on d and may work t. */
  private canFill(e: number, d: number, t: number): boolean {
    const { E, H, weekendOf } = this.cm;
    const cm = this.cm;
    const W = cm.model.weekends.length;
    const w = weekendOf[d]!;
    for (let h = 0; h < E; h++) {
      if (h === e || this.st.roster[h * H + d] !== OFF || this.st.tally.wkDays[h * W + w]! === 0)
        continue;
      if (cm.dayOff[h * H + d] || cm.pin[h * H + d] !== -2) continue;
      if ((cm.model.employees[h]!.maxShifts[t] ?? H) <= this.st.tally.typeCount[h * cm.T + t]!)
        continue;
      return true;
    }
    return false;
  }

  /**
   * Up to two people (not in `picks`) who work one day of a weekend in [a2, b2] while another
   * day of it is now under-covered: re-solved over that week they may take it without spending
   * a weekend (the weekend a two-window move freed is filled by those already on it).
   */
  private weekendHelpers(picks: number[], a2: number, b2: number): number[] {
    const { E, H, T, weekendOf } = this.cm;
    const cm = this.cm;
    const W = cm.model.weekends.length;
    const under: number[] = [];
    for (let d = a2; d <= b2; d++) {
      if (weekendOf[d]! < 0) continue;
      for (let t = 0; t < T; t++) {
        const i = d * T + t;
        if (this.st.cnt[i]! < cm.req[i]!) {
          under.push(d);
          break;
        }
      }
    }
    if (under.length === 0) return [];
    const cand: number[] = [];
    for (let e = 0; e < E; e++) {
      if (picks.includes(e)) continue;
      for (const d of under) {
        const w = weekendOf[d]!;
        if (
          this.st.roster[e * H + d] === OFF &&
          !cm.dayOff[e * H + d] &&
          cm.pin[e * H + d] === -2 &&
          this.st.tally.wkDays[e * W + w]! > 0
        ) {
          cand.push(e);
          break;
        }
      }
    }
    this.shuffle(cand);
    return cand.slice(0, 1 + Math.floor(this.rand() * 2));
  }

  /** A random (day, shift) cell whose cover is off target, or -1. */
  private findBadCell(): number {
    const n = this.cm.H * this.cm.T;
    const start = Math.floor(this.rand() * n);
    for (let j = 0; j < n; j++) {
      const i = (start + j) % n;
      if (this.st.cnt[i]! < this.cm.req[i]!) return i;
    }
    for (let j = 0; j < n; j++) {
      const i = (start + j) % n;
      if (this.st.cnt[i]! > this.cm.req[i]!) return i;
    }
    return -1;
  }
}
