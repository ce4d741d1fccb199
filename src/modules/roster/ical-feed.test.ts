import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { buildIcalFeed } from './ical-feed.js';
import { shiftInterval } from './shift-time.js';
import { shiftTypes, posts } from './fixtures.test-helpers.js';
import type { Assignment } from './roster.schema.js';
import { fromEpochDay, toEpochDay } from './local-date.js';

const night = { id: 'st-x', code: 'X', name: '夜班', start: '22:00', end: '08:00' };

function parse(text: string) {
  const comp = ICAL.Component.fromString(text);
  return comp.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      start: e.startDate.toJSDate().getTime(),
      end: e.endDate.toJSDate().getTime(),
      summary: e.summary,
    };
  });
}

describe('buildIcalFeed', () => {
  it('gives calendar clients the right instants across the New York spring-forward', () => {
    const assignments: Assignment[] = [
      { id: 'a1', personId: 'u1', postId: 'p-tech', shiftTypeId: 'st-x', date: '2026-03-07' },
      { id: 'a2', personId: 'u1', postId: 'p-tech', shiftTypeId: 'st-x', date: '2026-03-08' },
    ];
    const text = buildIcalFeed({
      name: '张伟',
      timeZone: 'America/New_York',
      assignments,
      shiftTypes: [...shiftTypes, night],
      posts: [{ id: 'p-tech', name: posts[0]!.name }],
      personNames: new Map([['u1', '张伟']]),
      generatedAt: Date.UTC(2026, 1, 20),
    });
    expect(text).toContain('X-WR-TIMEZONE:America/New_York');
    const events = parse(text);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      uid: 'a1@dutydesk',
      start: Date.UTC(2026, 2, 8, 3),
      end: Date.UTC(2026, 2, 8, 12),
    });
    expect(events[0]!.end - events[0]!.start).toBe(9 * 3_600_000);
    // The next night is in EDT: 22:00 is 02:00Z.
    expect(events[1]).toMatchObject({
      start: Date.UTC(2026, 2, 9, 2),
      end: Date.UTC(2026, 2, 9, 12),
    });
    expect(events[0]!.summary).toBe('夜班 (X) · 技术 · 张伟');
  });

  it('property: parsed feeds give back the shift intervals in any zone and any date', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
        fc
          .integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2037-12-31') })
          .map(fromEpochDay),
        fc.constantFrom(...shiftTypes, night),
        (zone, date, shift) => {
          const a: Assignment = { personId: 'u', postId: 'p', shiftTypeId: shift.id, date };
          const text = buildIcalFeed({
            name: 'x',
            timeZone: zone,
            assignments: [a],
            shiftTypes: [shift],
            posts: [{ id: 'p', name: 'P' }],
            generatedAt: 0,
          });
          const [e] = parse(text);
          const i = shiftInterval(date, shift, zone);
          expect(e).toMatchObject({ start: i.startMs, end: i.endMs });
        },
      ),
      { numRuns: 200 },
    );
  });
});
