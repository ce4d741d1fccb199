import { z } from 'zod';
import {
  MAX_DEDUP_KEY_CHARS,
  MAX_SUMMARY_CHARS,
  parseTimestamp,
  type IntakeContext,
  type IntakeIssue,
  type IntakeResult,
} from './common.js';

/**
 * PagerDuty Events API v2 (POST /v2/enqueue). Field set and limits follow PagerDuty's
 * documentation so that existing integrations (Alertmanager's pagerduty_config, Grafana's
 * PagerDuty contact point, pdagent) can point at Dutydesk unchanged.
 */
const pdPayload = z.strictObject({
  summary: z.string().min(1).max(MAX_SUMMARY_CHARS),
  source: z.string().min(1).max(255),
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  timestamp: z.string().optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.unknown().optional(),
});

export const pagerDutyEventSchema = z.strictObject({
  routing_key: z.string(),
  event_action: z.string(),
  dedup_key: z.string().max(MAX_DEDUP_KEY_CHARS).optional(),
  payload: z.unknown().optional(),
  client: z.string().optional(),
  client_url: z.string().optional(),
  links: z.array(z.looseObject({ href: z.string(), text: z.string().optional() })).optional(),
  images: z
    .array(
      z.looseObject({ src: z.string(), href: z.string().optional(), alt: z.string().optional() }),
    )
    .optional(),
});

export const PAGERDUTY_ROUTING_KEY_LENGTH = 32;

/** The 202 body PagerDuty returns for an accepted event. */
export function pagerDutyAccepted(dedupKey: string) {
  return { status: 'success', message: 'Event processed', dedup_key: dedupKey } as const;
}

/** The 400 body PagerDuty returns for an invalid event. */
export function pagerDutyInvalid(issues: IntakeIssue[]) {
  return {
    status: 'invalid event',
    message: 'Event object is invalid',
    errors: issues.map((i) =>
      i.path === '' || i.message.includes(`'${i.path}'`) ? i.message : `'${i.path}' ${i.message}`,
    ),
  } as const;
}

/** PagerDuty answers 400 "Invalid routing key" for a well-formed key it does not know. */
export function pagerDutyUnknownRoutingKey() {
  return pagerDutyInvalid([{ path: '', message: 'Invalid routing key' }]);
}

/** The 429 body PagerDuty sends when a service's events arrive too quickly. */
export function pagerDutyThrottled() {
  return {
    status: 'throttle event',
    message: 'Requests for this service are arriving too quickly.  Please retry later.',
  } as const;
}

/** Extracts the routing key before validation, so the route can authenticate first. */
export function pagerDutyRoutingKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const key = (body as Record<string, unknown>).routing_key;
  return typeof key === 'string' ? key : undefined;
}

export function normalisePagerDuty(body: unknown, ctx: IntakeContext): IntakeResult {
  const parsed = pagerDutyEventSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message:
          i.code === 'invalid_type' && i.input === undefined ? 'is missing or blank' : i.message,
      })),
    };
  }
  const e = parsed.data;
  // PagerDuty's own wording, both checks reported together as PagerDuty does.
  const keyIssues: IntakeIssue[] = [];
  if (e.routing_key.length !== PAGERDUTY_ROUTING_KEY_LENGTH) {
    keyIssues.push({
      path: 'routing_key',
      message: "Length of 'routing_key' is incorrect (should be 32 characters)",
    });
  }
  if (!/^[A-Za-z0-9]*$/.test(e.routing_key)) {
    keyIssues.push({
      path: 'routing_key',
      message: "'routing_key' cannot contain non-alphanumeric characters.",
    });
  }
  if (keyIssues.length > 0) return { ok: false, issues: keyIssues };
  if (
    e.event_action !== 'trigger' &&
    e.event_action !== 'acknowledge' &&
    e.event_action !== 'resolve'
  ) {
    return {
      ok: false,
      issues: [
        { path: 'event_action', message: 'is invalid (expected trigger, acknowledge or resolve)' },
      ],
    };
  }
  const links = (e.links ?? [])
    .filter((l) => /^https?:\/\//i.test(l.href))
    .map((l) => (l.text === undefined ? { href: l.href } : { href: l.href, text: l.text }));
  if (e.event_action !== 'trigger') {
    if (e.dedup_key === undefined || e.dedup_key.trim() === '') {
      return { ok: false, issues: [{ path: 'dedup_key', message: 'is missing or blank' }] };
    }
    return {
      ok: true,
      events: [
        {
          action: e.event_action,
          dedupKey: e.dedup_key,
          summary: '',
          source: 'pagerduty',
          severity: 'info',
          details: {},
          links,
          occurredAt: ctx.now,
        },
      ],
    };
  }
  const payload = pdPayload.safeParse(e.payload);
  if (!payload.success) {
    return {
      ok: false,
      issues: payload.error.issues.map((i) => ({
        path: ['payload', ...i.path.map(String)].join('.'),
        message:
          i.code === 'invalid_type' && i.input === undefined ? 'is missing or blank' : i.message,
      })),
    };
  }
  const p = payload.data;
  const occurredAt = parseTimestamp(p.timestamp);
  if (p.timestamp !== undefined && occurredAt === undefined) {
    return {
      ok: false,
      issues: [{ path: 'payload.timestamp', message: 'is not a valid ISO 8601 timestamp' }],
    };
  }
  const details: Record<string, unknown> = {};
  if (p.custom_details !== undefined) details.custom_details = p.custom_details;
  if (p.component !== undefined) details.component = p.component;
  if (p.group !== undefined) details.group = p.group;
  if (p.class !== undefined) details.class = p.class;
  if (e.client !== undefined) details.client = e.client;
  if (e.images !== undefined) details.images = e.images;
  if (e.client_url !== undefined && /^https?:\/\//i.test(e.client_url)) {
    links.unshift(
      e.client === undefined ? { href: e.client_url } : { href: e.client_url, text: e.client },
    );
  }
  return {
    ok: true,
    events: [
      {
        action: 'trigger',
        dedupKey: e.dedup_key !== undefined && e.dedup_key !== '' ? e.dedup_key : ctx.newDedupKey(),
        summary: p.summary,
        source: p.source,
        severity: p.severity,
        details,
        links,
        occurredAt: occurredAt ?? ctx.now,
      },
    ],
  };
}
