import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Follow-up visits (回访): a task on a resolved or closed ticket, then what the customer said. */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('ticket_follow_up')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('assignee_id', 'text', (c) => c.notNull().references('user.id'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer_said', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('ticket_follow_up_status_due_idx')
    .on('ticket_follow_up')
    .columns(['status', 'due_at'])
    .execute();
  await db.schema
    .createIndex('ticket_follow_up_ticket_idx')
    .on('ticket_follow_up')
    .column('ticket_id')
    .execute();
}
