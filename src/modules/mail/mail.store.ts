import type { Kysely } from 'kysely';
import type { DB, MailInboundTable } from '../../db/schema.js';

/** The only code that touches `mail_inbound`. */

export type InboundRow = MailInboundTable;

/** Inserts a received mail; false when an IMAP message with this key is already stored. */
export async function insertInbound(trx: Kysely<DB>, row: InboundRow): Promise<boolean> {
  const r = await trx
    .insertInto('mail_inbound')
    .values(row)
    .onConflict((oc) => oc.column('imap_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function hasImapKey(db: Kysely<DB>, key: string): Promise<boolean> {
  const r = await db
    .selectFrom('mail_inbound')
    .select('id')
    .where('imap_key', '=', key)
    .executeTakeFirst();
  return r !== undefined;
}

export async function findInbound(db: Kysely<DB>, id: string): Promise<InboundRow | undefined> {
  return db.selectFrom('mail_inbound').selectAll().where('id', '=', id).executeTakeFirst();
}

export type InboundSummaryRow = Omit<InboundRow, 'raw' | 'envelope_to_json' | 'imap_key'>;

export async function listInbound(
  db: Kysely<DB>,
  q: { status?: string; before?: { receivedAt: number; id: string }; limit: number },
): Promise<InboundSummaryRow[]> {
  let query = db
    .selectFrom('mail_inbound')
    .select([
      'id',
      'received_at',
      'source',
      'remote_address',
      'envelope_from',
      'size_bytes',
      'from_address',
      'subject',
      'message_id',
      'route',
      'status',
      'reason',
      'field',
      'outcome_json',
      'error',
      'runs',
      'processed_at',
    ]);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.before) {
    const { receivedAt, id } = q.before;
    query = query.where((eb) =>
      eb.or([
        eb('received_at', '<', receivedAt),
        eb.and([eb('received_at', '=', receivedAt), eb('id', '<', id)]),
      ]),
    );
  }
  return query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

export async function updateInbound(
  db: Kysely<DB>,
  id: string,
  patch: Partial<Omit<InboundRow, 'id'>>,
): Promise<void> {
  await db.updateTable('mail_inbound').set(patch).where('id', '=', id).execute();
}

/** Mails from `address` received in [since, until), other than `exceptId` (the sender rate). */
export async function countFromSender(
  db: Kysely<DB>,
  address: string,
  since: number,
  until: number,
  exceptId: string,
): Promise<number> {
  const r = await db
    .selectFrom('mail_inbound')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('from_address', '=', address)
    .where('received_at', '>=', since)
    .where('received_at', '<', until)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Forgets the bytes of mails processed long ago (held mails keep theirs until discarded). */
export async function purgeRaw(db: Kysely<DB>, before: number): Promise<void> {
  await db
    .updateTable('mail_inbound')
    .set({ raw: null })
    .where('status', 'in', ['done', 'ignored'])
    .where('received_at', '<', before)
    .where('raw', 'is not', null)
    .execute();
}
