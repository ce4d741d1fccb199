import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/db.js';
import {
  type DeskUser,
  type TestDesk,
  filesUnder,
  multipart,
  startTestDesk,
} from '../../../test/helpers/desk.js';
import { PNG, mailClient } from '../../../test/helpers/mail-intake.js';

/*
 * Watchers, merging, links to alert pages and `attachmentIds` on create and reply, through HTTP
 * on a real database, with ticket mail going to a real SMTP sink.
 */

type User = DeskUser;
interface Ticket {
  id: string;
  number: string;
  status: string;
}
interface Ev {
  id: string;
  kind: string;
  visibility: string;
  body: string | null;
  data: Record<string, unknown>;
}

describe.each(DIALECTS)(
  'ticket watchers, merge, alert links and attachmentIds on %s',
  (dialect) => {
    let t: TestDesk;
    let agent: User;
    let tech: User;
    let watcher: User;
    let requester: User;
    let otherRequester: User;
    let category: string;

    const audits = async (action: string) =>
      (
        await sql<{
          entity_id: string;
        }>`SELECT entity_id FROM audit_event WHERE action = ${action}`.execute(t.dd.database.db)
      ).rows.map((r) => r.entity_id);
    const inboxKinds = async (who: User) =>
      (
        (await who.request('GET', '/api/inbox')).json() as {
          items: { kind: string; link: string }[];
        }
      ).items;
    const detail = async (id: string) =>
      (await agent.request('GET', `/api/tickets/${id}`)).json() as { ticket: Ticket; events: Ev[] };
    const upload = async (who: User, name = 'photo.png') => {
      const f = multipart(name, 'image/png', PNG);
      const res = await who.request('POST', '/api/ticket-uploads', f.body, f.headers);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; fileName: string };
    };
    const phone = (title: string, contact = '138-0013-8000', extra: object = {}) => ({
      channel: 'phone',
      callerName: '王小明',
      callerContact: contact,
      type: 'fault',
      categoryId: category,
      title,
      description: '整个营业厅断网',
      impact: 'low',
      urgency: 'low',
      ...extra,
    });
    const portal = async (who: User, title: string, extra: object = {}) => {
      const res = await who.request('POST', '/api/portal/tickets', {
        channel: 'portal',
        type: 'fault',
        categoryId: category,
        title,
        description: '打印机卡纸',
        ...extra,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Ticket;
    };

    beforeAll(async () => {
      t = await startTestDesk(dialect, { mail: true });
      agent = await t.userWith(['service_agent']);
      tech = await t.userWith(['technician']);
      watcher = await t.userWith(['expert']);
      requester = await t.userWith(['requester']);
      otherRequester = await t.userWith(['requester']);
      category = await t.category('网络');
    }, 120_000);
    afterAll(async () => t?.close());

    it('adds and removes watchers, refuses non-staff and duplicates, keeps them from requesters', async () => {
      const tk = await portal(requester, '看不见的关注者');
      const res = await agent.request('POST', `/api/tickets/${tk.id}/watchers`, {
        userId: watcher.id,
      });
      expect(res.statusCode, res.body).toBe(201);
      const dup = await agent.request('POST', `/api/tickets/${tk.id}/watchers`, {
        userId: watcher.id,
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ field: 'userId' });
      const notStaff = await agent.request('POST', `/api/tickets/${tk.id}/watchers`, {
        userId: requester.id,
      });
      expect(notStaff.statusCode).toBe(400);
      expect(notStaff.json()).toMatchObject({ field: 'userId' });
      expect(
        (await agent.request('POST', `/api/tickets/${tk.id}/watchers`, {})).json(),
      ).toMatchObject({ field: 'userId' });
      // The requester has no way to see them: the staff routes are refused, the portal omits them.
      expect((await requester.request('GET', `/api/tickets/${tk.id}/watchers`)).statusCode).toBe(
        403,
      );
      expect((await requester.request('GET', `/api/tickets/${tk.id}/collab`)).statusCode).toBe(403);
      expect((await requester.request('GET', `/api/portal/tickets/${tk.id}`)).body).not.toContain(
        watcher.id,
      );
      const list = (await agent.request('GET', `/api/tickets/${tk.id}/watchers`)).json() as {
        items: { userId: string; addedBy: string }[];
      };
      expect(list.items).toEqual([
        expect.objectContaining({ userId: watcher.id, addedBy: agent.id }),
      ]);
      expect(await audits('ticket.watch')).toContain(tk.id);
      expect(
        (await agent.request('DELETE', `/api/tickets/${tk.id}/watchers/${watcher.id}`)).statusCode,
      ).toBe(204);
      expect(
        (await agent.request('DELETE', `/api/tickets/${tk.id}/watchers/${watcher.id}`)).statusCode,
      ).toBe(404);
      expect(await audits('ticket.unwatch')).toContain(tk.id);
    });

    it('tells watchers of public replies and state changes, not of internal notes nor their own acts', async () => {
      const tk = (
        await agent.request(
          'POST',
          '/api/tickets',
          phone('关注者收到通知', '138-0013-8001', {
            watcherIds: [watcher.id],
          }),
        )
      ).json() as Ticket;
      const before = (await inboxKinds(watcher)).length;
      await tech.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: '内部备注',
        visibility: 'internal',
      });
      expect((await inboxKinds(watcher)).length).toBe(before);
      await tech.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: '已联系现场',
        visibility: 'public',
      });
      await agent.request('POST', `/api/tickets/${tk.id}/transitions`, {
        action: 'assign',
        assigneeId: tech.id,
      });
      await watcher.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: '我自己的回复',
        visibility: 'public',
      });
      const got = (await inboxKinds(watcher)).slice(0, (await inboxKinds(watcher)).length - before);
      expect(got.map((n) => n.kind).sort()).toEqual([
        'tickets.watched_reply',
        'tickets.watched_status',
      ]);
      expect(got.every((n) => n.link === `/tickets/${tk.id}`)).toBe(true);
      // watcherIds on create are checked like the watcher route, naming the element.
      const bad = await agent.request(
        'POST',
        '/api/tickets',
        phone('坏关注者', '138-0013-8002', {
          watcherIds: [watcher.id, requester.id],
        }),
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ field: 'watcherIds.1' });
    });

    it('attaches uploads on create and reply, checking owner and reuse, saving nothing on refusal', async () => {
      const up = await upload(requester);
      const tk = await portal(requester, '带附件的工单', { attachmentIds: [up.id] });
      const d = await detail(tk.id);
      expect(d.events[0]!.data.attachments).toEqual([
        expect.objectContaining({ id: up.id, fileName: 'photo.png', contentType: 'image/png' }),
      ]);
      const files = (
        await requester.request('GET', `/api/portal/tickets/${tk.id}/attachments`)
      ).json() as {
        items: { id: string; eventId: string; visibility: string }[];
      };
      expect(files.items).toEqual([
        expect.objectContaining({ id: up.id, eventId: d.events[0]!.id, visibility: 'public' }),
      ]);
      expect(
        (await requester.request('GET', `/api/ticket-attachments/${up.id}`)).rawPayload,
      ).toEqual(PNG);

      const tickets = await t.count('ticket');
      const again = await requester.request('POST', '/api/portal/tickets', {
        channel: 'portal',
        type: 'fault',
        categoryId: category,
        title: '重复使用',
        description: 'x',
        attachmentIds: [up.id],
      });
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ field: 'attachmentIds.0' });
      const theirs = await upload(otherRequester);
      const stolen = await requester.request('POST', `/api/portal/tickets/${tk.id}/replies`, {
        body: '用别人的文件',
        visibility: 'public',
        attachmentIds: [theirs.id],
      });
      expect(stolen.statusCode).toBe(400);
      expect(stolen.json()).toMatchObject({ field: 'attachmentIds.0' });
      const twice = await agent.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: 'x',
        visibility: 'public',
        attachmentIds: [theirs.id, theirs.id],
      });
      expect(twice.statusCode).toBe(400);
      expect(await t.count('ticket')).toBe(tickets);
      expect((await detail(tk.id)).events.filter((e) => e.kind === 'reply')).toHaveLength(0);
      expect(await t.count('ticket_upload')).toBe(1);

      // An internal note's files are internal.
      const note = await upload(agent, 'log.png');
      const res = await agent.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: '现场日志',
        visibility: 'internal',
        attachmentIds: [note.id],
      });
      expect(res.statusCode, res.body).toBe(201);
      const staffFiles = (
        await agent.request('GET', `/api/tickets/${tk.id}/attachments`)
      ).json() as {
        items: { id: string; visibility: string }[];
      };
      expect(staffFiles.items.find((f) => f.id === note.id)?.visibility).toBe('internal');
      expect(
        (await requester.request('GET', `/api/ticket-attachments/${note.id}`)).statusCode,
      ).toBe(404);
      expect((await requester.request('POST', '/api/ticket-uploads', {})).json()).toMatchObject({
        field: 'file',
      });
    });

    it('mails an agent’s public reply with its attachments to the requester (real SMTP)', async () => {
      const tk = (
        await agent.request('POST', '/api/tickets', phone('邮件带附件', 'zhao@customer.example'))
      ).json() as Ticket;
      const up = await upload(agent, '处理报告.png');
      const res = await agent.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: '已更换交换机，见附图',
        visibility: 'public',
        attachmentIds: [up.id],
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.runJobs();
      const reply = t.sink!.received.find(
        (m) => m.envelopeTo.includes('zhao@customer.example') && m.text?.includes('已更换交换机'),
      );
      expect(reply, 'the reply mail').toBeDefined();
      expect(reply!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['处理报告.png', 'image/png'],
      ]);
      expect(Buffer.compare(reply!.attachments[0]!.content, PNG)).toBe(0);
      // The acknowledgement of the same ticket carries no files.
      const ack = t.sink!.received.find(
        (m) => m.envelopeTo.includes('zhao@customer.example') && m !== reply,
      );
      expect(ack?.attachments ?? []).toHaveLength(0);
    });

    it('merges B into A: B is closed as merged, both timelines say so, B’s requester is told', async () => {
      const a = await portal(requester, '打印机坏了 A');
      const b = await portal(requester, '打印机坏了 B');
      const c = await portal(otherRequester, '别人的打印机 C');
      await agent.request('POST', `/api/tickets/${b.id}/watchers`, { userId: watcher.id });
      await requester.request('POST', `/api/portal/tickets/${b.id}/replies`, {
        body: 'B 的补充',
        visibility: 'public',
      });
      const bFile = await upload(requester, 'b.png');
      await requester.request('POST', `/api/portal/tickets/${b.id}/replies`, {
        body: 'B 的照片',
        visibility: 'public',
        attachmentIds: [bFile.id],
      });

      const self = await agent.request('POST', `/api/tickets/${a.id}/merges`, {
        fromTicketId: a.id,
      });
      expect(self.statusCode).toBe(400);
      expect(self.json()).toMatchObject({ field: 'fromTicketId' });
      const across = await agent.request('POST', `/api/tickets/${a.id}/merges`, {
        fromTicketId: c.id,
      });
      expect(across.statusCode).toBe(409);
      expect(across.json()).toMatchObject({ field: 'acrossRequesters' });
      expect((await detail(c.id)).ticket.status).not.toBe('merged');
      expect(
        (await requester.request('POST', `/api/tickets/${a.id}/merges`, { fromTicketId: b.id }))
          .statusCode,
      ).toBe(403);

      const res = await agent.request('POST', `/api/tickets/${a.id}/merges`, {
        fromTicketId: b.id,
      });
      expect(res.statusCode, res.body).toBe(200);
      const db = await detail(b.id);
      expect(db.ticket.status).toBe('merged');
      expect(db.events.at(-1)).toMatchObject({
        kind: 'status_changed',
        data: expect.objectContaining({
          action: 'merge',
          to: 'merged',
          ticketId: a.id,
          number: a.number,
        }),
      });
      const da = await detail(a.id);
      expect(da.events.at(-1)).toMatchObject({
        kind: 'merged',
        visibility: 'public',
        data: { ticketId: b.id, number: b.number },
      });
      const collab = (await agent.request('GET', `/api/tickets/${a.id}/collab`)).json() as {
        watchers: { userId: string }[];
        mergedFrom: { ticketId: string }[];
        mergedEvents: { body: string | null; fromNumber: string }[];
      };
      expect(collab.watchers.map((w) => w.userId)).toContain(watcher.id);
      expect(collab.mergedFrom.map((m) => m.ticketId)).toEqual([b.id]);
      expect(collab.mergedEvents.filter((e) => e.body === 'B 的补充')).toEqual([
        expect.objectContaining({ fromNumber: b.number }),
      ]);
      const aFiles = (await agent.request('GET', `/api/tickets/${a.id}/attachments`)).json() as {
        items: { id: string }[];
      };
      expect(aFiles.items.map((f) => f.id)).toContain(bFile.id);
      // B's requester can still read B and is told where it went.
      expect((await requester.request('GET', `/api/portal/tickets/${b.id}`)).json()).toMatchObject({
        ticket: { status: 'merged' },
      });
      expect((await inboxKinds(requester)).map((n) => n.kind)).toContain('tickets.merged');
      expect(await audits('ticket.merge')).toContain(a.id);
      expect(await audits('ticket.merged')).toContain(b.id);
      // Nothing more moves B, and nothing merges into a merged or closed ticket.
      expect(
        (await agent.request('POST', `/api/tickets/${b.id}/transitions`, { action: 'start' }))
          .statusCode,
      ).toBe(409);
      const intoMerged = await agent.request('POST', `/api/tickets/${b.id}/merges`, {
        fromTicketId: a.id,
      });
      expect(intoMerged.statusCode).toBe(409);
      expect(intoMerged.json()).toMatchObject({ code: 'merge_target_final' });
      // Replies go to A: a mail about B threads there; the portal and staff are told to use A.
      const onB = await requester.request('POST', `/api/portal/tickets/${b.id}/replies`, {
        body: '还是不行',
        visibility: 'public',
      });
      expect(onB.statusCode).toBe(409);
      expect(onB.json()).toMatchObject({ code: 'ticket_merged', field: 'id' });
      expect((onB.json() as { message: string }).message).toContain(a.number);
      const client = mailClient(t.dd.smtpPort!);
      try {
        await client.send({
          from: 'someone@customer.example',
          to: 'help@desk.example',
          subject: `Re: [${b.number}] 打印机坏了 B`,
          text: '邮件里的补充：打印机又卡纸了',
        });
      } finally {
        client.close();
      }
      await t.runJobs();
      expect(
        (await detail(a.id)).events.filter(
          (e) => e.kind === 'reply' && e.body?.includes('打印机又卡纸了'),
        ),
      ).toHaveLength(1);
      expect(
        (await detail(b.id)).events.filter((e) => e.body?.includes('打印机又卡纸了')),
      ).toHaveLength(0);
      const again = await agent.request('POST', `/api/tickets/${a.id}/merges`, {
        fromTicketId: b.id,
      });
      expect(again.json()).toMatchObject({ code: 'merge_source_merged', field: 'fromTicketId' });

      // Across requesters with the agent's confirmation: the target's entry is internal.
      const ok = await agent.request('POST', `/api/tickets/${a.id}/merges`, {
        fromTicketId: c.id,
        acrossRequesters: true,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((await detail(a.id)).events.at(-1)).toMatchObject({
        kind: 'merged',
        visibility: 'internal',
      });
      expect(
        (
          (await requester.request('GET', `/api/portal/tickets/${a.id}`)).json() as { events: Ev[] }
        ).events.map((e) => e.kind),
      ).not.toContain('internal');
    });

    it('links a ticket to alert pages, showing their status from the alerts module', async () => {
      const policy = (
        await t.admin.request('POST', '/api/alerts/policies', {
          name: 'Core',
          levels: [{ targets: [{ kind: 'user', id: tech.id }], delayMinutes: 5 }],
        })
      ).json() as { id: string };
      const service = (
        await t.admin.request('POST', '/api/alerts/services', {
          name: 'Core switch',
          escalationPolicyId: policy.id,
        })
      ).json() as { id: string };
      const key = (
        (
          await t.admin.request('POST', '/api/alerts/integrations', {
            serviceId: service.id,
            kind: 'generic',
            name: 'generic',
          })
        ).json() as { key: string }
      ).key;
      const sent = await t.app.inject({
        method: 'POST',
        url: `/api/integrations/${key}/generic`,
        payload: { summary: '核心交换机端口down', severity: 'critical' },
      });
      expect(sent.statusCode, sent.body).toBeLessThan(300);
      await t.runJobs();
      const pages = (await tech.request('GET', '/api/pages?limit=10')).json() as {
        items: { id: string; summary: string }[];
      };
      const page = pages.items.find((p) => p.summary === '核心交换机端口down')!;
      expect(page).toBeDefined();

      // "Open a ticket" from the page links it on create.
      const created = await agent.request('POST', '/api/tickets', {
        channel: 'api',
        type: 'fault',
        categoryId: category,
        title: page.summary,
        description: '来自告警',
        impact: 'high',
        urgency: 'high',
        alertPageId: page.id,
      });
      expect(created.statusCode, created.body).toBe(201);
      const tk = created.json() as Ticket;
      const links = async () =>
        (
          (await agent.request('GET', `/api/tickets/${tk.id}/alert-links`)).json() as {
            items: {
              id: string;
              pageId: string;
              page: { status: string; summary: string } | null;
            }[];
          }
        ).items;
      expect(await links()).toEqual([
        expect.objectContaining({
          pageId: page.id,
          page: expect.objectContaining({ status: 'triggered', summary: page.summary }),
        }),
      ]);
      const ack = await tech.request('POST', `/api/pages/${page.id}/actions`, {
        type: 'acknowledge',
      });
      expect(ack.statusCode, ack.body).toBe(200);
      expect((await links())[0]!.page?.status).toBe('acknowledged');

      const dup = await agent.request('POST', `/api/tickets/${tk.id}/alert-links`, {
        pageId: page.id,
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ field: 'pageId' });
      const unknown = await agent.request('POST', `/api/tickets/${tk.id}/alert-links`, {
        pageId: '0190f0f0-0000-7000-8000-000000000000',
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ field: 'pageId' });
      const tickets = await t.count('ticket');
      const badCreate = await agent.request('POST', '/api/tickets', {
        channel: 'api',
        type: 'fault',
        categoryId: category,
        title: 'x',
        description: 'x',
        impact: 'high',
        urgency: 'high',
        alertPageId: 'no-such-page',
      });
      expect(badCreate.json()).toMatchObject({ field: 'alertPageId' });
      expect(await t.count('ticket')).toBe(tickets);
      expect((await detail(tk.id)).events.map((e) => e.kind)).toContain('alert_linked');
      expect((await requester.request('GET', `/api/tickets/${tk.id}/alert-links`)).statusCode).toBe(
        403,
      );
      const id = (await links())[0]!.id;
      expect(
        (await agent.request('DELETE', `/api/tickets/${tk.id}/alert-links/${id}`)).statusCode,
      ).toBe(204);
      expect(await links()).toEqual([]);
      expect(await audits('ticket.alert_unlink')).toContain(tk.id);
    });

    it('sweeps an upload no create or reply claimed after a day, file and row', async () => {
      await upload(agent, 'forgotten.png');
      const dir = join(t.dd.config.dataDir, 'attachments');
      const files = filesUnder(dir).length;
      expect(await t.count('ticket_upload')).toBeGreaterThan(0);
      t.clock.advance(23 * 3_600_000);
      await t.runJobs();
      expect((await t.count('ticket_upload')) > 0).toBe(true);
      t.clock.advance(2 * 3_600_000);
      await t.runJobs();
      expect(await t.count('ticket_upload')).toBe(0);
      expect(filesUnder(dir).length).toBeLessThan(files);
    });
  },
);
