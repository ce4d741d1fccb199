import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/db.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { setupPaging } from '../../../test/helpers/paging.js';
import { webhookFake } from '../../../test/fakes/webhook-fake.js';
import type { FakeHttpServer } from '../../../test/fakes/http-fake.js';
import { JobEngine } from '../../jobs/job-engine.js';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, 'intake', 'fixtures', name), 'utf8');
const MIN = 60_000;
const SECRET = 'hook-secret';

interface PageDetail {
  id: string;
  status: string;
  alertCount: number;
  alerts: { id: string; count: number; status: string }[];
  timeline: { type: string; data: Record<string, unknown> }[];
}

describe.each(DIALECTS)('alerts and paging on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeHttpServer;
  let engine: JobEngine;
  let u1: string;
  let u2: string;
  let setup: Awaited<ReturnType<typeof setupPaging>>;
  let responder: Awaited<ReturnType<TestApp['userWith']>>;

  /** Runs every due job until none is left (the clock stands still meanwhile). */
  async function settle() {
    while ((await engine.runDue()) > 0);
  }
  const post = (url: string, raw: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, payload: raw, headers: { 'content-type': contentType } });
  const pageOf = async (alertDedup: string) => {
    const list = (await t.admin.request('GET', '/api/alerts')).json() as {
      items: { dedupKey: string; pageId: string | null }[];
    };
    const a = list.items.find((i) => i.dedupKey === alertDedup);
    if (!a?.pageId) return null;
    return (await t.admin.request('GET', `/api/pages/${a.pageId}`)).json() as PageDetail;
  };
  const delivered = (userId: string, pageId?: string) =>
    fake.accepted.filter(
      (r) =>
        r.path === `/${userId}` &&
        (pageId === undefined || (r.json as { pageId?: string }).pageId === pageId),
    );

  beforeAll(async () => {
    t = await startTestApp(dialect, { WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32' });
    fake = await webhookFake({ secret: SECRET, now: () => t.clock.now() }).start();
    engine = new JobEngine({
      db: t.dd.database.db,
      dialect: t.dd.database.dialect,
      clock: t.clock,
      log: pino({ level: 'silent' }),
    });
    for (const j of t.dd.services.alerts.jobs) engine.register(j);
    responder = await t.userWith(['technician']);
    const expert = await t.userWith(['expert']);
    u1 = responder.id;
    u2 = expert.id;
    setup = await setupPaging({
      admin: t.admin,
      responders: [
        { client: responder, id: u1 },
        { client: expert, id: u2 },
      ],
      fake,
      secret: SECRET,
    });
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await t?.close();
  });

  it('stores a generic alert, opens a page, notifies level 1, then level 2 after the delay', async () => {
    const res = await post(
      `/api/integrations/${setup.keys.generic}/generic`,
      fixture('generic-trigger.json'),
    );
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'accepted', dedupKeys: ['room-a/hvac-temp'] });
    const page = (await pageOf('room-a/hvac-temp'))!;
    expect(page.status).toBe('triggered');
    await settle();
    expect(delivered(u1)).toHaveLength(1);
    expect(delivered(u2)).toHaveLength(0);
    const sent = delivered(u1)[0]!.json as { title: string; pageId: string };
    expect(sent.title).toContain('空调温度');
    expect(sent.pageId).toBe(page.id);
    t.clock.advance(5 * MIN);
    await settle();
    expect(delivered(u2)).toHaveLength(1);
    expect(delivered(u1)).toHaveLength(1);
    const after = (await pageOf('room-a/hvac-temp'))!;
    const types = after.timeline.map((e) => e.type);
    expect(types.filter((x) => x === 'notification_delivered')).toHaveLength(2);
    expect(types).toContain('escalated');
    // Resolve by the source: the page resolves with its last alert.
    const resolved = JSON.parse(fixture('generic-trigger.json')) as Record<string, unknown>;
    const r2 = await post(
      `/api/integrations/${setup.keys.generic}/generic`,
      JSON.stringify({ ...resolved, action: 'resolve' }),
    );
    expect(r2.statusCode).toBe(202);
    const closed = (await t.admin.request('GET', `/api/pages/${page.id}`)).json() as PageDetail;
    expect(closed.status).toBe('resolved');
  });

  it('deduplicates a repeated alert while it is open: one alert, one page, one notification', async () => {
    const body = JSON.stringify({ summary: 'disk full', source: 'db1', dedupKey: 'db1/disk' });
    const before = delivered(u1).length;
    for (let i = 0; i < 3; i++)
      expect((await post(`/api/integrations/${setup.keys.generic}/generic`, body)).statusCode).toBe(
        202,
      );
    await settle();
    const page = (await pageOf('db1/disk'))!;
    expect(page.alerts).toHaveLength(1);
    expect(page.alerts[0]!.count).toBe(3);
    expect(delivered(u1).length - before).toBe(1);
  });

  it('counts every repeat of an alert sent at once (one group-commit batch), pages once', async () => {
    const body = JSON.stringify({ summary: 'psu lost', source: 'r9', dedupKey: 'r9/psu' });
    const first = await post(`/api/integrations/${setup.keys.generic}/generic`, body);
    expect(first.statusCode).toBe(202);
    const before = delivered(u1).length;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        post(`/api/integrations/${setup.keys.generic}/generic`, body),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 12 }, () => 202));
    await settle();
    const page = (await pageOf('r9/psu'))!;
    expect(page.alerts).toHaveLength(1);
    expect(page.alerts[0]!.count).toBe(13);
    expect(delivered(u1).length - before).toBe(1);
  });

  it('does not deliver a send again when its job runs a second time (redelivered job)', async () => {
    const body = JSON.stringify({ summary: 'fan failure', source: 'rack7', dedupKey: 'rack7/fan' });
    expect((await post(`/api/integrations/${setup.keys.generic}/generic`, body)).statusCode).toBe(
      202,
    );
    await settle();
    const page = (await pageOf('rack7/fan'))!;
    expect(delivered(u1, page.id)).toHaveLength(1);
    const job = await t.dd.database.db
      .selectFrom('job')
      .selectAll()
      .where('kind', '=', 'notify.send')
      .where('payload', 'like', `%${page.id}%`)
      .executeTakeFirstOrThrow();
    const handler = t.dd.services.alerts.jobs.find((j) => j.kind === 'notify.send')!;
    const ctx = { job, db: t.dd.database.db, clock: t.clock, log: pino({ level: 'silent' }) };
    // As the engine runs it: with its preload (SQLite) or reading for itself.
    const preloaded = handler.preload
      ? await handler.preload(t.dd.database.db, JSON.parse(job.payload))
      : undefined;
    const outcome = await handler.run(JSON.parse(job.payload), { ...ctx, preloaded });
    expect(outcome).toBeUndefined();
    expect(delivered(u1, page.id)).toHaveLength(1);
  });

  it('stops escalating once acknowledged (by the signed link in the message)', async () => {
    const body = JSON.stringify({ summary: 'core switch down', source: 'sw1', dedupKey: 'sw1' });
    expect((await post(`/api/integrations/${setup.keys.generic}/generic`, body)).statusCode).toBe(
      202,
    );
    await settle();
    const msg = delivered(u1).at(-1)!.json as { links: { acknowledge: string } };
    const token = msg.links.acknowledge.split('/a/')[1]!;
    const look = await t.app.inject({ method: 'GET', url: `/api/pages/action?token=${token}` });
    expect(look.statusCode).toBe(200);
    expect(look.json()).toMatchObject({ action: 'acknowledge', page: { status: 'triggered' } });
    const html = await t.app.inject({
      method: 'GET',
      url: `/api/pages/action?token=${token}`,
      headers: { accept: 'text/html' },
    });
    expect(html.body).toContain('<form method="post"');
    const tampered = await t.app.inject({
      method: 'POST',
      url: '/api/pages/action',
      payload: { token: token.slice(0, -2) + 'xx' },
    });
    expect(tampered.statusCode).toBe(400);
    const ack = await t.app.inject({
      method: 'POST',
      url: '/api/pages/action',
      payload: `token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ page: { status: 'acknowledged' } });
    const page = (await pageOf('sw1'))!;
    t.clock.advance(10 * MIN);
    await settle();
    expect(delivered(u1, page.id)).toHaveLength(1);
    expect(delivered(u2, page.id)).toHaveLength(0);
    expect(page.timeline.map((e) => e.type)).toContain('acknowledged');
  });

  it('page actions by a responder: acknowledge, escalate now, resolve', async () => {
    const body = JSON.stringify({ summary: 'ups on battery', source: 'ups', dedupKey: 'ups1' });
    await post(`/api/integrations/${setup.keys.generic}/generic`, body);
    await settle();
    const page = (await pageOf('ups1'))!;
    const act = (type: string) =>
      responder.request('POST', `/api/pages/${page.id}/actions`, { type });
    expect((await act('acknowledge')).json()).toMatchObject({ status: 'acknowledged' });
    const u2Before = delivered(u2).length;
    expect((await act('escalate_now')).json()).toMatchObject({ status: 'triggered', level: 1 });
    await settle();
    expect(delivered(u2).length).toBe(u2Before + 1);
    expect((await act('resolve')).json()).toMatchObject({ status: 'resolved' });
    const guard = await t.userWith(['supervisor']);
    expect(
      (await guard.request('POST', `/api/pages/${page.id}/actions`, { type: 'acknowledge' }))
        .statusCode,
    ).toBe(403);
  });

  it('stores but does not page during a maintenance window', async () => {
    const w = await t.admin.request('POST', '/api/alerts/maintenance', {
      name: 'switch upgrade',
      serviceIds: [setup.serviceId],
      startsAt: t.clock.now() - MIN,
      endsAt: t.clock.now() + 30 * MIN,
    });
    expect(w.statusCode).toBe(201);
    const body = JSON.stringify({ summary: 'link flap', source: 'sw2', dedupKey: 'sw2' });
    expect((await post(`/api/integrations/${setup.keys.generic}/generic`, body)).statusCode).toBe(
      202,
    );
    const list = (await t.admin.request('GET', '/api/alerts')).json() as {
      items: { dedupKey: string; pageId: string | null; suppressed: string | null }[];
    };
    const a = list.items.find((i) => i.dedupKey === 'sw2')!;
    expect(a.pageId).toBeNull();
    expect(a.suppressed).toBe('maintenance');
    t.clock.advance(31 * MIN);
  });

  it('suppresses paging for an alert that flaps, its state carried from event to event (also within one batch)', async () => {
    const url = `/api/integrations/${setup.keys.generic}/generic`;
    const trigger = JSON.stringify({ summary: 'port flaps', source: 'sw9', dedupKey: 'flappy' });
    const resolve = JSON.stringify({ action: 'resolve', dedupKey: 'flappy' });
    // Sequential cycles, then a burst of concurrent requests (one group-commit batch).
    for (let i = 0; i < 3; i++) {
      expect((await post(url, trigger)).statusCode).toBe(202);
      expect((await post(url, resolve)).statusCode).toBe(202);
    }
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(url, i % 2 === 0 ? trigger : resolve)),
    );
    expect(burst.map((r) => r.statusCode)).toEqual(Array(6).fill(202));
    expect((await post(url, trigger)).statusCode).toBe(202);
    const list = (await t.admin.request('GET', '/api/alerts?limit=500')).json() as {
      items: { dedupKey: string; suppressed: string | null; pageId: string | null }[];
    };
    const flappy = list.items.filter((i) => i.dedupKey === 'flappy');
    // Default settings: more than 5 changes in 10 minutes is flapping.
    expect(flappy.length).toBeGreaterThanOrEqual(4);
    expect(flappy.some((a) => a.suppressed === 'flapping' && a.pageId === null)).toBe(true);
    expect(flappy.some((a) => a.suppressed === null && a.pageId !== null)).toBe(true);
    t.clock.advance(31 * MIN);
  });

  it('PagerDuty v2: accepts with its 202 shape, refuses bad keys and events with its 400 shape', async () => {
    const pd = JSON.parse(fixture('pagerduty-trigger.json')) as Record<string, unknown>;
    const ok = await post(
      '/v2/enqueue',
      JSON.stringify({ ...pd, routing_key: setup.keys.pagerduty }),
    );
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ status: 'success', message: 'Event processed' });
    const dedupKey = (ok.json() as { dedup_key: string }).dedup_key;
    expect(await pageOf(dedupKey)).not.toBeNull();
    const count = async () =>
      ((await t.admin.request('GET', '/api/alerts?limit=500')).json() as { items: unknown[] }).items
        .length;
    const n = await count();
    const unknown = await post(
      '/v2/enqueue',
      JSON.stringify({ ...pd, routing_key: 'a'.repeat(32) }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      status: 'invalid event',
      errors: ['Invalid routing key'],
    });
    const short = await post('/v2/enqueue', JSON.stringify({ ...pd, routing_key: 'abc' }));
    expect(short.statusCode).toBe(400);
    expect(JSON.stringify(short.json())).toContain('should be 32 characters');
    const action = await post(
      '/v2/enqueue',
      JSON.stringify({ ...pd, routing_key: setup.keys.pagerduty, event_action: 'explode' }),
    );
    expect(action.statusCode).toBe(400);
    expect((await post('/v2/enqueue', '{"routing_key": ')).statusCode).toBe(400);
    const big = await post(
      `/api/integrations/${setup.keys.generic}/generic`,
      JSON.stringify({ summary: 'x', source: 'y', details: { blob: 'z'.repeat(600_000) } }),
    );
    expect(big.statusCode).toBe(400);
    expect(big.json()).toMatchObject({ code: 'invalid_event' });
    expect((big.json() as { message: string }).message).toMatch(/limit/);
    const wrongKey = await post('/api/integrations/nope/generic', '{}');
    expect(wrongKey.statusCode).toBe(404);
    expect(await count()).toBe(n);
    const resolve = await post(
      '/v2/enqueue',
      JSON.stringify({
        routing_key: setup.keys.pagerduty,
        event_action: 'resolve',
        dedup_key: dedupKey,
      }),
    );
    expect(resolve.statusCode).toBe(202);
    expect((await pageOf(dedupKey))!.status).toBe('resolved');
  });

  it('takes Alertmanager, Grafana and Zabbix payloads', async () => {
    for (const [kind, file] of [
      ['alertmanager', 'alertmanager-v4-firing.json'],
      ['grafana', 'grafana-firing.json'],
      ['zabbix', 'zabbix-problem.json'],
    ] as const) {
      const res = await post(`/api/integrations/${setup.keys[kind]}/${kind}`, fixture(file));
      expect(res.statusCode, `${kind} ${res.body}`).toBe(202);
      const keys = (res.json() as { dedupKeys: string[] }).dedupKeys;
      expect(keys.length).toBeGreaterThan(0);
      expect(await pageOf(keys[0]!), kind).not.toBeNull();
    }
    // The integration key of one kind does not open another kind's endpoint.
    const cross = await post(
      `/api/integrations/${setup.keys.grafana}/zabbix`,
      fixture('zabbix-problem.json'),
    );
    expect(cross.statusCode).toBe(404);
  });

  it('refuses a wrong verification code and keeps the method unverified', async () => {
    const m = await responder.request('POST', '/api/profile/contact-methods', {
      name: 'second hook',
      target: { kind: 'webhook', url: `${fake.origin}/extra`, secret: SECRET },
    });
    const id = (m.json() as { id: string }).id;
    expect(
      (await responder.request('POST', `/api/profile/contact-methods/${id}/send-code`, {}))
        .statusCode,
    ).toBe(200);
    const wrong = await responder.request('POST', `/api/profile/contact-methods/${id}/verify`, {
      code: '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ field: 'code' });
    const list = (await responder.request('GET', '/api/profile/contact-methods')).json() as {
      items: { id: string; verified: boolean }[];
    };
    expect(list.items.find((i) => i.id === id)!.verified).toBe(false);
  });
});
