import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The service desk's tables. Search has two indexes over `ticket_search.doc` (the normalised
 * subject, description, caller and replies): a trigram index for terms of 3+ characters (SQLite
 * FTS5 `trigram` as an external-content table; PostgreSQL pg_trgm GIN) and `ticket_token` for
 * 1–2 character terms, which trigram indexes cannot answer.
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('ticket_category')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('ticket_category.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ticket_sla_policy')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('match_json', 'text', (c) => c.notNull())
    .addColumn('targets_json', 'text', (c) => c.notNull())
    .addColumn('warn_at_percent', 'integer', (c) => c.notNull())
    .addColumn('pause_statuses_json', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Settings of the module (team calendars, priority matrix, auto-close days) as JSON.
  await db.schema
    .createTable('ticket_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Per-day ticket number sequence (TK-YYYYMMDD-NNNN).
  await db.schema
    .createTable('ticket_sequence')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ticket')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull().references('ticket_category.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.references('user.id'))
    .addColumn('caller_name', 'text')
    .addColumn('caller_contact', 'text')
    .addColumn('caller_key', 'text')
    .addColumn('organisation', 'text')
    .addColumn('assignee_id', 'text', (c) => c.references('user.id'))
    .addColumn('group_id', 'text', (c) => c.references('team.id'))
    .addColumn('tags_json', 'text', (c) => c.notNull())
    .addColumn('sla_policy_id', 'text')
    .addColumn('sla_next_at', 'bigint')
    .addColumn('sla_due_at', 'bigint')
    .addColumn('sla_breached', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('last_customer_at', 'bigint')
    .addColumn('survey_score', 'integer')
    .addColumn('survey_comment', 'text')
    .addColumn('surveyed_at', 'bigint')
    .execute();
  // The list filters: each leads with its equality column and ends with the sort key.
  for (const cols of [
    ['status', 'created_at', 'id'],
    ['assignee_id', 'status', 'created_at', 'id'],
    ['group_id', 'status', 'created_at', 'id'],
    ['requester_id', 'created_at', 'id'],
    ['sla_due_at'],
    ['created_at', 'id'],
    ['caller_key'],
    ['caller_name'],
  ])
    await db.schema
      .createIndex(`ticket_${cols.filter((c) => c !== 'id').join('_')}_idx`)
      .on('ticket')
      .columns(cols)
      .execute();
  if (dialect === 'postgres') {
    // Prefix search ("caller as they type") under a non-C collation needs pattern ops.
    await sql`CREATE INDEX ticket_caller_key_pattern_idx ON ticket (caller_key text_pattern_ops)`.execute(
      db,
    );
    await sql`CREATE INDEX ticket_caller_name_pattern_idx ON ticket (caller_name text_pattern_ops)`.execute(
      db,
    );
  }

  await db.schema
    .createTable('ticket_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('data_json', 'text', (c) => c.notNull())
    // Set for SLA signals: the same warning or breach is recorded once, whatever the retries.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .execute();
  await db.schema
    .createIndex('ticket_event_ticket_id_at_idx')
    .on('ticket_event')
    .columns(['ticket_id', 'at'])
    .execute();

  await db.schema
    .createTable('ticket_token')
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addPrimaryKeyConstraint('ticket_token_pk', ['token', 'ticket_id'])
    .execute();
  await db.schema
    .createIndex('ticket_token_ticket_id_idx')
    .on('ticket_token')
    .column('ticket_id')
    .execute();

  if (dialect === 'sqlite') {
    // The rowid of ticket_search is the FTS row: an external-content FTS5 table kept by triggers.
    await sql`CREATE TABLE ticket_search (rowid INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL UNIQUE REFERENCES ticket(id), doc TEXT NOT NULL)`.execute(
      db,
    );
    await sql`CREATE VIRTUAL TABLE ticket_fts USING fts5(doc, content='ticket_search', content_rowid='rowid', tokenize='trigram')`.execute(
      db,
    );
    await sql`CREATE TRIGGER ticket_search_ai AFTER INSERT ON ticket_search BEGIN
      INSERT INTO ticket_fts(rowid, doc) VALUES (new.rowid, new.doc); END`.execute(db);
    await sql`CREATE TRIGGER ticket_search_ad AFTER DELETE ON ticket_search BEGIN
      INSERT INTO ticket_fts(ticket_fts, rowid, doc) VALUES ('delete', old.rowid, old.doc); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER ticket_search_au AFTER UPDATE ON ticket_search BEGIN
      INSERT INTO ticket_fts(ticket_fts, rowid, doc) VALUES ('delete', old.rowid, old.doc);
      INSERT INTO ticket_fts(rowid, doc) VALUES (new.rowid, new.doc); END`.execute(db);
  } else {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE TABLE ticket_search (ticket_id TEXT PRIMARY KEY REFERENCES ticket(id), doc TEXT NOT NULL)`.execute(
      db,
    );
    await sql`CREATE INDEX ticket_search_doc_trgm_idx ON ticket_search USING gin (doc gin_trgm_ops)`.execute(
      db,
    );
  }
}
