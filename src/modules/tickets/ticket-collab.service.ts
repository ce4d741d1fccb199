import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  type AlertPageSummary,
  type Caller,
  type TicketContext,
  isStaff,
} from './ticket-context.js';
import * as collab from './ticket-collab.store.js';
import { checkMerge } from './ticket-merge.js';
import { type EventView, presentEvent } from './ticket-presenter.js';
import type { TicketStatus } from './ticket-state.js';
import { parseTicketInput } from './tickets.schema.js';
import * as store from './tickets.store.js';

/**
 * Watchers (staff who follow a ticket), merging one ticket into another, and links from a ticket
 * to the alert pages it is about. Requesters see none of it: every use case here is staff-only
 * (the routes' permissions) and the portal's ticket view leaves it out.
 */

const watcherSchema = z.strictObject({ userId: z.string().trim().min(1).max(64) });
const mergeSchema = z.strictObject({
  fromTicketId: z.string().trim().min(1).max(64),
  acrossRequesters: z.boolean().default(false),
});
const alertLinkSchema = z.strictObject({ pageId: z.string().trim().min(1).max(64) });
const watcherMailSchema = z.strictObject({ notifyMail: z.boolean() });

export interface WatcherView {
  userId: string;
  addedBy: string | null;
  createdAt: number;
  /** The watcher's notices also go out by mail (their choice; default on). */
  notifyMail: boolean;
}
export interface AlertLinkView {
  id: string;
  pageId: string;
  createdAt: number;
  /** The page as the alerts module tells it now; null when it no longer exists. */
  page: AlertPageSummary | null;
}

const watcherView = (r: collab.WatcherRow): WatcherView => ({
  userId: r.user_id,
  addedBy: r.added_by,
  createdAt: r.created_at,
  notifyMail: Number(r.notify_mail) !== 0,
});

export function createCollabUseCases(ctx: TicketContext) {
  const { db, dialect, clock, deps, event, loadVisible, load, afterChange, requireStaff } = ctx;

  // ---- watchers ----

  async function listWatchers(caller: Caller, ticketId: string): Promise<WatcherView[]> {
    await loadVisible(db, caller, ticketId);
    return (await collab.listWatchers(db, ticketId)).map(watcherView);
  }

  async function addWatcher(caller: Caller, ticketId: string, input: unknown) {
    const v = parseTicketInput(watcherSchema, input);
    await requireStaff([v.userId], 'userId', false);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await loadVisible(trx, caller, ticketId);
      const added = await collab.addWatchers(trx, ticketId, [v.userId], caller.userId, now);
      if (!added.length)
        throw conflict(
          'watcher_exists',
          'tickets.errors.watcherExists',
          { field: 'userId' },
          'userId',
        );
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.watch',
        entityType: 'ticket',
        entityId: ticketId,
        after: { userId: v.userId },
      });
    });
    return { userId: v.userId, addedBy: caller.userId, createdAt: now, notifyMail: true };
  }

  /**
   * A watcher's choice whether their notices of this ticket also come by mail (in the inbox they
   * always come). Only the watcher decides for themself; anyone else is refused (403).
   */
  async function setWatcherMail(
    caller: Caller,
    ticketId: string,
    userId: string,
    input: unknown,
  ): Promise<WatcherView> {
    const v = parseTicketInput(watcherMailSchema, input);
    if (userId !== caller.userId) throw forbidden('tickets.errors.watcherMailOthers');
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      await loadVisible(trx, caller, ticketId);
      const before = await collab.findWatcher(trx, ticketId, userId);
      if (!before) throw notFound('ticket_watcher', userId);
      await collab.setWatcherMail(trx, ticketId, userId, v.notifyMail);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.watch_mail',
        entityType: 'ticket',
        entityId: ticketId,
        before: { userId, notifyMail: Number(before.notify_mail) !== 0 },
        after: { userId, notifyMail: v.notifyMail },
      });
      return watcherView({ ...before, notify_mail: v.notifyMail ? 1 : 0 });
    });
  }

  async function removeWatcher(caller: Caller, ticketId: string, userId: string) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await loadVisible(trx, caller, ticketId);
      if (!(await collab.removeWatcher(trx, ticketId, userId)))
        throw notFound('ticket_watcher', userId);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.unwatch',
        entityType: 'ticket',
        entityId: ticketId,
        before: { userId },
      });
    });
  }

  // ---- merge ----

  /**
   * Merges ticket `fromTicketId` into `ticketId`: the source is closed as `merged` (kept, readable,
   * linked to the target); its watchers and assignee come to watch the target; its replies and
   * attachments are shown on the target's page. Both timelines say so; the source's requester is
   * told (in-app, and by mail through the `merged` outbound kind).
   */
  async function mergeInto(caller: Caller, ticketId: string, input: unknown) {
    const v = parseTicketInput(mergeSchema, input);
    if (v.fromTicketId === ticketId) throw invalid('fromTicketId', 'tickets.errors.mergeSelf');
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const target = await loadVisible(trx, caller, ticketId);
      const source = await store.findTicket(trx, v.fromTicketId);
      if (!source) throw invalid('fromTicketId', 'validation.invalid');
      const side = (r: store.TicketRow) => ({
        id: r.id,
        number: r.number,
        status: r.status as TicketStatus,
        requesterId: r.requester_id,
        callerKey: r.caller_key,
      });
      const { acrossRequesters } = checkMerge(side(target), side(source), {
        acrossRequesters: v.acrossRequesters,
      });
      const change: MergeChange = {
        action: 'merge',
        sourceTo: { status: 'merged', closedAt: now },
        targetKind: 'merged',
        // Internal on the target when the requesters differ.
        targetVisibility: acrossRequesters ? 'internal' : 'public',
      };
      await markMergeChange(trx, caller, now, target, source, change);
      const followers = [
        ...(await collab.watcherIdsOf(trx, source.id)),
        ...(source.assignee_id && source.assignee_id !== target.assignee_id
          ? [source.assignee_id]
          : []),
      ];
      const moved = await collab.addWatchers(trx, target.id, followers, caller.userId, now);
      // What the undo needs to put back: B's status and closed instant, the watchers A gained.
      await collab.insertMerge(trx, {
        ticket_id: source.id,
        into_id: target.id,
        previous_status: source.status,
        merged_by: caller.userId,
        merged_at: now,
        previous_closed_at: source.closed_at,
        moved_watcher_ids: JSON.stringify(moved),
        undone_at: null,
        undone_by: null,
      });
      // A's search document now carries B's text (and every ticket that A was merged into, A's).
      await finishMergeChange(trx, caller, now, target, source, change, {
        target: {
          action: 'ticket.merge',
          after: { fromTicketId: source.id, fromNumber: source.number, acrossRequesters },
        },
        source: {
          action: 'ticket.merged',
          before: { status: source.status },
          after: { status: 'merged', intoTicketId: target.id, intoNumber: target.number },
        },
      });
    });
    return { ticketId, fromTicketId: v.fromTicketId };
  }

  /** How a merge or its undo changes the source and marks the target. */
  interface MergeChange {
    action: 'merge' | 'unmerge';
    sourceTo: { status: TicketStatus; closedAt: number | null };
    targetKind: 'merged' | 'unmerged';
    targetVisibility: 'internal' | 'public';
  }

  /**
   * The source's new status (a status change on its timeline: stops its SLA clock, tells its
   * watchers, mails its requester) and the target's timeline entry. Written before the target's
   * watchers change, so the watchers a merge moves (or its undo takes away) are not told of it.
   */
  async function markMergeChange(
    trx: Kysely<DB>,
    caller: Caller,
    now: number,
    target: store.TicketRow,
    source: store.TicketRow,
    change: MergeChange,
  ) {
    const { status, closedAt } = change.sourceTo;
    await store.updateTicket(trx, source.id, { status, closed_at: closedAt, updated_at: now });
    await event(trx, source.id, {
      kind: 'status_changed',
      at: now,
      actorId: caller.userId,
      actorRole: 'staff',
      data: {
        action: change.action,
        from: source.status,
        to: status,
        ticketId: target.id,
        number: target.number,
      },
    });
    await event(trx, target.id, {
      kind: change.targetKind,
      at: now,
      actorId: caller.userId,
      actorRole: 'staff',
      visibility: change.targetVisibility,
      data: { ticketId: source.id, number: source.number },
    });
  }

  /**
   * What a merge and its undo both write last: the target's update instant and search document
   * (and those of the tickets it is merged into), one audit entry per ticket, the source
   * requester's in-app notice, and the after-change hooks of both.
   */
  async function finishMergeChange(
    trx: Kysely<DB>,
    caller: Caller,
    now: number,
    target: store.TicketRow,
    source: store.TicketRow,
    change: MergeChange,
    audits: {
      target: { action: string; before?: unknown; after?: unknown };
      source: { action: string; before?: unknown; after?: unknown };
    },
  ) {
    const { status, closedAt } = change.sourceTo;
    await store.updateTicket(trx, target.id, { updated_at: now });
    await reindexUpwards(trx, target.id);
    await recordAudit(trx, caller.audit, now, {
      ...audits.target,
      entityType: 'ticket',
      entityId: target.id,
    });
    await recordAudit(trx, caller.audit, now, {
      ...audits.source,
      entityType: 'ticket',
      entityId: source.id,
    });
    if (source.requester_id)
      await deps.inbox.notify(trx, {
        userIds: [source.requester_id],
        kind: `tickets.${change.targetKind}`,
        messageKey: `tickets.notify.${change.targetKind}`,
        params: { number: source.number, into: target.number },
        link: `/portal/tickets/${source.id}`,
      });
    await afterChange(trx, { ...source, status, closed_at: closedAt, updated_at: now });
    await afterChange(trx, { ...target, updated_at: now });
  }

  /** Rewrites the search document of `ticketId` and of every ticket it is merged into. */
  async function reindexUpwards(trx: Kysely<DB>, ticketId: string) {
    let id: string | undefined = ticketId;
    for (let depth = 0; id && depth < 20; depth++) {
      await store.reindexTicket(trx, dialect, id);
      id = (await collab.findMerge(trx, id))?.into_id;
    }
  }

  /**
   * Undoes the merge of `fromTicketId` into `ticketId`: B gets back the status (and closed
   * instant) it had, A loses the watchers the merge gave it (those still as the merge left them),
   * A's search document loses B's text; both timelines say so, B's requester is told in-app.
   * Refused (409) when B is not merged into A, the merge is already undone, or B's status is no
   * longer `merged` (something else moved it since; putting an old status back would undo that).
   */
  async function undoMerge(caller: Caller, ticketId: string, fromTicketId: string) {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const target = await loadVisible(trx, caller, ticketId);
      const source = await store.findTicket(trx, fromTicketId);
      if (!source) throw notFound('ticket', fromTicketId);
      const m = await collab.findMergeRecord(trx, source.id);
      if (!m || m.into_id !== target.id)
        throw conflict(
          'merge_not_found',
          'tickets.errors.unmergeNotMerged',
          { number: source.number, into: target.number, field: 'fromTicketId' },
          'fromTicketId',
        );
      if (m.undone_at !== null)
        throw conflict(
          'merge_undone',
          'tickets.errors.unmergeAlreadyUndone',
          { number: source.number, into: target.number, field: 'fromTicketId' },
          'fromTicketId',
        );
      if (source.status !== 'merged')
        throw conflict(
          'merge_source_changed',
          'tickets.errors.unmergeSourceChanged',
          { number: source.number, status: source.status, field: 'fromTicketId' },
          'fromTicketId',
        );
      const restored = m.previous_status as TicketStatus;
      await collab.markMergeUndone(trx, source.id, caller.userId, now);
      const closedAt = restored === 'closed' ? (m.previous_closed_at ?? source.closed_at) : null;
      const change: MergeChange = {
        action: 'unmerge',
        sourceTo: { status: restored, closedAt },
        targetKind: 'unmerged',
        targetVisibility: 'internal',
      };
      const removed = await collab.removeMergedWatchers(
        trx,
        target.id,
        m.moved_watcher_ids === null ? null : (JSON.parse(m.moved_watcher_ids) as string[]),
        m.merged_by,
        m.merged_at,
      );
      await markMergeChange(trx, caller, now, target, source, change);
      await finishMergeChange(trx, caller, now, target, source, change, {
        target: {
          action: 'ticket.unmerge',
          before: { fromTicketId: source.id, fromNumber: source.number, watchersRemoved: removed },
        },
        source: {
          action: 'ticket.unmerged',
          before: { status: 'merged', intoTicketId: target.id, intoNumber: target.number },
          after: { status: restored },
        },
      });
      return {
        ticketId: target.id,
        fromTicketId: source.id,
        status: restored,
        watchersRemoved: removed,
      };
    });
  }

  /** Tickets merged into this one (for its page), and the one it was merged into, if any. */
  async function mergeInfo(q: Kysely<DB>, ticketId: string) {
    const merged = await collab.mergedInto(q, ticketId);
    const into = await collab.findMerge(q, ticketId);
    const numbers = new Map<string, string>();
    for (const id of [...merged.map((m) => m.ticket_id), ...(into ? [into.into_id] : [])]) {
      const r = await store.findTicket(q, id);
      if (r) numbers.set(id, r.number);
    }
    return {
      mergedFrom: merged.map((m) => ({
        ticketId: m.ticket_id,
        number: numbers.get(m.ticket_id) ?? '',
        mergedAt: m.merged_at,
        // The ticket it was merged into (this one, or one merged into this one): undo goes there.
        intoId: m.into_id,
      })),
      mergedInto: into
        ? {
            ticketId: into.into_id,
            number: numbers.get(into.into_id) ?? '',
            mergedAt: into.merged_at,
          }
        : null,
    };
  }

  /**
   * The ticket's collaboration panel for staff: watchers, merges and the timeline entries of the
   * tickets merged into it (each marked with the ticket it came from).
   */
  async function getCollab(caller: Caller, ticketId: string) {
    await loadVisible(db, caller, ticketId);
    const info = await mergeInfo(db, ticketId);
    const mergedEvents: (EventView & { fromNumber: string })[] = [];
    for (const m of info.mergedFrom) {
      const evs = await store.listEvents(db, m.ticketId, { publicOnly: !isStaff(caller) });
      mergedEvents.push(...evs.map((e) => ({ ...presentEvent(e), fromNumber: m.number })));
    }
    mergedEvents.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    return {
      watchers: (await collab.listWatchers(db, ticketId)).map(watcherView),
      ...info,
      mergedEvents,
    };
  }

  // ---- links to alert pages ----

  async function pageOrNull(pageId: string): Promise<AlertPageSummary | null> {
    return deps.alertPages ? deps.alertPages.page(pageId) : null;
  }

  async function listAlertLinks(caller: Caller, ticketId: string): Promise<AlertLinkView[]> {
    await loadVisible(db, caller, ticketId);
    const rows = await collab.listAlertLinks(db, ticketId);
    const out: AlertLinkView[] = [];
    for (const r of rows)
      out.push({
        id: r.id,
        pageId: r.page_id,
        createdAt: r.created_at,
        page: await pageOrNull(r.page_id),
      });
    return out;
  }

  /** Refuses a page the alerts module does not know, naming `field`. Asked before a transaction. */
  async function requirePage(pageId: string, field: string): Promise<AlertPageSummary> {
    const page = await pageOrNull(pageId);
    if (!page) throw invalid(field, 'tickets.errors.alertPageUnknown', { id: pageId });
    return page;
  }

  /** Links inside an open transaction (also used by create with `alertPageId`). */
  async function linkPageIn(
    trx: Kysely<DB>,
    caller: Caller,
    ticketId: string,
    page: AlertPageSummary,
    field: string,
  ): Promise<collab.AlertLinkRow> {
    if (await collab.findAlertLink(trx, ticketId, { pageId: page.id }))
      throw conflict('alert_link_exists', 'tickets.errors.alertLinkExists', { field }, field);
    const now = clock.now();
    const row: collab.AlertLinkRow = {
      id: newId(),
      ticket_id: ticketId,
      page_id: page.id,
      created_by: caller.userId,
      created_at: now,
    };
    await collab.insertAlertLink(trx, row);
    await event(trx, ticketId, {
      kind: 'alert_linked',
      at: now,
      actorId: caller.userId,
      actorRole: 'staff',
      visibility: 'internal',
      body: page.summary,
      data: { pageId: page.id },
    });
    await recordAudit(trx, caller.audit, now, {
      action: 'ticket.alert_link',
      entityType: 'ticket',
      entityId: ticketId,
      after: { id: row.id, pageId: page.id },
    });
    return row;
  }

  async function createAlertLink(caller: Caller, ticketId: string, input: unknown) {
    const v = parseTicketInput(alertLinkSchema, input);
    const page = await requirePage(v.pageId, 'pageId');
    const row = await db.transaction().execute(async (trx) => {
      await loadVisible(trx, caller, ticketId);
      const row = await linkPageIn(trx, caller, ticketId, page, 'pageId');
      await deps.publish?.(ticketId, trx);
      return row;
    });
    return { id: row.id, pageId: row.page_id, createdAt: row.created_at, page };
  }

  async function deleteAlertLink(caller: Caller, ticketId: string, linkId: string) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await loadVisible(trx, caller, ticketId);
      const before = await collab.findAlertLink(trx, ticketId, { id: linkId });
      if (!before) throw notFound('ticket_alert_link', linkId);
      await collab.deleteAlertLink(trx, linkId);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket.alert_unlink',
        entityType: 'ticket',
        entityId: ticketId,
        before,
      });
      await deps.publish?.(ticketId, trx);
    });
  }

  /** Tickets about an alert page (for the alerts module's page view). */
  async function ticketsForAlertPage(pageId: string) {
    const ids = await collab.ticketIdsForPage(db, pageId);
    const out: { id: string; number: string; status: string; title: string }[] = [];
    for (const id of ids) {
      const r = await load(db, id);
      out.push({ id: r.id, number: r.number, status: r.status, title: r.title });
    }
    return out;
  }

  return {
    listWatchers,
    addWatcher,
    removeWatcher,
    setWatcherMail,
    mergeInto,
    undoMerge,
    getCollab,
    listAlertLinks,
    createAlertLink,
    deleteAlertLink,
    ticketsForAlertPage,
    requireAlertPage: requirePage,
    linkAlertPageIn: linkPageIn,
  };
}
