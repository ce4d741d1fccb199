/**
 * The general roster constraint model. The Curtois & Qu benchmark maps onto it one to one
 * (see instance-reader.ts); the product adds pins, hard cover minima and fairness terms.
 *
 * A roster assigns to every (employee, day) one shift index or OFF (-1).
 */

export const OFF = -1;

export interface ShiftType {
  id: string;
  minutes: number;
  /** Indexes of shift types that may not be worked on the day after this one. */
  cannotFollow: number[];
}

export interface EmployeeRules {
  id: string;
  /** Per shift type index: how many times it may be worked (0 = never). */
  maxShifts: number[];
  minMinutes: number;
  maxMinutes: number;
  minConsecutive: number;
  maxConsecutive: number;
  minConsecutiveDaysOff: number;
  maxWeekends: number;
  /** Days on which the employee must not work. */
  daysOff: number[];
}

export interface ShiftRequest {
  employee: number;
  day: number;
  shift: number;
  weight: number;
}

export interface CoverRequirement {
  day: number;
  shift: number;
  requirement: number;
  underWeight: number;
  overWeight: number;
  /** Product: cover below `hardMin` is not allowed at all (the benchmark has none). */
  hardMin?: number;
}

/** An assignment fixed in advance (re-planning keeps what was published). */
export interface Pin {
  employee: number;
  day: number;
  /** A shift index, or OFF. */
  shift: number;
}

/**
 * A fairness term: the cells (day, shift) that count as "heavy" (nights, weekends, holidays).
 * Penalty = weight · Σ_e count_e² / share_e, which for a fixed total is minimal when the
 * counts are spread in proportion to the shares (a convex, separable form of variance).
 */
export interface FairnessTerm {
  name: string;
  weight: number;
  cells: { day: number; shift: number }[];
  /** Per employee share (1 = full time); omitted means everyone 1. */
  shares?: number[];
}

export interface RosterModel {
  days: number;
  shifts: ShiftType[];
  employees: EmployeeRules[];
  onRequests: ShiftRequest[];
  offRequests: ShiftRequest[];
  cover: CoverRequirement[];
  /** Groups of consecutive days forming a weekend (e.g. [[5,6],[12,13],…]). */
  weekends: number[][];
  pins?: Pin[];
  fairness?: FairnessTerm[];
}

/** Row-major roster: roster[e * days + d] = shift index or OFF. */
export type Roster = Int16Array;

export function emptyRoster(model: RosterModel): Roster {
  return new Int16Array(model.employees.length * model.days).fill(OFF);
}

/** Weekends of a horizon whose day 0 falls on `firstWeekday` (0 = Monday … 6 = Sunday). */
export function weekendsFor(days: number, firstWeekday = 0): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  for (let d = 0; d < days; d++) {
    const wd = (firstWeekday + d) % 7;
    if (wd === 5 || wd === 6) current.push(d);
    if (wd === 6 || d === days - 1) {
      if (current.length > 0) out.push(current);
      current = [];
    }
  }
  return out;
}

/**
 * Dense, typed-array form of a model used by the scorer's incremental parts and the solver.
 * Costs are expressed per cell: working shift t on day d, or being off on day d.
 */
export interface CompiledModel {
  model: RosterModel;
  E: number;
  H: number;
  T: number;
  len: Int32Array;
  /** forbidNext[t * T + u] = 1 if u may not follow t. */
  forbidNext: Uint8Array;
  /** requestCost[(e * H + d) * (T + 1) + t] for t < T; index T = being off. */
  requestCost: Float64Array;
  req: Int32Array;
  under: Float64Array;
  over: Float64Array;
  hardMin: Int32Array;
  /** weekendOf[d] = weekend index or -1; weekendStart[d] = 1 if d is the first day of its group. */
  weekendOf: Int32Array;
  weekendStart: Uint8Array;
  dayOff: Uint8Array;
  /** pin[e * H + d] = -2 if free, else the pinned shift or OFF. */
  pin: Int16Array;
  /** fairnessCell[k][d * T + t] = 1 if (d,t) counts for fairness term k. */
  fairnessCell: Uint8Array[];
  fairnessWeight: Float64Array;
  /** fairnessInvShare[k][e] = 1 / share. */
  fairnessInvShare: Float64Array[];
}

export const FREE = -2;

export function compile(model: RosterModel): CompiledModel {
  const E = model.employees.length;
  const H = model.days;
  const T = model.shifts.length;
  const len = Int32Array.from(model.shifts.map((s) => s.minutes));
  const forbidNext = new Uint8Array(T * T);
  model.shifts.forEach((s, t) => {
    for (const u of s.cannotFollow) forbidNext[t * T + u] = 1;
  });
  const requestCost = new Float64Array(E * H * (T + 1));
  for (const r of model.onRequests) {
    // Not working t costs w: add w to every alternative (off and other shifts).
    const base = (r.employee * H + r.day) * (T + 1);
    for (let t = 0; t <= T; t++) if (t !== r.shift) requestCost[base + t]! += r.weight;
  }
  for (const r of model.offRequests) {
    requestCost[(r.employee * H + r.day) * (T + 1) + r.shift]! += r.weight;
  }
  const req = new Int32Array(H * T);
  const under = new Float64Array(H * T);
  const over = new Float64Array(H * T);
  const hardMin = new Int32Array(H * T);
  for (const c of model.cover) {
    const i = c.day * T + c.shift;
    req[i] = c.requirement;
    under[i] = c.underWeight;
    over[i] = c.overWeight;
    hardMin[i] = c.hardMin ?? 0;
  }
  const weekendOf = new Int32Array(H).fill(-1);
  const weekendStart = new Uint8Array(H);
  model.weekends.forEach((days, w) => {
    days.forEach((d, i) => {
      weekendOf[d] = w;
      if (i === 0) weekendStart[d] = 1;
    });
  });
  const dayOff = new Uint8Array(E * H);
  model.employees.forEach((emp, e) => {
    for (const d of emp.daysOff) dayOff[e * H + d] = 1;
  });
  const pin = new Int16Array(E * H).fill(FREE);
  for (const p of model.pins ?? []) pin[p.employee * H + p.day] = p.shift;
  const fairness = model.fairness ?? [];
  const fairnessCell = fairness.map((f) => {
    const cells = new Uint8Array(H * T);
    for (const c of f.cells) cells[c.day * T + c.shift] = 1;
    return cells;
  });
  const fairnessWeight = Float64Array.from(fairness.map((f) => f.weight));
  const fairnessInvShare = fairness.map((f) =>
    Float64Array.from({ length: E }, (_, e) => 1 / (f.shares?.[e] ?? 1)),
  );
  return {
    model,
    E,
    H,
    T,
    len,
    forbidNext,
    requestCost,
    req,
    under,
    over,
    hardMin,
    weekendOf,
    weekendStart,
    dayOff,
    pin,
    fairnessCell,
    fairnessWeight,
    fairnessInvShare,
  };
}
