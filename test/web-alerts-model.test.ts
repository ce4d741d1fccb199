import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTACT_KINDS,
  INTEGRATION_KINDS,
  attemptOf,
  contactFields,
  contactTarget,
  integrationSnippet,
  uniqueTargets,
} from '../web/src/pages/alerts/alertsModel.js';

const key = 'a'.repeat(32);
const url = (kind: string) => `https://dd.example.com/api/integrations/${key}/${kind}`;

describe('alerts web model', () => {
  it('gives every integration kind a snippet with its URL or key', () => {
    for (const kind of INTEGRATION_KINDS) {
      const s = integrationSnippet({
        kind,
        key,
        name: 'p',
        url: kind === 'email' ? null : kind === 'pagerduty' ? 'https://dd/v2/enqueue' : url(kind),
        address: kind === 'email' ? `alert+${key}@dd.example.com` : undefined,
      });
      expect(s.length, kind).toBeGreaterThan(0);
      expect(s.includes(key) || s.includes('v2/enqueue'), kind).toBe(true);
    }
    expect(
      integrationSnippet({ kind: 'alertmanager', key, name: 'p', url: url('alertmanager') }),
    ).toContain('send_resolved: true');
  });

  it('builds a contact target from exactly the fields of its kind, blanks left out', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONTACT_KINDS),
        fc.dictionary(
          fc.constantFrom('address', 'phone', 'webhookUrl', 'secret', 'url', 'x'),
          fc.string(),
        ),
        (kind, values) => {
          const target = contactTarget(kind, values);
          expect(target.kind).toBe(kind);
          for (const [k, v] of Object.entries(target)) {
            if (k === 'kind') continue;
            expect(contactFields(kind)).toContain(k);
            expect(v).toBe(v.trim());
            expect(v).not.toBe('');
          }
        },
      ),
    );
  });

  it('keeps targets unique and in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom('user', 'team', 'post' as const),
            id: fc.constantFrom('a', 'b'),
          }),
        ),
        (ts) => {
          const u = uniqueTargets(ts);
          expect(new Set(u.map((t) => `${t.kind}:${t.id}`)).size).toBe(u.length);
          expect(new Set(ts.map((t) => `${t.kind}:${t.id}`)).size).toBe(u.length);
        },
      ),
    );
  });

  it('reads a notification attempt with its outcome and retry', () => {
    expect(
      attemptOf({
        id: '1',
        at: 0,
        type: 'notification_failed',
        data: {
          channel: 'dingtalk',
          attempt: 2,
          outcome: { status: 'retryable_error', httpStatus: 503 },
          next: { kind: 'retry', at: 5000 },
        },
      }),
    ).toEqual({
      channel: 'dingtalk',
      attempt: 2,
      status: 'retryable_error',
      detail: '503',
      next: 'retry',
      retryAt: 5000,
    });
    expect(attemptOf({ id: '2', at: 0, type: 'triggered', data: {} })).toBeNull();
  });
});
