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

  constructor(private readonly cm: CompiledModel) {
    this.penalty = new Float64Array(cm.T);
    let g = 0;
    for (const l of cm.len) g = gcd(g, l);
    this.gcdLen = g || 1;
    this.counts = new Int32Array(cm.T);
    this.forbid = new Uint8Array(cm.T);
    this.lenU = Int32Array.from(cm.len, (l) => Math.round(l / this.gcdLen));
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
    // Price the per-type maxima; if pricing does not settle, forbid the types still over.
    for (let attempt = 0; attempt < 12 + T; attempt++) {
      const v = this.run(roster, e, a, b, cost, bounds, out);
      if (v === INF) return INF;
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
        for (let i = 0; i <= b - a; i++) real += cost[i * (T + 1) + (out[i] === OFF ? T : out[i]!)]!;
        return real;
      }
    }
    return INF;
  }

  private run(
    roster: Int16Array,
    e: number,
    a: number,
    b: number,
    cost: Float64Array,
    bounds: WindowBounds,
    out: Int16Array,
  ): number {
    const cm = this.cm;
    const { H, T, forbidNext, weekendOf, weekendStart } = cm;
    const emp = cm.model.employees[e]!;
    const maxC = emp.maxConsecutive;
    const minC = Math.max(1, emp.minConsecutive);
    const minO = Math.max(1, emp.minConsecutiveDaysOff);
    const g = this.gcdLen;
    const RWB = Math.min(minC - 1, maxC);
    const RW = maxC + RWB;
    const RO = minO + minO - 1;
    const OFF0 = T * RW;
    const S = OFF0 + RO;
    const maxMin = Math.min(bounds.maxMinutes, (b - a + 1) * 1440);
    if (maxMin < 0 || bounds.maxWeekends < 0) return INF;
    const Mn = Math.floor(maxMin / g) + 1;
    const Wn = Math.min(bounds.maxWeekends, cm.model.weekends.length) + 1;
    const N = S * Mn * Wn;
    const L = b - a + 1;
    if (this.cur.length < N) {
      this.cur = new Float64Array(N);
      this.next = new Float64Array(N);
    }
    if (this.back.length < N * L) this.back = new Int32Array(N * L);
    if (this.cellCost.length < L * (T + 1)) this.cellCost = new Float64Array(L * (T + 1));
    const cur = this.cur;
    const next = this.next;
    const back = this.back;
    const cc = this.cellCost;
    const lenU = this.lenU;

    // Cell costs with the hard per-cell rules folded in as +Infinity.
    for (let i = 0; i < L; i++) {
      const d = a + i;
      const p = cm.pin[e * H + d]!;
      for (let t = 0; t <= T; t++) {
        let c = cost[i * (T + 1) + t]!;
        if (t < T) {
          if (cm.dayOff[e * H + d] || bounds.typeCap[t]! <= 0 || this.forbid[t] || maxC <= 0) c = INF;
          else c += this.penalty[t]!;
        }
        if (p !== FREE && p !== (t === T ? OFF : t)) c = INF;
        cc[i * (T + 1) + t] = c;
      }
    }

    // Entry state (the day before the window).
    let entryState = -1; // -1: before the horizon
    if (a > 0) {
      const prev = roster[e * H + a - 1]!;
      let r = 1;
      while (a - 1 - r >= 0 && (roster[e * H + a - 1 - r] !== OFF) === (prev !== OFF)) r++;
      const border = a - r === 0;
      if (prev !== OFF) {
        const rr = Math.min(r, maxC);
        entryState = prev * RW + (border && rr < minC ? maxC + rr - 1 : rr - 1);
      } else {
        const rr = Math.min(r, minO);
        entryState = OFF0 + (border && r < minO ? minO + r - 1 : rr - 1);
      }
    }

    const ctx = { T, RW, maxC, minC, minO, OFF0, Mn, Wn, lenU, forbidNext, weekendOf, weekendStart, N };
    next.fill(INF, 0, N);
    // Day a from the entry state.
    this.pushFrom(entryState, 0, 0, 0, a, cc, 0, next, back, 0, ctx);
    let maxLenU = 0;
    for (let u = 0; u < T; u++) maxLenU = Math.max(maxLenU, lenU[u]!);
    const minM0 = Math.max(0, Math.ceil(bounds.minMinutes / g));
    for (let i = 1; i < L; i++) {
      cur.set(next.subarray(0, N));
      next.fill(INF, 0, N);
      // Only minutes reachable by day i-1 that can still reach the minimum by the end.
      const mHi = Math.min(Mn - 1, i * maxLenU);
      const mLo = Math.max(0, minM0 - (L - i) * maxLenU);
      for (let s = 0; s < S; s++) {
        for (let m = mLo; m <= mHi; m++) {
          const base = (s * Mn + m) * Wn;
          for (let w = 0; w < Wn; w++) {
            const v = cur[base + w]!;
            if (v === INF) continue;
            this.pushFrom(s, m, w, v, a + i, cc, i, next, back, base + w, ctx);
          }
        }
      }
    }

    // Exit: join the fixed days after the window.
    let suffixKind = 0; // 0 = end of horizon, 1 = work, 2 = off
    let suffixShift: number = OFF;
    let suffixLen = 0;
    let touchesEnd = true;
    if (b < H - 1 && !bounds.freeEnd) {
      suffixShift = roster[e * H + b + 1]!;
      suffixKind = suffixShift === OFF ? 2 : 1;
      suffixLen = 1;
      while (b + 1 + suffixLen < H && (roster[e * H + b + 1 + suffixLen] !== OFF) === (suffixShift !== OFF))
        suffixLen++;
      touchesEnd = b + suffixLen === H - 1;
    }
    const minM = Math.max(0, Math.ceil(bounds.minMinutes / g));
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
          if (forbidNext[t * T + suffixShift]) continue;
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
      for (let m = minM; m < Mn; m++) {
        const base = (s * Mn + m) * Wn;
        for (let w = 0; w < Wn; w++) {
          const v = next[base + w]!;
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
      const s = Math.floor(idx / (Mn * Wn));
      out[i] = s < OFF0 ? Math.floor(s / RW) : OFF;
      idx = back[i * N + idx]!;
    }
    return best;
  }

  private pushFrom(
    s: number,
    m: number,
    w: number,
    v: number,
    d: number,
    cc: Float64Array,
    i: number,
    next: Float64Array,
    back: Int32Array,
    from: number,
    ctx: {
      T: number;
      RW: number;
      maxC: number;
      minC: number;
      minO: number;
      OFF0: number;
      Mn: number;
      Wn: number;
      lenU: Int32Array;
      forbidNext: Uint8Array;
      weekendOf: Int32Array;
      weekendStart: Uint8Array;
      N: number;
    },
  ): void {
    const { T, RW, maxC, minC, minO, OFF0, Mn, Wn, lenU, forbidNext, weekendOf, weekendStart, N } = ctx;
    const bo = i * N;
    const rowCost = i * (T + 1);
    let isWork = false;
    let t = -1;
    let r = 0;
    let border = false;
    if (s >= 0) {
      isWork = s < OFF0;
      const k = isWork ? s % RW : s - OFF0;
      t = isWork ? Math.floor(s / RW) : -1;
      border = isWork ? k >= maxC : k >= minO;
      r = isWork ? (border ? k - maxC + 1 : k + 1) : border ? k - minO + 1 : k + 1;
    }
    const start = s < 0;
    // Off on day d.
    const co = cc[rowCost + T]!;
    if (co !== INF && (start || !isWork || r >= minC || border)) {
      let ns: number;
      if (start) ns = OFF0 + (1 < minO ? minO : 0);
      else if (isWork) ns = OFF0;
      else {
        const r2 = r + 1;
        ns = border && r2 < minO ? OFF0 + minO + r2 - 1 : OFF0 + Math.min(r2, minO) - 1;
      }
      const idx = (ns * Mn + m) * Wn + w;
      const nv = v + co;
      if (nv < next[idx]!) {
        next[idx] = nv;
        back[bo + idx] = from;
      }
    }
    // Work u on day d.
    if (!start && isWork && r >= maxC) return;
    if (!start && !isWork && r < minO && !border) return;
    const wk = weekendOf[d]! >= 0 && (weekendStart[d] === 1 || !isWork || start) ? 1 : 0;
    const nw = w + wk;
    if (nw >= Wn) return;
    for (let u = 0; u < T; u++) {
      const cu = cc[rowCost + u]!;
      if (cu === INF) continue;
      if (isWork && forbidNext[t * T + u]) continue;
      const nm = m + lenU[u]!;
      if (nm >= Mn) continue;
      let k2: number;
      if (start) k2 = 1 < minC ? maxC : 0;
      else if (isWork) k2 = border && r + 1 < minC ? maxC + r : r;
      else k2 = 0;
      const idx = ((u * RW + k2) * Mn + nm) * Wn + nw;
      const nv = v + cu;
      if (nv < next[idx]!) {
        next[idx] = nv;
        back[bo + idx] = from;
      }
    }
  }
}
