import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Per-user saved ticket views (filter sets) and reply templates (per team, or for everyone). */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('ticket_saved_view')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('user.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_saved_view_owner_idx')
    .on('ticket_saved_view')
    .columns(['owner_id', 'name'])
    .unique()
    .execute();
  await db.schema
    .createTable('ticket_reply_template')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.references('team.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_reply_template_team_idx')
    .on('ticket_reply_template')
    .columns(['team_id', 'name'])
    .execute();
}
