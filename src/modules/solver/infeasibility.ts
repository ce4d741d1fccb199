import { BestResponse, windowBounds } from './best-response.js';
import type { RosterModel } from './model.js';
import { OFF, compile, emptyRoster } from './model.js';

/** Why no roster can exist: the rule, and where (employee id, day, shift id). */
export interface InfeasibilityReason {
  rule: string;
  messageKey: string;
  employee?: string;
  day?: number;
  shift?: string;
  detail: string;
}

/**
 * Fast checks that prove infeasibility and say why. Cheap counting bounds first; then, where
 * the state space is small, the exact per-employee DP with zero costs (every hard rule is per
 * employee, so an employee with no valid roster makes the whole instance infeasible).
 */
export function findInfeasibility(
  model: RosterModel,
  opts: { now?: () => number; exactBudgetMs?: number } = {},
): InfeasibilityReason[] {
  const out: InfeasibilityReason[] = [];
  const H = model.days;
  const pins = model.pins ?? [];
  const pinAt = new Map<number, number>();
  const label = (t: number) => (t === OFF ? '-' : model.shifts[t]!.id);
  for (const p of pins) {
    const before = pinAt.get(p.employee * H + p.day);
    // Two pins on one cell that disagree: no roster keeps both.
    if (before !== undefined && before !== p.shift)
      out.push({
        rule: 'pin',
        messageKey: 'solver.infeasible.pinConflict',
        employee: model.employees[p.employee]!.id,
        day: p.day,
        shift: label(p.shift),
        detail: `pinned ${label(before)} and ${label(p.shift)}`,
      });
    pinAt.set(p.employee * H + p.day, p.shift);
  }
  model.employees.forEach((emp, e) => {
    const sid = (t: number) => model.shifts[t]!.id;
    if (emp.minMinutes > emp.maxMinutes) {
      out.push({
        rule: 'H4_min_minutes',
        messageKey: 'solver.infeasible.minAboveMax',
        employee: emp.id,
        detail: `min minutes ${emp.minMinutes} > max minutes ${emp.maxMinutes}`,
      });
      return;
    }
    const off = new Set(emp.daysOff);
    for (const d of emp.daysOff) {
      const p = pinAt.get(e * H + d);
      if (p !== undefined && p !== OFF)
        out.push({
          rule: 'pin',
          messageKey: 'solver.infeasible.pinOnDayOff',
          employee: emp.id,
          day: d,
          shift: sid(p),
          detail: 'pinned to work on a day off',
        });
    }
    for (const p of pins) {
      if (p.employee !== e || p.shift === OFF) continue;
      if ((emp.maxShifts[p.shift] ?? H) <= 0)
        out.push({
          rule: 'H3_max_shifts',
          messageKey: 'solver.infeasible.pinForbiddenShift',
          employee: emp.id,
          day: p.day,
          shift: sid(p.shift),
          detail: 'pinned to a shift type the employee may not work',
        });
      const nextPin = pinAt.get(e * H + p.day + 1);
      if (
        p.day + 1 < H &&
        nextPin !== undefined &&
        nextPin !== OFF &&
        model.shifts[p.shift]!.cannotFollow.includes(nextPin)
      )
        out.push({
          rule: 'H2_succession',
          messageKey: 'solver.infeasible.pinSuccession',
          employee: emp.id,
          day: p.day + 1,
          shift: sid(nextPin),
          detail: `pinned ${sid(nextPin)} after ${sid(p.shift)}`,
        });
    }
    // Upper bound on working days from availability and the max-consecutive rule.
    const available = H - off.size;
    const cycle = emp.maxConsecutive + Math.max(1, emp.minConsecutiveDaysOff);
    const seqBound =
      Math.floor(H / cycle) * emp.maxConsecutive + Math.min(H % cycle, emp.maxConsecutive);
    let days = Math.min(available, seqBound);
    const lengths = model.shifts
      .map((s, t) => ({ minutes: s.minutes, cap: emp.maxShifts[t] ?? H }))
      .filter((x) => x.cap > 0)
      .sort((x, y) => y.minutes - x.minutes);
    let maxMinutes = 0;
    for (const l of lengths) {
      const n = Math.min(days, l.cap);
      maxMinutes += n * l.minutes;
      days -= n;
    }
    if (maxMinutes < emp.minMinutes)
      out.push({
        rule: 'H4_min_minutes',
        messageKey: 'solver.infeasible.cannotReachMinMinutes',
        employee: emp.id,
        detail: `at most ${maxMinutes} minutes can be worked, ${emp.minMinutes} required`,
      });
  });
  for (const c of model.cover) {
    if (!c.hardMin) continue;
    let eligible = 0;
    model.employees.forEach((emp, e) => {
      const p = pinAt.get(e * H + c.day);
      if (p !== undefined) {
        if (p === c.shift) eligible++;
        return;
      }
      if (!emp.daysOff.includes(c.day) && (emp.maxShifts[c.shift] ?? H) > 0) eligible++;
    });
    if (eligible < c.hardMin)
      out.push({
        rule: 'hard_cover',
        messageKey: 'solver.infeasible.notEnoughPeople',
        day: c.day,
        shift: model.shifts[c.shift]!.id,
        detail: `${c.hardMin} people required, ${eligible} can work it`,
      });
  }
  if (out.length > 0) return out;
  // Exact per-employee check where the DP is small.
  const cm = compile(model);
  const roster = emptyRoster(model);
  const br = new BestResponse(cm);
  const cost = new Float64Array(H * (cm.T + 1));
  const res = new Int16Array(H);
  // The exact check is a bonus (it explains contradictions the bounds miss): keep it within a
  // small budget so that large instances start searching at once.
  const now = opts.now ?? (() => performance.now());
  const budget = opts.exactBudgetMs ?? 2000;
  const t0 = now();
  model.employees.forEach((emp, e) => {
    if (now() - t0 > budget) return;
    const bounds = windowBounds(cm, roster, e, 0, H - 1);
    if (br.estimate(roster, e, 0, H - 1, bounds) > 2_000_000) return;
    if (br.solve(roster, e, 0, H - 1, cost, bounds, res) === Number.POSITIVE_INFINITY)
      out.push({
        rule: 'employee_rules',
        messageKey: 'solver.infeasible.employeeRules',
        employee: emp.id,
        detail:
          'no roster satisfies all of this employee’s rules together (days off, runs, minutes, weekends)',
      });
  });
  return out;
}
