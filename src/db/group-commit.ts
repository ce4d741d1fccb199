import { type Kysely, sql } from 'kysely';
import { type SqliteStatementRunner, sqliteRunnerOf } from './database.js';
import type { DB } from './schema.js';

/**
 * Group commit: short write units queued by concurrent callers run together in ONE
 * transaction, so one fsync (SQLite `synchronous=FULL`, PostgreSQL `synchronous_commit`)
 * serves them all. Units that arrive while a transaction commits join the next one.
 *
 * Units run in queue order. A unit that throws is rolled back alone and its caller gets the
 * error; the others commit (the batch is run again with a savepoint per unit, so a unit may
 * run twice: only its writes to the transaction may have effects). A caller's promise settles only
 * after the transaction has committed (or failed), so whatever a caller acknowledges on
 * success is durable, and a crash before the commit acknowledged nothing.
 *
 * A unit must only use the transaction it is given (no other I/O, no waiting on another
 * unit): it holds up every unit of its batch. One writer per database handle, shared by
 * every module of the process (`groupCommit(db)`).
 */
export type WriteUnit<T> = (trx: Kysely<DB>) => Promise<T>;

interface Queued {
  unit: WriteUnit<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Rows a unit inserts but reads nothing back from in the same batch (timeline rows, jobs):
 * written as multi-row inserts once the batch's units have run, still inside its transaction
 * (before the commit, so the callers' answers still mean "stored"). Far fewer statements per
 * event; on PostgreSQL far fewer round trips, which bound the lane there.
 */
export interface DeferredRows<R> {
  /** Writes the rows; called with one row when the transaction is not a group-commit batch. */
  flush(trx: Kysely<DB>, rows: R[]): Promise<void>;
}

/** The deferred rows of each batch transaction now running, by kind, in first-use order. */
const deferred = new WeakMap<Kysely<DB>, Map<DeferredRows<never>, unknown[]>>();

/**
 * Inserts `row` with the batch's other rows of this kind, before the batch commits; outside a
 * group-commit batch (a plain transaction), at once. Only for rows that no unit of the same
 * batch reads back (a later unit would not see them yet).
 */
export async function insertWithBatch<R>(
  trx: Kysely<DB>,
  kind: DeferredRows<R>,
  row: R,
): Promise<void> {
  const pending = deferred.get(trx);
  if (!pending) return kind.flush(trx, [row]);
  const k = kind as DeferredRows<never>;
  let rows = pending.get(k);
  if (!rows) pending.set(k, (rows = []));
  rows.push(row);
}

/**
 * The rows of this kind an earlier unit of the batch deferred and that are not written yet
 * (none outside a batch): for a unit that must read what its batch changed (the overlay).
 * Rows of a unit that failed are dropped, rows flushed are no longer pending.
 */
export function pendingRows<R>(trx: Kysely<DB>, kind: DeferredRows<R>): readonly R[] {
  return (deferred.get(trx)?.get(kind) as R[] | undefined) ?? [];
}

async function flushDeferred(trx: Kysely<DB>): Promise<void> {
  const pending = deferred.get(trx);
  if (!pending) return;
  for (const [kind, rows] of pending) {
    pending.delete(kind);
    await kind.flush(trx, rows as never[]);
  }
}

/** The SQLite statement runner of each batch transaction while its units run (not after). */
const liveBatches = new WeakMap<Kysely<DB>, SqliteStatementRunner>();

/**
 * For a group-commit batch's transaction on SQLite while its units run: a runner that executes
 * a compiled statement on the connection directly, without Kysely's per-query executor (a
 * fresh executor, a connection-provider promise chain and result transform for every statement:
 * ~3-5 µs of CPU each, and the batch's units run ~7 statements per alert). Undefined for any
 * other transaction or handle, and once the batch's units are done, so a unit that kept its
 * transaction past the commit still gets Kysely's "already committed" error.
 */
export function batchStatementRunner(trx: Kysely<DB>): SqliteStatementRunner | undefined {
  return liveBatches.get(trx);
}

/** Runs `units` with `trx` registered as a live batch (SQLite), unregistered whatever happens. */
async function withLiveBatch<T>(
  trx: Kysely<DB>,
  runner: SqliteStatementRunner | undefined,
  units: () => Promise<T>,
): Promise<T> {
  if (!runner) return units();
  liveBatches.set(trx, runner);
  try {
    return await units();
  } finally {
    liveBatches.delete(trx);
  }
}

const MAX_UNITS = 512;
const GATHER_TURNS = 4;

export class GroupCommit {
  private queue: Queued[] = [];
  private draining = false;
  /** SQLite: the handle's direct statement runner for the batches' units (`batchStatementRunner`). */
  private readonly runner: SqliteStatementRunner | undefined;
  /** Transactions committed and units run: for tests and benchmarks. */
  readonly stats = { transactions: 0, units: 0 };

  /**
   * `grouped: false`: each unit is a transaction of its own, run concurrently (for comparison
   * and tests). Grouped on both dialects: on PostgreSQL the lane holds one pool connection,
   * where one transaction per request took every connection (and queued on the service lock),
   * leaving the job engine's claims and sends waiting for a connection behind the intake.
   */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly grouped = true,
  ) {
    this.runner = sqliteRunnerOf(db);
  }

  run<T>(unit: WriteUnit<T>): Promise<T> {
    if (!this.grouped)
      return this.db
        .transaction()
        .execute(unit)
        .then((v) => {
          this.stats.transactions++;
          this.stats.units++;
          return v;
        });
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ unit, resolve: resolve as (v: unknown) => void, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        await this.gather();
        await this.runBatch();
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * The window: a commit blocks the thread (SQLite) or waits on the server, and meanwhile
   * requests pile up unread. Let the event loop take them in (a turn at a time, while more keep
   * coming, at most a few turns) so they join this batch rather than each paying a commit.
   */
  private async gather(): Promise<void> {
    for (let turn = 0; turn < GATHER_TURNS; turn++) {
      const before = this.queue.length;
      await new Promise((r) => setImmediate(r));
      if (this.queue.length === before || this.queue.length >= MAX_UNITS) return;
    }
  }

  private async runBatch(): Promise<void> {
    let batch: Queued[] = [];
    let unitFailed = false;
    // First without savepoints: two statements fewer per unit (two round trips on PostgreSQL).
    // Units rarely fail; when one does, the whole transaction rolls back and the batch runs
    // again, each unit in its own savepoint, so that only the failing one is lost.
    try {
      const values = await this.db.transaction().execute((trx) =>
        withLiveBatch(trx, this.runner, async () => {
          // Taken once the connection is ours: whatever arrived while we waited joins.
          batch = this.queue.splice(0, MAX_UNITS);
          deferred.set(trx, new Map());
          const out: unknown[] = [];
          for (const item of batch) {
            try {
              out.push(await item.unit(trx));
            } catch (error) {
              unitFailed = true;
              throw error;
            }
          }
          try {
            await flushDeferred(trx);
          } catch (error) {
            // Whose row failed is not known here: the batch runs again, unit by unit.
            unitFailed = true;
            throw error;
          }
          return out;
        }),
      );
      this.settle(
        batch,
        values.map((value) => ({ ok: true, value })),
      );
      return;
    } catch (error) {
      // The commit itself failed, or the only unit threw: nothing of it was committed.
      if (!unitFailed || batch.length === 1) {
        for (const item of batch) item.reject(error);
        return;
      }
    }
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute((trx) =>
        withLiveBatch(trx, this.runner, async () => {
          deferred.set(trx, new Map());
          for (const item of batch) {
            await sql`SAVEPOINT group_unit`.execute(trx);
            try {
              const value = await item.unit(trx);
              // Each unit's deferred rows inside its own savepoint: a failing row fails its unit.
              await flushDeferred(trx);
              await sql`RELEASE SAVEPOINT group_unit`.execute(trx);
              outcomes.push({ ok: true, value });
            } catch (error) {
              deferred.get(trx)?.clear();
              await sql`ROLLBACK TO SAVEPOINT group_unit`.execute(trx);
              await sql`RELEASE SAVEPOINT group_unit`.execute(trx);
              outcomes.push({ ok: false, error });
            }
          }
        }),
      );
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.settle(batch, outcomes);
  }

  private settle(batch: Queued[], outcomes: Outcome[]): void {
    this.stats.transactions++;
    this.stats.units += batch.length;
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }
}

const writers = new WeakMap<Kysely<DB>, GroupCommit>();

/**
 * The process's group-commit writer for this database handle. On SQLite everything that writes
 * often joins it (a commit blocks the thread). On PostgreSQL only the intake does: the job
 * engine and sends write on their own connections, so that they never wait behind the lane
 * (with claims, finishes and send outcomes in it, sends starved behind intake batches).
 */
export function groupCommit(db: Kysely<DB>): GroupCommit {
  let w = writers.get(db);
  if (!w) {
    w = new GroupCommit(db, true);
    writers.set(db, w);
  }
  return w;
}
