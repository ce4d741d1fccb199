import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { type Caller, type TicketContext } from './ticket-context.js';
import { parseTicketInput } from './tickets.schema.js';
import * as store from './tickets.store.js';

/**
 * Follow-up visits (回访) on chosen tickets: a task with an assignee and a due date on a resolved
 * or closed ticket, then what the customer said and the outcome, as an internal timeline entry.
 * The list of due visits is what a service agent works through. Every change is audited.
 */

export const FOLLOW_UP_OUTCOMES = [
  'satisfied',
  'unsatisfied',
  'unreachable',
  'reopen_requested',
] as const;

const createSchema = z.strictObject({
  assigneeId: z.string().trim().min(1).max(64),
  dueAt: z.number().int().min(0),
  note: z.string().trim().min(1).max(2000).optional(),
});
const recordSchema = z.strictObject({
  customerSaid: z.string().trim().min(1).max(5000),
  outcome: z.enum(FOLLOW_UP_OUTCOMES),
});

type Row = DB['ticket_follow_up'];
const present = (r: Row) => ({
  id: r.id,
  ticketId: r.ticket_id,
  assigneeId: r.assignee_id,
  dueAt: r.due_at,
  note: r.note,
  status: r.status,
  customerSaid: r.customer_said,
  outcome: r.outcome,
  createdAt: r.created_at,
  doneAt: r.done_at,
});

export function createFollowUpUseCases(ctx: TicketContext) {
  const { db, clock, deps, loadVisible } = ctx;

  async function createFollowUp(caller: Caller, ticketId: string, input: unknown) {
    const v = parseTicketInput(createSchema, input);
    const known = await deps.directory.existingUserIds([v.assigneeId]);
    if (!known.includes(v.assigneeId))
      throw invalid('assigneeId', 'tickets.errors.unknownUser', { id: v.assigneeId });
    const now = clock.now();
    const row: Row = {
      id: newId(),
      ticket_id: ticketId,
      assignee_id: v.assigneeId,
      due_at: v.dueAt,
      note: v.note ?? null,
      status: 'open',
      customer_said: null,
      outcome: null,
      created_by: caller.userId,
      created_at: now,
      done_at: null,
    };
    await db.transaction().execute(async (trx) => {
      const t = await loadVisible(trx, caller, ticketId);
      if (t.status !== 'resolved' && t.status !== 'closed')
        throw conflict(
          'follow_up_state',
          'tickets.errors.followUpState',
          { status: t.status },
          'status',
        );
      await trx.insertInto('ticket_follow_up').values(row).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.follow_up.create',
        entityType: 'ticket',
        entityId: ticketId,
        after: row,
      });
    });
    return present(row);
  }

  async function recordFollowUp(caller: Caller, id: string, input: unknown) {
    const v = parseTicketInput(recordSchema, input);
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('ticket_follow_up')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!before) throw notFound('ticket_follow_up', id);
      if (before.status !== 'open')
        throw conflict('follow_up_done', 'tickets.errors.followUpDone', {}, 'outcome');
      const after: Row = {
        ...before,
        status: 'done',
        customer_said: v.customerSaid,
        outcome: v.outcome,
        done_at: now,
      };
      await trx.updateTable('ticket_follow_up').set(after).where('id', '=', id).execute();
      await store.insertEvent(trx, {
        id: newId(),
        ticket_id: before.ticket_id,
        at: now,
        kind: 'follow_up',
        actor_id: caller.userId,
        actor_role: null,
        visibility: 'internal',
        body: v.customerSaid,
        data_json: JSON.stringify({ followUpId: id, outcome: v.outcome }),
        dedupe_key: null,
      });
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.follow_up.record',
        entityType: 'ticket',
        entityId: before.ticket_id,
        before,
        after,
      });
      return present(after);
    });
  }

  /** Open visits due by `dueBefore` (default now), oldest first; `assignee: 'me'` for one's own. */
  async function listFollowUps(
    caller: Caller,
    q: { assignee?: string; dueWithinMinutes?: number; ticketId?: string },
  ) {
    let s = db.selectFrom('ticket_follow_up').selectAll();
    if (q.ticketId) s = s.where('ticket_id', '=', q.ticketId);
    else
      s = s
        .where('status', '=', 'open')
        .where('due_at', '<=', clock.now() + (q.dueWithinMinutes ?? 0) * 60_000);
    if (q.assignee)
      s = s.where('assignee_id', '=', q.assignee === 'me' ? caller.userId : q.assignee);
    return (await s.orderBy('due_at').orderBy('id').limit(500).execute()).map(present);
  }

  return { createFollowUp, recordFollowUp, listFollowUps };
}
