import type { Assignment, Override, ShiftType, SwapRequest } from './roster.schema.js';
import { shiftInterval } from './shift-time.js';

/** A stretch of time one person holds one post, after swaps and overrides. */
export interface DutySegment {
  personId: string;
  postId: string;
  startMs: number;
  endMs: number;
  source: 'assignment' | 'override';
  /** The assignment or override this segment comes from. */
  refId?: string;
}

/**
 * Applies approved swaps: a substitution gives the assignment to the substitute; a swap also
 * gives the counter-assignment to the requester. Requests in any other state change nothing.
 */
export function applySwaps<A extends Assignment>(
  assignments: readonly A[],
  swaps: readonly SwapRequest[],
): A[] {
  const newOwner = new Map<string, string>();
  for (const s of swaps) {
    if (s.status !== 'approved') continue;
    newOwner.set(s.assignmentId, s.substituteId);
    if (s.kind === 'swap' && s.counterAssignmentId)
      newOwner.set(s.counterAssignmentId, s.requesterId);
  }
  return assignments.map((a) => {
    const owner = a.id === undefined ? undefined : newOwner.get(a.id);
    return owner === undefined ? a : { ...a, personId: owner };
  });
}

/**
 * Duty segments of a team: assignments (after approved swaps) in UTC, then overrides. An
 * override puts its person on the post for [startMs, endMs) and, when it replaces someone,
 * cuts that person's segments on that post for the same time.
 */
export function resolveDuty(input: {
  assignments: readonly Assignment[];
  shiftTypes: readonly ShiftType[];
  timeZone: string;
  swaps?: readonly SwapRequest[];
  overrides?: readonly Override[];
}): DutySegment[] {
  const shiftById = new Map(input.shiftTypes.map((s) => [s.id, s]));
  let segments: DutySegment[] = [];
  // Many people share a (date, shift): resolve each pair once.
  const memo = new Map<string, { startMs: number; endMs: number }>();
  for (const a of applySwaps(input.assignments, input.swaps ?? [])) {
    const shift = shiftById.get(a.shiftTypeId);
    if (!shift) continue;
    const k = `${a.date}|${shift.id}`;
    let i = memo.get(k);
    if (!i) {
      i = shiftInterval(a.date, shift, input.timeZone);
      memo.set(k, i);
    }
    segments.push({
      personId: a.personId,
      postId: a.postId,
      ...i,
      source: 'assignment',
      ...(a.id ? { refId: a.id } : {}),
    });
  }
  for (const o of input.overrides ?? []) {
    if (o.replacesPersonId !== undefined) {
      segments = segments.flatMap((s) =>
        s.personId === o.replacesPersonId && s.postId === o.postId
          ? cut(s, o.startMs, o.endMs)
          : [s],
      );
    }
    segments.push({
      personId: o.personId,
      postId: o.postId,
      startMs: o.startMs,
      endMs: o.endMs,
      source: 'override',
      refId: o.id,
    });
  }
  return segments.filter((s) => s.endMs > s.startMs);
}

function cut(s: DutySegment, a: number, b: number): DutySegment[] {
  if (b <= s.startMs || a >= s.endMs) return [s];
  const out: DutySegment[] = [];
  if (s.startMs < a) out.push({ ...s, endMs: a });
  if (b < s.endMs) out.push({ ...s, startMs: b });
  return out;
}

/** Segments longer than this go to a short linear list so the sorted scan window stays small. */
const LONG_MS = 48 * 3_600_000;

interface PostIndex {
  /** Sorted by start. */
  segments: DutySegment[];
  starts: Float64Array;
  maxLen: number;
  long: DutySegment[];
}

/**
 * In-memory answer to "who is on duty": per post, segments sorted by start with the longest
 * length known, so a stabbing query is a binary search plus a scan of at most one shift-length
 * of starts. Immutable; rebuild it (cheap, O(n log n)) after a change.
 */
export class OnDutyIndex {
  private readonly posts = new Map<string, PostIndex>();
  private readonly teamPosts = new Map<string, string[]>();

  /** `postTeams` maps post id to team id for team queries. */
  constructor(
    segments: readonly DutySegment[],
    postTeams: ReadonlyMap<string, string> = new Map(),
  ) {
    const grouped = new Map<string, DutySegment[]>();
    for (const s of segments) {
      const list = grouped.get(s.postId) ?? [];
      list.push(s);
      grouped.set(s.postId, list);
    }
    for (const [postId, list] of grouped) {
      const short = list
        .filter((s) => s.endMs - s.startMs <= LONG_MS)
        .sort((x, y) => x.startMs - y.startMs);
      this.posts.set(postId, {
        segments: short,
        starts: Float64Array.from(short.map((s) => s.startMs)),
        maxLen: short.reduce((m, s) => Math.max(m, s.endMs - s.startMs), 0),
        long: list.filter((s) => s.endMs - s.startMs > LONG_MS),
      });
    }
    for (const [postId, teamId] of postTeams) {
      const list = this.teamPosts.get(teamId) ?? [];
      list.push(postId);
      this.teamPosts.set(teamId, list);
    }
  }

  /** Segments on `postId` that meet [fromMs, toMs); a point query is [t, t + 1). */
  onPost(postId: string, fromMs: number, toMs: number = fromMs + 1): DutySegment[] {
    const p = this.posts.get(postId);
    if (!p) return [];
    const out: DutySegment[] = [];
    // First start ≥ toMs; everything before it starts early enough.
    let lo = 0;
    let hi = p.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (p.starts[mid]! < toMs) lo = mid + 1;
      else hi = mid;
    }
    const earliest = fromMs - p.maxLen;
    for (let i = lo - 1; i >= 0 && p.starts[i]! >= earliest; i--) {
      const s = p.segments[i]!;
      if (s.endMs > fromMs) out.push(s);
    }
    for (const s of p.long) if (s.startMs < toMs && s.endMs > fromMs) out.push(s);
    return out.sort((x, y) => x.startMs - y.startMs || x.personId.localeCompare(y.personId));
  }

  /** Segments on any post of `teamId` that meet [fromMs, toMs). */
  onTeam(teamId: string, fromMs: number, toMs: number = fromMs + 1): DutySegment[] {
    return (this.teamPosts.get(teamId) ?? [])
      .flatMap((p) => this.onPost(p, fromMs, toMs))
      .sort((x, y) => x.startMs - y.startMs || x.personId.localeCompare(y.personId));
  }

  /** Distinct people on duty on the post at instant t. */
  peopleOnPostAt(postId: string, t: number): string[] {
    return [...new Set(this.onPost(postId, t).map((s) => s.personId))].sort();
  }

  /** Distinct people on duty in the team at instant t. */
  peopleOnTeamAt(teamId: string, t: number): string[] {
    return [...new Set(this.onTeam(teamId, t).map((s) => s.personId))].sort();
  }
}
