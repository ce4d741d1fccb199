import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, type Role, rolesAllow } from '../../src/server/permissions.js';
import { type Session, type TestApp, startTestApp } from '../helpers/app.js';

const SAMPLE_ID = '0190f0f0-0000-7000-8000-000000000000';
const fill = (url: string) => url.replace(/:[a-zA-Z]+/g, SAMPLE_ID);

async function streamStatus(url: string, cookie: string) {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { cookie }, signal: abort.signal });
  const body = res.status === 200 ? '' : await res.text();
  abort.abort();
  return { statusCode: res.status, body, json: () => JSON.parse(body) as { code: string } };
}

describe('authorisation: every route × every role, from the one permission table', () => {
  let t: TestApp;
  const sessions = new Map<Role, Session>();

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    for (const role of ROLES) sessions.set(role, await t.userWith([role], `walk_${role}`));
  }, 120_000);
  afterAll(async () => t.close());

  it('has a rule for every route (a route without one cannot be registered)', async () => {
    const rules = t.app.accessRules();
    expect(rules.length).toBeGreaterThan(15);
    const app = Fastify();
    app.addHook('onRoute', (route) => {
      if (!route.config?.access) throw new Error(`Route ${route.url} has no access rule`);
    });
    expect(() => app.get('/api/no-rule', async () => 'x')).toThrow(/no access rule/);
  });

  it('answers 401 to anonymous callers on every non-public route', async () => {
    for (const r of t.app.accessRules()) {
      if (r.access === 'public' || r.stream) continue;
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: fill(r.url),
        payload: r.method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('allows exactly the roles the table names, and denies the rest with 403', async () => {
    // Sign-out ends the session: walk it last.
    const rules = [...t.app.accessRules()].sort(
      (a, b) => Number(a.url.endsWith('sign-out')) - Number(b.url.endsWith('sign-out')),
    );
    let checked = 0;
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    for (const r of rules) {
      for (const role of ROLES) {
        const s = sessions.get(role)!;
        // A stream stays open: ask over real HTTP and hang up once the status is known.
        const res = r.stream
          ? await streamStatus(`${base}${fill(r.url)}`, s.cookie)
          : await s.request(
              r.method,
              fill(r.url),
              r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
            );
        const where = `${role} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`;
        expect(res.statusCode, where).toBeLessThan(500);
        if (r.access === 'public' || r.access === 'signedIn') {
          expect(res.statusCode === 403 && res.json().code === 'forbidden', where).toBe(false);
        } else if (rolesAllow([role], r.access)) {
          expect(res.statusCode, where).not.toBe(403);
          expect(res.statusCode, where).not.toBe(401);
        } else {
          expect(res.statusCode, where).toBe(403);
          expect(res.json(), where).toMatchObject({ code: 'forbidden' });
        }
        checked++;
      }
    }
    expect(checked).toBe(rules.length * ROLES.length);
    // Every route × every role is well over a thousand requests: on a loaded machine that takes
    // longer than the default 30 s.
  }, 180_000);

  it('limits an API token to its scopes', async () => {
    const create = await t.admin.request('POST', '/api/profile/tokens', {
      name: 'reader',
      scopes: ['users.read'],
    });
    expect(create.statusCode).toBe(201);
    const { secret } = create.json() as { secret: string };
    const auth = { authorization: `Bearer ${secret}` };
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/users', headers: auth })).statusCode,
    ).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/teams',
      headers: auth,
      payload: { name: 'x', timeZone: 'Asia/Shanghai' },
    });
    expect(write.statusCode).toBe(403);
  });

  it('table keys are all reachable by some role', () => {
    for (const [key, roles] of Object.entries(PERMISSIONS))
      expect(roles.length, key).toBeGreaterThan(0);
  });
});
