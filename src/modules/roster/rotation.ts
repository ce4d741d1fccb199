import type { Assignment, ShiftType } from './roster.schema.js';
import { addDays, datesInRange, daysBetween } from './local-date.js';
import { invalid } from '../../lib/errors.js';

/** One step per day: a shift code, or null for a day off. */
export type RotationPattern = readonly (string | null)[];

/** Parse 'D,E,N,-,-' style patterns; '-' or '' is a day off. */
export function parsePattern(text: string): RotationPattern {
  return text.split(',').map((s) => {
    const t = s.trim();
    return t === '' || t === '-' ? null : t;
  });
}

/** n days on `code`, then m days off (4-on-4-off = onOff('D', 4, 4)). */
export function onOff(code: string, on: number, off: number): RotationPattern {
  return [...Array<string>(on).fill(code), ...Array<null>(off).fill(null)];
}

/**
 * Weekly rotation across a group: a week on each code in turn. Give member i the offset
 * `7 * i` (see groupOffsets) so that every week each code is held by someone.
 * `workDays` is how many days of each week are worked (the rest are off).
 */
export function weeklyRotation(codes: readonly string[], workDays = 7): RotationPattern {
  return codes.flatMap((c) => [
    ...Array<string>(workDays).fill(c),
    ...Array<null>(7 - workDays).fill(null),
  ]);
}

/** Offsets that spread a group evenly over a pattern: member i starts `i * stride` steps in. */
export function groupOffsets(personIds: readonly string[], stride: number): Map<string, number> {
  return new Map(personIds.map((p, i) => [p, i * stride]));
}

export interface RotationMember {
  personId: string;
  postId: string;
  /** Steps into the pattern this person is on the anchor date. */
  offset: number;
}

export interface ApplyRotationInput {
  pattern: RotationPattern;
  /**
   * The date on which offset 0 is at step 0. Keep it fixed for a team's rotation so that
   * consecutive months continue the cycle instead of restarting it.
   */
  anchorDate: string;
  members: readonly RotationMember[];
  periodStart: string;
  periodEnd: string;
  shiftTypes: readonly ShiftType[];
}

/** Step of the pattern a member stands on at `date` (works for dates before the anchor too). */
export function patternStep(
  pattern: RotationPattern,
  anchorDate: string,
  offset: number,
  date: string,
): number {
  const n = pattern.length;
  return (((daysBetween(anchorDate, date) + offset) % n) + n) % n;
}

/** Assignments for every member and day of the period from a rotation pattern. */
export function applyRotation(input: ApplyRotationInput): Assignment[] {
  const { pattern } = input;
  if (pattern.length === 0) throw invalid('pattern', 'roster.errors.patternEmpty');
  const byCode = new Map(input.shiftTypes.map((s) => [s.code, s]));
  pattern.forEach((code, i) => {
    if (code !== null && !byCode.has(code)) {
      throw invalid(`pattern[${i}]`, 'roster.errors.unknownShiftCode', { code });
    }
  });
  const out: Assignment[] = [];
  const dates = datesInRange(input.periodStart, input.periodEnd);
  for (const m of input.members) {
    for (const date of dates) {
      const code = pattern[patternStep(pattern, input.anchorDate, m.offset, date)];
      if (code === null || code === undefined) continue;
      out.push({ personId: m.personId, postId: m.postId, shiftTypeId: byCode.get(code)!.id, date });
    }
  }
  return out;
}

export type CopyAlignment = 'weekday' | 'date';

/**
 * Copy a previous period's assignments into a new period.
 *
 * - 'date': day-of-month to day-of-month (the 5th gets what the 5th had); new days the old
 *   period lacks (the 31st after a 30-day month) stay empty. Meant for periods of a month or
 *   less; in a longer old period the first date with that day number is used.
 * - 'weekday': every new date copies the date a whole number of weeks earlier, so Mondays get
 *   Mondays. The shift is the multiple of 7 nearest to the distance between the two period
 *   starts (28 for consecutive months); a source date that falls outside the old period is
 *   moved one more week back (or forward) to land inside it.
 */
export function copyPeriod(
  previous: readonly Assignment[],
  prevStart: string,
  prevEnd: string,
  nextStart: string,
  nextEnd: string,
  alignment: CopyAlignment,
): Assignment[] {
  const byDate = new Map<string, Assignment[]>();
  for (const a of previous) {
    if (a.date < prevStart || a.date > prevEnd) continue;
    const list = byDate.get(a.date) ?? [];
    list.push(a);
    byDate.set(a.date, list);
  }
  const shift = 7 * Math.round(daysBetween(prevStart, nextStart) / 7);
  // Day of month → the old period's (first) date with that day; a 30-day month has no '31'.
  const byDayOfMonth = new Map<string, string>();
  for (const d of datesInRange(prevStart, prevEnd)) {
    if (!byDayOfMonth.has(d.slice(8))) byDayOfMonth.set(d.slice(8), d);
  }
  const out: Assignment[] = [];
  for (const date of datesInRange(nextStart, nextEnd)) {
    let source: string | undefined;
    if (alignment === 'date') {
      source = byDayOfMonth.get(date.slice(8));
    } else {
      let s = addDays(date, -shift);
      while (s > prevEnd) s = addDays(s, -7);
      while (s < prevStart) s = addDays(s, 7);
      if (s <= prevEnd) source = s;
    }
    if (source === undefined) continue;
    for (const a of byDate.get(source) ?? []) {
      out.push({ personId: a.personId, postId: a.postId, shiftTypeId: a.shiftTypeId, date });
    }
  }
  return out;
}
