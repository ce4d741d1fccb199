import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Issue #5, the gaps: undoing a merge and a watcher's opt-out of the mail copy.
 *
 * `ticket_merge`: what the merge changed that its undo puts back — the source's `closed_at`
 * before the merge and the watchers the merge added to the target (JSON array of user ids; null
 * on merges made before this column: the undo then recognises them by `added_by`/`created_at`);
 * `undone_at`/`undone_by` once undone (the row stays until the ticket is merged again).
 * `ticket_watcher.notify_mail`: 1 (as before) = the watcher's notices also go out by mail.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('ticket_merge').addColumn('previous_closed_at', 'bigint').execute();
  await db.schema.alterTable('ticket_merge').addColumn('moved_watcher_ids', 'text').execute();
  await db.schema.alterTable('ticket_merge').addColumn('undone_at', 'bigint').execute();
  await db.schema.alterTable('ticket_merge').addColumn('undone_by', 'text').execute();
  await db.schema
    .alterTable('ticket_watcher')
    .addColumn('notify_mail', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
