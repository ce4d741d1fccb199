import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Editing or deleting a shift type or post first asks which rosters use it; these indexes keep
 * that (and the per-post iCalendar feed) from scanning every assignment.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('roster_assignment_shift_type_id_idx')
    .on('roster_assignment')
    .column('shift_type_id')
    .execute();
  await db.schema
    .createIndex('roster_assignment_post_id_date_idx')
    .on('roster_assignment')
    .columns(['post_id', 'date'])
    .execute();
}
