import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';
import { encodeShortToken, shortTokens } from '../../modules/tickets/short-query.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The 1–2 character search path without a row per (token, ticket): `ticket_token` grew to about
 * twice the text length in rows per ticket (hundreds of millions of B-tree rows for a million
 * tickets). Now the short tokens are posting lists: on SQLite a contentless FTS5 table
 * `ticket_short` (`detail=none`, rowid = `ticket_search.rowid`) whose "words" are the tokens
 * encoded as ASCII (`encodeShortToken`); on PostgreSQL a `tokens text[]` column of
 * `ticket_search` under a GIN index. Existing tickets are re-tokenised from their documents.
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const docs = await sql<{
    rowid: number;
    ticket_id: string;
    doc: string;
  }>`SELECT ${dialect === 'sqlite' ? sql`rowid` : sql`0`} AS rowid, ticket_id, doc FROM ticket_search`.execute(
    db,
  );
  if (dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE ticket_short USING fts5(tokens, content='', contentless_delete=1, detail=none, tokenize='ascii')`.execute(
      db,
    );
    for (const r of docs.rows)
      await sql`INSERT INTO ticket_short (rowid, tokens) VALUES (${r.rowid}, ${shortTokens(r.doc).map(encodeShortToken).join(' ')})`.execute(
        db,
      );
  } else {
    await sql`ALTER TABLE ticket_search ADD COLUMN tokens text[] NOT NULL DEFAULT '{}'`.execute(db);
    for (const r of docs.rows)
      await sql`UPDATE ticket_search SET tokens = ${shortTokens(r.doc)} WHERE ticket_id = ${r.ticket_id}`.execute(
        db,
      );
    await sql`CREATE INDEX ticket_search_tokens_idx ON ticket_search USING gin (tokens)`.execute(
      db,
    );
  }
  await db.schema.dropTable('ticket_token').execute();
}
