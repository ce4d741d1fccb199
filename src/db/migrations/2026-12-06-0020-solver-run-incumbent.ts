import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * A solver run's best roster so far (JSON: the solver's roster with the model's people, shifts
 * and days), saved with its progress, so a run killed with its process resumes from it.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('solver_run').addColumn('incumbent_json', 'text').execute();
}
