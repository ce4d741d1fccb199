import { normaliseAlertmanager } from './alertmanager.js';
import type { IntakeContext, IntakeResult } from './common.js';
import { normaliseEmail } from './email.js';
import { normaliseGeneric } from './generic.js';
import { normaliseGrafana } from './grafana.js';
import { normalisePagerDuty } from './pagerduty.js';
import { normaliseZabbix } from './zabbix.js';

export const INTEGRATION_KINDS = [
  'generic',
  'pagerduty',
  'alertmanager',
  'grafana',
  'zabbix',
  'email',
] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** Validates and normalises a parsed body from an integration of the given kind. */
export function normaliseIntake(
  kind: IntegrationKind,
  body: unknown,
  ctx: IntakeContext,
): IntakeResult {
  switch (kind) {
    case 'generic':
      return normaliseGeneric(body, ctx);
    case 'pagerduty':
      return normalisePagerDuty(body, ctx);
    case 'alertmanager':
      return normaliseAlertmanager(body, ctx);
    case 'grafana':
      return normaliseGrafana(body, ctx);
    case 'zabbix':
      return normaliseZabbix(body, ctx);
    case 'email':
      return normaliseEmail(body, ctx);
  }
}
