import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Caller, TicketContext } from './ticket-context.js';
import { parseTicketInput } from './tickets.schema.js';

/**
 * Links between tickets (related, duplicate of, caused by), each audited on the source ticket.
 * A ticket's links are listed in both directions. Merging and links to alert pages are in
 * `ticket-collab.service.ts`; links to knowledge articles are not built.
 */

export const LINK_KINDS = ['related', 'duplicate_of', 'caused_by'] as const;
const linkSchema = z.strictObject({
  toTicketId: z.string().trim().min(1).max(64),
  kind: z.enum(LINK_KINDS),
});

type Row = DB['ticket_link'];

export function createLinkUseCases(ctx: TicketContext) {
  const { db, clock, loadVisible } = ctx;

  async function listLinks(caller: Caller, ticketId: string) {
    await loadVisible(db, caller, ticketId);
    const rows = await db
      .selectFrom('ticket_link')
      .selectAll()
      .where((eb) => eb.or([eb('from_id', '=', ticketId), eb('to_id', '=', ticketId)]))
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      direction: r.from_id === ticketId ? ('outgoing' as const) : ('incoming' as const),
      ticketId: r.from_id === ticketId ? r.to_id : r.from_id,
      createdAt: r.created_at,
    }));
  }

  async function createLink(caller: Caller, ticketId: string, input: unknown) {
    const v = parseTicketInput(linkSchema, input);
    if (v.toTicketId === ticketId) throw invalid('toTicketId', 'tickets.errors.linkSelf');
    const now = clock.now();
    const row: Row = {
      id: newId(),
      from_id: ticketId,
      to_id: v.toTicketId,
      kind: v.kind,
      created_by: caller.userId,
      created_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await loadVisible(trx, caller, ticketId);
      const to = await trx
        .selectFrom('ticket')
        .select('id')
        .where('id', '=', v.toTicketId)
        .executeTakeFirst();
      if (!to) throw invalid('toTicketId', 'validation.invalid');
      const dup = await trx
        .selectFrom('ticket_link')
        .select('id')
        .where('from_id', '=', ticketId)
        .where('to_id', '=', v.toTicketId)
        .where('kind', '=', v.kind)
        .executeTakeFirst();
      if (dup) throw conflict('link_exists', 'tickets.errors.linkExists', {}, 'toTicketId');
      await trx.insertInto('ticket_link').values(row).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.link',
        entityType: 'ticket',
        entityId: ticketId,
        after: row,
      });
    });
    return {
      id: row.id,
      kind: row.kind,
      direction: 'outgoing' as const,
      ticketId: row.to_id,
      createdAt: now,
    };
  }

  async function deleteLink(caller: Caller, ticketId: string, linkId: string) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await loadVisible(trx, caller, ticketId);
      const before = await trx
        .selectFrom('ticket_link')
        .selectAll()
        .where('id', '=', linkId)
        .where((eb) => eb.or([eb('from_id', '=', ticketId), eb('to_id', '=', ticketId)]))
        .executeTakeFirst();
      if (!before) throw notFound('ticket_link', linkId);
      await trx.deleteFrom('ticket_link').where('id', '=', linkId).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.unlink',
        entityType: 'ticket',
        entityId: ticketId,
        before,
      });
    });
  }

  return { listLinks, createLink, deleteLink };
}
