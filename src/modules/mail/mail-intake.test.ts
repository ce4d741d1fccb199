import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/db.js';
import {
  DESK_ADDRESS,
  type DeskUser,
  type TestDesk,
  startTestDesk,
} from '../../../test/helpers/desk.js';
import { PNG, mailClient, smtpRefusal } from '../../../test/helpers/mail-intake.js';

/*
 * The whole mail path on a real listener: nodemailer sends to Dutydesk's SMTP port, the process
 * job turns mail into tickets (or pages), and ticket mail goes out through a real SMTP sink.
 */

interface Ticket {
  id: string;
  number: string;
  channel: string;
  status: string;
  title: string;
  callerContact: string | null;
}
interface TicketEvent {
  id: string;
  kind: string;
  body: string | null;
  visibility: string;
  data: Record<string, unknown>;
}

describe.each(DIALECTS)('mail intake on %s', (dialect) => {
  let t: TestDesk;
  let client: ReturnType<typeof mailClient>;
  let agent: DeskUser;
  let tech: DeskUser;
  const desk = DESK_ADDRESS;

  const inbound = async () =>
    (
      await sql<{
        id: string;
        status: string;
        reason: string | null;
        field: string | null;
      }>`SELECT id, status, reason, field FROM mail_inbound ORDER BY received_at, id`.execute(
        t.dd.database.db,
      )
    ).rows;
  const ticketByTitle = async (title: string): Promise<Ticket> => {
    const res = await agent.request('GET', '/api/tickets?limit=200');
    const found = (res.json() as { items: Ticket[] }).items.find((x) => x.title === title);
    if (!found) throw new Error(`no ticket "${title}"`);
    return found;
  };
  const detail = async (id: string) =>
    (await agent.request('GET', `/api/tickets/${id}`)).json() as {
      ticket: Ticket;
      events: TicketEvent[];
    };
  const sentTo = (address: string) =>
    t.sink!.received.filter((m) => m.envelopeTo.includes(address));

  beforeAll(async () => {
    t = await startTestDesk(dialect, { mail: true, env: { MAIL_MAX_BYTES: '200000' } });
    client = mailClient(t.dd.smtpPort!);
    agent = await t.userWith(['service_agent']);
    tech = await t.userWith(['technician']);
    await t.category('网络故障');
  });
  afterAll(async () => {
    client.close();
    await t.close();
  });

  it('opens a ticket from a new mail and acknowledges it threaded, in the sender’s language', async () => {
    await client.send({
      from: 'Alice Smith <alice@customer.example>',
      to: desk,
      subject: 'Printer on floor 3 is jammed',
      text: 'The printer shows error E-42 since this morning.',
      messageId: '<m1.alice@customer.example>',
    });
    await t.runJobs();
    const tk = await ticketByTitle('Printer on floor 3 is jammed');
    expect(tk).toMatchObject({ channel: 'email', callerContact: 'alice@customer.example' });
    const d = await detail(tk.id);
    expect(d.events[0]).toMatchObject({ kind: 'created' });
    expect(d.events[0]!.data.mail).toMatchObject({
      from: 'alice@customer.example',
      messageId: '<m1.alice@customer.example>',
    });
    const [ack] = sentTo('alice@customer.example');
    expect(ack, 'the acknowledgement').toBeDefined();
    expect(ack!.subject).toBe(`[${tk.number}] Received: Printer on floor 3 is jammed`);
    expect(ack!.inReplyTo).toBe('<m1.alice@customer.example>');
    expect(ack!.references).toEqual('<m1.alice@customer.example>');
    expect(ack!.messageId).toMatch(
      new RegExp(`^<${tk.number.toLowerCase()}\\.[0-9a-f]+@desk\\.example>$`),
    );
    expect(ack!.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack!.replyTo?.text).toBe(desk);
    expect(ack!.text).toContain(tk.number);
    // Processed once: running the jobs again sends nothing more.
    await t.runJobs();
    expect(sentTo('alice@customer.example')).toHaveLength(1);
    expect((await inbound()).at(-1)).toMatchObject({ status: 'done' });
  });

  it('threads replies by In-Reply-To and by the ticket number in the subject; agents’ answers go out threaded', async () => {
    await client.send({
      from: '王小明 <wang@customer.example>',
      to: desk,
      subject: '营业厅网络中断',
      text: '上午九点起整个营业厅断网。',
      messageId: '<w1@customer.example>',
    });
    await t.runJobs();
    const tk = await ticketByTitle('营业厅网络中断');
    const ack = sentTo('wang@customer.example').at(-1)!;
    expect(ack.subject).toBe(`[${tk.number}] 已受理：营业厅网络中断`);

    // A reply to our acknowledgement, quoting it below.
    await client.send({
      from: '王小明 <wang@customer.example>',
      to: desk,
      subject: `回复：${ack.subject}`,
      text: `路由器指示灯全红。\n\n在 2026年11月21日 写道：\n> 您好，我们已收到`,
      messageId: '<w2@customer.example>',
      inReplyTo: ack.messageId,
      references: [ack.messageId!],
    });
    // A reply that lost its headers but kept the number in the subject.
    await client.send({
      from: 'wang@customer.example',
      to: desk,
      subject: `Re: [${tk.number}] 营业厅网络中断`,
      text: '重启后依旧。',
      messageId: '<w3@customer.example>',
    });
    await t.runJobs();
    let d = await detail(tk.id);
    const customer = d.events.filter((e) => e.kind === 'reply');
    expect(customer.map((e) => e.body)).toEqual(['路由器指示灯全红。', '重启后依旧。']);
    expect(customer.every((e) => e.data.author === 'customer')).toBe(true);

    // The agent's public reply is mailed, threaded to the customer's last mail; a note is not.
    expect(
      (
        await agent.request('POST', `/api/tickets/${tk.id}/replies`, {
          body: '请拔掉光猫电源一分钟后再试。',
          visibility: 'public',
        })
      ).statusCode,
    ).toBe(201);
    await agent.request('POST', `/api/tickets/${tk.id}/replies`, {
      body: '内部：疑似光猫故障',
      visibility: 'internal',
    });
    await t.runJobs();
    const mails = sentTo('wang@customer.example');
    const answer = mails.at(-1)!;
    expect(mails).toHaveLength(2);
    expect(answer.subject).toBe(`Re: [${tk.number}] 营业厅网络中断`);
    expect(answer.text).toContain('请拔掉光猫电源一分钟后再试。');
    expect(answer.text).not.toContain('内部');
    expect(answer.inReplyTo).toBe('<w3@customer.example>');
    expect(answer.references).toEqual([
      '<w1@customer.example>',
      ack.messageId,
      '<w2@customer.example>',
      '<w3@customer.example>',
    ]);
    expect(answer.headers.get('auto-submitted')).toBeUndefined();

    // Resolved: "please confirm"; the customer's mail back reopens it; closing is mailed too.
    const assigned = await agent.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'assign',
      assigneeId: tech.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const resolving = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resolve',
      note: '已更换光猫',
    });
    expect(resolving.statusCode, resolving.body).toBe(200);
    await t.runJobs();
    const resolved = sentTo('wang@customer.example').at(-1)!;
    expect(resolved.subject).toBe(`[${tk.number}] 已解决，请确认：营业厅网络中断`);
    await client.send({
      from: 'wang@customer.example',
      to: desk,
      subject: `Re: ${resolved.subject}`,
      text: '还是不行。',
      inReplyTo: resolved.messageId,
      messageId: '<w4@customer.example>',
    });
    await t.runJobs();
    d = await detail(tk.id);
    expect(d.ticket.status).toBe('reopened');
    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, { action: 'start' });
    const again = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resolve',
      note: '已重新配置',
    });
    expect(again.statusCode, again.body).toBe(200);
    const confirmed = await agent.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'confirm',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    await t.runJobs();
    expect(sentTo('wang@customer.example').at(-1)!.subject).toBe(
      `[${tk.number}] 已关闭：营业厅网络中断`,
    );
  });

  it('ignores auto-replies, bounces and its own mail, and answers automatic mail with nothing', async () => {
    const before = t.sink!.received.length;
    const n = (await inbound()).length;
    await client.send({
      from: 'bob@customer.example',
      to: desk,
      subject: 'Automatic reply: out of office',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await client.send({
      from: desk,
      to: desk,
      subject: 'Loop',
      text: 'from ourselves',
      messageId: '<loop@relay.example>',
    });
    await client.send({
      from: 'carol@customer.example',
      to: desk,
      subject: 'Our own id',
      text: 'x',
      messageId: '<tk-20261121-0001.abc@desk.example>',
    });
    await client.sendRaw(
      '',
      desk,
      'From: MAILER-DAEMON@mx.example\r\nTo: help@desk.example\r\nSubject: Undelivered Mail\r\n\r\nbounce\r\n',
    );
    // A monitoring robot's list mail opens a ticket but is not answered.
    await client.send({
      from: 'monitor@noc.example',
      to: desk,
      subject: 'Disk usage 91% on db-2',
      text: 'warning',
      headers: { Precedence: 'bulk' },
    });
    await t.runJobs();
    const rows = (await inbound()).slice(n);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['ignored', 'auto_reply'],
      ['ignored', 'own_sender'],
      ['ignored', 'own_message'],
      ['ignored', 'bounce'],
      ['done', null],
    ]);
    expect((await ticketByTitle('Disk usage 91% on db-2')).channel).toBe('email');
    expect(t.sink!.received.length).toBe(before);
  });

  it('keeps attachments, points cid images at them, refuses active content and blocks remote images', async () => {
    await client.send({
      from: 'dave@customer.example',
      to: desk,
      subject: 'Screenshot of the error',
      text: 'See the screenshot.',
      html: '<p>See <img src="cid:shot@x"> and <img src="https://tracker.example/p.gif"></p><script>alert(1)</script>',
      attachments: [
        { filename: 'shot.png', content: PNG, contentType: 'image/png', cid: 'shot@x' },
        { filename: 'page.html', content: '<script>alert(1)</script>', contentType: 'text/html' },
        { filename: 'log.txt', content: 'line 1\nline 2\n', contentType: 'text/plain' },
      ],
    });
    await t.runJobs();
    const tk = await ticketByTitle('Screenshot of the error');
    const list = await agent.request('GET', `/api/tickets/${tk.id}/attachments`);
    const items = (list.json() as { items: { id: string; fileName: string; url: string }[] }).items;
    expect(items.map((a) => a.fileName).sort()).toEqual(['log.txt', 'shot.png']);
    const png = items.find((a) => a.fileName === 'shot.png')!;
    const created = (await detail(tk.id)).events[0]!;
    const html = (created.data.mail as { html: string }).html;
    expect(html).toContain(`src="${png.url}"`);
    expect(html).not.toContain('tracker.example');
    expect(html).not.toContain('<script');
    expect(created.data.refusedAttachments).toEqual([
      { fileName: 'page.html', reason: 'tickets.errors.attachmentName' },
    ]);
    const dl = await agent.request('GET', png.url);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toBe(
      `attachment; filename="shot.png"; filename*=UTF-8''shot.png`,
    );
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses oversized, non-mail and misaddressed mail at SMTP; holds unusable mail for an admin', async () => {
    const n = (await inbound()).length;
    const big = await smtpRefusal(
      client.send({
        from: 'eve@customer.example',
        to: desk,
        subject: 'big',
        text: 'x'.repeat(300_000),
      }),
    );
    expect(big.code).toBe(552);
    const junk = await smtpRefusal(
      client.sendRaw('eve@customer.example', desk, 'not a mail at all\r\n'),
    );
    expect(junk.code).toBe(554);
    const elsewhere = await smtpRefusal(
      client.send({
        from: 'eve@customer.example',
        to: 'someone@other.example',
        subject: 's',
        text: 't',
      }),
    );
    expect(elsewhere.code).toBe(550);
    expect((await inbound()).length).toBe(n);

    // Accepted (it is a message) but unusable: no From anyone could be answered at.
    await client.sendRaw(
      'eve@customer.example',
      desk,
      'To: help@desk.example\r\nSubject: no sender\r\nMessage-ID: <nofrom@customer.example>\r\n\r\nhello\r\n',
    );
    await t.runJobs();
    const held = (await inbound()).at(-1)!;
    expect(held).toMatchObject({ status: 'held', reason: 'malformed', field: 'from' });

    const listed = await t.admin.request('GET', '/api/mail/inbound?status=held');
    expect((listed.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(
      held.id,
    );
    const view = await t.admin.request('GET', `/api/mail/inbound/${held.id}`);
    expect(view.json()).toMatchObject({ status: 'held', content: { text: 'hello\n' } });
    expect((await agent.request('GET', `/api/mail/inbound/${held.id}`)).statusCode).toBe(403);
    const raw = await t.admin.request('GET', `/api/mail/inbound/${held.id}/raw`);
    expect(raw.headers['content-disposition']).toContain('attachment');
    expect(raw.body).toContain('Subject: no sender');

    const again = await t.admin.request('POST', `/api/mail/inbound/${held.id}/reprocess`, {});
    expect(again.json()).toMatchObject({ status: 'received', runs: 2 });
    await t.runJobs();
    expect((await inbound()).at(-1)).toMatchObject({ status: 'held', reason: 'malformed' });
    const gone = await t.admin.request('POST', `/api/mail/inbound/${held.id}/discard`, {});
    expect(gone.json()).toMatchObject({ status: 'discarded' });
    const refused = await t.admin.request('POST', `/api/mail/inbound/${held.id}/reprocess`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'mail_not_held' });
    const audit = await t.admin.request('GET', '/api/audit?limit=50');
    const actions = (audit.json() as { items: { action: string }[] }).items.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['mail.reprocess', 'mail.discard', 'mail.hold']),
    );
  });

  it('opens a page from a mail to a service’s alert address and refuses unknown alert addresses', async () => {
    const me = (await t.admin.request('GET', '/api/auth/me')).json() as { user: { id: string } };
    const policy = await t.admin.request('POST', '/api/alerts/policies', {
      name: 'Core',
      levels: [{ targets: [{ kind: 'user', id: me.user.id }], delayMinutes: 5 }],
    });
    const service = await t.admin.request('POST', '/api/alerts/services', {
      name: 'Core switch',
      escalationPolicyId: (policy.json() as { id: string }).id,
    });
    const integration = await t.admin.request('POST', '/api/alerts/integrations', {
      serviceId: (service.json() as { id: string }).id,
      kind: 'email',
      name: 'Zabbix mail',
    });
    const { address, key } = integration.json() as { address: string; key: string };
    expect(address).toBe(`alert+${key}@desk.example`);
    await client.send({
      from: 'zabbix@noc.example',
      to: address,
      subject: 'PROBLEM: core switch SW-1 unreachable',
      text: 'ICMP ping failed',
    });
    await t.runJobs();
    const pages = (await t.admin.request('GET', '/api/pages')).json() as {
      items: { status: string; title?: string }[];
    };
    expect(pages.items).toHaveLength(1);
    expect(pages.items[0]!.status).toBe('triggered');
    const unknown = await smtpRefusal(
      client.send({
        from: 'zabbix@noc.example',
        to: `alert+${'0'.repeat(32)}@desk.example`,
        subject: 'PROBLEM: x',
        text: 'y',
      }),
    );
    expect(unknown.code).toBe(550);
  });
});
