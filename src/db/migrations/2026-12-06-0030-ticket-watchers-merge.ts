import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Issue #5, second part: watchers of a ticket, merged tickets, links from tickets to alert pages,
 * and uploads waiting to be attached to a new ticket or a reply (`attachmentIds`).
 */
export async function up(db: AnyDb): Promise<void> {
  // Staff who follow a ticket: told of public replies and state changes.
  await db.schema
    .createTable('ticket_watcher')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_watcher_pkey', ['ticket_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('ticket_watcher_user_id_idx')
    .on('ticket_watcher')
    .column('user_id')
    .execute();

  // A ticket merged into another: one row per merged (source) ticket, status `merged` on it.
  await db.schema
    .createTable('ticket_merge')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('ticket.id'))
    .addColumn('into_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('previous_status', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text')
    .addColumn('merged_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_merge_into_id_idx')
    .on('ticket_merge')
    .column('into_id')
    .execute();

  // Alert pages a ticket is about; the page itself belongs to the alerts module (no foreign key).
  await db.schema
    .createTable('ticket_alert_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('page_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ticket_alert_link_ticket_page', ['ticket_id', 'page_id'])
    .execute();
  await db.schema
    .createIndex('ticket_alert_link_page_id_idx')
    .on('ticket_alert_link')
    .column('page_id')
    .execute();

  // A file uploaded before its ticket or reply exists; moved to ticket_attachment (same id) when
  // a create or reply names it in `attachmentIds`, swept after a day otherwise.
  await db.schema
    .createTable('ticket_upload')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_upload_created_at_idx')
    .on('ticket_upload')
    .column('created_at')
    .execute();
}
