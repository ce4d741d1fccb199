import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, openMigrated } from '../../test/helpers/db.js';
import fc from 'fast-check';
import { type DeferredRows, GroupCommit, insertWithBatch } from './group-commit.js';
import { precompiled, precompiledRows } from './precompiled.js';

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

  /** Settings written with the batch; counts the statements that wrote them. */
  function settingsWithBatch() {
    const insertRows = precompiledRows<{ key: string; value: string }>(
      ['key', 'value'],
      (db, rows) => db.insertInto('alert_setting').values(rows),
    );
    const flushes: number[] = [];
    const kind: DeferredRows<{ key: string; value: string }> = {
      async flush(trx, rows) {
        flushes.push(rows.length);
        await insertRows(trx, rows);
      },
    };
    return { kind, flushes };
  }
  const keys = async (db: Awaited<ReturnType<typeof setup>>['db']) =>
    (await db.selectFrom('alert_setting').select('key').orderBy('key').execute()).map((r) => r.key);

  it('writes the rows units defer in one flush per batch, committed before any caller is answered', async () => {
    const { db } = await setup();
    const writer = new GroupCommit(db);
    const { kind, flushes } = settingsWithBatch();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        writer
          .run(async (trx) => {
            await insertWithBatch(trx, kind, setting(`k${String(i).padStart(2, '0')}`));
          })
          .then(async () => {
            // Answered only after the commit: the row is readable by anyone now.
            const row = await db
              .selectFrom('alert_setting')
              .select('key')
              .where('key', '=', `k${String(i).padStart(2, '0')}`)
              .executeTakeFirst();
            expect(row).toBeDefined();
          }),
      ),
    );
    expect(await keys(db)).toHaveLength(30);
    expect(flushes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(flushes.length).toBe(writer.stats.transactions);
    expect(flushes.length).toBeLessThan(30);
  });

  it('a deferred row that fails fails only its own unit; the others and their rows commit', async () => {
    const { db } = await setup();
    await db.insertInto('alert_setting').values(setting('taken')).execute();
    const writer = new GroupCommit(db);
    const { kind } = settingsWithBatch();
    const outcomes = await Promise.allSettled(
      ['a', 'taken', 'c'].map((key) =>
        writer.run(async (trx) => {
          await trx
            .insertInto('alert_setting')
            .values(setting(`direct-${key}`))
            .execute();
          await insertWithBatch(trx, kind, setting(key));
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await keys(db)).toEqual(['a', 'c', 'direct-a', 'direct-c', 'taken']);
  });

  it('outside a batch (a plain transaction) a deferred row is written at once', async () => {
    const { db } = await setup();
    const { kind, flushes } = settingsWithBatch();
    await db.transaction().execute(async (trx) => {
      await insertWithBatch(trx, kind, setting('now'));
      expect(await trx.selectFrom('alert_setting').select('key').execute()).toEqual([
        { key: 'now' },
      ]);
    });
    expect(flushes).toEqual([1]);
  });

  it('a multi-row insert writes any number of rows, each with its own values', async () => {
    const { db } = await setup();
    const insertRows = precompiledRows<{ key: string; value: string }>(
      ['key', 'value'],
      (d, rows) => d.insertInto('alert_setting').values(rows),
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 150 }), async (n) => {
        round++;
        const rows = Array.from({ length: n }, (_, i) => ({
          key: `r${round}-${i}`,
          value: `v${round}-${i * 7}`,
        }));
        // Half the rounds in a group-commit batch (on SQLite run on the connection directly).
        if (round % 2 === 0) await insertRows(db, rows);
        else await new GroupCommit(db).run((trx) => insertRows(trx, rows));
        const stored = await db
          .selectFrom('alert_setting')
          .select(['key', 'value'])
          .where('key', 'like', `r${round}-%`)
          .execute();
        expect(new Map(stored.map((r) => [r.key, r.value]))).toEqual(
          new Map(rows.map((r) => [r.key, r.value])),
        );
      }),
      { numRuns: 15 },
    );
  });

  const insertSetting = precompiled<{ key: string; value: string }>((d, p) =>
    d
      .insertInto('alert_setting')
      .values({ key: p('key'), value: p('value') })
      .onConflict((oc) => oc.column('key').doNothing()),
  );
  const findSetting = precompiled<{ key: string }>((d, p) =>
    d.selectFrom('alert_setting').select(['key', 'value']).where('key', '=', p('key')),
  );

  it("a batch's precompiled statements answer as Kysely does (rows, affected rows)", async () => {
    const { db } = await setup();
    const writer = new GroupCommit(db);
    const [inserted, skipped, found, missing] = await writer.run(async (trx) => [
      await insertSetting(trx, setting('p')),
      await insertSetting(trx, setting('p')), // conflict: nothing inserted
      await findSetting(trx, { key: 'p' }),
      await findSetting(trx, { key: 'none' }),
    ]);
    expect(inserted.numAffectedRows).toBe(1n);
    expect(skipped.numAffectedRows).toBe(0n);
    expect(found.rows).toEqual([{ key: 'p', value: 'p' }]);
    expect(missing.rows).toEqual([]);
    await expect(writer.run((trx) => insertSetting(trx, { key: 'q' } as never))).rejects.toThrow(
      /no value for value/,
    );
  });

  it('a unit that keeps its transaction past the commit cannot run a statement on it', async () => {
    const { db } = await setup();
    const writer = new GroupCommit(db);
    let kept: Parameters<Parameters<GroupCommit['run']>[0]>[0] | undefined;
    await writer.run(async (trx) => {
      kept = trx;
      await insertSetting(trx, setting('k'));
    });
    // Not run on the connection outside any transaction (or inside a later batch's).
    await expect(insertSetting(kept!, setting('late'))).rejects.toThrow(/committed/);
    expect((await findSetting(db, { key: 'late' })).rows).toEqual([]);
  });
});
