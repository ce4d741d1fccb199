import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  localToUtc,
  shiftInterval,
  nominalMinutes,
  workedMinutes,
  isNightShift,
  localDateOf,
} from './shift-time.js';
import { fromEpochDay, toEpochDay } from './local-date.js';

const H = 3_600_000;
const zones = Intl.supportedValuesOf('timeZone').filter((z) => IANAZone.isValidZone(z));
const zoneArb = fc.constantFrom(...zones);
const dateArb = fc
  .integer({ min: toEpochDay('1990-01-01'), max: toEpochDay('2040-12-31') })
  .map(fromEpochDay);
const hhmmArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const shiftArb = fc
  .tuple(hhmmArb, hhmmArb)
  .filter(([a, b]) => a !== b)
  .map(([start, end]) => ({ start, end }));

const wall = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('shiftInterval', () => {
  it('makes a 22:00–08:00 night 9 h over spring-forward and 11 h over fall-back (New York)', () => {
    const night = { start: '22:00', end: '08:00' };
    const spring = shiftInterval('2026-03-07', night, 'America/New_York');
    expect(spring.endMs - spring.startMs).toBe(9 * H);
    expect(spring.startMs).toBe(Date.UTC(2026, 2, 8, 3, 0));
    expect(spring.endMs).toBe(Date.UTC(2026, 2, 8, 12, 0));
    const fall = shiftInterval('2026-10-31', night, 'America/New_York');
    expect(fall.endMs - fall.startMs).toBe(11 * H);
    expect(fall.endMs).toBe(Date.UTC(2026, 10, 1, 13, 0));
  });

  it('handles Berlin and Sydney (southern hemisphere) changes', () => {
    const night = { start: '22:00', end: '08:00' };
    const berlinSpring = shiftInterval('2026-03-28', night, 'Europe/Berlin');
    expect(berlinSpring.endMs - berlinSpring.startMs).toBe(9 * H);
    const berlinFall = shiftInterval('2026-10-24', night, 'Europe/Berlin');
    expect(berlinFall.endMs - berlinFall.startMs).toBe(11 * H);
    // Sydney falls back on 5 April 2026 and springs forward on 4 October 2026.
    const sydFall = shiftInterval('2026-04-04', night, 'Australia/Sydney');
    expect(sydFall.endMs - sydFall.startMs).toBe(11 * H);
    const sydSpring = shiftInterval('2026-10-03', night, 'Australia/Sydney');
    expect(sydSpring.endMs - sydSpring.startMs).toBe(9 * H);
  });

  it('keeps Shanghai shifts at their nominal length all year', () => {
    const night = { start: '22:00', end: '08:00' };
    for (let d = toEpochDay('2026-01-01'); d <= toEpochDay('2026-12-31'); d++) {
      const i = shiftInterval(fromEpochDay(d), night, 'Asia/Shanghai');
      expect(i.endMs - i.startMs).toBe(10 * H);
    }
    expect(
      shiftInterval('2026-07-01', { start: '08:00', end: '16:00' }, 'Asia/Shanghai').startMs,
    ).toBe(Date.UTC(2026, 6, 1, 0, 0));
  });

  it('moves a start inside the spring-forward gap forward by the gap', () => {
    // 02:30 does not exist in New York on 8 March 2026; it reads as 03:30 EDT.
    expect(localToUtc('2026-03-08', 150, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 30));
    const i = shiftInterval('2026-03-08', { start: '02:30', end: '10:00' }, 'America/New_York');
    expect(i.endMs - i.startMs).toBe(6.5 * H);
    // Both ends in the gap move together, so the shift keeps its length.
    const e = shiftInterval('2026-03-08', { start: '02:00', end: '02:30' }, 'America/New_York');
    expect(e.endMs - e.startMs).toBe(0.5 * H);
  });

  it('takes the first occurrence of a repeated wall time in every zone', () => {
    expect(localToUtc('2026-11-01', 90, 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expect(localToUtc('2026-10-25', 150, 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(localToUtc('2026-04-05', 150, 'Australia/Sydney')).toBe(Date.UTC(2026, 3, 4, 15, 30));
  });

  it('property: a start that exists reads back as the same wall time; one that does not is moved forward', () => {
    fc.assert(
      fc.property(zoneArb, dateArb, hhmmArb, (zone, date, t) => {
        const minutes = Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
        const ms = localToUtc(date, minutes, zone);
        const requested = DateTime.fromISO(`${date}T${t}`, { zone: 'UTC' });
        const got = DateTime.fromISO(wall(ms, zone).replace(' ', 'T'), { zone: 'UTC' });
        const diff = got.toMillis() - requested.toMillis();
        if (diff === 0) {
          // When it exists, no earlier instant shows the same wall time.
          const earlier = [0.5, 1, 2].map((h) => wall(ms - h * H, zone));
          expect(earlier).not.toContain(wall(ms, zone));
        } else {
          expect(diff).toBeGreaterThan(0);
          expect(diff).toBeLessThanOrEqual(24 * H);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: near real offset changes, a wall time maps to its first occurrence or moves forward over a gap', () => {
    const dstZones = zones.filter((zone) => {
      const z = IANAZone.create(zone);
      return z.offset(Date.UTC(2026, 0, 1)) !== z.offset(Date.UTC(2026, 6, 1));
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...dstZones),
        fc.integer({ min: 2000, max: 2037 }),
        fc.integer({ min: -24 * 4, max: 24 * 4 }),
        (zone, year, quarterHours) => {
          const z = IANAZone.create(zone);
          // Find the year's first offset change: by day, then by hour.
          let t = Date.UTC(year, 0, 1);
          const first = z.offset(t);
          while (t < Date.UTC(year + 1, 0, 1) && z.offset(t + 86_400_000) === first)
            t += 86_400_000;
          while (z.offset(t) === first && t < Date.UTC(year + 1, 0, 2)) t += 15 * 60_000;
          fc.pre(z.offset(t) !== first);
          const local = DateTime.fromMillis(t + quarterHours * 15 * 60_000, { zone: 'UTC' });
          const want = local.toFormat('yyyy-MM-dd HH:mm');
          const ms = localToUtc(local.toISODate()!, local.hour * 60 + local.minute, zone);
          const got = wall(ms, zone);
          if (got === want) {
            for (let h = 0.25; h <= 25; h += 0.25) expect(wall(ms - h * H, zone)).not.toBe(want);
          } else {
            expect(got > want).toBe(true);
            for (let u = ms - 26 * H; u < ms + 26 * H; u += 15 * 60_000)
              expect(wall(u, zone)).not.toBe(want);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: intervals are never negative (empty only on a skipped day) and differ from nominal only by the offset change', () => {
    fc.assert(
      fc.property(zoneArb, dateArb, shiftArb, (zone, date, shift) => {
        const i = shiftInterval(date, shift, zone);
        // A local day the zone skipped altogether (Pacific/Apia 2011-12-30) holds no shift:
        // its interval is empty, never negative.
        expect(i.endMs).toBeGreaterThanOrEqual(i.startMs);
        const z = IANAZone.create(zone);
        const offsetChange = (z.offset(i.endMs) - z.offset(i.startMs)) * 60_000;
        const nominal = nominalMinutes(shift) * 60_000;
        if (
          i.endMs > i.startMs &&
          wall(i.startMs, zone).endsWith(shift.start) &&
          wall(i.endMs, zone).endsWith(shift.end)
        ) {
          expect(i.endMs - i.startMs).toBe(nominal - offsetChange);
        }
        expect(localDateOf(i.startMs, zone) >= date).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('consecutive shifts', () => {
  it('property: D, E and next-day N tile time with no gap or overlap in any zone', () => {
    const D = { start: '08:00', end: '16:00' };
    const E = { start: '16:00', end: '00:00' };
    const N = { start: '00:00', end: '08:00' };
    fc.assert(
      fc.property(zoneArb, dateArb, (zone, date) => {
        const next = fromEpochDay(toEpochDay(date) + 1);
        const d = shiftInterval(date, D, zone);
        const e = shiftInterval(date, E, zone);
        const n = shiftInterval(next, N, zone);
        const d2 = shiftInterval(next, D, zone);
        expect([d.endMs, e.endMs, n.endMs]).toEqual([e.startMs, n.startMs, d2.startMs]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('duration helpers', () => {
  it('subtracts breaks and knows nights', () => {
    const night = { start: '22:00', end: '08:00', breakMinutes: 60 };
    expect(nominalMinutes(night)).toBe(600);
    expect(workedMinutes(shiftInterval('2026-03-07', night, 'America/New_York'), night)).toBe(480);
    expect(isNightShift(night)).toBe(true);
    expect(isNightShift({ start: '16:00', end: '00:00' })).toBe(false);
    expect(isNightShift({ start: '16:00', end: '00:00', night: true })).toBe(true);
  });
});

describe('a day the zone skipped', () => {
  it('gives an empty interval for a shift on Samoa’s missing 30 December 2011', () => {
    const i = shiftInterval('2011-12-30', { start: '22:00', end: '08:00' }, 'Pacific/Apia');
    expect(i.endMs).toBe(i.startMs);
  });
});
