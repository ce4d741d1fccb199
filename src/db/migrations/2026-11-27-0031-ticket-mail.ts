import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Tickets by email and attachments. Files live on disk under DATA_DIR; `ticket_attachment` is
 * their metadata. A file is announced in `ticket_attachment_intent` (committed) before it is
 * written, and the intent is deleted in the transaction that records the attachment: an intent
 * left behind names a file whose transaction failed, and the sweep deletes it.
 */
export async function up(db: AnyDb, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('ticket_attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('event_id', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_attachment_ticket_id_created_at_idx')
    .on('ticket_attachment')
    .columns(['ticket_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('ticket_attachment_intent')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Every mail of a ticket's thread, in and out: threading looks Message-IDs up here.
  await db.schema
    .createTable('ticket_mail_message')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    // The inbound mail it came from: one mail is turned into ticket work once.
    .addColumn('inbound_id', 'text', (c) => c.unique())
    // The timeline event it was sent for: one event is mailed once.
    .addColumn('event_id', 'text', (c) => c.unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('ticket_mail_message_message_id_idx')
    .on('ticket_mail_message')
    .column('message_id')
    .execute();
  await db.schema
    .createIndex('ticket_mail_message_ticket_id_created_at_idx')
    .on('ticket_mail_message')
    .columns(['ticket_id', 'created_at'])
    .execute();

  // Whom a ticket opened by mail answers, in which language, and whether it answers at all.
  await db.schema
    .createTable('ticket_mail_thread')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('ticket.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('quiet', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
