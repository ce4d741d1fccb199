import type { Kysely } from 'kysely';
import type { DB, SolverRunTable } from '../../db/schema.js';
import type { Actor } from '../audit/audit.service.js';

type Db = Kysely<DB>;

/** The only code touching solver_request and solver_run. */

export interface RequestRecord {
  id: string;
  personId: string;
  date: string;
  kind: 'on' | 'off';
  shiftTypeId: string | null;
  note: string;
  createdAt: number;
}

export type RunStatus =
  | 'queued'
  | 'running'
  | 'applying'
  | 'done'
  | 'proposed'
  | 'applied'
  | 'stopped'
  /** Proven: no roster satisfies the hard rules (result.reasons say which and where). */
  | 'infeasible'
  /** None found in the time limit; one may exist (result.reasons: what was left unmet). */
  | 'none_found'
  | 'failed';

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'applying'];

export interface RunRecord {
  id: string;
  rosterId: string;
  kind: 'generate' | 'replan';
  status: RunStatus;
  timeLimitMs: number;
  keepExisting: boolean;
  actor: Actor;
  stopRequested: boolean;
  objective: number | null;
  progress: { ms: number; objective: number }[];
  result: unknown;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

const toRequest = (r: DB['solver_request']): RequestRecord => ({
  id: r.id,
  personId: r.person_id,
  date: r.date,
  kind: r.kind as 'on' | 'off',
  shiftTypeId: r.shift_type_id,
  note: r.note,
  createdAt: Number(r.created_at),
});

export async function listRequests(
  db: Db,
  f: { personIds?: readonly string[]; from?: string; to?: string },
): Promise<RequestRecord[]> {
  if (f.personIds && f.personIds.length === 0) return [];
  let q = db.selectFrom('solver_request').selectAll();
  if (f.personIds) q = q.where('person_id', 'in', [...f.personIds]);
  if (f.from) q = q.where('date', '>=', f.from);
  if (f.to) q = q.where('date', '<=', f.to);
  return (await q.orderBy('date').orderBy('created_at').execute()).map(toRequest);
}

export async function findRequest(db: Db, id: string): Promise<RequestRecord | undefined> {
  const r = await db
    .selectFrom('solver_request')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toRequest(r) : undefined;
}

export async function insertRequest(db: Db, r: RequestRecord): Promise<void> {
  await db
    .insertInto('solver_request')
    .values({
      id: r.id,
      person_id: r.personId,
      date: r.date,
      kind: r.kind,
      shift_type_id: r.shiftTypeId,
      note: r.note,
      created_at: r.createdAt,
    })
    .execute();
}

export async function deleteRequest(db: Db, id: string): Promise<void> {
  await db.deleteFrom('solver_request').where('id', '=', id).execute();
}

const toRun = (r: SolverRunTable): RunRecord => ({
  id: r.id,
  rosterId: r.roster_id,
  kind: r.kind as RunRecord['kind'],
  status: r.status as RunStatus,
  timeLimitMs: Number(r.time_limit_ms),
  keepExisting: Number(r.keep_existing) === 1,
  actor: JSON.parse(r.actor_json) as Actor,
  stopRequested: Number(r.stop_requested) === 1,
  objective: r.objective === null ? null : Number(r.objective),
  progress: JSON.parse(r.progress_json) as RunRecord['progress'],
  result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown),
  createdAt: Number(r.created_at),
  startedAt: r.started_at === null ? null : Number(r.started_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});

export async function insertRun(
  db: Db,
  r: Pick<RunRecord, 'id' | 'rosterId' | 'kind' | 'timeLimitMs' | 'keepExisting' | 'actor'>,
  now: number,
): Promise<void> {
  await db
    .insertInto('solver_run')
    .values({
      id: r.id,
      roster_id: r.rosterId,
      kind: r.kind,
      status: 'queued',
      time_limit_ms: r.timeLimitMs,
      keep_existing: r.keepExisting ? 1 : 0,
      actor_json: JSON.stringify(r.actor),
      stop_requested: 0,
      objective: null,
      progress_json: '[]',
      result_json: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
    })
    .execute();
}

export async function findRun(db: Db, id: string): Promise<RunRecord | undefined> {
  const r = await db.selectFrom('solver_run').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRun(r) : undefined;
}

export async function listRuns(db: Db, rosterId: string, limit = 20): Promise<RunRecord[]> {
  const rows = await db
    .selectFrom('solver_run')
    .selectAll()
    .where('roster_id', '=', rosterId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}

export async function activeRun(db: Db, rosterId: string): Promise<RunRecord | undefined> {
  const r = await db
    .selectFrom('solver_run')
    .selectAll()
    .where('roster_id', '=', rosterId)
    .where('status', 'in', [...ACTIVE_STATUSES])
    .executeTakeFirst();
  return r ? toRun(r) : undefined;
}

/**
 * Move a run from one of `from` to `to` (with other fields); false when it was not in `from`.
 * Every status change goes through here, so two workers can never both apply one result.
 */
export async function transition(
  db: Db,
  id: string,
  from: readonly RunStatus[],
  to: RunStatus,
  now: number,
  set: {
    result?: unknown;
    objective?: number | null;
    startedAt?: number;
    finished?: boolean;
  } = {},
): Promise<boolean> {
  const res = await db
    .updateTable('solver_run')
    .set({
      status: to,
      updated_at: now,
      ...(set.result !== undefined ? { result_json: JSON.stringify(set.result) } : {}),
      ...(set.objective !== undefined ? { objective: set.objective } : {}),
      ...(set.startedAt !== undefined ? { started_at: set.startedAt } : {}),
      ...(set.finished ? { finished_at: now } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Where a run's solve is, for a resume after the process died: the stage (tier, round, cells
 * pinned off), the best roster of that stage so far (or the one it started from) with the
 * model's identity (people, shifts, days), the time the stage and the whole solve have taken.
 * Written with every new best and every second while solving.
 */
export interface Checkpoint {
  stage: { strict: boolean; round: number; pinnedOff: { personId: string; date: string }[] };
  days: number;
  employees: string[];
  shifts: string[];
  /** Empty when the stage has no roster yet (its search is still constructing one). */
  roster: number[];
  objective: number | null;
  stageSpentMs: number;
  elapsedMs: number;
}

export async function saveProgress(
  db: Db,
  id: string,
  progress: RunRecord['progress'],
  objective: number | null,
  now: number,
  checkpoint?: Checkpoint | null,
): Promise<void> {
  await db
    .updateTable('solver_run')
    .set({
      progress_json: JSON.stringify(progress),
      objective,
      updated_at: now,
      ...(checkpoint ? { incumbent_json: JSON.stringify(checkpoint) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The time spent so far, every second while solving (the roster only with a new best). */
export async function saveCheckpoint(db: Db, id: string, checkpoint: Checkpoint): Promise<void> {
  await db
    .updateTable('solver_run')
    .set({ incumbent_json: JSON.stringify(checkpoint) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function findCheckpoint(db: Db, id: string): Promise<Checkpoint | null> {
  const r = await db
    .selectFrom('solver_run')
    .select('incumbent_json')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r?.incumbent_json) return null;
  const c = JSON.parse(r.incumbent_json) as Partial<Checkpoint>;
  // Saved before checkpoints had stages (round 0 of the exact model, time unknown).
  return {
    stage: c.stage ?? { strict: false, round: 0, pinnedOff: [] },
    days: c.days ?? 0,
    employees: c.employees ?? [],
    shifts: c.shifts ?? [],
    roster: c.roster ?? [],
    objective: c.objective ?? null,
    stageSpentMs: c.stageSpentMs ?? 0,
    elapsedMs: c.elapsedMs ?? 0,
  };
}

export async function requestStop(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('solver_run')
    .set({ stop_requested: 1, updated_at: now })
    .where('id', '=', id)
    .execute();
}
