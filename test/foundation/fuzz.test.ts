import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../helpers/app.js';

const SAMPLE_ID = '0190f0f0-0000-7000-8000-000000000000';

async function counts(t: TestApp) {
  const db = t.dd.database.db;
  const q = async (table: string) =>
    Number(
      (await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!
        .n,
    );
  return {
    audit: await q('audit_event'),
    users: await q('user'),
    teams: await q('team'),
    tokens: await q('api_token'),
    members: await q('team_member'),
  };
}

/** Random JSON of the shapes a careless or hostile client sends. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'username',
      'displayName',
      'roles',
      'name',
      'timeZone',
      'password',
      'userIds',
      'scopes',
      'locale',
      'email',
      'disabled',
      'x',
      '__proto__',
      'constructor',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);

describe('bad input on every route: a clear 4xx, nothing half-written, the process stays up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('answers random JSON bodies with 4xx envelopes and changes nothing when it refuses', async () => {
    const routes = t.app
      .accessRules()
      .filter((r) => r.method !== 'GET' && !r.url.endsWith('sign-out'));
    expect(routes.length).toBeGreaterThan(8);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), anyJson, async (r, body) => {
        const before = await counts(t);
        const res = await t.admin.request(r.method, r.url.replace(/:[a-zA-Z]+/g, SAMPLE_ID), body);
        expect(
          res.statusCode,
          `${r.method} ${r.url} ${JSON.stringify(body)} → ${res.body}`,
        ).toBeLessThan(500);
        if (res.statusCode >= 400) {
          const env = res.json() as { code: string; message: string };
          expect(typeof env.code).toBe('string');
          expect(env.message.length).toBeGreaterThan(0);
          expect(res.body).not.toMatch(/at .*\.ts:\d+/); // no stack traces
          expect(await counts(t)).toEqual(before);
        }
      }),
      { numRuns: 300 },
    );
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('names the field and the reason', async () => {
    const res = await t.admin.request('POST', '/api/users', {
      username: 'ab',
      displayName: 'x',
      roles: ['technician'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'username' });
    const unknown = await t.admin.request('POST', '/api/teams', {
      name: 'N',
      timeZone: 'Asia/Shanghai',
      colour: 'red',
    });
    expect(unknown.json()).toMatchObject({ field: 'colour' });
    const zone = await t.admin.request('POST', '/api/teams', {
      name: 'N',
      timeZone: 'Mars/Olympus',
    });
    expect(zone.json()).toMatchObject({ field: 'timeZone' });
    const missing = await t.admin.request(
      'POST',
      '/api/teams',
      { timeZone: 'Asia/Shanghai' },
      { 'accept-language': 'en' },
    );
    expect(missing.json()).toMatchObject({ field: 'name' });
  });

  it('refuses malformed JSON, wrong types, bad ids and oversized bodies', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/teams',
      headers: {
        cookie: t.admin.cookie,
        'x-csrf-token': t.admin.csrf,
        'content-type': 'application/json',
      },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'invalid_json' });
    const wrongType = await t.admin.request('POST', '/api/teams', {
      name: 42,
      timeZone: 'Asia/Shanghai',
    });
    expect(wrongType.json()).toMatchObject({ code: 'validation_failed', field: 'name' });
    const badId = await t.admin.request('GET', '/api/users/not-an-id');
    expect(badId.statusCode).toBe(400);
    expect(badId.json()).toMatchObject({ field: 'id' });
    const huge = await t.admin.request('POST', '/api/teams', {
      name: 'x'.repeat(2_000_000),
      timeZone: 'UTC',
    });
    expect(huge.statusCode).toBe(413);
    const unknownId = await t.admin.request('GET', `/api/users/${SAMPLE_ID}`);
    expect(unknownId.statusCode).toBe(404);
    expect(unknownId.json().message).toBe(`找不到用户（${SAMPLE_ID}）`);
  });
});
