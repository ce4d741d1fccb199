import type { Kysely } from 'kysely';
import type { DB, NotificationTable } from '../../db/schema.js';

export type NotificationRow = NotificationTable;

export async function insertNotifications(db: Kysely<DB>, rows: NotificationRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('notification').values(rows).execute();
}

export async function findNotification(db: Kysely<DB>, id: string) {
  return db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listForUser(
  db: Kysely<DB>,
  userId: string,
  q: { unreadOnly: boolean; before?: string; limit: number },
) {
  let query = db.selectFrom('notification').selectAll().where('user_id', '=', userId);
  if (q.unreadOnly) query = query.where('read_at', 'is', null);
  if (q.before) query = query.where('id', '<', q.before);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}

export async function countUnread(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markRead(
  db: Kysely<DB>,
  userId: string,
  ids: readonly string[] | 'all',
  at: number,
): Promise<number> {
  let q = db
    .updateTable('notification')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : ['']);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function setEmailStatus(db: Kysely<DB>, id: string, status: string): Promise<void> {
  await db.updateTable('notification').set({ email_status: status }).where('id', '=', id).execute();
}
