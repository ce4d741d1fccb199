import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Roster tables: setup per team, rosters and assignments, requests, feeds and duty segments. */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('roster_shift_type')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('team.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('break_minutes', 'integer', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('night', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('roster_shift_type_team_id_code_key', ['team_id', 'code'])
    .execute();
  await db.schema
    .createTable('roster_post')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('team.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shift_type_ids_json', 'text', (c) => c.notNull())
    .addColumn('cover_json', 'text', (c) => c.notNull())
    .addColumn('required_skills_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('roster_post_team_id_name_key', ['team_id', 'name'])
    .execute();
  await db.schema
    .createTable('roster_team_setting')
    .addColumn('team_id', 'text', (c) => c.primaryKey().references('team.id').onDelete('cascade'))
    .addColumn('rules_json', 'text', (c) => c.notNull())
    .addColumn('calendar_json', 'text', (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('roster_person')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('skills_json', 'text', (c) => c.notNull())
    .addColumn('default_post_id', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('roster')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('team.id').onDelete('cascade'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('published_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roster_team_id_period_start_idx')
    .on('roster')
    .columns(['team_id', 'period_start'])
    .execute();
  await db.schema
    .createTable('roster_assignment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('roster_id', 'text', (c) => c.notNull().references('roster.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('shift_type_id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roster_assignment_roster_id_person_id_idx')
    .on('roster_assignment')
    .columns(['roster_id', 'person_id', 'date'])
    .execute();
  await db.schema
    .createIndex('roster_assignment_person_id_date_idx')
    .on('roster_assignment')
    .columns(['person_id', 'date'])
    .execute();
  await db.schema
    .createTable('roster_confirmation')
    .addColumn('roster_id', 'text', (c) => c.notNull().references('roster.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addPrimaryKeyConstraint('roster_confirmation_pkey', ['roster_id', 'person_id'])
    .execute();
  await db.schema
    .createTable('roster_attendance')
    .addColumn('assignment_id', 'text', (c) =>
      c.primaryKey().references('roster_assignment.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('check_in_at', 'bigint')
    .addColumn('check_out_at', 'bigint')
    .addColumn('arrival', 'text', (c) => c.notNull())
    .addColumn('departure', 'text', (c) => c.notNull())
    .addColumn('late_minutes', 'integer', (c) => c.notNull())
    .addColumn('early_leave_minutes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('roster_swap')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('roster_id', 'text', (c) => c.notNull().references('roster.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('counter_assignment_id', 'text')
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('substitute_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roster_swap_roster_id_status_idx')
    .on('roster_swap')
    .columns(['roster_id', 'status'])
    .execute();
  await db.schema
    .createTable('roster_request_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roster_request_event_request_id_idx')
    .on('roster_request_event')
    .columns(['request_id', 'at'])
    .execute();
  await db.schema
    .createTable('roster_leave')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roster_leave_person_id_start_date_idx')
    .on('roster_leave')
    .columns(['person_id', 'start_date'])
    .execute();
  await db.schema
    .createTable('roster_override')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('team.id').onDelete('cascade'))
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('replaces_person_id', 'text')
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roster_override_team_id_start_at_idx')
    .on('roster_override')
    .columns(['team_id', 'start_at'])
    .execute();
  await db.schema
    .createTable('roster_feed')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  // Resolved "who is on duty": rebuilt per roster when it changes. Segments are at most
  // MAX_SEGMENT_MS long (long overrides are cut in pieces), so a point query is a short
  // range scan of (post_id, start_at).
  await db.schema
    .createTable('duty_segment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('roster_id', 'text')
    .addColumn('override_id', 'text')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text')
    .execute();
  await db.schema
    .createIndex('duty_segment_post_id_start_at_idx')
    .on('duty_segment')
    .columns(['post_id', 'start_at', 'end_at', 'person_id'])
    .execute();
  await db.schema
    .createIndex('duty_segment_team_id_start_at_idx')
    .on('duty_segment')
    .columns(['team_id', 'start_at'])
    .execute();
  await db.schema
    .createIndex('duty_segment_roster_id_idx')
    .on('duty_segment')
    .column('roster_id')
    .execute();
  await db.schema
    .createIndex('duty_segment_override_id_idx')
    .on('duty_segment')
    .column('override_id')
    .execute();
}
