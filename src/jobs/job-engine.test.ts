import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { systemClock } from '../lib/clock.js';
import { DIALECTS, openMigrated } from '../../test/helpers/db.js';
import { JobEngine, enqueueJob } from './job-engine.js';

const log = pino({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(dialect: (typeof DIALECTS)[number]) {
  const database = await openMigrated(dialect);
  cleanups.push(() => database.dispose());
  await sql`CREATE TABLE job_run (job_id text NOT NULL, worker text NOT NULL, n integer NOT NULL)`.execute(
    database.db,
  );
  return database;
}

function engine(
  database: Awaited<ReturnType<typeof setup>>,
  extra: Partial<ConstructorParameters<typeof JobEngine>[0]> = {},
) {
  const e = new JobEngine({
    db: database.db,
    dialect: database.dialect,
    clock: systemClock,
    log,
    pollMs: 20,
    ...extra,
  });
  cleanups.push(() => e.stop());
  return e;
}

async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const statusOf = async (database: Awaited<ReturnType<typeof setup>>, id?: string) => {
  let q = database.db.selectFrom('job').select(['status', 'attempts', 'last_error', 'kind']);
  if (id) q = q.where('id', '=', id);
  return q.execute();
};

describe.each(DIALECTS)('durable job engine on %s', (dialect) => {
  it('writes a job only when the transaction that causes it commits', async () => {
    const database = await setup(dialect);
    await database.db.transaction().execute(async (trx) => {
      await enqueueJob(trx, dialect, systemClock, { kind: 'test.kept', payload: {} });
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueJob(trx, dialect, systemClock, { kind: 'test.lost', payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await statusOf(database)).map((j) => j.kind)).toEqual(['test.kept']);
  });

  it('never creates a second job for the same idempotency key', async () => {
    const database = await setup(dialect);
    const a = await enqueueJob(database.db, dialect, systemClock, {
      kind: 'k',
      payload: 1,
      idempotencyKey: 'page:1:level:0',
    });
    const b = await enqueueJob(database.db, dialect, systemClock, {
      kind: 'k',
      payload: 2,
      idempotencyKey: 'page:1:level:0',
    });
    expect([a, b]).toEqual([true, false]);
    expect(await statusOf(database)).toHaveLength(1);
  });

  it('commits the outcome a handler returns with its completion, and retries when it fails', async () => {
    const database = await setup(dialect);
    const seen: unknown[] = [];
    let tries = 0;
    const e = engine(database);
    e.register<{ n: number }>({
      kind: 'test.outcome',
      maxAttempts: 3,
      backoffMs: () => 30,
      // Only SQLite preloads (in the claim); PostgreSQL runs read for themselves.
      preload: async (trx, payload) =>
        (await sql<{ n: number }>`SELECT ${payload.n} * 2 AS n`.execute(trx)).rows[0]!.n,
      run: async (payload, ctx) => {
        seen.push(ctx.preloaded);
        tries++;
        return async (trx) => {
          await sql`INSERT INTO job_run (job_id, worker, n) VALUES (${ctx.job.id}, 'w', ${payload.n})`.execute(
            trx,
          );
          // The first outcome fails after its insert: rolled back with it, the job is retried.
          if (tries === 1) throw new Error('outcome write failed');
        };
      },
    });
    await enqueueJob(database.db, dialect, systemClock, {
      kind: 'test.outcome',
      payload: { n: 21 },
      maxAttempts: 3,
    });
    await e.runDue();
    await waitFor(async () => (await e.runDue()) > 0 || tries >= 2);
    const [job] = await statusOf(database);
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    const rows = await sql<{ n: number }>`SELECT n FROM job_run`.execute(database.db);
    expect(rows.rows.map((r) => Number(r.n))).toEqual([21]);
    expect(seen).toEqual(dialect === 'sqlite' ? [42, 42] : [undefined, undefined]);
  });

  it('retries a failing job with backoff and gives up after max attempts', async () => {
    const database = await setup(dialect);
    let calls = 0;
    const e = engine(database);
    e.register({
      kind: 'test.flaky',
      maxAttempts: 3,
      backoffMs: () => 30,
      run: async () => {
        calls++;
        if (calls < 3) throw new Error(`fail ${calls}`);
      },
    });
    e.register({
      kind: 'test.broken',
      maxAttempts: 2,
      backoffMs: () => 30,
      run: async () => {
        throw new Error('always');
      },
    });
    await enqueueJob(database.db, dialect, systemClock, {
      kind: 'test.flaky',
      payload: {},
      maxAttempts: 3,
    });
    await enqueueJob(database.db, dialect, systemClock, {
      kind: 'test.broken',
      payload: {},
      maxAttempts: 2,
    });
    await e.start();
    await waitFor(async () =>
      (await statusOf(database)).every((j) => j.status === 'done' || j.status === 'dead'),
    );
    const rows = await statusOf(database);
    expect(rows.find((r) => r.kind === 'test.flaky')).toMatchObject({
      status: 'done',
      attempts: 3,
    });
    expect(rows.find((r) => r.kind === 'test.broken')).toMatchObject({
      status: 'dead',
      attempts: 2,
      last_error: 'always',
    });
  });

  it('runs a job scheduled for later only when it is due', async () => {
    const database = await setup(dialect);
    const ran: number[] = [];
    const e = engine(database);
    e.register({
      kind: 'test.later',
      run: async () => {
        ran.push(Date.now());
      },
    });
    const due = Date.now() + 400;
    await enqueueJob(database.db, dialect, systemClock, {
      kind: 'test.later',
      payload: {},
      runAt: due,
    });
    await e.start();
    await waitFor(async () => ran.length === 1);
    expect(ran[0]!).toBeGreaterThanOrEqual(due);
  });

  it('runs at most its own concurrency of a limited kind, while other kinds use the rest', async () => {
    const database = await setup(dialect);
    const e = engine(database, { concurrency: 8 });
    let heavyNow = 0;
    let heavyMax = 0;
    let lightMax = 0;
    let lightNow = 0;
    const done: string[] = [];
    e.register({
      kind: 'test.heavy',
      concurrency: 1,
      run: async () => {
        heavyMax = Math.max(heavyMax, ++heavyNow);
        await new Promise((r) => setTimeout(r, 60));
        heavyNow--;
        done.push('heavy');
      },
    });
    e.register({
      kind: 'test.light',
      run: async () => {
        lightMax = Math.max(lightMax, ++lightNow);
        await new Promise((r) => setTimeout(r, 60));
        lightNow--;
        done.push('light');
      },
    });
    for (let i = 0; i < 4; i++) {
      await enqueueJob(database.db, dialect, systemClock, { kind: 'test.heavy', payload: { i } });
    }
    for (let i = 0; i < 12; i++) {
      await enqueueJob(database.db, dialect, systemClock, { kind: 'test.light', payload: { i } });
    }
    await e.start();
    await waitFor(async () => done.length === 16);
    expect(heavyMax).toBe(1);
    // The light ones ran side by side (up to the engine's 8), not one by one.
    expect(lightMax).toBeGreaterThan(1);
    expect(lightMax).toBeLessThanOrEqual(8);
    // A handler returns before the engine commits its job as done: wait for the commits.
    await waitFor(async () => (await statusOf(database)).every((j) => j.status === 'done'));
  });

  it('takes over the job of a worker killed with SIGKILL and finishes it once', async () => {
    const database = await setup(dialect);
    await enqueueJob(database.db, dialect, systemClock, { kind: 'test.hang', payload: { n: 7 } });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/job-worker.ts', database.url, '500'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(async () => void child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
      child.on('exit', (code) => reject(new Error(`worker exited early: ${code}`)));
    });
    child.removeAllListeners('exit');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await statusOf(database))[0]).toMatchObject({ status: 'running', attempts: 1 });

    // A new process (here: a new engine on a new connection) picks the job up after the lease.
    const reopened = openDatabase(database.url);
    cleanups.push(() => reopened.close());
    const payloads: unknown[] = [];
    const e = new JobEngine({ db: reopened.db, dialect, clock: systemClock, log, pollMs: 50 });
    cleanups.push(() => e.stop());
    e.register({
      kind: 'test.hang',
      run: async (p) => {
        payloads.push(p);
      },
    });
    await e.start();
    await waitFor(async () => (await statusOf(database))[0]!.status === 'done');
    expect(payloads).toEqual([{ n: 7 }]);
    expect((await statusOf(database))[0]).toMatchObject({ attempts: 2 });
  });
});

describe('several workers on one PostgreSQL', () => {
  it('never run the same job twice', async () => {
    const database = await setup('postgres');
    const N = 300;
    const engines = [0, 1, 2].map(() => {
      const own = openDatabase(database.url, { poolSize: 4 });
      cleanups.push(() => own.close());
      const e = new JobEngine({
        db: own.db,
        dialect: 'postgres',
        clock: systemClock,
        log,
        pollMs: 10,
        concurrency: 4,
      });
      cleanups.push(() => e.stop());
      e.register({
        kind: 'test.count',
        run: async (payload: { n: number }, ctx) => {
          await sql`INSERT INTO job_run (job_id, worker, n) VALUES (${ctx.job.id}, ${e.workerId}, ${payload.n})`.execute(
            own.db,
          );
        },
      });
      return e;
    });
    await database.db.transaction().execute(async (trx) => {
      for (let n = 0; n < N; n++)
        await enqueueJob(trx, 'postgres', systemClock, { kind: 'test.count', payload: { n } });
    });
    await Promise.all(engines.map((e) => e.start()));
    await waitFor(
      async () =>
        Number(
          (
            await sql<{ c: string }>`SELECT COUNT(*) AS c FROM job WHERE status = 'done'`.execute(
              database.db,
            )
          ).rows[0]!.c,
        ) === N,
      30_000,
    );
    const runs = (
      await sql<{ job_id: string; worker: string }>`SELECT job_id, worker FROM job_run`.execute(
        database.db,
      )
    ).rows;
    expect(runs).toHaveLength(N);
    expect(new Set(runs.map((r) => r.job_id)).size).toBe(N);
    // The work was shared, not done by one process alone.
    expect(new Set(runs.map((r) => r.worker)).size).toBeGreaterThan(1);
  });
});
