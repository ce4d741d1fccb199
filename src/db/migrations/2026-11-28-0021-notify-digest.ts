import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Channel rate limits with persisted digests: the recent sends of each rate-limited target
 * (robot URL, stored as its SHA-256) and the messages held while the target is at its limit,
 * waiting for the digest job.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('notify_rate_state')
    .addColumn('target_key', 'text', (c) => c.primaryKey())
    .addColumn('state_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notify_held')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('target_json', 'text', (c) => c.notNull())
    .addColumn('message_json', 'text', (c) => c.notNull())
    .addColumn('page_id', 'text')
    .addColumn('send_key', 'text')
    .addColumn('held_at', 'bigint', (c) => c.notNull())
    .addColumn('release_at', 'bigint', (c) => c.notNull())
    // Set when a digest job claims the row; sent_at when the digest went out.
    .addColumn('digest_id', 'text')
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notify_held_target_key_digest_id_idx')
    .on('notify_held')
    .columns(['target_key', 'digest_id'])
    .execute();
}
