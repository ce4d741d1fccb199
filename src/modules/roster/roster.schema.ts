import { z } from 'zod';
import { isTimeZone } from '../../lib/time-zone.js';
import { isLocalDate } from './local-date.js';

/**
 * Roster schemas. Every type of the module is inferred from these; messages are i18n keys
 * (see roster.messages.ts) with their params on the issue.
 */

const id = z.string().min(1).max(64);
export const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'roster.errors.timeFormat' });
export const localDate = z.string().refine(isLocalDate, { message: 'roster.errors.dateFormat' });
export const timeZone = z.string().refine(isTimeZone, { message: 'validation.timeZone' });

/** Shift codes appear in grid cells ('N', 'N@技术'), so they exclude '@', ',', spaces and '-'. */
export const shiftCode = z
  .string()
  .regex(/^[\p{L}\p{N}_]{1,16}$/u, { message: 'roster.errors.shiftCodeFormat' });

export const severity = z.enum(['block', 'warn']);
export type Severity = z.infer<typeof severity>;

export const shiftTypeSchema = z.strictObject({
  id,
  code: shiftCode,
  name: z.string().min(1).max(40),
  start: hhmm,
  end: hhmm,
  breakMinutes: z.int().min(0).max(600).default(0),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'roster.errors.colourFormat' }),
  /** Counts towards night runs; defaults to "crosses midnight". */
  night: z.boolean().optional(),
});
export type ShiftType = z.infer<typeof shiftTypeSchema>;

export const dayKind = z.enum(['weekday', 'weekend', 'holiday']);
export type DayKind = z.infer<typeof dayKind>;

export const coverSchema = z
  .strictObject({
    shiftTypeId: id,
    dayKind,
    min: z.int().min(0).max(1000),
    preferred: z.int().min(0).max(1000),
  })
  .refine((c) => c.preferred >= c.min, {
    message: 'roster.errors.preferredBelowMin',
    path: ['preferred'],
  });
export type Cover = z.infer<typeof coverSchema>;

export const postSchema = z
  .strictObject({
    id,
    name: z.string().min(1).max(40),
    shiftTypeIds: z.array(id).min(1, { message: 'roster.errors.postWithoutShifts' }),
    cover: z.array(coverSchema).default([]),
    requiredSkills: z.array(z.string().min(1).max(40)).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.cover.forEach((c, i) => {
      if (!p.shiftTypeIds.includes(c.shiftTypeId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['cover', i, 'shiftTypeId'],
          message: 'roster.errors.coverShiftNotOnPost',
          params: { post: p.name, shiftTypeId: c.shiftTypeId },
        });
      }
      const key = `${c.shiftTypeId}/${c.dayKind}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['cover', i],
          message: 'roster.errors.coverDuplicate',
          params: { post: p.name, shiftTypeId: c.shiftTypeId, dayKind: c.dayKind },
        });
      }
      seen.add(key);
    });
  });
export type Post = z.infer<typeof postSchema>;

const rule = z.strictObject({ value: z.number().min(0), severity });
const flag = z.strictObject({ severity });

/** Per-team rest and load rules; a rule left out is not checked. */
export const restRulesSchema = z.strictObject({
  minRestHours: rule.optional(),
  maxConsecutiveDays: rule.optional(),
  maxConsecutiveNights: rule.optional(),
  minDaysOffAfterNights: rule.optional(),
  maxHoursPerWeek: rule.optional(),
  maxHoursPerMonth: rule.optional(),
  skills: flag.optional(),
  cover: flag.optional(),
  doubleBooking: flag.optional(),
  leave: flag.optional(),
});
export type RestRules = z.infer<typeof restRulesSchema>;

export const defaultRestRules: RestRules = {
  minRestHours: { value: 12, severity: 'block' },
  maxConsecutiveDays: { value: 6, severity: 'block' },
  maxConsecutiveNights: { value: 3, severity: 'warn' },
  minDaysOffAfterNights: { value: 2, severity: 'warn' },
  maxHoursPerWeek: { value: 48, severity: 'warn' },
  maxHoursPerMonth: { value: 200, severity: 'block' },
  skills: { severity: 'block' },
  cover: { severity: 'block' },
  doubleBooking: { severity: 'block' },
  leave: { severity: 'block' },
};

export const rosterStatus = z.enum(['draft', 'published', 'amended', 'closed']);
export type RosterStatus = z.infer<typeof rosterStatus>;

export const rosterSchema = z
  .strictObject({
    id,
    teamId: id,
    timeZone,
    periodStart: localDate,
    periodEnd: localDate,
    status: rosterStatus.default('draft'),
  })
  .refine((r) => r.periodEnd >= r.periodStart, {
    message: 'roster.errors.periodReversed',
    path: ['periodEnd'],
  });
export type Roster = z.infer<typeof rosterSchema>;

export const assignmentSchema = z.strictObject({
  id: id.optional(),
  personId: id,
  postId: id,
  shiftTypeId: id,
  /** Local date on which the shift starts (an overnight shift ends the next day). */
  date: localDate,
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const swapStatus = z.enum([
  'pending_substitute',
  'pending_approval',
  'approved',
  'rejected',
  'cancelled',
  'withdrawn',
]);
export type SwapStatus = z.infer<typeof swapStatus>;

/**
 * A substitution hands one assignment to the substitute; a swap also hands the substitute's
 * `counterAssignmentId` back to the requester.
 */
export const swapRequestSchema = z
  .strictObject({
    id,
    kind: z.enum(['substitution', 'swap']),
    assignmentId: id,
    counterAssignmentId: id.optional(),
    requesterId: id,
    substituteId: id,
    reason: z.string().max(500).default(''),
    status: swapStatus.default('pending_substitute'),
    createdAt: z.int(),
  })
  .refine((s) => (s.kind === 'swap') === (s.counterAssignmentId !== undefined), {
    message: 'roster.errors.swapCounterAssignment',
    path: ['counterAssignmentId'],
  });
export type SwapRequest = z.infer<typeof swapRequestSchema>;

export const leaveStatus = z.enum(['pending', 'approved', 'rejected', 'cancelled']);
export type LeaveStatus = z.infer<typeof leaveStatus>;

export const leaveRequestSchema = z
  .strictObject({
    id,
    personId: id,
    kind: z.enum(['leave', 'unavailable']),
    startDate: localDate,
    endDate: localDate,
    reason: z.string().max(500).default(''),
    status: leaveStatus.default('pending'),
  })
  .refine((l) => l.endDate >= l.startDate, {
    message: 'roster.errors.periodReversed',
    path: ['endDate'],
  });
export type LeaveRequest = z.infer<typeof leaveRequestSchema>;

/** Duty manager's emergency override: person on post for [startMs, endMs), maybe replacing someone. */
export const overrideSchema = z
  .strictObject({
    id,
    postId: id,
    personId: id,
    replacesPersonId: id.optional(),
    startMs: z.int(),
    endMs: z.int(),
    reason: z.string().trim().min(1, { message: 'roster.errors.overrideReason' }).max(500),
    createdBy: id,
    createdAt: z.int(),
  })
  .refine((o) => o.endMs > o.startMs, {
    message: 'roster.errors.intervalEmpty',
    path: ['endMs'],
  })
  .refine((o) => o.replacesPersonId !== o.personId, {
    message: 'roster.errors.overrideSelf',
    path: ['replacesPersonId'],
  });
export type Override = z.infer<typeof overrideSchema>;

export const personSchema = z.strictObject({
  id,
  name: z.string().min(1).max(80),
  skills: z.array(z.string()).default([]),
  /** The post a bare shift code in the grid means for this person. */
  defaultPostId: id.optional(),
});
export type Person = z.infer<typeof personSchema>;

export const teamCalendarSchema = z.strictObject({
  holidays: z.array(localDate).default([]),
  /** Weekend days that are working days (China's 调休). */
  workingWeekends: z.array(localDate).default([]),
});
export type TeamCalendar = z.infer<typeof teamCalendarSchema>;

/** A team's shift types and posts, validated together. */
export const shiftSetSchema = z
  .strictObject({
    shiftTypes: z.array(shiftTypeSchema),
    posts: z.array(postSchema),
  })
  .superRefine((set, ctx) => {
    for (const issue of shiftSetIssues(set.shiftTypes, set.posts)) {
      ctx.addIssue({ code: 'custom', ...issue });
    }
  });

export interface ShiftSetIssue {
  path: (string | number)[];
  message: string;
  params: Record<string, string | number>;
}

/** Minutes after local midnight of the day the shift starts: [start, end), end > start. */
export function shiftMinutes(s: Pick<ShiftType, 'start' | 'end'>): [number, number] {
  const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const a = toMin(s.start);
  let b = toMin(s.end);
  if (b <= a) b += 1440;
  return [a, b];
}

/** Two daily-recurring shifts overlap when their minute ranges meet on any day. */
function dailyOverlap(a: ShiftType, b: ShiftType): boolean {
  const [a0, a1] = shiftMinutes(a);
  const [b0, b1] = shiftMinutes(b);
  return [-1440, 0, 1440].some((k) => a0 < b1 + k && b0 + k < a1);
}

/**
 * Problems in a team's shift set: zero-length shifts, duplicate codes, posts that name unknown
 * shift types, and two shift types of one post that overlap in time (both codes named).
 */
export function shiftSetIssues(shiftTypes: ShiftType[], posts: Post[]): ShiftSetIssue[] {
  const issues: ShiftSetIssue[] = [];
  const byId = new Map(shiftTypes.map((s) => [s.id, s]));
  const codes = new Map<string, string>();
  shiftTypes.forEach((s, i) => {
    if (s.start === s.end) {
      issues.push({
        path: ['shiftTypes', i, 'end'],
        message: 'roster.errors.shiftZeroLength',
        params: { code: s.code, start: s.start, end: s.end },
      });
    }
    if (codes.has(s.code)) {
      issues.push({
        path: ['shiftTypes', i, 'code'],
        message: 'roster.errors.shiftCodeDuplicate',
        params: { code: s.code },
      });
    }
    codes.set(s.code, s.id);
  });
  posts.forEach((p, pi) => {
    const own: ShiftType[] = [];
    p.shiftTypeIds.forEach((sid, si) => {
      const s = byId.get(sid);
      if (!s) {
        issues.push({
          path: ['posts', pi, 'shiftTypeIds', si],
          message: 'roster.errors.unknownShiftType',
          params: { post: p.name, shiftTypeId: sid },
        });
      } else if (s.start !== s.end) own.push(s);
    });
    for (let i = 0; i < own.length; i++) {
      for (let j = i + 1; j < own.length; j++) {
        const a = own[i]!;
        const b = own[j]!;
        if (dailyOverlap(a, b)) {
          issues.push({
            path: ['posts', pi, 'shiftTypeIds'],
            message: 'roster.errors.shiftOverlap',
            params: { post: p.name, a: a.code, b: b.code },
          });
        }
      }
    }
  });
  return issues;
}
