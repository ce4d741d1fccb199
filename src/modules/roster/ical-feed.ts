import ical from 'ical-generator';
import type { Assignment, Post, ShiftType } from './roster.schema.js';
import { shiftInterval } from './shift-time.js';

export interface FeedInput {
  /** Calendar name shown by clients, e.g. '张伟 · 值班' or '技术 post'. */
  name: string;
  timeZone: string;
  assignments: readonly Assignment[];
  shiftTypes: readonly Pick<ShiftType, 'id' | 'code' | 'name' | 'start' | 'end'>[];
  posts: readonly Pick<Post, 'id' | 'name'>[];
  /** personId → display name, for post feeds (who is on) and descriptions. */
  personNames?: ReadonlyMap<string, string>;
  /** DTSTAMP of every event; passed in so the feed is a pure function of its input. */
  generatedAt: number;
  /** Domain part of event UIDs. */
  uidDomain?: string;
}

/**
 * iCalendar text of a person's or a post's assignments. Times are written in UTC ('Z'),
 * which every client accepts without a VTIMEZONE block; X-WR-TIMEZONE tells clients which
 * zone the team plans in. UIDs are stable per assignment so a re-fetched feed updates events.
 */
export function buildIcalFeed(input: FeedInput): string {
  // ttl becomes REFRESH-INTERVAL / X-PUBLISHED-TTL: subscribed clients re-fetch hourly.
  const cal = ical({
    ttl: 3600,
    name: input.name,
    prodId: { company: 'Dutydesk', product: 'roster', language: 'ZH' },
  });
  cal.x('X-WR-TIMEZONE', input.timeZone);
  const shiftById = new Map(input.shiftTypes.map((s) => [s.id, s]));
  const postById = new Map(input.posts.map((p) => [p.id, p]));
  const domain = input.uidDomain ?? 'dutydesk';
  const sorted = [...input.assignments].sort(
    (a, b) => a.date.localeCompare(b.date) || a.shiftTypeId.localeCompare(b.shiftTypeId),
  );
  for (const a of sorted) {
    const shift = shiftById.get(a.shiftTypeId);
    const post = postById.get(a.postId);
    if (!shift || !post) continue;
    const { startMs, endMs } = shiftInterval(a.date, shift, input.timeZone);
    const who = input.personNames?.get(a.personId) ?? a.personId;
    const uid = a.id ?? `${a.personId}.${a.postId}.${a.shiftTypeId}.${a.date}`;
    cal.createEvent({
      id: `${uid}@${domain}`,
      start: new Date(startMs),
      end: new Date(endMs),
      stamp: new Date(input.generatedAt),
      summary: `${shift.name} (${shift.code}) · ${post.name} · ${who}`,
      description: `${a.date} ${shift.start}–${shift.end} ${input.timeZone}`,
    });
  }
  return cal.toString();
}
