/**
 * Calendar dates ('YYYY-MM-DD') in a team's local calendar, as plain day numbers. A local
 * date has no zone: it is the label on the roster grid. Arithmetic goes through epoch days so
 * that no host time zone or wall clock is involved.
 */

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Rule checks convert the same few hundred dates many thousand times; both directions are cached.
const CACHE_LIMIT = 50_000;
const toDayCache = new Map<string, number>();
const fromDayCache = new Map<number, string>();

/** Days since 1970-01-01 for a 'YYYY-MM-DD' date; throws on a malformed or impossible date. */
export function toEpochDay(date: string): number {
  const hit = toDayCache.get(date);
  if (hit !== undefined) return hit;
  const day = parseEpochDay(date);
  if (toDayCache.size >= CACHE_LIMIT) toDayCache.clear();
  toDayCache.set(date, day);
  return day;
}

function parseEpochDay(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  if (formatEpochDay(ms / DAY_MS) !== date) throw new RangeError(`not a date: ${date}`);
  return ms / DAY_MS;
}

export function fromEpochDay(day: number): string {
  const hit = fromDayCache.get(day);
  if (hit !== undefined) return hit;
  const text = formatEpochDay(day);
  if (fromDayCache.size >= CACHE_LIMIT) fromDayCache.clear();
  fromDayCache.set(day, text);
  return text;
}

function formatEpochDay(day: number): string {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const da = d.getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(da).padStart(2, '0')}`;
}

export function isLocalDate(date: string): boolean {
  try {
    toEpochDay(date);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: string, n: number): string {
  return fromEpochDay(toEpochDay(date) + n);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const dow = new Date(toEpochDay(date) * DAY_MS).getUTCDay();
  return dow === 0 ? 7 : dow;
}

/** Every date from start to end, both included. */
export function datesInRange(start: string, end: string): string[] {
  const a = toEpochDay(start);
  const b = toEpochDay(end);
  const out: string[] = [];
  for (let d = a; d <= b; d++) out.push(fromEpochDay(d));
  return out;
}

/** ISO 8601 week label, e.g. '2026-W01' (the week belongs to the year of its Thursday). */
export function isoWeekKey(date: string): string {
  const thursday = toEpochDay(date) + 4 - isoWeekday(date);
  const thursdayDate = fromEpochDay(thursday);
  const year = thursdayDate.slice(0, 4);
  const jan1 = toEpochDay(`${year}-01-01`);
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** 'YYYY-MM' of a date. */
export function monthKey(date: string): string {
  return date.slice(0, 7);
}
