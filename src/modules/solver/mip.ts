import type { Highs } from 'highs';
import type { CompiledModel } from './model.js';
import { FREE, OFF } from './model.js';

/**
 * The roster model as a mixed-integer programme in CPLEX LP text (what HiGHS reads), for the
 * whole roster or for a sub-problem: a set of employees over a window of days is free,
 * everything else is fixed to the incumbent (substituted as constants). Pure: no solver here.
 *
 * Variables: x_e_d_t ∈ {0,1} (e works t on d) for each free cell and each shift type the
 * employee may work that day (not a day off, the type not capped at 0, no pin); u_d_t / o_d_t
 * ≥ 0 the cover under / over slack; y_e_w ∈ [0,1] "e works weekend w". Rows (FORMAT.md
 * section 3, with the runs touching the horizon edges exempt from the minimum-run rules):
 * one shift a day, forbidden successions, max shifts per type, min/max minutes, max
 * consecutive shifts (window sums), min consecutive shifts and days off (monolith's windows
 * with both neighbours inside the horizon), max weekends, hard minimum cover (product).
 * Objective: requests + cover slacks; `constant` holds the part that does not depend on the
 * free cells, so `LP objective + constant` is the roster's objective.
 *
 * Fairness terms (quadratic) are not represented: `representable()` says no for such models.
 */

export interface MipSubproblem {
  /** Free employees (default: everyone). */
  employees?: number[];
  /** First and last free day (default: the whole horizon). */
  from?: number;
  to?: number;
}

export interface MipVar {
  e: number;
  d: number;
  t: number;
}

export interface MipProblem {
  lp: string;
  /** Decision variables x by name. */
  xs: Map<string, MipVar>;
  /** Value of every column for the incumbent (a feasible MIP start), by name. */
  start: Map<string, number>;
  constant: number;
  /** The free cells (e * H + d). */
  freeCells: number[];
  columns: number;
  /** A hard rule on fixed cells alone is broken: no roster keeps those cells. */
  infeasible: boolean;
}

/** Whether the MIP states the whole model (fairness terms are quadratic: not stated). */
export function representable(cm: CompiledModel): boolean {
  return cm.fairnessCell.length === 0;
}

/** A linear expression: terms by variable name plus a constant. */
class Lin {
  readonly terms = new Map<string, number>();
  c = 0;
  add(name: string, coef: number): this {
    if (coef !== 0) this.terms.set(name, (this.terms.get(name) ?? 0) + coef);
    return this;
  }
  addLin(other: Lin, k = 1): this {
    for (const [n, v] of other.terms) this.add(n, v * k);
    this.c += other.c * k;
    return this;
  }
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e9) / 1e9);
}

function termsText(terms: Map<string, number>): string {
  const parts: string[] = [];
  let i = 0;
  for (const [n, v] of terms) {
    if (v === 0) continue;
    const sign = v < 0 ? '-' : '+';
    const a = Math.abs(v);
    parts.push(`${i === 0 && sign === '+' ? '' : sign + ' '}${a === 1 ? '' : fmt(a) + ' '}${n}`);
    i++;
    // Line breaks keep the lines short (the LP format allows continuation lines).
    if (i % 40 === 0) parts.push('\n  ');
  }
  return parts.join(' ');
}

export function buildMip(
  cm: CompiledModel,
  incumbent: ArrayLike<number>,
  sub: MipSubproblem = {},
): MipProblem {
  const { E, H, T, len, forbidNext } = cm;
  const model = cm.model;
  const from = Math.max(0, sub.from ?? 0);
  const to = Math.min(H - 1, sub.to ?? H - 1);
  const freeEmp = new Uint8Array(E);
  for (const e of sub.employees ?? Array.from({ length: E }, (_, i) => i)) freeEmp[e] = 1;
  const isFree = (e: number, d: number) =>
    freeEmp[e] === 1 && d >= from && d <= to && cm.pin[e * H + d] === FREE;
  // A fixed cell: its pin if it has one (pins win over the incumbent), else the incumbent.
  const fixed = (e: number, d: number): number => {
    const p = cm.pin[e * H + d]!;
    return p === FREE ? incumbent[e * H + d]! : p;
  };
  const xName = (e: number, d: number, t: number) => `x_${e}_${d}_${t}`;
  const xs = new Map<string, MipVar>();
  const start = new Map<string, number>();
  const freeCells: number[] = [];
  const rows: string[] = [];
  let rowN = 0;
  let infeasible = false;
  const row = (lin: Lin, op: '<=' | '>=' | '=', rhs: number) => {
    if (lin.terms.size === 0) {
      // A rule on fixed cells only: it holds or the sub-problem has no solution.
      const ok = op === '<=' ? lin.c <= rhs : op === '>=' ? lin.c >= rhs : lin.c === rhs;
      if (!ok) infeasible = true;
      return;
    }
    rows.push(` r${rowN++}: ${termsText(lin.terms)} ${op} ${fmt(rhs - lin.c)}`);
  };
  // cell(e, d, t): x variable, or a constant 0/1.
  const cellLin = (e: number, d: number, t: number): Lin => {
    const lin = new Lin();
    const n = xName(e, d, t);
    if (xs.has(n)) lin.add(n, 1);
    else if (!isFree(e, d) && fixed(e, d) === t) lin.c = 1;
    return lin;
  };
  const workLin = (e: number, d: number): Lin => {
    const lin = new Lin();
    if (isFree(e, d)) {
      for (let t = 0; t < T; t++) {
        const n = xName(e, d, t);
        if (xs.has(n)) lin.add(n, 1);
      }
    } else if (fixed(e, d) !== OFF) lin.c = 1;
    return lin;
  };

  const obj = new Lin();
  // Variables and the request part of the objective.
  for (let e = 0; e < E; e++) {
    const emp = model.employees[e]!;
    for (let d = 0; d < H; d++) {
      const cur = fixed(e, d);
      const rc = (e * H + d) * (T + 1);
      if (!isFree(e, d)) {
        obj.c += cm.requestCost[rc + (cur === OFF ? T : cur)]!;
        // A free employee's fixed cell (a pin) on a day off or a type capped at 0.
        if (freeEmp[e] && cur !== OFF && (cm.dayOff[e * H + d] || (emp.maxShifts[cur] ?? H) <= 0))
          infeasible = true;
        continue;
      }
      freeCells.push(e * H + d);
      const offCost = cm.requestCost[rc + T]!;
      obj.c += offCost;
      if (cm.dayOff[e * H + d]) continue;
      for (let t = 0; t < T; t++) {
        if ((emp.maxShifts[t] ?? H) <= 0) continue;
        const n = xName(e, d, t);
        xs.set(n, { e, d, t });
        start.set(n, cur === t ? 1 : 0);
        obj.add(n, cm.requestCost[rc + t]! - offCost);
      }
    }
  }

  // Per free employee: hard rules (rows with a free cell only; the rest is constant).
  for (let e = 0; e < E; e++) {
    if (!freeEmp[e]) continue;
    const emp = model.employees[e]!;
    const work: Lin[] = [];
    for (let d = 0; d < H; d++) work.push(workLin(e, d));
    // One shift a day.
    for (let d = from; d <= to; d++) if (work[d]!.terms.size > 1) row(work[d]!, '<=', 1);
    // Forbidden successions: x[d][t] + Σ_{u ∈ forbid(t)} x[d+1][u] ≤ 1.
    for (let d = Math.max(0, from - 1); d <= Math.min(H - 2, to); d++) {
      for (let t = 0; t < T; t++) {
        const lin = cellLin(e, d, t);
        if (lin.terms.size === 0 && lin.c === 0) continue;
        let any = false;
        for (let u = 0; u < T; u++) {
          if (!forbidNext[t * T + u]) continue;
          const next = cellLin(e, d + 1, u);
          if (next.terms.size > 0 || next.c > 0) any = true;
          lin.addLin(next);
        }
        if (any) row(lin, '<=', 1);
      }
    }
    // Max shifts per type, minutes.
    const minutes = new Lin();
    for (let t = 0; t < T; t++) {
      const count = new Lin();
      for (let d = 0; d < H; d++) count.addLin(cellLin(e, d, t));
      minutes.addLin(count, len[t]);
      row(count, '<=', emp.maxShifts[t] ?? H);
    }
    row(minutes, '>=', emp.minMinutes);
    row(minutes, '<=', emp.maxMinutes);
    const lo = Math.max(
      0,
      from - Math.max(emp.maxConsecutive, emp.minConsecutive, emp.minConsecutiveDaysOff) - 1,
    );
    const hi = Math.min(
      H - 1,
      to + Math.max(emp.maxConsecutive, emp.minConsecutive, emp.minConsecutiveDaysOff) + 1,
    );
    // Max consecutive shifts: every c+1 consecutive days hold at most c working days.
    const c = emp.maxConsecutive;
    if (c < H) {
      for (let d = lo; d + c <= Math.min(H - 1, hi); d++) {
        const lin = new Lin();
        for (let j = d; j <= d + c; j++) lin.addLin(work[j]!);
        row(lin, '<=', c);
      }
    }
    // Min consecutive shifts: w[d] + (s − Σ_{j=d+1}^{d+s} w[j]) + w[d+s+1] ≥ 1.
    for (let s = 1; s < emp.minConsecutive; s++) {
      for (let d = lo; d + s + 1 <= Math.min(H - 1, hi); d++) {
        const lin = new Lin().addLin(work[d]!).addLin(work[d + s + 1]!);
        for (let j = d + 1; j <= d + s; j++) lin.addLin(work[j]!, -1);
        row(lin, '>=', 1 - s);
      }
    }
    // Min consecutive days off: (1 − w[d]) + Σ w[j] + (1 − w[d+s+1]) ≥ 1.
    for (let s = 1; s < emp.minConsecutiveDaysOff; s++) {
      for (let d = lo; d + s + 1 <= Math.min(H - 1, hi); d++) {
        const lin = new Lin().addLin(work[d]!, -1).addLin(work[d + s + 1]!, -1);
        for (let j = d + 1; j <= d + s; j++) lin.addLin(work[j]!);
        row(lin, '>=', -1);
      }
    }
    // Max weekends: y_w ≥ w[d] for the free days of weekend w, Σ y + fixed weekends ≤ max.
    const weekends = new Lin();
    model.weekends.forEach((days, w) => {
      if (days.some((d) => work[d]!.terms.size === 0 && work[d]!.c > 0)) {
        weekends.c += 1;
        return;
      }
      if (days.every((d) => work[d]!.terms.size === 0)) return;
      const y = `y_${e}_${w}`;
      let worked = 0;
      for (const d of days) {
        if (work[d]!.terms.size === 0) continue;
        row(new Lin().add(y, 1).addLin(work[d]!, -1), '>=', 0);
        if (incumbent[e * H + d] !== OFF) worked = 1;
      }
      start.set(y, worked);
      weekends.add(y, 1);
    });
    row(weekends, '<=', emp.maxWeekends);
  }

  // Cover.
  const bounds: string[] = [];
  for (let d = 0; d < H; d++) {
    for (let t = 0; t < T; t++) {
      const i = d * T + t;
      const n = new Lin();
      if (d < from || d > to) {
        // No free cell that day: a count of fixed cells (no expressions: long horizons).
        for (let e = 0; e < E; e++) if (fixed(e, d) === t) n.c++;
      } else for (let e = 0; e < E; e++) n.addLin(cellLin(e, d, t));
      const req = cm.req[i]!;
      if (n.terms.size === 0) {
        obj.c += n.c < req ? cm.under[i]! * (req - n.c) : cm.over[i]! * (n.c - req);
        continue;
      }
      let count = n.c;
      for (const name of n.terms.keys()) count += start.get(name) ?? 0;
      if (cm.under[i]! > 0 && req > 0) {
        const u = `u_${d}_${t}`;
        obj.add(u, cm.under[i]!);
        row(new Lin().addLin(n).add(u, 1), '>=', req);
        start.set(u, Math.max(0, req - count));
      }
      if (cm.over[i]! > 0) {
        const o = `o_${d}_${t}`;
        obj.add(o, cm.over[i]!);
        row(new Lin().addLin(n).add(o, -1), '<=', req);
        start.set(o, Math.max(0, count - req));
      }
      if (cm.hardMin[i]! > 0) row(n, '>=', cm.hardMin[i]!);
    }
  }
  for (const name of start.keys()) if (name.startsWith('y_')) bounds.push(` 0 <= ${name} <= 1`);

  const objTerms = new Map([...obj.terms].filter(([, v]) => v !== 0));
  // Every x must appear somewhere: the objective lists all of them (a zero coefficient if need be).
  for (const name of xs.keys()) if (!objTerms.has(name)) objTerms.set(name, 0);
  const objText = [...objTerms]
    .map(
      ([n, v], k) => `${v < 0 ? '-' : '+'} ${fmt(Math.abs(v))} ${n}${k % 40 === 39 ? '\n ' : ''}`,
    )
    .join(' ');
  const binaries = [...xs.keys()];
  const lp = [
    'Minimize',
    ` obj: ${objText.length > 0 ? objText : '0 dummy'}`,
    'Subject To',
    ...rows,
    ...(objText.length > 0 ? [] : [' rdummy: dummy >= 0']),
    'Bounds',
    ...bounds,
    ...(binaries.length > 0
      ? ['Binaries', ...chunk(binaries, 20).map((c) => ' ' + c.join(' '))]
      : []),
    'End',
    '',
  ].join('\n');
  return { lp, xs, start, constant: obj.c, freeCells, columns: start.size, infeasible };
}

function chunk<T>(arr: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < arr.length; i += n) out.push(arr.slice(i, i + n));
  return out;
}

/** The roster a MIP solution stands for: the incumbent with the free cells as the x say. */
export function rosterFromSolution(
  cm: CompiledModel,
  incumbent: ArrayLike<number>,
  problem: MipProblem,
  value: (name: string) => number,
): Int16Array {
  const roster = Int16Array.from(incumbent);
  for (let i = 0; i < roster.length; i++) if (cm.pin[i] !== FREE) roster[i] = cm.pin[i]!;
  for (const cell of problem.freeCells) roster[cell] = OFF;
  for (const [name, v] of problem.xs) if (value(name) > 0.5) roster[v.e * cm.H + v.d] = v.t;
  return roster;
}

export interface MipRunOptions {
  timeLimitSec: number;
  seed?: number;
  /** Polled at HiGHS's MIP checkpoints: true interrupts the solve (cancel, time up). */
  shouldStop?: () => boolean;
  /** Each improving MIP solution, as a roster and its MIP objective + constant. */
  onImproving?: (roster: Int16Array, objective: number) => void;
}

export interface MipRunResult {
  /** Best roster found (null when none): still to be checked by the caller. */
  roster: Int16Array | null;
  objective: number | null;
  /** Optimal for the (sub-)problem. */
  optimal: boolean;
  status: number;
}

/**
 * Solves a built problem with HiGHS (synchronous, single-threaded WASM), the incumbent given
 * as the MIP start. The caller must re-check the roster (validator, scorer) before using it.
 */
export function runMip(
  highs: Highs,
  cm: CompiledModel,
  incumbent: ArrayLike<number>,
  problem: MipProblem,
  opts: MipRunOptions,
): MipRunResult {
  if (problem.infeasible) return { roster: null, objective: null, optimal: false, status: -1 };
  const model = highs.createModel({ format: 'lp', data: problem.lp });
  try {
    model.options.set({
      output_flag: false,
      time_limit: Math.max(0.05, opts.timeLimitSec),
      // The objective is integral: a gap below 1 is optimal.
      mip_abs_gap: 0.999,
      mip_rel_gap: 0,
      random_seed: (opts.seed ?? 0) % 2147483647,
    });
    const n = model.getDimensions().numCols;
    const names: string[] = [];
    for (let j = 0; j < n; j++) names.push(model.getColName(j));
    const colValue = new Float64Array(n);
    names.forEach((name, j) => (colValue[j] = problem.start.get(name) ?? 0));
    model.setSolution({ colValue });
    const toRoster = (values: ArrayLike<number>) => {
      const byName = new Map<string, number>();
      names.forEach((name, j) => byName.set(name, values[j]!));
      return rosterFromSolution(cm, incumbent, problem, (name) => byName.get(name) ?? 0);
    };
    const ct = highs.constants.callbackType;
    const result = model.run({
      [ct.mipInterrupt]: (event) => {
        if (opts.shouldStop?.()) event.interrupt();
        return undefined;
      },
      [ct.mipImprovingSolution]: (event) => {
        const sol = event.data.mip_solution;
        const obj = event.data.objective_function_value;
        if (opts.onImproving && sol && obj !== undefined)
          opts.onImproving(toRoster(sol), obj + problem.constant);
        return undefined;
      },
    });
    const status = result.modelStatus;
    const ok = model.info.get('primal_solution_status') === 2;
    if (!ok) return { roster: null, objective: null, optimal: false, status };
    const sol = model.getSolution();
    return {
      roster: toRoster(sol.colValue),
      objective: model.getObjectiveValue() + problem.constant,
      optimal: status === highs.constants.modelStatus.optimal,
      status,
    };
  } finally {
    model.dispose();
  }
}
