import type { RosterModel } from './model.js';
import { OFF } from './model.js';

export type HardRule =
  | 'H2_succession'
  | 'H3_max_shifts'
  | 'H4_min_minutes'
  | 'H4_max_minutes'
  | 'H5_max_consecutive'
  | 'H6_min_consecutive'
  | 'H7_min_days_off'
  | 'H8_max_weekends'
  | 'H9_day_off'
  | 'pin'
  | 'hard_cover';

export interface Violation {
  rule: HardRule;
  /** Employee id (absent for cover rules). */
  employee?: string;
  day?: number;
  shift?: string;
  detail: string;
}

/**
 * Hard-rule check written straight from FORMAT.md section 3, deliberately independent of
 * the solver's data structures so that it can catch the solver's mistakes.
 */
export function validateRoster(model: RosterModel, roster: ArrayLike<number>): Violation[] {
  const H = model.days;
  const out: Violation[] = [];
  const sid = (t: number) => model.shifts[t]!.id;
  model.employees.forEach((emp, e) => {
    const r = (d: number) => roster[e * H + d]!;
    for (let d = 0; d + 1 < H; d++) {
      const a = r(d);
      const b = r(d + 1);
      if (a !== OFF && b !== OFF && model.shifts[a]!.cannotFollow.includes(b))
        out.push({
          rule: 'H2_succession',
          employee: emp.id,
          day: d + 1,
          shift: sid(b),
          detail: `${sid(b)} after ${sid(a)}`,
        });
    }
    const counts = model.shifts.map(() => 0);
    let minutes = 0;
    for (let d = 0; d < H; d++) {
      const t = r(d);
      if (t === OFF) continue;
      counts[t]!++;
      minutes += model.shifts[t]!.minutes;
    }
    counts.forEach((c, t) => {
      const lim = emp.maxShifts[t] ?? H;
      if (c > lim)
        out.push({
          rule: 'H3_max_shifts',
          employee: emp.id,
          shift: sid(t),
          detail: `${c} > ${lim}`,
        });
    });
    if (minutes < emp.minMinutes)
      out.push({
        rule: 'H4_min_minutes',
        employee: emp.id,
        detail: `${minutes} < ${emp.minMinutes}`,
      });
    if (minutes > emp.maxMinutes)
      out.push({
        rule: 'H4_max_minutes',
        employee: emp.id,
        detail: `${minutes} > ${emp.maxMinutes}`,
      });
    let start = 0;
    while (start < H) {
      const working = r(start) !== OFF;
      let end = start;
      while (end + 1 < H && (r(end + 1) !== OFF) === working) end++;
      const length = end - start + 1;
      const border = start === 0 || end === H - 1;
      if (working && length > emp.maxConsecutive)
        out.push({
          rule: 'H5_max_consecutive',
          employee: emp.id,
          day: start,
          detail: `${length} > ${emp.maxConsecutive}`,
        });
      if (working && !border && length < emp.minConsecutive)
        out.push({
          rule: 'H6_min_consecutive',
          employee: emp.id,
          day: start,
          detail: `${length} < ${emp.minConsecutive}`,
        });
      if (!working && !border && length < emp.minConsecutiveDaysOff)
        out.push({
          rule: 'H7_min_days_off',
          employee: emp.id,
          day: start,
          detail: `${length} < ${emp.minConsecutiveDaysOff}`,
        });
      start = end + 1;
    }
    const weekends = model.weekends.filter((days) => days.some((d) => r(d) !== OFF)).length;
    if (weekends > emp.maxWeekends)
      out.push({
        rule: 'H8_max_weekends',
        employee: emp.id,
        detail: `${weekends} > ${emp.maxWeekends}`,
      });
    for (const d of emp.daysOff)
      if (r(d) !== OFF)
        out.push({
          rule: 'H9_day_off',
          employee: emp.id,
          day: d,
          shift: sid(r(d)),
          detail: 'works on a day off',
        });
  });
  for (const p of model.pins ?? []) {
    const got = roster[p.employee * H + p.day]!;
    if (got !== p.shift)
      out.push({
        rule: 'pin',
        employee: model.employees[p.employee]!.id,
        day: p.day,
        detail: `pinned ${p.shift === OFF ? 'off' : sid(p.shift)}`,
      });
  }
  for (const c of model.cover) {
    if (!c.hardMin) continue;
    let n = 0;
    for (let e = 0; e < model.employees.length; e++) if (roster[e * H + c.day] === c.shift) n++;
    if (n < c.hardMin)
      out.push({
        rule: 'hard_cover',
        day: c.day,
        shift: sid(c.shift),
        detail: `${n} < ${c.hardMin}`,
      });
  }
  return out;
}
