import type { LeaveStatus, Post, SwapRequest, SwapStatus } from './roster.schema.js';
import type { Interval } from './shift-time.js';
import type { RosterCheckInput, Violation } from './rest-rules.js';
import { checkRoster, violationKey } from './rest-rules.js';
import { applySwaps } from './on-duty.js';
import { conflict, forbidden, invalid } from '../../lib/errors.js';

const H = 3_600_000;

export interface RequestConfig {
  /** A swap or substitution must be asked for at least this long before the shift. */
  swapLeadHours: number;
  /** People must confirm a published roster within this many hours. */
  confirmHours: number;
  /** Reminders to unconfirmed people, hours after publishing (all before the deadline). */
  remindAfterHours: readonly number[];
}

export const defaultRequestConfig: RequestConfig = {
  swapLeadHours: 48,
  confirmHours: 24,
  remindAfterHours: [12, 20],
};

export interface SwapCheckInput {
  kind: SwapRequest['kind'];
  requesterId: string;
  substituteId: string;
  /** The requester's assignment: its owner, post and UTC interval. */
  assignment: { personId: string; postId: string; interval: Interval };
  /** For a swap: the substitute's assignment that comes back to the requester. */
  counterAssignment?: { personId: string; postId: string; interval: Interval };
  post: Pick<Post, 'id' | 'name' | 'requiredSkills'>;
  counterPost?: Pick<Post, 'id' | 'name' | 'requiredSkills'>;
  substituteSkills: readonly string[];
  requesterSkills?: readonly string[];
  now: number;
  config?: Pick<RequestConfig, 'swapLeadHours'>;
}

/** Refuses a swap or substitution request that breaks the request rules (throws DomainError). */
export function validateSwapRequest(input: SwapCheckInput): void {
  const lead = (input.config ?? defaultRequestConfig).swapLeadHours;
  if (input.substituteId === input.requesterId) {
    throw invalid('substituteId', 'roster.errors.swapWithSelf', { person: input.requesterId });
  }
  if (input.assignment.personId !== input.requesterId) {
    throw forbidden('roster.errors.swapNotOwnAssignment', { person: input.requesterId });
  }
  const firstStart = Math.min(
    input.assignment.interval.startMs,
    input.counterAssignment?.interval.startMs ?? Infinity,
  );
  if (firstStart - input.now < lead * H) {
    throw invalid('assignmentId', 'roster.errors.swapTooLate', {
      hours: lead,
      left: Math.max(0, Math.floor(((firstStart - input.now) / H) * 10) / 10),
    });
  }
  const missing = input.post.requiredSkills.filter((s) => !input.substituteSkills.includes(s));
  if (missing.length > 0) {
    throw invalid('substituteId', 'roster.errors.substituteLacksSkill', {
      person: input.substituteId,
      post: input.post.name,
      skills: missing.join(', '),
    });
  }
  if (input.kind === 'swap') {
    const c = input.counterAssignment;
    if (!c) throw invalid('counterAssignmentId', 'roster.errors.swapCounterAssignment');
    if (c.personId !== input.substituteId) {
      throw invalid('counterAssignmentId', 'roster.errors.swapCounterNotSubstitutes', {
        person: input.substituteId,
      });
    }
    const back = (input.counterPost?.requiredSkills ?? []).filter(
      (s) => !(input.requesterSkills ?? []).includes(s),
    );
    if (back.length > 0) {
      throw invalid('counterAssignmentId', 'roster.errors.substituteLacksSkill', {
        person: input.requesterId,
        post: input.counterPost?.name ?? '',
        skills: back.join(', '),
      });
    }
  }
}

export type SwapAction = 'accept' | 'decline' | 'approve' | 'reject' | 'withdraw' | 'cancel';
export type SwapActor = 'requester' | 'substitute' | 'admin';

const swapMoves: Record<
  SwapAction,
  { from: readonly SwapStatus[]; to: SwapStatus; by: SwapActor }
> = {
  accept: { from: ['pending_substitute'], to: 'pending_approval', by: 'substitute' },
  decline: { from: ['pending_substitute'], to: 'rejected', by: 'substitute' },
  approve: { from: ['pending_approval'], to: 'approved', by: 'admin' },
  reject: { from: ['pending_approval'], to: 'rejected', by: 'admin' },
  withdraw: { from: ['pending_substitute', 'pending_approval'], to: 'withdrawn', by: 'requester' },
  cancel: {
    from: ['pending_substitute', 'pending_approval', 'approved'],
    to: 'cancelled',
    by: 'admin',
  },
};

/**
 * Next state of a swap request: pending_substitute →(substitute accepts) pending_approval
 * →(duty admin approves) approved; decline/reject → rejected; the requester withdraws while
 * pending; the admin cancels (also an approved one, e.g. when the roster is amended).
 */
export function nextSwapStatus(
  current: SwapStatus,
  action: SwapAction,
  actor: SwapActor,
): SwapStatus {
  const move = swapMoves[action];
  if (move.by !== actor) throw forbidden('roster.errors.swapWrongActor', { action, actor });
  if (!move.from.includes(current)) {
    throw conflict('invalid_transition', 'roster.errors.swapTransition', { from: current, action });
  }
  return move.to;
}

/**
 * Violations the swap would add to the roster (the rule check on the result). The admin's
 * approval must be refused while any of them blocks.
 */
export function swapOutcome(
  roster: RosterCheckInput,
  swap: SwapRequest,
): { added: Violation[]; blocking: boolean } {
  const before = new Set(checkRoster(roster).map(violationKey));
  const after = checkRoster({
    ...roster,
    assignments: applySwaps(roster.assignments, [{ ...swap, status: 'approved' }]),
  });
  const added = after.filter((v) => !before.has(violationKey(v)));
  return { added, blocking: added.some((v) => v.severity === 'block') };
}

export type LeaveAction = 'approve' | 'reject' | 'cancel';

/** Leave / unavailability: pending → approved | rejected; pending or approved → cancelled. */
export function nextLeaveStatus(current: LeaveStatus, action: LeaveAction): LeaveStatus {
  switch (action) {
    case 'approve':
    case 'reject':
      if (current !== 'pending') break;
      return action === 'approve' ? 'approved' : 'rejected';
    case 'cancel':
      if (current !== 'pending' && current !== 'approved') break;
      return 'cancelled';
  }
  throw conflict('invalid_transition', 'roster.errors.leaveTransition', { from: current, action });
}

export interface OverrideInput {
  postId: string;
  personId: string;
  replacesPersonId?: string;
  startMs: number;
  endMs: number;
  reason: string;
  actorIsDutyManager: boolean;
}

/** Emergency override: no lead time, but a duty manager, a reason and a non-empty interval. */
export function validateOverride(o: OverrideInput): void {
  if (!o.actorIsDutyManager) throw forbidden('roster.errors.overrideNotManager');
  if (o.reason.trim() === '') throw invalid('reason', 'roster.errors.overrideReason');
  if (o.endMs <= o.startMs) throw invalid('endMs', 'roster.errors.intervalEmpty');
  if (o.replacesPersonId === o.personId)
    throw invalid('replacesPersonId', 'roster.errors.overrideSelf');
}

/** When confirmation of a roster published at `publishedAt` is due. */
export function confirmationDeadline(
  publishedAt: number,
  config: Pick<RequestConfig, 'confirmHours'> = defaultRequestConfig,
): number {
  return publishedAt + config.confirmHours * H;
}

export interface Reminder {
  personId: string;
  at: number;
  kind: 'reminder' | 'overdue';
}

/**
 * The reminder plan for a published roster: each unconfirmed person gets a reminder at each
 * configured hour before the deadline and an 'overdue' notice (to them and their admin) at it.
 * Pass `after` to get only what is due later than that instant (e.g. the last job's time).
 */
export function reminderSchedule(input: {
  publishedAt: number;
  people: readonly string[];
  confirmed: ReadonlySet<string>;
  config?: Pick<RequestConfig, 'confirmHours' | 'remindAfterHours'>;
  after?: number;
}): Reminder[] {
  const config = input.config ?? defaultRequestConfig;
  const deadline = confirmationDeadline(input.publishedAt, config);
  const times = [...new Set(config.remindAfterHours)]
    .map((h) => input.publishedAt + h * H)
    .filter((t) => t > input.publishedAt && t < deadline)
    .sort((a, b) => a - b);
  const out: Reminder[] = [];
  for (const personId of [...new Set(input.people)].sort()) {
    if (input.confirmed.has(personId)) continue;
    for (const at of times) out.push({ personId, at, kind: 'reminder' });
    out.push({ personId, at: deadline, kind: 'overdue' });
  }
  const after = input.after;
  return (after === undefined ? out : out.filter((r) => r.at > after)).sort(
    (a, b) => a.at - b.at || a.personId.localeCompare(b.personId),
  );
}

/** Roster status moves: draft → published → amended ↔ published … → closed. */
export function nextRosterStatus(
  current: 'draft' | 'published' | 'amended' | 'closed',
  action: 'publish' | 'amend' | 'close',
  violations: readonly Violation[] = [],
): 'published' | 'amended' | 'closed' {
  if (action === 'publish') {
    if (current !== 'draft' && current !== 'amended') {
      throw conflict('invalid_transition', 'roster.errors.rosterTransition', {
        from: current,
        action,
      });
    }
    const blocking = violations.filter((v) => v.severity === 'block');
    if (blocking.length > 0) {
      throw conflict('roster_blocked', 'roster.errors.publishBlocked', { count: blocking.length });
    }
    return 'published';
  }
  if (action === 'amend' && current === 'published') return 'amended';
  if (action === 'close' && (current === 'published' || current === 'amended')) return 'closed';
  throw conflict('invalid_transition', 'roster.errors.rosterTransition', { from: current, action });
}
