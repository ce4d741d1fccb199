import type { Kysely } from 'kysely';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type JobContext, type JobHandler, enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, SYSTEM_ACTOR, recordAudit } from '../audit/audit.service.js';
import { sanitiseHtml } from '../tickets/sanitise.js';
import {
  type MailRoute,
  addressesIn,
  bareAddress,
  routeForAddress,
  routeForRecipients,
} from './mail-routing.js';
import { pollImap } from './imap-poller.js';
import * as store from './mail.store.js';

/**
 * Inbound mail, whatever carried it (the SMTP listener, the IMAP poller): `receive` stores the raw
 * message and its processing job in one transaction, and only then may the carrier acknowledge it.
 * The job parses the message, routes it by recipient and hands it to the handler the composition
 * root registered for that route (the service desk, alerts). What a handler cannot use is held
 * for an admin, who may reprocess or discard it; nothing is dropped silently.
 */

export const MAIL_PROCESS_JOB = 'mail.process';
export const MAIL_IMAP_POLL_JOB = 'mail.imap_poll';
export const MAIL_PURGE_JOB = 'mail.purge';
const HOUR = 3_600_000;
const KEEP_RAW_MS = 30 * 24 * HOUR;
const MAX_ATTEMPTS = 5;
const MAIL_ACTOR: Actor = { ...SYSTEM_ACTOR, name: 'mail' };

export interface InboundAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly content: Buffer;
  /** Content-ID without brackets, for `cid:` references in the HTML. */
  readonly contentId: string | null;
  readonly inline: boolean;
}

/** A parsed inbound mail as handlers see it. */
export interface InboundMessage {
  readonly id: string;
  readonly receivedAt: number;
  readonly source: 'smtp' | 'imap';
  /** Envelope sender; '' for a bounce's null sender; null when not known (IMAP). */
  readonly envelopeFrom: string | null;
  readonly recipients: readonly string[];
  /** Header values by lower-case name, unfolded; subject and from decoded. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  readonly subject: string;
  readonly messageId: string | null;
  readonly text: string;
  readonly html: string | null;
  readonly attachments: readonly InboundAttachment[];
  readonly sizeBytes: number;
  /** Other mails from the same sender in the hour before this one (loop protection). */
  readonly recentFromSender: number;
}

export type HandlerOutcome =
  | { readonly status: 'done'; readonly summary: Record<string, unknown> }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'held'; readonly reason: string; readonly field: string };

export interface MailHandler {
  handle(message: InboundMessage, route: MailRoute): Promise<HandlerOutcome>;
  /** Whether a recipient of this route exists (asked at RCPT TO, so a typo is refused at once). */
  accepts?(route: MailRoute): Promise<boolean>;
}

export interface MailDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  log: Logger;
  config: Config['mail'];
}

export interface ReceiveInput {
  raw: Buffer;
  source: 'smtp' | 'imap';
  remoteAddress?: string | null;
  envelopeFrom: string | null;
  envelopeTo: readonly string[];
  imapKey?: string;
}

const parseOptions = { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true } as const;

/** Header values by lower-case name, unfolded, from the parser's raw header lines. */
function headerMap(parsed: ParsedMail): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const have = out[key];
    out[key] = have === undefined ? value : Array.isArray(have) ? [...have, value] : [have, value];
  }
  // Encoded words (=?UTF-8?B?…?=) decoded: the threading rules read the subject's ticket number.
  if (parsed.subject !== undefined) out.subject = parsed.subject;
  if (parsed.from?.text) out.from = parsed.from.text;
  return out;
}

const values = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

export function createMailService(deps: MailDeps) {
  const { db, dialect, clock, config } = deps;
  const handlers = new Map<MailRoute['kind'], MailHandler>();

  /** Registers who handles a route (the composition root does, once per route). */
  function handle(kind: MailRoute['kind'], handler: MailHandler): void {
    if (handlers.has(kind)) throw new Error(`mail route ${kind} registered twice`);
    handlers.set(kind, handler);
  }

  /** Whether the listener should take mail for `address` (RCPT TO). */
  async function accepts(address: string): Promise<boolean> {
    const route = routeForAddress(address, config.domains);
    if (!route) return false;
    const handler = handlers.get(route.kind);
    if (!handler) return false;
    return handler.accepts ? handler.accepts(route) : true;
  }

  /**
   * Stores a received message and its processing job in one transaction. When this resolves the
   * message is durable and may be acknowledged. `stored` is false for an IMAP message already
   * stored under the same key.
   */
  async function receive(input: ReceiveInput): Promise<{ id: string; stored: boolean }> {
    const id = newId();
    const now = clock.now();
    const stored = await db.transaction().execute(async (trx) => {
      const inserted = await store.insertInbound(trx, {
        id,
        received_at: now,
        source: input.source,
        remote_address: input.remoteAddress ?? null,
        envelope_from: input.envelopeFrom,
        envelope_to_json: JSON.stringify(input.envelopeTo),
        imap_key: input.imapKey ?? null,
        size_bytes: input.raw.length,
        raw: input.raw,
        from_address: null,
        subject: null,
        message_id: null,
        route: null,
        status: 'received',
        reason: null,
        field: null,
        outcome_json: null,
        error: null,
        runs: 1,
        processed_at: null,
      });
      if (!inserted) return false;
      await enqueueJob(trx, dialect, clock, {
        kind: MAIL_PROCESS_JOB,
        payload: { id },
        idempotencyKey: `${MAIL_PROCESS_JOB}:${id}:1`,
        maxAttempts: MAX_ATTEMPTS,
      });
      await recordAudit(trx, MAIL_ACTOR, now, {
        action: 'mail.receive',
        entityType: 'mail_inbound',
        entityId: id,
        after: {
          source: input.source,
          sizeBytes: input.raw.length,
          envelopeFrom: input.envelopeFrom,
          envelopeTo: input.envelopeTo,
        },
      });
      return true;
    });
    return { id, stored };
  }

  /**
   * Records a message the poller will not download (larger than MAIL_MAX_BYTES): held, without
   * its bytes, so an admin knows it is waiting in the mailbox.
   */
  async function receiveTooLarge(input: {
    imapKey: string;
    sizeBytes: number;
    from: string | null;
    subject: string | null;
  }): Promise<void> {
    const id = newId();
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const inserted = await store.insertInbound(trx, {
        id,
        received_at: now,
        source: 'imap',
        remote_address: null,
        envelope_from: null,
        envelope_to_json: '[]',
        imap_key: input.imapKey,
        size_bytes: input.sizeBytes,
        raw: null,
        from_address: bareAddress(input.from),
        subject: input.subject,
        message_id: null,
        route: null,
        status: 'held',
        reason: 'too_large',
        field: 'size',
        outcome_json: null,
        error: null,
        runs: 1,
        processed_at: now,
      });
      if (inserted)
        await recordAudit(trx, MAIL_ACTOR, now, {
          action: 'mail.hold',
          entityType: 'mail_inbound',
          entityId: id,
          after: { reason: 'too_large', sizeBytes: input.sizeBytes },
        });
    });
  }

  const hasImapKey = (key: string) => store.hasImapKey(db, key);

  async function finish(
    row: store.InboundRow,
    outcome: HandlerOutcome,
    extra: { route?: string | null; error?: string | null } = {},
  ): Promise<void> {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await store.updateInbound(trx, row.id, {
        status: outcome.status,
        reason: outcome.status === 'done' ? null : outcome.reason,
        field: outcome.status === 'held' ? outcome.field : null,
        outcome_json: outcome.status === 'done' ? JSON.stringify(outcome.summary) : null,
        route: extra.route ?? row.route,
        error: extra.error ?? null,
        processed_at: now,
      });
      await recordAudit(trx, MAIL_ACTOR, now, {
        action: `mail.${outcome.status === 'done' ? 'process' : outcome.status === 'held' ? 'hold' : 'ignore'}`,
        entityType: 'mail_inbound',
        entityId: row.id,
        after: outcome,
      });
    });
  }

  function toMessage(row: store.InboundRow, parsed: ParsedMail, recent: number): InboundMessage {
    const headers = headerMap(parsed);
    const from = parsed.from?.value[0];
    const envelopeTo = JSON.parse(row.envelope_to_json) as string[];
    return {
      id: row.id,
      receivedAt: row.received_at,
      source: row.source === 'imap' ? 'imap' : 'smtp',
      envelopeFrom: row.envelope_from,
      recipients:
        envelopeTo.length > 0
          ? envelopeTo
          : addressesIn(
              ['delivered-to', 'x-original-to', 'to', 'cc'].flatMap((h) => values(headers[h])),
            ),
      headers,
      fromAddress: bareAddress(from?.address ?? null),
      fromName: from?.name || null,
      subject: parsed.subject ?? '',
      messageId: parsed.messageId ?? null,
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : null,
      attachments: parsed.attachments.map((a) => ({
        fileName: a.filename ?? 'attachment',
        contentType: a.contentType,
        content: a.content,
        contentId: a.cid ?? (a.contentId ? a.contentId.replace(/^<|>$/g, '') : null),
        inline: a.contentDisposition === 'inline' || a.related === true,
      })),
      sizeBytes: row.size_bytes,
      recentFromSender: recent,
    };
  }

  /** Turns one stored mail into work, once. */
  async function processInbound(id: string): Promise<void> {
    const row = await store.findInbound(db, id);
    if (!row || row.status !== 'received') return;
    if (!row.raw) return finish(row, { status: 'held', reason: 'no_content', field: 'body' });
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(row.raw, parseOptions);
    } catch (err) {
      return finish(
        row,
        { status: 'held', reason: 'unparseable', field: 'body' },
        { error: err instanceof Error ? err.message : String(err) },
      );
    }
    const fromAddress = bareAddress(parsed.from?.value[0]?.address ?? null);
    // Known before the handler runs, so the admin list shows them whatever happens next.
    await store.updateInbound(db, id, {
      from_address: fromAddress,
      subject: parsed.subject?.slice(0, 1000) ?? null,
      message_id: parsed.messageId?.slice(0, 1000) ?? null,
    });
    const recent = fromAddress
      ? await store.countFromSender(db, fromAddress, row.received_at - HOUR, row.received_at, id)
      : 0;
    const message = toMessage(row, parsed, recent);
    // A mailbox polled by IMAP is the desk's own: what is not for an alert address is for the desk.
    const route =
      routeForRecipients(message.recipients, config.domains) ??
      (row.source === 'imap' ? ({ kind: 'desk' } as const) : null);
    if (!route) return finish(row, { status: 'held', reason: 'no_route', field: 'to' });
    const handler = handlers.get(route.kind);
    if (!handler)
      return finish(
        row,
        { status: 'held', reason: 'no_handler', field: 'to' },
        { route: route.kind },
      );
    const outcome = await handler.handle(message, route);
    return finish(row, outcome, { route: route.kind });
  }

  const processJob: JobHandler<{ id: string }> = {
    kind: MAIL_PROCESS_JOB,
    maxAttempts: MAX_ATTEMPTS,
    async run({ id }, ctx: JobContext) {
      try {
        await processInbound(id);
      } catch (err) {
        // On the last try the mail is held with the error rather than lost in a dead job.
        if (ctx.job.attempts < ctx.job.max_attempts) throw err;
        const row = await store.findInbound(db, id);
        if (row?.status === 'received')
          await finish(
            row,
            { status: 'held', reason: 'processing_failed', field: 'body' },
            { error: err instanceof Error ? err.message.slice(0, 2000) : String(err) },
          );
      }
    },
  };

  const purgeJob: JobHandler<unknown> = {
    kind: MAIL_PURGE_JOB,
    maxAttempts: 3,
    async run() {
      await store.purgeRaw(db, clock.now() - KEEP_RAW_MS);
    },
  };

  // ---- administration -----------------------------------------------------------------------

  function summary(r: store.InboundSummaryRow) {
    return {
      id: r.id,
      receivedAt: r.received_at,
      source: r.source,
      remoteAddress: r.remote_address,
      envelopeFrom: r.envelope_from,
      sizeBytes: r.size_bytes,
      from: r.from_address,
      subject: r.subject,
      messageId: r.message_id,
      route: r.route,
      status: r.status,
      reason: r.reason,
      field: r.field,
      outcome: r.outcome_json ? (JSON.parse(r.outcome_json) as Record<string, unknown>) : null,
      error: r.error,
      runs: r.runs,
      processedAt: r.processed_at,
    };
  }

  async function list(q: { status?: string; cursor?: string; limit: number }) {
    let before: { receivedAt: number; id: string } | undefined;
    if (q.cursor) {
      const [at, cid] = q.cursor.split('_');
      if (at && cid && /^\d+$/.test(at)) before = { receivedAt: Number(at), id: cid };
    }
    const rows = await store.listInbound(db, {
      ...(q.status ? { status: q.status } : {}),
      ...(before ? { before } : {}),
      limit: q.limit,
    });
    const last = rows.at(-1);
    return {
      items: rows.map(summary),
      nextCursor: rows.length === q.limit && last ? `${last.received_at}_${last.id}` : null,
    };
  }

  async function load(id: string): Promise<store.InboundRow> {
    const row = await store.findInbound(db, id);
    if (!row) throw notFound('mailInbound', id);
    return row;
  }

  /** One mail for an admin: what it became, and its content rendered safely. */
  async function get(id: string, blockedImageText: string) {
    const row = await load(id);
    let content: {
      headers: Record<string, string | string[]>;
      text: string;
      html: string | null;
      attachments: { fileName: string; contentType: string; sizeBytes: number }[];
    } | null = null;
    if (row.raw) {
      try {
        const parsed = await simpleParser(row.raw, parseOptions);
        const headers = headerMap(parsed);
        content = {
          headers: Object.fromEntries(
            ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'auto-submitted']
              .filter((h) => headers[h] !== undefined)
              .map((h) => [h, headers[h]!]),
          ),
          text: (parsed.text ?? '').slice(0, 100_000),
          html:
            typeof parsed.html === 'string'
              ? sanitiseHtml(parsed.html.slice(0, 500_000), { blockedImageText })
              : null,
          attachments: parsed.attachments.map((a) => ({
            fileName: a.filename ?? 'attachment',
            contentType: a.contentType,
            sizeBytes: a.size,
          })),
        };
      } catch {
        content = null;
      }
    }
    return { ...summary(row), envelopeTo: JSON.parse(row.envelope_to_json) as string[], content };
  }

  /** The message exactly as received (for an admin to download and open elsewhere). */
  async function raw(id: string): Promise<Buffer | null> {
    return (await load(id)).raw;
  }

  const settled = ['held', 'ignored'];

  /** Runs a held or ignored mail through processing again (after a fix or a configuration change). */
  async function reprocess(actor: Actor, id: string) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const row = await store.findInbound(trx, id);
      if (!row) throw notFound('mailInbound', id);
      if (!settled.includes(row.status))
        throw conflict('mail_not_held', 'mail.errors.notHeld', { status: row.status });
      if (!row.raw) throw conflict('mail_no_content', 'mail.errors.noContent', {});
      const runs = row.runs + 1;
      await store.updateInbound(trx, id, {
        status: 'received',
        reason: null,
        field: null,
        error: null,
        outcome_json: null,
        processed_at: null,
        runs,
      });
      await enqueueJob(trx, dialect, clock, {
        kind: MAIL_PROCESS_JOB,
        payload: { id },
        idempotencyKey: `${MAIL_PROCESS_JOB}:${id}:${runs}`,
        maxAttempts: MAX_ATTEMPTS,
      });
      await recordAudit(trx, actor, now, {
        action: 'mail.reprocess',
        entityType: 'mail_inbound',
        entityId: id,
        before: { status: row.status, reason: row.reason },
        after: { status: 'received', runs },
      });
    });
    return summary(await load(id));
  }

  /** Discards a held or ignored mail: its bytes are deleted, the record of it stays. */
  async function discard(actor: Actor, id: string) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const row = await store.findInbound(trx, id);
      if (!row) throw notFound('mailInbound', id);
      if (!settled.includes(row.status))
        throw conflict('mail_not_held', 'mail.errors.notHeld', { status: row.status });
      await store.updateInbound(trx, id, { status: 'discarded', raw: null, processed_at: now });
      await recordAudit(trx, actor, now, {
        action: 'mail.discard',
        entityType: 'mail_inbound',
        entityId: id,
        before: { status: row.status, reason: row.reason },
        after: { status: 'discarded' },
      });
    });
    return summary(await load(id));
  }

  /** Polls the IMAP mailbox once (the periodic job calls this); null when IMAP is not set up. */
  async function pollImapNow() {
    if (!config.imap) return null;
    return pollImap(
      config.imap,
      config.maxBytes,
      { receive, receiveTooLarge, hasImapKey },
      deps.log,
    );
  }

  return {
    handle,
    accepts,
    pollImapNow,
    receive,
    receiveTooLarge,
    hasImapKey,
    processInbound,
    processJob,
    purgeJob,
    list,
    get,
    raw,
    reprocess,
    discard,
  };
}

export type MailService = ReturnType<typeof createMailService>;
