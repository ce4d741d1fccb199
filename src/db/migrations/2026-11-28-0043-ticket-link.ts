import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Links between tickets: related, duplicate of, caused by (one row per ordered pair and kind). */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('ticket_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('to_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ticket_link_pair_kind', ['from_id', 'to_id', 'kind'])
    .execute();
  await db.schema.createIndex('ticket_link_to_idx').on('ticket_link').column('to_id').execute();
}
