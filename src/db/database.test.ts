import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('SQLite transactions shared by two processes on one file', () => {
  it('take the write lock when they begin, so a read-then-write transaction is not refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dutydesk-db-'));
    dirs.push(dir);
    const url = `sqlite:${join(dir, 'shared.db')}`;
    // Two connections to one file, as the api and the worker processes have.
    const api = openDatabase(url);
    const worker = openDatabase(url);
    try {
      await sql`CREATE TABLE counter (n INTEGER NOT NULL)`.execute(api.db);
      await sql`INSERT INTO counter (n) VALUES (0)`.execute(api.db);
      // The other connection does not wait for the lock, so the test sees who holds it.
      worker.sqlite!.pragma('busy_timeout = 0');
      await api.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ n: number }>`SELECT n FROM counter`.execute(trx);
        // A deferred BEGIN had taken no lock yet: the other write went through, and this
        // transaction's write below then failed with SQLITE_BUSY_SNAPSHOT.
        expect(() => worker.sqlite!.prepare('UPDATE counter SET n = n + 100').run()).toThrow(
          /locked|busy/i,
        );
        await sql`UPDATE counter SET n = ${rows[0]!.n + 1}`.execute(trx);
      });
      const { rows } = await sql<{ n: number }>`SELECT n FROM counter`.execute(worker.db);
      expect(rows).toEqual([{ n: 1 }]);
      // Once the transaction committed, the other connection writes again.
      worker.sqlite!.prepare('UPDATE counter SET n = n + 100').run();
      expect(worker.sqlite!.prepare('SELECT n FROM counter').get()).toEqual({ n: 101 });
    } finally {
      await api.close();
      await worker.close();
    }
  });
});
