// Types of the alerts API as the web app uses them, and the pure helpers of the alerts pages.

export type PageStatus = 'triggered' | 'acknowledged' | 'resolved';
export type TargetKind = 'user' | 'team' | 'post';
export interface Target {
  kind: TargetKind;
  id: string;
}

export interface PageItem {
  id: string;
  serviceId: string;
  summary: string;
  severity: string;
  status: PageStatus;
  alertCount: number;
  level: number;
  openedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
}

export interface AlertItem {
  id: string;
  serviceId: string;
  dedupKey: string;
  status: string;
  summary: string;
  source: string;
  severity: string;
  count: number;
  pageId: string | null;
  suppressed: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

export interface TimelineEntry {
  id: string;
  at: number;
  type: string;
  data: Record<string, unknown>;
}

export interface PageDetail extends PageItem {
  alerts: AlertItem[];
  timeline: TimelineEntry[];
}

export interface Service {
  id: string;
  name: string;
  escalationPolicyId: string;
  groupingWindowMinutes: number;
}

export interface Level {
  targets: Target[];
  delayMinutes: number;
  roundRobin: boolean;
}

export interface Policy {
  id: string;
  name: string;
  description: string;
  repeat: number;
  levels: Level[];
  updatedAt: number;
}

export const INTEGRATION_KINDS = [
  'generic',
  'pagerduty',
  'alertmanager',
  'grafana',
  'zabbix',
  'email',
] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

export interface Integration {
  id: string;
  serviceId: string;
  kind: IntegrationKind;
  name: string;
  createdAt: number;
}

/** An integration as created or re-keyed: the key is shown this once. */
export interface IntegrationSecret extends Integration {
  key: string;
  url: string | null;
  address?: string | null;
}

export const CONTACT_KINDS = [
  'email',
  'sms',
  'voice',
  'dingtalk',
  'wecom',
  'feishu',
  'slack',
  'webhook',
  'webpush',
] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface ContactMethod {
  id: string;
  name: string;
  kind: ContactKind;
  address: string;
  verified: boolean;
  disabled: boolean;
}

export interface NotificationRule {
  id: string;
  contactMethodId: string;
  delayMinutes: number;
}

/** Which fields a contact method of this kind asks for (the server validates them again). */
export function contactFields(kind: ContactKind): string[] {
  switch (kind) {
    case 'email':
      return ['address'];
    case 'sms':
    case 'voice':
      return ['phone'];
    case 'dingtalk':
    case 'feishu':
      return ['webhookUrl', 'secret'];
    case 'wecom':
    case 'slack':
      return ['webhookUrl'];
    case 'webhook':
      return ['url', 'secret'];
    case 'webpush':
      return ['endpoint', 'p256dh', 'auth'];
  }
}

/** The request body of a new contact method: the kind's fields, blanks left out. */
export function contactTarget(
  kind: ContactKind,
  values: Record<string, string | undefined>,
): Record<string, string> {
  const target: Record<string, string> = { kind };
  for (const f of contactFields(kind)) {
    const v = values[f]?.trim();
    if (v) target[f] = v;
  }
  return target;
}

/** The text to paste into a monitoring tool, per integration kind. */
export function integrationSnippet(s: {
  kind: IntegrationKind;
  url: string | null;
  key: string;
  address?: string | null;
  name: string;
}): string {
  const url = s.url ?? '';
  switch (s.kind) {
    case 'alertmanager':
      return [
        '# alertmanager.yml',
        'route:',
        '  receiver: dutydesk',
        'receivers:',
        '  - name: dutydesk',
        '    webhook_configs:',
        `      - url: '${url}'`,
        '        send_resolved: true',
        '        max_alerts: 0',
      ].join('\n');
    case 'grafana':
      return [
        '# Grafana → Alerting → Contact points → New contact point',
        `Name: ${s.name}`,
        'Integration: Webhook',
        `URL: ${url}`,
        'HTTP Method: POST',
      ].join('\n');
    case 'zabbix':
      return [
        '# Zabbix → Alerts → Media types → Create media type',
        'Type: Webhook',
        'Parameters:',
        `  url = ${url}`,
        '  event_id = {EVENT.ID}',
        '  event_value = {EVENT.VALUE}',
        '  subject = {ALERT.SUBJECT}',
        '  message = {ALERT.MESSAGE}',
        '  severity = {EVENT.NSEVERITY}',
        '  host = {HOST.NAME}',
        'Script:',
        '  var p = JSON.parse(value);',
        '  var req = new HttpRequest();',
        "  req.addHeader('Content-Type: application/json');",
        '  var r = req.post(p.url, value);',
        "  if (req.getStatus() != 202) throw 'Dutydesk: ' + req.getStatus() + ' ' + r;",
        "  return 'OK';",
      ].join('\n');
    case 'pagerduty':
      return [
        `curl -X POST '${url}' \\`,
        "  -H 'Content-Type: application/json' \\",
        `  -d '{"routing_key":"${s.key}","event_action":"trigger","payload":{"summary":"Disk full on db1","source":"db1","severity":"critical"}}'`,
      ].join('\n');
    case 'email':
      return s.address ? `To: ${s.address}\nSubject: Disk full on db1` : '';
    case 'generic':
      return [
        `curl -X POST '${url}' \\`,
        "  -H 'Content-Type: application/json' \\",
        `  -d '{"summary":"Disk full on db1","source":"db1","severity":"critical","dedupKey":"db1-disk"}'`,
      ].join('\n');
  }
}

/** The target list of a policy level or an action, without repeats. */
export function uniqueTargets(targets: readonly Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = `${t.kind}:${t.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A notification attempt on the timeline: channel, try number, outcome and what comes next. */
export interface Attempt {
  channel: string;
  attempt: number;
  status: string;
  detail: string;
  next: string;
  retryAt: number | null;
}

export function attemptOf(e: TimelineEntry): Attempt | null {
  if (e.type !== 'notification_delivered' && e.type !== 'notification_failed') return null;
  const o = (e.data.outcome ?? {}) as Record<string, unknown>;
  const n = (e.data.next ?? {}) as Record<string, unknown>;
  const detail = [o.httpStatus, o.error, o.providerMessageId]
    .filter((p) => typeof p === 'string' || typeof p === 'number')
    .map(String)
    .join(' · ');
  return {
    channel: typeof e.data.channel === 'string' ? e.data.channel : '',
    attempt: typeof e.data.attempt === 'number' ? e.data.attempt : 1,
    status: typeof o.status === 'string' ? o.status : e.type.replace('notification_', ''),
    detail,
    next:
      typeof n.kind === 'string'
        ? n.kind === 'give_up'
          ? `give_up_${String(n.reason)}`
          : n.kind
        : 'done',
    retryAt: typeof n.at === 'number' ? n.at : null,
  };
}
