import { z } from 'zod';
import {
  EVENT_ACTIONS,
  MAX_DEDUP_KEY_CHARS,
  MAX_SUMMARY_CHARS,
  SEVERITIES,
  parseTimestamp,
  zodIssues,
  type IntakeContext,
  type IntakeResult,
} from './common.js';

/** Dutydesk's own JSON event format (POST /api/intake/generic/:key). */
export const genericEventSchema = z.strictObject({
  action: z.enum(EVENT_ACTIONS).default('trigger'),
  summary: z.string().trim().min(1).max(MAX_SUMMARY_CHARS).optional(),
  source: z.string().trim().min(1).max(255).optional(),
  severity: z.enum(SEVERITIES).default('error'),
  dedupKey: z.string().trim().min(1).max(MAX_DEDUP_KEY_CHARS).optional(),
  details: z.record(z.string(), z.unknown()).default({}),
  links: z
    .array(z.strictObject({ href: z.httpUrl(), text: z.string().max(255).optional() }))
    .max(20)
    .default([]),
  timestamp: z.string().optional(),
});
export type GenericEvent = z.input<typeof genericEventSchema>;

export function normaliseGeneric(body: unknown, ctx: IntakeContext): IntakeResult {
  const parsed = genericEventSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const e = parsed.data;
  if (e.action === 'trigger' && e.summary === undefined) {
    return { ok: false, issues: [{ path: 'summary', message: 'summary is required to trigger' }] };
  }
  if (e.action !== 'trigger' && e.dedupKey === undefined) {
    return {
      ok: false,
      issues: [{ path: 'dedupKey', message: `dedupKey is required to ${e.action}` }],
    };
  }
  if (e.timestamp !== undefined && parseTimestamp(e.timestamp) === undefined) {
    return { ok: false, issues: [{ path: 'timestamp', message: 'timestamp is not ISO 8601' }] };
  }
  return {
    ok: true,
    events: [
      {
        action: e.action,
        dedupKey: e.dedupKey ?? ctx.newDedupKey(),
        summary: e.summary ?? '',
        source: e.source ?? 'generic',
        severity: e.severity,
        details: e.details,
        links: e.links,
        occurredAt: parseTimestamp(e.timestamp) ?? ctx.now,
      },
    ],
  };
}
