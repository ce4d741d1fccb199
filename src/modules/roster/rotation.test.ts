import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  applyRotation,
  copyPeriod,
  groupOffsets,
  onOff,
  parsePattern,
  patternStep,
  weeklyRotation,
} from './rotation.js';
import { shiftTypes } from './fixtures.test-helpers.js';
import { addDays, datesInRange, isoWeekday } from './local-date.js';
import { DomainError } from '../../lib/errors.js';

const codeOf = new Map(shiftTypes.map((s) => [s.id, s.code]));

describe('rotation patterns', () => {
  it('applies 早-中-夜-休-休 with a start offset per person', () => {
    const as = applyRotation({
      pattern: parsePattern('D,E,N,-,-'),
      anchorDate: '2026-03-01',
      members: [
        { personId: 'a', postId: 'p', offset: 0 },
        { personId: 'b', postId: 'p', offset: 2 },
      ],
      periodStart: '2026-03-01',
      periodEnd: '2026-03-06',
      shiftTypes,
    });
    const line = (p: string) =>
      datesInRange('2026-03-01', '2026-03-06').map((d) => {
        const x = as.find((a) => a.personId === p && a.date === d);
        return x ? codeOf.get(x.shiftTypeId) : '-';
      });
    expect(line('a').join('')).toBe('DEN--D');
    expect(line('b').join('')).toBe('N--DEN');
  });

  it('continues the cycle into the next month instead of restarting it', () => {
    const run = (start: string, end: string) =>
      applyRotation({
        pattern: onOff('D', 4, 4),
        anchorDate: '2026-01-01',
        members: [{ personId: 'a', postId: 'p', offset: 0 }],
        periodStart: start,
        periodEnd: end,
        shiftTypes,
      });
    const whole = run('2026-02-01', '2026-03-31').map((a) => a.date);
    const split = [...run('2026-02-01', '2026-02-28'), ...run('2026-03-01', '2026-03-31')].map(
      (a) => a.date,
    );
    expect(split).toEqual(whole);
    // 1 Jan is step 0: 1–4 Jan on, 5–8 off … 1 Feb is day 31 → step 7 (off).
    expect(whole[0]).toBe('2026-02-02');
  });

  it('rotates a group weekly so each week every code is held', () => {
    const pattern = weeklyRotation(['D', 'E', 'N']);
    const offsets = groupOffsets(['a', 'b', 'c'], 7);
    const as = applyRotation({
      pattern,
      anchorDate: '2026-03-02',
      members: [...offsets].map(([personId, offset]) => ({ personId, postId: 'p', offset })),
      periodStart: '2026-03-02',
      periodEnd: '2026-03-29',
      shiftTypes,
    });
    for (const d of datesInRange('2026-03-02', '2026-03-29')) {
      expect(
        as
          .filter((a) => a.date === d)
          .map((a) => codeOf.get(a.shiftTypeId))
          .sort(),
      ).toEqual(['D', 'E', 'N']);
    }
  });

  it('refuses an unknown shift code in a pattern, naming it', () => {
    try {
      applyRotation({
        pattern: ['D', 'Q'],
        anchorDate: '2026-03-01',
        members: [],
        periodStart: '2026-03-01',
        periodEnd: '2026-03-02',
        shiftTypes,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).params).toMatchObject({ code: 'Q', field: 'pattern[1]' });
    }
  });

  it('property: the step advances by one per day, also before the anchor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.integer({ min: -50, max: 50 }),
        (n, dayOffset, offset) => {
          const pattern = Array.from({ length: n }, () => null);
          const d = addDays('2026-06-15', dayOffset);
          const s = patternStep(pattern, '2026-06-15', offset, d);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThan(n);
          expect(patternStep(pattern, '2026-06-15', offset, addDays(d, 1))).toBe((s + 1) % n);
        },
      ),
    );
  });
});

describe('copyPeriod', () => {
  const prev = datesInRange('2026-02-01', '2026-02-28').map((date) => ({
    personId: 'a',
    postId: 'p',
    shiftTypeId: 'st-d',
    date,
  }));
  it('aligns by weekday: every copied day has the weekday of its source', () => {
    const src = prev.filter((a) => isoWeekday(a.date) === 1); // Mondays only
    const out = copyPeriod(src, '2026-02-01', '2026-02-28', '2026-03-01', '2026-03-31', 'weekday');
    expect(out.every((a) => isoWeekday(a.date) === 1)).toBe(true);
    expect(out.map((a) => a.date)).toEqual([
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
      '2026-03-23',
      '2026-03-30',
    ]);
  });
  it('property: weekday copies keep weekdays and fill every new day of consecutive months', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const start = `${y}-${String(m).padStart(2, '0')}-01`;
        const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
        const end = addDays(next, -1);
        const nextEnd = addDays(
          m >= 11
            ? `${y + 1}-${String(((m + 1) % 12) + 1).padStart(2, '0')}-01`
            : `${y}-${String(m + 2).padStart(2, '0')}-01`,
          -1,
        );
        const src = datesInRange(start, end).map((date) => ({
          personId: date,
          postId: 'p',
          shiftTypeId: 'st-d',
          date,
        }));
        const out = copyPeriod(src, start, end, next, nextEnd, 'weekday');
        expect(out.map((a) => a.date)).toEqual(datesInRange(next, nextEnd));
        for (const a of out) expect(isoWeekday(a.date)).toBe(isoWeekday(a.personId));
      }),
    );
  });

  it('aligns by date and leaves days the old month lacks empty', () => {
    const out = copyPeriod(prev, '2026-02-01', '2026-02-28', '2026-03-01', '2026-03-31', 'date');
    expect(out).toHaveLength(28);
    expect(out.at(-1)!.date).toBe('2026-03-28');
  });
});
