import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { forbidden, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { buildIcalFeed } from './ical-feed.js';
import { applySwaps } from './on-duty.js';
import {
  type GridContext,
  type GridError,
  exportRosterWorkbook,
  gridFromAssignments,
  importRosterWorkbook,
} from './roster-grid.js';
import type { Post, ShiftType } from './roster.schema.js';
import * as store from './roster.store.js';
import { type Dir, LIVE_STATUSES, type RosterContext } from './roster-context.service.js';

/** The roster outside the app: the Excel workbook (export, all-or-nothing import) and iCalendar feeds. */
export function createFeedUseCases(
  c: RosterContext,
  /** A person's published shifts (the attendance use case), for the person feed. */
  shiftsOf: (personId: string, from: string, to: string) => Promise<{ assignmentId: string }[]>,
) {
  const { db, clock, directory } = c.deps;

  // ---------- Excel ----------

  async function gridContext(trx: Kysely<DB>, r: store.RosterRecord, dir: Dir) {
    const ctx = await c.teamContext(trx, dir);
    const g: GridContext = {
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      people: ctx.people,
      posts: ctx.posts,
      shiftTypes: ctx.shiftTypes,
    };
    return { ctx, g };
  }

  async function exportXlsx(rosterId: string) {
    const r = await c.getRosterOr404(db, rosterId);
    const { g, ctx } = await gridContext(db, r, await c.dirOf(r.teamId));
    const grid = gridFromAssignments(await c.effectiveAssignments(db, r.id), g);
    const bytes = await exportRosterWorkbook(grid, g, `${ctx.team.name} ${r.periodStart}`);
    return { bytes, filename: `roster-${r.periodStart}.xlsx` };
  }

  /** All-or-nothing import: the grid replaces the roster's assignments, or nothing changes. */
  async function importXlsx(
    actor: Actor,
    rosterId: string,
    bytes: Uint8Array,
  ): Promise<{ ok: true; imported: number } | { ok: false; errors: GridError[] }> {
    const dir = await c.preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      c.assertEditable(r);
      const { g, ctx } = await gridContext(trx, r, dir);
      const result = await importRosterWorkbook(bytes, g);
      if (!result.ok) return { ok: false as const, errors: result.errors };
      await store.deleteAssignments(trx, r.id);
      await store.insertAssignments(
        trx,
        r.id,
        result.assignments.map((a) => ({ ...a, id: newId() })),
      );
      await c.afterEdit(trx, r, ctx);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.import',
        entityType: 'roster',
        entityId: r.id,
        after: { imported: result.assignments.length },
      });
      return { ok: true as const, imported: result.assignments.length };
    });
  }

  // ---------- iCalendar feeds ----------

  async function createFeed(
    actor: Actor,
    caller: { userId: string; canManage: boolean },
    input: { kind: 'person' | 'post'; subjectId: string },
  ) {
    if (input.kind === 'person' && input.subjectId !== caller.userId && !caller.canManage) {
      throw forbidden('roster.service.feedForbidden');
    }
    if (input.kind === 'post' && !(await store.findPostTeam(db, input.subjectId))) {
      throw invalid('subjectId', 'roster.service.unknownPost', { postId: input.subjectId });
    }
    if (input.kind === 'person' && (await directory.people([input.subjectId])).length === 0) {
      throw invalid('subjectId', 'errors.notFound', { entity: 'user', id: input.subjectId });
    }
    return db.transaction().execute(async (trx) => {
      const token = randomToken(24);
      const id = newId();
      await store.insertFeed(trx, {
        id,
        kind: input.kind,
        subjectId: input.subjectId,
        createdBy: caller.userId,
        revokedAt: null,
        tokenHash: sha256(token),
        createdAt: clock.now(),
      });
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.feed.create',
        entityType: 'roster_feed',
        entityId: id,
        after: input,
      });
      return { id, token, path: `/api/roster/feeds/${token}.ics` };
    });
  }

  async function revokeFeed(
    actor: Actor,
    caller: { userId: string; canManage: boolean },
    id: string,
  ) {
    return db.transaction().execute(async (trx) => {
      const f = await store.findFeed(trx, id);
      if (!f) throw notFound('feed', id);
      if (f.createdBy !== caller.userId && !caller.canManage) {
        throw forbidden('roster.service.feedForbidden');
      }
      await store.revokeFeed(trx, id, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.feed.revoke',
        entityType: 'roster_feed',
        entityId: id,
      });
    });
  }

  /** The feed's iCalendar text; unknown or revoked tokens are not found. */
  async function feedIcs(token: string): Promise<string> {
    const f = await store.findFeedByHash(db, sha256(token));
    if (!f || f.revokedAt !== null) throw notFound('feed', '-');
    const now = clock.now();
    const from = new Date(now - 62 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(now + 400 * 86_400_000).toISOString().slice(0, 10);
    let rows: (store.StoredAssignment & { rosterId: string })[];
    let name: string;
    if (f.kind === 'person') {
      const shifts = await shiftsOf(f.subjectId, from, to);
      rows = [];
      for (const s of shifts) {
        const a = await store.findAssignment(db, s.assignmentId);
        if (a) rows.push({ ...a, personId: f.subjectId });
      }
      name = `${(await c.names([f.subjectId])).get(f.subjectId) ?? ''} · 值班 Duty`;
    } else {
      const post = await store.findPostTeam(db, f.subjectId);
      if (!post) throw notFound('feed', '-');
      rows = [];
      const byRoster = new Map<string, (store.StoredAssignment & { rosterId: string })[]>();
      for (const a of await store.listPostAssignments(db, f.subjectId, from, to)) {
        byRoster.set(a.rosterId, [...(byRoster.get(a.rosterId) ?? []), a]);
      }
      for (const [rosterId, list] of byRoster) {
        const r = await c.getRosterOr404(db, rosterId);
        if (!LIVE_STATUSES.has(r.status)) continue;
        rows.push(...applySwaps(list, await c.approvedSwaps(db, rosterId)));
      }
      name = `${post.name} · 值班 Duty`;
    }
    const teamIds = new Set<string>();
    for (const a of rows) teamIds.add((await c.getRosterOr404(db, a.rosterId)).teamId);
    const shiftTypes: ShiftType[] = [];
    const posts: Post[] = [];
    let timeZone = 'UTC';
    for (const teamId of teamIds) {
      const ctx = await c.teamContext(db, await c.dirOf(teamId));
      shiftTypes.push(...ctx.shiftTypes);
      posts.push(...ctx.posts);
      timeZone = ctx.team.timeZone;
    }
    const personNames = await c.names([...new Set(rows.map((a) => a.personId))]);
    return buildIcalFeed({
      name,
      timeZone,
      assignments: rows,
      shiftTypes,
      posts,
      personNames,
      generatedAt: now,
    });
  }

  return { exportXlsx, importXlsx, createFeed, revokeFeed, feedIcs };
}
