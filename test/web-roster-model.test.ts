import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  datesOf,
  dayKindOf,
  dropChanges,
  formatInZone,
  instantOfWallTime,
  monthWeeks,
  shiftMonth,
  wallTimeOf,
  weekdayOf,
} from '../web/src/pages/roster/rosterModel.js';
import type { Assignment } from '../web/src/pages/roster/rosterTypes.js';

// The roster pages' pure helpers: what a drop on the grid changes, and the month calendar.

const dateArb = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const people = ['p1', 'p2', 'p3'];
const duty = fc.record({
  postId: fc.constantFrom('post1', 'post2'),
  shiftTypeId: fc.constantFrom('D', 'E', 'N'),
});
const assignmentsArb = fc.array(
  fc.record({
    id: fc.uuid(),
    personId: fc.constantFrom(...people),
    date: fc.constantFrom('2026-12-01', '2026-12-02', '2026-12-03'),
    postId: fc.constantFrom('post1', 'post2'),
    shiftTypeId: fc.constantFrom('D', 'E', 'N'),
  }),
  { maxLength: 12 },
);
const cellArb = fc.record({
  personId: fc.constantFrom(...people),
  date: fc.constantFrom('2026-12-01', '2026-12-02', '2026-12-03'),
});

/** The grid after the changes: each changed cell's duties replaced (as the batch route does). */
function apply(
  assignments: Assignment[],
  changes: ReturnType<typeof dropChanges>,
): { personId: string; date: string; postId: string; shiftTypeId: string }[] {
  const touched = new Set(changes.map((c) => `${c.personId}|${c.date}`));
  const kept = assignments
    .filter((a) => !touched.has(`${a.personId}|${a.date}`))
    .map(({ personId, date, postId, shiftTypeId }) => ({ personId, date, postId, shiftTypeId }));
  return [
    ...kept,
    ...changes.flatMap((c) => c.duties.map((d) => ({ ...d, personId: c.personId, date: c.date }))),
  ];
}
const key = (a: { personId: string; date: string; postId: string; shiftTypeId: string }) =>
  `${a.personId}|${a.date}|${a.postId}|${a.shiftTypeId}`;

describe('dropping on the roster grid', () => {
  it('property: a move keeps every duty, only relocating the source cell to the target', () => {
    fc.assert(
      fc.property(assignmentsArb, cellArb, cellArb, (assignments, from, to) => {
        const changes = dropChanges(assignments, { kind: 'cell', from }, to);
        const after = apply(assignments, changes);
        const same = from.personId === to.personId && from.date === to.date;
        const moved = assignments.filter(
          (a) => a.personId === from.personId && a.date === from.date,
        );
        if (same || moved.length === 0) {
          expect(changes).toEqual([]);
          return;
        }
        // The target now holds exactly what the source held; the source is off.
        const at = (c: typeof from) =>
          after
            .filter((a) => a.personId === c.personId && a.date === c.date)
            .map(key)
            .sort();
        expect(at(to)).toEqual(
          moved.map((a) => key({ ...a, personId: to.personId, date: to.date })).sort(),
        );
        expect(at(from)).toEqual([]);
        // No other cell changes, and each change names a distinct cell (the batch refuses twins).
        const others = (list: typeof after) =>
          list
            .filter((a) => !(a.personId === to.personId && a.date === to.date))
            .filter((a) => !(a.personId === from.personId && a.date === from.date))
            .map(key)
            .sort();
        expect(others(after)).toEqual(others(assignments));
        expect(new Set(changes.map((c) => `${c.personId}|${c.date}`)).size).toBe(changes.length);
      }),
    );
  });

  it('property: a copy leaves the source alone; a palette shift replaces the target', () => {
    fc.assert(
      fc.property(assignmentsArb, cellArb, cellArb, duty, (assignments, from, to, d) => {
        for (const c of dropChanges(assignments, { kind: 'cell', from }, to, true)) {
          expect(c.personId === from.personId && c.date === from.date).toBe(false);
        }
        expect(dropChanges(assignments, { kind: 'palette', duty: d }, to)).toEqual([
          { ...to, duties: [d] },
        ]);
      }),
    );
  });
});

describe('the month calendar', () => {
  it('property: weeks start on Monday and hold every day of the month once, in order', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        const month = date.slice(0, 7);
        const weeks = monthWeeks(month);
        const days = weeks.flat().filter((d): d is string => d !== null);
        expect(days[0]).toBe(`${month}-01`);
        expect(days).toEqual(datesOf(`${month}-01`, addDays(`${shiftMonth(month, 1)}-01`, -1)));
        for (const w of weeks) {
          expect(w).toHaveLength(7);
          w.forEach((d, i) => d && expect(weekdayOf(d)).toBe(i + 1));
        }
      }),
    );
  });

  it('property: weekdays and month shifts agree with the JavaScript calendar', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -30, max: 30 }), (date, n) => {
        expect(weekdayOf(date)).toBe(((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1);
        const m = shiftMonth(date.slice(0, 7), n);
        const js = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1 + n, 1));
        expect(m).toBe(js.toISOString().slice(0, 7));
      }),
    );
  });

  it('shows shift times in the team zone, whatever the browser zone is', () => {
    const nine = Date.UTC(2026, 11, 10, 1, 0); // 09:00 in Shanghai
    expect(formatInZone(nine, 'Asia/Shanghai')).toBe('12-10 09:00');
    expect(formatInZone(nine, 'Europe/Berlin')).toBe('12-10 02:00');
    // Across the spring-forward night in Berlin: 01:30 UTC is 03:30 local summer time.
    expect(formatInZone(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Berlin')).toBe('03-29 03:30');
  });

  it('counts 调休 working weekends as weekdays and holidays first', () => {
    const cal = { holidays: ['2026-10-01'], workingWeekends: ['2026-10-10'] };
    expect(dayKindOf('2026-10-01', cal)).toBe('holiday');
    expect(dayKindOf('2026-10-10', cal)).toBe('weekday');
    expect(dayKindOf('2026-10-11', cal)).toBe('weekend');
    expect(dayKindOf('2026-10-12', cal)).toBe('weekday');
  });
});

describe('wall times in the team zone (the on-duty time picker)', () => {
  const zones = [
    'Asia/Shanghai',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'UTC',
  ];
  it('an instant read as wall time and back is the same instant, or its first occurrence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.constantFrom(...zones),
        (raw, zone) => {
          const ms = Math.floor(raw / 60_000) * 60_000;
          const wall = wallTimeOf(ms, zone);
          const back = instantOfWallTime(wall, zone);
          expect(wallTimeOf(back, zone)).toBe(wall);
          expect(back).toBeLessThanOrEqual(ms);
          expect(ms - back).toBeLessThanOrEqual(3_600_000);
        },
      ),
    );
  });
  it('knows the zone, the repeated hour and the gap', () => {
    expect(instantOfWallTime('2026-12-10T03:00', 'Asia/Shanghai')).toBe(
      Date.UTC(2026, 11, 9, 19, 0),
    );
    // Berlin falls back on 25 Oct 2026: 02:30 happens at 00:30Z and 01:30Z; the first is meant.
    expect(instantOfWallTime('2026-10-25T02:30', 'Europe/Berlin')).toBe(
      Date.UTC(2026, 9, 25, 0, 30),
    );
    // Springs forward on 29 Mar 2026: 02:30 does not exist; it means 03:30 (01:30Z).
    expect(instantOfWallTime('2026-03-29T02:30', 'Europe/Berlin')).toBe(
      Date.UTC(2026, 2, 29, 1, 30),
    );
  });
});
