import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DutySegment } from './on-duty.js';
import type {
  Assignment,
  Override,
  Post,
  RestRules,
  RosterStatus,
  ShiftType,
  SwapRequest,
  TeamCalendar,
} from './roster.schema.js';

/**
 * The only code that touches the roster tables. Rows are mapped to the domain shapes of
 * roster.schema.ts here, so the service and the pure functions never see a row.
 */
type Db = Kysely<DB>;

const json = <T>(text: string): T => JSON.parse(text) as T;

// ---------- setup: shift types, posts, settings, people ----------

export async function listShiftTypes(db: Db, teamId: string): Promise<ShiftType[]> {
  const rows = await db
    .selectFrom('roster_shift_type')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('start_time')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    start: r.start_time,
    end: r.end_time,
    breakMinutes: r.break_minutes,
    colour: r.colour,
    ...(r.night === null ? {} : { night: r.night === 1 }),
  }));
}

export async function insertShiftType(
  db: Db,
  teamId: string,
  s: ShiftType,
  now: number,
): Promise<void> {
  await db
    .insertInto('roster_shift_type')
    .values({
      id: s.id,
      team_id: teamId,
      code: s.code,
      name: s.name,
      start_time: s.start,
      end_time: s.end,
      break_minutes: s.breakMinutes,
      colour: s.colour,
      night: s.night === undefined ? null : Number(s.night),
      created_at: now,
    })
    .execute();
}

export async function listPosts(db: Db, teamId: string): Promise<Post[]> {
  const rows = await db
    .selectFrom('roster_post')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    shiftTypeIds: json<string[]>(r.shift_type_ids_json),
    cover: json<Post['cover']>(r.cover_json),
    requiredSkills: json<string[]>(r.required_skills_json),
  }));
}

export async function insertPost(db: Db, teamId: string, p: Post, now: number): Promise<void> {
  await db
    .insertInto('roster_post')
    .values({
      id: p.id,
      team_id: teamId,
      name: p.name,
      shift_type_ids_json: JSON.stringify(p.shiftTypeIds),
      cover_json: JSON.stringify(p.cover),
      required_skills_json: JSON.stringify(p.requiredSkills),
      created_at: now,
    })
    .execute();
}

export async function findPostTeam(
  db: Db,
  postId: string,
): Promise<{ id: string; teamId: string; name: string } | undefined> {
  const r = await db
    .selectFrom('roster_post')
    .select(['id', 'team_id', 'name'])
    .where('id', '=', postId)
    .executeTakeFirst();
  return r && { id: r.id, teamId: r.team_id, name: r.name };
}

/** A shift type and the team it belongs to. */
export async function findShiftType(
  db: Db,
  id: string,
): Promise<{ teamId: string; shiftType: ShiftType } | undefined> {
  const r = await db
    .selectFrom('roster_shift_type')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    r && {
      teamId: r.team_id,
      shiftType: {
        id: r.id,
        code: r.code,
        name: r.name,
        start: r.start_time,
        end: r.end_time,
        breakMinutes: r.break_minutes,
        colour: r.colour,
        ...(r.night === null ? {} : { night: r.night === 1 }),
      },
    }
  );
}

export async function updateShiftType(db: Db, s: ShiftType): Promise<void> {
  await db
    .updateTable('roster_shift_type')
    .set({
      code: s.code,
      name: s.name,
      start_time: s.start,
      end_time: s.end,
      break_minutes: s.breakMinutes,
      colour: s.colour,
      night: s.night === undefined ? null : Number(s.night),
    })
    .where('id', '=', s.id)
    .execute();
}

export async function deleteShiftType(db: Db, id: string): Promise<void> {
  await db.deleteFrom('roster_shift_type').where('id', '=', id).execute();
}

/** A post and the team it belongs to. */
export async function findPost(
  db: Db,
  id: string,
): Promise<{ teamId: string; post: Post } | undefined> {
  const r = await db.selectFrom('roster_post').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    r && {
      teamId: r.team_id,
      post: {
        id: r.id,
        name: r.name,
        shiftTypeIds: json<string[]>(r.shift_type_ids_json),
        cover: json<Post['cover']>(r.cover_json),
        requiredSkills: json<string[]>(r.required_skills_json),
      },
    }
  );
}

export async function updatePost(db: Db, p: Post): Promise<void> {
  await db
    .updateTable('roster_post')
    .set({
      name: p.name,
      shift_type_ids_json: JSON.stringify(p.shiftTypeIds),
      cover_json: JSON.stringify(p.cover),
      required_skills_json: JSON.stringify(p.requiredSkills),
    })
    .where('id', '=', p.id)
    .execute();
}

export async function deletePost(db: Db, id: string): Promise<void> {
  await db.deleteFrom('roster_post').where('id', '=', id).execute();
}

/** People whose default post is `postId` lose it (the post is going away). */
export async function clearDefaultPost(db: Db, postId: string, now: number): Promise<void> {
  await db
    .updateTable('roster_person')
    .set({ default_post_id: null, updated_at: now })
    .where('default_post_id', '=', postId)
    .execute();
}

export interface RosterUse {
  rosterId: string;
  periodStart: string;
  periodEnd: string;
  status: RosterStatus;
  assignments: number;
}

/**
 * Rosters with assignments of a shift type, of a post, or of given shift types on a post:
 * what would break if that setup changed. Oldest period first.
 */
export async function rostersUsing(
  db: Db,
  what: { shiftTypeId: string } | { postId: string; shiftTypeIds?: readonly string[] },
): Promise<RosterUse[]> {
  let q = db
    .selectFrom('roster_assignment as a')
    .innerJoin('roster as r', 'r.id', 'a.roster_id')
    .select((eb) => [
      'r.id',
      'r.period_start',
      'r.period_end',
      'r.status',
      eb.fn.countAll<number>().as('n'),
    ]);
  if ('shiftTypeId' in what) {
    q = q.where('a.shift_type_id', '=', what.shiftTypeId);
  } else {
    q = q.where('a.post_id', '=', what.postId);
    if (what.shiftTypeIds) {
      if (what.shiftTypeIds.length === 0) return [];
      q = q.where('a.shift_type_id', 'in', [...what.shiftTypeIds]);
    }
  }
  const rows = await q
    .groupBy(['r.id', 'r.period_start', 'r.period_end', 'r.status'])
    .orderBy('r.period_start')
    .execute();
  return rows.map((r) => ({
    rosterId: r.id,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    status: r.status as RosterStatus,
    assignments: Number(r.n),
  }));
}

/** How many emergency overrides name a post (they are its duty history). */
export async function countOverridesOnPost(db: Db, postId: string): Promise<number> {
  const r = await db
    .selectFrom('roster_override')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('post_id', '=', postId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export interface TeamSettings {
  rules: RestRules;
  calendar: Partial<TeamCalendar>;
  config: Record<string, unknown>;
}

export async function findTeamSettings(db: Db, teamId: string): Promise<TeamSettings | undefined> {
  const r = await db
    .selectFrom('roster_team_setting')
    .selectAll()
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return (
    r && {
      rules: json<RestRules>(r.rules_json),
      calendar: json<Partial<TeamCalendar>>(r.calendar_json),
      config: json<Record<string, unknown>>(r.config_json),
    }
  );
}

export async function upsertTeamSettings(
  db: Db,
  teamId: string,
  s: TeamSettings,
  now: number,
): Promise<void> {
  const values = {
    rules_json: JSON.stringify(s.rules),
    calendar_json: JSON.stringify(s.calendar),
    config_json: JSON.stringify(s.config),
    updated_at: now,
  };
  await db
    .insertInto('roster_team_setting')
    .values({ team_id: teamId, ...values })
    .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
    .execute();
}

export interface PersonRosterData {
  id: string;
  skills: string[];
  defaultPostId?: string;
}

export async function listPersonData(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, PersonRosterData>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('roster_person')
    .selectAll()
    .where('user_id', 'in', [...ids])
    .execute();
  return new Map(
    rows.map((r) => [
      r.user_id,
      {
        id: r.user_id,
        skills: json<string[]>(r.skills_json),
        ...(r.default_post_id ? { defaultPostId: r.default_post_id } : {}),
      },
    ]),
  );
}

export async function upsertPersonData(db: Db, p: PersonRosterData, now: number): Promise<void> {
  const values = {
    skills_json: JSON.stringify(p.skills),
    default_post_id: p.defaultPostId ?? null,
    updated_at: now,
  };
  await db
    .insertInto('roster_person')
    .values({ user_id: p.id, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

// ---------- rosters and assignments ----------

export interface RosterRecord {
  id: string;
  teamId: string;
  periodStart: string;
  periodEnd: string;
  status: RosterStatus;
  publishedAt: number | null;
  publishedBy: string | null;
}

function toRoster(r: DB['roster']): RosterRecord {
  return {
    id: r.id,
    teamId: r.team_id,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    status: r.status as RosterStatus,
    publishedAt: r.published_at === null ? null : Number(r.published_at),
    publishedBy: r.published_by,
  };
}

export async function findRoster(db: Db, id: string): Promise<RosterRecord | undefined> {
  const r = await db.selectFrom('roster').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toRoster(r);
}

export async function listRosters(db: Db, teamId?: string): Promise<RosterRecord[]> {
  let q = db.selectFrom('roster').selectAll();
  if (teamId) q = q.where('team_id', '=', teamId);
  return (await q.orderBy('period_start', 'desc').limit(200).execute()).map(toRoster);
}

/** Rosters of a team whose period meets [from, to] (local dates). */
export async function listRostersMeeting(
  db: Db,
  teamId: string,
  from: string,
  to: string,
): Promise<RosterRecord[]> {
  const rows = await db
    .selectFrom('roster')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('period_start', '<=', to)
    .where('period_end', '>=', from)
    .execute();
  return rows.map(toRoster);
}

export async function insertRoster(db: Db, r: RosterRecord, now: number): Promise<void> {
  await db
    .insertInto('roster')
    .values({
      id: r.id,
      team_id: r.teamId,
      period_start: r.periodStart,
      period_end: r.periodEnd,
      status: r.status,
      published_at: r.publishedAt,
      published_by: r.publishedBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateRosterStatus(
  db: Db,
  id: string,
  patch: { status: RosterStatus; publishedAt?: number; publishedBy?: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('roster')
    .set({
      status: patch.status,
      ...(patch.publishedAt === undefined ? {} : { published_at: patch.publishedAt }),
      ...(patch.publishedBy === undefined ? {} : { published_by: patch.publishedBy }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Removes a draft roster with everything hanging off it. */
export async function deleteRoster(db: Db, id: string): Promise<void> {
  await db.deleteFrom('duty_segment').where('roster_id', '=', id).execute();
  await db.deleteFrom('roster_confirmation').where('roster_id', '=', id).execute();
  await db.deleteFrom('roster_swap').where('roster_id', '=', id).execute();
  await db.deleteFrom('roster_assignment').where('roster_id', '=', id).execute();
  await db.deleteFrom('roster').where('id', '=', id).execute();
}

export type StoredAssignment = Assignment & { id: string };

const assignmentCols = ['id', 'person_id', 'post_id', 'shift_type_id', 'date'] as const;
const toAssignment = (r: {
  id: string;
  person_id: string;
  post_id: string;
  shift_type_id: string;
  date: string;
}): StoredAssignment => ({
  id: r.id,
  personId: r.person_id,
  postId: r.post_id,
  shiftTypeId: r.shift_type_id,
  date: r.date,
});

export async function listAssignments(db: Db, rosterId: string): Promise<StoredAssignment[]> {
  const rows = await db
    .selectFrom('roster_assignment')
    .select(assignmentCols)
    .where('roster_id', '=', rosterId)
    .orderBy('date')
    .orderBy('person_id')
    .orderBy('id')
    .execute();
  return rows.map(toAssignment);
}

export async function findAssignment(
  db: Db,
  id: string,
): Promise<(StoredAssignment & { rosterId: string }) | undefined> {
  const r = await db
    .selectFrom('roster_assignment')
    .select([...assignmentCols, 'roster_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { ...toAssignment(r), rosterId: r.roster_id };
}

/** A person's assignments across rosters with their dates in [from, to]. */
export async function listPersonAssignments(
  db: Db,
  personId: string,
  from: string,
  to: string,
): Promise<(StoredAssignment & { rosterId: string })[]> {
  const rows = await db
    .selectFrom('roster_assignment')
    .select([...assignmentCols, 'roster_id'])
    .where('person_id', '=', personId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({ ...toAssignment(r), rosterId: r.roster_id }));
}

/** Assignments of one post across rosters with their dates in [from, to]. */
export async function listPostAssignments(
  db: Db,
  postId: string,
  from: string,
  to: string,
): Promise<(StoredAssignment & { rosterId: string })[]> {
  const rows = await db
    .selectFrom('roster_assignment')
    .select([...assignmentCols, 'roster_id'])
    .where('post_id', '=', postId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({ ...toAssignment(r), rosterId: r.roster_id }));
}

const CHUNK = 500;

export async function insertAssignments(
  db: Db,
  rosterId: string,
  list: readonly StoredAssignment[],
): Promise<void> {
  for (let i = 0; i < list.length; i += CHUNK) {
    await db
      .insertInto('roster_assignment')
      .values(
        list.slice(i, i + CHUNK).map((a) => ({
          id: a.id,
          roster_id: rosterId,
          person_id: a.personId,
          post_id: a.postId,
          shift_type_id: a.shiftTypeId,
          date: a.date,
        })),
      )
      .execute();
  }
}

export async function deleteAssignments(
  db: Db,
  rosterId: string,
  filter: { personId?: string; date?: string; personIds?: readonly string[] } = {},
): Promise<void> {
  let q = db.deleteFrom('roster_assignment').where('roster_id', '=', rosterId);
  if (filter.personId) q = q.where('person_id', '=', filter.personId);
  if (filter.date) q = q.where('date', '=', filter.date);
  if (filter.personIds) {
    if (filter.personIds.length === 0) return;
    q = q.where('person_id', 'in', [...filter.personIds]);
  }
  await q.execute();
}

// ---------- confirmations ----------

export async function resetConfirmations(
  db: Db,
  rosterId: string,
  people: readonly string[],
  publishedAt: number,
): Promise<void> {
  await db.deleteFrom('roster_confirmation').where('roster_id', '=', rosterId).execute();
  if (people.length === 0) return;
  await db
    .insertInto('roster_confirmation')
    .values(
      people.map((p) => ({
        roster_id: rosterId,
        person_id: p,
        published_at: publishedAt,
        confirmed_at: null,
      })),
    )
    .execute();
}

export async function listConfirmations(
  db: Db,
  rosterId: string,
): Promise<{ personId: string; confirmedAt: number | null }[]> {
  const rows = await db
    .selectFrom('roster_confirmation')
    .select(['person_id', 'confirmed_at'])
    .where('roster_id', '=', rosterId)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
  }));
}

/** Marks the person's confirmation; false when they were not asked to confirm. */
export async function confirm(
  db: Db,
  rosterId: string,
  personId: string,
  at: number,
): Promise<boolean> {
  const r = await db
    .updateTable('roster_confirmation')
    .set({ confirmed_at: at })
    .where('roster_id', '=', rosterId)
    .where('person_id', '=', personId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) return true;
  const exists = await db
    .selectFrom('roster_confirmation')
    .select('person_id')
    .where('roster_id', '=', rosterId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return exists !== undefined;
}

// ---------- attendance ----------

export interface AttendanceRecord {
  assignmentId: string;
  personId: string;
  checkInAt: number | null;
  checkOutAt: number | null;
  arrival: string;
  departure: string;
  lateMinutes: number;
  earlyLeaveMinutes: number;
}

export async function findAttendance(
  db: Db,
  assignmentId: string,
): Promise<AttendanceRecord | undefined> {
  const r = await db
    .selectFrom('roster_attendance')
    .selectAll()
    .where('assignment_id', '=', assignmentId)
    .executeTakeFirst();
  return (
    r && {
      assignmentId: r.assignment_id,
      personId: r.person_id,
      checkInAt: r.check_in_at === null ? null : Number(r.check_in_at),
      checkOutAt: r.check_out_at === null ? null : Number(r.check_out_at),
      arrival: r.arrival,
      departure: r.departure,
      lateMinutes: r.late_minutes,
      earlyLeaveMinutes: r.early_leave_minutes,
    }
  );
}

export async function upsertAttendance(db: Db, a: AttendanceRecord, now: number): Promise<void> {
  const values = {
    person_id: a.personId,
    check_in_at: a.checkInAt,
    check_out_at: a.checkOutAt,
    arrival: a.arrival,
    departure: a.departure,
    late_minutes: a.lateMinutes,
    early_leave_minutes: a.earlyLeaveMinutes,
    updated_at: now,
  };
  await db
    .insertInto('roster_attendance')
    .values({ assignment_id: a.assignmentId, ...values })
    .onConflict((oc) => oc.column('assignment_id').doUpdateSet(values))
    .execute();
}

/** The attendance records of a roster's assignments. */
export async function listRosterAttendance(db: Db, rosterId: string): Promise<AttendanceRecord[]> {
  const rows = await db
    .selectFrom('roster_attendance')
    .innerJoin('roster_assignment', 'roster_assignment.id', 'roster_attendance.assignment_id')
    .selectAll('roster_attendance')
    .where('roster_assignment.roster_id', '=', rosterId)
    .execute();
  return rows.map((r) => ({
    assignmentId: r.assignment_id,
    personId: r.person_id,
    checkInAt: r.check_in_at === null ? null : Number(r.check_in_at),
    checkOutAt: r.check_out_at === null ? null : Number(r.check_out_at),
    arrival: r.arrival,
    departure: r.departure,
    lateMinutes: r.late_minutes,
    earlyLeaveMinutes: r.early_leave_minutes,
  }));
}

// ---------- swaps and their history ----------

export type StoredSwap = SwapRequest & { rosterId: string; updatedAt: number };

function toSwap(r: DB['roster_swap']): StoredSwap {
  return {
    id: r.id,
    rosterId: r.roster_id,
    kind: r.kind as SwapRequest['kind'],
    assignmentId: r.assignment_id,
    ...(r.counter_assignment_id ? { counterAssignmentId: r.counter_assignment_id } : {}),
    requesterId: r.requester_id,
    substituteId: r.substitute_id,
    reason: r.reason,
    status: r.status as SwapRequest['status'],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export async function insertSwap(db: Db, s: StoredSwap): Promise<void> {
  await db
    .insertInto('roster_swap')
    .values({
      id: s.id,
      roster_id: s.rosterId,
      kind: s.kind,
      assignment_id: s.assignmentId,
      counter_assignment_id: s.counterAssignmentId ?? null,
      requester_id: s.requesterId,
      substitute_id: s.substituteId,
      reason: s.reason,
      status: s.status,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    })
    .execute();
}

export async function findSwap(db: Db, id: string): Promise<StoredSwap | undefined> {
  const r = await db.selectFrom('roster_swap').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toSwap(r);
}

export async function listSwaps(
  db: Db,
  filter: { rosterId?: string; statuses?: readonly string[]; personId?: string },
): Promise<StoredSwap[]> {
  let q = db.selectFrom('roster_swap').selectAll();
  if (filter.rosterId) q = q.where('roster_id', '=', filter.rosterId);
  if (filter.statuses) q = q.where('status', 'in', [...filter.statuses]);
  if (filter.personId) {
    const p = filter.personId;
    q = q.where((eb) => eb.or([eb('requester_id', '=', p), eb('substitute_id', '=', p)]));
  }
  return (await q.orderBy('created_at', 'desc').limit(500).execute()).map(toSwap);
}

export async function setSwapStatus(
  db: Db,
  id: string,
  status: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('roster_swap')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function insertRequestEvent(
  db: Db,
  e: {
    id: string;
    requestId: string;
    at: number;
    actorId: string | null;
    action: string;
    from: string | null;
    to: string;
  },
): Promise<void> {
  await db
    .insertInto('roster_request_event')
    .values({
      id: e.id,
      request_id: e.requestId,
      at: e.at,
      actor_id: e.actorId,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
    })
    .execute();
}

export async function listRequestEvents(db: Db, requestId: string) {
  const rows = await db
    .selectFrom('roster_request_event')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    at: Number(r.at),
    actorId: r.actor_id,
    action: r.action,
    from: r.from_status,
    to: r.to_status,
  }));
}

// ---------- leave ----------

export interface StoredLeave {
  id: string;
  personId: string;
  kind: 'leave' | 'unavailable';
  startDate: string;
  endDate: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  createdAt: number;
}

function toLeave(r: DB['roster_leave']): StoredLeave {
  return {
    id: r.id,
    personId: r.person_id,
    kind: r.kind as StoredLeave['kind'],
    startDate: r.start_date,
    endDate: r.end_date,
    reason: r.reason,
    status: r.status as StoredLeave['status'],
    createdAt: Number(r.created_at),
  };
}

export async function insertLeave(db: Db, l: StoredLeave): Promise<void> {
  await db
    .insertInto('roster_leave')
    .values({
      id: l.id,
      person_id: l.personId,
      kind: l.kind,
      start_date: l.startDate,
      end_date: l.endDate,
      reason: l.reason,
      status: l.status,
      created_at: l.createdAt,
      updated_at: l.createdAt,
    })
    .execute();
}

export async function findLeave(db: Db, id: string): Promise<StoredLeave | undefined> {
  const r = await db.selectFrom('roster_leave').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toLeave(r);
}

export async function listLeave(
  db: Db,
  filter: {
    personIds?: readonly string[];
    statuses?: readonly string[];
    from?: string;
    to?: string;
  },
): Promise<StoredLeave[]> {
  let q = db.selectFrom('roster_leave').selectAll();
  if (filter.personIds) {
    if (filter.personIds.length === 0) return [];
    q = q.where('person_id', 'in', [...filter.personIds]);
  }
  if (filter.statuses) q = q.where('status', 'in', [...filter.statuses]);
  if (filter.to) q = q.where('start_date', '<=', filter.to);
  if (filter.from) q = q.where('end_date', '>=', filter.from);
  return (await q.orderBy('start_date').limit(2000).execute()).map(toLeave);
}

export async function setLeaveStatus(
  db: Db,
  id: string,
  status: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('roster_leave')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .execute();
}

// ---------- overrides ----------

export async function insertOverride(db: Db, teamId: string, o: Override): Promise<void> {
  await db
    .insertInto('roster_override')
    .values({
      id: o.id,
      team_id: teamId,
      post_id: o.postId,
      person_id: o.personId,
      replaces_person_id: o.replacesPersonId ?? null,
      start_at: o.startMs,
      end_at: o.endMs,
      reason: o.reason,
      created_by: o.createdBy,
      created_at: o.createdAt,
    })
    .execute();
}

/** Overrides of a team that meet [fromMs, toMs). */
export async function listOverrides(
  db: Db,
  teamId: string,
  fromMs: number,
  toMs: number,
): Promise<Override[]> {
  const rows = await db
    .selectFrom('roster_override')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('start_at', '<', toMs)
    .where('end_at', '>', fromMs)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    postId: r.post_id,
    personId: r.person_id,
    ...(r.replaces_person_id ? { replacesPersonId: r.replaces_person_id } : {}),
    startMs: Number(r.start_at),
    endMs: Number(r.end_at),
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  }));
}

// ---------- feeds ----------

export interface FeedRecord {
  id: string;
  kind: 'person' | 'post';
  subjectId: string;
  createdBy: string;
  revokedAt: number | null;
}

export async function insertFeed(
  db: Db,
  f: FeedRecord & { tokenHash: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('roster_feed')
    .values({
      id: f.id,
      token_hash: f.tokenHash,
      kind: f.kind,
      subject_id: f.subjectId,
      created_by: f.createdBy,
      created_at: f.createdAt,
      revoked_at: null,
    })
    .execute();
}

const toFeed = (r: DB['roster_feed']): FeedRecord => ({
  id: r.id,
  kind: r.kind as FeedRecord['kind'],
  subjectId: r.subject_id,
  createdBy: r.created_by,
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export async function findFeedByHash(db: Db, hash: string): Promise<FeedRecord | undefined> {
  const r = await db
    .selectFrom('roster_feed')
    .selectAll()
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  return r && toFeed(r);
}

export async function findFeed(db: Db, id: string): Promise<FeedRecord | undefined> {
  const r = await db.selectFrom('roster_feed').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toFeed(r);
}

export async function revokeFeed(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable('roster_feed').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** Live (not revoked) feeds, optionally only those one user created; newest first. */
export async function listFeeds(
  db: Db,
  where: { createdBy?: string },
): Promise<(FeedRecord & { createdAt: number })[]> {
  let q = db.selectFrom('roster_feed').selectAll().where('revoked_at', 'is', null);
  if (where.createdBy !== undefined) q = q.where('created_by', '=', where.createdBy);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({ ...toFeed(r), createdAt: Number(r.created_at) }));
}

/** Revokes every live feed of a subject (e.g. a post that is deleted). */
export async function revokeFeedsOf(
  db: Db,
  kind: FeedRecord['kind'],
  subjectId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('roster_feed')
    .set({ revoked_at: at })
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('revoked_at', 'is', null)
    .execute();
}

// ---------- duty segments ----------

export interface SegmentRow extends DutySegment {
  teamId: string;
  rosterId: string | null;
  overrideId: string | null;
}

export async function replaceRosterSegments(
  db: Db,
  rosterId: string,
  segments: readonly (SegmentRow & { id: string })[],
): Promise<void> {
  await db.deleteFrom('duty_segment').where('roster_id', '=', rosterId).execute();
  await insertSegments(db, segments);
}

export async function insertSegments(
  db: Db,
  segments: readonly (SegmentRow & { id: string })[],
): Promise<void> {
  for (let i = 0; i < segments.length; i += CHUNK) {
    await db
      .insertInto('duty_segment')
      .values(
        segments.slice(i, i + CHUNK).map((s) => ({
          id: s.id,
          roster_id: s.rosterId,
          override_id: s.overrideId,
          team_id: s.teamId,
          post_id: s.postId,
          person_id: s.personId,
          start_at: s.startMs,
          end_at: s.endMs,
          source: s.source,
          ref_id: s.refId ?? null,
        })),
      )
      .execute();
  }
}

const segCols = ['person_id', 'post_id', 'start_at', 'end_at', 'source', 'ref_id'] as const;
const toSegment = (r: {
  person_id: string;
  post_id: string;
  start_at: number;
  end_at: number;
  source: string;
  ref_id: string | null;
}): DutySegment => ({
  personId: r.person_id,
  postId: r.post_id,
  startMs: Number(r.start_at),
  endMs: Number(r.end_at),
  source: r.source as DutySegment['source'],
  ...(r.ref_id ? { refId: r.ref_id } : {}),
});

/**
 * Segments on a post (or a team) that meet [fromMs, toMs). Every stored segment is at most
 * `maxLenMs` long, so the index range start_at ∈ (fromMs − maxLenMs, toMs) holds them all.
 */
export async function findSegments(
  db: Db,
  where: { postId: string } | { teamId: string },
  fromMs: number,
  toMs: number,
  maxLenMs: number,
): Promise<DutySegment[]> {
  let q = db.selectFrom('duty_segment').select(segCols);
  q =
    'postId' in where
      ? q.where('post_id', '=', where.postId)
      : q.where('team_id', '=', where.teamId);
  const rows = await q
    .where('start_at', '>', fromMs - maxLenMs)
    .where('start_at', '<', toMs)
    .where('end_at', '>', fromMs)
    .orderBy('start_at')
    .orderBy('person_id')
    .execute();
  return rows.map(toSegment);
}

/** Synchronous, prepared reads of duty segments (the hot path of "who is on duty"). */
export interface SegmentReader {
  find(
    where: { postId: string } | { teamId: string },
    fromMs: number,
    toMs: number,
    maxLenMs: number,
  ): DutySegment[];
  close(): void;
}

/**
 * A read-only second connection to the SQLite file with prepared statements: it sees only
 * committed segments (WAL), never waits behind the writer's transaction, and skips the query
 * builder, so a point query costs microseconds.
 */
export function openSqliteSegmentReader(file: string): SegmentReader {
  const conn = new SQLite(file, { readonly: true, fileMustExist: true });
  conn.pragma('busy_timeout = 5000');
  const select = `SELECT person_id, post_id, start_at, end_at, source, ref_id FROM duty_segment`;
  const range = `AND start_at > ? AND start_at < ? AND end_at > ? ORDER BY start_at, person_id`;
  const byPost = conn.prepare(`${select} WHERE post_id = ? ${range}`);
  const byTeam = conn.prepare(`${select} WHERE team_id = ? ${range}`);
  type Row = Parameters<typeof toSegment>[0];
  return {
    find(where, fromMs, toMs, maxLenMs) {
      const stmt = 'postId' in where ? byPost : byTeam;
      const key = 'postId' in where ? where.postId : where.teamId;
      return (stmt.all(key, fromMs - maxLenMs, toMs, fromMs) as Row[]).map(toSegment);
    },
    close: () => conn.close(),
  };
}
