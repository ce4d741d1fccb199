import { fsync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { FsyncFn } from '../../db/wal-sync.js';

/*
 * On SQLite the group commit's batches commit without SQLite's own fsync and wait for an fsync
 * of the -wal file in the thread pool (src/db/database.ts). A 202 must still mean "on disk":
 * with that fsync held, the intake must not answer; once it completes, it answers 202; when it
 * fails, it answers an error and never a 202.
 */

const held: Array<{ fd: number; done: (err: NodeJS.ErrnoException | null) => void }> = [];
let failing = false;
const heldFsync: FsyncFn = (fd, done) => {
  held.push({ fd, done });
};
const releaseAll = () => {
  for (const h of held.splice(0))
    if (failing) h.done(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    else fsync(h.fd, h.done);
};

let t: TestApp;
let key: string;

async function ok<T>(p: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as T;
}

/** Lets the held fsyncs run until `p` settles (the intake's own setup writes need them too). */
async function flushing<T>(p: Promise<T>): Promise<T> {
  let done = false;
  void p.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    releaseAll();
    await new Promise((r) => setTimeout(r, 5));
  }
  return p;
}

beforeAll(async () => {
  t = await startTestApp('sqlite', {}, { walFsync: heldFsync });
  const setup = async () => {
    const me = await ok<{ user: { id: string } }>(t.admin.request('GET', '/api/auth/me'));
    const policy = await ok<{ id: string }>(
      t.admin.request('POST', '/api/alerts/policies', {
        name: 'P',
        levels: [{ targets: [{ kind: 'user', id: me.user.id }], delayMinutes: 5 }],
      }),
    );
    const service = await ok<{ id: string }>(
      t.admin.request('POST', '/api/alerts/services', {
        name: 'Core switch',
        escalationPolicyId: policy.id,
      }),
    );
    return ok<{ key: string }>(
      t.admin.request('POST', '/api/alerts/integrations', {
        serviceId: service.id,
        kind: 'generic',
        name: 'Prometheus',
      }),
    );
  };
  key = (await flushing(setup())).key;
}, 60_000);
afterAll(async () => {
  releaseAll();
  await t?.close();
});

const post = (summary: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/integrations/${key}/generic`,
    payload: JSON.stringify({ summary, dedupKey: summary }),
    headers: { 'content-type': 'application/json' },
  });

describe('generic intake on SQLite with the -wal fsync in the thread pool', () => {
  it('answers 202 only after the fsync of the batch that stored the alert has completed', async () => {
    let answered = false;
    const res = post('held').then((r) => ((answered = true), r));
    // Long enough for the batch to commit: the alert is stored, its fsync held.
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(held.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    releaseAll();
    expect((await res).statusCode).toBe(202);
  });

  it('answers an error, not 202, when the fsync of its batch fails', async () => {
    const res = post('lost');
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    failing = true;
    releaseAll();
    const r = await res;
    expect(r.statusCode).toBeGreaterThanOrEqual(500);
  });
});
