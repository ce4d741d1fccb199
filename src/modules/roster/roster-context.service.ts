import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { DomainError } from '../../lib/errors.js';
import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { NotifyInput } from '../inbox/inbox.service.js';
import { addDays } from './local-date.js';
import { type DutySegment, applySwaps, resolveDuty } from './on-duty.js';
import { type RequestConfig, defaultRequestConfig } from './requests.js';
import { type RosterCheckInput, checkRoster, coverCounts } from './rest-rules.js';
import {
  type Assignment,
  type Person,
  type Post,
  type RestRules,
  type ShiftType,
  type TeamCalendar,
  defaultRestRules,
} from './roster.schema.js';
import * as store from './roster.store.js';
import { localToUtc } from './shift-time.js';

/**
 * What every roster use case shares: the team context (shift types, posts, rules, people),
 * the roster's effective assignments and rule check, and the persisted duty segments.
 * The use cases live in roster-*.service.ts; roster.service.ts puts them together.
 */

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
  /**
   * Names of what outside the roster points at a post (the alerts module's escalation policies
   * with an "on duty on post" target); such a post is not deleted. Absent: nothing does.
   */
  postReferences?(postId: string): Promise<string[]>;
}

/** Stored duty segments are at most this long (long overrides are cut), see findSegments. */
export const MAX_SEGMENT_MS = 48 * 3_600_000;
export const LIVE_STATUSES = new Set(['published', 'amended', 'closed']);
export const EDITABLE_STATUSES = new Set(['draft', 'amended']);
export const H = 3_600_000;

/** A zod failure of a pure schema as a DomainError naming the field and the message key. */
function fromZod(error: z.ZodError, prefix = ''): DomainError {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'body';
  const params = (issue as { params?: Record<string, string | number> }).params ?? {};
  const key = issue.message.startsWith('roster.') ? issue.message : 'validation.invalid';
  return invalid(field, key, params);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, prefix);
  return r.data;
}

/** A duty cut into stored pieces of at most MAX_SEGMENT_MS. */
export function chunk(s: DutySegment): DutySegment[] {
  const out: DutySegment[] = [];
  for (let a = s.startMs; a < s.endMs; a += MAX_SEGMENT_MS) {
    out.push({ ...s, startMs: a, endMs: Math.min(s.endMs, a + MAX_SEGMENT_MS) });
  }
  return out;
}

export interface Dir {
  team: { id: string; name: string; timeZone: string; memberIds: string[] };
  names: Map<string, string>;
  approvers: string[];
}

export interface TeamSettingsView {
  rules: RestRules;
  calendar: Partial<TeamCalendar>;
  config: RequestConfig;
}

/** A team as the roster sees it: its shift types, posts, settings and people (with skills). */
export interface TeamContext {
  team: Dir['team'];
  shiftTypes: ShiftType[];
  posts: Post[];
  settings: TeamSettingsView;
  people: Person[];
  dir: Dir;
}

export function createRosterContext(deps: RosterDeps) {
  const { db, directory } = deps;

  async function settingsOf(trx: Kysely<DB>, teamId: string): Promise<TeamSettingsView> {
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

  async function teamContext(trx: Kysely<DB>, dir: Dir): Promise<TeamContext> {
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
      calendar: ctx.settings.calendar,
    };
  }

  /** The roster and the directory view of its team, read before a transaction. */
  async function preload(rosterId: string) {
    const r = await getRosterOr404(db, rosterId);
    return dirOf(r.teamId);
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

  async function afterEdit(trx: Kysely<DB>, r: store.RosterRecord, ctx: TeamContext) {
    if (LIVE_STATUSES.has(r.status)) await rebuildSegments(trx, r, ctx.team.timeZone);
  }

  async function names(ids: readonly string[]) {
    return new Map((await directory.people(ids)).map((p) => [p.id, p.name] as const));
  }
  const nameIn = (dir: Dir, id: string) => dir.names.get(id) ?? id;

  return {
    deps,
    settingsOf,
    dirOf,
    teamContext,
    assertMember,
    getRosterOr404,
    assertEditable,
    approvedSwaps,
    effectiveAssignments,
    checkInput,
    view,
    preload,
    rebuildSegments,
    afterEdit,
    names,
    nameIn,
  };
}

export type RosterContext = ReturnType<typeof createRosterContext>;
