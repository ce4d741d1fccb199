/**
 * Deciding what to do with an inbound email: thread it into a ticket, open a new one, ignore it
 * (a loop or an automatic message nobody should answer), or keep it for an admin (malformed).
 *
 * Ticket numbers: `TK-YYYYMMDD-NNNN` — the creation date in the team's zone and a per-day sequence
 * of at least four digits (TK-20261121-0007). Outbound subjects carry it in brackets:
 * "[TK-20261121-0007] 打印机故障". Outbound Message-IDs carry it too,
 * `<tk-20261121-0007.{unique}@{ourDomain}>`, so a reply threads by In-Reply-To even when the
 * subject was rewritten and without a lookup.
 */

export const TICKET_NUMBER_PATTERN = /\bTK-(\d{8})-(\d{4,9})\b/i;

/** Formats a ticket number from its local creation date (YYYY-MM-DD) and the day's sequence. */
export function formatTicketNumber(localDate: string, sequence: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate) || !Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`bad ticket number parts ${localDate} ${sequence}`);
  return `TK-${localDate.replace(/-/g, '')}-${String(sequence).padStart(4, '0')}`;
}

/** The ticket number inside a text (subject, Message-ID), upper-cased, or null. */
export function findTicketNumber(text: string | null | undefined): string | null {
  const m = text ? TICKET_NUMBER_PATTERN.exec(text) : null;
  return m ? `TK-${m[1]}-${m[2]}` : null;
}

/** The Message-ID of an outbound mail about a ticket. */
export function outboundMessageId(ticketNumber: string, unique: string, ourDomain: string): string {
  return `<${ticketNumber.toLowerCase()}.${unique}@${ourDomain.toLowerCase()}>`;
}

/** Strips angle brackets and spaces; Message-IDs compare exactly otherwise. */
export function normaliseMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').trim();
}

/** All Message-IDs in a header value like "<a@x> <b@y>". */
export function parseMessageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed.map(normaliseMessageId);
  return value.split(/\s+/).filter(Boolean).map(normaliseMessageId);
}

export interface InboundMail {
  /** Header names in lower case; repeated headers as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Envelope sender address (Return-Path), '' for a bounce's null sender. */
  readonly envelopeFrom?: string | null;
  readonly sizeBytes: number;
}

export interface ThreadingContext {
  /** The domain of our own Message-IDs. */
  readonly ourDomain: string;
  /** Our own mailbox addresses (the desk's From); mail from them is a loop. */
  readonly ourAddresses: readonly string[];
  /** Resolves a known Message-ID (ours or a thread's) to a ticket number. */
  readonly ticketForMessageId: (messageId: string) => string | null;
  /** True when a ticket with this number exists (a forged number must not thread). */
  readonly ticketExists: (ticketNumber: string) => boolean;
  /** Mails from this sender already received in the last `rateWindowMinutes`. */
  readonly recentFromSender: number;
  readonly maxPerSender: number;
  readonly maxBytes: number;
}

export type InboundDecision =
  | {
      readonly action: 'thread';
      readonly ticketNumber: string;
      readonly via: 'in_reply_to' | 'references' | 'subject';
      /** False for automatic mail: record it, but send nothing back. */
      readonly answer: boolean;
    }
  | { readonly action: 'open'; readonly answer: boolean }
  | { readonly action: 'ignore'; readonly reason: IgnoreReason }
  | { readonly action: 'hold'; readonly reason: 'malformed' | 'too_large'; readonly field: string };

export type IgnoreReason = 'own_message' | 'own_sender' | 'bounce' | 'auto_reply' | 'sender_rate';

function header(mail: InboundMail, name: string): string | null {
  const v = mail.headers[name];
  if (v === undefined) return null;
  return typeof v === 'string' ? v : v.join(' ');
}

/** The bare address in a From header ("张三 <zs@x.cn>" → zs@x.cn), lower-cased, or null. */
export function parseAddress(value: string | null): string | null {
  if (!value) return null;
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>"',;]+@[^\s<>"',;]+)/.exec(value);
  const addr = m?.[1]?.toLowerCase() ?? null;
  return addr && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(addr) ? addr : null;
}

const AUTOMATED_SENDER =
  /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+.-].*)?@/i;
const AUTO_SUBJECT =
  /^(auto(matic)?[ -]?reply|out of (the )?office)\b|^(自动回复|自动答复|不在办公室)/i;

/**
 * Why this mail is an automatic message, or null for a person's mail. Answering any of these risks
 * a mail loop (RFC 3834).
 */
export function automaticKind(mail: InboundMail): 'bounce' | 'auto_reply' | 'bulk' | null {
  const from = parseAddress(header(mail, 'from'));
  const returnPath = header(mail, 'return-path');
  if (mail.envelopeFrom === '' || returnPath?.replace(/\s/g, '') === '<>') return 'bounce';
  if (from && /^(mailer-daemon|postmaster)@/i.test(from)) return 'bounce';
  const contentType = header(mail, 'content-type') ?? '';
  if (/multipart\/report/i.test(contentType) && /delivery-status/i.test(contentType))
    return 'bounce';
  const autoSubmitted = header(mail, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (header(mail, 'x-autoreply') !== null || header(mail, 'x-autorespond') !== null)
    return 'auto_reply';
  if (header(mail, 'x-auto-response-suppress')?.match(/\b(all|oof|autoreply)\b/i))
    return 'auto_reply';
  if (AUTO_SUBJECT.test(header(mail, 'subject')?.trim() ?? '')) return 'auto_reply';
  const precedence = header(mail, 'precedence')?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return 'bulk';
  if (header(mail, 'list-id') !== null || header(mail, 'list-unsubscribe') !== null) return 'bulk';
  if (from && AUTOMATED_SENDER.test(from)) return 'bulk';
  return null;
}

/** Decides what to do with one inbound mail. */
export function decideInbound(mail: InboundMail, ctx: ThreadingContext): InboundDecision {
  if (mail.sizeBytes > ctx.maxBytes) return { action: 'hold', reason: 'too_large', field: 'size' };
  const from = parseAddress(header(mail, 'from'));
  const kind = automaticKind(mail);
  if (kind === 'bounce') return { action: 'ignore', reason: 'bounce' };
  if (!from) return { action: 'hold', reason: 'malformed', field: 'from' };
  const subject = header(mail, 'subject');
  if (subject !== null && subject.length > 2000)
    return { action: 'hold', reason: 'malformed', field: 'subject' };

  const ourDomain = ctx.ourDomain.toLowerCase();
  const ownId = parseMessageIds(header(mail, 'message-id'))[0];
  if (ownId?.toLowerCase().endsWith(`@${ourDomain}`))
    return { action: 'ignore', reason: 'own_message' };
  if (ctx.ourAddresses.some((a) => a.toLowerCase() === from))
    return { action: 'ignore', reason: 'own_sender' };
  if (ctx.recentFromSender >= ctx.maxPerSender) return { action: 'ignore', reason: 'sender_rate' };

  const answer = kind === null;
  const viaIds = (ids: string[], via: 'in_reply_to' | 'references') => {
    // The newest reference is last in References; check newest first.
    for (const id of [...ids].reverse()) {
      const known = ctx.ticketForMessageId(id);
      if (known) return { ticketNumber: known, via };
      if (id.toLowerCase().endsWith(`@${ourDomain}`)) {
        const n = findTicketNumber(id);
        if (n && ctx.ticketExists(n)) return { ticketNumber: n, via };
      }
    }
    return null;
  };
  const match =
    viaIds(parseMessageIds(header(mail, 'in-reply-to')), 'in_reply_to') ??
    viaIds(parseMessageIds(header(mail, 'references')), 'references') ??
    (() => {
      const n = findTicketNumber(subject);
      return n && ctx.ticketExists(n) ? { ticketNumber: n, via: 'subject' as const } : null;
    })();
  if (match) return { action: 'thread', ...match, answer };
  // An out-of-office that matches no ticket is noise; a list or robot mail may still be a report.
  if (kind === 'auto_reply') return { action: 'ignore', reason: 'auto_reply' };
  return { action: 'open', answer };
}
