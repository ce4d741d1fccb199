import type { Assignment, Cover, DayKind, Duty, Post } from './rosterTypes.js';

/**
 * Pure helpers of the roster pages (no React, no fetch): dates of a period, what a drop on the
 * grid changes, the weeks of a month calendar, the cover a post needs on a day.
 */

const DAY = 86_400_000;

function toDay(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY;
}

function fromDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return fromDay(toDay(date) + n);
}

/** Every date from start to end, inclusive (local dates, 'YYYY-MM-DD'). */
export function datesOf(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = toDay(start); d <= toDay(end); d++) out.push(fromDay(d));
  return out;
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function weekdayOf(date: string): number {
  return ((((toDay(date) + 3) % 7) + 7) % 7) + 1;
}

/** What the team's calendar makes of a date (调休 working weekends count as weekdays). */
export function dayKindOf(
  date: string,
  calendar: { holidays?: string[]; workingWeekends?: string[] } = {},
): DayKind {
  if (calendar.holidays?.includes(date)) return 'holiday';
  if (calendar.workingWeekends?.includes(date)) return 'weekday';
  return weekdayOf(date) >= 6 ? 'weekend' : 'weekday';
}

/** The cover line a post sets for a shift on a kind of day (min 0 when none is set). */
export function coverFor(post: Post, shiftTypeId: string, kind: DayKind): Cover | undefined {
  return post.cover.find((c) => c.shiftTypeId === shiftTypeId && c.dayKind === kind);
}

export interface CellRef {
  personId: string;
  date: string;
}

export interface CellChange extends CellRef {
  duties: Duty[];
}

/** What is dragged on the grid: a shift of the palette, or the content of a cell. */
export type DragSource = { kind: 'palette'; duty: Duty } | { kind: 'cell'; from: CellRef };

export function dutiesOf(assignments: readonly Assignment[], cell: CellRef): Duty[] {
  return assignments
    .filter((a) => a.personId === cell.personId && a.date === cell.date)
    .map((a) => ({ postId: a.postId, shiftTypeId: a.shiftTypeId }));
}

/**
 * The cells a drop changes. A palette shift replaces the target's duties; a cell dropped on
 * another moves its duties there (the source becomes off) or, with `copy`, copies them.
 * Dropping a cell on itself, or an empty cell, changes nothing.
 */
export function dropChanges(
  assignments: readonly Assignment[],
  source: DragSource,
  target: CellRef,
  copy = false,
): CellChange[] {
  if (source.kind === 'palette') return [{ ...target, duties: [source.duty] }];
  const { from } = source;
  if (from.personId === target.personId && from.date === target.date) return [];
  const moving = dutiesOf(assignments, from);
  if (moving.length === 0) return [];
  return copy
    ? [{ ...target, duties: moving }]
    : [
        { ...from, duties: [] },
        { ...target, duties: moving },
      ];
}

/** The weeks (Monday first) of the calendar month holding `month` ('YYYY-MM'); null pads. */
export function monthWeeks(month: string): (string | null)[][] {
  const first = `${month}-01`;
  const last = addDays(`${shiftMonth(month, 1)}-01`, -1);
  const cells: (string | null)[] = Array.from({ length: weekdayOf(first) - 1 }, () => null);
  for (const d of datesOf(first, last)) cells.push(d);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** 'YYYY-MM' of the month after (n > 0) or before (n < 0) `month`. */
export function shiftMonth(month: string, n: number): string {
  const idx = +month.slice(0, 4) * 12 + (+month.slice(5, 7) - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/** 'MM-DD HH:mm' of an instant in a time zone (the team's: shifts are its local times). */
export function formatInZone(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** 'YYYY-MM-DDTHH:mm' wall time of an instant in a time zone. */
export function wallTimeOf(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/**
 * The instant a wall time 'YYYY-MM-DDTHH:mm' names in a time zone (a time picked on the page is
 * the team's, wherever the browser is). A time that occurs twice is its first occurrence; a time
 * in a spring-forward gap moves forward by the gap.
 */
export function instantOfWallTime(wall: string, timeZone: string): number {
  const asUtc = Date.parse(`${wall}:00Z`);
  const offsetAt = (ms: number) => Date.parse(`${wallTimeOf(ms, timeZone)}:00Z`) - ms;
  // The earlier of the two offsets around the wall time gives the first occurrence.
  const candidates = [offsetAt(asUtc - 86_400_000), offsetAt(asUtc + 86_400_000)]
    .map((off) => asUtc - off)
    .filter((ms) => wallTimeOf(ms, timeZone) === wall)
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // In a gap: the offset before the change, which lands after the gap.
  return asUtc - offsetAt(asUtc - 86_400_000);
}
