import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { classifyAttendance } from './check-in.js';

const M = 60_000;
const shift = { startMs: 1000 * M, endMs: 1480 * M };

describe('classifyAttendance', () => {
  it('classifies handover arrival, on time, late, missing and early leave', () => {
    const end = shift.endMs + M;
    expect(classifyAttendance(shift, 985 * M, 1480 * M, end)).toEqual({
      arrival: 'early',
      departure: 'ok',
      lateMinutes: 0,
      earlyLeaveMinutes: 0,
    });
    expect(classifyAttendance(shift, 990 * M, 1480 * M, end).arrival).toBe('on_time');
    expect(classifyAttendance(shift, 1007 * M, 1400 * M, end)).toEqual({
      arrival: 'late',
      departure: 'early_leave',
      lateMinutes: 7,
      earlyLeaveMinutes: 80,
    });
    expect(classifyAttendance(shift, undefined, undefined, end).arrival).toBe('missing');
    expect(classifyAttendance(shift, undefined, undefined, shift.startMs + M).arrival).toBe(
      'pending',
    );
    expect(
      classifyAttendance(shift, 1003 * M, undefined, end, {
        earlyMinutes: 15,
        graceMinutes: 5,
        earlyLeaveGraceMinutes: 0,
      }).arrival,
    ).toBe('on_time');
    expect(classifyAttendance(shift, 995 * M, undefined, end).departure).toBe('no_check_out');
  });

  it('property: arrival class is monotone in the check-in time', () => {
    const rank = { early: 0, on_time: 1, late: 2, missing: 3, pending: 3 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const ra = rank[classifyAttendance(shift, a * M, undefined, 5000 * M).arrival];
        const rb = rank[classifyAttendance(shift, b * M, undefined, 5000 * M).arrival];
        expect(ra).toBeLessThanOrEqual(rb);
      }),
    );
  });

  it('property: late and early-leave minutes are positive exactly when so classified', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 900, max: 1600 }),
        fc.integer({ min: 900, max: 1700 }),
        (i, o) => {
          const r = classifyAttendance(shift, i * M, o * M, 5000 * M);
          expect(r.lateMinutes > 0).toBe(r.arrival === 'late');
          expect(r.earlyLeaveMinutes > 0).toBe(r.departure === 'early_leave');
          if (r.arrival !== 'missing')
            expect(['ok', 'early_leave', 'no_check_out']).toContain(r.departure);
        },
      ),
    );
  });
});
