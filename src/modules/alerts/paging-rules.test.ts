import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_LINK_TTL_MS,
  signActionLink,
  verifyActionLink,
  type ActionClaims,
} from './action-link.js';
import { checkHeartbeat, heartbeatStatus, recordPing, type HeartbeatMonitor } from './heartbeat.js';
import { activeMaintenance, maintenanceEndsAt, type MaintenanceWindow } from './maintenance.js';
import { planSends, type ContactMethod, type NotificationRule } from './notification-rules.js';
import { pageMessage } from './page-message.js';
import { intakeResponse } from './intake/intake.js';

const T0 = Date.UTC(2024, 4, 1, 2, 0);
const MIN = 60_000;

describe('planSends', () => {
  const methods: ContactMethod[] = [
    { id: 'sms', kind: 'sms', verified: true, disabled: false },
    { id: 'voice', kind: 'voice', verified: true, disabled: false },
    { id: 'ding', kind: 'dingtalk', verified: false, disabled: false },
    { id: 'mail', kind: 'email', verified: true, disabled: true },
  ];

  it('sends SMS at 0 min and voice at 3 min, skipping unverified and disabled methods', () => {
    const rules: NotificationRule[] = [
      { id: 'r2', contactMethodId: 'voice', delayMinutes: 3 },
      { id: 'r1', contactMethodId: 'sms', delayMinutes: 0 },
      { id: 'r3', contactMethodId: 'ding', delayMinutes: 0 },
      { id: 'r4', contactMethodId: 'mail', delayMinutes: 0 },
      { id: 'r5', contactMethodId: 'gone', delayMinutes: 0 },
    ];
    expect(planSends('pg:0:L0:R0:u1', T0, rules, methods)).toEqual({
      sends: [
        {
          contactMethodId: 'sms',
          kind: 'sms',
          ruleId: 'r1',
          sendAt: T0,
          idempotencyKey: 'pg:0:L0:R0:u1:r1',
        },
        {
          contactMethodId: 'voice',
          kind: 'voice',
          ruleId: 'r2',
          sendAt: T0 + 3 * MIN,
          idempotencyKey: 'pg:0:L0:R0:u1:r2',
        },
      ],
      skippedRuleIds: ['r3', 'r4', 'r5'],
    });
  });

  it('uses only verified, enabled methods, in time order, with unique keys', () => {
    const methodArb = fc.record({
      id: fc.constantFrom('m1', 'm2', 'm3', 'm4'),
      kind: fc.constantFrom('sms' as const, 'email' as const, 'slack' as const),
      verified: fc.boolean(),
      disabled: fc.boolean(),
    });
    const ruleArb = fc.record({
      id: fc.uuid(),
      contactMethodId: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5'),
      delayMinutes: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(methodArb, { selector: (m) => m.id }),
        fc.uniqueArray(ruleArb, { selector: (r) => r.id }),
        (ms, rs) => {
          const plan = planSends('k', T0, rs, ms);
          for (const s of plan.sends) {
            const m = ms.find((x) => x.id === s.contactMethodId)!;
            expect(m.verified && !m.disabled).toBe(true);
            expect(s.sendAt).toBeGreaterThanOrEqual(T0);
          }
          for (let i = 1; i < plan.sends.length; i++)
            expect(plan.sends[i]!.sendAt).toBeGreaterThanOrEqual(plan.sends[i - 1]!.sendAt);
          const keys = plan.sends.map((s) => s.idempotencyKey);
          expect(new Set(keys).size).toBe(keys.length);
        },
      ),
    );
  });
});

describe('maintenance', () => {
  const windows: MaintenanceWindow[] = [
    { id: 'w1', serviceIds: ['db'], startsAt: T0, endsAt: T0 + 60 * MIN },
    { id: 'w2', serviceIds: null, startsAt: T0 + 60 * MIN, endsAt: T0 + 90 * MIN },
  ];
  it('silences the listed services inside [start, end) and all services for a global window', () => {
    expect(activeMaintenance(windows, 'db', T0)?.id).toBe('w1');
    expect(activeMaintenance(windows, 'web', T0)).toBeNull();
    expect(activeMaintenance(windows, 'web', T0 + 60 * MIN)?.id).toBe('w2');
    expect(activeMaintenance(windows, 'db', T0 - 1)).toBeNull();
    expect(activeMaintenance(windows, 'web', T0 + 90 * MIN)).toBeNull();
    expect(maintenanceEndsAt(windows, 'db', T0 + MIN)).toBe(T0 + 90 * MIN);
  });

  it('finds a window exactly when one covers the service at that instant', () => {
    const windowArb = fc.record({
      id: fc.uuid(),
      serviceIds: fc.option(fc.subarray(['a', 'b', 'c'], { minLength: 1 }), { nil: null }),
      startsAt: fc.integer({ min: 0, max: 1000 }),
      length: fc.integer({ min: 1, max: 500 }),
    });
    fc.assert(
      fc.property(
        fc.array(windowArb, { maxLength: 6 }),
        fc.constantFrom('a', 'b', 'c'),
        fc.integer({ min: 0, max: 1600 }),
        (ws, svc, at) => {
          const windows = ws.map((w) => ({
            id: w.id,
            serviceIds: w.serviceIds,
            startsAt: w.startsAt,
            endsAt: w.startsAt + w.length,
          }));
          const covering = windows.filter(
            (w) =>
              at >= w.startsAt &&
              at < w.endsAt &&
              (w.serviceIds === null || w.serviceIds.includes(svc)),
          );
          const found = activeMaintenance(windows, svc, at);
          expect(found === null).toBe(covering.length === 0);
          if (found !== null) {
            expect(covering).toContain(found);
            const end = maintenanceEndsAt(windows, svc, at)!;
            expect(end).toBeGreaterThanOrEqual(found.endsAt);
            expect(activeMaintenance(windows, svc, end)).toBeNull();
          }
        },
      ),
    );
  });
});

describe('heartbeat', () => {
  const m: HeartbeatMonitor = {
    id: 'h1',
    name: 'backup',
    intervalSeconds: 300,
    graceSeconds: 60,
    createdAt: T0,
    lastPingAt: T0,
    down: false,
  };
  it('is up, then late, then down and raises exactly once', () => {
    expect(heartbeatStatus(m, T0 + 299_999).state).toBe('up');
    expect(heartbeatStatus(m, T0 + 300_000).state).toBe('late');
    expect(checkHeartbeat(m, T0 + 359_999)).toEqual({ kind: 'none', checkAgainAt: T0 + 360_000 });
    const d = checkHeartbeat(m, T0 + 360_000);
    expect(d.kind).toBe('raise');
    if (d.kind === 'raise')
      expect(d.event).toMatchObject({
        action: 'trigger',
        dedupKey: 'heartbeat:h1',
        occurredAt: T0 + 360_000,
      });
    expect(checkHeartbeat({ ...m, down: true }, T0 + 400_000).kind).toBe('none');
  });

  it('resolves on the next ping after going down', () => {
    const r = recordPing({ ...m, down: true }, T0 + 500_000);
    expect(r.decision.kind).toBe('resolve');
    expect(r.monitor).toMatchObject({ lastPingAt: T0 + 500_000, down: false });
    expect(recordPing(m, T0 + 10_000).decision).toEqual({
      kind: 'none',
      checkAgainAt: T0 + 10_000 + 360_000,
    });
  });

  it('never raises while pings come within the interval', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 360_000 }), { maxLength: 50 }), (gaps) => {
        let mon = m;
        let t = T0;
        for (const g of gaps) {
          t += g;
          expect(checkHeartbeat(mon, t).kind).toBe(g === 360_000 ? 'raise' : 'none');
          mon = recordPing(mon, t).monitor;
        }
      }),
    );
  });
});

describe('signed action links', () => {
  const secret = 'test-secret-0123456789';
  const claims: ActionClaims = {
    pageId: '0190a1b2-0000-7000-8000-000000000001',
    action: 'acknowledge',
    userId: 'u1',
    expiresAt: T0 + ACTION_LINK_TTL_MS,
  };

  it('verifies its own token until it expires', () => {
    const t = signActionLink(claims, secret);
    expect(t).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyActionLink(t, secret, T0)).toEqual({ ok: true, claims });
    expect(verifyActionLink(t, secret, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyActionLink(t, 'other-secret', T0)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyActionLink('v1.abc', secret, T0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('round-trips any claims and rejects any single-character tampering', () => {
    const claimsArb = fc.record({
      pageId: fc.string({ minLength: 1 }),
      action: fc.constantFrom('acknowledge' as const, 'resolve' as const),
      userId: fc.string({ minLength: 1 }),
      expiresAt: fc.integer({ min: T0 + 1, max: T0 + 10 * ACTION_LINK_TTL_MS }),
    });
    fc.assert(
      fc.property(
        claimsArb,
        fc.nat(),
        fc.constantFrom(...'ABCabc012_-.'.split('')),
        (c, pos, ch) => {
          const t = signActionLink(c, secret);
          expect(verifyActionLink(t, secret, T0)).toEqual({ ok: true, claims: c });
          const i = pos % t.length;
          if (t[i] === ch) return;
          const tampered = t.slice(0, i) + ch + t.slice(i + 1);
          const r = verifyActionLink(tampered, secret, T0);
          // base64url's last character can carry unused bits; the decoded claims must still match then.
          if (r.ok) expect(r.claims).toEqual(c);
        },
      ),
    );
  });

  it('rejects a token whose claims were swapped for another page or action', () => {
    const a = signActionLink(claims, secret).split('.');
    const b = signActionLink({ ...claims, action: 'resolve' }, secret).split('.');
    expect(verifyActionLink(`${a[0]}.${b[1]}.${a[2]}`, secret, T0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});

describe('pageMessage and intakeResponse', () => {
  it('gives each person links signed for them that verify back to the page', () => {
    const m = pageMessage({
      page: {
        id: 'pg1',
        summary: 'Disk full',
        serviceName: 'Core',
        severity: 'critical',
        alertCount: 3,
      },
      userId: 'u1',
      locale: 'en',
      baseUrl: 'https://duty.example.com/',
      linkSecret: 'k',
      now: T0,
      sendKey: 'key-1',
    });
    expect(m).toMatchObject({
      id: 'key-1',
      title: 'Disk full (+2)',
      pageId: 'pg1',
      links: { view: 'https://duty.example.com/pages/pg1' },
    });
    const token = m.links.acknowledge!.split('/a/')[1]!;
    expect(verifyActionLink(token, 'k', T0)).toEqual({
      ok: true,
      claims: {
        pageId: 'pg1',
        action: 'acknowledge',
        userId: 'u1',
        expiresAt: T0 + ACTION_LINK_TTL_MS,
      },
    });
  });

  it('answers PagerDuty in its own shape and others in the error envelope', () => {
    expect(
      intakeResponse('pagerduty', {
        ok: false,
        issues: [{ path: 'event_action', message: 'is invalid' }],
      }),
    ).toEqual({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'event_action' is invalid"],
      },
    });
    expect(
      intakeResponse('generic', { ok: false, issues: [{ path: 'summary', message: 'required' }] }),
    ).toMatchObject({
      status: 400,
      body: { code: 'invalid_event', field: 'summary' },
    });
    expect(intakeResponse('zabbix', { ok: true, events: [] })).toEqual({
      status: 202,
      body: { status: 'accepted', events: 0, dedupKeys: [] },
    });
  });
});
