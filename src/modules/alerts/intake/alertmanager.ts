import { z } from 'zod';
import {
  isHttpUrl,
  labelsKey,
  mapSeverity,
  parseTimestamp,
  truncate,
  MAX_SUMMARY_CHARS,
  zodIssues,
  type EventLink,
  type IntakeContext,
  type IntakeResult,
  type NormalisedEvent,
} from './common.js';

// Alertmanager and Grafana add fields between releases; loose objects keep a new release
// from breaking intake, while the fields we read are still checked.
const labelSet = z.record(z.string(), z.string());

export const alertmanagerAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/** Alertmanager webhook_config payload, version 4. */
export const alertmanagerWebhookSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertmanagerAlertSchema).min(1).max(1000),
});

export type AlertmanagerAlert = z.infer<typeof alertmanagerAlertSchema>;

/** One Alertmanager-style alert (Alertmanager and Grafana share it) as a normalised event. */
export function normaliseLabelledAlert(
  alert: AlertmanagerAlert,
  opts: {
    keyPrefix: string;
    source: string;
    extraLinks: EventLink[];
    extraDetails: Record<string, unknown>;
    now: number;
  },
): NormalisedEvent {
  const name = alert.labels.alertname ?? 'alert';
  const summary =
    alert.annotations.summary ?? alert.annotations.description ?? alert.annotations.message ?? name;
  const instance = alert.labels.instance ?? alert.labels.job ?? alert.labels.service;
  const links: EventLink[] = [];
  if (alert.generatorURL !== undefined && isHttpUrl(alert.generatorURL)) {
    links.push({ href: alert.generatorURL, text: 'Source' });
  }
  const runbook = alert.annotations.runbook_url ?? alert.annotations.runbook;
  if (runbook !== undefined && isHttpUrl(runbook)) links.push({ href: runbook, text: 'Runbook' });
  links.push(...opts.extraLinks);
  const resolved = alert.status === 'resolved';
  return {
    action: resolved ? 'resolve' : 'trigger',
    dedupKey: `${opts.keyPrefix}:${alert.fingerprint ?? labelsKey(alert.labels)}`,
    summary: truncate(
      instance === undefined ? summary : `${summary} (${instance})`,
      MAX_SUMMARY_CHARS,
    ),
    source: instance ?? opts.source,
    severity: mapSeverity(alert.labels.severity ?? alert.labels.priority, 'error'),
    details: { labels: alert.labels, annotations: alert.annotations, ...opts.extraDetails },
    links,
    occurredAt:
      (resolved ? parseTimestamp(alert.endsAt) : parseTimestamp(alert.startsAt)) ?? opts.now,
  };
}

/** One event per alert in the group: each alert has its own lifecycle and dedup key. */
export function normaliseAlertmanager(body: unknown, ctx: IntakeContext): IntakeResult {
  const parsed = alertmanagerWebhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const w = parsed.data;
  return {
    ok: true,
    events: w.alerts.map((a) =>
      normaliseLabelledAlert(a, {
        keyPrefix: 'alertmanager',
        source: w.receiver,
        extraLinks: [],
        extraDetails: { groupKey: w.groupKey, receiver: w.receiver },
        now: ctx.now,
      }),
    ),
  };
}
