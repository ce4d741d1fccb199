import { conflict, invalid } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { daysBetween } from './local-date.js';
import { assertAssignmentFits, checkRoster } from './rest-rules.js';
import { rosterSchema } from './roster.schema.js';
import * as store from './roster.store.js';
import { type RosterContext, parseWith } from './roster-context.service.js';
import { applyRotation, copyPeriod, parsePattern } from './rotation.js';

const MAX_PERIOD_DAYS = 62;

/** The duty admin's month: rosters, building one (copy, rotation) and editing its grid. */
export function createMonthUseCases(c: RosterContext) {
  const { db, clock } = c.deps;

  async function getRoster(rosterId: string) {
    return c.view(db, rosterId);
  }

  async function listRosters(teamId?: string) {
    return store.listRosters(db, teamId);
  }

  async function createRoster(
    actor: Actor,
    input: {
      teamId: string;
      periodStart: string;
      periodEnd: string;
      copyFrom?: { rosterId: string; alignment: 'weekday' | 'date' };
    },
  ) {
    const dir = await c.dirOf(input.teamId);
    return db.transaction().execute(async (trx) => {
      const ctx = await c.teamContext(trx, dir);
      const id = newId();
      parseWith(rosterSchema, {
        id,
        teamId: input.teamId,
        timeZone: ctx.team.timeZone,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
      });
      if (daysBetween(input.periodStart, input.periodEnd) + 1 > MAX_PERIOD_DAYS) {
        throw invalid('periodEnd', 'roster.service.periodTooLong', { max: MAX_PERIOD_DAYS });
      }
      const clash = await store.listRostersMeeting(
        trx,
        input.teamId,
        input.periodStart,
        input.periodEnd,
      );
      if (clash.length > 0) {
        throw conflict(
          'roster_overlap',
          'roster.service.rosterOverlap',
          { periodStart: clash[0]!.periodStart, periodEnd: clash[0]!.periodEnd },
          'periodStart',
        );
      }
      const record: store.RosterRecord = {
        id,
        teamId: input.teamId,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
        status: 'draft',
        publishedAt: null,
        publishedBy: null,
      };
      await store.insertRoster(trx, record, clock.now());
      let copied = 0;
      if (input.copyFrom) {
        const source = await store.findRoster(trx, input.copyFrom.rosterId);
        if (!source || source.teamId !== input.teamId) {
          throw invalid('copyFrom.rosterId', 'errors.notFound', {
            entity: 'roster',
            id: input.copyFrom.rosterId,
          });
        }
        const members = new Set(ctx.team.memberIds);
        const postIds = new Map(ctx.posts.map((p) => [p.id, p]));
        const list = copyPeriod(
          await c.effectiveAssignments(trx, source.id),
          source.periodStart,
          source.periodEnd,
          input.periodStart,
          input.periodEnd,
          input.copyFrom.alignment,
        )
          .filter(
            (a) =>
              members.has(a.personId) &&
              postIds.get(a.postId)?.shiftTypeIds.includes(a.shiftTypeId),
          )
          .map((a) => ({ ...a, id: newId() }));
        await store.insertAssignments(trx, id, list);
        copied = list.length;
      }
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.create',
        entityType: 'roster',
        entityId: id,
        after: { ...record, copiedFrom: input.copyFrom?.rosterId ?? null, copied },
      });
      return c.view(trx, id, dir);
    });
  }

  async function applyRotationTo(
    actor: Actor,
    rosterId: string,
    input: {
      pattern: string;
      anchorDate: string;
      members: { personId: string; postId: string; offset: number }[];
      replace: boolean;
    },
  ) {
    const dir = await c.preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      c.assertEditable(r);
      const ctx = await c.teamContext(trx, dir);
      input.members.forEach((m, i) => {
        c.assertMember(ctx, m.personId, `members.${i}.personId`);
        if (!ctx.posts.some((p) => p.id === m.postId)) {
          throw invalid(`members.${i}.postId`, 'roster.service.unknownPost', { postId: m.postId });
        }
      });
      const pattern = parsePattern(input.pattern);
      const made = applyRotation({
        pattern,
        anchorDate: input.anchorDate,
        members: input.members,
        periodStart: r.periodStart,
        periodEnd: r.periodEnd,
        shiftTypes: ctx.shiftTypes,
      });
      for (const a of made) assertAssignmentFits(a, r, ctx.posts);
      const people = [...new Set(input.members.map((m) => m.personId))];
      if (input.replace) await store.deleteAssignments(trx, r.id, { personIds: people });
      await store.insertAssignments(
        trx,
        r.id,
        made.map((a) => ({ ...a, id: newId() })),
      );
      await c.afterEdit(trx, r, ctx);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.rotation.apply',
        entityType: 'roster',
        entityId: r.id,
        after: { ...input, created: made.length },
      });
      return c.view(trx, r.id, dir);
    });
  }

  /** Set one grid cell (a person's duties on a date); an empty list clears it. */
  async function setCell(
    actor: Actor,
    rosterId: string,
    input: { personId: string; date: string; duties: { postId: string; shiftTypeId: string }[] },
  ) {
    const dir = await c.preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      c.assertEditable(r);
      const ctx = await c.teamContext(trx, dir);
      c.assertMember(ctx, input.personId);
      const list = input.duties.map((d) => ({
        ...d,
        personId: input.personId,
        date: input.date,
        id: newId(),
      }));
      for (const a of list) assertAssignmentFits(a, r, ctx.posts);
      if (input.duties.length === 0 && (input.date < r.periodStart || input.date > r.periodEnd)) {
        throw invalid('date', 'roster.violations.outsidePeriod', {
          date: input.date,
          periodStart: r.periodStart,
          periodEnd: r.periodEnd,
        });
      }
      const before = (await store.listAssignments(trx, r.id)).filter(
        (a) => a.personId === input.personId && a.date === input.date,
      );
      await store.deleteAssignments(trx, r.id, { personId: input.personId, date: input.date });
      await store.insertAssignments(trx, r.id, list);
      await c.afterEdit(trx, r, ctx);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.cell.set',
        entityType: 'roster',
        entityId: r.id,
        before,
        after: list,
      });
      const assignments = await c.effectiveAssignments(trx, r.id);
      const violations = checkRoster(await c.checkInput(trx, r, ctx, assignments));
      return { assignments: list, violations };
    });
  }

  return { listRosters, getRoster, createRoster, applyRotationTo, setCell };
}
