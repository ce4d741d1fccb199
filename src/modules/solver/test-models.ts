import type { EmployeeRules, RosterModel, ShiftType } from './model.js';
import { weekendsFor } from './model.js';

/**
 * For tests: a model of `days` days starting on a Monday, with no requests, every shift of every
 * day asked `requirement(day, shift)` people (under-cover weight 100, over-cover 1).
 */
export function coverModel(
  days: number,
  shifts: ShiftType[],
  employees: EmployeeRules[],
  requirement: (day: number, shift: number) => number,
): RosterModel {
  const cover = [];
  for (let d = 0; d < days; d++)
    for (let t = 0; t < shifts.length; t++)
      cover.push({
        day: d,
        shift: t,
        requirement: requirement(d, t),
        underWeight: 100,
        overWeight: 1,
      });
  return {
    days,
    shifts,
    employees,
    onRequests: [],
    offRequests: [],
    cover,
    weekends: weekendsFor(days),
  };
}
