import type { CompiledModel } from './model.js';
import { FREE, OFF } from './model.js';

/**
 * Cheap local moves with incremental (delta) evaluation, mixed with the DP-based LNS moves:
 * change one cell, swap two employees' cells on a day, swap two employees' cells over a run
 * of 2–7 days. The objective delta comes from the search state's exact incremental `set`;
 * the hard rules are re-checked only where a move can change them (the runs touching the
 * changed days, the successions at their edges, the per-employee totals kept in a `Tally`),
 * so a move costs microseconds instead of the DP's milliseconds.
 */

/** Per-employee totals the hard rules need: minutes, shifts per type, weekends worked. */
export class Tally {
  readonly minutes: Int32Array;
  /** typeCount[e * T + t] */
  readonly typeCount: Int32Array;
  /** wkDays[e * W + w] = days of weekend w worked by e. */
  readonly wkDays: Int32Array;
  readonly weekends: Int32Array;
  private readonly W: number;

  constructor(private readonly cm: CompiledModel) {
    this.W = cm.model.weekends.length;
    this.minutes = new Int32Array(cm.E);
    this.typeCount = new Int32Array(cm.E * cm.T);
    this.wkDays = new Int32Array(cm.E * this.W);
    this.weekends = new Int32Array(cm.E);
  }

  reset(roster: Int16Array): void {
    const { E, H } = this.cm;
    this.minutes.fill(0);
    this.typeCount.fill(0);
    this.wkDays.fill(0);
    this.weekends.fill(0);
    for (let e = 0; e < E; e++)
      for (let d = 0; d < H; d++) {
        const t = roster[e * H + d]!;
        if (t !== OFF) this.change(e, d, OFF, t);
      }
  }

  /** e's cell on day d goes from `old` to `t`. */
  change(e: number, d: number, old: number, t: number): void {
    const { T, len, weekendOf } = this.cm;
    if (old !== OFF) {
      this.minutes[e]! -= len[old]!;
      this.typeCount[e * T + old]!--;
    }
    if (t !== OFF) {
      this.minutes[e]! += len[t]!;
      this.typeCount[e * T + t]!++;
    }
    const w = weekendOf[d]!;
    if (w >= 0 && (old === OFF) !== (t === OFF)) {
      const i = e * this.W + w;
      const before = this.wkDays[i]!;
      const after = before + (t === OFF ? -1 : 1);
      this.wkDays[i] = after;
      if (before === 0) this.weekends[e]!++;
      else if (after === 0) this.weekends[e]!--;
    }
  }
}

/**
 * Whether employee e satisfies every hard rule after its cells in [d1, d2] changed (roster
 * and tally already updated), given that it did before the change: only the totals, the
 * successions touching [d1, d2] and the runs touching [d1 - 1, d2 + 1] can have changed.
 */
export function feasibleAfterChange(
  cm: CompiledModel,
  roster: Int16Array,
  tally: Tally,
  e: number,
  d1: number,
  d2: number,
): boolean {
  const { H, T, forbidNext } = cm;
  const emp = cm.model.employees[e]!;
  const row = e * H;
  for (let d = d1; d <= d2; d++) {
    const t = roster[row + d]!;
    const p = cm.pin[row + d]!;
    if (p !== FREE && p !== t) return false;
    if (t !== OFF) {
      if (cm.dayOff[row + d]) return false;
      if (tally.typeCount[e * T + t]! > (emp.maxShifts[t] ?? H)) return false;
    }
  }
  const m = tally.minutes[e]!;
  if (m < emp.minMinutes || m > emp.maxMinutes) return false;
  if (tally.weekends[e]! > emp.maxWeekends) return false;
  for (let d = Math.max(0, d1 - 1); d <= d2 && d + 1 < H; d++) {
    const t = roster[row + d]!;
    const u = roster[row + d + 1]!;
    if (t !== OFF && u !== OFF && forbidNext[t * T + u]) return false;
  }
  // Runs touching [d1 - 1, d2 + 1].
  const lo = Math.max(0, d1 - 1);
  const hi = Math.min(H - 1, d2 + 1);
  let start = lo;
  const w0 = roster[row + lo] !== OFF;
  while (start > 0 && (roster[row + start - 1] !== OFF) === w0) start--;
  while (start <= hi) {
    const working = roster[row + start] !== OFF;
    let end = start;
    while (end + 1 < H && (roster[row + end + 1] !== OFF) === working) end++;
    const length = end - start + 1;
    const border = start === 0 || end === H - 1;
    if (working) {
      if (length > emp.maxConsecutive) return false;
      if (!border && length < emp.minConsecutive) return false;
    } else if (!border && length < emp.minConsecutiveDaysOff) return false;
    start = end + 1;
  }
  return true;
}

/** What the moves need of the search state (solver.ts's State). */
export interface MoveState {
  readonly roster: Int16Array;
  readonly cnt: Int32Array;
  readonly tally: Tally;
  objective: number;
  set(e: number, d: number, t: number): void;
}

/** Counters of one batch (profiling and tests). */
export interface MoveStats {
  tried: number;
  feasible: number;
  accepted: number;
}

/**
 * Runs `count` cheap moves under the annealing rule at temperature `temp` (a move is kept if
 * feasible and its delta ≤ 0, or with probability exp(-delta / temp)). Every employee must
 * satisfy every hard rule before; they all still do after.
 */
export function cheapMoves(
  cm: CompiledModel,
  st: MoveState,
  rand: () => number,
  count: number,
  temp: number,
  stats?: MoveStats,
): void {
  const { E, H, T } = cm;
  // Undo log of the move in progress (at most 2 × 7 cells).
  const undoE = new Int32Array(16);
  const undoD = new Int32Array(16);
  const undoT = new Int16Array(16);
  let undo = 0;
  const set = (e: number, d: number, t: number) => {
    undoE[undo] = e;
    undoD[undo] = d;
    undoT[undo] = st.roster[e * H + d]!;
    undo++;
    st.set(e, d, t);
  };
  // Ranges to re-check: (employee, first day, last day), at most 2.
  const checkE = new Int32Array(2);
  const checkA = new Int32Array(2);
  const checkB = new Int32Array(2);
  let checks = 0;
  const needed = (e: number, a: number, b: number) => {
    checkE[checks] = e;
    checkA[checks] = a;
    checkB[checks] = b;
    checks++;
  };
  for (let n = 0; n < count; n++) {
    const r = rand();
    const before = st.objective;
    undo = 0;
    checks = 0;
    if (r < 0.5) {
      // One cell onto an under-covered shift of the day (paid for, when the employee has no
      // minutes left, by leaving an over-covered shift at the edge of one of its runs elsewhere),
      // or one cell off an over-covered shift; else a random cell.
      const transfer = r >= 0.3;
      const d = Math.floor(rand() * H);
      const off = Math.floor(rand() * T);
      let target = -2;
      let from = -2;
      for (let k = 0; k < T; k++) {
        const t = (off + k) % T;
        const c = st.cnt[d * T + t]!;
        const req = Math.max(cm.req[d * T + t]!, cm.hardMin[d * T + t]!);
        if (c < req && target === -2) target = t;
        else if (c > req && from === -2) from = t;
      }
      if (transfer && target === -2) continue;
      if (target === -2 && from === -2) target = Math.floor(rand() * (T + 1)) - 1;
      let e = -1;
      if (target !== -2) {
        // Someone who could take `target` on d without an obvious break (the full check follows):
        // not pinned or on leave, allowed the type, no forbidden succession, minutes in range
        // (for a transfer: over the maximum, to be paid for).
        const start = Math.floor(rand() * E);
        for (let k = 0; k < E && e < 0; k++) {
          const x = (start + k) % E;
          const i = x * H + d;
          const cur = st.roster[i]!;
          if (cur === target || cm.pin[i] !== FREE) continue;
          if (target === OFF) {
            if (rand() < 0.8) continue;
            e = x;
            break;
          }
          if (cm.dayOff[i] || (transfer && cur !== OFF)) continue;
          const emp = cm.model.employees[x]!;
          if (st.tally.typeCount[x * T + target]! >= (emp.maxShifts[target] ?? H)) continue;
          const m = st.tally.minutes[x]! + cm.len[target]! - (cur === OFF ? 0 : cm.len[cur]!);
          if (transfer ? m <= emp.maxMinutes : m > emp.maxMinutes || m < emp.minMinutes) continue;
          const prev = d > 0 ? st.roster[i - 1]! : OFF;
          const next = d + 1 < H ? st.roster[i + 1]! : OFF;
          if (prev !== OFF && cm.forbidNext[prev * T + target]) continue;
          if (next !== OFF && cm.forbidNext[target * T + next]) continue;
          // From OFF: only next to a run (a lone working day rarely meets the minimum run).
          if (cur === OFF && prev === OFF && next === OFF && rand() < 0.9) continue;
          e = x;
        }
      } else {
        for (let k = 0; k < 8 && e < 0; k++) {
          const x = Math.floor(rand() * E);
          if (cm.pin[x * H + d] !== FREE || st.roster[x * H + d] !== from) continue;
          e = x;
        }
      }
      if (e < 0) continue;
      if (transfer) {
        // Pay with an over-covered shift of e at a run edge, elsewhere in the horizon.
        const emp = cm.model.employees[e]!;
        const excess = st.tally.minutes[e]! + cm.len[target]! - emp.maxMinutes;
        const row = e * H;
        const start = Math.floor(rand() * H);
        let pay = -1;
        for (let k = 0; k < H && pay < 0; k++) {
          const x = (start + k) % H;
          if (x === d || x === d - 1 || x === d + 1) continue;
          const u = st.roster[row + x]!;
          if (u === OFF || cm.pin[row + x] !== FREE || cm.len[u]! < excess) continue;
          if (st.cnt[x * T + u]! <= Math.max(cm.req[x * T + u]!, cm.hardMin[x * T + u]!)) continue;
          const edge =
            x === 0 ||
            x === H - 1 ||
            st.roster[row + x - 1] === OFF ||
            st.roster[row + x + 1] === OFF;
          if (edge) pay = x;
        }
        if (pay < 0) continue;
        set(e, pay, OFF);
        needed(e, pay, pay);
      }
      let t = target;
      if (t === -2) {
        // Off the over-covered shift: to OFF or another shift.
        t = rand() < 0.5 ? OFF : Math.floor(rand() * T);
        if (t === from) t = OFF;
      }
      set(e, d, t);
      needed(e, d, d);
    } else {
      // Swap two employees' cells over 1 day (or a run of 2–7 days): cover unchanged.
      const d1 = Math.floor(rand() * H);
      const span = r < 0.75 ? 1 : 2 + Math.floor(rand() * 6);
      const d2 = Math.min(H - 1, d1 + span - 1);
      const e1 = Math.floor(rand() * E);
      let e2 = Math.floor(rand() * (E - 1));
      if (e2 >= e1) e2++;
      if (e2 >= E) continue;
      let differs = false;
      for (let x = d1; x <= d2 && !differs; x++)
        if (st.roster[e1 * H + x] !== st.roster[e2 * H + x]) differs = true;
      if (!differs) continue;
      for (let x = d1; x <= d2; x++) {
        const a = st.roster[e1 * H + x]!;
        set(e1, x, st.roster[e2 * H + x]!);
        set(e2, x, a);
      }
      needed(e1, d1, d2);
      needed(e2, d1, d2);
    }
    if (stats) stats.tried++;
    let ok = true;
    for (let c = 0; c < checks && ok; c++)
      ok = feasibleAfterChange(cm, st.roster, st.tally, checkE[c]!, checkA[c]!, checkB[c]!);
    if (ok && stats) stats.feasible++;
    const delta = st.objective - before;
    if (ok && (delta <= 0 || rand() < Math.exp(-delta / temp))) {
      if (stats) stats.accepted++;
      continue;
    }
    for (let u = undo - 1; u >= 0; u--) st.set(undoE[u]!, undoD[u]!, undoT[u]!);
  }
}
