import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, openMigrated } from '../../test/helpers/db.js';
import { precompiled } from './precompiled.js';

const disposers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of disposers) await d();
});

const upsert = precompiled<{ key: string; value: string }>((db, p) =>
  db
    .insertInto('alert_setting')
    .values({ key: p('key'), value: p('value') })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: p('value') })),
);
const find = precompiled<{ key: string }>((db, p) =>
  db.selectFrom('alert_setting').select(['key', 'value']).where('key', '=', p('key')),
);

describe.each(DIALECTS)('precompiled statements on %s', (dialect) => {
  it('runs the builder SQL with each call its own values, in and out of transactions', async () => {
    const database = await openMigrated(dialect);
    disposers.push(() => database.dispose());
    const { db } = database;
    const first = await upsert(db, { key: 'a', value: 'one' });
    expect(Number(first.numAffectedRows)).toBe(1);
    await db.transaction().execute(async (trx) => {
      await upsert(trx, { key: 'b', value: 'two' });
      await upsert(trx, { key: 'a', value: 'three' }); // the same slot twice: conflict update
    });
    expect((await find(db, { key: 'a' })).rows).toEqual([{ key: 'a', value: 'three' }]);
    expect((await find(db, { key: 'b' })).rows).toEqual([{ key: 'b', value: 'two' }]);
    expect((await find(db, { key: 'c' })).rows).toEqual([]);
  });

  it('refuses a call that leaves a value out instead of binding undefined', async () => {
    const database = await openMigrated(dialect);
    disposers.push(() => database.dispose());
    await expect(upsert(database.db, { key: 'x' } as never)).rejects.toThrow(/no value for value/);
  });
});
