import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/db.js';
import { type TestApp, startTestApp } from '../helpers/app.js';

describe.each(DIALECTS)('users, teams and the audit log on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t.close());

  const auditOf = async (entityId: string) =>
    (await t.admin.request('GET', `/api/audit?entityId=${entityId}`)).json().items as {
      action: string;
      before: unknown;
      after: unknown;
      actorName: string;
      ip: string;
    }[];

  it('creates a user with a generated password that must be changed, and audits it without secrets', async () => {
    const res = await t.admin.request('POST', '/api/users', {
      username: 'Zhang.Wei',
      displayName: '张伟',
      roles: ['technician', 'expert'],
      email: 'zw@example.com',
    });
    expect(res.statusCode).toBe(201);
    const { user, initialPassword } = res.json() as {
      user: { id: string; username: string; roles: string[] };
      initialPassword: string;
    };
    expect(user.username).toBe('zhang.wei');
    expect(user.roles.sort()).toEqual(['expert', 'technician']);
    expect(initialPassword).toMatch(/^[\w]{5}(-[\w]{5}){3}$/);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'zhang.wei', password: initialPassword },
    });
    expect(signIn.json().user.mustChangePassword).toBe(true);
    const audit = await auditOf(user.id);
    expect(audit[audit.length - 1]).toMatchObject({ action: 'user.create', actorName: 'admin' });
    expect(JSON.stringify(audit)).not.toMatch(/argon2|password_hash/);
  });

  it('refuses a duplicate username with 409 naming the field', async () => {
    const res = await t.admin.request('POST', '/api/users', {
      username: 'zhang.wei',
      displayName: 'x',
      roles: ['technician'],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'username_taken', field: 'username' });
  });

  it('records before and after of a change', async () => {
    const u = await t.userWith(['service_agent']);
    const res = await t.admin.request('PATCH', `/api/users/${u.id}`, {
      roles: ['service_agent', 'duty_manager'],
      phone: '+86 138 0000 0000',
    });
    expect(res.statusCode).toBe(200);
    const [latest] = await auditOf(u.id);
    expect(latest).toMatchObject({
      action: 'user.update',
      before: { roles: ['service_agent'], phone: null },
    });
    expect((latest!.after as { roles: string[] }).roles.sort()).toEqual([
      'duty_manager',
      'service_agent',
    ]);
  });

  it('will not let an admin lock themselves out', async () => {
    const me = (await t.admin.request('GET', '/api/auth/me')).json().user as { id: string };
    const res = await t.admin.request('PATCH', `/api/users/${me.id}`, { disabled: true });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'disabled' });
  });

  it('manages teams and members; an unknown member is refused and nothing changes', async () => {
    const a = await t.userWith(['technician']);
    const b = await t.userWith(['security_guard']);
    const created = await t.admin.request('POST', '/api/teams', {
      name: '运维值班组',
      timeZone: 'Asia/Shanghai',
      description: '7×24',
    });
    expect(created.statusCode).toBe(201);
    const team = created.json().team as { id: string };
    const set = await t.admin.request('PUT', `/api/teams/${team.id}/members`, {
      userIds: [a.id, b.id],
    });
    expect(set.json().team.members).toHaveLength(2);
    const bad = await t.admin.request('PUT', `/api/teams/${team.id}/members`, {
      userIds: [a.id, '0190f0f0-0000-7000-8000-00000000dead'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'userIds.1' });
    const after = await t.admin.request('GET', `/api/teams/${team.id}`);
    expect(after.json().team.members).toHaveLength(2);
    const users = await t.admin.request('GET', `/api/users?teamId=${team.id}`);
    expect(users.json().items).toHaveLength(2);
    const me = await a.request('GET', '/api/auth/me');
    expect(me.json().user.teams).toEqual([{ id: team.id, name: '运维值班组' }]);
  });

  it('searches users by name', async () => {
    const res = await t.admin.request('GET', `/api/users?q=${encodeURIComponent('张')}`);
    expect(res.json().items.map((u: { username: string }) => u.username)).toEqual(['zhang.wei']);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    const db = t.dd.database.db;
    await expect(
      db.updateTable('audit_event').set({ action: 'tampered' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_event').execute()).rejects.toThrow(/append-only/);
  });

  it('lets admin and supervisor read the audit log, pages through it, and nobody else', async () => {
    const sup = await t.userWith(['supervisor']);
    const page1 = await sup.request('GET', '/api/audit?limit=2');
    expect(page1.statusCode).toBe(200);
    const { items, nextBefore } = page1.json() as { items: { id: string }[]; nextBefore: string };
    expect(items).toHaveLength(2);
    const page2 = (await sup.request('GET', `/api/audit?limit=2&before=${nextBefore}`)).json()
      .items as { id: string }[];
    expect(page2[0]!.id < items[1]!.id).toBe(true);
    const tech = await t.userWith(['technician']);
    expect((await tech.request('GET', '/api/audit')).statusCode).toBe(403);
  });
});
