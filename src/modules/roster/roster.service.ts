import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type JobHandler, enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import type { DomainError } from '../../lib/errors.js';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import type { NotifyInput } from '../inbox/inbox.service.js';
import { classifyAttendance } from './check-in.js';
import { buildIcalFeed } from './ical-feed.js';
import { addDays, daysBetween } from './local-date.js';
import { type DutySegment, applySwaps, resolveDuty } from './on-duty.js';
import {
  type RequestConfig,
  defaultRequestConfig,
  nextLeaveStatus,
  nextRosterStatus,
  nextSwapStatus,
  reminderSchedule,
  swapOutcome,
  validateOverride,
  validateSwapRequest,
} from './requests.js';
import {
  type RosterCheckInput,
  type Violation,
  assertAssignmentFits,
  checkRoster,
  coverCounts,
} from './rest-rules.js';
import {
  type GridContext,
  type GridError,
  exportRosterWorkbook,
  gridFromAssignments,
  importRosterWorkbook,
} from './roster-grid.js';
import {
  type Assignment,
  type Person,
  type Post,
  type RestRules,
  type ShiftType,
  type TeamCalendar,
  defaultRestRules,
  postSchema,
  restRulesSchema,
  rosterSchema,
  shiftSetIssues,
  shiftTypeSchema,
  teamCalendarSchema,
} from './roster.schema.js';
import * as store from './roster.store.js';
import { copyPeriod, applyRotation, parsePattern } from './rotation.js';
import { localToUtc, shiftInterval } from './shift-time.js';

/** What the roster needs to know about teams and people (the users module implements it). */
export interface RosterDirectory {
  team(id: string): Promise<{ id: string; name: string; timeZone: string; memberIds: string[] }>;
  people(ids: readonly string[]): Promise<{ id: string; name: string }[]>;
  /** Users who approve requests (duty admins). */
  approvers(): Promise<string[]>;
}

export interface RosterDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  notify(trx: Kysely<DB>, input: NotifyInput): Promise<unknown>;
  directory: RosterDirectory;
  /** The SQLite file, when the dialect is SQLite: on-duty reads then use a prepared reader. */
  sqliteFile?: string;
}

/** Stored duty segments are at most this long (long overrides are cut), see findSegments. */
export const MAX_SEGMENT_MS = 48 * 3_600_000;
export const ROSTER_REMINDER_JOB = 'roster.confirm-reminder';
const LIVE_STATUSES = new Set(['published', 'amended', 'closed']);
const EDITABLE_STATUSES = new Set(['draft', 'amended']);
const MAX_PERIOD_DAYS = 62;
const H = 3_600_000;

/** A zod failure of a pure schema as a DomainError naming the field and the message key. */
function fromZod(error: z.ZodError, prefix = ''): DomainError {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'body';
  const params = (issue as { params?: Record<string, string | number> }).params ?? {};
  const key = issue.message.startsWith('roster.') ? issue.message : 'validation.invalid';
  return invalid(field, key, params);
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, prefix);
  return r.data;
}

export interface ShiftTypeInput {
  code: string;
  name: string;
  start: string;
  end: string;
  breakMinutes?: number;
  colour: string;
  night?: boolean;
}

export interface PostInput {
  name: string;
  shiftTypeIds: string[];
  cover?: Post['cover'];
  requiredSkills?: string[];
}

export interface SettingsInput {
  rules?: RestRules;
  calendar?: Partial<TeamCalendar>;
  config?: Partial<RequestConfig>;
}

interface Dir {
  team: { id: string; name: string; timeZone: string; memberIds: string[] };
  names: Map<string, string>;
  approvers: string[];
}

export type PublishResult =
  | { ok: true; roster: store.RosterRecord; violations: Violation[]; notified: number }
  | { ok: false; violations: Violation[] };

export function createRosterService(deps: RosterDeps) {
  const { db, clock, directory } = deps;
  const reader =
    deps.sqliteFile && deps.sqliteFile !== ':memory:'
      ? store.openSqliteSegmentReader(deps.sqliteFile)
      : undefined;
  const findSegments = async (
    where: { postId: string } | { teamId: string },
    fromMs: number,
    toMs: number,
  ) =>
    reader
      ? reader.find(where, fromMs, toMs, MAX_SEGMENT_MS)
      : store.findSegments(db, where, fromMs, toMs, MAX_SEGMENT_MS);

  // ---------- team context ----------

  async function settingsOf(trx: Kysely<DB>, teamId: string) {
    const s = await store.findTeamSettings(trx, teamId);
    return {
      rules: s?.rules ?? defaultRestRules,
      calendar: s?.calendar ?? {},
      config: { ...defaultRequestConfig, ...(s?.config ?? {}) },
    };
  }

  /**
   * Team and people from the users module, fetched before a transaction opens: the directory
   * reads through its own connection, which on SQLite would wait for ours.
   */
  async function dirOf(teamId: string): Promise<Dir> {
    const team = await directory.team(teamId);
    const people = await directory.people(team.memberIds);
    return {
      team,
      names: new Map(people.map((p) => [p.id, p.name])),
      approvers: await directory.approvers(),
    };
  }

  async function teamContext(trx: Kysely<DB>, dir: Dir) {
    const { team } = dir;
    const teamId = team.id;
    const [shiftTypes, posts, settings, data] = await Promise.all([
      store.listShiftTypes(trx, teamId),
      store.listPosts(trx, teamId),
      settingsOf(trx, teamId),
      store.listPersonData(trx, team.memberIds),
    ]);
    const people: Person[] = [...dir.names]
      .map(([id, name]) => ({ id, name }))
      .map((p) => ({
        id: p.id,
        name: p.name,
        skills: data.get(p.id)?.skills ?? [],
        ...(data.get(p.id)?.defaultPostId ? { defaultPostId: data.get(p.id)!.defaultPostId! } : {}),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { team, shiftTypes, posts, settings, people, dir };
  }
  type TeamContext = Awaited<ReturnType<typeof teamContext>>;

  function assertMember(ctx: TeamContext, personId: string, field = 'personId') {
    if (!ctx.team.memberIds.includes(personId)) {
      throw invalid(field, 'roster.service.notMember', { person: personId, team: ctx.team.name });
    }
  }

  async function getRosterOr404(trx: Kysely<DB>, id: string) {
    const r = await store.findRoster(trx, id);
    if (!r) throw notFound('roster', id);
    return r;
  }

  function assertEditable(r: store.RosterRecord) {
    if (!EDITABLE_STATUSES.has(r.status)) {
      throw conflict('roster_not_editable', 'roster.service.notEditable', { status: r.status });
    }
  }

  // ---------- setup ----------

  async function getSetup(teamId: string) {
    const ctx = await teamContext(db, await dirOf(teamId));
    return {
      team: { id: ctx.team.id, name: ctx.team.name, timeZone: ctx.team.timeZone },
      shiftTypes: ctx.shiftTypes,
      posts: ctx.posts,
      rules: ctx.settings.rules,
      calendar: ctx.settings.calendar,
      config: ctx.settings.config,
      people: ctx.people,
    };
  }

  async function createShiftType(actor: Actor, teamId: string, input: ShiftTypeInput) {
    await directory.team(teamId);
    return db.transaction().execute(async (trx) => {
      const s = parseWith(shiftTypeSchema, { ...input, id: newId() });
      const existing = await store.listShiftTypes(trx, teamId);
      const posts = await store.listPosts(trx, teamId);
      const issue = shiftSetIssues([...existing, s], posts).find(
        (i) => i.path[0] === 'shiftTypes' && i.path[1] === existing.length,
      );
      if (issue) throw invalid(String(issue.path[2] ?? 'code'), issue.message, issue.params);
      await store.insertShiftType(trx, teamId, s, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.shiftType.create',
        entityType: 'roster_shift_type',
        entityId: s.id,
        after: { teamId, ...s },
      });
      return s;
    });
  }

  async function createPost(actor: Actor, teamId: string, input: PostInput) {
    await directory.team(teamId);
    return db.transaction().execute(async (trx) => {
      const p = parseWith(postSchema, { ...input, id: newId() });
      const shiftTypes = await store.listShiftTypes(trx, teamId);
      const posts = await store.listPosts(trx, teamId);
      const issue = shiftSetIssues(shiftTypes, [...posts, p]).find(
        (i) => i.path[0] === 'posts' && i.path[1] === posts.length,
      );
      if (issue) {
        throw invalid(issue.path.slice(2).map(String).join('.'), issue.message, issue.params);
      }
      if (posts.some((x) => x.name === p.name)) {
        throw conflict('post_exists', 'errors.conflict', { name: p.name }, 'name');
      }
      await store.insertPost(trx, teamId, p, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.post.create',
        entityType: 'roster_post',
        entityId: p.id,
        after: { teamId, ...p },
      });
      return p;
    });
  }

  async function setSettings(actor: Actor, teamId: string, input: SettingsInput) {
    await directory.team(teamId);
    return db.transaction().execute(async (trx) => {
      const before = await settingsOf(trx, teamId);
      const next = {
        rules: input.rules ? parseWith(restRulesSchema, input.rules, 'rules') : before.rules,
        calendar: input.calendar
          ? parseWith(teamCalendarSchema, input.calendar, 'calendar')
          : before.calendar,
        config: { ...before.config, ...(input.config ?? {}) },
      };
      await store.upsertTeamSettings(trx, teamId, next, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.settings.update',
        entityType: 'team',
        entityId: teamId,
        before,
        after: next,
      });
      return next;
    });
  }

  async function setPersonData(
    actor: Actor,
    userId: string,
    input: { skills: string[]; defaultPostId?: string | null },
  ) {
    const [person] = await directory.people([userId]);
    if (!person) throw notFound('user', userId);
    return db.transaction().execute(async (trx) => {
      if (input.defaultPostId && !(await store.findPostTeam(trx, input.defaultPostId))) {
        throw invalid('defaultPostId', 'roster.service.unknownPost', {
          postId: input.defaultPostId,
        });
      }
      const before = (await store.listPersonData(trx, [userId])).get(userId) ?? null;
      const after: store.PersonRosterData = {
        id: userId,
        skills: [...new Set(input.skills.map((s) => s.trim()).filter(Boolean))],
        ...(input.defaultPostId ? { defaultPostId: input.defaultPostId } : {}),
      };
      await store.upsertPersonData(trx, after, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.person.update',
        entityType: 'user',
        entityId: userId,
        before,
        after,
      });
      return after;
    });
  }

  // ---------- rosters ----------

  async function approvedSwaps(trx: Kysely<DB>, rosterId: string) {
    return store.listSwaps(trx, { rosterId, statuses: ['approved'] });
  }

  /** The roster's assignments with approved swaps applied: who actually stands each shift. */
  async function effectiveAssignments(trx: Kysely<DB>, rosterId: string) {
    return applySwaps(
      await store.listAssignments(trx, rosterId),
      await approvedSwaps(trx, rosterId),
    );
  }

  async function checkInput(
    trx: Kysely<DB>,
    r: store.RosterRecord,
    ctx: TeamContext,
    assignments: readonly Assignment[],
  ): Promise<RosterCheckInput> {
    const [leave, neighbours] = await Promise.all([
      store.listLeave(trx, {
        personIds: ctx.people.map((p) => p.id),
        statuses: ['approved'],
        from: r.periodStart,
        to: r.periodEnd,
      }),
      store.listRostersMeeting(trx, r.teamId, addDays(r.periodStart, -7), addDays(r.periodEnd, 7)),
    ]);
    const context: Assignment[] = [];
    for (const n of neighbours) {
      if (n.id === r.id || !LIVE_STATUSES.has(n.status)) continue;
      for (const a of await effectiveAssignments(trx, n.id)) {
        if (a.date >= addDays(r.periodStart, -7) && a.date <= addDays(r.periodEnd, 7)) {
          context.push(a);
        }
      }
    }
    return {
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      timeZone: ctx.team.timeZone,
      assignments,
      shiftTypes: ctx.shiftTypes,
      posts: ctx.posts,
      people: ctx.people,
      leave,
      calendar: ctx.settings.calendar,
      rules: ctx.settings.rules,
      context,
    };
  }

  async function view(trx: Kysely<DB>, rosterId: string, dir?: Dir) {
    const r = await getRosterOr404(trx, rosterId);
    const ctx = await teamContext(trx, dir ?? (await dirOf(r.teamId)));
    const assignments = await effectiveAssignments(trx, r.id);
    const violations = checkRoster(await checkInput(trx, r, ctx, assignments));
    const cover = [...coverCounts(assignments)].map(([key, count]) => {
      const [postId, shiftTypeId, date] = key.split('|') as [string, string, string];
      return { postId, shiftTypeId, date, count };
    });
    return {
      roster: { ...r, timeZone: ctx.team.timeZone, teamName: ctx.team.name },
      people: ctx.people,
      shiftTypes: ctx.shiftTypes,
      posts: ctx.posts,
      assignments,
      violations,
      cover,
    };
  }

  /** The roster and the directory view of its team, read before a transaction. */
  async function preload(rosterId: string) {
    const r = await getRosterOr404(db, rosterId);
    return dirOf(r.teamId);
  }

  async function getRoster(rosterId: string) {
    return view(db, rosterId);
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
    const dir = await dirOf(input.teamId);
    return db.transaction().execute(async (trx) => {
      const ctx = await teamContext(trx, dir);
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
          await effectiveAssignments(trx, source.id),
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
      return view(trx, id, dir);
    });
  }

  /** After a change to a live roster: persist its duty segments again (same transaction). */
  async function rebuildSegments(trx: Kysely<DB>, r: store.RosterRecord, timeZone: string) {
    if (!LIVE_STATUSES.has(r.status)) {
      await store.replaceRosterSegments(trx, r.id, []);
      return;
    }
    const [assignments, swaps, shiftTypes] = await Promise.all([
      store.listAssignments(trx, r.id),
      approvedSwaps(trx, r.id),
      store.listShiftTypes(trx, r.teamId),
    ]);
    const from = localToUtc(r.periodStart, 0, timeZone);
    const to = localToUtc(addDays(r.periodEnd, 2), 0, timeZone);
    const overrides = (await store.listOverrides(trx, r.teamId, from, to)).filter(
      (o) => o.replacesPersonId !== undefined,
    );
    const segments = resolveDuty({ assignments, shiftTypes, timeZone, swaps, overrides })
      .filter((s) => s.source === 'assignment')
      .flatMap((s) => chunk(s))
      .map((s) => ({ ...s, id: newId(), teamId: r.teamId, rosterId: r.id, overrideId: null }));
    await store.replaceRosterSegments(trx, r.id, segments);
  }

  function chunk(s: DutySegment): DutySegment[] {
    const out: DutySegment[] = [];
    for (let a = s.startMs; a < s.endMs; a += MAX_SEGMENT_MS) {
      out.push({ ...s, startMs: a, endMs: Math.min(s.endMs, a + MAX_SEGMENT_MS) });
    }
    return out;
  }

  async function afterEdit(trx: Kysely<DB>, r: store.RosterRecord, ctx: TeamContext) {
    if (LIVE_STATUSES.has(r.status)) await rebuildSegments(trx, r, ctx.team.timeZone);
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
    const dir = await preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await getRosterOr404(trx, rosterId);
      assertEditable(r);
      const ctx = await teamContext(trx, dir);
      input.members.forEach((m, i) => {
        assertMember(ctx, m.personId, `members.${i}.personId`);
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
      await afterEdit(trx, r, ctx);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.rotation.apply',
        entityType: 'roster',
        entityId: r.id,
        after: { ...input, created: made.length },
      });
      return view(trx, r.id, dir);
    });
  }

  /** Set one grid cell (a person's duties on a date); an empty list clears it. */
  async function setCell(
    actor: Actor,
    rosterId: string,
    input: { personId: string; date: string; duties: { postId: string; shiftTypeId: string }[] },
  ) {
    const dir = await preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await getRosterOr404(trx, rosterId);
      assertEditable(r);
      const ctx = await teamContext(trx, dir);
      assertMember(ctx, input.personId);
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
      await afterEdit(trx, r, ctx);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.cell.set',
        entityType: 'roster',
        entityId: r.id,
        before,
        after: list,
      });
      const assignments = await effectiveAssignments(trx, r.id);
      const violations = checkRoster(await checkInput(trx, r, ctx, assignments));
      return { assignments: list, violations };
    });
  }

  async function publish(actor: Actor, rosterId: string): Promise<PublishResult> {
    const dir = await preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await getRosterOr404(trx, rosterId);
      const ctx = await teamContext(trx, dir);
      const assignments = await effectiveAssignments(trx, r.id);
      const violations = checkRoster(await checkInput(trx, r, ctx, assignments));
      if (violations.some((v) => v.severity === 'block')) {
        // Keep the transition error for a roster that cannot be published in any case.
        nextRosterStatus(r.status, 'publish', []);
        return { ok: false as const, violations };
      }
      const status = nextRosterStatus(r.status, 'publish', violations);
      const now = clock.now();
      await store.updateRosterStatus(
        trx,
        r.id,
        { status, publishedAt: now, ...(actor.userId ? { publishedBy: actor.userId } : {}) },
        now,
      );
      const people = [...new Set(assignments.map((a) => a.personId))].sort();
      await store.resetConfirmations(trx, r.id, people, now);
      const period = `${r.periodStart}–${r.periodEnd}`;
      const config = ctx.settings.config;
      for (const personId of people) {
        await deps.notify(trx, {
          userIds: [personId],
          kind: 'roster.published',
          messageKey: 'roster.notify.published',
          params: {
            team: ctx.team.name,
            period,
            shifts: assignments.filter((a) => a.personId === personId).length,
            hours: config.confirmHours,
          },
          link: '/my-shifts',
          email: true,
        });
      }
      for (const rem of reminderSchedule({
        publishedAt: now,
        people,
        confirmed: new Set(),
        config,
      })) {
        await enqueueJob(trx, deps.dialect, clock, {
          kind: ROSTER_REMINDER_JOB,
          payload: {
            rosterId: r.id,
            personId: rem.personId,
            publishedAt: now,
            kind: rem.kind,
          },
          runAt: rem.at,
          // One job per person and reminder slot of this publication.
          idempotencyKey: `${ROSTER_REMINDER_JOB}:${r.id}:${now}:${rem.personId}:${rem.at}`,
          maxAttempts: 5,
        });
      }
      const published = { ...r, status, publishedAt: now, publishedBy: actor.userId };
      await rebuildSegments(trx, published, ctx.team.timeZone);
      await recordAudit(trx, actor, now, {
        action: 'roster.publish',
        entityType: 'roster',
        entityId: r.id,
        before: { status: r.status },
        after: { status, people: people.length, warnings: violations.length },
      });
      return { ok: true as const, roster: published, violations, notified: people.length };
    });
  }

  /** Reopen a published roster for edits (it stays on duty while amended). */
  async function amend(actor: Actor, rosterId: string) {
    return db.transaction().execute(async (trx) => {
      const r = await getRosterOr404(trx, rosterId);
      const status = nextRosterStatus(r.status, 'amend');
      await store.updateRosterStatus(trx, r.id, { status }, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.amend',
        entityType: 'roster',
        entityId: r.id,
        before: { status: r.status },
        after: { status },
      });
      return { ...r, status };
    });
  }

  async function confirmations(rosterId: string) {
    const r = await getRosterOr404(db, rosterId);
    const dir = await dirOf(r.teamId);
    const ctx = await teamContext(db, dir);
    const list = await store.listConfirmations(db, r.id);
    const names = new Map(
      (await directory.people(list.map((c) => c.personId))).map((p) => [p.id, p.name] as const),
    );
    const deadline =
      r.publishedAt === null ? null : r.publishedAt + ctx.settings.config.confirmHours * H;
    return {
      deadline,
      people: list.map((c) => ({ ...c, name: names.get(c.personId) ?? c.personId })),
      unconfirmed: list.filter((c) => c.confirmedAt === null).map((c) => c.personId),
    };
  }

  async function confirm(actor: Actor, personId: string, rosterId: string) {
    return db.transaction().execute(async (trx) => {
      const r = await getRosterOr404(trx, rosterId);
      if (!LIVE_STATUSES.has(r.status)) {
        throw conflict('roster_not_published', 'roster.service.notPublished');
      }
      const now = clock.now();
      if (!(await store.confirm(trx, r.id, personId, now))) {
        throw conflict('not_asked', 'roster.service.notAsked');
      }
      await recordAudit(trx, actor, now, {
        action: 'roster.confirm',
        entityType: 'roster',
        entityId: r.id,
        after: { personId, confirmedAt: now },
      });
      return { confirmedAt: now };
    });
  }

  const reminderJob: JobHandler<{
    rosterId: string;
    personId: string;
    publishedAt: number;
    kind: 'reminder' | 'overdue';
  }> = {
    kind: ROSTER_REMINDER_JOB,
    maxAttempts: 5,
    async run(p) {
      const pre = await store.findRoster(db, p.rosterId);
      if (!pre) return;
      const team = await directory.team(pre.teamId);
      const [person] = await directory.people([p.personId]);
      await db.transaction().execute(async (trx) => {
        const r = await store.findRoster(trx, p.rosterId);
        // A republished roster has its own reminders; this one is stale.
        if (!r || r.publishedAt !== p.publishedAt || !LIVE_STATUSES.has(r.status)) return;
        const c = (await store.listConfirmations(trx, r.id)).find((x) => x.personId === p.personId);
        if (!c || c.confirmedAt !== null) return;
        const period = `${r.periodStart}–${r.periodEnd}`;
        await deps.notify(trx, {
          userIds: [p.personId],
          kind: `roster.${p.kind}`,
          messageKey: p.kind === 'overdue' ? 'roster.notify.overdue' : 'roster.notify.reminder',
          params: { team: team.name, period, person: person?.name ?? p.personId },
          link: '/my-shifts',
          email: true,
        });
        if (p.kind === 'overdue' && r.publishedBy) {
          await deps.notify(trx, {
            userIds: [r.publishedBy],
            kind: 'roster.overdue',
            messageKey: 'roster.notify.overdue',
            params: { team: team.name, period, person: person?.name ?? p.personId },
            link: '/rosters',
          });
        }
      });
    },
  };

  // ---------- my shifts and attendance ----------

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
      if (!rosters.has(a.rosterId)) rosters.set(a.rosterId, await getRosterOr404(db, a.rosterId));
      const r = rosters.get(a.rosterId)!;
      if (!LIVE_STATUSES.has(r.status)) continue;
      const effective = applySwaps([a], await approvedSwaps(db, r.id))[0]!;
      if (effective.personId !== personId) continue;
      out.push({ a, r });
    }
    const teams = new Map<string, TeamContext>();
    const result = [];
    for (const { a, r } of out) {
      if (!teams.has(r.teamId)) teams.set(r.teamId, await teamContext(db, await dirOf(r.teamId)));
      const ctx = teams.get(r.teamId)!;
      const shift = ctx.shiftTypes.find((s) => s.id === a.shiftTypeId);
      const post = ctx.posts.find((p) => p.id === a.postId);
      if (!shift || !post) continue;
      const interval = shiftInterval(a.date, shift, ctx.team.timeZone);
      const att = await store.findAttendance(db, a.id);
      const confirmation = (await store.listConfirmations(db, r.id)).find(
        (c) => c.personId === personId,
      );
      result.push({
        assignmentId: a.id,
        rosterId: r.id,
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
    const dir = await preload(pre.rosterId);
    return db.transaction().execute(async (trx) => {
      const a = await store.findAssignment(trx, assignmentId);
      if (!a) throw notFound('assignment', assignmentId);
      const r = await getRosterOr404(trx, a.rosterId);
      if (!LIVE_STATUSES.has(r.status)) {
        throw conflict('roster_not_published', 'roster.service.notPublished');
      }
      const effective = applySwaps([a], await approvedSwaps(trx, r.id))[0]!;
      if (effective.personId !== personId) throw forbidden('roster.service.notYourShift');
      const ctx = await teamContext(trx, dir);
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

  // ---------- swaps ----------

  async function swapContext(trx: Kysely<DB>, assignmentId: string, field: string) {
    const a = await store.findAssignment(trx, assignmentId);
    if (!a) throw invalid(field, 'errors.notFound', { entity: 'assignment', id: assignmentId });
    const r = await getRosterOr404(trx, a.rosterId);
    return { a, r };
  }

  async function names(ids: readonly string[]) {
    return new Map((await directory.people(ids)).map((p) => [p.id, p.name] as const));
  }
  const nameIn = (dir: Dir, id: string) => dir.names.get(id) ?? id;

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
    const dir = await preload(pre.rosterId);
    return db.transaction().execute(async (trx) => {
      const { a, r } = await swapContext(trx, input.assignmentId, 'assignmentId');
      if (!LIVE_STATUSES.has(r.status) || r.status === 'closed') {
        throw conflict('roster_not_published', 'roster.service.notPublished');
      }
      const ctx = await teamContext(trx, dir);
      assertMember(ctx, input.substituteId, 'substituteId');
      const swaps = await approvedSwaps(trx, r.id);
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
      await deps.notify(trx, {
        userIds: [input.substituteId],
        kind: 'roster.swap',
        messageKey: 'roster.notify.swapRequested',
        params: {
          requester: nameIn(dir, requesterId),
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
    const dir = await preload(pre.rosterId);
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
      const r = await getRosterOr404(trx, s.rosterId);
      const ctx = await teamContext(trx, dir);
      const a = await store.findAssignment(trx, s.assignmentId);
      let added: Violation[] = [];
      if (action === 'approve') {
        const assignments = await effectiveAssignments(trx, r.id);
        const outcome = swapOutcome(await checkInput(trx, r, ctx, assignments), s);
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
        await rebuildSegments(trx, r, ctx.team.timeZone);
      }
      const shift = ctx.shiftTypes.find((x) => x.id === a?.shiftTypeId);
      const params = {
        requester: nameIn(dir, s.requesterId),
        substitute: nameIn(dir, s.substituteId),
        date: a?.date ?? '',
        shift: shift?.name ?? '',
        outcome: status,
      };
      if (action === 'accept') {
        if (dir.approvers.length > 0) {
          await deps.notify(trx, {
            userIds: dir.approvers,
            kind: 'roster.swap',
            messageKey: 'roster.notify.swapAccepted',
            params,
            link: '/roster-requests',
            email: true,
          });
        }
      } else {
        await deps.notify(trx, {
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
        await deps.notify(trx, {
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
      await deps.notify(trx, {
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
    const n = await names([
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
    const dir = await dirOf(post.teamId);
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
          await rebuildSegments(trx, r, team.timeZone);
        }
      }
      const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
      await deps.notify(trx, {
        userIds: [o.personId, ...(o.replacesPersonId ? [o.replacesPersonId] : [])],
        kind: 'roster.override',
        messageKey: 'roster.notify.override',
        params: {
          post: post.name,
          person: nameIn(dir, o.personId),
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

  // ---------- who is on duty ----------

  /** Merge the stored pieces of one duty (long overrides are stored cut in pieces). */
  function merge(segments: DutySegment[]): DutySegment[] {
    const out: DutySegment[] = [];
    for (const s of segments) {
      const prev = out.find(
        (p) =>
          p.refId !== undefined &&
          p.refId === s.refId &&
          p.personId === s.personId &&
          p.postId === s.postId &&
          p.endMs === s.startMs,
      );
      if (prev) prev.endMs = s.endMs;
      else out.push({ ...s });
    }
    return out;
  }

  /**
   * Who is on duty on a post (or any post of a team) at instant `at`: from published rosters,
   * approved swaps and overrides. Reads the persisted segments, so every process agrees.
   */
  async function onDuty(q: ({ postId: string } | { teamId: string }) & { at: number }) {
    const where = 'postId' in q ? { postId: q.postId } : { teamId: q.teamId };
    const segments = await findSegments(where, q.at, q.at + 1);
    return {
      personIds: [...new Set(segments.map((s) => s.personId))].sort(),
      segments: merge(segments),
    };
  }

  /** Duty segments on a post (or team) that meet [from, to). */
  async function onDutyBetween(
    q: ({ postId: string } | { teamId: string }) & { from: number; to: number },
  ) {
    if (q.to <= q.from) throw invalid('to', 'roster.errors.intervalEmpty');
    const where = 'postId' in q ? { postId: q.postId } : { teamId: q.teamId };
    return merge(await findSegments(where, q.from, q.to));
  }

  // ---------- Excel ----------

  async function gridContext(trx: Kysely<DB>, r: store.RosterRecord, dir: Dir) {
    const ctx = await teamContext(trx, dir);
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
    const r = await getRosterOr404(db, rosterId);
    const { g, ctx } = await gridContext(db, r, await dirOf(r.teamId));
    const grid = gridFromAssignments(await effectiveAssignments(db, r.id), g);
    const bytes = await exportRosterWorkbook(grid, g, `${ctx.team.name} ${r.periodStart}`);
    return { bytes, filename: `roster-${r.periodStart}.xlsx` };
  }

  /** All-or-nothing import: the grid replaces the roster's assignments, or nothing changes. */
  async function importXlsx(
    actor: Actor,
    rosterId: string,
    bytes: Uint8Array,
  ): Promise<{ ok: true; imported: number } | { ok: false; errors: GridError[] }> {
    const dir = await preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await getRosterOr404(trx, rosterId);
      assertEditable(r);
      const { g, ctx } = await gridContext(trx, r, dir);
      const result = await importRosterWorkbook(bytes, g);
      if (!result.ok) return { ok: false as const, errors: result.errors };
      await store.deleteAssignments(trx, r.id);
      await store.insertAssignments(
        trx,
        r.id,
        result.assignments.map((a) => ({ ...a, id: newId() })),
      );
      await afterEdit(trx, r, ctx);
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
      const shifts = await myShifts(f.subjectId, from, to);
      rows = [];
      for (const s of shifts) {
        const a = await store.findAssignment(db, s.assignmentId);
        if (a) rows.push({ ...a, personId: f.subjectId });
      }
      name = `${(await names([f.subjectId])).get(f.subjectId) ?? ''} · 值班 Duty`;
    } else {
      const post = await store.findPostTeam(db, f.subjectId);
      if (!post) throw notFound('feed', '-');
      rows = [];
      const byRoster = new Map<string, (store.StoredAssignment & { rosterId: string })[]>();
      for (const a of await store.listPostAssignments(db, f.subjectId, from, to)) {
        byRoster.set(a.rosterId, [...(byRoster.get(a.rosterId) ?? []), a]);
      }
      for (const [rosterId, list] of byRoster) {
        const r = await getRosterOr404(db, rosterId);
        if (!LIVE_STATUSES.has(r.status)) continue;
        rows.push(...applySwaps(list, await approvedSwaps(db, rosterId)));
      }
      name = `${post.name} · 值班 Duty`;
    }
    const teamIds = new Set<string>();
    for (const a of rows) teamIds.add((await getRosterOr404(db, a.rosterId)).teamId);
    const shiftTypes: ShiftType[] = [];
    const posts: Post[] = [];
    let timeZone = 'UTC';
    for (const teamId of teamIds) {
      const ctx = await teamContext(db, await dirOf(teamId));
      shiftTypes.push(...ctx.shiftTypes);
      posts.push(...ctx.posts);
      timeZone = ctx.team.timeZone;
    }
    const personNames = await names([...new Set(rows.map((a) => a.personId))]);
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

  return {
    getSetup,
    createShiftType,
    createPost,
    setSettings,
    setPersonData,
    listRosters,
    getRoster,
    createRoster,
    applyRotationTo,
    setCell,
    publish,
    amend,
    confirmations,
    confirm,
    reminderJob,
    myShifts,
    checkIn: (actor: Actor, personId: string, id: string) => check(actor, personId, id, 'in'),
    checkOut: (actor: Actor, personId: string, id: string) => check(actor, personId, id, 'out'),
    requestSwap,
    moveSwap,
    swapHistory,
    requestLeave,
    decideLeave,
    requests,
    createOverride,
    onDuty,
    onDutyBetween,
    exportXlsx,
    importXlsx,
    createFeed,
    revokeFeed,
    feedIcs,
    /** Release the on-duty reader's connection. */
    close: () => reader?.close(),
  };
}

export type RosterService = ReturnType<typeof createRosterService>;
