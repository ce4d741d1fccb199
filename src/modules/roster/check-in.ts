import type { Interval } from './shift-time.js';

export interface AttendanceConfig {
  /** Arriving this many minutes before the start is the expected handover arrival. */
  earlyMinutes: number;
  /** A check-in up to this many minutes after the start still counts as on time. */
  graceMinutes: number;
  /** Leaving up to this many minutes before the end is not an early leave. */
  earlyLeaveGraceMinutes: number;
}

export const defaultAttendanceConfig: AttendanceConfig = {
  earlyMinutes: 15,
  graceMinutes: 0,
  earlyLeaveGraceMinutes: 0,
};

/** What a check-in (or its absence) makes of a shift. */
export type JudgedArrival = 'early' | 'on_time' | 'late' | 'missing' | 'pending';
export type JudgedDeparture = 'ok' | 'early_leave' | 'no_check_out' | 'pending';
/** And, on the attendance report, `replaced`: an emergency override handed the whole shift to
 * someone else; `override`: on duty by an emergency override (no check-in is asked of it). */
export type Arrival = JudgedArrival | 'replaced' | 'override';
export type Departure = JudgedDeparture | 'replaced' | 'override';

export interface Attendance<A extends Arrival = Arrival, D extends Departure = Departure> {
  /** early: at least `earlyMinutes` before the start (handover as expected). */
  arrival: A;
  departure: D;
  lateMinutes: number;
  earlyLeaveMinutes: number;
}

const MIN = 60_000;

/**
 * Attendance of one assignment from its check-in and check-out, judged at `now`. A check-in at
 * or after the end counts as missing; a check-out before the check-in is ignored.
 */
export function classifyAttendance(
  shift: Interval,
  checkInMs: number | undefined,
  checkOutMs: number | undefined,
  now: number,
  config: AttendanceConfig = defaultAttendanceConfig,
): Attendance<JudgedArrival, JudgedDeparture> {
  let arrival: JudgedArrival;
  let lateMinutes = 0;
  const checkedIn = checkInMs !== undefined && checkInMs < shift.endMs;
  if (!checkedIn) {
    arrival = now >= shift.endMs ? 'missing' : 'pending';
  } else if (checkInMs <= shift.startMs - config.earlyMinutes * MIN) {
    arrival = 'early';
  } else if (checkInMs <= shift.startMs + config.graceMinutes * MIN) {
    arrival = 'on_time';
  } else {
    arrival = 'late';
    lateMinutes = Math.ceil((checkInMs - shift.startMs) / MIN);
  }
  let departure: JudgedDeparture;
  let earlyLeaveMinutes = 0;
  const out =
    checkedIn && checkOutMs !== undefined && checkOutMs >= checkInMs ? checkOutMs : undefined;
  if (!checkedIn) departure = now >= shift.endMs ? 'no_check_out' : 'pending';
  else if (out === undefined) departure = now >= shift.endMs ? 'no_check_out' : 'pending';
  else if (out < shift.endMs - config.earlyLeaveGraceMinutes * MIN) {
    departure = 'early_leave';
    earlyLeaveMinutes = Math.ceil((shift.endMs - out) / MIN);
  } else departure = 'ok';
  return { arrival, departure, lateMinutes, earlyLeaveMinutes };
}

/**
 * The part of a shift its person still owes after emergency overrides that replace them:
 * overrides covering the start move the start to where they end, those covering the end move
 * the end to where they begin (so a relieved person is neither late nor leaving early). An
 * override in the middle leaves the shift whole. Null when the overrides cover all of it.
 */
export function owedInterval(shift: Interval, covers: readonly Interval[]): Interval | null {
  let { startMs, endMs } = shift;
  let moved = true;
  while (moved && startMs < endMs) {
    moved = false;
    for (const c of covers) {
      if (c.startMs <= startMs && c.endMs > startMs) {
        startMs = c.endMs;
        moved = true;
      }
      if (c.endMs >= endMs && c.startMs < endMs) {
        endMs = c.startMs;
        moved = true;
      }
    }
  }
  return startMs < endMs ? { startMs, endMs } : null;
}
