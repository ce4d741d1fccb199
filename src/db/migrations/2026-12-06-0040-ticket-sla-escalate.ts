import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Whether a breach of an SLA policy escalates the ticket to the next line (1, as before this
 * column existed) or only notifies (0).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('ticket_sla_policy')
    .addColumn('escalate_on_breach', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
