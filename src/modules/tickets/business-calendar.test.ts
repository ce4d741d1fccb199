import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import cn2026 from './calendars/cn-2026.json' with { type: 'json' };
import {
  addBusinessMinutes,
  addBusinessMs,
  businessMinutesBetween,
  businessMsBetween,
  defineCalendar,
  isWorkingAt,
  nextWorkingInstant,
  parseHolidayList,
  parseHolidayText,
  TWENTY_FOUR_SEVEN,
  WEEKDAY_KEYS,
  withHolidayList,
  type BusinessCalendar,
} from './business-calendar.js';
import { DomainError } from '../../lib/errors.js';

const at = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const shanghaiOffice = withHolidayList(
  defineCalendar({
    kind: 'hours',
    zone: 'Asia/Shanghai',
    weekly: Object.fromEntries(
      WEEKDAY_KEYS.slice(0, 5).map((k) => [k, ['09:00-12:00', '13:30-18:00']]),
    ),
  }),
  parseHolidayList(cn2026),
);
const allDay = (zone: string) =>
  defineCalendar({
    kind: 'hours',
    zone,
    weekly: Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, ['00:00-24:00']])),
  });

describe('business calendar, hand-checked examples', () => {
  it('skips the lunch break', () => {
    expect(addBusinessMinutes(shanghaiOffice, at('2026-11-20T11:30+08:00'), 60)).toBe(
      at('2026-11-20T14:00+08:00'),
    );
    expect(isWorkingAt(shanghaiOffice, at('2026-11-20T12:30+08:00'))).toBe(false);
    expect(isWorkingAt(shanghaiOffice, at('2026-11-20T13:30+08:00'))).toBe(true);
  });

  it('jumps the National Day holiday week (2026-10-01..07)', () => {
    expect(addBusinessMinutes(shanghaiOffice, at('2026-09-30T17:00+08:00'), 120)).toBe(
      at('2026-10-08T10:00+08:00'),
    );
  });

  it('works the adjusted Saturday 2026-02-14 (调休) and skips Spring Festival', () => {
    expect(addBusinessMinutes(shanghaiOffice, at('2026-02-13T17:00+08:00'), 120)).toBe(
      at('2026-02-14T10:00+08:00'),
    );
    // Fri 13th 450 + Sat 14th 450 (调休) + Tue 24th 450; 15th–23rd are holidays.
    expect(
      businessMinutesBetween(
        shanghaiOffice,
        at('2026-02-13T00:00+08:00'),
        at('2026-02-25T00:00+08:00'),
      ),
    ).toBe(1350);
    expect(isWorkingAt(shanghaiOffice, at('2026-02-16T10:00+08:00'))).toBe(false);
    expect(isWorkingAt(shanghaiOffice, at('2026-02-28T10:00+08:00'))).toBe(true);
  });

  it('counts a 23-hour day in New York and a 25-hour day in Berlin', () => {
    const ny = allDay('America/New_York');
    expect(
      businessMinutesBetween(ny, at('2026-03-08T00:00-05:00'), at('2026-03-09T00:00-04:00')),
    ).toBe(23 * 60);
    const berlin = allDay('Europe/Berlin');
    expect(
      businessMinutesBetween(berlin, at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00')),
    ).toBe(25 * 60);
  });

  it('counts wall-clock hours across the spring-forward gap (01:00–04:00 lasts 2 h)', () => {
    const nights = defineCalendar({
      kind: 'hours',
      zone: 'America/New_York',
      weekly: { sun: ['01:00-04:00'] },
    });
    expect(
      businessMinutesBetween(nights, at('2026-03-08T00:00-05:00'), at('2026-03-09T00:00-04:00')),
    ).toBe(120);
    expect(addBusinessMinutes(nights, at('2026-03-08T00:00-05:00'), 90)).toBe(
      at('2026-03-08T03:30-04:00'),
    );
  });

  it('counts the repeated hour at fall-back (Berlin 01:00–03:00 lasts 3 h on 2026-10-25)', () => {
    const nights = defineCalendar({
      kind: 'hours',
      zone: 'Europe/Berlin',
      weekly: { sun: ['01:00-03:00'] },
    });
    expect(
      businessMinutesBetween(nights, at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00')),
    ).toBe(180);
    expect(isWorkingAt(nights, at('2026-10-25T02:30+02:00'))).toBe(true);
    expect(isWorkingAt(nights, at('2026-10-25T02:30+01:00'))).toBe(true);
    expect(isWorkingAt(nights, at('2026-10-25T03:00+01:00'))).toBe(false);
  });

  it('is the wall clock when 24×7', () => {
    expect(addBusinessMinutes(TWENTY_FOUR_SEVEN, 1_000, 5)).toBe(301_000);
    expect(businessMinutesBetween(TWENTY_FOUR_SEVEN, 0, 600_000)).toBe(10);
  });

  it('finds the next working instant', () => {
    expect(nextWorkingInstant(shanghaiOffice, at('2026-11-21T10:00+08:00'))).toBe(
      at('2026-11-23T09:00+08:00'),
    );
  });

  it('refuses bad definitions naming the field', () => {
    const bad = (def: unknown, field: string) => {
      try {
        defineCalendar(def);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).field).toBe(field);
      }
    };
    bad({ kind: 'hours', zone: 'Mars/Base', weekly: { mon: ['09:00-18:00'] } }, 'zone');
    bad({ kind: 'hours', zone: 'UTC', weekly: { mon: ['18:00-09:00'] } }, 'weekly.mon.0');
    bad(
      { kind: 'hours', zone: 'UTC', weekly: { mon: ['09:00-12:00', '11:00-13:00'] } },
      'weekly.mon',
    );
    bad({ kind: 'hours', zone: 'UTC', weekly: {} }, 'weekly');
    bad(
      { kind: 'hours', zone: 'UTC', weekly: { mon: ['09:00-18:00'] }, holidays: ['2026-02-30'] },
      'holidays.0',
    );
    expect(() => parseHolidayList({ ...cn2026, year: 'x' })).toThrow(DomainError);
  });

  it('reads the text form of the list into the same data as the JSON, and names a bad line', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('./calendars/cn-2026.txt', import.meta.url), 'utf8');
    const fromText = parseHolidayText(text);
    const fromJson = parseHolidayList(cn2026);
    expect(fromText.holidays.map(({ name, from, to }) => ({ name, from, to }))).toEqual(
      fromJson.holidays.map(({ name, from, to }) => ({ name, from, to })),
    );
    expect(fromText.workdays).toEqual(fromJson.workdays);
    expect(fromText.source).toBe(fromJson.source);
    expect(parseHolidayText('year 2027\ncountry CN\nworkday 2027-01-02 as=5 x').workdays).toEqual([
      { date: '2027-01-02', as: 5, name: 'x' },
    ]);
    try {
      parseHolidayText('country CN\nyear 2026\n\nholiday 2026-13-01');
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).field).toBe('holidays.0.from');
    }
    try {
      parseHolidayText('country CN\nyear 2026\nvacation 2026-01-01');
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).field).toBe('line.3');
    }
  });

  it('ships the State Council 2026 list: 7 holidays, 6 adjusted working days', () => {
    const list = parseHolidayList(cn2026);
    expect(list.holidays).toHaveLength(7);
    expect(list.workdays.map((w) => w.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});

// ---- properties ----

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'UTC', 'Australia/Lord_Howe'];
const FROM = Date.UTC(2025, 11, 1);
const TO = Date.UTC(2027, 1, 1);

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** 0–3 disjoint intervals on a 15-minute grid. */
const dayHours = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((cuts) => {
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2)
    out.push(`${hhmm(sorted[i]! * 15)}-${hhmm(sorted[i + 1]! * 15)}`);
  return out;
});

const isoDay = fc
  .integer({ min: 0, max: 420 })
  .map((d) => new Date(FROM + d * 86_400_000).toISOString().slice(0, 10));

const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    days: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    holidays: fc.array(isoDay, { maxLength: 30 }),
    workdays: fc.array(fc.record({ date: isoDay, as: fc.integer({ min: 1, max: 7 }) }), {
      maxLength: 6,
    }),
  })
  .filter((r) => r.days.some((d) => d.length > 0))
  .map((r) =>
    defineCalendar({
      kind: 'hours',
      zone: r.zone,
      weekly: Object.fromEntries(WEEKDAY_KEYS.map((k, i) => [k, r.days[i]])),
      holidays: r.holidays,
      workdays: r.workdays,
    }),
  );

const instant = fc.integer({ min: FROM, max: TO });
const minutes = fc.integer({ min: 0, max: 6000 });

describe('business calendar properties', () => {
  it('addBusinessMinutes and businessMinutesBetween are inverse', () => {
    fc.assert(
      fc.property(calendarArb, instant, minutes, (cal, s, n) => {
        const end = addBusinessMinutes(cal, s, n);
        expect(businessMinutesBetween(cal, s, end)).toBe(n);
      }),
    );
  });

  it('adding what lies between two instants lands at or before the later one, with no work left', () => {
    fc.assert(
      fc.property(calendarArb, instant, instant, (cal, a, b) => {
        const [s, e] = a <= b ? [a, b] : [b, a];
        const x = addBusinessMs(cal, s, businessMsBetween(cal, s, e));
        expect(x).toBeLessThanOrEqual(e);
        expect(businessMsBetween(cal, x, e)).toBe(0);
      }),
    );
  });

  it('is monotone in the duration and in the start; between is additive', () => {
    fc.assert(
      fc.property(calendarArb, instant, instant, minutes, minutes, (cal, a, b, n1, n2) => {
        const [s1, s2] = a <= b ? [a, b] : [b, a];
        const [m1, m2] = n1 <= n2 ? [n1, n2] : [n2, n1];
        expect(addBusinessMinutes(cal, s1, m1)).toBeLessThanOrEqual(
          addBusinessMinutes(cal, s1, m2),
        );
        expect(addBusinessMinutes(cal, s1, m1)).toBeLessThanOrEqual(
          addBusinessMinutes(cal, s2, m1),
        );
        const mid = s1 + Math.floor((s2 - s1) / 3);
        expect(businessMsBetween(cal, s1, s2)).toBe(
          businessMsBetween(cal, s1, mid) + businessMsBetween(cal, mid, s2),
        );
      }),
    );
  });

  it('equals the wall clock when 24×7, and when every local day is worked 00:00–24:00 (DST zones too)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, minutes, (zone, s, n) => {
        expect(addBusinessMinutes(TWENTY_FOUR_SEVEN, s, n)).toBe(s + n * 60_000);
        expect(addBusinessMinutes(allDay(zone), s, n)).toBe(s + n * 60_000);
        expect(businessMsBetween(allDay(zone), s, s + n * 60_000)).toBe(n * 60_000);
      }),
    );
  });

  it('holidays add no time: a holiday date counts zero, and adding one never adds time', () => {
    fc.assert(
      fc.property(calendarArb, isoDay, instant, instant, (cal, day, a, b) => {
        if (cal.kind !== 'hours') return;
        const withHoliday: BusinessCalendar = {
          ...cal,
          holidays: new Set([...cal.holidays, day]),
          workdays: new Map([...cal.workdays].filter(([d]) => d !== day)),
        };
        const dayStart = DateTime.fromISO(day, { zone: cal.zone }).toMillis();
        const dayEnd = DateTime.fromISO(day, { zone: cal.zone }).plus({ days: 1 }).toMillis();
        expect(businessMsBetween(withHoliday, dayStart, dayEnd)).toBe(0);
        const [s, e] = a <= b ? [a, b] : [b, a];
        expect(businessMsBetween(withHoliday, s, e)).toBeLessThanOrEqual(
          businessMsBetween(cal, s, e),
        );
      }),
    );
  });

  it('isWorkingAt agrees with the minute counted after it', () => {
    fc.assert(
      fc.property(calendarArb, instant, (cal, t) => {
        expect(isWorkingAt(cal, t)).toBe(businessMsBetween(cal, t, t + 1) === 1);
      }),
    );
  });

  it('walks New York and Berlin across both 2026 transitions in 5-minute steps, office hours', () => {
    for (const zone of ['America/New_York', 'Europe/Berlin']) {
      const cal = defineCalendar({
        kind: 'hours',
        zone,
        weekly: Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, ['01:30-03:30', '09:00-17:00']])),
      });
      for (const [from, to] of [
        [Date.UTC(2026, 2, 7), Date.UTC(2026, 2, 10)],
        [Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 31)],
        [Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 27)],
        [Date.UTC(2026, 9, 31), Date.UTC(2026, 10, 3)],
      ] as const) {
        let counted = 0;
        for (let t = from; t < to; t += 5 * 60_000) {
          expect(businessMsBetween(cal, from, t)).toBe(counted);
          if (isWorkingAt(cal, t)) counted += 5 * 60_000;
        }
      }
    }
  });
});
