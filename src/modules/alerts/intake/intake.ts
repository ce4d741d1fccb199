import { normaliseAlertmanager } from './alertmanager.js';
import type { IntakeContext, IntakeResult } from './common.js';
import { normaliseEmail } from './email.js';
import { normaliseGeneric } from './generic.js';
import { normaliseGrafana } from './grafana.js';
import { normalisePagerDuty, pagerDutyAccepted, pagerDutyInvalid } from './pagerduty.js';
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

/**
 * The HTTP answer for an intake request: PagerDuty's own shapes on its endpoint, our error
 * envelope ({code, message, field}) elsewhere. Accepted events answer 202.
 */
export function intakeResponse(
  kind: IntegrationKind,
  result: IntakeResult,
): { status: 202 | 400; body: unknown } {
  if (kind === 'pagerduty') {
    if (!result.ok) return { status: 400, body: pagerDutyInvalid(result.issues) };
    return { status: 202, body: pagerDutyAccepted(result.events[0]?.dedupKey ?? '') };
  }
  if (!result.ok) {
    const first = result.issues[0];
    return {
      status: 400,
      body: {
        code: 'invalid_event',
        message:
          first === undefined ? 'invalid event' : `${first.path || 'body'}: ${first.message}`,
        ...(first?.path ? { field: first.path } : {}),
        issues: result.issues,
      },
    };
  }
  return {
    status: 202,
    body: {
      status: 'accepted',
      events: result.events.length,
      dedupKeys: result.events.map((e) => e.dedupKey),
    },
  };
}
