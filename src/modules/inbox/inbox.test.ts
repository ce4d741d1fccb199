import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';
import { startSmtpSink } from '../../../test/helpers/smtp.js';

describe.each(DIALECTS)('the inbox on %s', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp(dialect, { ...smtp.env, ROLES: 'api,worker', JOB_POLL_MS: '50' });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function waitFor(check: () => boolean | Promise<boolean>) {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await check()).toBe(true);
  }

  it('shows a notification in the reader’s language and counts it unread until read', async () => {
    const u = await t.userWith(['technician']);
    expect((await u.request('POST', '/api/inbox/test', { email: false })).statusCode).toBe(201);
    const zh = (await u.request('GET', '/api/inbox')).json();
    expect(zh.unread).toBe(1);
    expect(zh.items[0]).toMatchObject({ kind: 'inbox.test', title: '测试通知', readAt: null });
    const en = (
      await u.request('GET', '/api/inbox', undefined, { cookie: `${u.cookie}; dd_lang=en` })
    ).json();
    expect(en.items[0].title).toBe('Test notification');
    expect((await u.request('POST', '/api/inbox/read', {})).json()).toEqual({ unread: 0 });
    expect((await u.request('GET', '/api/inbox?unread=true')).json().items).toHaveLength(0);
  });

  it('mails the notification through SMTP as a durable job, once', async () => {
    const u = await t.userWith(['duty_manager']);
    await t.admin.request('PATCH', `/api/users/${u.id}`, { email: 'dm@example.com', locale: 'en' });
    await u.request('POST', '/api/inbox/test', { email: true });
    await waitFor(() => smtp.received.some((m) => m.envelopeTo.includes('dm@example.com')));
    const mail = smtp.received.find((m) => m.envelopeTo.includes('dm@example.com'))!;
    expect(mail.subject).toBe('[Dutydesk] Test notification');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    await waitFor(
      async () =>
        (
          await t.dd.database.db
            .selectFrom('job')
            .select('status')
            .where('kind', '=', 'inbox.email')
            .where('status', '!=', 'done')
            .execute()
        ).length === 0,
    );
    expect(smtp.received.filter((m) => m.envelopeTo.includes('dm@example.com'))).toHaveLength(1);
  });

  it('skips the mail of a person without an address, and says so', async () => {
    const u = await t.userWith(['technician']);
    const { id } = (await u.request('POST', '/api/inbox/test', { email: true })).json();
    await waitFor(
      async () =>
        (
          await t.dd.database.db
            .selectFrom('notification')
            .select('email_status')
            .where('id', '=', id)
            .executeTakeFirst()
        )?.email_status === 'skipped',
    );
  });

  it('never shows one person another’s notifications', async () => {
    const a = await t.userWith(['technician']);
    const b = await t.userWith(['technician']);
    const { id } = (await a.request('POST', '/api/inbox/test', { email: false })).json();
    expect(
      (await b.request('GET', '/api/inbox')).json().items.map((i: { id: string }) => i.id),
    ).not.toContain(id);
    await b.request('POST', '/api/inbox/read', { ids: [id] });
    expect((await a.request('GET', '/api/inbox')).json().unread).toBe(1);
  });
});
