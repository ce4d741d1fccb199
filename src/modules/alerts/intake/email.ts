import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  MAX_SUMMARY_CHARS,
  truncate,
  zodIssues,
  type IntakeContext,
  type IntakeResult,
} from './common.js';

/** An inbound email already parsed from MIME by the mail receiver. */
export const inboundEmailSchema = z.strictObject({
  from: z.string().min(1),
  subject: z.string(),
  text: z
    .string()
    .max(256 * 1024)
    .default(''),
  messageId: z.string().optional(),
  receivedAt: z.number().int().nonnegative().optional(),
});
export type InboundEmail = z.input<typeof inboundEmailSchema>;

const RESOLVE_MARKERS = /^\s*(\[?(resolved|recovered|recovery|ok)\]?:?|【?恢复】?:?|已恢复:?)\s*/i;
const REPLY_PREFIX = /^\s*((re|fw|fwd|回复|转发)\s*[:：]\s*)+/i;

/** Strips reply prefixes and recovery markers so a recovery mail finds its problem mail. */
export function emailDedupSubject(subject: string): string {
  let s = subject.replace(REPLY_PREFIX, '');
  s = s.replace(RESOLVE_MARKERS, '');
  s = s.replace(/^\s*(\[?(problem|firing|alert)\]?:?|【?告警】?:?)\s*/i, '');
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * An email becomes a trigger keyed by its subject; a subject marked RESOLVED/OK/恢复 resolves
 * the alert with the same subject.
 */
export function normaliseEmail(body: unknown, ctx: IntakeContext): IntakeResult {
  const parsed = inboundEmailSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const m = parsed.data;
  const core = emailDedupSubject(m.subject);
  if (core === '') return { ok: false, issues: [{ path: 'subject', message: 'subject is empty' }] };
  const resolve = RESOLVE_MARKERS.test(m.subject.replace(REPLY_PREFIX, ''));
  const details: Record<string, unknown> = { from: m.from, body: truncate(m.text, 16 * 1024) };
  if (m.messageId !== undefined) details.messageId = m.messageId;
  return {
    ok: true,
    events: [
      {
        action: resolve ? 'resolve' : 'trigger',
        dedupKey: `email:${createHash('sha256').update(core).digest('hex').slice(0, 32)}`,
        summary: truncate(m.subject.trim(), MAX_SUMMARY_CHARS),
        source: m.from,
        severity: 'error',
        details,
        links: [],
        occurredAt: m.receivedAt ?? ctx.now,
      },
    ],
  };
}
