import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { applySwaps } from './on-duty.js';
import {
  nextLeaveStatus,
  nextSwapStatus,
  swapOutcome,
  validateOverride,
  validateSwapRequest,
} from './requests.js';
import type { Violation } from './rest-rules.js';
import type { Assignment } from './roster.schema.js';
import * as store from './roster.store.js';
import { LIVE_STATUSES, type RosterContext, chunk } from './roster-context.service.js';
import { shiftInterval } from './shift-time.js';

/** Changes after publishing: swaps and substitutions, leave, and the emergency override. */
export function createRequestUseCases(c: RosterContext) {
  const { db, clock, directory } = c.deps;

  // ---------- swaps ----------

  async function swapContext(trx: Kysely<DB>, assignmentId: string, field: string) {
    const a = await store.findAssignment(trx, assignmentId);
    if (!a) throw invalid(field, 'errors.notFound', { entity: 'assignment', id: assignmentId });
    const r = await c.getRosterOr404(trx, a.rosterId);
    return { a, r };
  }

  async function requestSwap(
    actor: Actor,
    requesterId: string,
    input: {
      kind: 'substitution' | 'swap';
      assignmentId: string;
      counterAssignmentId?: string;
      substituteId: string;
      reason: string;
    },
  ) {
    const pre = await store.findAssignment(db, input.assignmentId);
    if (!pre) {
      throw invalid('assignmentId', 'errors.notFound', {
        entity: 'assignment',
        id: input.assignmentId,
      });
    }
    const dir = await c.preload(pre.rosterId);
    return db.transaction().execute(async (trx) => {
      const { a, r } = await swapContext(trx, input.assignmentId, 'assignmentId');
      if (!LIVE_STATUSES.has(r.status) || r.status === 'closed') {
        throw conflict('roster_not_published', 'roster.service.notPublished');
      }
      const ctx = await c.teamContext(trx, dir);
      c.assertMember(ctx, input.substituteId, 'substituteId');
      const swaps = await c.approvedSwaps(trx, r.id);
      const owner = applySwaps([a], swaps)[0]!.personId;
      const counter = input.counterAssignmentId
        ? (await swapContext(trx, input.counterAssignmentId, 'counterAssignmentId')).a
        : undefined;
      if (counter && counter.rosterId !== r.id) {
        throw invalid('counterAssignmentId', 'errors.notFound', {
          entity: 'assignment',
          id: counter.id,
        });
      }
      const shiftOf = (x: Assignment) => ctx.shiftTypes.find((s) => s.id === x.shiftTypeId)!;
      const postOf = (x: Assignment) => ctx.posts.find((p) => p.id === x.postId)!;
      const skills = (id: string) => ctx.people.find((p) => p.id === id)?.skills ?? [];
      validateSwapRequest({
        kind: input.kind,
        requesterId,
        substituteId: input.substituteId,
        assignment: {
          personId: owner,
          postId: a.postId,
          interval: shiftInterval(a.date, shiftOf(a), ctx.team.timeZone),
        },
        ...(counter
          ? {
              counterAssignment: {
                personId: applySwaps([counter], swaps)[0]!.personId,
                postId: counter.postId,
                interval: shiftInterval(counter.date, shiftOf(counter), ctx.team.timeZone),
              },
              counterPost: postOf(counter),
            }
          : {}),
        post: postOf(a),
        substituteSkills: skills(input.substituteId),
        requesterSkills: skills(requesterId),
        now: clock.now(),
        config: ctx.settings.config,
      });
      const open = await store.listSwaps(trx, {
        rosterId: r.id,
        statuses: ['pending_substitute', 'pending_approval'],
      });
      if (open.some((s) => s.assignmentId === a.id || s.counterAssignmentId === a.id)) {
        throw conflict('swap_pending', 'roster.service.swapPending', {}, 'assignmentId');
      }
      const now = clock.now();
      const swap: store.StoredSwap = {
        id: newId(),
        rosterId: r.id,
        kind: input.kind,
        assignmentId: a.id,
        ...(counter ? { counterAssignmentId: counter.id } : {}),
        requesterId,
        substituteId: input.substituteId,
        reason: input.reason,
        status: 'pending_substitute',
        createdAt: now,
        updatedAt: now,
      };
      if ((input.kind === 'swap') !== (counter !== undefined)) {
        throw invalid('counterAssignmentId', 'roster.errors.swapCounterAssignment');
      }
      await store.insertSwap(trx, swap);
      await event(trx, swap.id, actor, 'request', null, swap.status);
      await c.deps.notify(trx, {
        userIds: [input.substituteId],
        kind: 'roster.swap',
        messageKey: 'roster.notify.swapRequested',
        params: {
          requester: c.nameIn(dir, requesterId),
          date: a.date,
          shift: shiftOf(a).name,
          post: postOf(a).name,
        },
        link: '/roster-requests',
        email: true,
      });
      await recordAudit(trx, actor, now, {
        action: 'roster.swap.request',
        entityType: 'roster_swap',
        entityId: swap.id,
        after: swap,
      });
      return swap;
    });
  }

  async function event(
    trx: Kysely<DB>,
    requestId: string,
    actor: Actor,
    action: string,
    from: string | null,
    to: string,
  ) {
    await store.insertRequestEvent(trx, {
      id: newId(),
      requestId,
      at: clock.now(),
      actorId: actor.userId,
      action,
      from,
      to,
    });
  }

  type SwapMove = 'accept' | 'decline' | 'withdraw' | 'approve' | 'reject' | 'cancel';

  /**
   * One step of a swap request. `asAdmin` is true on the duty admin's route; otherwise the
   * caller acts as the substitute (accept/decline) or the requester (withdraw).
   */
  async function moveSwap(
    actor: Actor,
    personId: string,
    swapId: string,
    action: SwapMove,
    asAdmin: boolean,
  ) {
    const pre = await store.findSwap(db, swapId);
    if (!pre) throw notFound('swap', swapId);
    const dir = await c.preload(pre.rosterId);
    return db.transaction().execute(async (trx) => {
      const s = await store.findSwap(trx, swapId);
      if (!s) throw notFound('swap', swapId);
      const role = asAdmin
        ? 'admin'
        : action === 'withdraw'
          ? s.requesterId === personId
            ? 'requester'
            : null
          : s.substituteId === personId
            ? 'substitute'
            : null;
      if (role === null) throw forbidden('roster.service.notYourShift');
      const status = nextSwapStatus(s.status, action, role);
      const r = await c.getRosterOr404(trx, s.rosterId);
      const ctx = await c.teamContext(trx, dir);
      const a = await store.findAssignment(trx, s.assignmentId);
      let added: Violation[] = [];
      if (action === 'approve') {
        const assignments = await c.effectiveAssignments(trx, r.id);
        const outcome = swapOutcome(await c.checkInput(trx, r, ctx, assignments), s);
        added = outcome.added;
        if (outcome.blocking) {
          return { ok: false as const, violations: outcome.added };
        }
      }
      const now = clock.now();
      await store.setSwapStatus(trx, s.id, status, now);
      await event(trx, s.id, actor, action, s.status, status);
      const after = { ...s, status, updatedAt: now };
      if (action === 'approve' || (action === 'cancel' && s.status === 'approved')) {
        await c.rebuildSegments(trx, r, ctx.team.timeZone);
      }
      const shift = ctx.shiftTypes.find((x) => x.id === a?.shiftTypeId);
      const params = {
        requester: c.nameIn(dir, s.requesterId),
        substitute: c.nameIn(dir, s.substituteId),
        date: a?.date ?? '',
        shift: shift?.name ?? '',
        outcome: status,
      };
      if (action === 'accept') {
        if (dir.approvers.length > 0) {
          await c.deps.notify(trx, {
            userIds: dir.approvers,
            kind: 'roster.swap',
            messageKey: 'roster.notify.swapAccepted',
            params,
            link: '/roster-requests',
            email: true,
          });
        }
      } else {
        await c.deps.notify(trx, {
          userIds: [s.requesterId, s.substituteId, ...(actor.userId ? [actor.userId] : [])],
          kind: 'roster.swap',
          messageKey: 'roster.notify.swapDecided',
          params,
          link: '/roster-requests',
          email: action === 'approve' || action === 'reject',
        });
      }
      await recordAudit(trx, actor, now, {
        action: `roster.swap.${action}`,
        entityType: 'roster_swap',
        entityId: s.id,
        before: { status: s.status },
        after: { status },
      });
      return { ok: true as const, swap: after, violations: added };
    });
  }

  async function swapHistory(swapId: string) {
    const s = await store.findSwap(db, swapId);
    if (!s) throw notFound('swap', swapId);
    return { swap: s, events: await store.listRequestEvents(db, s.id) };
  }

  // ---------- leave ----------

  async function requestLeave(
    actor: Actor,
    personId: string,
    input: { kind: 'leave' | 'unavailable'; startDate: string; endDate: string; reason: string },
  ) {
    const admins = await directory.approvers();
    const [person] = await directory.people([personId]);
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const l: store.StoredLeave = {
        id: newId(),
        personId,
        ...input,
        status: 'pending',
        createdAt: now,
      };
      if (l.endDate < l.startDate) throw invalid('endDate', 'roster.errors.periodReversed');
      await store.insertLeave(trx, l);
      await event(trx, l.id, actor, 'request', null, 'pending');
      if (admins.length > 0) {
        await c.deps.notify(trx, {
          userIds: admins,
          kind: 'roster.leave',
          messageKey: 'roster.notify.leaveRequested',
          params: {
            person: person?.name ?? personId,
            kind: input.kind,
            startDate: l.startDate,
            endDate: l.endDate,
          },
          link: '/roster-requests',
        });
      }
      await recordAudit(trx, actor, now, {
        action: 'roster.leave.request',
        entityType: 'roster_leave',
        entityId: l.id,
        after: l,
      });
      return l;
    });
  }

  async function decideLeave(actor: Actor, id: string, action: 'approve' | 'reject' | 'cancel') {
    return db.transaction().execute(async (trx) => {
      const l = await store.findLeave(trx, id);
      if (!l) throw notFound('leave', id);
      const status = nextLeaveStatus(l.status, action);
      const now = clock.now();
      await store.setLeaveStatus(trx, id, status, now);
      await event(trx, id, actor, action, l.status, status);
      await c.deps.notify(trx, {
        userIds: [l.personId],
        kind: 'roster.leave',
        messageKey: 'roster.notify.leaveDecided',
        params: { startDate: l.startDate, endDate: l.endDate, outcome: status },
        link: '/my-shifts',
        email: true,
      });
      await recordAudit(trx, actor, now, {
        action: `roster.leave.${action}`,
        entityType: 'roster_leave',
        entityId: id,
        before: { status: l.status },
        after: { status },
      });
      return { ...l, status };
    });
  }

  /** The duty admin's inbox: open swap and leave requests (and recent decided ones). */
  async function requests(filter: { open: boolean; personId?: string }) {
    const swapStatuses = filter.open ? ['pending_substitute', 'pending_approval'] : undefined;
    const swaps = await store.listSwaps(db, {
      ...(swapStatuses ? { statuses: swapStatuses } : {}),
      ...(filter.personId ? { personId: filter.personId } : {}),
    });
    const leave = await store.listLeave(db, {
      ...(filter.open ? { statuses: ['pending'] } : {}),
      ...(filter.personId ? { personIds: [filter.personId] } : {}),
    });
    const n = await c.names([
      ...swaps.flatMap((s) => [s.requesterId, s.substituteId]),
      ...leave.map((l) => l.personId),
    ]);
    const assignments = new Map<string, Assignment>();
    for (const s of swaps) {
      const a = await store.findAssignment(db, s.assignmentId);
      if (a) assignments.set(a.id, a);
    }
    return {
      swaps: swaps.map((s) => ({
        ...s,
        requesterName: n.get(s.requesterId) ?? s.requesterId,
        substituteName: n.get(s.substituteId) ?? s.substituteId,
        date: assignments.get(s.assignmentId)?.date ?? null,
      })),
      leave: leave.map((l) => ({ ...l, personName: n.get(l.personId) ?? l.personId })),
    };
  }

  // ---------- emergency override ----------

  async function createOverride(
    actor: Actor,
    input: {
      postId: string;
      personId: string;
      replacesPersonId?: string;
      startMs: number;
      endMs: number;
      reason: string;
    },
  ) {
    validateOverride({ ...input, actorIsDutyManager: true });
    const post = await store.findPostTeam(db, input.postId);
    if (!post) throw invalid('postId', 'roster.service.unknownPost', { postId: input.postId });
    const dir = await c.dirOf(post.teamId);
    const team = dir.team;
    return db.transaction().execute(async (trx) => {
      if (!team.memberIds.includes(input.personId)) {
        throw invalid('personId', 'roster.service.notMember', {
          person: input.personId,
          team: team.name,
        });
      }
      const now = clock.now();
      const o = {
        id: newId(),
        ...input,
        reason: input.reason.trim(),
        createdBy: actor.userId ?? 'system',
        createdAt: now,
      };
      await store.insertOverride(trx, post.teamId, o);
      await store.insertSegments(
        trx,
        chunk({
          personId: o.personId,
          postId: o.postId,
          startMs: o.startMs,
          endMs: o.endMs,
          source: 'override',
          refId: o.id,
        }).map((s) => ({
          ...s,
          id: newId(),
          teamId: post.teamId,
          rosterId: null,
          overrideId: o.id,
        })),
      );
      if (o.replacesPersonId) {
        const fromDate = new Date(o.startMs - 2 * 86_400_000).toISOString().slice(0, 10);
        const toDate = new Date(o.endMs + 2 * 86_400_000).toISOString().slice(0, 10);
        for (const r of await store.listRostersMeeting(trx, post.teamId, fromDate, toDate)) {
          await c.rebuildSegments(trx, r, team.timeZone);
        }
      }
      const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
      await c.deps.notify(trx, {
        userIds: [o.personId, ...(o.replacesPersonId ? [o.replacesPersonId] : [])],
        kind: 'roster.override',
        messageKey: 'roster.notify.override',
        params: {
          post: post.name,
          person: c.nameIn(dir, o.personId),
          from: fmt(o.startMs),
          to: fmt(o.endMs),
          reason: o.reason,
        },
        link: '/my-shifts',
        email: true,
      });
      await recordAudit(trx, actor, now, {
        action: 'roster.override.create',
        entityType: 'roster_override',
        entityId: o.id,
        after: o,
      });
      return o;
    });
  }

  return {
    requestSwap,
    moveSwap,
    swapHistory,
    requestLeave,
    decideLeave,
    requests,
    createOverride,
  };
}
