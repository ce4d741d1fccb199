import { type Kysely, type QueryCreator, type Selectable, sql } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type {
  AlertServiceTable,
  AlertTable,
  ContactMethodTable,
  DB,
  EscalationPolicyTable,
  HeartbeatMonitorTable,
  PageTable,
} from '../../db/schema.js';
import { type DeferredRows, insertWithBatch, pendingRows } from '../../db/group-commit.js';
import { precompiled, precompiledRows } from '../../db/precompiled.js';
import { newId } from '../../lib/ids.js';

/** The only code that touches the alerts tables. */

export type PolicyRow = Selectable<EscalationPolicyTable>;
export type ServiceRow = Selectable<AlertServiceTable>;
export type AlertRow = Selectable<AlertTable>;
export type PageRow = Selectable<PageTable>;
export type ContactMethodRow = Selectable<ContactMethodTable>;
export type HeartbeatRow = Selectable<HeartbeatMonitorTable>;

// ---- settings ------------------------------------------------------------------------------

/** The stored value of `key`, creating it from `fresh` once (first process wins). */
export async function ensureSetting(db: Kysely<DB>, key: string, fresh: string): Promise<string> {
  await db
    .insertInto('alert_setting')
    .values({ key, value: fresh })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('alert_setting')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}

// ---- policies and services -------------------------------------------------------------------

export async function insertPolicy(db: Kysely<DB>, row: PolicyRow): Promise<void> {
  await db.insertInto('escalation_policy').values(row).execute();
}

export async function updatePolicy(db: Kysely<DB>, row: PolicyRow): Promise<void> {
  await db.updateTable('escalation_policy').set(row).where('id', '=', row.id).execute();
}

export function findPolicy(db: Kysely<DB>, id: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('escalation_policy').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listPolicies(db: Kysely<DB>): Promise<PolicyRow[]> {
  return db.selectFrom('escalation_policy').selectAll().orderBy('name').execute();
}

export async function insertService(db: Kysely<DB>, row: ServiceRow): Promise<void> {
  await db.insertInto('alert_service').values(row).execute();
}

export function findService(db: Kysely<DB>, id: string): Promise<ServiceRow | undefined> {
  return db.selectFrom('alert_service').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listServices(db: Kysely<DB>): Promise<ServiceRow[]> {
  return db.selectFrom('alert_service').selectAll().orderBy('name').execute();
}

/**
 * Serialises intake per service on PostgreSQL (dedup, grouping and flap state are read then
 * written); SQLite has one writer already.
 */
export async function lockService(
  trx: Kysely<DB>,
  dialect: DialectName,
  serviceId: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`SELECT id FROM alert_service WHERE id = ${serviceId} FOR UPDATE`.execute(trx);
}

// ---- integrations ----------------------------------------------------------------------------

export async function insertIntegration(
  db: Kysely<DB>,
  row: Selectable<DB['alert_integration']>,
): Promise<void> {
  await db.insertInto('alert_integration').values(row).execute();
}

export function findIntegrationByKeyHash(db: Kysely<DB>, keyHash: string) {
  return db
    .selectFrom('alert_integration')
    .innerJoin('alert_service', 'alert_service.id', 'alert_integration.service_id')
    .select([
      'alert_integration.id as id',
      'alert_integration.kind as kind',
      'alert_integration.service_id as serviceId',
    ])
    .where('alert_integration.key_hash', '=', keyHash)
    .executeTakeFirst();
}

export function listIntegrations(db: Kysely<DB>, serviceId: string) {
  return db
    .selectFrom('alert_integration')
    .select(['id', 'kind', 'name', 'service_id', 'created_at'])
    .where('service_id', '=', serviceId)
    .orderBy('created_at')
    .execute();
}

// ---- contact methods and rules -----------------------------------------------------------------

export async function insertContactMethod(db: Kysely<DB>, row: ContactMethodRow): Promise<void> {
  await db.insertInto('contact_method').values(row).execute();
}

export function findContactMethod(
  db: Kysely<DB>,
  id: string,
): Promise<ContactMethodRow | undefined> {
  return db.selectFrom('contact_method').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listContactMethods(db: Kysely<DB>, userId: string): Promise<ContactMethodRow[]> {
  return db
    .selectFrom('contact_method')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function setVerification(
  db: Kysely<DB>,
  id: string,
  change: { verified: number; verification_json: string | null },
): Promise<void> {
  await db.updateTable('contact_method').set(change).where('id', '=', id).execute();
}

export async function insertRule(
  db: Kysely<DB>,
  row: Selectable<DB['notification_rule']>,
): Promise<void> {
  await db.insertInto('notification_rule').values(row).execute();
}

export function listRules(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('notification_rule')
    .select(['id', 'contact_method_id', 'delay_minutes'])
    .where('user_id', '=', userId)
    .orderBy('delay_minutes')
    .orderBy('id')
    .execute();
}

export type RuleRow = Awaited<ReturnType<typeof listRules>>[number];

export async function deleteRule(db: Kysely<DB>, userId: string, id: string): Promise<number> {
  const r = await db
    .deleteFrom('notification_rule')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- maintenance and heartbeats ----------------------------------------------------------------

export async function insertMaintenance(
  db: Kysely<DB>,
  row: Selectable<DB['maintenance_window']>,
): Promise<void> {
  await db.insertInto('maintenance_window').values(row).execute();
}

export function listMaintenance(db: Kysely<DB>, endingAfter: number) {
  return db
    .selectFrom('maintenance_window')
    .selectAll()
    .where('ends_at', '>', endingAfter)
    .orderBy('starts_at')
    .execute();
}

export async function insertHeartbeat(db: Kysely<DB>, row: HeartbeatRow): Promise<void> {
  await db.insertInto('heartbeat_monitor').values(row).execute();
}

export function findHeartbeatByKeyHash(db: Kysely<DB>, keyHash: string) {
  return db
    .selectFrom('heartbeat_monitor')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
}

export function listHeartbeats(db: Kysely<DB>): Promise<HeartbeatRow[]> {
  return db.selectFrom('heartbeat_monitor').selectAll().orderBy('name').execute();
}

export async function updateHeartbeat(
  db: Kysely<DB>,
  id: string,
  change: { last_ping_at?: number; down: number },
): Promise<void> {
  await db.updateTable('heartbeat_monitor').set(change).where('id', '=', id).execute();
}

// ---- alerts ------------------------------------------------------------------------------------

// Service ids are fixed-length UUIDs, so the separator cannot be confused with the key.
export const openKey = (serviceId: string, dedupKey: string) => `${serviceId}/${dedupKey}`;

// The intake's statements are compiled once (`precompiled`): they run for every event.
const findOpenAlertAndFlapQuery = precompiled<{
  openKey: string;
  serviceId: string;
  dedupKey: string;
}>(
  (_db, p) => sql`SELECT a.id, a.status, a.count, a.page_id, f.state_json AS flap_json
    FROM (SELECT 1 AS one) x
    LEFT JOIN alert a ON a.open_key = ${p('openKey')}
    LEFT JOIN alert_flap f ON f.service_id = ${p('serviceId')} AND f.dedup_key = ${p('dedupKey')}`,
);

/**
 * `findOpenAlert` and `getFlapState` in one statement (one round trip on PostgreSQL): the intake
 * needs the flap state whenever it creates or resolves an alert.
 */
export async function findOpenAlertAndFlap(
  db: Kysely<DB>,
  serviceId: string,
  dedupKey: string,
): Promise<{
  open: Pick<AlertRow, 'id' | 'status' | 'count' | 'page_id'> | undefined;
  flapJson: string | undefined;
}> {
  const r = await findOpenAlertAndFlapQuery(db, {
    openKey: openKey(serviceId, dedupKey),
    serviceId,
    dedupKey,
  });
  const row = r.rows[0] as
    | (Pick<AlertRow, 'id' | 'status' | 'count' | 'page_id'> & { flap_json: string | null })
    | undefined;
  return {
    open:
      row?.id == null
        ? undefined
        : { id: row.id, status: row.status, count: row.count, page_id: row.page_id },
    flapJson: row?.flap_json ?? undefined,
  };
}

const findOpenAlertQuery = precompiled<{ openKey: string }>((db, p) =>
  db
    .selectFrom('alert')
    .select(['id', 'status', 'count', 'page_id'])
    .where('open_key', '=', p('openKey')),
);

export async function findOpenAlert(
  db: Kysely<DB>,
  serviceId: string,
  dedupKey: string,
): Promise<Pick<AlertRow, 'id' | 'status' | 'count' | 'page_id'> | undefined> {
  const r = await findOpenAlertQuery(db, { openKey: openKey(serviceId, dedupKey) });
  return r.rows[0] as Pick<AlertRow, 'id' | 'status' | 'count' | 'page_id'> | undefined;
}

const ALERT_COLUMNS = [
  'id',
  'service_id',
  'dedup_key',
  'open_key',
  'status',
  'summary',
  'source',
  'severity',
  'details_json',
  'links_json',
  'count',
  'page_id',
  'suppressed',
  'occurred_at',
  'created_at',
  'updated_at',
  'resolved_at',
] as const satisfies readonly (keyof AlertRow)[];
// Every column: a column added to the table without being added here fails to compile.
const allAlertColumns: Exclude<keyof AlertRow, (typeof ALERT_COLUMNS)[number]> extends never
  ? true
  : never = true;
void allAlertColumns;
const insertAlertQuery = precompiled<AlertRow>((db, p) =>
  db
    .insertInto('alert')
    .values(Object.fromEntries(ALERT_COLUMNS.map((c) => [c, p(c)])) as unknown as AlertRow),
);

export async function insertAlert(db: Kysely<DB>, row: AlertRow): Promise<void> {
  await insertAlertQuery(db, row);
}

interface AlertCount {
  id: string;
  count: number;
  at: number;
}

/** `updated_at` never goes back: a later unit of the batch may have changed the alert since. */
const countAlertLaterQuery = precompiled<{ id: string; count: number; at: number }>(
  (_db, p) => sql`UPDATE alert SET count = CAST(${p('count')} AS INTEGER),
      updated_at = CASE WHEN updated_at > CAST(${p('at')} AS BIGINT) THEN updated_at
        ELSE CAST(${p('at')} AS BIGINT) END
    WHERE id = ${p('id')}`,
);

/** Ids per statement of a multi-row count update. */
const COUNT_CHUNK = 64;

async function flushAlertCounts(db: Kysely<DB>, rows: AlertCount[]): Promise<void> {
  // Counts only grow: the last (highest) count and time of each alert.
  const byId = new Map<string, AlertCount>();
  for (const r of rows) {
    const prev = byId.get(r.id);
    byId.set(
      r.id,
      prev ? { id: r.id, count: Math.max(prev.count, r.count), at: Math.max(prev.at, r.at) } : r,
    );
  }
  const all = [...byId.values()];
  for (let i = 0; i < all.length; i += COUNT_CHUNK) {
    const chunk = all.slice(i, i + COUNT_CHUNK);
    if (chunk.length === 1) {
      await countAlertLaterQuery(db, chunk[0]!);
      continue;
    }
    const at = (r: AlertCount) => sql`CAST(${r.at} AS BIGINT)`;
    await sql`UPDATE alert SET
        count = CASE id ${sql.join(
          chunk.map((r) => sql`WHEN ${r.id} THEN CAST(${r.count} AS INTEGER)`),
          sql` `,
        )} END,
        updated_at = CASE id ${sql.join(
          chunk.map(
            (r) =>
              sql`WHEN ${r.id} THEN CASE WHEN updated_at > ${at(r)} THEN updated_at ELSE ${at(r)} END`,
          ),
          sql` `,
        )} END
      WHERE id IN (${sql.join(chunk.map((r) => r.id))})`.execute(db);
  }
}
const alertCountsWithBatch: DeferredRows<AlertCount> = { flush: flushAlertCounts };

/**
 * A repeated event, written with its batch's other count updates in one statement before the
 * commit (at once outside a batch): on PostgreSQL one round trip fewer per duplicate. A later
 * event of the same batch on the same alert reads the count through `pendingAlertCount`.
 */
export async function countAlertWithBatch(
  db: Kysely<DB>,
  id: string,
  count: number,
  at: number,
): Promise<void> {
  await insertWithBatch(db, alertCountsWithBatch, { id, count, at });
}

/** The count an earlier unit of this batch gave the alert and that is not written yet. */
export function pendingAlertCount(db: Kysely<DB>, id: string): number | undefined {
  const rows = pendingRows(db, alertCountsWithBatch);
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.id === id) return rows[i]!.count;
  return undefined;
}

export async function updateAlert(
  db: Kysely<DB>,
  id: string,
  change: Partial<Omit<AlertRow, 'id'>>,
): Promise<void> {
  await db.updateTable('alert').set(change).where('id', '=', id).execute();
}

export async function alertStatusesOfPage(db: Kysely<DB>, pageId: string) {
  const rows = await db
    .selectFrom('alert')
    .select('status')
    .where('page_id', '=', pageId)
    .execute();
  return rows.map((r) => r.status as 'triggered' | 'acknowledged' | 'resolved');
}

export function listAlerts(db: Kysely<DB>, q: { serviceId?: string; limit: number }) {
  let query = db.selectFrom('alert').selectAll().orderBy('created_at', 'desc').limit(q.limit);
  if (q.serviceId !== undefined) query = query.where('service_id', '=', q.serviceId);
  return query.execute();
}

export function alertsOfPage(db: Kysely<DB>, pageId: string) {
  return db
    .selectFrom('alert')
    .selectAll()
    .where('page_id', '=', pageId)
    .orderBy('created_at')
    .execute();
}

const getFlapStateQuery = precompiled<{ serviceId: string; dedupKey: string }>((db, p) =>
  db
    .selectFrom('alert_flap')
    .select('state_json')
    .where('service_id', '=', p('serviceId'))
    .where('dedup_key', '=', p('dedupKey')),
);

export async function getFlapState(
  db: Kysely<DB>,
  serviceId: string,
  dedupKey: string,
): Promise<string | undefined> {
  const r = await getFlapStateQuery(db, { serviceId, dedupKey });
  return (r.rows[0] as { state_json: string } | undefined)?.state_json;
}

const saveFlapStateQuery = precompiled<{ serviceId: string; dedupKey: string; stateJson: string }>(
  (db, p) =>
    db
      .insertInto('alert_flap')
      .values({ service_id: p('serviceId'), dedup_key: p('dedupKey'), state_json: p('stateJson') })
      .onConflict((oc) =>
        oc.columns(['service_id', 'dedup_key']).doUpdateSet({ state_json: p('stateJson') }),
      ),
);

export async function saveFlapState(
  db: Kysely<DB>,
  serviceId: string,
  dedupKey: string,
  stateJson: string,
): Promise<void> {
  await saveFlapStateQuery(db, { serviceId, dedupKey, stateJson });
}

// ---- pages -------------------------------------------------------------------------------------

const PAGE_COLUMNS = [
  'id',
  'service_id',
  'summary',
  'severity',
  'status',
  'alert_count',
  'policy_json',
  'escalation_json',
  'opened_at',
  'acknowledged_at',
  'resolved_at',
  'updated_at',
] as const satisfies readonly (keyof PageRow)[];
const allPageColumns: Exclude<keyof PageRow, (typeof PAGE_COLUMNS)[number]> extends never
  ? true
  : never = true;
void allPageColumns;
const insertPageQuery = precompiled<PageRow>((db, p) =>
  db
    .insertInto('page')
    .values(Object.fromEntries(PAGE_COLUMNS.map((c) => [c, p(c)])) as unknown as PageRow),
);

export async function insertPage(db: Kysely<DB>, row: PageRow): Promise<void> {
  await insertPageQuery(db, row);
}

type Slots = Record<string, unknown>;
const pageSlots = (p: (name: string) => unknown) =>
  Object.fromEntries(PAGE_COLUMNS.map((c) => [c, p(`page_${c}`)])) as unknown as PageRow;
const alertSlots = (p: (name: string) => unknown) =>
  Object.fromEntries(ALERT_COLUMNS.map((c) => [c, p(`alert_${c}`)])) as unknown as AlertRow;
const flapSlots = (p: (name: string) => unknown) => ({
  service_id: p('flap_service_id') as string,
  dedup_key: p('flap_dedup_key') as string,
  state_json: p('flap_state_json') as string,
});

/** The flap state's upsert, as a CTE of the statements below. */
const upsertFlap = (qc: QueryCreator<DB>, p: (name: string) => unknown) =>
  qc
    .insertInto('alert_flap')
    .values(flapSlots(p))
    .onConflict((oc) =>
      oc
        .columns(['service_id', 'dedup_key'])
        .doUpdateSet({ state_json: p('flap_state_json') as string }),
    )
    .returning('service_id');

// PostgreSQL: a new alert with its page and flap state in one statement (data-modifying CTEs),
// one round trip instead of three on the intake's lane.
const insertAlertPagePg = precompiled<Slots>((db, p) =>
  db
    .with('new_page', (qc) => qc.insertInto('page').values(pageSlots(p)).returning('id'))
    .insertInto('alert')
    .values(alertSlots(p)),
);
const insertAlertFlapPg = precompiled<Slots>((db, p) =>
  db
    .with('new_flap', (qc) => upsertFlap(qc, p))
    .insertInto('alert')
    .values(alertSlots(p)),
);
const insertAlertPageFlapPg = precompiled<Slots>((db, p) =>
  db
    .with('new_flap', (qc) => upsertFlap(qc, p))
    .with('new_page', (qc) => qc.insertInto('page').values(pageSlots(p)).returning('id'))
    .insertInto('alert')
    .values(alertSlots(p)),
);

/**
 * A new alert, with the page it opens and its new flap state when it has them: one statement
 * on PostgreSQL, three on SQLite (where a statement is no round trip).
 */
export async function insertNewAlert(
  db: Kysely<DB>,
  dialect: DialectName,
  alert: AlertRow,
  page: PageRow | undefined,
  flap: { serviceId: string; dedupKey: string; stateJson: string } | undefined,
): Promise<void> {
  if (dialect !== 'postgres') {
    if (flap) await saveFlapState(db, flap.serviceId, flap.dedupKey, flap.stateJson);
    if (page) await insertPage(db, page);
    await insertAlert(db, alert);
    return;
  }
  if (!page && !flap) return insertAlert(db, alert);
  const values: Slots = {};
  for (const c of ALERT_COLUMNS) values[`alert_${c}`] = alert[c];
  if (page) for (const c of PAGE_COLUMNS) values[`page_${c}`] = page[c];
  if (flap) {
    values.flap_service_id = flap.serviceId;
    values.flap_dedup_key = flap.dedupKey;
    values.flap_state_json = flap.stateJson;
  }
  const stmt = page && flap ? insertAlertPageFlapPg : page ? insertAlertPagePg : insertAlertFlapPg;
  await stmt(db, values);
}

/** The page, row-locked on PostgreSQL so concurrent steps of one page run one after another. */
export async function findPageForUpdate(
  trx: Kysely<DB>,
  dialect: DialectName,
  id: string,
): Promise<PageRow | undefined> {
  let q = trx.selectFrom('page').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

const findPageQuery = precompiled<{ id: string }>((db, p) =>
  db.selectFrom('page').selectAll().where('id', '=', p('id')),
);

/** The page (every send reads it: compiled once). */
export async function findPage(db: Kysely<DB>, id: string): Promise<PageRow | undefined> {
  return (await findPageQuery(db, { id })).rows[0] as PageRow | undefined;
}

export async function updatePage(
  db: Kysely<DB>,
  id: string,
  change: Partial<Omit<PageRow, 'id'>>,
): Promise<void> {
  await db.updateTable('page').set(change).where('id', '=', id).execute();
}

export function openPagesOfService(db: Kysely<DB>, serviceId: string) {
  return db
    .selectFrom('page')
    .select(['id', 'opened_at', 'status'])
    .where('service_id', '=', serviceId)
    .where('status', '!=', 'resolved')
    .orderBy('opened_at', 'desc')
    .limit(20)
    .execute();
}

export function listPages(db: Kysely<DB>, q: { status?: string; limit: number }) {
  let query = db.selectFrom('page').selectAll().orderBy('opened_at', 'desc').limit(q.limit);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  return query.execute();
}

// ---- timeline ----------------------------------------------------------------------------------

/** One entry of a page's timeline, as the service hands it to the store. */
interface TimelineEntry {
  pageId: string;
  at: number;
  type: string;
  sendKey?: string;
  data: unknown;
}

type TimelineRow = Selectable<DB['page_timeline']>;

function timelineRow(e: TimelineEntry): TimelineRow {
  return {
    id: newId(),
    page_id: e.pageId,
    at: e.at,
    type: e.type,
    send_key: e.sendKey ?? null,
    data_json: JSON.stringify(e.data),
  };
}

export async function insertTimeline(db: Kysely<DB>, e: TimelineEntry): Promise<void> {
  await insertTimelineQuery(db, timelineRow(e));
}

const TIMELINE_COLUMNS = [
  'id',
  'page_id',
  'at',
  'type',
  'send_key',
  'data_json',
] as const satisfies readonly (keyof TimelineRow)[];
const insertTimelineRows = precompiledRows<TimelineRow>(TIMELINE_COLUMNS, (db, rows) =>
  db.insertInto('page_timeline').values(rows),
);
const timelineWithBatch: DeferredRows<TimelineRow> = { flush: insertTimelineRows };

/**
 * `insertTimeline` whose row is written with its group-commit batch's other timeline rows, in
 * one statement before the commit (at once outside a batch). Only for rows no later unit of
 * the batch reads: the intake's, and a send's outcome (a claim's `findSend` checks it, but the
 * job that wrote it is marked finished in the same unit, at once, so no later unit claims it).
 */
export async function insertTimelineWithBatch(db: Kysely<DB>, e: TimelineEntry): Promise<void> {
  await insertWithBatch(db, timelineWithBatch, timelineRow(e));
}
const insertTimelineQuery = precompiled<TimelineRow>((db, p) =>
  db.insertInto('page_timeline').values({
    id: p('id'),
    page_id: p('page_id'),
    at: p('at'),
    type: p('type'),
    send_key: p('send_key'),
    data_json: p('data_json'),
  }),
);

export function timelineOfPage(db: Kysely<DB>, pageId: string) {
  return db
    .selectFrom('page_timeline')
    .select(['id', 'at', 'type', 'data_json'])
    .where('page_id', '=', pageId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** What a send needs of its page and contact method (a retried job must not page twice: `findSend`). */
export type SendPage = Pick<
  PageRow,
  'id' | 'service_id' | 'summary' | 'severity' | 'status' | 'alert_count'
>;
export type SendMethod = Pick<
  ContactMethodRow,
  'id' | 'kind' | 'target_json' | 'verified' | 'disabled'
>;

const sendTargetQuery = precompiled<{ pageId: string; methodId: string; sendKey: string }>(
  (_db, p) => sql`SELECT p.id, p.service_id, p.summary, p.severity, p.status, p.alert_count,
      c.id AS m_id, c.kind AS m_kind, c.target_json AS m_target_json,
      c.verified AS m_verified, c.disabled AS m_disabled,
      EXISTS (SELECT 1 FROM page_timeline t WHERE t.send_key = ${p('sendKey')}
        AND t.type = 'notification_delivered') AS delivered,
      EXISTS (SELECT 1 FROM page_timeline t WHERE t.send_key = ${p('sendKey')}
        AND t.type = 'notification_held') AS held
    FROM page p LEFT JOIN contact_method c ON c.id = ${p('methodId')}
    WHERE p.id = ${p('pageId')}`,
);

/**
 * Everything a send reads, in one statement (every send reads it): its page and contact
 * method, and whether this send was delivered already or held for a digest (by its send key:
 * a retried job must not page twice).
 */
export async function findSend(
  db: Kysely<DB>,
  pageId: string,
  methodId: string,
  sendKey: string,
): Promise<
  | {
      page: SendPage;
      method: SendMethod | undefined;
      delivered: boolean;
      held: boolean;
    }
  | undefined
> {
  const row = (await sendTargetQuery(db, { pageId, methodId, sendKey })).rows[0] as
    | (SendPage & {
        m_id: string | null;
        m_kind: string;
        m_target_json: string;
        m_verified: number;
        m_disabled: number;
        // 0/1 on SQLite, a boolean on PostgreSQL.
        delivered: number | boolean;
        held: number | boolean;
      })
    | undefined;
  if (!row) return undefined;
  return {
    delivered: row.delivered === true || row.delivered === 1,
    held: row.held === true || row.held === 1,
    page: {
      id: row.id,
      service_id: row.service_id,
      summary: row.summary,
      severity: row.severity,
      status: row.status,
      alert_count: row.alert_count,
    },
    method:
      row.m_id === null
        ? undefined
        : {
            id: row.m_id,
            kind: row.m_kind,
            target_json: row.m_target_json,
            verified: row.m_verified,
            disabled: row.m_disabled,
          },
  };
}
