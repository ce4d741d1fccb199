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

export type Arrival = 'early' | 'on_time' | 'late' | 'missing' | 'pending';
export type Departure = 'ok' | 'early_leave' | 'no_check_out' | 'pending';

export interface Attendance {
  /** early: at least `earlyMinutes` before the start (handover as expected). */
  arrival: Arrival;
  departure: Departure;
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
): Attendance {
  let arrival: Arrival;
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
  let departure: Departure;
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
