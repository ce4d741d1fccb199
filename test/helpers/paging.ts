import type { FakeHttpServer } from '../fakes/http-fake.js';

/** The little of an HTTP session the paging set-up needs (app.inject or real HTTP). */
export interface Client {
  request(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ statusCode: number; body: string; json(): unknown }>;
}

/** A signed-in session over real HTTP (for servers in child processes). */
export async function httpClient(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const client: Client = {
    async request(method, url, body) {
      const r = await fetch(`${base}${url}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return { statusCode: r.status, body: text, json: () => JSON.parse(text) as unknown };
    },
  };
  return client;
}

async function ok<T>(p: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as T;
}

/**
 * Each responder gets a verified webhook contact method pointing at `fake` under `/<userId>`
 * (verified through the real code flow) and a rule "at 0 minutes"; the admin creates a policy
 * paging the responders one level each, a service and one integration of every kind.
 */
export async function setupPaging(opts: {
  admin: Client;
  responders: { client: Client; id: string }[];
  fake: FakeHttpServer;
  secret: string;
  delayMinutes?: number;
  groupingWindowMinutes?: number;
}) {
  for (const r of opts.responders) {
    const method = await ok<{ id: string }>(
      r.client.request('POST', '/api/profile/contact-methods', {
        name: 'hook',
        target: { kind: 'webhook', url: `${opts.fake.origin}/${r.id}`, secret: opts.secret },
      }),
    );
    await ok(r.client.request('POST', `/api/profile/contact-methods/${method.id}/send-code`, {}));
    const sent = opts.fake.accepted.filter((q) => q.path === `/${r.id}`).at(-1);
    const code = /\b(\d{6})\b/.exec(String((sent?.json as { body?: string }).body))?.[1];
    if (code === undefined) throw new Error('no verification code received');
    await ok(
      r.client.request('POST', `/api/profile/contact-methods/${method.id}/verify`, { code }),
    );
    await ok(
      r.client.request('POST', '/api/profile/notification-rules', {
        contactMethodId: method.id,
        delayMinutes: 0,
      }),
    );
  }
  // The verification messages are not pages: forget them.
  opts.fake.accepted.length = 0;
  const policy = await ok<{ id: string }>(
    opts.admin.request('POST', '/api/alerts/policies', {
      name: 'Core network',
      levels: opts.responders.map((r) => ({
        targets: [{ kind: 'user', id: r.id }],
        delayMinutes: opts.delayMinutes ?? 5,
      })),
    }),
  );
  const service = await ok<{ id: string }>(
    opts.admin.request('POST', '/api/alerts/services', {
      name: 'Core switch',
      escalationPolicyId: policy.id,
      groupingWindowMinutes: opts.groupingWindowMinutes ?? 0,
    }),
  );
  const keys: Record<string, string> = {};
  for (const kind of ['generic', 'pagerduty', 'alertmanager', 'grafana', 'zabbix']) {
    const i = await ok<{ key: string }>(
      opts.admin.request('POST', '/api/alerts/integrations', {
        serviceId: service.id,
        kind,
        name: kind,
      }),
    );
    keys[kind] = i.key;
  }
  return { policyId: policy.id, serviceId: service.id, keys };
}
