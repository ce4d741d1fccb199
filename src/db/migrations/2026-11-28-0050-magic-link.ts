import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Sign-in links for the requester portal (ADR 0006). A row is written for every request (also
 * for unknown addresses) so requests can be limited per address and per client; the token is
 * made by the mail job and only its SHA-256 is kept.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('magic_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('mailed_at', 'bigint')
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('magic_link_email_requested_at_idx')
    .on('magic_link')
    .columns(['email', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('magic_link_ip_requested_at_idx')
    .on('magic_link')
    .columns(['ip', 'requested_at'])
    .execute();
}
