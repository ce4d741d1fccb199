import { createHash } from 'node:crypto';
import type { z } from 'zod';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export interface EventLink {
  href: string;
  text?: string;
}

/** What every intake source is turned into before dedup, grouping and paging see it. */
export interface NormalisedEvent {
  action: EventAction;
  dedupKey: string;
  summary: string;
  source: string;
  severity: Severity;
  details: Record<string, unknown>;
  links: EventLink[];
  /** When the source says the event happened (ms, UTC); the receive time when it does not say. */
  occurredAt: number;
}

export interface IntakeContext {
  /** Receive time (ms). */
  now: number;
  /** A fresh dedup key for sources that send none (PagerDuty generates one the same way). */
  newDedupKey: () => string;
}

/** One reason an event was refused; `path` names the offending field ('' for the whole body). */
export interface IntakeIssue {
  path: string;
  message: string;
}

export type IntakeResult =
  { ok: true; events: NormalisedEvent[] } | { ok: false; issues: IntakeIssue[] };

/** PagerDuty's documented limit for an event body; applied to every source. */
export const MAX_EVENT_BYTES = 512 * 1024;
export const MAX_SUMMARY_CHARS = 1024;
export const MAX_DEDUP_KEY_CHARS = 255;

export function zodIssues(error: z.ZodError): IntakeIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function refused(path: string, message: string): IntakeResult {
  return { ok: false, issues: [{ path, message }] };
}

/**
 * Parses a timestamp as tools send it: RFC 3339, or ISO 8601 with a basic offset
 * (`+0000`, which PagerDuty's own examples use). Returns undefined when unreadable.
 */
export function parseTimestamp(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) return undefined;
  const withColonOffset = v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(' ', 'T');
  const ms = Date.parse(withColonOffset);
  if (Number.isNaN(ms)) return undefined;
  // Tools that send Go's zero time ("0001-01-01T00:00:00Z") mean "not set".
  if (ms <= 0) return undefined;
  return ms;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  page: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  disaster: 'critical',
  high: 'critical',
  p1: 'critical',
  error: 'error',
  err: 'error',
  major: 'error',
  average: 'error',
  p2: 'error',
  warning: 'warning',
  warn: 'warning',
  minor: 'warning',
  p3: 'warning',
  info: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  low: 'info',
  none: 'info',
  'not classified': 'info',
  p4: 'info',
  p5: 'info',
};

/** Maps the severity words monitoring tools use onto our four levels. */
export function mapSeverity(value: string | undefined, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  const word = value.trim().toLowerCase();
  // Own keys only: "__proto__" or "constructor" from a payload must not reach the prototype.
  return Object.hasOwn(SEVERITY_WORDS, word) ? SEVERITY_WORDS[word]! : fallback;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A stable key from a label set, for sources that send no fingerprint. */
export function labelsKey(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
