import type { CompiledModel } from './model.js';
import { FREE, OFF } from './model.js';
import type { MipSubproblem } from './mip.js';

/**
 * Adaptive fix-and-optimise windows for short horizons (≤ ADAPTIVE_MAX_DAYS) and staffs of
 * ADAPTIVE_MIN_STAFF to ADAPTIVE_MAX_STAFF people (Instances 2, 3, 5–12),
 * pure (the randomness comes in as `rand`). Three kinds of sub-problem:
 * - **week**: an aligned week, everyone free (or the staff that fits);
 * - **fortnight**: 14 days from any day, so the rules that span a week border (runs, days off,
 *   weekends) can change on both sides of it;
 * - **staff**: part of the staff over the whole horizon, picked around an under-covered cell
 *   (people who could take it first), sized to what HiGHS solves in a few seconds: a cover
 *   hole often needs several people to move their whole month, which no week can do.
 * The kind is chosen by gain per second of MIP time (decayed), and the MIP's share of the
 * search follows its gain rate against the LNS's, between SHARE_MIN and SHARE_MAX.
 */
export const ADAPTIVE_MAX_DAYS = 28;
/**
 * Not for staffs this big (Instance13, 120 people): there the adaptive windows were worse than
 * main's fixed share in 2 of 3 side-by-side 60 s runs (2000 → 2173, 2192 → 2634; 2035 → 1866).
 */
export const ADAPTIVE_MAX_STAFF = 99;
/**
 * Nor for staffs this small (Instances 1 and 4): there the week cycle reaches the best known, the
 * adaptive windows did not (Instance4, quiet, 60 s: 1716 on main in two runs; 1720, 1720 and
 * 1721 with them, 2026-12-07 14:05–14:25).
 */
export const ADAPTIVE_MIN_STAFF = 12;
export const KINDS = ['week', 'fortnight', 'staff'] as const;
export type WindowKind = (typeof KINDS)[number];

export const SHARE_MIN = 0.1;
export const SHARE_MAX = 0.6;
/** Each kind keeps at least this chance, so a kind that failed early is tried again. */
const KIND_FLOOR = 0.1;

/** Gain (objective points) and time (ms) per kind, decayed. */
export interface KindStats {
  gain: number;
  ms: number;
  tries: number;
}

export function emptyStats(): Record<WindowKind, KindStats> {
  return {
    week: { gain: 0, ms: 0, tries: 0 },
    fortnight: { gain: 0, ms: 0, tries: 0 },
    staff: { gain: 0, ms: 0, tries: 0 },
  };
}

/**
 * The next kind: each one once in turn, then by gain per second with a floor for every kind.
 * A prior of one point per second keeps a kind with no gain yet from being starved at once.
 */
export function pickKind(stats: Record<WindowKind, KindStats>, rand: () => number): WindowKind {
  for (const k of KINDS) if (stats[k].tries === 0) return k;
  const rate = KINDS.map((k) => (stats[k].gain + 1) / (stats[k].ms / 1000 + 1));
  const sum = rate.reduce((a, b) => a + b, 0);
  const p = rate.map((r) => KIND_FLOOR + (1 - KIND_FLOOR * KINDS.length) * (r / sum));
  let x = rand();
  for (let i = 0; i < KINDS.length; i++) {
    x -= p[i]!;
    if (x < 0) return KINDS[i]!;
  }
  return KINDS[KINDS.length - 1]!;
}

/**
 * The MIP's share of the search time: its gain rate over the sum of both rates (points per
 * second, decayed), clamped to [SHARE_MIN, SHARE_MAX]; with no evidence yet, 0.25 (the share
 * the fixed-share stage had).
 */
export function mipShare(mipRate: number, lnsRate: number): number {
  const m = Math.max(0, mipRate);
  const l = Math.max(0, lnsRate);
  if (m + l <= 1e-9) return 0.25;
  return Math.min(SHARE_MAX, Math.max(SHARE_MIN, m / (m + l)));
}

/** Columns of employee e over days [from, to]: one per (free day, shift type it may work). */
export function employeeColumns(cm: CompiledModel, e: number, from: number, to: number): number {
  const emp = cm.model.employees[e]!;
  let types = 0;
  for (let t = 0; t < cm.T; t++) if ((emp.maxShifts[t] ?? cm.H) > 0) types++;
  let n = 0;
  for (let d = from; d <= to; d++)
    if (cm.pin[e * cm.H + d] === FREE && !cm.dayOff[e * cm.H + d]) n += types;
  return n;
}

/** Under-covered cells (d * T + t) within [from, to] for the roster. */
export function underCovered(
  cm: CompiledModel,
  roster: ArrayLike<number>,
  from: number,
  to: number,
): number[] {
  const { E, H, T } = cm;
  const cnt = new Int32Array(H * T);
  for (let e = 0; e < E; e++)
    for (let d = from; d <= to; d++) {
      const s = roster[e * H + d]!;
      if (s !== OFF) cnt[d * T + s]!++;
    }
  const out: number[] = [];
  for (let d = from; d <= to; d++)
    for (let t = 0; t < T; t++) {
      const i = d * T + t;
      if (cm.under[i]! > 0 && cnt[i]! < cm.req[i]!) out.push(i);
    }
  return out;
}

/**
 * Employees to free over [from, to] within `maxColumns`: first those who could take an
 * under-covered cell of the window (one cell picked at random: they are the ones a cover
 * change needs), then the rest in random order. Each employee counts their own columns.
 */
export function pickStaff(
  cm: CompiledModel,
  roster: ArrayLike<number>,
  from: number,
  to: number,
  maxColumns: number,
  rand: () => number,
): number[] {
  const { E, H, T } = cm;
  const order = shuffled(E, rand);
  const holes = underCovered(cm, roster, from, to);
  let first: number[] = [];
  if (holes.length > 0) {
    const cell = holes[Math.floor(rand() * holes.length)]!;
    const d = Math.floor(cell / T);
    const t = cell % T;
    first = order.filter(
      (e) =>
        cm.pin[e * H + d] === FREE &&
        !cm.dayOff[e * H + d] &&
        (cm.model.employees[e]!.maxShifts[t] ?? H) > 0 &&
        roster[e * H + d] !== t,
    );
  }
  const inFirst = new Uint8Array(E);
  for (const e of first) inFirst[e] = 1;
  const out: number[] = [];
  let cols = 0;
  for (const e of [...first, ...order.filter((x) => !inFirst[x])]) {
    const c = employeeColumns(cm, e, from, to);
    if (c === 0) continue;
    if (cols + c > maxColumns && out.length >= 2) break;
    out.push(e);
    cols += c;
  }
  return out;
}

/** 0 … n-1 in random order (Fisher–Yates). */
export function shuffled(n: number, rand: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Days of the `index`-th aligned week (turning over the horizon); the last takes the rest. */
export function alignedWeek(H: number, index: number): { from: number; to: number } {
  const weeks = Math.max(1, Math.floor(H / 7));
  const w = index % weeks;
  const from = w * 7;
  return { from, to: w === weeks - 1 ? H - 1 : from + 6 };
}

export interface WindowSizes {
  /** Column budget of a week or fortnight window. */
  windowColumns: number;
  /** Column budget of a staff window (whole horizon). */
  staffColumns: number;
}

/**
 * The sub-problem of a kind. `week` is the index of the aligned week for the `week` kind
 * (the caller turns it). The staff kind frees at most half the staff: more is the whole
 * model, which HiGHS does not finish in a few seconds from Instance4 on.
 */
export function windowOf(
  kind: WindowKind,
  cm: CompiledModel,
  roster: ArrayLike<number>,
  week: number,
  sizes: WindowSizes,
  rand: () => number,
): MipSubproblem {
  const { E, H } = cm;
  let from = 0;
  let to = H - 1;
  if (kind === 'week') ({ from, to } = alignedWeek(H, week));
  else if (kind === 'fortnight') {
    const len = Math.min(H, 14);
    from = Math.floor(rand() * (H - len + 1));
    to = from + len - 1;
  }
  let all = 0;
  for (let e = 0; e < E; e++) all += employeeColumns(cm, e, from, to);
  const budget = kind === 'staff' ? sizes.staffColumns : sizes.windowColumns;
  if (kind !== 'staff' && all <= budget) return { from, to };
  let staff = pickStaff(cm, roster, from, to, budget, rand);
  if (kind === 'staff') staff = staff.slice(0, Math.max(2, Math.ceil(E / 2)));
  return { employees: staff, from, to };
}
