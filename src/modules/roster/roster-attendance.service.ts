import { conflict, forbidden, notFound } from '../../lib/errors.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { classifyAttendance } from './check-in.js';
import { applySwaps } from './on-duty.js';
import * as store from './roster.store.js';
import {
  H,
  LIVE_STATUSES,
  type RosterContext,
  type TeamContext,
} from './roster-context.service.js';
import { shiftInterval } from './shift-time.js';

/** A person's own shifts, and checking in and out of them. */
export function createAttendanceUseCases(c: RosterContext) {
  const { db, clock } = c.deps;

  /** Published shifts a person stands in [from, to] (local dates), after approved swaps. */
  async function myShifts(personId: string, from: string, to: string) {
    const own = await store.listPersonAssignments(db, personId, from, to);
    const swaps = await store.listSwaps(db, { personId, statuses: ['approved'] });
    const extraIds = swaps.flatMap((s) =>
      s.substituteId === personId
        ? [s.assignmentId]
        : s.counterAssignmentId
          ? [s.counterAssignmentId]
          : [],
    );
    const extra = [];
    for (const id of extraIds) {
      const a = await store.findAssignment(db, id);
      if (a && a.date >= from && a.date <= to) extra.push(a);
    }
    const rosters = new Map<string, store.RosterRecord>();
    const out = [];
    for (const a of [...own, ...extra]) {
      if (!rosters.has(a.rosterId)) {
        rosters.set(a.rosterId, await c.getRosterOr404(db, a.rosterId));
      }
      const r = rosters.get(a.rosterId)!;
      if (!LIVE_STATUSES.has(r.status)) continue;
      const effective = applySwaps([a], await c.approvedSwaps(db, r.id))[0]!;
      if (effective.personId !== personId) continue;
      out.push({ a, r });
    }
    const teams = new Map<string, TeamContext>();
    const result = [];
    for (const { a, r } of out) {
      if (!teams.has(r.teamId)) {
        teams.set(r.teamId, await c.teamContext(db, await c.dirOf(r.teamId)));
      }
      const ctx = teams.get(r.teamId)!;
      const shift = ctx.shiftTypes.find((s) => s.id === a.shiftTypeId);
      const post = ctx.posts.find((p) => p.id === a.postId);
      if (!shift || !post) continue;
      const interval = shiftInterval(a.date, shift, ctx.team.timeZone);
      const att = await store.findAttendance(db, a.id);
      const confirmation = (await store.listConfirmations(db, r.id)).find(
        (x) => x.personId === personId,
      );
      result.push({
        assignmentId: a.id,
        rosterId: r.id,
        period: { start: r.periodStart, end: r.periodEnd },
        timeZone: ctx.team.timeZone,
        date: a.date,
        shift: { id: shift.id, code: shift.code, name: shift.name, colour: shift.colour },
        post: { id: post.id, name: post.name },
        startMs: interval.startMs,
        endMs: interval.endMs,
        confirmedAt: confirmation?.confirmedAt ?? null,
        attendance: att
          ? {
              checkInAt: att.checkInAt,
              checkOutAt: att.checkOutAt,
              arrival: att.arrival,
              departure: att.departure,
              lateMinutes: att.lateMinutes,
            }
          : null,
      });
    }
    return result.sort((x, y) => x.startMs - y.startMs);
  }

  async function check(actor: Actor, personId: string, assignmentId: string, kind: 'in' | 'out') {
    const pre = await store.findAssignment(db, assignmentId);
    if (!pre) throw notFound('assignment', assignmentId);
    const dir = await c.preload(pre.rosterId);
    return db.transaction().execute(async (trx) => {
      const a = await store.findAssignment(trx, assignmentId);
      if (!a) throw notFound('assignment', assignmentId);
      const r = await c.getRosterOr404(trx, a.rosterId);
      if (!LIVE_STATUSES.has(r.status)) {
        throw conflict('roster_not_published', 'roster.service.notPublished');
      }
      const effective = applySwaps([a], await c.approvedSwaps(trx, r.id))[0]!;
      if (effective.personId !== personId) throw forbidden('roster.service.notYourShift');
      const ctx = await c.teamContext(trx, dir);
      const shift = ctx.shiftTypes.find((s) => s.id === a.shiftTypeId)!;
      const interval = shiftInterval(a.date, shift, ctx.team.timeZone);
      const now = clock.now();
      if (kind === 'in' && now < interval.startMs - 2 * H) {
        throw conflict('too_early', 'roster.service.checkInTooEarly', { hours: 2 });
      }
      const prev = await store.findAttendance(trx, a.id);
      const checkInAt = kind === 'in' ? (prev?.checkInAt ?? now) : (prev?.checkInAt ?? null);
      const checkOutAt = kind === 'out' ? now : (prev?.checkOutAt ?? null);
      const att = classifyAttendance(
        interval,
        checkInAt ?? undefined,
        checkOutAt ?? undefined,
        now,
      );
      const record: store.AttendanceRecord = {
        assignmentId: a.id,
        personId,
        checkInAt,
        checkOutAt,
        ...att,
      };
      await store.upsertAttendance(trx, record, now);
      await recordAudit(trx, actor, now, {
        action: `roster.check${kind === 'in' ? 'In' : 'Out'}`,
        entityType: 'roster_assignment',
        entityId: a.id,
        before: prev ?? null,
        after: record,
      });
      return record;
    });
  }

  return {
    myShifts,
    checkIn: (actor: Actor, personId: string, id: string) => check(actor, personId, id, 'in'),
    checkOut: (actor: Actor, personId: string, id: string) => check(actor, personId, id, 'out'),
  };
}
