import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addDays,
  daysBetween,
  fromEpochDay,
  isLocalDate,
  isoWeekKey,
  isoWeekday,
  toEpochDay,
} from './local-date.js';

const dayArb = fc.integer({ min: toEpochDay('1900-01-01'), max: toEpochDay('2200-12-31') });

describe('local dates', () => {
  it('refuses impossible dates', () => {
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('26-01-01')).toBe(false);
  });

  it('knows ISO weeks at year ends', () => {
    expect(isoWeekKey('2026-01-01')).toBe('2026-W01');
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53');
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01');
  });

  it('property: agrees with luxon on weekday, ISO week and day arithmetic', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -800, max: 800 }), (day, n) => {
        const date = fromEpochDay(day);
        expect(toEpochDay(date)).toBe(day);
        const l = DateTime.fromISO(date, { zone: 'UTC' });
        expect(isoWeekday(date)).toBe(l.weekday);
        expect(isoWeekKey(date)).toBe(`${l.weekYear}-W${String(l.weekNumber).padStart(2, '0')}`);
        expect(addDays(date, n)).toBe(l.plus({ days: n }).toISODate());
        expect(daysBetween(date, addDays(date, n))).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });
});
