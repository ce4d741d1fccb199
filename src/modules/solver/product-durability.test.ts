import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from '../../../test/helpers/db.js';
import { type Client, httpClient } from '../../../test/helpers/paging.js';

/*
 * A real `dutydesk serve` process is killed with SIGKILL while a Generate run is solving. After
 * a restart the run is resumed once its job's lease runs out, from the best roster the killed try
 * saved; the lost try wrote nothing, the resumed one writes its result into the draft once.
 */

const ADMIN_PASSWORD = 'admin-password-for-solver-durability';
const children = new Set<ChildProcess>();
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of [...children]) await kill9(c);
  for (const f of cleanups) await f();
}, 30_000);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      JOB_POLL_MS: '100',
      JOB_LEASE_MS: '3000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready at|listening on/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  child.removeAllListeners('exit');
  return child;
}

function kill9(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function ok<T = Record<string, unknown>>(
  c: Client,
  method: string,
  url: string,
  body?: unknown,
): Promise<T> {
  const r = await c.request(method, url, body);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
  return r.json() as T;
}

interface Run {
  status: string;
  progress: { ms: number; objective: number }[];
  result: null | { error: string | null; assignments: number; solveMs: number | null };
}

async function until(
  c: Client,
  runId: string,
  test: (r: Run) => boolean,
  ms: number,
): Promise<Run> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await ok<Run>(c, 'GET', `/api/solver/runs/${runId}`);
    if (test(r)) return r;
    if (Date.now() > end) throw new Error(`run ${runId} stuck at ${r.status}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe.each(DIALECTS)('a Generate run killed with SIGKILL on %s', (dialect) => {
  it('is resumed after restart and its result is written once', async () => {
    const tdb = await createTestDatabase(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-solver-kill-'));
    cleanups.push(
      () => rmSync(dataDir, { recursive: true, force: true }),
      () => tdb.drop(),
    );
    const port = await freePort();
    const env = { DATABASE_URL: tdb.url, DATA_DIR: dataDir, PORT: String(port) };
    const base = `http://127.0.0.1:${port}`;
    let child = await serve(env);
    let admin = await httpClient(base, 'admin', ADMIN_PASSWORD);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const u = await ok<{ user: { id: string } }>(admin, 'POST', '/api/users', {
        username: `kill${i}`,
        displayName: `值班员${i}`,
        roles: ['technician'],
        password: `password-k${i}`,
      });
      ids.push(u.user.id);
    }
    const team = await ok<{ team: { id: string } }>(admin, 'POST', '/api/teams', {
      name: '运维',
      timeZone: 'Asia/Shanghai',
    });
    const teamId = team.team.id;
    await ok(admin, 'PUT', `/api/teams/${teamId}/members`, { userIds: ids });
    const d = await ok<{ id: string }>(admin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
      code: 'D',
      name: '白班',
      start: '08:00',
      end: '20:00',
      colour: '#ffd666',
    });
    const n = await ok<{ id: string }>(admin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
      code: 'N',
      name: '夜班',
      start: '20:00',
      end: '08:00',
      colour: '#1d39c4',
    });
    const cover = (s: string) =>
      (['weekday', 'weekend', 'holiday'] as const).map((dayKind) => ({
        shiftTypeId: s,
        dayKind,
        min: 1,
        preferred: 2,
      }));
    await ok(admin, 'POST', `/api/roster/teams/${teamId}/posts`, {
      name: '值班',
      shiftTypeIds: [d.id, n.id],
      cover: [...cover(d.id), ...cover(n.id)],
    });
    const created = await ok<{ roster: { id: string } }>(admin, 'POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2027-01-01',
      periodEnd: '2027-01-31',
    });
    const rosterId = created.roster.id;

    const generatedAt = Date.now();
    const started = await ok<{ id: string }>(
      admin,
      'POST',
      `/api/solver/rosters/${rosterId}/generate`,
      { timeLimitSeconds: 12 },
    );
    // Past the construction: its best saved (the search may improve on it only a few times on a
    // month this small, or not at all).
    await until(admin, started.id, (r) => r.status === 'running' && r.progress.length >= 1, 60_000);
    // And well into its 12 s: a resume that got the full limit again would be seen below.
    await new Promise((r) => setTimeout(r, Math.max(0, 6000 - (Date.now() - generatedAt))));
    await kill9(child);

    child = await serve(env);
    admin = await httpClient(base, 'admin', ADMIN_PASSWORD);
    // What the killed try saved (the resumed try waits for the lease to run out).
    const atKill = await ok<Run>(admin, 'GET', `/api/solver/runs/${started.id}`);
    expect(atKill.status).toBe('running');
    const saved = atKill.progress.length;
    expect(saved).toBeGreaterThan(0);
    // Nothing was written by the killed try (the resumed one needs a lease and 12 s more).
    const view = await ok<{ assignments: unknown[] }>(
      admin,
      'GET',
      `/api/roster/rosters/${rosterId}`,
    );
    expect(view.assignments).toEqual([]);
    const done = await until(
      admin,
      started.id,
      (r) => !['queued', 'running', 'applying'].includes(r.status),
      90_000,
    );
    expect(done.status).toBe('done');
    expect(done.result!.error).toBeNull();
    // Resumed from the saved best roster: its first point is no worse than the last saved one
    // (a fresh construction may start above it).
    expect(done.progress.length).toBeGreaterThan(saved);
    expect(done.progress[saved]!.objective).toBeLessThanOrEqual(
      atKill.progress[saved - 1]!.objective + 1e-6,
    );
    const after = await ok<{ assignments: unknown[] }>(
      admin,
      'GET',
      `/api/roster/rosters/${rosterId}`,
    );
    expect(after.assignments.length).toBe(done.result!.assignments);
    expect(after.assignments.length).toBeGreaterThan(0);
    // Past another lease: the run is not taken up again, its result written once.
    await new Promise((r) => setTimeout(r, 3500));
    expect((await ok<Run>(admin, 'GET', `/api/solver/runs/${started.id}`)).status).toBe('done');
    const audit = await ok<{ items: { action: string; after: unknown }[] }>(
      admin,
      'GET',
      '/api/audit?limit=200',
    );
    const resumes = audit.items.filter((a) => a.action === 'solver.run.resume');
    expect(resumes).toHaveLength(1);
    // The resumed try went on with the time LEFT of the 12 s: the killed try had solved for a
    // while (its checkpoint says how long, ≤ 1 s short of the kill), and the whole run's
    // solving time stays near 12 s (a full 12 s again would make it ≥ 12 s + what was spent).
    const from = (resumes[0]!.after as { from: { elapsedMs: number; stageSpentMs: number } }).from;
    expect(from.stageSpentMs).toBeGreaterThan(2000);
    expect(from.elapsedMs).toBeGreaterThanOrEqual(from.stageSpentMs);
    expect(done.result!.solveMs).toBeGreaterThan(from.elapsedMs);
    expect(done.result!.solveMs).toBeLessThan(12_000 + Math.min(from.stageSpentMs, 4000));
    expect(audit.items.filter((a) => a.action === 'roster.cells.set')).toHaveLength(1);
    await kill9(child);
  }, 240_000);
});
