import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { DialectName } from '../db/database.js';
import { type DeferredRows, groupCommit, insertWithBatch } from '../db/group-commit.js';
import { precompiled, precompiledRows } from '../db/precompiled.js';
import type { DB, JobTable } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';

/**
 * The durable job engine. A job is a row written in the same transaction as the change that
 * causes it; workers in any process claim due rows (FOR UPDATE SKIP LOCKED on PostgreSQL,
 * one atomic UPDATE … RETURNING on SQLite) under a lease. A worker that dies leaves its lease
 * to expire and another takes the job over. Delivery is at least once: handlers are
 * idempotent, and enqueueing with an idempotency key never creates a second job.
 */

export interface JobContext {
  readonly job: Readonly<JobTable>;
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  readonly log: Logger;
  /** What the handler's `preload` read in the claiming transaction (SQLite only), if it has one. */
  readonly preloaded?: unknown;
}

export interface JobHandler<P = unknown> {
  readonly kind: string;
  /** Total tries before the job is given up as dead. */
  readonly maxAttempts?: number;
  /** Delay before try n+1 after try n failed. */
  readonly backoffMs?: (attempt: number) => number;
  /**
   * At most this many jobs of this kind run at once in one process (CPU-heavy kinds such as a
   * solver run); unset, the kind shares the engine's whole `concurrency` (sends mostly wait on
   * the network, so a page storm wants many slots).
   */
  readonly concurrency?: number;
  /**
   * Returns nothing, or the writes of its outcome: the engine commits them in the transaction
   * that marks the job done (one commit instead of two; on SQLite it joins the group commit).
   * Should those writes fail, the job is retried like any failure.
   */
  run(payload: P, ctx: JobContext): Promise<void | JobOutcomeWrite>;
  /**
   * Reads for `run`, done in the group-commit transaction that claims the job (SQLite only: the
   * one connection is held by that writer most of the time under load, so separate reads would
   * each wait for a batch). Must only read. Absent on PostgreSQL: `run` reads for itself then.
   */
  preload?(trx: Kysely<DB>, payload: P): Promise<unknown>;
}

/** Writes a job's outcome, committed together with the job's completion. */
export type JobOutcomeWrite = (trx: Kysely<DB>) => Promise<void>;

export interface PeriodicJob {
  readonly kind: string;
  readonly everyMs: number;
}

export interface EnqueueOptions<P> {
  kind: string;
  payload: P;
  runAt?: number;
  idempotencyKey?: string;
  maxAttempts?: number;
}

const NOTIFY_CHANNEL = 'dutydesk_jobs';
/** Transactions that have already sent their NOTIFY (one per transaction is enough). */
const notified = new WeakSet<Kysely<DB>>();
/** In-process wake-up: lets a worker in this process start a new job without waiting a poll. */
export const jobSignals = new EventEmitter();
jobSignals.setMaxListeners(100);

export const defaultBackoff = (attempt: number): number =>
  Math.min(60 * 60_000, 1000 * 2 ** (attempt - 1));

/** A new job as the enqueue statements bind it. */
type JobRow = {
  id: string;
  kind: string;
  payload: string;
  run_at: number;
  max_attempts: number;
  idempotency_key: string | null;
  now: number;
};
const JOB_ROW_COLUMNS = [
  'id',
  'kind',
  'payload',
  'run_at',
  'max_attempts',
  'idempotency_key',
  'now',
] as const satisfies readonly (keyof JobRow)[];

function jobRow<P>(clock: Clock, opts: EnqueueOptions<P>): JobRow {
  const now = clock.now();
  return {
    id: newId(),
    kind: opts.kind,
    payload: JSON.stringify(opts.payload ?? null),
    run_at: opts.runAt ?? now,
    max_attempts: opts.maxAttempts ?? 10,
    idempotency_key: opts.idempotencyKey ?? null,
    now,
  };
}

/** The `job` table's columns of a new job. */
const jobValues = (r: JobRow) => ({
  id: r.id,
  kind: r.kind,
  payload: r.payload,
  status: 'pending',
  run_at: r.run_at,
  attempts: 0,
  max_attempts: r.max_attempts,
  idempotency_key: r.idempotency_key,
  locked_by: null,
  locked_until: null,
  last_error: null,
  created_at: r.now,
  updated_at: r.now,
  finished_at: null,
});

/**
 * Tells workers there is new work of these kinds: in this process at once, in every process
 * through one NOTIFY per transaction (PostgreSQL, delivered on commit).
 */
async function announceJobs(trx: Kysely<DB>, dialect: DialectName, kinds: Set<string>) {
  if (dialect === 'postgres' && !notified.has(trx)) {
    if (trx.isTransaction) notified.add(trx);
    await sql`SELECT pg_notify(${NOTIFY_CHANNEL}, 'enqueued')`.execute(trx);
  }
  setImmediate(() => {
    for (const kind of kinds) jobSignals.emit('enqueued', kind);
  });
}

// Compiled once: every page enqueues several jobs (`precompiled`).
const insertJobQuery = precompiled<JobRow>((db, p) =>
  db
    .insertInto('job')
    .values(jobValues(Object.fromEntries(JOB_ROW_COLUMNS.map((c) => [c, p(c)])) as JobRow))
    .onConflict((oc) => oc.column('idempotency_key').doNothing()),
);

/**
 * Write a job. Pass the transaction of the change that causes it, so that both commit or
 * neither does. Returns false when a job with the same idempotency key already exists.
 */
export async function enqueueJob<P>(
  trx: Kysely<DB>,
  dialect: DialectName,
  clock: Clock,
  opts: EnqueueOptions<P>,
): Promise<boolean> {
  const result = await insertJobQuery(trx, jobRow(clock, opts));
  const inserted = Number(result.numAffectedRows ?? 0n) > 0;
  if (inserted) await announceJobs(trx, dialect, new Set([opts.kind]));
  return inserted;
}

const insertJobRows = precompiledRows<JobRow>(JOB_ROW_COLUMNS, (db, rows) =>
  db
    .insertInto('job')
    .values(rows.map(jobValues))
    .onConflict((oc) => oc.column('idempotency_key').doNothing()),
);

function batchedJobs(dialect: DialectName): DeferredRows<JobRow> {
  return {
    async flush(trx, rows) {
      await insertJobRows(trx, rows);
      // A row skipped as a duplicate wakes a worker for nothing: harmless.
      await announceJobs(trx, dialect, new Set(rows.map((r) => r.kind)));
    },
  };
}
const jobsWithBatch = { sqlite: batchedJobs('sqlite'), postgres: batchedJobs('postgres') };

/**
 * `enqueueJob` for a caller that does not need to know whether the job was new (idempotency
 * key already taken): in a group-commit batch the job is written with the batch's other jobs
 * in one statement before the commit (`insertWithBatch`); elsewhere at once.
 */
export async function enqueueJobWithBatch<P>(
  trx: Kysely<DB>,
  dialect: DialectName,
  clock: Clock,
  opts: EnqueueOptions<P>,
): Promise<void> {
  await insertWithBatch(trx, jobsWithBatch[dialect], jobRow(clock, opts));
}

export interface JobEngineOptions {
  /** Told of every finished try (metrics). */
  onOutcome?: (kind: string, outcome: 'done' | 'retry' | 'dead') => void;
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  log: Logger;
  workerId?: string;
  pollMs?: number;
  concurrency?: number;
  leaseMs?: number;
  /** For PostgreSQL: a dedicated client for LISTEN. */
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
}

// The engine's per-job statements, compiled once (every send claims and finishes a job).
const markFinishedQuery = precompiled<{
  status: 'done' | 'dead';
  now: number;
  error: string | null;
  id: string;
  workerId: string;
}>((db, p) =>
  db
    .updateTable('job')
    .set({
      status: p('status'),
      finished_at: p('now'),
      locked_by: null,
      locked_until: null,
      last_error: p('error'),
      updated_at: p('now'),
    })
    .where('id', '=', p('id'))
    .where('locked_by', '=', p('workerId')),
);

/**
 * The SQLite claim. Due pending jobs and expired leases are taken from the (status, run_at)
 * index each in run_at order, up to the limit each, then the earliest `limit` of both: with
 * one `OR` over both, SQLite collected and sorted every due job on each claim (EXPLAIN QUERY
 * PLAN: a temp B-tree), a cost that grew with the backlog of sends.
 */
function sqliteClaimQuery(kinds: readonly string[]) {
  const ofKinds = sql`kind IN (${sql.join(kinds)})`;
  return precompiled<
    { workerId: string; lockedUntil: number; now: number; limit: number },
    JobTable
  >(
    (_db, p) => sql<JobTable>`
        UPDATE job SET status = 'running', locked_by = ${p('workerId')}, locked_until = ${p('lockedUntil')},
          attempts = attempts + 1, updated_at = ${p('now')}
        WHERE id IN (SELECT id FROM (
          SELECT id, run_at FROM (SELECT id, run_at FROM job
            WHERE status = 'pending' AND run_at <= ${p('now')} AND ${ofKinds} ORDER BY run_at LIMIT ${p('limit')})
          UNION ALL
          SELECT id, run_at FROM (SELECT id, run_at FROM job
            WHERE status = 'running' AND locked_until < ${p('now')} AND ${ofKinds} ORDER BY run_at LIMIT ${p('limit')})
        ) ORDER BY run_at LIMIT ${p('limit')})
        RETURNING *`,
  );
}

export class JobEngine {
  readonly workerId: string;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly periodic: PeriodicJob[] = [];
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private running = false;
  private inFlight = new Set<Promise<void>>();
  /** Jobs in flight per kind (for kinds with their own `concurrency`). */
  private readonly inFlightByKind = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private unlisten: (() => Promise<void>) | undefined;
  /** The last slot of each periodic kind this process has written (it need not write it again). */
  private readonly periodicSlots = new Map<string, number>();
  /** The SQLite claim compiled once per list of kinds (`precompiled`). */
  private readonly claimQueries = new Map<string, ReturnType<typeof sqliteClaimQuery>>();
  /** Jobs this engine has run to an outcome (runDue counts those it waited for). */
  private finished = 0;
  private readonly onSignal = (kind: string) => {
    if (this.handlers.has(kind)) this.kick();
  };

  constructor(private readonly opts: JobEngineOptions) {
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${newId().slice(-8)}`;
    this.pollMs = opts.pollMs ?? 500;
    this.concurrency = opts.concurrency ?? 4;
    this.leaseMs = opts.leaseMs ?? 60_000;
  }

  /**
   * The engine's own writes (claims, finishes, retries, periodic slots). On SQLite they join
   * the process's group commit: a commit blocks the thread there, so sharing it matters. On
   * PostgreSQL they run on their own (the server groups concurrent commits itself).
   */
  private write<T>(unit: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    if (this.opts.dialect === 'sqlite') return groupCommit(this.opts.db).run(unit);
    return unit(this.opts.db);
  }

  register<P>(handler: JobHandler<P>): this {
    if (this.handlers.has(handler.kind))
      throw new Error(`job kind ${handler.kind} registered twice`);
    this.handlers.set(handler.kind, handler);
    return this;
  }

  /** Run `kind` every `everyMs`: each slot is enqueued once across all processes. */
  every(kind: string, everyMs: number): this {
    this.periodic.push({ kind, everyMs });
    return this;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    jobSignals.on('enqueued', this.onSignal);
    if (this.opts.listen) this.unlisten = await this.opts.listen(NOTIFY_CHANNEL, () => this.kick());
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    jobSignals.off('enqueued', this.onSignal);
    if (this.timer) clearTimeout(this.timer);
    if (this.unlisten) await this.unlisten();
    while (this.polling || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.polling) await new Promise((r) => setTimeout(r, 5));
    }
  }

  private kick(): void {
    if (!this.running) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.poll();
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        await this.ensurePeriodic();
        await this.claimAndRun();
      } while (this.pollAgain && this.running);
    } catch (err) {
      this.opts.log.error({ err }, 'job poll failed');
    } finally {
      this.polling = false;
      if (this.running) this.timer = setTimeout(() => this.kick(), this.pollMs);
    }
  }

  /** Claim and run due jobs once; resolves when the claimed jobs have finished. For tests and CLI. */
  async runDue(): Promise<number> {
    const before = this.finished;
    await this.ensurePeriodic();
    await this.claimAndRun();
    // A background poll (the engine is running) may have claimed due work at the same moment:
    // wait for it and for every job in flight, and count those too.
    while (this.polling || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.polling) await new Promise((r) => setTimeout(r, 5));
    }
    return this.finished - before;
  }

  private async ensurePeriodic(): Promise<void> {
    if (this.periodic.length === 0) return;
    const now = this.opts.clock.now();
    for (const p of this.periodic) {
      const slot = Math.floor(now / p.everyMs);
      if (this.periodicSlots.get(p.kind) === slot) continue;
      await this.write((trx) =>
        enqueueJob(trx, this.opts.dialect, this.opts.clock, {
          kind: p.kind,
          payload: { slot },
          runAt: slot * p.everyMs,
          idempotencyKey: `periodic:${p.kind}:${slot}`,
          maxAttempts: 3,
        }),
      );
      this.periodicSlots.set(p.kind, slot);
    }
  }

  private async claimAndRun(): Promise<number> {
    let free = this.concurrency - this.inFlight.size;
    if (free <= 0 || this.handlers.size === 0) return 0;
    // Kinds without a limit of their own are claimed together; each limited kind with room
    // left is claimed on its own, never beyond its room.
    const open: string[] = [];
    const limited: [kind: string, room: number][] = [];
    for (const h of this.handlers.values()) {
      if (h.concurrency === undefined) open.push(h.kind);
      else {
        const room = h.concurrency - (this.inFlightByKind.get(h.kind) ?? 0);
        if (room > 0) limited.push([h.kind, room]);
      }
    }
    const jobs: { job: JobTable; preloaded?: unknown }[] = [];
    if (open.length > 0) jobs.push(...(await this.claim(open, free)));
    free -= jobs.length;
    for (const [kind, room] of limited) {
      if (free <= 0) break;
      const got = await this.claim([kind], Math.min(room, free));
      jobs.push(...got);
      free -= got.length;
    }
    for (const { job, preloaded } of jobs) {
      this.inFlightByKind.set(job.kind, (this.inFlightByKind.get(job.kind) ?? 0) + 1);
      const p = this.execute(job, preloaded).finally(() => {
        this.finished++;
        this.inFlightByKind.set(job.kind, (this.inFlightByKind.get(job.kind) ?? 1) - 1);
        this.inFlight.delete(p);
        // A slot freed up: more due work may be waiting.
        this.kick();
      });
      this.inFlight.add(p);
    }
    return jobs.length;
  }

  private async claim(
    kinds: readonly string[],
    limit: number,
  ): Promise<{ job: JobTable; preloaded?: unknown }[]> {
    const now = this.opts.clock.now();
    const lockedUntil = now + this.leaseMs;
    const due = sql`((status = 'pending' AND run_at <= ${now}) OR (status = 'running' AND locked_until < ${now}))`;
    if (this.opts.dialect === 'postgres') {
      const { rows } = await sql<JobTable>`
        UPDATE job SET status = 'running', locked_by = ${this.workerId}, locked_until = ${lockedUntil},
          attempts = attempts + 1, updated_at = ${now}
        WHERE id IN (
          SELECT id FROM job WHERE ${due} AND kind IN (${sql.join(kinds)})
          ORDER BY run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING *`.execute(this.opts.db);
      return rows.map((job) => ({ job }));
    }
    // SQLite: the claim joins the process's group commit (one fsync with the other writes).
    const kindsKey = kinds.join('\n');
    let claimQuery = this.claimQueries.get(kindsKey);
    if (!claimQuery) {
      claimQuery = sqliteClaimQuery(kinds);
      this.claimQueries.set(kindsKey, claimQuery);
    }
    const claimSqlite = claimQuery;
    return this.write(async (trx) => {
      const { rows } = await claimSqlite(trx, {
        workerId: this.workerId,
        lockedUntil,
        now,
        limit,
      });
      const claimed: { job: JobTable; preloaded?: unknown }[] = [];
      for (const job of rows) {
        const handler = this.handlers.get(job.kind);
        let preloaded: unknown;
        try {
          if (handler?.preload) preloaded = await handler.preload(trx, JSON.parse(job.payload));
        } catch {
          // A failed read is not the claim's failure: the job runs and reads for itself.
          preloaded = undefined;
        }
        claimed.push(preloaded === undefined ? { job } : { job, preloaded });
      }
      return claimed;
    });
  }

  private async execute(job: JobTable, preloaded?: unknown): Promise<void> {
    const handler = this.handlers.get(job.kind);
    const { db, clock, log } = this.opts;
    if (!handler) return;
    const max = job.max_attempts;
    if (job.attempts > max) {
      await this.finish(job, 'dead', 'gave up: lease expired on the last attempt');
      return;
    }
    // Keep the lease while the handler runs, so a slow job is not taken over by another worker.
    const heartbeat = setInterval(
      () => {
        void db
          .updateTable('job')
          .set({ locked_until: clock.now() + this.leaseMs })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.workerId)
          .execute()
          .catch((err: unknown) => log.warn({ err, jobId: job.id }, 'job lease renewal failed'));
      },
      Math.max(50, this.leaseMs / 3),
    );
    try {
      const outcome = await handler.run(JSON.parse(job.payload), {
        job,
        db,
        clock,
        log: log.child({ jobId: job.id, kind: job.kind }),
        ...(preloaded === undefined ? {} : { preloaded }),
      });
      clearInterval(heartbeat);
      await this.finish(job, 'done', null, outcome ?? undefined);
    } catch (err) {
      clearInterval(heartbeat);
      const message = err instanceof Error ? err.message : String(err);
      if (job.attempts >= max) {
        log.error(
          { err, jobId: job.id, kind: job.kind, attempts: job.attempts },
          'job failed for the last time',
        );
        await this.finish(job, 'dead', message);
      } else {
        const delay = (handler.backoffMs ?? defaultBackoff)(job.attempts);
        log.warn(
          { err, jobId: job.id, kind: job.kind, attempts: job.attempts, retryInMs: delay },
          'job failed; will retry',
        );
        this.opts.onOutcome?.(job.kind, 'retry');
        await this.write((trx) =>
          trx
            .updateTable('job')
            .set({
              status: 'pending',
              run_at: clock.now() + delay,
              locked_by: null,
              locked_until: null,
              last_error: message.slice(0, 2000),
              updated_at: clock.now(),
            })
            .where('id', '=', job.id)
            .where('locked_by', '=', this.workerId)
            .execute(),
        );
      }
    }
  }

  private async finish(
    job: JobTable,
    status: 'done' | 'dead',
    error: string | null,
    outcome?: JobOutcomeWrite,
  ): Promise<void> {
    const now = this.opts.clock.now();
    const markFinished = (trx: Kysely<DB>) =>
      markFinishedQuery(trx, {
        status,
        now,
        error: error?.slice(0, 2000) ?? null,
        id: job.id,
        workerId: this.workerId,
      });
    // Group commit: the finishes of many jobs share one transaction (and one fsync).
    if (!outcome) await this.write(markFinished);
    else if (this.opts.dialect === 'sqlite')
      await this.write(async (trx) => {
        await outcome(trx);
        await markFinished(trx);
      });
    else
      await this.opts.db.transaction().execute(async (trx) => {
        await outcome(trx);
        await markFinished(trx);
      });
    this.opts.onOutcome?.(job.kind, status);
  }
}

/** Delete finished jobs older than `keepMs` (dead ones are kept for an admin to read). */
export async function purgeFinishedJobs(
  db: Kysely<DB>,
  now: number,
  keepMs: number,
): Promise<void> {
  await db
    .deleteFrom('job')
    .where('status', '=', 'done')
    .where('finished_at', '<', now - keepMs)
    .execute();
}

export interface JobSummary {
  counts: { status: string; kind: string; n: number }[];
  dead: {
    id: string;
    kind: string;
    attempts: number;
    lastError: string | null;
    updatedAt: number;
  }[];
}

/** For the admin's view of background work: counts by status and kind, and the dead jobs. */
export async function summariseJobs(db: Kysely<DB>): Promise<JobSummary> {
  const counts = await db
    .selectFrom('job')
    .select(['status', 'kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(['status', 'kind'])
    .orderBy('kind')
    .execute();
  const dead = await db
    .selectFrom('job')
    .select(['id', 'kind', 'attempts', 'last_error', 'updated_at'])
    .where('status', '=', 'dead')
    .orderBy('updated_at', 'desc')
    .limit(100)
    .execute();
  return {
    counts: counts.map((c) => ({ status: c.status, kind: c.kind, n: Number(c.n) })),
    dead: dead.map((d) => ({
      id: d.id,
      kind: d.kind,
      attempts: d.attempts,
      lastError: d.last_error,
      updatedAt: d.updated_at,
    })),
  };
}
