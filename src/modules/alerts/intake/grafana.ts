import { z } from 'zod';
import { alertmanagerAlertSchema, normaliseLabelledAlert } from './alertmanager.js';
import {
  isHttpUrl,
  zodIssues,
  type EventLink,
  type IntakeContext,
  type IntakeResult,
} from './common.js';

const labelSet = z.record(z.string(), z.string());

const grafanaAlertSchema = alertmanagerAlertSchema.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  values: z.record(z.string(), z.number().nullable()).nullable().optional(),
  valueString: z.string().optional(),
});

/** Grafana unified alerting webhook contact point (payload version "1"). */
export const grafanaWebhookSchema = z.looseObject({
  receiver: z.string(),
  status: z.enum(['firing', 'resolved']),
  orgId: z.number().int(),
  alerts: z.array(grafanaAlertSchema).min(1).max(1000),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  version: z.string(),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
});

export function normaliseGrafana(body: unknown, ctx: IntakeContext): IntakeResult {
  const parsed = grafanaWebhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const w = parsed.data;
  return {
    ok: true,
    events: w.alerts.map((a) => {
      const extraLinks: EventLink[] = [];
      if (a.dashboardURL !== undefined && isHttpUrl(a.dashboardURL)) {
        extraLinks.push({ href: a.dashboardURL, text: 'Dashboard' });
      }
      if (a.panelURL !== undefined && isHttpUrl(a.panelURL)) {
        extraLinks.push({ href: a.panelURL, text: 'Panel' });
      }
      if (a.silenceURL !== undefined && isHttpUrl(a.silenceURL)) {
        extraLinks.push({ href: a.silenceURL, text: 'Silence' });
      }
      const extraDetails: Record<string, unknown> = { orgId: w.orgId, groupKey: w.groupKey };
      if (a.values !== undefined && a.values !== null) extraDetails.values = a.values;
      if (a.valueString !== undefined && a.valueString !== '')
        extraDetails.valueString = a.valueString;
      return normaliseLabelledAlert(a, {
        keyPrefix: 'grafana',
        source: 'grafana',
        extraLinks,
        extraDetails,
        now: ctx.now,
      });
    }),
  };
}
