import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, openMigrated } from '../../test/helpers/db.js';
import { GroupCommit } from './group-commit.js';

const disposers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of disposers) await d();
});

describe.each(DIALECTS)('group commit on %s', (dialect) => {
  async function setup() {
    const database = await openMigrated(dialect);
    disposers.push(() => database.dispose());
    return database;
  }
  const setting = (key: string) => ({ key, value: key });

  it('commits concurrent units together, in order, and answers each after the commit', async () => {
    const { db } = await setup();
    const writer = new GroupCommit(db);
    const order: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        writer.run(async (trx) => {
          order.push(`k${i}`);
          await trx
            .insertInto('alert_setting')
            .values(setting(`k${i}`))
            .execute();
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // Grouped units run in the order they were queued.
    expect(order).toEqual(Array.from({ length: 40 }, (_, i) => `k${i}`));
    expect(writer.stats.units).toBe(40);
    // Fewer transactions than units: they were grouped (on PostgreSQL too).
    expect(writer.stats.transactions).toBeLessThan(40);
    const rows = await db.selectFrom('alert_setting').select('key').execute();
    expect(rows).toHaveLength(40);
  });

  it('rolls back only the unit that fails; its caller gets the error, the others commit', async () => {
    const { db } = await setup();
    const writer = new GroupCommit(db);
    const outcomes = await Promise.allSettled([
      writer.run((trx) => trx.insertInto('alert_setting').values(setting('a')).execute()),
      writer.run(async (trx) => {
        await trx.insertInto('alert_setting').values(setting('half-done')).execute();
        // The key exists: this unit fails after it wrote a row; that row must go too.
        await trx.insertInto('alert_setting').values(setting('a')).execute();
      }),
      writer.run((trx) => trx.insertInto('alert_setting').values(setting('c')).execute()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const keys = (await db.selectFrom('alert_setting').select('key').orderBy('key').execute()).map(
      (r) => r.key,
    );
    expect(keys).toEqual(['a', 'c']);
  });

  it('a lone unit that fails leaves nothing behind', async () => {
    const { db } = await setup();
    const writer = new GroupCommit(db);
    await expect(
      writer.run(async (trx) => {
        await trx.insertInto('alert_setting').values(setting('x')).execute();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await db.selectFrom('alert_setting').select('key').execute()).toEqual([]);
  });
});
