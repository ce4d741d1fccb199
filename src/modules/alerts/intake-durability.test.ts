import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { httpClient, setupPaging } from '../../../test/helpers/paging.js';
import { webhookFake } from '../../../test/fakes/webhook-fake.js';
import { freePort, kill9, killChildren, startChild } from '../../../test/helpers/child-process.js';

/*
 * Group commit under a crash: a real `dutydesk serve` on a SQLite file takes a concurrent
 * load of alerts and is killed with SIGKILL in the middle of it. Every alert that was answered
 * 202 must be in the database after the restart, and its page's first notification must be
 * handed over once the restarted process has resumed the jobs.
 */

const ADMIN_PASSWORD = 'admin-password-for-intake-kill';
const SECRET = 'intake-kill-secret';
const CLIENTS = 16;
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  await killChildren();
  for (const f of cleanups) await f();
}, 30_000);

async function serve(env: Record<string, string>) {
  const port = await freePort();
  const { child } = await startChild(
    ['src/cli.ts', 'serve'],
    {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
      JOB_CONCURRENCY: '16',
    },
    /ready at|listening on/,
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

async function until(cond: () => Promise<boolean> | boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('intake group commit survives SIGKILL', () => {
  it('keeps every alert answered 202 and notifies each of their pages after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-intake-kill-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const fake = await webhookFake({ secret: SECRET, now: () => Date.now() }).start();
    cleanups.push(() => fake.close());
    const file = join(dataDir, 'dutydesk.db');
    const env = { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${file}` };
    const a = await serve(env);
    const admin = await httpClient(a.base, 'admin', ADMIN_PASSWORD);
    const created = await admin.request('POST', '/api/users', {
      username: 'kill_tech',
      displayName: 'kill tech',
      roles: ['technician'],
      password: 'kill-tech-password',
    });
    const userId = (created.json() as { user: { id: string } }).user.id;
    const tech = await httpClient(a.base, 'kill_tech', 'kill-tech-password');
    const setup = await setupPaging({
      admin,
      responders: [{ client: tech, id: userId }],
      fake,
      secret: SECRET,
      delayMinutes: 30,
      groupingWindowMinutes: 0,
    });
    const url = `${a.base}/api/integrations/${setup.keys.generic}/generic`;

    // Load: CLIENTS concurrent senders; every fifth request repeats an acknowledged key.
    const acked = new Set<string>();
    let stop = false;
    let n = 0;
    const load = Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (!stop) {
          const i = n++;
          const known = [...acked];
          const key = i % 5 === 4 && known.length > 0 ? known[i % known.length]! : `kill-${i}`;
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ summary: `alert ${key}`, source: 'kill', dedupKey: key }),
            });
            await res.arrayBuffer();
            if (res.status === 202) acked.add(key);
          } catch {
            // The process died under this request: it was never acknowledged.
          }
        }
      }),
    );
    await until(() => acked.size >= 150, 60_000, '150 acknowledged alerts');
    await kill9(a.child);
    const eventId = (r: (typeof fake.accepted)[number]) => String(r.headers['x-dutydesk-event-id']);
    const handedBeforeKill = new Set(fake.accepted.map(eventId));
    stop = true;
    await load;

    const database = openDatabase(`sqlite:${file}`);
    cleanups.push(() => database.close());
    const stored = new Set(
      (await database.db.selectFrom('alert').select('dedup_key').execute()).map((r) => r.dedup_key),
    );
    const lost = [...acked].filter((k) => !stored.has(k));
    expect(lost, 'alerts answered 202 but not stored').toEqual([]);

    // The restarted process resumes the send jobs: every page gets its notification.
    await serve(env);
    const pages = (await database.db.selectFrom('page').select('id').execute()).map((p) => p.id);
    expect(pages.length).toBeGreaterThanOrEqual(100);
    const notified = () =>
      new Set(fake.accepted.map((r) => (r.json as { pageId?: string }).pageId));
    await until(
      () => pages.every((p) => notified().has(p)),
      90_000,
      'a notification for every page',
    );
    await new Promise((r) => setTimeout(r, 2000));
    // Each send carries its idempotency key. A key handed over twice can only be one whose
    // hand-over happened before the kill but whose record did not commit (at least once):
    // at most one per job slot, and none of them twice after the restart.
    const ids = fake.accepted.map(eventId);
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(twice.length).toBeLessThanOrEqual(16);
    for (const id of twice) {
      expect(handedBeforeKill.has(id), `${id} sent twice after the restart`).toBe(true);
      expect(ids.filter((x) => x === id)).toHaveLength(2);
    }
    // Nothing handed over after the restart was handed over twice.
    const after = fake.accepted.slice(handedBeforeKill.size).map(eventId);
    expect(new Set(after).size).toBe(after.length);
  }, 180_000);
});
