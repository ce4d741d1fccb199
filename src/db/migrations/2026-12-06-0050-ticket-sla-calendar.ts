import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The team whose business calendar an SLA policy's clock runs on; null (as before this column
 * existed): the calendar of the ticket's group.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('ticket_sla_policy').addColumn('calendar_team_id', 'text').execute();
}
