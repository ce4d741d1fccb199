import type { Kysely, Selectable } from 'kysely';
import type {
  DB,
  TicketAlertLinkTable,
  TicketMergeTable,
  TicketUploadTable,
  TicketWatcherTable,
} from '../../db/schema.js';

/** Queries of watchers, merges, alert links and pending uploads (issue #5, second part). */

export type WatcherRow = Selectable<TicketWatcherTable>;
export type MergeRow = TicketMergeTable;
export type AlertLinkRow = TicketAlertLinkTable;
export type UploadRow = TicketUploadTable;

// ---- watchers ----

export async function listWatchers(db: Kysely<DB>, ticketId: string): Promise<WatcherRow[]> {
  return db
    .selectFrom('ticket_watcher')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
}

export async function watcherIdsOf(db: Kysely<DB>, ticketId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('ticket_watcher')
    .select('user_id')
    .where('ticket_id', '=', ticketId)
    .execute();
  return rows.map((r) => r.user_id);
}

/** The watchers who take their notices by mail too, and those who read them in the inbox only. */
export async function watchersByMail(
  db: Kysely<DB>,
  ticketId: string,
): Promise<{ mail: string[]; inboxOnly: string[] }> {
  const rows = await db
    .selectFrom('ticket_watcher')
    .select(['user_id', 'notify_mail'])
    .where('ticket_id', '=', ticketId)
    .execute();
  return {
    mail: rows.filter((r) => Number(r.notify_mail) !== 0).map((r) => r.user_id),
    inboxOnly: rows.filter((r) => Number(r.notify_mail) === 0).map((r) => r.user_id),
  };
}

export async function findWatcher(
  db: Kysely<DB>,
  ticketId: string,
  userId: string,
): Promise<WatcherRow | undefined> {
  return db
    .selectFrom('ticket_watcher')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function setWatcherMail(
  trx: Kysely<DB>,
  ticketId: string,
  userId: string,
  notifyMail: boolean,
): Promise<void> {
  await trx
    .updateTable('ticket_watcher')
    .set({ notify_mail: notifyMail ? 1 : 0 })
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Removes the watchers a merge added to `ticketId` and that are still as the merge left them
 * (added by the merging person at the merge instant); returns the user ids removed. `userIds`
 * null (merges recorded before the list was kept): every watcher the merge's row shape matches.
 */
export async function removeMergedWatchers(
  trx: Kysely<DB>,
  ticketId: string,
  userIds: readonly string[] | null,
  addedBy: string | null,
  at: number,
): Promise<string[]> {
  if (userIds && !userIds.length) return [];
  let q = trx
    .selectFrom('ticket_watcher')
    .select('user_id')
    .where('ticket_id', '=', ticketId)
    .where('created_at', '=', at);
  q = addedBy === null ? q.where('added_by', 'is', null) : q.where('added_by', '=', addedBy);
  if (userIds) q = q.where('user_id', 'in', userIds);
  const ids = (await q.execute()).map((r) => r.user_id);
  if (ids.length)
    await trx
      .deleteFrom('ticket_watcher')
      .where('ticket_id', '=', ticketId)
      .where('user_id', 'in', ids)
      .execute();
  return ids;
}

/** Inserts the watchers not already there; returns the user ids added. */
export async function addWatchers(
  trx: Kysely<DB>,
  ticketId: string,
  userIds: readonly string[],
  addedBy: string | null,
  at: number,
): Promise<string[]> {
  const have = new Set(await watcherIdsOf(trx, ticketId));
  const fresh = [...new Set(userIds)].filter((u) => !have.has(u));
  if (fresh.length)
    await trx
      .insertInto('ticket_watcher')
      .values(
        fresh.map((user_id) => ({
          ticket_id: ticketId,
          user_id,
          added_by: addedBy,
          created_at: at,
        })),
      )
      .execute();
  return fresh;
}

export async function removeWatcher(
  trx: Kysely<DB>,
  ticketId: string,
  userId: string,
): Promise<boolean> {
  const r = await trx
    .deleteFrom('ticket_watcher')
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---- merges ----

/** The merge of `ticketId` into another ticket, if it is merged (an undone merge is not). */
export async function findMerge(db: Kysely<DB>, ticketId: string): Promise<MergeRow | undefined> {
  return db
    .selectFrom('ticket_merge')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
}

/** The merge row of `ticketId`, undone or not. */
export async function findMergeRecord(
  db: Kysely<DB>,
  ticketId: string,
): Promise<MergeRow | undefined> {
  return db
    .selectFrom('ticket_merge')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
}

/** Records a merge; an undone merge of the same ticket (one row per source) makes way. */
export async function insertMerge(trx: Kysely<DB>, row: MergeRow): Promise<void> {
  await trx
    .deleteFrom('ticket_merge')
    .where('ticket_id', '=', row.ticket_id)
    .where('undone_at', 'is not', null)
    .execute();
  await trx.insertInto('ticket_merge').values(row).execute();
}

export async function markMergeUndone(
  trx: Kysely<DB>,
  ticketId: string,
  by: string | null,
  at: number,
): Promise<boolean> {
  const r = await trx
    .updateTable('ticket_merge')
    .set({ undone_at: at, undone_by: by })
    .where('ticket_id', '=', ticketId)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Every ticket merged into `ticketId`, directly or through tickets merged into those. */
export async function mergedInto(db: Kysely<DB>, ticketId: string): Promise<MergeRow[]> {
  const out: MergeRow[] = [];
  let frontier = [ticketId];
  // A merge target is never merged itself at merge time, but it may be later: follow the tree.
  for (let depth = 0; frontier.length && depth < 20; depth++) {
    const rows = await db
      .selectFrom('ticket_merge')
      .selectAll()
      .where('into_id', 'in', frontier)
      .where('undone_at', 'is', null)
      .orderBy('merged_at')
      .execute();
    out.push(...rows);
    frontier = rows.map((r) => r.ticket_id);
  }
  return out;
}

// ---- alert links ----

export async function listAlertLinks(db: Kysely<DB>, ticketId: string): Promise<AlertLinkRow[]> {
  return db
    .selectFrom('ticket_alert_link')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAlertLink(
  db: Kysely<DB>,
  ticketId: string,
  by: { id?: string; pageId?: string },
): Promise<AlertLinkRow | undefined> {
  let q = db.selectFrom('ticket_alert_link').selectAll().where('ticket_id', '=', ticketId);
  if (by.id) q = q.where('id', '=', by.id);
  if (by.pageId) q = q.where('page_id', '=', by.pageId);
  return q.executeTakeFirst();
}

export async function insertAlertLink(trx: Kysely<DB>, row: AlertLinkRow): Promise<void> {
  await trx.insertInto('ticket_alert_link').values(row).execute();
}

export async function deleteAlertLink(trx: Kysely<DB>, id: string): Promise<void> {
  await trx.deleteFrom('ticket_alert_link').where('id', '=', id).execute();
}

/** Tickets linked to an alert page (the alerts module may ask through the service). */
export async function ticketIdsForPage(db: Kysely<DB>, pageId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('ticket_alert_link')
    .select('ticket_id')
    .where('page_id', '=', pageId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.ticket_id);
}

// ---- uploads waiting for their ticket or reply ----

export async function insertUpload(trx: Kysely<DB>, row: UploadRow): Promise<void> {
  await trx.insertInto('ticket_upload').values(row).execute();
}

export async function findUploads(db: Kysely<DB>, ids: readonly string[]): Promise<UploadRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('ticket_upload').selectAll().where('id', 'in', ids).execute();
}

export async function attachedIds(db: Kysely<DB>, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('ticket_attachment')
    .select('id')
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteUploads(trx: Kysely<DB>, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  const r = await trx.deleteFrom('ticket_upload').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function staleUploads(db: Kysely<DB>, before: number): Promise<UploadRow[]> {
  return db
    .selectFrom('ticket_upload')
    .selectAll()
    .where('created_at', '<', before)
    .limit(1000)
    .execute();
}

/** The public attachments recorded on one timeline event (mailed with an agent's reply). */
export async function publicAttachmentsOfEvent(db: Kysely<DB>, eventId: string) {
  return db
    .selectFrom('ticket_attachment')
    .select(['id', 'file_name', 'content_type', 'storage_key'])
    .where('event_id', '=', eventId)
    .where('visibility', '=', 'public')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
