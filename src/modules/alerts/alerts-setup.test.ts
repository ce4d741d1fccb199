import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.js';
import { httpClient, type Client } from '../../../test/helpers/paging.js';
import { startServer } from '../../../test/helpers/server.js';

// The setup routes of the web app on a real server (SQLite file, real HTTP): a rotated key
// replaces the old one, a test alert goes through the generic intake and opens a page, and
// browsers on the `alerts` live topic hear of it.

type Server = Awaited<ReturnType<typeof startServer>>;
const clock = new ManualClock(Date.UTC(2026, 10, 28, 2, 0));
let server: Server;
let admin: Client;
let serviceId: string;
let testServiceId: string;

async function ok<T>(p: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as T;
}

beforeAll(async () => {
  server = await startServer({ clock, env: { ROLES: 'api' } });
  admin = await httpClient(server.baseUrl, server.admin.username, server.admin.password);
  const me = await ok<{ user: { id: string } }>(admin.request('GET', '/api/auth/me'));
  const policy = await ok<{ id: string }>(
    admin.request('POST', '/api/alerts/policies', {
      name: 'P',
      levels: [{ targets: [{ kind: 'user', id: me.user.id }], delayMinutes: 5 }],
    }),
  );
  serviceId = (
    await ok<{ id: string }>(
      admin.request('POST', '/api/alerts/services', {
        name: 'Core switch',
        escalationPolicyId: policy.id,
      }),
    )
  ).id;
  // Alerts to this one are not grouped into an open page: each test alert opens its own.
  testServiceId = (
    await ok<{ id: string }>(
      admin.request('POST', '/api/alerts/services', {
        name: 'Edge router',
        escalationPolicyId: policy.id,
        groupingWindowMinutes: 0,
      }),
    )
  ).id;
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const generic = (key: string, summary: string) =>
  fetch(`${server.baseUrl}/api/integrations/${key}/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ summary }),
  });

describe('alerts setup routes', () => {
  it('rotates a key: the new key is taken, the old one refused at once', async () => {
    const created = await ok<{ id: string; key: string }>(
      admin.request('POST', '/api/alerts/integrations', {
        serviceId,
        kind: 'generic',
        name: 'Prometheus',
      }),
    );
    expect((await generic(created.key, 'before rotation')).status).toBe(202);
    const rotated = await ok<{ key: string; url: string }>(
      admin.request('POST', `/api/alerts/integrations/${created.id}/rotate-key`, {}),
    );
    expect(rotated.key).toMatch(/^[0-9a-f]{32}$/);
    expect(rotated.key).not.toBe(created.key);
    expect(rotated.url).toBe(
      `${server.dd.config.publicUrl}/api/integrations/${rotated.key}/generic`,
    );
    // At once, although the old key was just used (cached for a second): the rotation forgets it.
    expect((await generic(created.key, 'old key')).status).toBe(404);
    expect((await generic(rotated.key, 'new key')).status).toBe(202);
    const audit = await ok<{ items: { action: string }[] }>(
      admin.request('GET', '/api/audit?entityType=alert_integration'),
    );
    expect(audit.items.map((a) => a.action)).toContain('alerts.integration.rotate_key');
  });

  it('sends a test alert through the intake, opens a page and tells live subscribers', async () => {
    const serviceId = testServiceId;
    const res = await fetch(`${server.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: server.admin.password }),
    });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const ac = new AbortController();
    const stream = await fetch(`${server.baseUrl}/api/live?topics=alerts`, {
      headers: { cookie },
      signal: ac.signal,
    });
    const reader = stream.body!.getReader();
    let seen = '';
    const heard = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        seen += new TextDecoder().decode(value);
        if (seen.includes('event: alerts')) return true;
      }
    })().catch(() => false);
    await new Promise((r) => setTimeout(r, 50));
    const test = await ok<{ pageId: string | null; alertId: string | null }>(
      admin.request('POST', `/api/alerts/services/${serviceId}/test-alert`, {
        summary: 'Test from the web',
      }),
    );
    expect(test.pageId).toBeTruthy();
    const page = await ok<{ summary: string; status: string; serviceId: string }>(
      admin.request('GET', `/api/pages/${test.pageId}`),
    );
    expect(page).toMatchObject({ summary: 'Test from the web', status: 'triggered', serviceId });
    expect(await heard).toBe(true);
    expect(seen).toContain('"topic":"alerts"');
    await reader.cancel().catch(() => undefined);
    ac.abort();
    // A second test reuses the hidden test integration with a fresh key.
    await ok(
      admin.request('POST', `/api/alerts/services/${serviceId}/test-alert`, { summary: 'again' }),
    );
    const integrations = await ok<{ items: { name: string }[] }>(
      admin.request('GET', `/api/alerts/services/${serviceId}/integrations`),
    );
    expect(integrations.items.filter((i) => i.name === 'Dutydesk test alert')).toHaveLength(1);
  });

  it('refuses bad input with the field named', async () => {
    const r = await admin.request('POST', `/api/alerts/services/${serviceId}/test-alert`, {
      summary: '',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'summary' });
    const missing = await admin.request(
      'POST',
      '/api/alerts/integrations/00000000-0000-4000-8000-000000000000/rotate-key',
      {},
    );
    expect(missing.statusCode).toBe(404);
    const noService = await admin.request(
      'POST',
      '/api/alerts/services/00000000-0000-4000-8000-000000000000/test-alert',
      { summary: 'x' },
    );
    expect(noService.statusCode).toBe(404);
  });

  it('refuses a contact method whose webhook points at a private address, naming the field', async () => {
    for (const [target, field] of [
      [{ kind: 'webhook', url: 'http://10.0.0.5/hook', secret: 's' }, 'target.url'],
      [{ kind: 'slack', webhookUrl: 'http://127.0.0.1:9/x' }, 'target.webhookUrl'],
      [{ kind: 'dingtalk', webhookUrl: 'http://169.254.169.254/latest' }, 'target.webhookUrl'],
    ] as const) {
      const r = await admin.request('POST', '/api/profile/contact-methods', { name: 'x', target });
      expect(r.statusCode, JSON.stringify(target)).toBe(400);
      expect(r.json()).toMatchObject({ field });
      expect((r.json() as { message: string }).message).toContain('private_address');
    }
    const before = await ok<{ items: unknown[] }>(
      admin.request('GET', '/api/profile/contact-methods'),
    );
    expect(before.items).toHaveLength(0);
    const pub = await admin.request('POST', '/api/profile/contact-methods', {
      name: 'public hook',
      target: { kind: 'webhook', url: 'https://93.184.216.34/hook', secret: 's' },
    });
    expect(pub.statusCode).toBe(201);
  });
});
