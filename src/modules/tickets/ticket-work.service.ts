import { conflict, forbidden, invalid } from '../../lib/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { toCsv } from '../../lib/spreadsheet-safe.js';
import { assertSurveyAllowed } from './follow-up.js';
import { planSearch } from './short-query.js';
import {
  type Caller,
  type EventData,
  type MailIntake,
  type TicketContext,
  ROLE_ORDER,
  actorFor,
  isStaff,
} from './ticket-context.js';
import {
  type EventView,
  type TicketView,
  callerKey,
  present,
  presentEvent,
  snapshot,
} from './ticket-presenter.js';
import { type Actor, type TicketStatus, applyAction, can } from './ticket-state.js';
import {
  type SurveyInput,
  escalateInputSchema,
  parseTicketInput,
  replySchema,
  stateChangeSchema,
  surveySchema,
} from './tickets.schema.js';
import * as collab from './ticket-collab.store.js';
import * as store from './tickets.store.js';

/** Working a ticket: read, list and search, reply, move, escalate, survey, caller history, export. */
export interface ListQuery {
  status?: string[];
  assignee?: string;
  unassigned?: boolean;
  group?: string;
  /** Any of these groups (the built-in "my group" view). */
  groups?: string[];
  breachingWithinMinutes?: number;
  type?: string;
  priority?: string;
  q?: string;
  cursor?: string;
  limit: number;
}

export function createWorkUseCases(ctx: TicketContext) {
  const {
    db,
    dialect,
    clock,
    deps,
    event,
    recordResult,
    afterChange,
    load,
    loadVisible,
    slaReport,
    planEscalation,
    escalateIn,
    claimUploads,
    uploadsData,
    attachUploads,
  } = ctx;

  async function getTicket(caller: Caller, id: string) {
    const row = await loadVisible(db, caller, id);
    const staff = isStaff(caller);
    const events = await store.listEvents(db, id, { publicOnly: !staff });
    const sla = await slaReport(db, row, clock.now());
    return {
      ticket: present(row, caller),
      events: events.map(presentEvent),
      sla: sla
        ? {
            policyId: sla.policyId,
            targets: [...sla.report.targets],
            nextEventAt: sla.report.nextEventAt,
          }
        : null,
    };
  }

  async function list(caller: Caller, q: ListQuery) {
    const staff = isStaff(caller);
    let after: store.ListFilter['after'];
    if (q.cursor) {
      const [c, cid] = q.cursor.split('_');
      if (!c || !cid || !/^\d+$/.test(c)) throw invalid('cursor', 'validation.invalid');
      after = { createdAt: Number(c), id: cid };
    }
    const plan = q.q ? planSearch(q.q) : undefined;
    const filter: store.ListFilter = {
      ...(q.status ? { status: q.status } : {}),
      ...(staff && q.assignee
        ? { assigneeId: q.assignee === 'me' ? caller.userId : q.assignee }
        : {}),
      ...(staff && q.unassigned ? { unassigned: true } : {}),
      ...(staff && q.group ? { groupId: q.group } : {}),
      ...(staff && q.groups ? { groupIds: q.groups } : {}),
      ...(staff ? {} : { requesterId: caller.userId }),
      ...(q.type ? { type: q.type } : {}),
      ...(q.priority ? { priority: q.priority } : {}),
      ...(staff && q.breachingWithinMinutes !== undefined
        ? { dueBefore: clock.now() + q.breachingWithinMinutes * 60_000 }
        : {}),
      ...(plan && plan.terms.length ? { plan } : {}),
      ...(after ? { after } : {}),
      limit: q.limit,
    };
    // A requester's search reads only what they may read (not the index: it holds internal notes).
    const rows =
      !staff && filter.plan
        ? await store.listRequesterMatches(db, dialect, {
            ...filter,
            requesterId: caller.userId,
            plan: filter.plan,
          })
        : await store.listTickets(db, dialect, filter);
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => present(r, caller)),
      nextCursor: rows.length === q.limit && last ? `${last.created_at}_${last.id}` : null,
    };
  }

  async function reply(
    caller: Caller,
    ticketId: string,
    input: unknown,
    mail?: MailIntake,
  ): Promise<EventView> {
    const r = parseTicketInput(replySchema, input);
    const what = r.visibility === 'internal' ? 'note_internal' : 'reply_public';
    // A customer's mail about a merged ticket continues on the ticket it was merged into.
    const id = mail ? await mergeTargetOf(ticketId) : ticketId;
    const evId = await db.transaction().execute(async (trx) => {
      let row = await loadVisible(trx, caller, id);
      if (row.status === 'merged') {
        const into = await collab.findMerge(trx, id);
        const target = into ? await store.findTicket(trx, into.into_id) : undefined;
        throw conflict(
          'ticket_merged',
          'tickets.errors.replyMerged',
          { number: target?.number ?? '' },
          'id',
        );
      }
      // A mail from the customer is their reply; the mail job speaks for them.
      const actor: Actor = mail
        ? { role: 'requester', userId: mail.actorId }
        : actorFor(caller, what, row.requester_id);
      if (!mail && !can(actor, what, row.requester_id))
        throw forbidden('tickets.errors.replyForbidden', { role: actor.role });
      const now = clock.now();
      const customer = actor.role === 'requester';
      const uploads = mail ? [] : await claimUploads(trx, caller.userId, r.attachmentIds);
      const evId = await event(trx, id, {
        kind: 'reply',
        at: now,
        actorId: mail ? mail.actorId : caller.userId,
        actorRole: actor.role,
        visibility: r.visibility,
        body: r.body,
        data: {
          author: customer ? 'customer' : 'agent',
          ...uploadsData(uploads),
          ...(mail?.data as EventData | undefined),
        },
      });
      if (mail) await mail.inTransaction(trx, row, evId!);
      await attachUploads(trx, id, evId!, uploads, r.visibility);
      await store.updateTicket(trx, id, {
        updated_at: now,
        ...(customer ? { last_customer_at: now } : {}),
      });
      row = { ...row, updated_at: now, ...(customer ? { last_customer_at: now } : {}) };
      // The clock only reads events: a customer's answer on a pending ticket resumes the work.
      if (customer && row.status === 'pending_customer')
        row = await recordResult(trx, row, {
          ticket: { ...snapshot(row), status: 'in_progress' },
          event: {
            kind: 'status_changed',
            at: now,
            actorId: null,
            actorRole: 'system',
            action: 'resume',
            from: 'pending_customer',
            to: 'in_progress',
          },
        });
      // A customer who mails back about a resolved ticket has no reopen button: the mail is it.
      else if (mail && row.status === 'resolved')
        row = await recordResult(trx, row, {
          ticket: { ...snapshot(row), status: 'reopened' },
          event: {
            kind: 'status_changed',
            at: now,
            actorId: mail.actorId,
            actorRole: 'requester',
            action: 'reopen',
            from: 'resolved',
            to: 'reopened',
          },
        });
      await recordAudit(trx, caller.audit, now, {
        action: r.visibility === 'internal' ? 'ticket.note' : 'ticket.reply',
        entityType: 'ticket',
        entityId: id,
        after: {
          visibility: r.visibility,
          body: r.body,
          ...(uploads.length ? { attachmentIds: uploads.map((u) => u.id) } : {}),
        },
      });
      await store.reindexTicket(trx, dialect, id);
      if (customer && row.assignee_id)
        await deps.inbox.notify(trx, {
          userIds: [row.assignee_id],
          kind: 'tickets.customer_reply',
          messageKey: 'tickets.notify.customerReply',
          params: { number: row.number },
          link: `/tickets/${id}`,
        });
      await afterChange(trx, row);
      return evId!;
    });
    const ev = (await store.listEvents(db, id, { publicOnly: false })).find((e) => e.id === evId)!;
    return presentEvent(ev);
  }

  /** The ticket a merged ticket ended up in (following merges of merges), or the ticket itself. */
  async function mergeTargetOf(id: string): Promise<string> {
    let current = id;
    for (let i = 0; i < 20; i++) {
      const m = await collab.findMerge(db, current);
      if (!m) break;
      current = m.into_id;
    }
    return current;
  }

  async function transition(caller: Caller, id: string, input: unknown): Promise<TicketView> {
    const s = parseTicketInput(stateChangeSchema, input);
    if (s.assigneeId && (await deps.directory.existingUserIds([s.assigneeId])).length === 0)
      throw invalid('assigneeId', 'tickets.errors.unknownUser', { id: s.assigneeId });
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, caller, id);
      const actor = actorFor(caller, s.action, row.requester_id);
      const result = applyAction(snapshot(row), s.action, actor, {
        at: clock.now(),
        ...(s.assigneeId ? { assigneeId: s.assigneeId } : {}),
        ...(s.note ? { note: s.note } : {}),
      });
      const next = await recordResult(trx, row, result);
      await recordAudit(trx, caller.audit, result.event.at, {
        action: `ticket.${s.action}`,
        entityType: 'ticket',
        entityId: id,
        before: { status: row.status, assigneeId: row.assignee_id },
        after: { status: next.status, assigneeId: next.assignee_id },
      });
      if (s.action === 'assign' && next.assignee_id && next.assignee_id !== caller.userId)
        await deps.inbox.notify(trx, {
          userIds: [next.assignee_id],
          kind: 'tickets.assigned',
          messageKey: 'tickets.notify.assigned',
          params: { number: row.number, title: row.title },
          link: `/tickets/${id}`,
          email: true,
        });
      if (s.action === 'resolve' && row.requester_id)
        await deps.inbox.notify(trx, {
          userIds: [row.requester_id],
          kind: 'tickets.resolved',
          messageKey: 'tickets.notify.resolved',
          params: { number: row.number, title: row.title },
          link: `/portal/tickets/${id}`,
          // In-app only: the requester's mail is the threaded "resolved, please confirm" one.
        });
      await afterChange(trx, next);
    });
    return present(await load(db, id));
  }

  async function escalate(caller: Caller, id: string, input: unknown): Promise<TicketView> {
    const e = parseTicketInput(escalateInputSchema, input);
    if (e.groupId && (await deps.directory.teamZone(e.groupId)) === null)
      throw invalid('groupId', 'tickets.errors.unknownGroup', { id: e.groupId });
    const plan = await planEscalation(await loadVisible(db, caller, id), e.groupId);
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, caller, id);
      const actor = actorFor(caller, 'escalate', row.requester_id);
      const next = await escalateIn(trx, row, actor, caller.audit, e.reason, plan);
      await afterChange(trx, next);
    });
    return present(await load(db, id));
  }

  async function survey(caller: Caller, id: string, input: unknown): Promise<TicketView> {
    const s: SurveyInput = parseTicketInput(surveySchema, input);
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, caller, id);
      const roles = ROLE_ORDER.filter((r) => caller.roles.includes(r));
      const role =
        roles.find((r) => ['service_agent', 'duty_manager', 'admin'].includes(r)) ??
        roles[0] ??
        'requester';
      assertSurveyAllowed(
        {
          status: row.status as TicketStatus,
          requesterId: row.requester_id,
          surveyedAt: row.surveyed_at,
        },
        { role, userId: caller.userId },
      );
      const now = clock.now();
      await store.updateTicket(trx, id, {
        survey_score: s.score,
        survey_comment: s.comment || null,
        surveyed_at: now,
        updated_at: now,
      });
      await event(trx, id, {
        kind: 'survey',
        at: now,
        actorId: caller.userId,
        actorRole: role,
        body: s.comment || null,
        data: { score: s.score },
      });
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.survey',
        entityType: 'ticket',
        entityId: id,
        after: { score: s.score, comment: s.comment ?? null },
      });
    });
    return present(await load(db, id));
  }

  async function callerHistory(prefix: string, limit = 10): Promise<TicketView[]> {
    const name = prefix.trim();
    if (!name) return [];
    const key = callerKey(name);
    return (await store.findByCaller(db, dialect, { key, name }, limit)).map((r) => present(r));
  }

  async function exportCsv(caller: Caller, q: ListQuery, locale: 'zh' | 'en'): Promise<string> {
    const rows: TicketView[] = [];
    let cursor = q.cursor;
    while (rows.length < 10_000) {
      const page = await list(caller, { ...q, limit: 500, ...(cursor ? { cursor } : {}) });
      rows.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const header =
      locale === 'zh'
        ? [
            '工单号',
            '类型',
            '优先级',
            '状态',
            '级别',
            '标题',
            '来电人',
            '联系方式',
            '单位',
            '创建时间',
          ]
        : [
            'Number',
            'Type',
            'Priority',
            'Status',
            'Level',
            'Title',
            'Caller',
            'Contact',
            'Organisation',
            'Created',
          ];
    return toCsv([
      header,
      ...rows.map((t) => [
        t.number,
        t.type,
        t.priority,
        t.status,
        t.level,
        t.title,
        t.callerName,
        t.callerContact,
        t.organisation,
        new Date(t.createdAt).toISOString(),
      ]),
    ]);
  }

  return {
    getTicket,
    list,
    reply,
    transition,
    escalate,
    survey,
    callerHistory,
    exportCsv,
  };
}
