import type {
  Assignment,
  DayKind,
  Person,
  Post,
  RestRules,
  Severity,
  ShiftType,
  TeamCalendar,
} from './roster.schema.js';
import { addDays, datesInRange, isoWeekday, isoWeekKey, monthKey } from './local-date.js';
import type { Interval } from './shift-time.js';
import { isNightShift, shiftInterval, workedMinutes } from './shift-time.js';
import { invalid } from '../../lib/errors.js';

export type RuleName =
  | 'minRest'
  | 'maxConsecutiveDays'
  | 'maxConsecutiveNights'
  | 'minDaysOffAfterNights'
  | 'maxHoursPerWeek'
  | 'maxHoursPerMonth'
  | 'skills'
  | 'coverMin'
  | 'coverPreferred'
  | 'doubleBooking'
  | 'leave'
  | 'outsidePeriod'
  | 'unknownReference';

export const ruleNames: readonly RuleName[] = [
  'minRest',
  'maxConsecutiveDays',
  'maxConsecutiveNights',
  'minDaysOffAfterNights',
  'maxHoursPerWeek',
  'maxHoursPerMonth',
  'skills',
  'coverMin',
  'coverPreferred',
  'doubleBooking',
  'leave',
  'outsidePeriod',
  'unknownReference',
];

/** One broken rule: who, which day, which rule; message key `roster.violations.<rule>`. */
export interface Violation {
  rule: RuleName;
  severity: Severity;
  personId?: string;
  postId?: string;
  shiftTypeId?: string;
  date: string;
  messageKey: string;
  params: Record<string, string | number>;
}

/** Approved leave or unavailability, local dates inclusive. */
export interface LeaveSpan {
  personId: string;
  startDate: string;
  endDate: string;
}

export interface RosterCheckInput {
  periodStart: string;
  periodEnd: string;
  timeZone: string;
  assignments: readonly Assignment[];
  shiftTypes: readonly ShiftType[];
  posts: readonly Post[];
  people: readonly Pick<Person, 'id' | 'skills'>[];
  leave?: readonly LeaveSpan[];
  calendar?: Partial<TeamCalendar>;
  rules: RestRules;
  /**
   * Assignments just before/after the period (e.g. last week of the previous month). They
   * count for rest, runs and hours, but only violations dated inside the period are reported.
   */
  context?: readonly Assignment[];
}

/** weekday / weekend / holiday for a date; 调休 working weekends count as weekdays. */
export function dayKindOf(date: string, calendar: Partial<TeamCalendar> = {}): DayKind {
  if (calendar.holidays?.includes(date)) return 'holiday';
  if (calendar.workingWeekends?.includes(date)) return 'weekday';
  return isoWeekday(date) >= 6 ? 'weekend' : 'weekday';
}

interface Resolved {
  a: Assignment;
  shift: ShiftType;
  interval: Interval;
  inPeriod: boolean;
}

const H = 3_600_000;
const key = (v: Violation) =>
  `${v.rule}|${v.personId ?? ''}|${v.postId ?? ''}|${v.shiftTypeId ?? ''}|${v.date}`;

/** Stable identity of a violation, to compare two checks (e.g. before and after a swap). */
export const violationKey = key;

/** Check a roster against the team's rules; every violation names its person/post, day and rule. */
export function checkRoster(input: RosterCheckInput): Violation[] {
  const out: Violation[] = [];
  const { rules, periodStart, periodEnd } = input;
  const inPeriod = (d: string) => d >= periodStart && d <= periodEnd;
  const shiftById = new Map(input.shiftTypes.map((s) => [s.id, s]));
  const postById = new Map(input.posts.map((p) => [p.id, p]));
  const skillsOf = new Map(input.people.map((p) => [p.id, new Set(p.skills)]));
  const push = (v: Omit<Violation, 'messageKey'>) => {
    if (inPeriod(v.date)) out.push({ ...v, messageKey: `roster.violations.${v.rule}` });
  };

  // Resolve every assignment to its UTC interval; refuse what cannot be resolved.
  const resolved: Resolved[] = [];
  const intervals = new Map<string, Interval>();
  const all = [
    ...input.assignments.map((a) => ({ a, own: true })),
    ...(input.context ?? []).map((a) => ({ a, own: false })),
  ];
  for (const { a, own } of all) {
    const shift = shiftById.get(a.shiftTypeId);
    const post = postById.get(a.postId);
    if (own && !inPeriod(a.date)) {
      out.push({
        rule: 'outsidePeriod',
        severity: 'block',
        personId: a.personId,
        postId: a.postId,
        date: a.date,
        messageKey: 'roster.violations.outsidePeriod',
        params: { date: a.date, periodStart, periodEnd },
      });
      continue;
    }
    if (!shift || !post || !post.shiftTypeIds.includes(a.shiftTypeId)) {
      if (own) {
        push({
          rule: 'unknownReference',
          severity: 'block',
          personId: a.personId,
          postId: a.postId,
          shiftTypeId: a.shiftTypeId,
          date: a.date,
          params: { postId: a.postId, shiftTypeId: a.shiftTypeId },
        });
      }
      continue;
    }
    const k = `${a.date}|${shift.id}`;
    let interval = intervals.get(k);
    if (!interval) {
      interval = shiftInterval(a.date, shift, input.timeZone);
      intervals.set(k, interval);
    }
    resolved.push({ a, shift, interval, inPeriod: own });
  }

  // Per-assignment rules: skills and leave.
  const leaveByPerson = new Map<string, LeaveSpan[]>();
  for (const l of input.leave ?? []) {
    const list = leaveByPerson.get(l.personId) ?? [];
    list.push(l);
    leaveByPerson.set(l.personId, list);
  }
  for (const r of resolved) {
    if (!r.inPeriod) continue;
    const post = postById.get(r.a.postId)!;
    if (rules.skills) {
      const has = skillsOf.get(r.a.personId) ?? new Set<string>();
      const missing = post.requiredSkills.filter((s) => !has.has(s));
      if (missing.length > 0) {
        push({
          rule: 'skills',
          severity: rules.skills.severity,
          personId: r.a.personId,
          postId: post.id,
          shiftTypeId: r.shift.id,
          date: r.a.date,
          params: { post: post.name, skills: missing.join(', ') },
        });
      }
    }
    if (rules.leave) {
      const on = (leaveByPerson.get(r.a.personId) ?? []).find(
        (l) => r.a.date >= l.startDate && r.a.date <= l.endDate,
      );
      if (on) {
        push({
          rule: 'leave',
          severity: rules.leave.severity,
          personId: r.a.personId,
          postId: post.id,
          shiftTypeId: r.shift.id,
          date: r.a.date,
          params: { startDate: on.startDate, endDate: on.endDate },
        });
      }
    }
  }

  // Per-person rules over time.
  const byPerson = new Map<string, Resolved[]>();
  for (const r of resolved) {
    const list = byPerson.get(r.a.personId) ?? [];
    list.push(r);
    byPerson.set(r.a.personId, list);
  }
  for (const [personId, list] of byPerson) {
    list.sort(
      (x, y) => x.interval.startMs - y.interval.startMs || x.interval.endMs - y.interval.endMs,
    );
    checkRestAndOverlap(personId, list, rules, push);
    checkRuns(personId, list, rules, push);
    checkHours(personId, list, rules, push);
  }

  if (rules.cover) checkCover(input, resolved, rules.cover.severity, push);
  return out;
}

type Push = (v: Omit<Violation, 'messageKey'>) => void;

function checkRestAndOverlap(personId: string, list: Resolved[], rules: RestRules, push: Push) {
  // Latest-ending earlier shift: the rest before a shift is measured from it.
  let prev: Resolved | undefined;
  for (const cur of list) {
    if (prev) {
      if (cur.interval.startMs < prev.interval.endMs) {
        if (rules.doubleBooking) {
          push({
            rule: 'doubleBooking',
            severity: rules.doubleBooking.severity,
            personId,
            postId: cur.a.postId,
            shiftTypeId: cur.shift.id,
            date: cur.a.date,
            params: { other: prev.shift.code, otherDate: prev.a.date, code: cur.shift.code },
          });
        }
      } else if (rules.minRestHours) {
        const restMs = cur.interval.startMs - prev.interval.endMs;
        if (restMs < rules.minRestHours.value * H) {
          push({
            rule: 'minRest',
            severity: rules.minRestHours.severity,
            personId,
            postId: cur.a.postId,
            shiftTypeId: cur.shift.id,
            date: cur.a.date,
            params: {
              hours: Math.round((restMs / H) * 10) / 10,
              min: rules.minRestHours.value,
              previous: prev.shift.code,
              previousDate: prev.a.date,
            },
          });
        }
      }
    }
    if (!prev || cur.interval.endMs > prev.interval.endMs) prev = cur;
  }
}

/** Length of the run of consecutive dates in `days` ending at each date. */
function runLengths(days: Set<string>): Map<string, number> {
  const sorted = [...days].sort();
  const out = new Map<string, number>();
  for (const d of sorted) out.set(d, (out.get(addDays(d, -1)) ?? 0) + 1);
  return out;
}

function checkRuns(personId: string, list: Resolved[], rules: RestRules, push: Push) {
  const workDays = new Set(list.map((r) => r.a.date));
  const nightDays = new Set(list.filter((r) => isNightShift(r.shift)).map((r) => r.a.date));
  // Reported on every day the run is too long, so removing a shift never adds a violation.
  if (rules.maxConsecutiveDays) {
    const max = rules.maxConsecutiveDays.value;
    for (const [date, n] of runLengths(workDays)) {
      if (n > max) {
        push({
          rule: 'maxConsecutiveDays',
          severity: rules.maxConsecutiveDays.severity,
          personId,
          date,
          params: { days: n, max },
        });
      }
    }
  }
  const nightRuns = runLengths(nightDays);
  if (rules.maxConsecutiveNights) {
    const max = rules.maxConsecutiveNights.value;
    for (const [date, n] of nightRuns) {
      if (n > max) {
        push({
          rule: 'maxConsecutiveNights',
          severity: rules.maxConsecutiveNights.severity,
          personId,
          date,
          params: { nights: n, max },
        });
      }
    }
  }
  if (rules.minDaysOffAfterNights) {
    const need = rules.minDaysOffAfterNights.value;
    for (const [last, n] of nightRuns) {
      if (nightDays.has(addDays(last, 1))) continue;
      for (let k = 1; k <= need; k++) {
        const d = addDays(last, k);
        if (workDays.has(d)) {
          push({
            rule: 'minDaysOffAfterNights',
            severity: rules.minDaysOffAfterNights.severity,
            personId,
            date: d,
            params: { nights: n, lastNight: last, min: need },
          });
        }
      }
    }
  }
}

function checkHours(personId: string, list: Resolved[], rules: RestRules, push: Push) {
  // A shift's hours count in the week/month of the day it starts.
  const groups: [RestRules['maxHoursPerWeek'], (d: string) => string, RuleName][] = [
    [rules.maxHoursPerWeek, isoWeekKey, 'maxHoursPerWeek'],
    [rules.maxHoursPerMonth, monthKey, 'maxHoursPerMonth'],
  ];
  for (const [rule, bucketOf, name] of groups) {
    if (!rule) continue;
    const totals = new Map<string, { minutes: number; lastDate: string }>();
    for (const r of list) {
      const b = bucketOf(r.a.date);
      const t = totals.get(b) ?? { minutes: 0, lastDate: r.a.date };
      t.minutes += workedMinutes(r.interval, r.shift);
      if (r.a.date > t.lastDate) t.lastDate = r.a.date;
      totals.set(b, t);
    }
    for (const [bucket, t] of totals) {
      const hours = t.minutes / 60;
      if (hours > rule.value) {
        // Dated on the bucket's last worked day in the period, so it is reported once.
        const days = list
          .filter((r) => bucketOf(r.a.date) === bucket && r.inPeriod)
          .map((r) => r.a.date)
          .sort();
        const date = days[days.length - 1];
        if (date === undefined) continue;
        push({
          rule: name,
          severity: rule.severity,
          personId,
          date,
          params: { period: bucket, hours: Math.round(hours * 10) / 10, max: rule.value },
        });
      }
    }
  }
}

function checkCover(input: RosterCheckInput, resolved: Resolved[], severity: Severity, push: Push) {
  const count = new Map<string, number>();
  for (const r of resolved) {
    if (!r.inPeriod) continue;
    const k = `${r.a.postId}|${r.a.shiftTypeId}|${r.a.date}`;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  for (const date of datesInRange(input.periodStart, input.periodEnd)) {
    const kind = dayKindOf(date, input.calendar);
    for (const post of input.posts) {
      for (const c of post.cover) {
        if (c.dayKind !== kind) continue;
        const n = count.get(`${post.id}|${c.shiftTypeId}|${date}`) ?? 0;
        const base = { postId: post.id, shiftTypeId: c.shiftTypeId, date };
        const code = input.shiftTypes.find((s) => s.id === c.shiftTypeId)?.code ?? c.shiftTypeId;
        if (n < c.min) {
          push({
            ...base,
            rule: 'coverMin',
            severity,
            params: { post: post.name, code, count: n, min: c.min },
          });
        } else if (n < c.preferred) {
          push({
            ...base,
            rule: 'coverPreferred',
            severity: 'warn',
            params: { post: post.name, code, count: n, preferred: c.preferred },
          });
        }
      }
    }
  }
}

/** Number of assignments per post, shift type and date, e.g. for the grid's cover row. */
export function coverCounts(assignments: readonly Assignment[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of assignments) {
    const k = `${a.postId}|${a.shiftTypeId}|${a.date}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** True when no violation blocks (publishing and approvals need this). */
export function isPublishable(violations: readonly Violation[]): boolean {
  return violations.every((v) => v.severity !== 'block');
}

/**
 * Refuses one assignment that cannot be stored at all (outside the period, unknown post, shift
 * type not on the post); rule breaches are left to checkRoster.
 */
export function assertAssignmentFits(
  a: Assignment,
  roster: { periodStart: string; periodEnd: string },
  posts: readonly Pick<Post, 'id' | 'name' | 'shiftTypeIds'>[],
): void {
  if (a.date < roster.periodStart || a.date > roster.periodEnd) {
    throw invalid('date', 'roster.violations.outsidePeriod', {
      date: a.date,
      periodStart: roster.periodStart,
      periodEnd: roster.periodEnd,
    });
  }
  const post = posts.find((p) => p.id === a.postId);
  if (!post || !post.shiftTypeIds.includes(a.shiftTypeId)) {
    throw invalid(post ? 'shiftTypeId' : 'postId', 'roster.violations.unknownReference', {
      postId: a.postId,
      shiftTypeId: a.shiftTypeId,
    });
  }
}
