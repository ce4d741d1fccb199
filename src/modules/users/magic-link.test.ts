import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';
import { startSmtpSink } from '../../../test/helpers/smtp.js';
import { sha256 } from '../../lib/crypto.js';
import { MAGIC_LINK_LIMITS } from './magic-link.service.js';

describe.each(DIALECTS)('magic sign-in links on %s', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp(dialect, {
      ...smtp.env,
      ROLES: 'api,worker',
      JOB_POLL_MS: '50',
      PUBLIC_URL: 'https://desk.example.com',
    });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function waitFor(check: () => boolean | Promise<boolean>) {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await check()).toBe(true);
  }
  const post = (url: string, payload: unknown, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url, payload: payload as object, remoteAddress: ip });

  let n = 0;
  async function requester(email: string) {
    const u = await t.userWith(['requester'], `req${++n}_${dialect}`);
    await t.admin.request('PATCH', `/api/users/${u.id}`, { email });
    return u;
  }
  const mailsTo = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));
  const tokenOf = (text: string) => /\/portal\/link#token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

  it('mails a link by SMTP; it signs the requester in once, and only its hash is stored', async () => {
    const email = `ann-${dialect}@example.com`;
    const u = await requester(email);
    const res = await post('/api/auth/magic-link', { email: email.toUpperCase() }, '10.0.1.1');
    expect(res.statusCode).toBe(202);
    await waitFor(() => mailsTo(email).length === 1);
    const mail = mailsTo(email)[0]!;
    expect(mail.subject).toBe('Dutydesk 服务台登录链接');
    expect(mail.text).toContain('https://desk.example.com/portal/link#token=');
    const token = tokenOf(mail.text ?? '')!;
    const rows = await t.dd.database.db
      .selectFrom('magic_link')
      .selectAll()
      .where('user_id', '=', u.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const first = await post('/api/auth/magic-link/consume', { token });
    expect(first.statusCode).toBe(200);
    expect(first.json().user.id).toBe(u.id);
    const cookie = first.cookies.find((c) => c.name === 'dd_session')!;
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/portal/tickets',
      headers: { cookie: `dd_session=${cookie.value}` },
    });
    expect(me.statusCode).toBe(200);

    const again = await post('/api/auth/magic-link/consume', { token });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ code: 'bad_link', field: 'token' });
  });

  it('answers the same for an unknown address and mails nothing', async () => {
    const before = smtp.received.length;
    const res = await post('/api/auth/magic-link', { email: 'nobody@example.com' }, '10.0.2.1');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true });
    await new Promise((r) => setTimeout(r, 400));
    expect(smtp.received.length).toBe(before);
  });

  it('refuses a staff address (links are for requesters) the same quiet way', async () => {
    const staff = await t.userWith(['technician']);
    await t.admin.request('PATCH', `/api/users/${staff.id}`, { email: `tech-${dialect}@x.org` });
    expect(
      (await post('/api/auth/magic-link', { email: `tech-${dialect}@x.org` }, '10.0.3.1'))
        .statusCode,
    ).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(`tech-${dialect}@x.org`)).toHaveLength(0);
  });

  it('expires a link after 15 minutes', async () => {
    const email = `bob-${dialect}@example.com`;
    await requester(email);
    await post('/api/auth/magic-link', { email }, '10.0.4.1');
    await waitFor(() => mailsTo(email).length === 1);
    const token = tokenOf(mailsTo(email)[0]!.text ?? '')!;
    t.clock.advance(MAGIC_LINK_LIMITS.ttlMs + 1);
    const res = await post('/api/auth/magic-link/consume', { token });
    expect(res.statusCode).toBe(401);
  });

  it('limits requests per address and per client, for known and unknown addresses alike', async () => {
    for (const email of [`carol-${dialect}@example.com`, `ghost-${dialect}@example.com`]) {
      if (email.startsWith('carol')) await requester(email);
      const codes: number[] = [];
      for (let i = 0; i < MAGIC_LINK_LIMITS.perAddress + 1; i++)
        codes.push((await post('/api/auth/magic-link', { email }, `10.1.${i}.${n}`)).statusCode);
      expect(codes).toEqual([202, 202, 202, 429]);
    }
    const ip = '10.9.9.9';
    const codes: number[] = [];
    for (let i = 0; i < MAGIC_LINK_LIMITS.perIp + 1; i++)
      codes.push((await post('/api/auth/magic-link', { email: `x${i}@y.org` }, ip)).statusCode);
    expect(codes.slice(0, MAGIC_LINK_LIMITS.perIp).every((c) => c === 202)).toBe(true);
    const last = await post('/api/auth/magic-link', { email: 'z@y.org' }, ip);
    expect(last.statusCode).toBe(429);
    expect(last.json().message).toMatch(/\d+/);
  });

  it('forgets requests after a day (housekeeping)', async () => {
    await post('/api/auth/magic-link', { email: `old-${dialect}@example.com` }, '10.0.6.1');
    const count = async () =>
      (
        await t.dd.database.db
          .selectFrom('magic_link')
          .select('id')
          .where('email', '=', `old-${dialect}@example.com`)
          .execute()
      ).length;
    expect(await count()).toBe(1);
    t.clock.advance(24 * 3_600_000 + 1);
    await t.dd.services.magicLinks.purgeOld();
    expect(await count()).toBe(0);
  });

  it('answers bad input with a 4xx naming the field, never a 500', async () => {
    const bad = await post('/api/auth/magic-link', { email: 'not-an-address' }, '10.0.5.1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('email');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (token) => {
        const res = await post('/api/auth/magic-link/consume', { token });
        expect([400, 401]).toContain(res.statusCode);
      }),
      { numRuns: 30 },
    );
  });
});
