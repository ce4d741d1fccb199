import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Inbound mail: every message the SMTP listener answered 250 to, or the IMAP poller fetched, is a
 * row with its raw bytes, written (with its processing job) before the sender is answered. The
 * row keeps what became of it: processed, ignored (loops, bounces), held for an admin, discarded.
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('mail_inbound')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('remote_address', 'text')
    // '' is the null sender of a bounce (MAIL FROM:<>); null when unknown (IMAP).
    .addColumn('envelope_from', 'text')
    .addColumn('envelope_to_json', 'text', (c) => c.notNull())
    // mailbox/uidvalidity/uid of a message fetched by IMAP: fetched twice, stored once.
    .addColumn('imap_key', 'text', (c) => c.unique())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('raw', dialect === 'postgres' ? 'bytea' : 'blob')
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text')
    .addColumn('message_id', 'text')
    .addColumn('route', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('field', 'text')
    .addColumn('outcome_json', 'text')
    .addColumn('error', 'text')
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addColumn('processed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('mail_inbound_status_received_at_idx')
    .on('mail_inbound')
    .columns(['status', 'received_at'])
    .execute();
  await db.schema
    .createIndex('mail_inbound_from_address_received_at_idx')
    .on('mail_inbound')
    .columns(['from_address', 'received_at'])
    .execute();
  await db.schema
    .createIndex('mail_inbound_received_at_idx')
    .on('mail_inbound')
    .columns(['received_at', 'id'])
    .execute();
}
