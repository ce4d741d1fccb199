import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The solver in the product: staff's shift on/off requests for coming months, and solver runs
 * (generate a draft month, re-plan a published one) with their progress and result.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('solver_request')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('shift_type_id', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('solver_request_person_id_date_idx')
    .on('solver_request')
    .columns(['person_id', 'date'])
    .execute();
  await db.schema
    .createTable('solver_run')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('roster_id', 'text', (c) => c.notNull().references('roster.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('time_limit_ms', 'integer', (c) => c.notNull())
    .addColumn('keep_existing', 'integer', (c) => c.notNull())
    .addColumn('actor_json', 'text', (c) => c.notNull())
    .addColumn('stop_requested', 'integer', (c) => c.notNull())
    .addColumn('objective', 'double precision')
    .addColumn('progress_json', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('solver_run_roster_id_idx')
    .on('solver_run')
    .column('roster_id')
    .execute();
}
