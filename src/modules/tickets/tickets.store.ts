import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type {
  DB,
  TicketCategoryTable,
  TicketEventTable,
  TicketSlaPolicyTable,
  TicketTable,
} from '../../db/schema.js';
import { mergedInto } from './ticket-collab.store.js';
import type { SearchPlan } from './short-query.js';
import { encodeShortToken, matchesPlan, normaliseForSearch, shortTokens } from './short-query.js';

/** The search tables Kysely does not know: SQLite's FTS5 tables and the rowid they share. */
type SearchDb = DB & {
  ticket_fts: { rowid: number; doc: string };
  ticket_short: { rowid: number; tokens: string };
  ticket_search: { rowid: number };
};

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

/**
 * The searchable text of a ticket: subject, description, caller and every reply — followed by the
 * same text of every ticket merged into it (directly or through tickets merged into those), so a
 * search for words only a merged ticket has finds the ticket the work continues on too. The
 * merged ticket keeps its own document (found as well, shown as merged). Done when the document
 * is written, not when searching: the search queries stay as they were.
 */
export async function searchDocument(trx: Kysely<DB>, ticketId: string): Promise<string> {
  const parts = await ownSearchText(trx, ticketId);
  for (const m of await mergedInto(trx, ticketId))
    parts.push(...(await ownSearchText(trx, m.ticket_id)));
  return normaliseForSearch(parts.join('\n'));
}

async function ownSearchText(trx: Kysely<DB>, ticketId: string): Promise<string[]> {
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
  return [
    t.number,
    t.title,
    t.description,
    t.caller_name,
    t.organisation,
    ...replies.map((r) => r.body),
  ].filter((x): x is string => !!x);
}

/** Rewrites the ticket's trigram document and its short-token posting list. */
export async function reindexTicket(
  trx: Kysely<DB>,
  dialect: DialectName,
  ticketId: string,
): Promise<void> {
  const doc = await searchDocument(trx, ticketId);
  const tokens = shortTokens(doc);
  if (dialect === 'sqlite') {
    // UPSERT keeps the rowid (the FTS row) stable; the triggers update ticket_fts.
    const { rows } = await sql<{ rowid: number }>`INSERT INTO ticket_search (ticket_id, doc)
      VALUES (${ticketId}, ${doc})
      ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc RETURNING rowid`.execute(trx);
    const rowid = rows[0]!.rowid;
    await sql`DELETE FROM ticket_short WHERE rowid = ${rowid}`.execute(trx);
    await sql`INSERT INTO ticket_short (rowid, tokens)
      VALUES (${rowid}, ${tokens.map(encodeShortToken).join(' ')})`.execute(trx);
  } else {
    await sql`INSERT INTO ticket_search (ticket_id, doc, tokens) VALUES (${ticketId}, ${doc}, ${tokens})
      ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc, tokens = excluded.tokens`.execute(
      trx,
    );
  }
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An FTS5 query: every string quoted (a substring for trigram, a whole word for ticket_short). */
const ftsAll = (words: readonly string[]) =>
  words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');

// ---- lists ----

export interface ListFilter {
  status?: readonly string[];
  assigneeId?: string;
  unassigned?: boolean;
  groupId?: string;
  /** Any of these groups (a user's own teams); empty matches nothing. */
  groupIds?: readonly string[];
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
  const trigrams = f.plan?.terms.flatMap((t) => (t.kind === 'trigram' ? [t.text] : [])) ?? [];
  const shorts = f.plan?.terms.flatMap((t) => (t.kind === 'token' ? [t.token] : [])) ?? [];
  // Search on SQLite is driven by the FTS tables in rowid order (= indexing order = creation
  // order), newest first, so a common term stops after one page instead of sorting every match.
  const ftsDriven = dialect === 'sqlite' && trigrams.length + shorts.length > 0;
  const drive = trigrams.length > 0 ? 'ticket_fts' : 'ticket_short';
  let q = db.selectFrom('ticket').selectAll('ticket');
  if (ftsDriven) {
    q = (db as unknown as Kysely<SearchDb>)
      .selectFrom(drive)
      .innerJoin('ticket_search', 'ticket_search.rowid', `${drive}.rowid`)
      .innerJoin('ticket', 'ticket.id', 'ticket_search.ticket_id')
      .selectAll('ticket');
    if (trigrams.length > 0) q = q.where(sql<SqlBool>`ticket_fts MATCH ${ftsAll(trigrams)}`);
    // Driven by the trigram table, a short term is checked on the row's own document: the
    // document is the normalised text the tokens come from, so `instr` answers exactly what the
    // posting list would, and costs microseconds where a per-row MATCH on ticket_short seeks its
    // doclist (~0.5 ms a row: `视频会议 卡顿` + open statuses walked ~1,800 rows in 1.25 s).
    if (shorts.length > 0 && drive === 'ticket_fts')
      for (const token of shorts) q = q.where(sql<SqlBool>`instr(ticket_search.doc, ${token}) > 0`);
    else if (shorts.length > 0)
      q = q.where(sql<SqlBool>`ticket_short MATCH ${ftsAll(shorts.map(encodeShortToken))}`);
  } else if (trigrams.length + shorts.length > 0) {
    const like = trigrams.map((t) => sql<SqlBool>`s.doc LIKE ${`%${likeEscape(t)}%`}`);
    const tokens = shorts.length > 0 ? [sql<SqlBool>`s.tokens @> ${shorts}::text[]`] : [];
    q = q.where(
      sql<SqlBool>`EXISTS (SELECT 1 FROM ticket_search s WHERE s.ticket_id = ticket.id AND ${sql.join([...like, ...tokens], sql` AND `)})`,
    );
  }
  if (f.status?.length) q = q.where('ticket.status', 'in', f.status);
  if (f.assigneeId) q = q.where('ticket.assignee_id', '=', f.assigneeId);
  if (f.unassigned) q = q.where('ticket.assignee_id', 'is', null);
  if (f.groupId) q = q.where('ticket.group_id', '=', f.groupId);
  if (f.groupIds)
    q = f.groupIds.length
      ? q.where('ticket.group_id', 'in', f.groupIds)
      : q.where(sql<SqlBool>`1 = 0`);
  if (f.requesterId) q = q.where('ticket.requester_id', '=', f.requesterId);
  if (f.type) q = q.where('ticket.type', '=', f.type);
  if (f.priority) q = q.where('ticket.priority', '=', f.priority);
  if (f.dueBefore !== undefined)
    q = q.where('ticket.sla_due_at', '<=', f.dueBefore).where('ticket.status', 'in', OPEN_STATUSES);
  if (f.after) {
    const { createdAt, id } = f.after;
    q = q.where((eb) =>
      eb.or([
        eb('ticket.created_at', '<', createdAt),
        eb.and([eb('ticket.created_at', '=', createdAt), eb('ticket.id', '<', id)]),
      ]),
    );
  }
  // FTS5 consumes "ORDER BY rowid DESC" on its own table (no sort, stops at the limit).
  if (ftsDriven) q = q.orderBy(sql.ref(`${drive}.rowid`), 'desc');
  else q = q.orderBy('ticket.created_at', 'desc').orderBy('ticket.id', 'desc');
  const query = q.limit(f.limit);
  // PostgreSQL plans the walk in created_at order as a parallel Gather Merge; starting the
  // workers cost more than the whole walk (bench:tickets p95 of searches 133 ms at 100k and at
  // 1M alike, 35 ms with parallel plans off — README, Measured). Off for searches only.
  if (dialect === 'postgres' && trigrams.length + shorts.length > 0 && !db.isTransaction)
    return db.transaction().execute(async (trx) => {
      await sql`SET LOCAL max_parallel_workers_per_gather = 0`.execute(trx);
      return (await trx.executeQuery(query.compile())).rows;
    });
  return query.execute();
}

/**
 * A requester's own tickets whose public text matches the search: number, subject, description
 * and public replies. The search index also holds internal notes and the text of tickets merged
 * in (for staff), so a requester's search must not use it: a hit would tell them a word is in a
 * note they may not read. Their tickets are few, so they are read page by page through the
 * requester index and matched here with the index's own rule (`matchesPlan`).
 */
export async function listRequesterMatches(
  db: Kysely<DB>,
  dialect: DialectName,
  f: Omit<ListFilter, 'plan'> & { requesterId: string; plan: SearchPlan },
): Promise<TicketRow[]> {
  const { plan, ...filter } = f;
  const PAGE = 200;
  const out: TicketRow[] = [];
  let after = filter.after;
  for (;;) {
    const page = await listTickets(db, dialect, {
      ...filter,
      ...(after ? { after } : {}),
      limit: PAGE,
    });
    if (page.length === 0) return out;
    const replies = await db
      .selectFrom('ticket_event')
      .select(['ticket_id', 'body'])
      .where(
        'ticket_id',
        'in',
        page.map((r) => r.id),
      )
      .where('kind', '=', 'reply')
      .where('visibility', '=', 'public')
      .orderBy('at')
      .execute();
    const bodies = new Map<string, string[]>();
    for (const r of replies)
      if (r.body) bodies.set(r.ticket_id, [...(bodies.get(r.ticket_id) ?? []), r.body]);
    for (const row of page) {
      const text = [row.number, row.title, row.description, ...(bodies.get(row.id) ?? [])]
        .filter(Boolean)
        .join('\n');
      if (matchesPlan(plan, text, new Set(shortTokens(text)))) out.push(row);
      if (out.length === f.limit) return out;
    }
    if (page.length < PAGE) return out;
    const last = page[page.length - 1]!;
    after = { createdAt: last.created_at, id: last.id };
  }
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

/** Every policy, disabled ones too, for the admin page. */
export async function listAllPolicies(db: Kysely<DB>): Promise<SlaPolicyRow[]> {
  return db
    .selectFrom('ticket_sla_policy')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findPolicy(db: Kysely<DB>, id: string): Promise<SlaPolicyRow | undefined> {
  return db.selectFrom('ticket_sla_policy').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updatePolicy(
  trx: Kysely<DB>,
  id: string,
  patch: Partial<Omit<SlaPolicyRow, 'id' | 'created_at'>>,
): Promise<void> {
  await trx.updateTable('ticket_sla_policy').set(patch).where('id', '=', id).execute();
}

export async function getSetting(db: Kysely<DB>, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('ticket_setting')
    .select('value_json')
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as unknown) : undefined;
}

/** The team calendars: `calendar:<teamId>` settings by team id. */
export async function listTeamCalendars(db: Kysely<DB>): Promise<Record<string, unknown>> {
  const rows = await db
    .selectFrom('ticket_setting')
    .select(['key', 'value_json'])
    .where('key', 'like', 'calendar:%')
    .execute();
  return Object.fromEntries(
    rows.map((r) => [r.key.slice('calendar:'.length), JSON.parse(r.value_json) as unknown]),
  );
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

/** Open tickets whose SLA runs under one of `policyIds` (the built-in ones). Keyset by id. */
export async function openTicketsUnderPolicies(
  db: Kysely<DB>,
  policyIds: readonly string[],
  afterId: string | null,
  limit: number,
): Promise<TicketRow[]> {
  return db
    .selectFrom('ticket')
    .selectAll()
    .where('status', 'in', OPEN_STATUSES)
    .where('sla_policy_id', 'in', policyIds)
    .$if(afterId !== null, (q) => q.where('id', '>', afterId!))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Open tickets an SLA policy change may move (`needsRecompute` in `sla-recompute.ts`, in SQL):
 * those under the policy, and — while it is active — those its `match` fits. Keyset by id.
 */
export async function openTicketsForPolicy(
  db: Kysely<DB>,
  policy: {
    id: string;
    active: boolean;
    match: { type?: string; priority?: string; customerId?: string };
  },
  afterId: string | null,
  limit: number,
): Promise<TicketRow[]> {
  const m = policy.match;
  return db
    .selectFrom('ticket')
    .selectAll()
    .where('status', 'in', OPEN_STATUSES)
    .where((eb) =>
      eb.or([
        eb('sla_policy_id', '=', policy.id),
        ...(policy.active
          ? [
              eb.and([
                ...(m.type !== undefined ? [eb('type', '=', m.type)] : []),
                ...(m.priority !== undefined ? [eb('priority', '=', m.priority)] : []),
                ...(m.customerId !== undefined ? [eb('requester_id', '=', m.customerId)] : []),
              ]),
            ]
          : []),
      ]),
    )
    .$if(afterId !== null, (q) => q.where('id', '>', afterId!))
    .orderBy('id')
    .limit(limit)
    .execute();
}
