import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { classifyAttendance, owedInterval } from './check-in.js';

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

describe('owedInterval', () => {
  it('relieves the start, the end, all or none of a shift', () => {
    const at = (a: number, b: number) => ({ startMs: a * M, endMs: b * M });
    expect(owedInterval(shift, [])).toEqual(shift);
    expect(owedInterval(shift, [at(900, 1100)])).toEqual(at(1100, 1480));
    expect(owedInterval(shift, [at(1400, 1600)])).toEqual(at(1000, 1400));
    expect(owedInterval(shift, [at(1100, 1200)])).toEqual(shift);
    expect(owedInterval(shift, [at(1000, 1480)])).toBeNull();
    // Two overrides end to end cover it all, in either order.
    expect(owedInterval(shift, [at(1200, 1500), at(990, 1200)])).toBeNull();
  });

  it('owes a part of the shift that no override covers, or nothing when they cover it all', () => {
    const cover = fc
      .tuple(fc.integer({ min: 900, max: 1600 }), fc.integer({ min: 1, max: 400 }))
      .map(([a, len]) => ({ startMs: a * M, endMs: (a + len) * M }));
    fc.assert(
      fc.property(fc.array(cover, { maxLength: 5 }), (covers) => {
        const owed = owedInterval(shift, covers);
        // Sample the shift minute by minute: which minutes are covered.
        const covered = (t: number) => covers.some((c) => c.startMs <= t && t < c.endMs);
        const minutes = Array.from({ length: 480 }, (_, i) => shift.startMs + i * M);
        if (owed === null) {
          expect(minutes.every(covered)).toBe(true);
          return;
        }
        expect(owed.startMs).toBeGreaterThanOrEqual(shift.startMs);
        expect(owed.endMs).toBeLessThanOrEqual(shift.endMs);
        expect(owed.startMs).toBeLessThan(owed.endMs);
        // Its first and last minutes are not covered; everything cut off before it is.
        expect(covered(owed.startMs)).toBe(false);
        expect(covered(owed.endMs - M)).toBe(false);
        for (const t of minutes) {
          if (t < owed.startMs || t >= owed.endMs) expect(covered(t)).toBe(true);
        }
      }),
    );
  });
});
