import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingtalkFake } from '../../../test/fakes/dingtalk-fake.js';
import type { FakeHttpServer } from '../../../test/fakes/http-fake.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';
import { JobEngine } from '../../jobs/job-engine.js';

const MIN = 60_000;

interface PageDetail {
  id: string;
  timeline: { type: string; data: Record<string, unknown> }[];
}

async function ok<T>(p: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as T;
}

describe.each(DIALECTS)('paging a DingTalk robot over its rate limit on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeHttpServer;
  let engine: JobEngine;
  let key: string;

  async function settle() {
    while ((await engine.runDue()) > 0);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32' });
    fake = await dingtalkFake({
      accessToken: 'tok',
      secret: 'SECx',
      now: () => t.clock.now(),
      perMinute: 20,
    }).start();
    engine = new JobEngine({
      db: t.dd.database.db,
      dialect: t.dd.database.dialect,
      clock: t.clock,
      log: pino({ level: 'silent' }),
    });
    for (const j of t.dd.services.alerts.jobs) engine.register(j);
    const tech = await t.userWith(['technician']);
    const method = await ok<{ id: string }>(
      tech.request('POST', '/api/profile/contact-methods', {
        name: 'robot',
        target: {
          kind: 'dingtalk',
          webhookUrl: `${fake.origin}/robot/send?access_token=tok`,
          secret: 'SECx',
        },
      }),
    );
    await ok(tech.request('POST', `/api/profile/contact-methods/${method.id}/send-code`, {}));
    const code = /\b(\d{6})\b/.exec(JSON.stringify(fake.accepted.at(-1)?.json))?.[1];
    if (code === undefined) throw new Error('no verification code received');
    await ok(tech.request('POST', `/api/profile/contact-methods/${method.id}/verify`, { code }));
    await ok(
      tech.request('POST', '/api/profile/notification-rules', {
        contactMethodId: method.id,
        delayMinutes: 0,
      }),
    );
    fake.accepted.length = 0;
    t.clock.advance(2 * MIN);
    const policy = await ok<{ id: string }>(
      t.admin.request('POST', '/api/alerts/policies', {
        name: 'Robot',
        levels: [{ targets: [{ kind: 'user', id: tech.id }], delayMinutes: 30 }],
      }),
    );
    const service = await ok<{ id: string }>(
      t.admin.request('POST', '/api/alerts/services', {
        name: 'Core switch',
        escalationPolicyId: policy.id,
        groupingWindowMinutes: 0,
      }),
    );
    key = (
      await ok<{ key: string }>(
        t.admin.request('POST', '/api/alerts/integrations', {
          serviceId: service.id,
          kind: 'generic',
          name: 'generic',
        }),
      )
    ).key;
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await t?.close();
  });

  it('sends 20 pages in the minute, holds 5 and sends them as one digest when the window opens', async () => {
    for (let i = 0; i < 25; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/integrations/${key}/generic`,
        headers: { 'content-type': 'application/json' },
        payload: { summary: `Switch ${i} down`, severity: 'critical', dedupKey: `sw-${i}` },
      });
      expect(res.statusCode).toBe(202);
      await settle();
      t.clock.advance(1000);
    }
    expect(fake.accepted).toHaveLength(20);
    const pages = (
      await ok<{ items: { id: string; summary: string }[] }>(
        t.admin.request('GET', '/api/pages?limit=100'),
      )
    ).items;
    expect(pages).toHaveLength(25);
    const detail = async (i: number) => {
      const p = pages.find((x) => x.summary === `Switch ${i} down`)!;
      return ok<PageDetail>(t.admin.request('GET', `/api/pages/${p.id}`));
    };
    const held = await detail(22);
    expect(held.timeline.map((e) => e.type)).toContain('notification_held');
    expect(held.timeline.map((e) => e.type)).not.toContain('notification_delivered');

    t.clock.advance(MIN);
    await settle();
    await settle();
    expect(fake.accepted).toHaveLength(21);
    const digest = JSON.stringify(fake.accepted[20]!.json);
    for (let i = 20; i < 25; i++) expect(digest).toContain(`Switch ${i} down`);
    for (let i = 20; i < 25; i++) {
      const types = (await detail(i)).timeline.map((e) => e.type);
      expect(types).toContain('notification_held');
      expect(types).toContain('notification_sent_in_digest');
    }
    const first = (await detail(0)).timeline.map((e) => e.type);
    expect(first).toContain('notification_delivered');
    expect(first).not.toContain('notification_held');
  });

  it('records the throttle the robot answers when another sender used it up, and holds later pages for the digest', async () => {
    t.clock.advance(2 * MIN); // our own sends of the first test are out of the window
    // Another sender shares the robot and sends its 20 messages of the minute.
    for (let i = 0; i < 20; i++) {
      const ts = t.clock.now();
      const sign = createHmac('sha256', 'SECx').update(`${ts}\nSECx`).digest('base64');
      const res = await fetch(
        `${fake.origin}/robot/send?access_token=tok&timestamp=${ts}&sign=${encodeURIComponent(sign)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ msgtype: 'text', text: { content: `other ${i}` } }),
        },
      );
      expect(((await res.json()) as { errcode: number }).errcode).toBe(0);
    }
    const accepted = fake.accepted.length;
    const page = async (summary: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/integrations/${key}/generic`,
        headers: { 'content-type': 'application/json' },
        payload: { summary, severity: 'critical', dedupKey: summary },
      });
      expect(res.statusCode).toBe(202);
      await settle();
      const items = (
        await ok<{ items: { id: string; summary: string }[] }>(
          t.admin.request('GET', '/api/pages?limit=100'),
        )
      ).items;
      const p = items.find((x) => x.summary === summary)!;
      return (await ok<PageDetail>(t.admin.request('GET', `/api/pages/${p.id}`))).timeline;
    };
    // Our count said "send": the robot answers 130101 and blocks it for 10 minutes.
    const throttled = await page('UPS on battery');
    const failed = throttled.find((e) => e.type === 'notification_failed');
    expect(JSON.stringify(failed?.data)).toContain('130101');
    // The next page is not tried against the blocked robot: it waits for the digest.
    t.clock.advance(1000);
    const later = (await page('Core router down')).map((e) => e.type);
    expect(later).toContain('notification_held');
    expect(later).not.toContain('notification_failed');
    expect(fake.accepted).toHaveLength(accepted);
  });
});
