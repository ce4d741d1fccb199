import type { Kysely } from 'kysely';
import type {
  DB,
  TicketAttachmentTable,
  TicketEventTable,
  TicketMailMessageTable,
  TicketMailThreadTable,
} from '../../db/schema.js';

/** Queries of the ticket module's mail and attachment tables (and the few ticket reads they need). */

export type AttachmentRow = TicketAttachmentTable;
export type MailMessageRow = TicketMailMessageTable;
export type ThreadRow = TicketMailThreadTable;

// ---- attachments ----

export async function insertIntent(
  db: Kysely<DB>,
  row: { id: string; storage_key: string; created_at: number },
): Promise<void> {
  await db.insertInto('ticket_attachment_intent').values(row).execute();
}

export async function deleteIntents(db: Kysely<DB>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('ticket_attachment_intent').where('id', 'in', ids).execute();
}

export async function staleIntents(
  db: Kysely<DB>,
  before: number,
): Promise<{ id: string; storage_key: string }[]> {
  return db
    .selectFrom('ticket_attachment_intent')
    .select(['id', 'storage_key'])
    .where('created_at', '<', before)
    .limit(1000)
    .execute();
}

export async function insertAttachments(
  trx: Kysely<DB>,
  rows: readonly AttachmentRow[],
): Promise<void> {
  if (rows.length > 0)
    await trx
      .insertInto('ticket_attachment')
      .values([...rows])
      .execute();
}

export async function listAttachments(
  db: Kysely<DB>,
  ticketId: string,
  opts: { publicOnly: boolean },
): Promise<AttachmentRow[]> {
  let q = db.selectFrom('ticket_attachment').selectAll().where('ticket_id', '=', ticketId);
  if (opts.publicOnly) q = q.where('visibility', '=', 'public');
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function findAttachment(
  db: Kysely<DB>,
  id: string,
): Promise<(AttachmentRow & { requester_id: string | null }) | undefined> {
  return db
    .selectFrom('ticket_attachment')
    .innerJoin('ticket', 'ticket.id', 'ticket_attachment.ticket_id')
    .selectAll('ticket_attachment')
    .select('ticket.requester_id')
    .where('ticket_attachment.id', '=', id)
    .executeTakeFirst();
}

// ---- threads and messages ----

export async function findThread(db: Kysely<DB>, ticketId: string): Promise<ThreadRow | undefined> {
  return db
    .selectFrom('ticket_mail_thread')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
}

export async function insertThread(trx: Kysely<DB>, row: ThreadRow): Promise<void> {
  await trx
    .insertInto('ticket_mail_thread')
    .values(row)
    .onConflict((oc) => oc.column('ticket_id').doNothing())
    .execute();
}

export async function insertMailMessage(trx: Kysely<DB>, row: MailMessageRow): Promise<void> {
  await trx.insertInto('ticket_mail_message').values(row).execute();
}

/** What an inbound mail already became (it is turned into ticket work once). */
export async function findByInbound(
  db: Kysely<DB>,
  inboundId: string,
): Promise<(MailMessageRow & { number: string }) | undefined> {
  return db
    .selectFrom('ticket_mail_message')
    .innerJoin('ticket', 'ticket.id', 'ticket_mail_message.ticket_id')
    .selectAll('ticket_mail_message')
    .select('ticket.number')
    .where('inbound_id', '=', inboundId)
    .executeTakeFirst();
}

export async function findOutbound(
  db: Kysely<DB>,
  eventId: string,
): Promise<MailMessageRow | undefined> {
  return db
    .selectFrom('ticket_mail_message')
    .selectAll()
    .where('event_id', '=', eventId)
    .executeTakeFirst();
}

/** The ticket number each known Message-ID belongs to. */
export async function numbersForMessageIds(
  db: Kysely<DB>,
  messageIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (messageIds.length === 0) return out;
  const rows = await db
    .selectFrom('ticket_mail_message')
    .innerJoin('ticket', 'ticket.id', 'ticket_mail_message.ticket_id')
    .select(['ticket_mail_message.message_id', 'ticket.number'])
    .where('ticket_mail_message.message_id', 'in', [...messageIds].slice(0, 200))
    .execute();
  for (const r of rows) out.set(r.message_id, r.number);
  return out;
}

export async function ticketsByNumber(
  db: Kysely<DB>,
  numbers: readonly string[],
): Promise<Map<string, { id: string; requester_id: string | null; status: string }>> {
  const out = new Map<string, { id: string; requester_id: string | null; status: string }>();
  if (numbers.length === 0) return out;
  const rows = await db
    .selectFrom('ticket')
    .select(['id', 'number', 'requester_id', 'status'])
    .where('number', 'in', [...numbers])
    .execute();
  for (const r of rows) out.set(r.number, r);
  return out;
}

/** The Message-IDs of a ticket's thread, oldest first (for References). */
export async function threadHistory(
  db: Kysely<DB>,
  ticketId: string,
): Promise<{ message_id: string; direction: string }[]> {
  return db
    .selectFrom('ticket_mail_message')
    .select(['message_id', 'direction'])
    .where('ticket_id', '=', ticketId)
    .where('status', 'in', ['received', 'sent'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findEvent(
  db: Kysely<DB>,
  eventId: string,
): Promise<TicketEventTable | undefined> {
  return db.selectFrom('ticket_event').selectAll().where('id', '=', eventId).executeTakeFirst();
}
