import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { DomainError, conflict, invalid } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { daysBetween } from './local-date.js';
import { nextRosterStatus } from './requests.js';
import { assertAssignmentFits, checkRoster } from './rest-rules.js';
import { rosterSchema } from './roster.schema.js';
import * as store from './roster.store.js';
import { type RosterContext, type TeamContext, parseWith } from './roster-context.service.js';
import { applyRotation, copyPeriod, parsePattern } from './rotation.js';
import { localDateOf } from './shift-time.js';

const MAX_PERIOD_DAYS = 62;
/** Cells one batch may set (a drag moves two; a pasted week of a dozen people fits). */
export const MAX_CELLS_PER_BATCH = 400;

export interface CellInput {
  personId: string;
  date: string;
  duties: { postId: string; shiftTypeId: string }[];
}

/** Runs `fn`; a validation error it throws names its field under `prefix` (cells.3.date). */
function underField<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'validation' && e.field) {
      const { field: _old, ...params } = e.params;
      throw invalid(`${prefix}.${e.field}`, e.messageKey, params);
    }
    throw e;
  }
}

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

  /**
   * Replace the duties of each given cell (person × date) in one transaction: every cell is
   * written or none is. `prefix` names the fields of cell i in errors (`cells.i.date`).
   */
  async function writeCells(
    trx: Kysely<DB>,
    r: store.RosterRecord,
    ctx: TeamContext,
    cells: readonly CellInput[],
    prefix: (i: number) => string,
  ) {
    const seen = new Set<string>();
    const written: store.StoredAssignment[] = [];
    const all = await store.listAssignments(trx, r.id);
    const before: store.StoredAssignment[] = [];
    cells.forEach((cell, i) => {
      const field = (f: string) => [prefix(i), f].filter(Boolean).join('.');
      c.assertMember(ctx, cell.personId, field('personId'));
      const key = `${cell.personId}|${cell.date}`;
      if (seen.has(key)) {
        throw invalid(field('date'), 'roster.service.cellTwice', {
          person: c.nameIn(ctx.dir, cell.personId),
          date: cell.date,
        });
      }
      seen.add(key);
      const list = cell.duties.map((d) => ({
        ...d,
        personId: cell.personId,
        date: cell.date,
        id: newId(),
      }));
      if (cell.date < r.periodStart || cell.date > r.periodEnd) {
        throw invalid(field('date'), 'roster.violations.outsidePeriod', {
          date: cell.date,
          periodStart: r.periodStart,
          periodEnd: r.periodEnd,
        });
      }
      list.forEach((a, j) =>
        underField(field(`duties.${j}`), () => assertAssignmentFits(a, r, ctx.posts)),
      );
      before.push(...all.filter((a) => a.personId === cell.personId && a.date === cell.date));
      written.push(...list);
    });
    for (const cell of cells) {
      await store.deleteAssignments(trx, r.id, { personId: cell.personId, date: cell.date });
    }
    await store.insertAssignments(trx, r.id, written);
    await c.afterEdit(trx, r, ctx);
    return { before, written };
  }

  /** Set one grid cell (a person's duties on a date); an empty list clears it. */
  async function setCell(actor: Actor, rosterId: string, input: CellInput) {
    const dir = await c.preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      c.assertEditable(r);
      const ctx = await c.teamContext(trx, dir);
      const { before, written } = await writeCells(trx, r, ctx, [input], () => '');
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.cell.set',
        entityType: 'roster',
        entityId: r.id,
        before,
        after: written,
      });
      const assignments = await c.effectiveAssignments(trx, r.id);
      const violations = checkRoster(await c.checkInput(trx, r, ctx, assignments));
      return { assignments: written, violations };
    });
  }

  /**
   * Set several cells at once, all or nothing: a drag that moves a cell to another person or
   * day (source cleared, target set) is one change, never half of one.
   */
  async function setCells(actor: Actor, rosterId: string, cells: CellInput[]) {
    if (cells.length === 0) throw invalid('cells', 'validation.required');
    const dir = await c.preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      c.assertEditable(r);
      const ctx = await c.teamContext(trx, dir);
      const { before, written } = await writeCells(trx, r, ctx, cells, (i) => `cells.${i}`);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.cells.set',
        entityType: 'roster',
        entityId: r.id,
        before,
        after: written,
      });
      const assignments = await c.effectiveAssignments(trx, r.id);
      const violations = checkRoster(await c.checkInput(trx, r, ctx, assignments));
      return { assignments: written, violations };
    });
  }

  /**
   * Close a roster whose period is over (in the team's zone): it stays the record of who was
   * on duty, but takes no more edits or swap requests; open swap requests on it are cancelled.
   */
  async function closeRoster(actor: Actor, rosterId: string) {
    const dir = await c.preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      const status = nextRosterStatus(r.status, 'close');
      const now = clock.now();
      if (localDateOf(now, dir.team.timeZone) <= r.periodEnd) {
        throw conflict('roster_not_over', 'roster.service.closeBeforeEnd', {
          periodEnd: r.periodEnd,
        });
      }
      const open = await store.listSwaps(trx, {
        rosterId: r.id,
        statuses: ['pending_substitute', 'pending_approval'],
      });
      for (const swap of open) {
        await store.setSwapStatus(trx, swap.id, 'cancelled', now);
        await store.insertRequestEvent(trx, {
          id: newId(),
          requestId: swap.id,
          at: now,
          actorId: actor.userId,
          action: 'cancel',
          from: swap.status,
          to: 'cancelled',
        });
      }
      await store.updateRosterStatus(trx, r.id, { status }, now);
      await recordAudit(trx, actor, now, {
        action: 'roster.close',
        entityType: 'roster',
        entityId: r.id,
        before: { status: r.status },
        after: { status, cancelledSwaps: open.map((x) => x.id) },
      });
      return { ...r, status };
    });
  }

  /** Delete a draft roster (made for the wrong month, say); published ones are closed instead. */
  async function deleteRoster(actor: Actor, rosterId: string) {
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      if (r.status !== 'draft') {
        throw conflict('roster_not_draft', 'roster.service.deleteNotDraft', {
          status: r.status,
        });
      }
      const assignments = await store.listAssignments(trx, r.id);
      await store.deleteRoster(trx, r.id);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.delete',
        entityType: 'roster',
        entityId: r.id,
        before: { ...r, assignments: assignments.length },
      });
    });
  }

  return {
    listRosters,
    getRoster,
    createRoster,
    applyRotationTo,
    setCell,
    setCells,
    closeRoster,
    deleteRoster,
  };
}
