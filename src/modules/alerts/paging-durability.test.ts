import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { type Client, httpClient, setupPaging } from '../../../test/helpers/paging.js';
import { webhookFake } from '../../../test/fakes/webhook-fake.js';
import { freePort, kill9, killChildren, startChild } from '../../../test/helpers/child-process.js';
import type { FakeHttpServer } from '../../../test/fakes/http-fake.js';

/*
 * Real `dutydesk serve` processes: one killed with SIGKILL mid-escalation, then three sharing
 * one PostgreSQL. A policy minute lasts 2 s here (ALERTS_MINUTE_MS) so escalation is quick.
 */

const ADMIN_PASSWORD = 'admin-password-for-durability';
const SECRET = 'durability-secret';
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
      ALERTS_MINUTE_MS: '2000',
      JOB_POLL_MS: '100',
    },
    /ready at|listening on/,
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function people(base: string) {
  const admin = await httpClient(base, 'admin', ADMIN_PASSWORD);
  const out: { client: Client; id: string }[] = [];
  for (const [name, role] of [
    ['night_tech', 'technician'],
    ['net_expert', 'expert'],
  ] as const) {
    const password = `password-${name}`;
    const res = await admin.request('POST', '/api/users', {
      username: name,
      displayName: name,
      roles: [role],
      password,
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    const id = (res.json() as { user: { id: string } }).user.id;
    out.push({ client: await httpClient(base, name, password), id });
  }
  return { admin, responders: out };
}

const sendAlert = (base: string, key: string, dedupKey: string) =>
  fetch(`${base}/api/integrations/${key}/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ summary: `core switch ${dedupKey} down`, source: 'sw', dedupKey }),
  });

function deliveries(fake: FakeHttpServer, userId: string, pageId?: string) {
  return fake.accepted.filter(
    (r) =>
      r.path === `/${userId}` &&
      (pageId === undefined || (r.json as { pageId?: string }).pageId === pageId),
  );
}

describe('paging survives crashes and shares work between processes', () => {
  it('continues an escalation after SIGKILL: the level-2 notification arrives once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-kill-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const fake = await webhookFake({ secret: SECRET, now: () => Date.now() }).start();
    cleanups.push(() => fake.close());
    const env = { DATA_DIR: dataDir };
    const a = await serve(env);
    const { admin, responders } = await people(a.base);
    const setup = await setupPaging({ admin, responders, fake, secret: SECRET, delayMinutes: 1 });
    const [tech, expert] = responders.map((r) => r.id) as [string, string];

    const res = await sendAlert(a.base, setup.keys.generic!, 'kill-1');
    expect(res.status).toBe(202);
    await until(() => deliveries(fake, tech).length === 1, 10_000, 'first notification');
    await kill9(a.child);
    expect(deliveries(fake, expert)).toHaveLength(0);

    await serve(env);
    await until(() => deliveries(fake, expert).length === 1, 20_000, 'level-2 notification');
    // Give a duplicate every chance to show up.
    await new Promise((r) => setTimeout(r, 2500));
    expect(deliveries(fake, tech)).toHaveLength(1);
    expect(deliveries(fake, expert)).toHaveLength(1);
  }, 90_000);

  it('three processes on one PostgreSQL deliver each notification step exactly once', async () => {
    const tdb = await createTestDatabase('postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-three-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const fake = await webhookFake({ secret: SECRET, now: () => Date.now() }).start();
    cleanups.push(() => fake.close());
    const env = { DATA_DIR: dataDir, DATABASE_URL: tdb.url };
    // The first process migrates and creates the administrator; then two more join.
    const first = await serve(env);
    const others = await Promise.all([serve(env), serve(env)]);
    const all = [first, ...others];
    cleanups.push(async () => {
      for (const p of all) await kill9(p.child);
      await tdb.drop();
    });
    const { admin, responders } = await people(first.base);
    const setup = await setupPaging({ admin, responders, fake, secret: SECRET, delayMinutes: 1 });
    const [tech, expert] = responders.map((r) => r.id) as [string, string];

    const keys = ['pg-1', 'pg-2', 'pg-3'];
    for (const [i, k] of keys.entries())
      expect((await sendAlert(all[i]!.base, setup.keys.generic!, k)).status).toBe(202);
    await until(
      () => deliveries(fake, expert).length >= keys.length,
      30_000,
      'level 2 of every page',
    );
    await new Promise((r) => setTimeout(r, 2500));
    const pages = new Set(deliveries(fake, tech).map((r) => (r.json as { pageId: string }).pageId));
    expect(pages.size).toBe(keys.length);
    for (const pageId of pages) {
      expect(deliveries(fake, tech, pageId), `level 1 of ${pageId}`).toHaveLength(1);
      expect(deliveries(fake, expert, pageId), `level 2 of ${pageId}`).toHaveLength(1);
    }
    // Sends carry their idempotency key, and no key was delivered twice.
    const ids = fake.accepted.map((r) => String(r.headers['x-dutydesk-event-id']));
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);
});
