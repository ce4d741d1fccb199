import { IANAZone } from 'luxon';
import type { ShiftType } from './roster.schema.js';
import { shiftMinutes } from './roster.schema.js';
import { addDays, toEpochDay } from './local-date.js';

/** A half-open UTC interval [startMs, endMs). */
export interface Interval {
  startMs: number;
  endMs: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

function zoneOf(timeZone: string): IANAZone {
  const z = IANAZone.create(timeZone);
  if (!z.isValid) throw new RangeError(`unknown time zone: ${timeZone}`);
  return z;
}

/**
 * The UTC instant at which the wall clock in `timeZone` shows `date` `minutes` after midnight
 * (minutes may exceed 1440 for the next day).
 *
 * Two wall-clock times need a rule, and we fix our own rather than inherit luxon's (which
 * picks differently per zone for repeated times):
 * - a time that does not exist (spring-forward gap) moves forward by the length of the gap,
 *   i.e. 02:30 on a 02:00→03:00 night is 03:30 — the clock "reads on" as if it had not jumped;
 * - a time that occurs twice (fall-back) is its first occurrence.
 */
export function localToUtc(date: string, minutes: number, timeZone: string): number {
  const zone = zoneOf(timeZone);
  const naive = toEpochDay(date) * DAY + minutes * MINUTE;
  const before = zone.offset(naive - DAY);
  const after = zone.offset(naive + DAY);
  const candidates = new Set([before, zone.offset(naive), after]);
  let best: number | undefined;
  for (const off of candidates) {
    const instant = naive - off * MINUTE;
    if (zone.offset(instant) === off && (best === undefined || instant < best)) best = instant;
  }
  // In a gap no offset fits: read the wall time with the offset in force before the jump.
  return best ?? naive - before * MINUTE;
}

/**
 * The UTC interval of a shift of type `shift` starting on local `date` in `timeZone`. An
 * overnight shift (end ≤ start) ends on the next local day. Over a DST change the interval
 * keeps its wall-clock ends, so a 22:00–08:00 night lasts 9 h over spring-forward and 11 h over
 * fall-back. Ends inside a gap move forward with it (see localToUtc), so a shift whose wall
 * times differ never comes out empty.
 */
export function shiftInterval(
  date: string,
  shift: Pick<ShiftType, 'start' | 'end'>,
  timeZone: string,
): Interval {
  const [a, b] = shiftMinutes(shift);
  const startMs = localToUtc(date, a, timeZone);
  const endMs =
    b >= 1440 ? localToUtc(addDays(date, 1), b - 1440, timeZone) : localToUtc(date, b, timeZone);
  return { startMs, endMs: Math.max(startMs, endMs) };
}

/** Wall-clock length of a shift type in minutes, ignoring DST. */
export function nominalMinutes(shift: Pick<ShiftType, 'start' | 'end'>): number {
  const [a, b] = shiftMinutes(shift);
  return b - a;
}

/** Minutes actually worked in an interval of this shift: real length minus the break, never < 0. */
export function workedMinutes(interval: Interval, shift: Pick<ShiftType, 'breakMinutes'>): number {
  return Math.max(0, (interval.endMs - interval.startMs) / MINUTE - shift.breakMinutes);
}

/** Whether the shift counts as a night: explicit flag, else it crosses local midnight. */
export function isNightShift(shift: Pick<ShiftType, 'start' | 'end' | 'night'>): boolean {
  if (shift.night !== undefined) return shift.night;
  return shiftMinutes(shift)[1] > 1440;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

/** Local date ('YYYY-MM-DD') in `timeZone` of a UTC instant. */
export function localDateOf(ms: number, timeZone: string): string {
  const zone = zoneOf(timeZone);
  const local = ms + zone.offset(ms) * MINUTE;
  return new Date(Math.floor(local / DAY) * DAY).toISOString().slice(0, 10);
}
