import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './body.js';
import { mapSeverity, parseTimestamp, type IntakeContext, type IntakeResult } from './common.js';
import { emailDedupSubject } from './email.js';
import { normaliseIntake, type IntegrationKind } from './intake.js';
import {
  pagerDutyAccepted,
  pagerDutyInvalid,
  pagerDutyRoutingKey,
  pagerDutyUnknownRoutingKey,
} from './pagerduty.js';
import { ZABBIX_MEDIA_PARAMETERS, ZABBIX_MEDIA_SCRIPT } from './zabbix.js';

const NOW = Date.UTC(2024, 4, 1, 12, 30);
const ctx: IntakeContext = { now: NOW, newDedupKey: () => 'generated-key' };

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}

function events(kind: IntegrationKind, body: unknown) {
  const r = normaliseIntake(kind, body, ctx);
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.issues)}`);
  return r.events;
}

function issues(r: IntakeResult) {
  if (r.ok) throw new Error('expected a refusal');
  return r.issues;
}

describe('PagerDuty Events API v2', () => {
  it('normalises the documented trigger example', () => {
    const [e] = events('pagerduty', fixture('pagerduty-trigger'));
    expect(e).toEqual({
      action: 'trigger',
      dedupKey: 'srv01/mysql',
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      source: 'prod-datapipe03.example.com',
      severity: 'critical',
      details: expect.objectContaining({
        component: 'mysql',
        group: 'prod-datapipe',
        class: 'disk',
        custom_details: { 'free space': '1%', 'ping time': '1500ms', 'load avg': 0.75 },
      }) as unknown,
      links: [
        { href: 'https://monitoring.service.com', text: 'Sample Monitoring Service' },
        { href: 'https://example.com/', text: 'Link text' },
      ],
      occurredAt: Date.UTC(2015, 6, 17, 8, 42, 58, 315),
    });
  });

  it('resolves by dedup key without a payload', () => {
    const [e] = events('pagerduty', fixture('pagerduty-resolve'));
    expect(e?.action).toBe('resolve');
    expect(e?.dedupKey).toBe('srv01/mysql');
  });

  it('generates a dedup key when a trigger has none', () => {
    const body = { ...(fixture('pagerduty-trigger') as object), dedup_key: undefined };
    expect(events('pagerduty', body)[0]?.dedupKey).toBe('generated-key');
  });

  it('refuses an unknown event_action', () => {
    const body = { ...(fixture('pagerduty-resolve') as object), event_action: 'escalate' };
    expect(issues(normaliseIntake('pagerduty', body, ctx))[0]?.path).toBe('event_action');
  });

  it('refuses a routing key of the wrong length', () => {
    const body = { ...(fixture('pagerduty-resolve') as object), routing_key: 'short' };
    const r = normaliseIntake('pagerduty', body, ctx);
    expect(pagerDutyInvalid(issues(r))).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"],
    });
    const both = {
      ...(fixture('pagerduty-resolve') as object),
      routing_key: 'e+23rschqsESqk9Q6_-g',
    };
    expect(pagerDutyInvalid(issues(normaliseIntake('pagerduty', both, ctx))).errors).toEqual([
      "Length of 'routing_key' is incorrect (should be 32 characters)",
      "'routing_key' cannot contain non-alphanumeric characters.",
    ]);
    expect(pagerDutyUnknownRoutingKey().errors).toEqual(['Invalid routing key']);
  });

  it('refuses acknowledge without a dedup key and trigger without summary', () => {
    const ack = { routing_key: 'e93facc04764012d7bfb002500d5d1a6', event_action: 'acknowledge' };
    expect(issues(normaliseIntake('pagerduty', ack, ctx))[0]?.path).toBe('dedup_key');
    const trig = { ...ack, event_action: 'trigger', payload: { source: 'x', severity: 'info' } };
    expect(pagerDutyInvalid(issues(normaliseIntake('pagerduty', trig, ctx))).errors).toEqual([
      "'payload.summary' is missing or blank",
    ]);
  });

  it('refuses a bad severity and unknown top-level fields', () => {
    const base = fixture('pagerduty-trigger') as { payload: object };
    const bad = { ...base, payload: { ...base.payload, severity: 'disaster' } };
    expect(issues(normaliseIntake('pagerduty', bad, ctx))[0]?.path).toBe('payload.severity');
    expect(issues(normaliseIntake('pagerduty', { ...base, extra: 1 }, ctx)).length).toBe(1);
  });

  it('answers in the documented shapes', () => {
    expect(pagerDutyAccepted('k')).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'k',
    });
    expect(pagerDutyRoutingKey(fixture('pagerduty-resolve'))).toBe(
      'e93facc04764012d7bfb002500d5d1a6',
    );
    expect(pagerDutyRoutingKey('x')).toBeUndefined();
  });
});

describe('Alertmanager webhook v4', () => {
  it('turns each alert of a group into its own event', () => {
    const es = events('alertmanager', fixture('alertmanager-v4-firing'));
    expect(es).toHaveLength(2);
    expect(es[0]).toMatchObject({
      action: 'trigger',
      dedupKey: 'alertmanager:a1b2c3d4e5f60718',
      summary: 'HTTP 5xx ratio above 5% (api-1.prod:9100)',
      source: 'api-1.prod:9100',
      severity: 'critical',
      occurredAt: Date.UTC(2024, 4, 1, 12, 0, 3, 123),
    });
    expect(es[0]?.links.map((l) => l.text)).toEqual(['Source', 'Runbook']);
    expect(es[1]).toMatchObject({
      severity: 'warning',
      summary: 'api-2.prod has 5.4% errors for 5 minutes (api-2.prod:9100)',
    });
  });

  it('resolves with the same key at endsAt', () => {
    const [e] = events('alertmanager', fixture('alertmanager-v4-resolved'));
    expect(e).toMatchObject({
      action: 'resolve',
      dedupKey: 'alertmanager:a1b2c3d4e5f60718',
      occurredAt: Date.UTC(2024, 4, 1, 12, 25, 3, 123),
    });
  });

  it('keys by label set when fingerprint is absent, independent of label order', () => {
    const body = fixture('alertmanager-v4-firing') as { alerts: Array<Record<string, unknown>> };
    const a = { ...body, alerts: [{ ...body.alerts[0], fingerprint: undefined }] };
    const labels = body.alerts[0]!.labels as Record<string, string>;
    const reversed = Object.fromEntries(Object.entries(labels).reverse());
    const b = {
      ...body,
      alerts: [{ ...body.alerts[0], fingerprint: undefined, labels: reversed }],
    };
    expect(events('alertmanager', a)[0]?.dedupKey).toBe(events('alertmanager', b)[0]?.dedupKey);
  });

  it('refuses another payload version and an empty group', () => {
    const body = fixture('alertmanager-v4-firing') as object;
    expect(issues(normaliseIntake('alertmanager', { ...body, version: '3' }, ctx))[0]?.path).toBe(
      'version',
    );
    expect(issues(normaliseIntake('alertmanager', { ...body, alerts: [] }, ctx))[0]?.path).toBe(
      'alerts',
    );
  });
});

describe('Grafana webhook', () => {
  it('normalises firing and resolved alerts with their Grafana links', () => {
    const [firing, resolved] = events('grafana', fixture('grafana-firing'));
    expect(firing).toMatchObject({
      action: 'trigger',
      dedupKey: 'grafana:c6eadffa33fcdf37',
      summary: 'This alert was triggered for zone us-1',
      severity: 'error',
      occurredAt: Date.UTC(2021, 9, 12, 7, 51, 3, 157),
    });
    expect(firing?.details.values).toEqual({ B: 44.23, C: 1 });
    expect(firing?.links.map((l) => l.text)).toEqual(['Source', 'Runbook', 'Silence']);
    expect(resolved).toMatchObject({
      action: 'resolve',
      severity: 'warning',
      dedupKey: 'grafana:bc97ff14869b13e3',
    });
    expect(resolved?.links.map((l) => l.text)).toContain('Dashboard');
  });

  it('refuses a body without alerts', () => {
    const body = fixture('grafana-firing') as object;
    expect(issues(normaliseIntake('grafana', { ...body, alerts: undefined }, ctx))[0]?.path).toBe(
      'alerts',
    );
  });
});

describe('Zabbix webhook', () => {
  it('triggers on a problem, resolves on recovery with the same key, acknowledges on update', () => {
    const [p] = events('zabbix', fixture('zabbix-problem'));
    expect(p).toMatchObject({
      action: 'trigger',
      dedupKey: 'zabbix:1834',
      summary: 'db-primary-01: High CPU utilization (over 90% for 5m)',
      severity: 'error',
      source: 'db-primary-01',
    });
    expect(p?.details.tags).toEqual([
      { tag: 'component', value: 'cpu' },
      { tag: 'scope', value: 'performance' },
    ]);
    expect(p?.links[0]?.href).toBe(
      'https://zabbix.example.com/tr_events.php?eventid=1834&triggerid=23111',
    );
    expect(events('zabbix', fixture('zabbix-recovery'))[0]).toMatchObject({
      action: 'resolve',
      dedupKey: 'zabbix:1834',
    });
    expect(events('zabbix', fixture('zabbix-acknowledged'))[0]).toMatchObject({
      action: 'acknowledge',
      dedupKey: 'zabbix:1834',
    });
  });

  it('ignores comment-only updates and treats unexpanded macros as unset', () => {
    const body = {
      ...(fixture('zabbix-acknowledged') as object),
      event_update_action: 'commented',
    };
    expect(events('zabbix', body)).toEqual([]);
    const macro = { ...(fixture('zabbix-problem') as object), host_name: '{HOST.NAME}' };
    expect(events('zabbix', macro)[0]?.source).toBe('zabbix');
  });

  it('ships a media script that posts every documented parameter', () => {
    for (const [name] of ZABBIX_MEDIA_PARAMETERS) {
      if (name !== 'url') expect(ZABBIX_MEDIA_SCRIPT).toContain(`"${name}"`);
    }
    expect(ZABBIX_MEDIA_SCRIPT).toContain('req.getStatus() !== 202');
  });
});

describe('generic and email', () => {
  it('normalises the generic format with its offset timestamp', () => {
    const [e] = events('generic', fixture('generic-trigger'));
    expect(e).toMatchObject({
      action: 'trigger',
      dedupKey: 'room-a/hvac-temp',
      severity: 'warning',
      occurredAt: Date.UTC(2024, 4, 1, 12, 0),
    });
  });

  it('refuses unknown fields, a resolve without key and a bad link', () => {
    expect(issues(normaliseIntake('generic', { summary: 'x', colour: 'red' }, ctx)).length).toBe(1);
    expect(issues(normaliseIntake('generic', { action: 'resolve' }, ctx))[0]?.path).toBe(
      'dedupKey',
    );
    expect(
      issues(
        normaliseIntake('generic', { summary: 'x', links: [{ href: 'javascript:alert(1)' }] }, ctx),
      )[0]?.path,
    ).toBe('links.0.href');
  });

  it('resolves an email alert by the recovery subject', () => {
    const t = events('email', { from: 'nagios@example.com', subject: 'PROBLEM: disk /var 95%' })[0];
    const r = events('email', {
      from: 'nagios@example.com',
      subject: 'RE: [RESOLVED] disk /var 95%',
    })[0];
    expect(t?.action).toBe('trigger');
    expect(r?.action).toBe('resolve');
    expect(r?.dedupKey).toBe(t?.dedupKey);
    expect(emailDedupSubject('【恢复】 机房温度')).toBe(emailDedupSubject('机房温度'));
  });
});

describe('bodies and helpers', () => {
  it('refuses oversized and malformed bodies with the reason', () => {
    const big = parseJsonBody(JSON.stringify({ s: 'x'.repeat(600_000) }));
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.issue.message).toMatch(/limit is 524288/);
    const bad = parseJsonBody('{"a":');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issue.message).toMatch(/Malformed JSON/);
    expect(parseJsonBody(Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('parses the timestamp forms tools send', () => {
    expect(parseTimestamp('2015-07-17T08:42:58.315+0000')).toBe(
      Date.UTC(2015, 6, 17, 8, 42, 58, 315),
    );
    expect(parseTimestamp('2024-05-01T20:00:00+08:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });

  it('maps every severity word to one of four levels and unknown words to the fallback', () => {
    expect(mapSeverity('Disaster', 'info')).toBe('critical');
    expect(mapSeverity('Average', 'info')).toBe('error');
    expect(mapSeverity('__proto__', 'info')).toBe('info');
    expect(mapSeverity('constructor', 'warning')).toBe('warning');
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(['critical', 'error', 'warning', 'info']).toContain(mapSeverity(s, 'warning'));
      }),
    );
  });

  it('never throws on arbitrary JSON for any source', () => {
    const kinds: IntegrationKind[] = [
      'generic',
      'pagerduty',
      'alertmanager',
      'grafana',
      'zabbix',
      'email',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.jsonValue(), (kind, body) => {
        const r = normaliseIntake(kind, body, ctx);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});
