import { DateTime } from 'luxon';
import { z } from 'zod';
import { invalid } from '../../lib/errors.js';
import { isTimeZone } from '../../lib/time-zone.js';

/**
 * Business calendars: when a team counts SLA time. A calendar is either 24×7 or an IANA zone with
 * weekly working hours (several intervals a day), holidays, and adjusted working days (调休: a
 * weekend date worked with the hours of a given weekday). Every wall time is resolved in the
 * calendar's zone with luxon, so days of 23 or 25 hours (DST) count what the clock on the wall says.
 * All functions are pure; instants are epoch milliseconds.
 */

/** ISO weekday as luxon numbers it: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Minutes after local midnight, end exclusive; end may be 1440 (midnight of the next day). */
export interface MinuteInterval {
  readonly start: number;
  readonly end: number;
}

export type BusinessCalendar =
  | { readonly kind: '24x7' }
  | {
      readonly kind: 'hours';
      readonly zone: string;
      /** Index 0 = Monday … 6 = Sunday. */
      readonly weekly: readonly (readonly MinuteInterval[])[];
      readonly holidays: ReadonlySet<string>;
      /** Adjusted working day (ISO date) → the weekday whose hours apply. */
      readonly workdays: ReadonlyMap<string, Weekday>;
    };

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const hhmmRange = z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/);

/** The stored, JSON form of a calendar (what a team edits). */
export const calendarDefinitionSchema = z.union([
  z.strictObject({ kind: z.literal('24x7') }),
  z.strictObject({
    kind: z.literal('hours'),
    zone: z.string(),
    weekly: z.strictObject(
      Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, z.array(hhmmRange).optional()])) as Record<
        (typeof WEEKDAY_KEYS)[number],
        z.ZodOptional<z.ZodArray<typeof hhmmRange>>
      >,
    ),
    holidays: z.array(isoDate).default([]),
    workdays: z
      .array(z.strictObject({ date: isoDate, as: z.number().int().min(1).max(7).optional() }))
      .default([]),
  }),
]);
export type CalendarDefinition = z.input<typeof calendarDefinitionSchema>;

/**
 * A yearly public-holiday list (e.g. China's State Council notice): holiday ranges and the
 * adjusted working days. `cn-2026.json` is one.
 */
export const holidayListSchema = z.strictObject({
  country: z.string().min(2),
  year: z.number().int().min(2000).max(2100),
  source: z.string(),
  published: isoDate.optional(),
  holidays: z.array(
    z.strictObject({ name: z.string(), nameEn: z.string().optional(), from: isoDate, to: isoDate }),
  ),
  workdays: z.array(
    z.strictObject({
      date: isoDate,
      name: z.string().optional(),
      as: z.number().int().min(1).max(7).optional(),
    }),
  ),
});
export type HolidayList = z.infer<typeof holidayListSchema>;

export const TWENTY_FOUR_SEVEN: BusinessCalendar = { kind: '24x7' };

function parseRange(text: string, field: string): MinuteInterval {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw invalid(field, 'tickets.errors.calendarHours', { value: text });
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (h1 > 23 || m1 > 59 || m2 > 59 || end > 1440 || end <= start)
    throw invalid(field, 'tickets.errors.calendarHours', { value: text });
  return { start, end };
}

function validDate(date: string, field: string): string {
  if (!DateTime.fromISO(date, { zone: 'UTC' }).isValid)
    throw invalid(field, 'tickets.errors.calendarDate', { value: date });
  return date;
}

/** Validates a stored definition into a calendar; refusals name the field. */
export function defineCalendar(input: unknown): BusinessCalendar {
  const parsed = calendarDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'calendar';
    throw invalid(field, 'tickets.errors.calendarInvalid', { field });
  }
  const def = parsed.data;
  if (def.kind === '24x7') return TWENTY_FOUR_SEVEN;
  if (!isTimeZone(def.zone)) throw invalid('zone', 'validation.timeZone', { value: def.zone });
  const weekly = WEEKDAY_KEYS.map((key) => {
    const ranges = (def.weekly[key] ?? []).map((r, i) => parseRange(r, `weekly.${key}.${i}`));
    ranges.sort((a, b) => a.start - b.start);
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i]!.start < ranges[i - 1]!.end)
        throw invalid(`weekly.${key}`, 'tickets.errors.calendarOverlap', { day: key });
    }
    return ranges;
  });
  if (weekly.every((d) => d.length === 0)) throw invalid('weekly', 'tickets.errors.calendarEmpty');
  const holidays = new Set(def.holidays.map((d, i) => validDate(d, `holidays.${i}`)));
  const workdays = new Map<string, Weekday>();
  def.workdays.forEach((w, i) => {
    validDate(w.date, `workdays.${i}.date`);
    workdays.set(w.date, (w.as ?? 1) as Weekday);
  });
  return { kind: 'hours', zone: def.zone, weekly, holidays, workdays };
}

/** Parses a yearly holiday list; refusals name the field. */
export function parseHolidayList(input: unknown): HolidayList {
  const parsed = holidayListSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'list';
    throw invalid(field, 'tickets.errors.holidayListInvalid', { field });
  }
  parsed.data.holidays.forEach((h, i) => {
    validDate(h.from, `holidays.${i}.from`);
    validDate(h.to, `holidays.${i}.to`);
    if (h.to < h.from)
      throw invalid(`holidays.${i}.to`, 'tickets.errors.calendarDate', { value: h.to });
  });
  return parsed.data;
}

/** Every ISO date from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDate(d)) out.push(d);
  return out;
}

/**
 * Adds a yearly list to a calendar: its holiday dates become non-working, its adjusted working
 * days work with the hours of `as` (default Monday). 24×7 calendars ignore holidays.
 */
export function withHolidayList(cal: BusinessCalendar, list: HolidayList): BusinessCalendar {
  if (cal.kind === '24x7') return cal;
  const holidays = new Set(cal.holidays);
  for (const h of list.holidays) for (const d of datesBetween(h.from, h.to)) holidays.add(d);
  const workdays = new Map(cal.workdays);
  for (const w of list.workdays) {
    workdays.set(w.date, (w.as ?? 1) as Weekday);
    holidays.delete(w.date);
  }
  return { ...cal, holidays, workdays };
}

// ---- date arithmetic on ISO dates (calendar maths, not the wall clock) ----

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return (js === 0 ? 7 : js) as Weekday;
}

function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

function wallInstant(date: string, minute: number, zone: string): number {
  if (minute >= 1440) return wallInstant(nextDate(date), minute - 1440, zone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // A wall time inside a DST gap moves forward (luxon's rule): the interval just starts later.
  return DateTime.fromObject(
    { year: y, month: m, day: d, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone },
  ).toMillis();
}

type Hours = Extract<BusinessCalendar, { kind: 'hours' }>;
const dayCache = new WeakMap<Hours, Map<string, readonly (readonly [number, number])[]>>();

/** Working intervals of one local date as instants, sorted and disjoint. */
export function workingIntervalsOn(
  cal: Hours,
  date: string,
): readonly (readonly [number, number])[] {
  let cache = dayCache.get(cal);
  if (!cache)
    dayCache.set(cal, (cache = new Map<string, readonly (readonly [number, number])[]>()));
  const hit = cache.get(date);
  if (hit) return hit;
  let ranges: readonly MinuteInterval[] = [];
  if (cal.workdays.has(date)) ranges = cal.weekly[cal.workdays.get(date)! - 1]!;
  else if (!cal.holidays.has(date)) ranges = cal.weekly[weekdayOf(date) - 1]!;
  const out: (readonly [number, number])[] = [];
  let floor = -Infinity;
  for (const r of ranges) {
    const s = Math.max(wallInstant(date, r.start, cal.zone), floor);
    const e = wallInstant(date, r.end, cal.zone);
    // Fall-back hours repeat wall times; clip so intervals never overlap or run backwards.
    if (e > s) {
      out.push([s, e]);
      floor = e;
    }
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(date, out);
  return out;
}

/** The safety bound on scanning for working time: a calendar with none for 20 years is broken. */
const MAX_SCAN_DAYS = 366 * 20;

/** True when the instant falls within working time. */
export function isWorkingAt(cal: BusinessCalendar, at: number): boolean {
  if (cal.kind === '24x7') return true;
  return workingIntervalsOn(cal, localDate(at, cal.zone)).some(([s, e]) => s <= at && at < e);
}

/**
 * The instant at which `ms` business milliseconds have passed since `start`. With ms = 0 returns
 * `start` itself; otherwise the result always lies inside or at the end of a working interval.
 */
export function addBusinessMs(cal: BusinessCalendar, start: number, ms: number): number {
  if (ms < 0) throw new RangeError('addBusinessMs: negative duration');
  if (cal.kind === '24x7' || ms === 0) return start + ms;
  let remaining = ms;
  // Intervals never cross local midnight, so the scan can begin on the local date of `start`.
  let date = localDate(start, cal.zone);
  for (let i = 0; i < MAX_SCAN_DAYS; i++, date = nextDate(date)) {
    for (const [s, e] of workingIntervalsOn(cal, date)) {
      if (e <= start) continue;
      const from = Math.max(s, start);
      const avail = e - from;
      if (remaining <= avail) return from + remaining;
      remaining -= avail;
    }
  }
  throw new RangeError('addBusinessMs: calendar has no working time ahead');
}

/** Business milliseconds in [from, to); 0 when to ≤ from. */
export function businessMsBetween(cal: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (cal.kind === '24x7') return to - from;
  let total = 0;
  let date = localDate(from, cal.zone);
  const lastDate = localDate(to, cal.zone);
  for (let i = 0; date <= lastDate && i < MAX_SCAN_DAYS * 10; i++, date = nextDate(date)) {
    for (const [s, e] of workingIntervalsOn(cal, date)) {
      const a = Math.max(s, from);
      const b = Math.min(e, to);
      if (b > a) total += b - a;
    }
  }
  return total;
}

const MINUTE = 60_000;

/** `addBusinessMs` in minutes. */
export function addBusinessMinutes(cal: BusinessCalendar, start: number, minutes: number): number {
  return addBusinessMs(cal, start, Math.round(minutes * MINUTE));
}

/** Business minutes in [from, to) (fractional when the instants are not on whole minutes). */
export function businessMinutesBetween(cal: BusinessCalendar, from: number, to: number): number {
  return businessMsBetween(cal, from, to) / MINUTE;
}

/** The first working instant at or after `at`. */
export function nextWorkingInstant(cal: BusinessCalendar, at: number): number {
  if (cal.kind === '24x7') return at;
  let date = localDate(at, cal.zone);
  for (let i = 0; i < MAX_SCAN_DAYS; i++, date = nextDate(date)) {
    for (const [s, e] of workingIntervalsOn(cal, date)) if (e > at) return Math.max(s, at);
  }
  throw new RangeError('nextWorkingInstant: calendar has no working time ahead');
}

/**
 * Reads the plain-text form of a yearly list, for admins who paste the State Council notice:
 *
 *     # comment
 *     country CN
 *     year 2026
 *     source 国务院办公厅关于2026年部分节假日安排的通知
 *     holiday 2026-02-15..2026-02-23 春节
 *     holiday 2026-04-05 清明节
 *     workday 2026-02-14 春节调休上班
 *     workday 2026-02-28 as=5 春节调休上班（按周五作息）
 *
 * A refusal names the line (`line.N`, counting from 1).
 */
export function parseHolidayText(text: string): HolidayList {
  const draft: {
    country?: string;
    year?: number;
    source?: string;
    holidays: HolidayList['holidays'];
    workdays: HolidayList['workdays'];
  } = { holidays: [], workdays: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const field = `line.${i + 1}`;
    const [first, ...rest] = line.split(/\s+/);
    const word = first ?? '';
    const value = rest.join(' ');
    const bad = () => invalid(field, 'tickets.errors.holidayLine', { line: i + 1 });
    switch (word) {
      case 'country':
        draft.country = value;
        break;
      case 'year':
        draft.year = Number(value);
        break;
      case 'source':
        draft.source = value;
        break;
      case 'holiday': {
        const m = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?(?:\s+(.*))?$/.exec(value);
        if (!m) throw bad();
        draft.holidays.push({ name: m[3] ?? '', from: m[1]!, to: m[2] ?? m[1]! });
        break;
      }
      case 'workday': {
        const m = /^(\d{4}-\d{2}-\d{2})(?:\s+as=([1-7]))?(?:\s+(.*))?$/.exec(value);
        if (!m) throw bad();
        draft.workdays.push({
          date: m[1]!,
          ...(m[2] ? { as: Number(m[2]) } : {}),
          ...(m[3] ? { name: m[3] } : {}),
        });
        break;
      }
      default:
        throw bad();
    }
  });
  return parseHolidayList({ source: '', ...draft });
}
