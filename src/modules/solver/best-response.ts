import type { CompiledModel } from './model.js';
import { FREE, OFF } from './model.js';

/**
 * Best response of one employee over a window of days [a, b], everybody else fixed: a
 * resource-constrained shortest path over days. The sequence rules (succession, min/max
 * consecutive shifts, min consecutive days off, with the horizon-border exemptions, days
 * off, pins) are exact states; total minutes and weekends worked are exact resources; the
 * per-type maxima, which rarely bind, are priced (Lagrangian) and re-solved if violated.
 *
 * The days outside the window are taken from the current roster, so the result joins them
 * without breaking a rule.
 */

export interface WindowBounds {
  minMinutes: number;
  maxMinutes: number;
  maxWeekends: number;
  /** Remaining allowance per shift type inside the window. */
  typeCap: Int32Array;
  /** Treat the day after the window as the end of the horizon (construction of a prefix). */
  freeEnd: boolean;
}

const INF = Number.POSITIVE_INFINITY;
/** weekendMode(): no weekend resource needed / weekends priced instead of counted. */
const FREE_WK = 0;
const PRICED = -1;
/** Above this many DP states the weekend resource is priced rather than exact. */
const EXACT_WEEKEND_STATES = 3_000_000;
/** Successive weekend prices; past the last, 1e9 (weekends minimised first). */
const WK_PRICES = [0, 5, 20, 60, 200, 1000, 10000];

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Bounds for re-optimising e over [a, b] with the rest of e's roster as it is. */
export function windowBounds(
  cm: CompiledModel,
  roster: Int16Array,
  e: number,
  a: number,
  b: number,
): WindowBounds {
  const { H, T, len } = cm;
  const emp = cm.model.employees[e]!;
  let minutes = 0;
  const counts = new Int32Array(T);
  for (let d = 0; d < H; d++) {
    if (d >= a && d <= b) continue;
    const t = roster[e * H + d]!;
    if (t !== OFF) {
      minutes += len[t]!;
      counts[t]!++;
    }
  }
  let weekends = 0;
  for (const days of cm.model.weekends) {
    if (days[0]! >= a && days[0]! <= b) continue;
    if (days.some((d) => roster[e * H + d] !== OFF)) weekends++;
  }
  const typeCap = new Int32Array(T);
  for (let t = 0; t < T; t++) typeCap[t] = (emp.maxShifts[t] ?? H) - counts[t]!;
  return {
    minMinutes: emp.minMinutes - minutes,
    maxMinutes: emp.maxMinutes - minutes,
    maxWeekends: emp.maxWeekends - weekends,
    typeCap,
    freeEnd: false,
  };
}

/** Reusable buffers so that the inner loop allocates nothing. */
export class BestResponse {
  private cur = new Float64Array(0);
  private next = new Float64Array(0);
  private back = new Int32Array(0);
  private penalty: Float64Array;
  private cellCost = new Float64Array(0);
  private gcdLen: number;
  private counts: Int32Array;
  private forbid: Uint8Array;
  private lenU: Int32Array;
  private wkPrice = 0;
  private readonly C: number;
  private readonly G: number;
  private readonly cls: Int32Array;
  private readonly grp: Int32Array;
  private readonly rep: Int32Array;
  private readonly gCls: Int32Array;
  private readonly gLen: Int32Array;
  private backU = new Int16Array(0);
  private gBest = new Float64Array(0);
  private gU = new Int16Array(0);

  constructor(private readonly cm: CompiledModel) {
    this.penalty = new Float64Array(cm.T);
    let g = 0;
    for (const l of cm.len) g = gcd(g, l);
    this.gcdLen = g || 1;
    this.counts = new Int32Array(cm.T);
    this.forbid = new Uint8Array(cm.T);
    this.lenU = Int32Array.from(cm.len, (l) => Math.round(l / this.gcdLen));
    // Shift types with the same forbidden successors are one DP state ("class"); types of a
    // class with the same length are one transition ("group"), priced by its cheapest member.
    const { T } = cm;
    const rowKey = (t: number) => Array.from(cm.forbidNext.subarray(t * T, t * T + T)).join('');
    const classOf = new Map<string, number>();
    const groupOf = new Map<string, number>();
    this.cls = new Int32Array(T);
    this.grp = new Int32Array(T);
    const rep: number[] = [];
    const gCls: number[] = [];
    const gLen: number[] = [];
    for (let t = 0; t < T; t++) {
      const key = rowKey(t);
      if (!classOf.has(key)) {
        classOf.set(key, rep.length);
        rep.push(t);
      }
      const c = classOf.get(key)!;
      this.cls[t] = c;
      const gk = `${c}:${this.lenU[t]}`;
      if (!groupOf.has(gk)) {
        groupOf.set(gk, gCls.length);
        gCls.push(c);
        gLen.push(this.lenU[t]!);
      }
      this.grp[t] = groupOf.get(gk)!;
    }
    this.C = rep.length;
    this.rep = Int32Array.from(rep);
    this.G = gCls.length;
    this.gCls = Int32Array.from(gCls);
    this.gLen = Int32Array.from(gLen);
  }

  /**
   * Solves employee e over [a, b]. `cost[(d - a) * (T + 1) + t]` is the cost of working t on
   * day d (t = T: being off). Writes the window into `out` (length b - a + 1) and returns its
   * cost, or +Infinity when no roster for the window satisfies the hard rules.
   */
  solve(
    roster: Int16Array,
    e: number,
    a: number,
    b: number,
    cost: Float64Array,
    bounds: WindowBounds,
    out: Int16Array,
  ): number {
    const { T } = this.cm;
    this.penalty.fill(0);
    this.forbid.fill(0);
    const counts = this.counts;
    // Weekends: an exact resource when the window is small, else priced (see weekendMode).
    const mode = this.weekendMode(e, a, b, bounds);
    this.wkPrice = 0;
    // Price the per-type maxima; if pricing does not settle, forbid the types still over.
    for (let attempt = 0; attempt < 12 + T; attempt++) {
      let v = this.run(roster, e, a, b, cost, bounds, out, mode);
      if (v === INF) return INF;
      if (mode === PRICED) {
        // Raise the weekend price until the weekends fit; the last step minimises them
        // lexicographically, so a window with any feasible roster ends feasible.
        let step = 0;
        while (this.weekendsIn(out, a, b) > bounds.maxWeekends) {
          step++;
          this.wkPrice = step >= WK_PRICES.length ? 1e9 : WK_PRICES[step]!;
          if (step > WK_PRICES.length) return INF;
          v = this.run(roster, e, a, b, cost, bounds, out, mode);
          if (v === INF) return INF;
        }
      }
      counts.fill(0);
      for (let i = 0; i <= b - a; i++) if (out[i] !== OFF) counts[out[i]!]!++;
      let ok = true;
      for (let t = 0; t < T; t++) {
        if (counts[t]! > bounds.typeCap[t]!) {
          ok = false;
          this.penalty[t] = this.penalty[t]! * 2 + 20;
          if (attempt >= 8) this.forbid[t] = 1;
        }
      }
      if (ok) {
        let real = 0;
        for (let i = 0; i <= b - a; i++)
          real += cost[i * (T + 1) + (out[i] === OFF ? T : out[i]!)]!;
        return real;
      }
    }
    return INF;
  }

  /** Size of the DP for e over [a, b] (states × days), to decide whether it is affordable. */
  estimate(roster: Int16Array, e: number, a: number, b: number, bounds: WindowBounds): number {
    const bands = this.bands(e, a, b, bounds);
    if (!bands) return 0;
    const emp = this.cm.model.employees[e]!;
    const S =
      this.C * (emp.maxConsecutive + Math.max(0, emp.minConsecutive - 1)) +
      2 * emp.minConsecutiveDaysOff;
    const mode = this.weekendMode(e, a, b, bounds);
    const Wn = mode > 0 ? mode : 1;
    let total = 0;
    for (let i = 0; i <= b - a; i++) total += (bands.hi[i]! - bands.lo[i]! + 1) * S * Wn;
    void roster;
    return total;
  }

  /** Weekend groups starting inside [a, b]. */
  private weekendsStarting(a: number, b: number): number {
    let n = 0;
    for (let d = a; d <= b; d++) if (this.cm.weekendStart[d] === 1) n++;
    return n;
  }

  /** Weekends worked in a window's result. */
  private weekendsIn(out: Int16Array, a: number, b: number): number {
    const { weekendOf } = this.cm;
    let n = 0;
    let last = -1;
    for (let d = a; d <= b; d++) {
      const w = weekendOf[d]!;
      if (w >= 0 && w !== last && out[d - a] !== OFF) {
        n++;
        last = w;
      }
    }
    return n;
  }

  /**
   * How weekends are handled over [a, b]: FREE_WK (the window holds no more weekends than
   * still allowed: no resource at all), PRICED (the exact resource would make the DP too big:
   * a Lagrangian price per weekend, raised until the result fits), or the number of weekend
   * levels Wn of the exact resource.
   */
  weekendMode(e: number, a: number, b: number, bounds: WindowBounds): number {
    const inWin = this.weekendsStarting(a, b);
    if (bounds.maxWeekends >= inWin) return FREE_WK;
    const Wn = Math.max(0, bounds.maxWeekends) + 1;
    if (Wn <= 2) return Wn;
    const bands = this.bands(e, a, b, bounds);
    if (!bands) return Wn;
    const emp = this.cm.model.employees[e]!;
    const S =
      this.C * (emp.maxConsecutive + Math.max(0, emp.minConsecutive - 1)) +
      2 * emp.minConsecutiveDaysOff;
    let total = 0;
    for (let i = 0; i <= b - a; i++) total += (bands.hi[i]! - bands.lo[i]! + 1) * S;
    return total * Wn > EXACT_WEEKEND_STATES ? PRICED : Wn;
  }

  /**
   * Per day i of the window, the band [lo, hi] of minute units worth keeping after day a+i:
   * reachable so far, and still able to reach the minimum. Any maxC+minO consecutive days
   * hold at least minO days off, which bounds the work still possible.
   */
  private bands(
    e: number,
    a: number,
    b: number,
    bounds: WindowBounds,
  ): { lo: Int32Array; hi: Int32Array } | null {
    const cm = this.cm;
    const { H, T } = cm;
    const emp = cm.model.employees[e]!;
    const g = this.gcdLen;
    const L = b - a + 1;
    let maxLenU = 0;
    for (let t = 0; t < T; t++)
      if ((emp.maxShifts[t] ?? H) > 0) maxLenU = Math.max(maxLenU, this.lenU[t]!);
    const maxMin = Math.min(bounds.maxMinutes, L * 1440);
    if (maxMin < 0) return null;
    const Mmax = Math.floor(maxMin / g);
    const minM = Math.max(0, Math.ceil(bounds.minMinutes / g));
    const cycle = emp.maxConsecutive + Math.max(1, emp.minConsecutiveDaysOff);
    const offLen = Math.max(1, emp.minConsecutiveDaysOff);
    const workBound = (n: number, avail: number) =>
      Math.min(avail, n - Math.floor(n / cycle) * offLen);
    // avail[i] = available days in [a+i, b]
    const availFrom = new Int32Array(L + 1);
    for (let i = L - 1; i >= 0; i--)
      availFrom[i] =
        availFrom[i + 1]! + (cm.dayOff[e * H + a + i] || cm.pin[e * H + a + i] === OFF ? 0 : 1);
    const lo = new Int32Array(L);
    const hi = new Int32Array(L);
    for (let i = 0; i < L; i++) {
      const restDays = L - 1 - i;
      const rest = workBound(restDays, availFrom[i + 1]!) * maxLenU;
      lo[i] = Math.max(0, minM - rest);
      hi[i] = Math.min(Mmax, workBound(i + 1, availFrom[0]! - availFrom[i + 1]!) * maxLenU);
      if (lo[i]! > hi[i]!) return null;
    }
    return { lo, hi };
  }

  private run(
    roster: Int16Array,
    e: number,
    a: number,
    b: number,
    cost: Float64Array,
    bounds: WindowBounds,
    out: Int16Array,
    mode: number,
  ): number {
    const cm = this.cm;
    const { H, T, forbidNext, weekendOf, weekendStart } = cm;
    const emp = cm.model.employees[e]!;
    const maxC = emp.maxConsecutive;
    const minC = Math.max(1, emp.minConsecutive);
    const minO = Math.max(1, emp.minConsecutiveDaysOff);
    const RWB = Math.min(minC - 1, maxC);
    const RW = maxC + RWB;
    const RO = minO + minO - 1;
    const C = this.C;
    const G = this.G;
    const OFF0 = C * RW;
    const S = OFF0 + RO;
    if (bounds.maxWeekends < 0) return INF;
    const bands = this.bands(e, a, b, bounds);
    if (!bands) return INF;
    const { lo, hi } = bands;
    const Wn = mode > 0 ? mode : 1;
    const countWk = mode > 0 ? 1 : 0;
    const wkCost = mode === PRICED ? this.wkPrice : 0;
    const L = b - a + 1;
    // Day i's layout: index = (s * Bw_i + (m - lo_i)) * Wn + w, stored at offset_i in back.
    const offset = new Int32Array(L + 1);
    let maxN = 0;
    for (let i = 0; i < L; i++) {
      const n = S * (hi[i]! - lo[i]! + 1) * Wn;
      offset[i + 1] = offset[i]! + n;
      maxN = Math.max(maxN, n);
    }
    if (offset[L]! > 60_000_000) return INF;
    if (this.cur.length < maxN) {
      this.cur = new Float64Array(maxN);
      this.next = new Float64Array(maxN);
    }
    if (this.back.length < offset[L]!) {
      this.back = new Int32Array(offset[L]!);
      this.backU = new Int16Array(offset[L]!);
    }
    if (this.gBest.length < (C + 1) * G) {
      this.gBest = new Float64Array((C + 1) * G);
      this.gU = new Int16Array((C + 1) * G);
    }
    const backU = this.backU;
    const gBest = this.gBest;
    const gU = this.gU;
    const gCls = this.gCls;
    const gLen = this.gLen;
    const grp = this.grp;
    const repT = this.rep;
    if (this.cellCost.length < L * (T + 1)) this.cellCost = new Float64Array(L * (T + 1));
    let cur = this.cur;
    let next = this.next;
    const back = this.back;
    const cc = this.cellCost;

    for (let i = 0; i < L; i++) {
      const d = a + i;
      const p = cm.pin[e * H + d]!;
      for (let t = 0; t <= T; t++) {
        let c = cost[i * (T + 1) + t]!;
        if (t < T) {
          if (cm.dayOff[e * H + d] || bounds.typeCap[t]! <= 0 || this.forbid[t] || maxC <= 0)
            c = INF;
          else c += this.penalty[t]!;
        }
        if (p !== FREE && p !== (t === T ? OFF : t)) c = INF;
        cc[i * (T + 1) + t] = c;
      }
    }

    let entryState = -1;
    if (a > 0) {
      const prev = roster[e * H + a - 1]!;
      let r = 1;
      while (a - 1 - r >= 0 && (roster[e * H + a - 1 - r] !== OFF) === (prev !== OFF)) r++;
      const border = a - r === 0;
      if (prev !== OFF) {
        const rr = Math.min(r, maxC);
        entryState = this.cls[prev]! * RW + (border && rr < minC ? maxC + rr - 1 : rr - 1);
      } else {
        const rr = Math.min(r, minO);
        entryState = OFF0 + (border && r < minO ? minO + r - 1 : rr - 1);
      }
    }

    for (let i = 0; i < L; i++) {
      const d = a + i;
      const loN = lo[i]!;
      const hiN = hi[i]!;
      const BwN = hiN - loN + 1;
      const nN = S * BwN * Wn;
      next.fill(INF, 0, nN);
      const bo = offset[i]!;
      const rowCost = i * (T + 1);
      const co = cc[rowCost + T]!;
      const isWeekend = weekendOf[d]! >= 0;
      const wStart = weekendStart[d] === 1;
      // Cheapest member of each group after a shift of class pc (pc = C: after off / start).
      gBest.fill(INF, 0, (C + 1) * G);
      for (let pc = 0; pc <= C; pc++) {
        const row = pc < C ? repT[pc]! * T : -1;
        for (let u = 0; u < T; u++) {
          const cu = cc[rowCost + u]!;
          if (cu === INF) continue;
          if (row >= 0 && forbidNext[row + u]) continue;
          const gi = pc * G + grp[u]!;
          if (cu < gBest[gi]!) {
            gBest[gi] = cu;
            gU[gi] = u;
          }
        }
      }
      const loP = i === 0 ? 0 : lo[i - 1]!;
      const hiP = i === 0 ? 0 : hi[i - 1]!;
      const BwP = hiP - loP + 1;
      const sFrom = i === 0 ? -1 : 0;
      const sTo = i === 0 ? 0 : S;
      for (let s0 = sFrom; s0 < sTo; s0++) {
        const s = i === 0 ? entryState : s0;
        const start = s < 0;
        let isWork = false;
        let t = -1;
        let r = 0;
        let border = false;
        if (!start) {
          isWork = s < OFF0;
          const k = isWork ? s % RW : s - OFF0;
          t = isWork ? Math.floor(s / RW) : -1;
          border = isWork ? k >= maxC : k >= minO;
          r = isWork ? (border ? k - maxC + 1 : k + 1) : border ? k - minO + 1 : k + 1;
        }
        // Successor states for off and for work.
        let nsOff = -1;
        if (co !== INF && (start || !isWork || r >= minC || border)) {
          if (start) nsOff = OFF0 + (1 < minO ? minO : 0);
          else if (isWork) nsOff = OFF0;
          else {
            const r2 = r + 1;
            nsOff = border && r2 < minO ? OFF0 + minO + r2 - 1 : OFF0 + Math.min(r2, minO) - 1;
          }
        }
        let canWork = true;
        if (!start && isWork && r >= maxC) canWork = false;
        if (!start && !isWork && r < minO && !border) canWork = false;
        let k2 = 0;
        if (start) k2 = 1 < minC ? maxC : 0;
        else if (isWork) k2 = border && r + 1 < minC ? maxC + r : r;
        const wkHit = isWeekend && (wStart || !isWork || start);
        const wk = wkHit ? countWk : 0;
        const wkc = wkHit ? wkCost : 0;
        for (let m = loP; m <= hiP; m++) {
          for (let w = 0; w < Wn; w++) {
            let v: number;
            let from: number;
            if (i === 0) {
              if (m !== 0 || w !== 0) continue;
              v = 0;
              from = -1;
            } else {
              from = (s * BwP + (m - loP)) * Wn + w;
              v = cur[from]!;
              if (v === INF) continue;
            }
            if (nsOff >= 0 && m >= loN && m <= hiN) {
              const idx = (nsOff * BwN + (m - loN)) * Wn + w;
              const nv = v + co;
              if (nv < next[idx]!) {
                next[idx] = nv;
                back[bo + idx] = from;
              }
            }
            if (!canWork) continue;
            const nw = w + wk;
            if (nw >= Wn) continue;
            const gRow = (isWork ? t : C) * G;
            for (let g = 0; g < G; g++) {
              const cu = gBest[gRow + g]!;
              if (cu === INF) continue;
              const nm = m + gLen[g]!;
              if (nm < loN || nm > hiN) continue;
              const idx = ((gCls[g]! * RW + k2) * BwN + (nm - loN)) * Wn + nw;
              const nv = v + cu + wkc;
              if (nv < next[idx]!) {
                next[idx] = nv;
                back[bo + idx] = from;
                backU[bo + idx] = gU[gRow + g]!;
              }
            }
          }
        }
      }
      const tmp = cur;
      cur = next;
      next = tmp;
    }
    this.cur = cur;
    this.next = next;

    let suffixKind = 0;
    let suffixShift: number = OFF;
    let suffixLen = 0;
    let touchesEnd = true;
    if (b < H - 1 && !bounds.freeEnd) {
      suffixShift = roster[e * H + b + 1]!;
      suffixKind = suffixShift === OFF ? 2 : 1;
      suffixLen = 1;
      while (
        b + 1 + suffixLen < H &&
        (roster[e * H + b + 1 + suffixLen] !== OFF) === (suffixShift !== OFF)
      )
        suffixLen++;
      touchesEnd = b + suffixLen === H - 1;
    }
    const g = this.gcdLen;
    const minM = Math.max(0, Math.ceil(bounds.minMinutes / g));
    const loL = lo[L - 1]!;
    const hiL = hi[L - 1]!;
    const BwL = hiL - loL + 1;
    let best = INF;
    let bestIdx = -1;
    for (let s = 0; s < S; s++) {
      const isWork = s < OFF0;
      const k = isWork ? s % RW : s - OFF0;
      const t = isWork ? Math.floor(s / RW) : OFF;
      const border = isWork ? k >= maxC : k >= minO;
      const r = isWork ? (border ? k - maxC + 1 : k + 1) : border ? k - minO + 1 : k + 1;
      if (suffixKind === 1) {
        if (isWork) {
          if (forbidNext[repT[t]! * T + suffixShift]) continue;
          if (r + suffixLen > maxC) continue;
          if (r + suffixLen < minC && !border && !touchesEnd) continue;
        } else {
          if (r < minO && !border) continue;
          if (suffixLen < minC && !touchesEnd) continue;
        }
      } else if (suffixKind === 2) {
        if (isWork) {
          if (r < minC && !border) continue;
          if (suffixLen < minO && !touchesEnd) continue;
        } else if (r + suffixLen < minO && !border && !touchesEnd) continue;
      }
      for (let m = Math.max(minM, loL); m <= hiL; m++) {
        const base = (s * BwL + (m - loL)) * Wn;
        for (let w = 0; w < Wn; w++) {
          const v = cur[base + w]!;
          if (v < best) {
            best = v;
            bestIdx = base + w;
          }
        }
      }
    }
    if (bestIdx < 0) return INF;
    let idx = bestIdx;
    for (let i = L - 1; i >= 0; i--) {
      const Bw = hi[i]! - lo[i]! + 1;
      const s = Math.floor(idx / (Bw * Wn));
      out[i] = s < OFF0 ? backU[offset[i]! + idx]! : OFF;
      idx = back[offset[i]! + idx]!;
    }
    return best;
  }
}
