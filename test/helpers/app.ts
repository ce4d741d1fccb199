import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/lib/clock.js';
import { type Dutydesk, startDutydesk } from '../../src/main.js';
import type { Role } from '../../src/server/permissions.js';
import { type DialectName, createTestDatabase } from './db.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestApp {
  dd: Dutydesk;
  app: FastifyInstance;
  clock: ManualClock;
  admin: Session;
  /** Create a user holding `roles` and sign them in. */
  userWith(roles: Role[], username?: string): Promise<Session & { id: string; password: string }>;
  close(): Promise<void>;
}

export interface Session {
  cookie: string;
  csrf: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

let counter = 0;

/** A Dutydesk on a fresh database, driven through app.inject (no port) with a manual clock. */
export async function startTestApp(
  dialect: DialectName = 'sqlite',
  env: Record<string, string> = {},
): Promise<TestApp> {
  const tdb = await createTestDatabase(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-data-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: tdb.url,
    LOG_LEVEL: 'silent',
    ROLES: 'api',
    ...env,
  });
  const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
  const prev = process.env.DUTYDESK_ADMIN_PASSWORD;
  process.env.DUTYDESK_ADMIN_PASSWORD = ADMIN_PASSWORD;
  const dd = await startDutydesk(config, { clock, listen: false, log: pino({ level: 'silent' }) });
  if (prev === undefined) delete process.env.DUTYDESK_ADMIN_PASSWORD;
  else process.env.DUTYDESK_ADMIN_PASSWORD = prev;
  const app = dd.app!;

  async function signIn(username: string, password: string): Promise<Session> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username, password },
    });
    if (res.statusCode !== 200)
      throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'dd_session')!;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    return session(app, `dd_session=${cookie.value}`, csrf);
  }

  const admin = await signIn('admin', ADMIN_PASSWORD);
  return {
    dd,
    app,
    clock,
    admin,
    async userWith(roles, username) {
      const name = username ?? `u${++counter}_${roles.join('_')}`.slice(0, 60);
      const password = 'password-' + name;
      const res = await admin.request('POST', '/api/users', {
        username: name,
        displayName: name,
        roles,
        password,
      });
      if (res.statusCode !== 201) throw new Error(`create ${name}: ${res.statusCode} ${res.body}`);
      const id = (res.json() as { user: { id: string } }).user.id;
      return { ...(await signIn(name, password)), id, password };
    },
    async close() {
      await dd.close();
      await tdb.drop();
    },
  };
}

export function session(app: FastifyInstance, cookie: string, csrf: string): Session {
  return {
    cookie,
    csrf,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, 'x-csrf-token': csrf, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
  };
}
