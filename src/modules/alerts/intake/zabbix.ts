import { z } from 'zod';
import {
  MAX_SUMMARY_CHARS,
  isHttpUrl,
  truncate,
  zodIssues,
  type EventLink,
  type IntakeContext,
  type IntakeResult,
  type Severity,
} from './common.js';

// A macro Zabbix could not expand arrives literally ("{EVENT.RECOVERY.DATE}"): treat as unset.
const macroValue = z
  .string()
  .transform((v) => (/^\{[A-Z0-9_.$#]+\}$/.test(v.trim()) ? undefined : v.trim() || undefined));

/**
 * The JSON the Dutydesk Zabbix media type script posts (see ZABBIX_MEDIA_SCRIPT). Every value
 * is a string because Zabbix passes macro expansions as strings.
 */
export const zabbixWebhookSchema = z.strictObject({
  event_id: z.string().regex(/^\d+$/),
  event_name: macroValue,
  event_nseverity: macroValue,
  event_severity: macroValue,
  event_value: z.enum(['0', '1']),
  event_update_status: macroValue.optional(),
  event_update_action: macroValue.optional(),
  event_date: macroValue.optional(),
  event_time: macroValue.optional(),
  event_tags: macroValue.optional(),
  host_name: macroValue.optional(),
  host_ip: macroValue.optional(),
  trigger_id: macroValue.optional(),
  trigger_description: macroValue.optional(),
  alert_message: macroValue.optional(),
  zabbix_url: macroValue.optional(),
});

const NSEVERITY: Record<string, Severity> = {
  '0': 'info',
  '1': 'info',
  '2': 'warning',
  '3': 'warning',
  '4': 'error',
  '5': 'critical',
};

/**
 * Zabbix: a problem event triggers; the recovery event carries the problem's {EVENT.ID} and
 * resolves it; an update whose action says "acknowledged" acknowledges.
 */
export function normaliseZabbix(body: unknown, ctx: IntakeContext): IntakeResult {
  const parsed = zabbixWebhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const e = parsed.data;
  const isUpdate = e.event_update_status === '1';
  const acked =
    isUpdate &&
    /acknowledged/i.test(e.event_update_action ?? '') &&
    !/unacknowledged/i.test(e.event_update_action ?? '');
  if (isUpdate && !acked && e.event_value === '1') {
    // Comments and severity changes are not state changes: refuse nothing, page nothing.
    return { ok: true, events: [] };
  }
  const links: EventLink[] = [];
  if (e.zabbix_url !== undefined && isHttpUrl(e.zabbix_url)) {
    const base = e.zabbix_url.replace(/\/+$/, '');
    const trigger =
      e.trigger_id === undefined ? '' : `&triggerid=${encodeURIComponent(e.trigger_id)}`;
    links.push({ href: `${base}/tr_events.php?eventid=${e.event_id}${trigger}`, text: 'Zabbix' });
  }
  let tags: unknown;
  if (e.event_tags !== undefined) {
    try {
      tags = JSON.parse(e.event_tags) as unknown;
    } catch {
      tags = e.event_tags;
    }
  }
  const details: Record<string, unknown> = { eventId: e.event_id };
  if (e.host_name !== undefined) details.host = e.host_name;
  if (e.host_ip !== undefined) details.hostIp = e.host_ip;
  if (e.trigger_id !== undefined) details.triggerId = e.trigger_id;
  if (e.trigger_description !== undefined) details.description = e.trigger_description;
  if (e.alert_message !== undefined) details.message = e.alert_message;
  if (e.event_date !== undefined)
    details.eventTime = `${e.event_date} ${e.event_time ?? ''}`.trim();
  if (tags !== undefined) details.tags = tags;
  const name = e.event_name ?? e.trigger_description ?? `Zabbix event ${e.event_id}`;
  return {
    ok: true,
    events: [
      {
        action: e.event_value === '0' ? 'resolve' : acked ? 'acknowledge' : 'trigger',
        dedupKey: `zabbix:${e.event_id}`,
        summary: truncate(
          e.host_name === undefined ? name : `${e.host_name}: ${name}`,
          MAX_SUMMARY_CHARS,
        ),
        source: e.host_name ?? 'zabbix',
        severity: Object.hasOwn(NSEVERITY, e.event_nseverity ?? '')
          ? NSEVERITY[e.event_nseverity!]!
          : 'error',
        details,
        links,
        occurredAt: ctx.now,
      },
    ],
  };
}

/** Parameters of the Zabbix media type, in the order the UI lists them (name → macro). */
export const ZABBIX_MEDIA_PARAMETERS: ReadonlyArray<readonly [string, string]> = [
  ['url', '{ALERT.SENDTO}'],
  ['event_id', '{EVENT.ID}'],
  ['event_name', '{EVENT.NAME}'],
  ['event_nseverity', '{EVENT.NSEVERITY}'],
  ['event_severity', '{EVENT.SEVERITY}'],
  ['event_value', '{EVENT.VALUE}'],
  ['event_update_status', '{EVENT.UPDATE.STATUS}'],
  ['event_update_action', '{EVENT.UPDATE.ACTION}'],
  ['event_date', '{EVENT.DATE}'],
  ['event_time', '{EVENT.TIME}'],
  ['event_tags', '{EVENT.TAGSJSON}'],
  ['host_name', '{HOST.NAME}'],
  ['host_ip', '{HOST.IP}'],
  ['trigger_id', '{TRIGGER.ID}'],
  ['trigger_description', '{TRIGGER.DESCRIPTION}'],
  ['alert_message', '{ALERT.MESSAGE}'],
  ['zabbix_url', '{$ZABBIX.URL}'],
];

/**
 * The Zabbix webhook media type script (Administration → Media types → Webhook). The user's
 * media "Send to" is the Dutydesk intake URL that carries the integration key.
 */
export const ZABBIX_MEDIA_SCRIPT = `var Dutydesk = {
  fields: ${JSON.stringify(ZABBIX_MEDIA_PARAMETERS.map(([name]) => name).filter((n) => n !== 'url'))},
  send: function (params) {
    var body = {};
    Dutydesk.fields.forEach(function (f) {
      if (typeof params[f] === 'string') body[f] = params[f];
    });
    var req = new HttpRequest();
    req.addHeader('Content-Type: application/json');
    if (typeof params.HTTPProxy === 'string' && params.HTTPProxy.trim() !== '') {
      req.setProxy(params.HTTPProxy);
    }
    var resp = req.post(params.url, JSON.stringify(body));
    if (req.getStatus() !== 202) {
      throw 'Dutydesk answered HTTP ' + req.getStatus() + ': ' + resp;
    }
    return 'OK';
  }
};

try {
  var params = JSON.parse(value);
  if (typeof params.url !== 'string' || params.url.indexOf('http') !== 0) {
    throw 'Parameter "url" must be the Dutydesk intake URL';
  }
  return Dutydesk.send(params);
} catch (error) {
  Zabbix.log(3, '[Dutydesk webhook] ' + error);
  throw 'Sending failed: ' + error;
}
`;
