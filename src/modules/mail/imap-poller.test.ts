import { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';
import { startDovecot } from '../../../test/helpers/dovecot.js';
import { imapKey } from './imap-poller.js';

/*
 * IMAP polling against a real dovecot: messages are stored durably before they are flagged and
 * moved, a message stored by a poll that died before flagging is not stored (or processed) twice,
 * and a message over the size limit is held for an admin without being downloaded.
 */

let dovecot: Awaited<ReturnType<typeof startDovecot>>;
beforeAll(async () => {
  dovecot = await startDovecot();
}, 30_000);
afterAll(async () => dovecot?.stop());

function mailbox() {
  return new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
}

const message = (subject: string, body = 'hello', id = `${Math.random().toString(36).slice(2)}`) =>
  Buffer.from(
    `From: Li Lei <lilei@customer.example>\r\nTo: help@desk.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}@customer.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );

describe.each(DIALECTS)('IMAP polling on %s', (dialect) => {
  let t: TestApp;
  let client: ImapFlow;
  const folder = `Processed-${dialect}`;
  const box = `Inbox-${dialect}`;

  const runJobs = async () => {
    let idle = 0;
    for (let i = 0; i < 60 && idle < 2; i++)
      idle = (await t.dd.jobs!.runDue()) === 0 ? idle + 1 : 0;
  };
  const titles = async () =>
    (
      await sql<{ title: string }>`SELECT title FROM ticket ORDER BY created_at`.execute(
        t.dd.database.db,
      )
    ).rows.map((r) => r.title);
  const count = async (path: string) => {
    const status = await client.status(path, { messages: true });
    return status ? status.messages : -1;
  };

  beforeAll(async () => {
    client = mailbox();
    await client.connect();
    await client.mailboxCreate(box);
    await client.mailboxCreate(folder);
    t = await startTestApp(dialect, {
      ROLES: 'api,worker',
      JOB_POLL_MS: '3600000',
      MAIL_ADDRESS: 'help@desk.example',
      MAIL_MAX_BYTES: '100000',
      MAIL_IMAP_HOST: dovecot.host,
      MAIL_IMAP_PORT: String(dovecot.port),
      MAIL_IMAP_SECURE: 'false',
      MAIL_IMAP_USER: dovecot.user,
      MAIL_IMAP_PASSWORD: dovecot.password,
      MAIL_IMAP_MAILBOX: box,
      MAIL_IMAP_MOVE_TO: folder,
    });
    await t.admin.request('POST', '/api/tickets/categories', { name: '邮件报修' });
    // The worker's periodic poll runs once at start: let it finish before the test polls by hand.
    for (let i = 0; i < 200; i++) {
      const { rows } = await sql<{
        n: number | string;
      }>`SELECT COUNT(*) AS n FROM job WHERE kind = 'mail.imap_poll' AND status <> 'done'`.execute(
        t.dd.database.db,
      );
      const done = await sql<{
        n: number | string;
      }>`SELECT COUNT(*) AS n FROM job WHERE kind = 'mail.imap_poll' AND status = 'done'`.execute(
        t.dd.database.db,
      );
      if (Number(rows[0]!.n) === 0 && Number(done.rows[0]!.n) > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);
  afterAll(async () => {
    await client.logout();
    await t.close();
  });

  it('stores, then flags and moves; processes each message once', async () => {
    await client.append(box, message('打印机无法打印'));
    await client.append(box, message('Too big', 'x'.repeat(150_000)));
    const first = await t.dd.services.mail.pollImapNow();
    expect(first).toEqual({ stored: 1, alreadyStored: 0, tooLarge: 1 });
    expect(await count(box)).toBe(0);
    expect(await count(folder)).toBe(2);
    await runJobs();
    expect(await titles()).toEqual(['打印机无法打印']);
    const held = await t.admin.request('GET', '/api/mail/inbound?status=held');
    expect((held.json() as { items: { reason: string; source: string }[] }).items).toEqual([
      expect.objectContaining({ reason: 'too_large', source: 'imap' }),
    ]);
    // Nothing new in the mailbox: nothing is stored again.
    expect(await t.dd.services.mail.pollImapNow()).toEqual({
      stored: 0,
      alreadyStored: 0,
      tooLarge: 0,
    });
  });

  it('does not store or process twice a message whose poll died after storing it', async () => {
    const raw = message('断网了');
    const appended = await client.append(box, raw);
    if (!appended) throw new Error('append failed');
    // What a poll that was killed right after the commit leaves: stored, but still unseen.
    await t.dd.services.mail.receive({
      raw,
      source: 'imap',
      envelopeFrom: null,
      envelopeTo: [],
      imapKey: imapKey(
        { user: dovecot.user, host: dovecot.host, mailbox: box },
        appended.uidValidity!,
        appended.uid!,
      ),
    });
    expect(await t.dd.services.mail.pollImapNow()).toEqual({
      stored: 0,
      alreadyStored: 1,
      tooLarge: 0,
    });
    expect(await count(box)).toBe(0);
    await runJobs();
    expect((await titles()).filter((x) => x === '断网了')).toHaveLength(1);
  });
});
