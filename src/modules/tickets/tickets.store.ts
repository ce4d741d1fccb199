import { type Kysely, type SqlBool, type Expression, sql } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type {
  DB,
  TicketCategoryTable,
  TicketEventTable,
  TicketSlaPolicyTable,
  TicketTable,
} from '../../db/schema.js';
import type { SearchPlan } from './short-query.js';
import { normaliseForSearch, shortTokens } from './short-query.js';

/**
 * The only code that touches the ticket tables. Dialect-specific SQL (the two search indexes and
 * the caller prefix lookup) is isolated here and in the migration.
 */

export type TicketRow = TicketTable;
export type TicketEventRow = TicketEventTable;
export type CategoryRow = TicketCategoryTable;
export type SlaPolicyRow = TicketSlaPolicyTable;

export const OPEN_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'pending_customer',
  'pending_third_party',
  'reopened',
] as const;

export async function nextSequence(trx: Kysely<DB>, day: string): Promise<number> {
  const row = await trx
    .insertInto('ticket_sequence')
    .values({ day, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql`ticket_sequence.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}

export async function insertTicket(trx: Kysely<DB>, row: TicketRow): Promise<void> {
  await trx.insertInto('ticket').values(row).execute();
}

export async function updateTicket(
  trx: Kysely<DB>,
  id: string,
  patch: Partial<Omit<TicketRow, 'id' | 'number'>>,
): Promise<void> {
  await trx.updateTable('ticket').set(patch).where('id', '=', id).execute();
}

export async function findTicket(db: Kysely<DB>, id: string): Promise<TicketRow | undefined> {
  return db.selectFrom('ticket').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertEvent(trx: Kysely<DB>, row: TicketEventRow): Promise<boolean> {
  const r = await trx
    .insertInto('ticket_event')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function listEvents(
  db: Kysely<DB>,
  ticketId: string,
  opts: { publicOnly: boolean },
): Promise<TicketEventRow[]> {
  let q = db.selectFrom('ticket_event').selectAll().where('ticket_id', '=', ticketId);
  if (opts.publicOnly) q = q.where('visibility', '=', 'public');
  return q.orderBy('at').orderBy('id').execute();
}

// ---- search index ----

/** The searchable text of a ticket: subject, description, caller and every reply. */
export async function searchDocument(trx: Kysely<DB>, ticketId: string): Promise<string> {
  const t = await trx
    .selectFrom('ticket')
    .select(['number', 'title', 'description', 'caller_name', 'organisation'])
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const replies = await trx
    .selectFrom('ticket_event')
    .select('body')
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'reply')
    .orderBy('at')
    .execute();
  return normaliseForSearch(
    [t.number, t.title, t.description, t.caller_name, t.organisation, ...replies.map((r) => r.body)]
      .filter((x): x is string => !!x)
      .join('\n'),
  );
}

/** Rewrites the ticket's trigram document and adds its new short tokens. */
export async function reindexTicket(
  trx: Kysely<DB>,
  dialect: DialectName,
  ticketId: string,
): Promise<void> {
  const doc = await searchDocument(trx, ticketId);
  if (dialect === 'sqlite') {
    // UPSERT keeps the rowid (the FTS row) stable; the triggers update ticket_fts.
    await sql`INSERT INTO ticket_search (ticket_id, doc) VALUES (${ticketId}, ${doc})
      ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc`.execute(trx);
  } else {
    await trx
      .insertInto('ticket_search')
      .values({ ticket_id: ticketId, doc })
      .onConflict((oc) => oc.column('ticket_id').doUpdateSet({ doc }))
      .execute();
  }
  // Text is only ever added (replies), so tokens only grow: insert the ones not yet there.
  const have = new Set(
    (
      await trx
        .selectFrom('ticket_token')
        .select('token')
        .where('ticket_id', '=', ticketId)
        .execute()
    ).map((r) => r.token),
  );
  const tokens = shortTokens(doc).filter((t) => !have.has(t));
  for (let i = 0; i < tokens.length; i += 400)
    await trx
      .insertInto('ticket_token')
      .values(tokens.slice(i, i + 400).map((token) => ({ token, ticket_id: ticketId })))
      .execute();
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A condition "ticket.id matches every term of the plan", on the dialect's indexes. */
function searchCondition(dialect: DialectName, plan: SearchPlan): Expression<SqlBool>[] {
  return plan.terms.map((term) => {
    if (term.kind === 'token')
      return sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM ticket_token WHERE token = ${term.token})`;
    if (dialect === 'sqlite') {
      // A quoted FTS5 string: with the trigram tokenizer it matches the substring.
      const phrase = `"${term.text.replace(/"/g, '""')}"`;
      return sql<SqlBool>`ticket.id IN (SELECT s.ticket_id FROM ticket_search s WHERE s.rowid IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ${phrase}))`;
    }
    return sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM ticket_search WHERE doc LIKE ${`%${likeEscape(term.text)}%`})`;
  });
}

// ---- lists ----

export interface ListFilter {
  status?: readonly string[];
  assigneeId?: string;
  unassigned?: boolean;
  groupId?: string;
  requesterId?: string;
  type?: string;
  priority?: string;
  /** SLA due before this instant (breaching soon), open tickets only. */
  dueBefore?: number;
  plan?: SearchPlan;
  /** Keyset: created_at/id of the last row of the previous page. */
  after?: { createdAt: number; id: string };
  limit: number;
}

export async function listTickets(
  db: Kysely<DB>,
  dialect: DialectName,
  f: ListFilter,
): Promise<TicketRow[]> {
  let q = db.selectFrom('ticket').selectAll();
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.unassigned) q = q.where('assignee_id', 'is', null);
  if (f.groupId) q = q.where('group_id', '=', f.groupId);
  if (f.requesterId) q = q.where('requester_id', '=', f.requesterId);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.priority) q = q.where('priority', '=', f.priority);
  if (f.dueBefore !== undefined)
    q = q.where('sla_due_at', '<=', f.dueBefore).where('status', 'in', OPEN_STATUSES);
  if (f.plan) for (const c of searchCondition(dialect, f.plan)) q = q.where(c);
  if (f.after) {
    const { createdAt, id } = f.after;
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** Earlier tickets of a caller: contact key or name starting with the typed text. */
export async function findByCaller(
  db: Kysely<DB>,
  dialect: DialectName,
  prefix: { key: string; name: string },
  limit: number,
): Promise<TicketRow[]> {
  const pattern = (s: string) => `${likeEscape(s)}%`;
  return db
    .selectFrom('ticket')
    .selectAll()
    .where((eb) => {
      if (dialect === 'postgres')
        return eb.or([
          ...(prefix.key ? [sql<SqlBool>`caller_key LIKE ${pattern(prefix.key)}`] : []),
          sql<SqlBool>`caller_name LIKE ${pattern(prefix.name)}`,
        ]);
      // SQLite's LIKE is case-insensitive and skips the index: a range on the index instead.
      const range = (col: 'caller_key' | 'caller_name', v: string) =>
        eb.and([eb(col, '>=', v), eb(col, '<', `${v}\uffff`)]);
      return eb.or([
        ...(prefix.key ? [range('caller_key', prefix.key)] : []),
        range('caller_name', prefix.name),
      ]);
    })
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Per person: open tickets held and when they last got one (for least-loaded dispatch). */
export async function loadOf(
  db: Kysely<DB>,
  userIds: readonly string[],
): Promise<Map<string, { open: number; last: number | null }>> {
  const out = new Map<string, { open: number; last: number | null }>();
  for (const id of userIds) out.set(id, { open: 0, last: null });
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('ticket')
    .select((eb) => [
      'assignee_id',
      eb.fn
        .sum<number>(eb.case().when('status', 'in', OPEN_STATUSES).then(1).else(0).end())
        .as('open'),
      eb.fn.max('created_at').as('last'),
    ])
    .where('assignee_id', 'in', userIds)
    .groupBy('assignee_id')
    .execute();
  for (const r of rows)
    if (r.assignee_id)
      out.set(r.assignee_id, {
        open: Number(r.open),
        last: r.last === null ? null : Number(r.last),
      });
  return out;
}

export async function resolvedBefore(db: Kysely<DB>, before: number): Promise<TicketRow[]> {
  return db
    .selectFrom('ticket')
    .selectAll()
    .where('status', '=', 'resolved')
    .where('resolved_at', '<=', before)
    .orderBy('resolved_at')
    .limit(500)
    .execute();
}

// ---- categories, policies, settings ----

export async function listCategories(db: Kysely<DB>): Promise<CategoryRow[]> {
  return db.selectFrom('ticket_category').selectAll().orderBy('name').execute();
}

export async function insertCategory(trx: Kysely<DB>, row: CategoryRow): Promise<void> {
  await trx.insertInto('ticket_category').values(row).execute();
}

export async function updateCategory(
  trx: Kysely<DB>,
  id: string,
  patch: Partial<Omit<CategoryRow, 'id'>>,
): Promise<void> {
  await trx.updateTable('ticket_category').set(patch).where('id', '=', id).execute();
}

export async function listPolicies(db: Kysely<DB>): Promise<SlaPolicyRow[]> {
  return db
    .selectFrom('ticket_sla_policy')
    .selectAll()
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
}

export async function insertPolicy(trx: Kysely<DB>, row: SlaPolicyRow): Promise<void> {
  await trx.insertInto('ticket_sla_policy').values(row).execute();
}

export async function getSetting(db: Kysely<DB>, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('ticket_setting')
    .select('value_json')
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as unknown) : undefined;
}

export async function putSetting(
  trx: Kysely<DB>,
  key: string,
  value: unknown,
  at: number,
): Promise<void> {
  const value_json = JSON.stringify(value);
  await trx
    .insertInto('ticket_setting')
    .values({ key, value_json, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at: at }))
    .execute();
}
