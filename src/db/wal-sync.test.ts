import { fsync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.js';
import { openDatabase } from './database.js';
import { GroupCommit } from './group-commit.js';
import { migrateToLatest } from './migrate.js';
import type { FsyncFn } from './wal-sync.js';

const disposers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of disposers) await d();
});

/** An fsync of the -wal file that waits until the test lets it run, or fails it. */
function heldFsync() {
  const held: Array<{ fd: number; done: (err: NodeJS.ErrnoException | null) => void }> = [];
  const fn: FsyncFn = (fd, done) => held.push({ fd, done });
  return {
    fn,
    held,
    release() {
      for (const h of held.splice(0)) fsync(h.fd, h.done);
    },
    fail() {
      for (const h of held.splice(0))
        h.done(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    },
  };
}

async function open(walFsync: FsyncFn) {
  const t = await createTestDatabase('sqlite');
  const database = openDatabase(t.url, { walFsync });
  await migrateToLatest(database);
  disposers.push(async () => {
    await database.close();
    await t.drop();
  });
  return database;
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const setting = (key: string) => ({ key, value: key });

describe('group commit on SQLite with the -wal file flushed off the main thread', () => {
  it("answers a batch's callers only once the -wal fsync begun after its commit has completed", async () => {
    const sync = heldFsync();
    const { db, sqlite } = await open(sync.fn);
    const writer = new GroupCommit(db);

    let answered = 0;
    const pending = Promise.all(
      ['a', 'b', 'c'].map((k) =>
        writer
          .run((trx) => trx.insertInto('alert_setting').values(setting(k)).execute())
          .then(() => answered++),
      ),
    );
    await turns(50);
    // Committed (visible) and its fsync asked for, but nobody answered before it completes.
    const keys = await db.selectFrom('alert_setting').select('key').execute();
    expect(keys.map((r) => r.key).sort()).toEqual(['a', 'b', 'c']);
    expect(sync.held.length).toBeGreaterThan(0);
    expect(answered).toBe(0);
    // Every other transaction still commits with FULL (2).
    expect(sqlite!.pragma('synchronous', { simple: true })).toBe(2);

    sync.release();
    await pending;
    expect(answered).toBe(3);
  });

  it('commits the batches made while an fsync runs, and answers them after a later one', async () => {
    const sync = heldFsync();
    const { db } = await open(sync.fn);
    const writer = new GroupCommit(db);

    const answered: string[] = [];
    const put = (k: string) =>
      writer
        .run((trx) => trx.insertInto('alert_setting').values(setting(k)).execute())
        .then(() => answered.push(k));
    const first = put('a');
    await turns(20);
    // The main thread goes on: the next batch commits while the first one's fsync runs.
    const second = put('b');
    await turns(20);
    expect((await db.selectFrom('alert_setting').select('key').execute()).length).toBe(2);
    expect(sync.held).toHaveLength(1);
    sync.release();
    await first;
    // The first fsync began before "b" was committed: "b" waits for the next one.
    await turns(20);
    expect(answered).toEqual(['a']);
    expect(sync.held).toHaveLength(1);
    sync.release();
    await second;
    expect(answered).toEqual(['a', 'b']);
  });

  it('a batch whose fsync fails answers every caller with the error, and so do later ones', async () => {
    const sync = heldFsync();
    const { db } = await open(sync.fn);
    const writer = new GroupCommit(db);

    const batch = Promise.allSettled(
      ['a', 'b'].map((k) =>
        writer.run((trx) => trx.insertInto('alert_setting').values(setting(k)).execute()),
      ),
    );
    await turns(20);
    sync.fail();
    const outcomes = await batch;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/EIO/);
    // What was written after a failed flush cannot be vouched for: no later success either.
    await expect(
      writer.run((trx) => trx.insertInto('alert_setting').values(setting('c')).execute()),
    ).rejects.toThrow(/EIO/);
  });
});
