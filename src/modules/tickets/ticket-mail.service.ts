import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type Locale, t } from '../../i18n/i18n.js';
import { type JobHandler, enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, SYSTEM_ACTOR } from '../audit/audit.service.js';
import type { HandlerOutcome, InboundMessage } from '../mail/mail.service.js';
import { guessLocale } from '../mail/mail-routing.js';
import type { Mailer } from '../../server/mailer.js';
import { attachmentUrl, type AttachmentService } from './ticket-attachment.service.js';
import {
  decideInbound,
  findTicketNumber,
  normaliseMessageId,
  outboundMessageId,
  parseMessageIds,
} from './email-threading.js';
import { newPartOfReply } from './mail-reply-text.js';
import { DEFAULT_PRIORITY_MATRIX, validatePriorityMatrix } from './priority.js';
import { sanitiseHtml } from './sanitise.js';
import * as collab from './ticket-collab.store.js';
import * as mstore from './ticket-mail.store.js';
import type { Caller, TicketsService, TimelineEvent } from './tickets.service.js';
import * as store from './tickets.store.js';

/**
 * The service desk by email. Inbound: a parsed mail from the mail intake is decided by
 * `decideInbound` (open, thread, ignore, hold) and becomes a ticket or a customer reply — once:
 * the inbound mail's id is recorded in the same transaction, so a retried job finds it done.
 * Outbound: public agent replies and the status changes a customer cares about (received,
 * resolved — please confirm, closed) become `tickets.mail_out` jobs written with the event, sent
 * threaded (Message-ID / In-Reply-To / References) in the recipient's language.
 */

export const MAIL_OUT_JOB = 'tickets.mail_out';
export type OutboundKind = 'received' | 'reply' | 'resolved' | 'closed' | 'merged' | 'unmerged';

const MAIL_AUDIT: Actor = { ...SYSTEM_ACTOR, name: 'mail' };
/** The mail job acts as the desk's intake; who wrote is recorded on each event. */
const MAIL_CALLER: Caller = { userId: 'system:mail', roles: ['service_agent'], audit: MAIL_AUDIT };
const MAX_HTML = 200_000;

/** Which customer mail an event calls for, if any. */
export function outboundKind(ev: {
  kind: string;
  visibility: string;
  data: Record<string, unknown>;
}): OutboundKind | null {
  if (ev.kind === 'created') return 'received';
  if (ev.kind === 'reply' && ev.visibility === 'public' && ev.data.author === 'agent')
    return 'reply';
  // Undoing a merge: the requester hears that their ticket goes on on its own (not the mail of
  // the status put back, which went out then).
  if (ev.kind === 'status_changed' && ev.data.action === 'unmerge') return 'unmerged';
  if (
    ev.kind === 'status_changed' &&
    (ev.data.to === 'resolved' || ev.data.to === 'closed' || ev.data.to === 'merged')
  )
    return ev.data.to;
  return null;
}

const isEmail = (v: string | null | undefined): v is string =>
  !!v && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.trim());

/**
 * The `onEvent` hook of the tickets service: writes the mail job of an event in its transaction,
 * when the ticket has someone to mail. Who exactly, and whether to, is decided when it runs.
 */
export function enqueueTicketMail(opts: { dialect: DialectName; clock: Clock; enabled: boolean }) {
  return async (trx: Kysely<DB>, ev: TimelineEvent): Promise<void> => {
    if (!opts.enabled || !outboundKind(ev)) return;
    const ticket = await store.findTicket(trx, ev.ticketId);
    if (
      !ticket ||
      !(ticket.requester_id || ticket.channel === 'email' || isEmail(ticket.caller_contact))
    )
      return;
    await enqueueJob(trx, opts.dialect, opts.clock, {
      kind: MAIL_OUT_JOB,
      payload: { eventId: ev.id },
      idempotencyKey: `${MAIL_OUT_JOB}:${ev.id}`,
      maxAttempts: 8,
    });
  };
}

/** Where tickets opened by mail go: a setting `mailIntake` of the ticket module. */
interface MailIntakeSetting {
  categoryId?: string;
  groupId?: string;
  type?: string;
  impact?: string;
  urgency?: string;
}

export interface TicketMailDeps {
  db: Kysely<DB>;
  clock: Clock;
  tickets: Pick<TicketsService, 'createTicket' | 'reply'>;
  attachments: Pick<AttachmentService, 'stageMail'>;
  mailer: Mailer;
  /** The requester account with this address, when there is one. */
  requesterByEmail(address: string): Promise<string | null>;
  userContact(userId: string): Promise<{ email: string | null; locale: Locale } | null>;
  /** Where an attachment's bytes are on disk (public files of an agent's reply are mailed). */
  attachmentPath?: (storageKey: string) => string;
  config: {
    /** Domain of our Message-IDs. */
    ourDomain: string;
    /** The desk's addresses: never answered (loops), Reply-To of what we send. */
    ourAddresses: readonly string[];
    replyTo: string;
    maxBytes: number;
    maxPerSenderPerHour: number;
    publicUrl: string;
  };
}

const headerText = (v: string | readonly string[] | undefined): string | null =>
  v === undefined ? null : typeof v === 'string' ? v : v.join(' ');

/** Sanitised mail HTML with `cid:` images pointing at the kept attachments. */
function renderHtml(html: string | null, cids: Map<string, string>): string | null {
  if (!html) return null;
  const blocked = `${t('zh', 'tickets.image.blocked')} / ${t('en', 'tickets.image.blocked')}`;
  const safe = sanitiseHtml(html.slice(0, MAX_HTML * 2), { blockedImageText: blocked }).replace(
    /src="cid:([^"]+)"/gi,
    (whole, cid: string) => {
      const id = cids.get(cid.trim().toLowerCase());
      return id ? `src="${attachmentUrl(id)}"` : whole;
    },
  );
  return safe.length <= MAX_HTML ? safe : null;
}

export function createTicketMailService(deps: TicketMailDeps) {
  const { db, clock, config } = deps;

  const done = (
    ticketId: string,
    number: string,
    action: 'open' | 'thread',
    extra: Record<string, unknown> = {},
  ): HandlerOutcome => ({ status: 'done', summary: { ticketId, number, action, ...extra } });

  async function categoryFor(setting: MailIntakeSetting): Promise<string | null> {
    const all = await store.listCategories(db);
    const active = all.filter((c) => c.active === 1);
    if (setting.categoryId && active.some((c) => c.id === setting.categoryId))
      return setting.categoryId;
    return (active.find((c) => c.parent_id === null) ?? active[0])?.id ?? null;
  }

  async function mailData(
    msg: InboundMessage,
    staged: {
      row: {
        id: string;
        content_id: string | null;
        file_name: string;
        content_type: string;
        size_bytes: number;
      };
    }[],
    refused: unknown[],
  ) {
    const cids = new Map<string, string>();
    for (const s of staged)
      if (s.row.content_id) cids.set(s.row.content_id.toLowerCase(), s.row.id);
    return {
      mail: {
        from: msg.fromAddress,
        fromName: msg.fromName,
        subject: msg.subject,
        messageId: msg.messageId,
        html: renderHtml(msg.html, cids),
      },
      attachments: staged.map((s) => ({
        id: s.row.id,
        fileName: s.row.file_name,
        contentType: s.row.content_type,
        sizeBytes: s.row.size_bytes,
        contentId: s.row.content_id,
      })),
      ...(refused.length ? { refusedAttachments: refused } : {}),
    };
  }

  function inboundRow(msg: InboundMessage, ticketId: string, kind: 'opened' | 'reply') {
    return {
      id: newId(),
      ticket_id: ticketId,
      // A mail without a Message-ID still needs a key of its own in the thread.
      message_id: msg.messageId ? normaliseMessageId(msg.messageId) : `inbound.${msg.id}`,
      direction: 'in',
      inbound_id: msg.id,
      event_id: null,
      kind,
      recipient: null,
      status: 'received',
      created_at: clock.now(),
      sent_at: null,
    };
  }

  async function open(msg: InboundMessage, answer: boolean): Promise<HandlerOutcome> {
    const setting = ((await store.getSetting(db, 'mailIntake')) ?? {}) as MailIntakeSetting;
    const categoryId = await categoryFor(setting);
    if (!categoryId) return { status: 'held', reason: 'no_category', field: 'categoryId' };
    const stored = await store.getSetting(db, 'priorityMatrix');
    const matrix = stored === undefined ? DEFAULT_PRIORITY_MATRIX : validatePriorityMatrix(stored);
    const mid = (l: readonly string[]) => l[Math.floor(l.length / 2)]!;
    const groupId =
      setting.groupId ?? ((await store.getSetting(db, 'portalGroupId')) as string | undefined);
    const requesterId = msg.fromAddress ? await deps.requesterByEmail(msg.fromAddress) : null;
    const title = msg.subject.trim().slice(0, 200) || t('zh', 'tickets.mail.noSubject');
    const description = msg.text.trim().slice(0, 20_000) || title;
    const staged = await deps.attachments.stageMail(msg.attachments);
    try {
      const ticket = await deps.tickets.createTicket(
        MAIL_CALLER,
        {
          channel: 'api',
          type: setting.type ?? 'fault',
          categoryId,
          title,
          description,
          impact: setting.impact ?? mid(matrix.impacts),
          urgency: setting.urgency ?? mid(matrix.urgencies),
          ...(groupId ? { groupId } : {}),
          ...(requesterId
            ? { requesterId }
            : {
                callerName: (msg.fromName || msg.fromAddress || '').slice(0, 100),
                callerContact: msg.fromAddress ?? '',
              }),
          dispatch: 'auto',
        },
        {
          actorId: requesterId,
          data: await mailData(msg, staged.staged, staged.refused),
          inTransaction: async (trx, row, eventId) => {
            await mstore.insertMailMessage(trx, inboundRow(msg, row.id, 'opened'));
            await mstore.insertThread(trx, {
              ticket_id: row.id,
              address: msg.fromAddress ?? '',
              name: msg.fromName,
              locale: guessLocale(`${msg.subject}\n${msg.text.slice(0, 2000)}`),
              quiet: answer ? 0 : 1,
              created_at: clock.now(),
            });
            await staged.commit(trx, row.id, eventId);
          },
        },
      );
      return done(ticket.id, ticket.number, 'open', { answer });
    } catch (err) {
      await staged.cleanup();
      if (err instanceof DomainError && err.kind === 'validation')
        return { status: 'held', reason: 'invalid', field: err.field ?? 'body' };
      throw err;
    }
  }

  async function thread(
    msg: InboundMessage,
    ticket: { id: string; number: string; requester_id: string | null },
  ): Promise<HandlerOutcome> {
    const senderAccount = msg.fromAddress ? await deps.requesterByEmail(msg.fromAddress) : null;
    const actorId = senderAccount && senderAccount === ticket.requester_id ? senderAccount : null;
    const body =
      newPartOfReply(msg.text).slice(0, 50_000) ||
      msg.subject.trim().slice(0, 50_000) ||
      t('zh', 'tickets.mail.noBody');
    const staged = await deps.attachments.stageMail(msg.attachments);
    try {
      await deps.tickets.reply(
        MAIL_CALLER,
        ticket.id,
        { body, visibility: 'public' },
        {
          actorId,
          data: await mailData(msg, staged.staged, staged.refused),
          inTransaction: async (trx, row, eventId) => {
            await mstore.insertMailMessage(trx, inboundRow(msg, row.id, 'reply'));
            if (msg.fromAddress && !row.requester_id)
              await mstore.insertThread(trx, {
                ticket_id: row.id,
                address: msg.fromAddress,
                name: msg.fromName,
                locale: guessLocale(`${msg.subject}\n${msg.text.slice(0, 2000)}`),
                quiet: 0,
                created_at: clock.now(),
              });
            await staged.commit(trx, row.id, eventId);
          },
        },
      );
      return done(ticket.id, ticket.number, 'thread');
    } catch (err) {
      await staged.cleanup();
      if (err instanceof DomainError && err.kind === 'validation')
        return { status: 'held', reason: 'invalid', field: err.field ?? 'body' };
      throw err;
    }
  }

  /** The mail intake's handler for mail to the desk. */
  async function handleInbound(msg: InboundMessage): Promise<HandlerOutcome> {
    const already = await mstore.findByInbound(db, msg.id);
    if (already)
      return done(already.ticket_id, already.number, already.kind === 'opened' ? 'open' : 'thread');
    const h = msg.headers;
    const refs = [
      ...parseMessageIds(headerText(h['in-reply-to'])),
      ...parseMessageIds(headerText(h.references)),
    ];
    const known = await mstore.numbersForMessageIds(db, refs);
    const numbers = new Set<string>();
    for (const id of refs) {
      const n = findTicketNumber(id);
      if (n) numbers.add(n);
    }
    const fromSubject = findTicketNumber(msg.subject);
    if (fromSubject) numbers.add(fromSubject);
    for (const n of known.values()) numbers.add(n);
    const tickets = await mstore.ticketsByNumber(db, [...numbers]);
    const decision = decideInbound(
      { headers: h, envelopeFrom: msg.envelopeFrom, sizeBytes: msg.sizeBytes },
      {
        ourDomain: config.ourDomain,
        ourAddresses: config.ourAddresses,
        ticketForMessageId: (id) => known.get(id) ?? null,
        ticketExists: (n) => tickets.has(n),
        recentFromSender: msg.recentFromSender,
        maxPerSender: config.maxPerSenderPerHour,
        maxBytes: config.maxBytes,
      },
    );
    switch (decision.action) {
      case 'ignore':
        return { status: 'ignored', reason: decision.reason };
      case 'hold':
        return { status: 'held', reason: decision.reason, field: decision.field };
      case 'open':
        return open(msg, decision.answer);
      case 'thread': {
        const ticket = tickets.get(decision.ticketNumber);
        if (!ticket) return open(msg, decision.answer);
        return thread(msg, { ...ticket, number: decision.ticketNumber });
      }
    }
  }

  // ---- outbound ----

  async function recipientOf(
    ticket: store.TicketRow,
    thread: mstore.ThreadRow | undefined,
  ): Promise<{ address: string; locale: Locale; portal: boolean } | null> {
    if (ticket.requester_id) {
      const c = await deps.userContact(ticket.requester_id);
      if (c?.email) return { address: c.email.toLowerCase(), locale: c.locale, portal: true };
    }
    if (thread && isEmail(thread.address))
      return {
        address: thread.address,
        locale: thread.locale === 'en' ? 'en' : 'zh',
        portal: false,
      };
    if (isEmail(ticket.caller_contact))
      return { address: ticket.caller_contact.trim().toLowerCase(), locale: 'zh', portal: false };
    return null;
  }

  const mailOutJob: JobHandler<{ eventId: string }> = {
    kind: MAIL_OUT_JOB,
    maxAttempts: 8,
    async run({ eventId }) {
      // Sent (or decided against) once: a retry after the record finds it.
      if (await mstore.findOutbound(db, eventId)) return;
      const ev = await mstore.findEvent(db, eventId);
      if (!ev) return;
      const data = JSON.parse(ev.data_json) as Record<string, unknown>;
      const kind = outboundKind({ kind: ev.kind, visibility: ev.visibility, data });
      const ticket = await store.findTicket(db, ev.ticket_id);
      if (!kind || !ticket) return;
      const thread = await mstore.findThread(db, ticket.id);
      const to = await recipientOf(ticket, thread);
      const messageId = outboundMessageId(
        ticket.number,
        eventId.replace(/-/g, ''),
        config.ourDomain,
      );
      const record = (status: 'sent' | 'skipped') =>
        mstore.insertMailMessage(db, {
          id: newId(),
          ticket_id: ticket.id,
          message_id: normaliseMessageId(messageId),
          direction: 'out',
          inbound_id: null,
          event_id: eventId,
          kind,
          recipient: to?.address ?? null,
          status,
          created_at: clock.now(),
          sent_at: status === 'sent' ? clock.now() : null,
        });
      const ours = (a: string) => config.ourAddresses.some((o) => o.toLowerCase() === a);
      if (
        !to ||
        !deps.mailer.enabled ||
        ours(to.address) ||
        // A ticket opened by automatic mail (lists, robots) gets no automatic answers.
        (kind !== 'reply' && thread?.quiet === 1)
      )
        return record('skipped');
      const history = await mstore.threadHistory(db, ticket.id);
      const lastIn = history.filter((m) => m.direction === 'in').at(-1);
      const parent = lastIn ?? history.at(-1);
      const references = history.slice(-20).map((m) => `<${m.message_id}>`);
      const params = {
        number: ticket.number,
        title: ticket.title,
        body: ev.body ?? '',
        into: typeof data.number === 'string' ? data.number : '',
      };
      const files =
        kind === 'reply' && deps.attachmentPath
          ? (await collab.publicAttachmentsOfEvent(db, eventId)).map((a) => ({
              filename: a.file_name,
              path: deps.attachmentPath!(a.storage_key),
              contentType: a.content_type,
            }))
          : [];
      const lines = [
        t(to.locale, `tickets.mail.body.${kind}`, params),
        '',
        t(to.locale, 'tickets.mail.footer', params),
      ];
      if (to.portal)
        lines.push(
          t(to.locale, 'tickets.mail.portal', {
            url: `${config.publicUrl}/portal/tickets/${ticket.id}`,
          }),
        );
      await deps.mailer.send({
        to: to.address,
        subject: t(to.locale, `tickets.mail.subject.${kind}`, params),
        text: `${lines.join('\n')}\n`,
        messageId,
        ...(files.length ? { attachments: files } : {}),
        headers: {
          'Reply-To': config.replyTo,
          'X-Dutydesk-Ticket': ticket.number,
          ...(parent ? { 'In-Reply-To': `<${parent.message_id}>` } : {}),
          ...(references.length ? { References: references.join(' ') } : {}),
          // RFC 3834: what we send by ourselves is marked, so no auto-responder answers it.
          ...(kind === 'reply' ? {} : { 'Auto-Submitted': 'auto-replied' }),
        },
      });
      await record('sent');
    },
  };

  return { handleInbound, mailOutJob };
}

export type TicketMailService = ReturnType<typeof createTicketMailService>;
