import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { DB } from '../../db/schema.js';
import { forbidden, invalid } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { formatTicketNumber } from './email-threading.js';
import { priorityFor } from './priority.js';
import {
  type AlertPageSummary,
  type Caller,
  type EventData,
  type MailIntake,
  type TicketContext,
  actorFor,
  isStaff,
} from './ticket-context.js';
import { type TicketView, callerKey, present } from './ticket-presenter.js';
import { can } from './ticket-state.js';
import {
  apiTicketCreateSchema,
  parseTicketInput,
  phoneCreateSchema,
  portalTicketCreateSchema,
  requireCategory,
} from './tickets.schema.js';
import * as collab from './ticket-collab.store.js';
import * as store from './tickets.store.js';

/** Intake: a ticket from the phone form, the portal or the API, numbered, indexed and dispatched. */
/** What intake borrows from the collaboration use cases: linking the alert page it came from. */
export interface IntakeLinks {
  requireAlertPage(pageId: string, field: string): Promise<AlertPageSummary>;
  linkAlertPageIn(
    trx: Kysely<DB>,
    caller: Caller,
    ticketId: string,
    page: AlertPageSummary,
    field: string,
  ): Promise<unknown>;
}

export function createIntakeUseCases(ctx: TicketContext, links?: IntakeLinks) {
  const {
    db,
    dialect,
    clock,
    deps,
    matrix,
    zoneOf,
    onDutyFor,
    event,
    dispatch,
    afterChange,
    load,
    claimUploads,
    uploadsData,
    attachUploads,
    requireStaff,
  } = ctx;
  const { addWatchers } = collab;

  async function createTicket(
    caller: Caller,
    input: unknown,
    mail?: MailIntake,
  ): Promise<TicketView> {
    const channel = (input as { channel?: unknown } | null)?.channel;
    const now = clock.now();
    const m = await matrix();
    let fields: {
      type: string;
      categoryId: string;
      title: string;
      description: string;
      impact: string;
      urgency: string;
      tags: string[];
      groupId: string | null;
      requesterId: string | null;
      callerName: string | null;
      callerContact: string | null;
      organisation: string | null;
      dispatch: 'auto' | 'queue';
      attachmentIds?: string[] | undefined;
      watcherIds?: string[] | undefined;
      alertPageId?: string | undefined;
    };
    if (!isStaff(caller)) {
      const p = parseTicketInput(portalTicketCreateSchema, input);
      const mid = (l: readonly string[]) => l[Math.floor(l.length / 2)]!;
      fields = {
        ...p,
        impact: p.impact ?? mid(m.impacts),
        urgency: p.urgency ?? mid(m.urgencies),
        tags: p.tags ?? [],
        groupId: ((await store.getSetting(db, 'portalGroupId')) as string | undefined) ?? null,
        requesterId: caller.userId,
        callerName: null,
        callerContact: null,
        organisation: null,
        dispatch: 'auto',
      };
    } else if (channel === 'api') {
      const p = parseTicketInput(apiTicketCreateSchema, input);
      fields = {
        ...p,
        tags: p.tags ?? [],
        groupId: p.groupId ?? null,
        requesterId: p.requesterId ?? null,
        callerName: p.callerName ?? null,
        callerContact: p.callerContact ?? null,
        organisation: p.organisation ?? null,
        dispatch: p.dispatch ?? 'auto',
      };
    } else {
      const p = parseTicketInput(phoneCreateSchema, input);
      fields = {
        ...p,
        tags: p.tags ?? [],
        groupId: p.groupId ?? null,
        requesterId: null,
        callerName: p.callerName,
        callerContact: p.callerContact,
        organisation: p.organisation ?? null,
        dispatch: p.dispatch ?? 'auto',
      };
    }
    const actor = actorFor(caller, 'create', fields.requesterId);
    if (!can(actor, 'create', fields.requesterId)) throw forbidden();
    requireCategory(
      fields.categoryId,
      (await store.listCategories(db)).map((c) => ({
        id: c.id,
        parentId: c.parent_id,
        active: c.active === 1,
      })),
    );
    const priority = priorityFor(m, fields.impact, fields.urgency);
    if (fields.groupId && (await deps.directory.teamZone(fields.groupId)) === null)
      throw invalid('groupId', 'tickets.errors.unknownGroup', { id: fields.groupId });
    if (
      fields.requesterId &&
      (await deps.directory.existingUserIds([fields.requesterId])).length === 0
    )
      throw invalid('requesterId', 'tickets.errors.unknownUser', { id: fields.requesterId });
    await requireStaff(fields.watcherIds ?? [], 'watcherIds');
    const alertPage =
      fields.alertPageId && links
        ? await links.requireAlertPage(fields.alertPageId, 'alertPageId')
        : null;
    const zone = await zoneOf(fields.groupId);
    const day = DateTime.fromMillis(now, { zone }).toISODate()!;
    const onDuty = fields.dispatch === 'auto' ? await onDutyFor(fields.groupId) : [];

    const row = await db.transaction().execute(async (trx) => {
      const number = formatTicketNumber(day, await store.nextSequence(trx, day));
      let row: store.TicketRow = {
        id: newId(),
        number,
        type: fields.type,
        channel: mail
          ? 'email'
          : isStaff(caller)
            ? channel === 'api'
              ? 'api'
              : 'phone'
            : 'portal',
        category_id: fields.categoryId,
        title: fields.title,
        description: fields.description,
        impact: fields.impact,
        urgency: fields.urgency,
        priority,
        status: 'new',
        level: 'line1',
        requester_id: fields.requesterId,
        caller_name: fields.callerName,
        caller_contact: fields.callerContact,
        caller_key: fields.callerContact ? callerKey(fields.callerContact) : null,
        organisation: fields.organisation,
        assignee_id: null,
        group_id: fields.groupId,
        tags_json: JSON.stringify(fields.tags),
        sla_policy_id: null,
        sla_next_at: null,
        sla_due_at: null,
        sla_breached: 0,
        created_by: mail ? mail.actorId : caller.userId,
        created_at: now,
        updated_at: now,
        resolved_at: null,
        closed_at: null,
        last_customer_at: null,
        survey_score: null,
        survey_comment: null,
        surveyed_at: null,
      };
      await store.insertTicket(trx, row);
      const uploads = mail ? [] : await claimUploads(trx, caller.userId, fields.attachmentIds);
      const createdId = await event(trx, row.id, {
        kind: 'created',
        at: now,
        actorId: mail ? mail.actorId : caller.userId,
        actorRole: mail ? 'requester' : actor.role,
        data: { to: 'new', ...uploadsData(uploads), ...(mail?.data as EventData | undefined) },
      });
      if (mail) await mail.inTransaction(trx, row, createdId!);
      await attachUploads(trx, row.id, createdId!, uploads, 'public');
      if (alertPage) await links!.linkAlertPageIn(trx, caller, row.id, alertPage, 'alertPageId');
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.create',
        entityType: 'ticket',
        entityId: row.id,
        after: {
          ...row,
          ...(uploads.length ? { attachmentIds: uploads.map((u) => u.id) } : {}),
          ...(fields.watcherIds?.length ? { watcherIds: fields.watcherIds } : {}),
          ...(alertPage ? { alertPageId: alertPage.id } : {}),
        },
      });
      await store.reindexTicket(trx, dialect, row.id);
      if (fields.dispatch === 'auto') row = await dispatch(trx, row, onDuty);
      // Watchers named on create follow from here on (the dispatch above is not news to them).
      if (fields.watcherIds?.length)
        await addWatchers(trx, row.id, fields.watcherIds, caller.userId, now);
      await afterChange(trx, row);
      return row;
    });
    return present(await load(db, row.id));
  }

  return {
    createTicket,
  };
}
