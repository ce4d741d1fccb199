import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '../../src/modules/users/auth.service.js';
import { ADMIN_PASSWORD, type TestApp, startTestApp } from '../helpers/app.js';

describe('sign-in, sessions, CSRF, rate limits and API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  const signIn = (username: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username, password },
      remoteAddress: ip,
    });

  it('sets an HttpOnly, SameSite=Lax session cookie and returns the user with a CSRF token', async () => {
    const res = await signIn('admin', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'dd_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    const body = res.json() as {
      user: { username: string; roles: string[]; permissions: string[] };
      csrfToken: string;
    };
    expect(body.user).toMatchObject({ username: 'admin', roles: ['admin'] });
    expect(body.user.permissions).toContain('users.manage');
    expect(body.csrfToken.length).toBeGreaterThan(20);
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const secure = await startTestApp('sqlite', { PUBLIC_URL: 'https://duty.example.com' });
    try {
      const res = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
      });
      expect(res.cookies.find((c) => c.name === 'dd_session')!.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('refuses a cookie-authenticated write without the CSRF token, and accepts it with one', async () => {
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/teams',
      headers: { cookie: t.admin.cookie },
      payload: { name: 'NOC', timeZone: 'Asia/Shanghai' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ code: 'csrf' });
    const ok = await t.admin.request('POST', '/api/teams', {
      name: 'NOC',
      timeZone: 'Asia/Shanghai',
    });
    expect(ok.statusCode).toBe(201);
  });

  it('gives one message for unknown user and wrong password', async () => {
    const a = await signIn('nobody', 'whatever-password', '10.1.1.1');
    const b = await signIn('admin', 'wrong-password', '10.1.1.2');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().message).toBe(b.json().message);
  });

  it('rate-limits sign-in per account, even with the right password, until the window passes', async () => {
    const u = await t.userWith(['technician'], 'limited');
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++)
      expect((await signIn('limited', 'bad-password', `10.2.0.${i}`)).statusCode).toBe(401);
    const blocked = await signIn('limited', u.password, '10.2.1.1');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(SIGN_IN_LIMITS.windowMs + 1000);
    expect((await signIn('limited', u.password, '10.2.1.1')).statusCode).toBe(200);
  });

  it('rate-limits sign-in per client address across accounts', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++)
      await signIn(`ghost${i}`, 'bad-password', '10.9.9.9');
    expect((await signIn('admin', ADMIN_PASSWORD, '10.9.9.9')).statusCode).toBe(429);
    expect((await signIn('admin', ADMIN_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
  });

  it('signs out: the session no longer works', async () => {
    const u = await t.userWith(['technician']);
    expect((await u.request('GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await u.request('POST', '/api/auth/sign-out')).statusCode).toBe(204);
    expect((await u.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('shows an API token once, stores only its hash, and stops accepting it when revoked', async () => {
    const res = await t.admin.request('POST', '/api/profile/tokens', {
      name: 'ci',
      scopes: ['users.read', 'teams.read'],
      expiresInDays: 30,
    });
    expect(res.statusCode).toBe(201);
    const { secret, token } = res.json() as { secret: string; token: { id: string } };
    const stored = await t.dd.database.db
      .selectFrom('api_token')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const list = await t.admin.request('GET', '/api/profile/tokens');
    expect(list.body).not.toContain(secret);
    const bearer = { authorization: `Bearer ${secret}` };
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/teams', headers: bearer })).statusCode,
    ).toBe(200);
    expect((await t.admin.request('DELETE', `/api/profile/tokens/${token.id}`)).statusCode).toBe(
      204,
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/teams', headers: bearer })).statusCode,
    ).toBe(401);
  });

  it('refuses a token scope the owner does not hold', async () => {
    const tech = await t.userWith(['technician']);
    const res = await tech.request('POST', '/api/profile/tokens', {
      name: 'x',
      scopes: ['users.manage'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'scopes.0' });
  });

  it('changes a password: wrong current refused, other sessions end', async () => {
    const u = await t.userWith(['technician'], 'changer');
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'changer', password: u.password },
    });
    const otherCookie = `dd_session=${other.cookies.find((c) => c.name === 'dd_session')!.value}`;
    const wrong = await u.request('POST', '/api/profile/password', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'a-new-password-1',
    });
    expect(wrong.json()).toMatchObject({ field: 'currentPassword' });
    expect(
      (
        await u.request('POST', '/api/profile/password', {
          currentPassword: u.password,
          newPassword: 'a-new-password-1',
        })
      ).statusCode,
    ).toBe(204);
    expect((await u.request('GET', '/api/auth/me')).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: otherCookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('answers in the language of the cookie or Accept-Language, Chinese by default', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/api/users' });
    expect(zh.json().message).toBe('请先登录');
    const en = await t.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.json().message).toBe('Please sign in first');
    const cookie = await t.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { cookie: 'dd_lang=en', 'accept-language': 'zh-CN' },
    });
    expect(cookie.json().message).toBe('Please sign in first');
  });

  it('disabling a user ends their sessions and blocks sign-in', async () => {
    const u = await t.userWith(['technician'], 'leaver');
    expect(
      (await t.admin.request('PATCH', `/api/users/${u.id}`, { disabled: true })).statusCode,
    ).toBe(200);
    expect((await u.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await signIn('leaver', u.password, '10.3.3.3')).statusCode).toBe(401);
  });

  // Last: it moves the clock past every session's expiry.
  it('slides a session while it is used, and expires it after the configured idle time', async () => {
    const u = await t.userWith(['technician']);
    const ttl = t.dd.config.sessionTtlMs;
    t.clock.advance(ttl - 60_000);
    expect((await u.request('GET', '/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(ttl - 60_000);
    expect((await u.request('GET', '/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(ttl + 1);
    expect((await u.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });
});
