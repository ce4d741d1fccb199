import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../jobs/job-engine.js';
import { DIALECTS } from '../../../test/helpers/db.js';
import {
  type DeskUser,
  type SmtpSink,
  type TestDesk,
  startTestDesk,
} from '../../../test/helpers/desk.js';
import type { SlaRecomputePayload } from './ticket-jobs.js';

/*
 * The gaps of issue #5 closed on branch tickets4, through HTTP on a real database: undoing a
 * merge, a watcher's opt-out of the mail copy (real SMTP sink), search over merged tickets'
 * replies from the target, and the SLA recompute of open tickets when a policy changes.
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
const MIN = 60_000;

describe.each(DIALECTS)(
  'ticket merge undo, watcher mail, merged search, SLA recompute on %s',
  (dialect) => {
    let t: TestDesk;
    let sink: SmtpSink;
    let agent: User;
    let tech: User;
    let watcher: User;
    let watcher2: User;
    let requester: User;
    let category: string;

    const audits = async (action: string) =>
      (
        await sql<{
          entity_id: string;
        }>`SELECT entity_id FROM audit_event WHERE action = ${action}`.execute(t.dd.database.db)
      ).rows.map((r) => r.entity_id);
    const runJobs = () => t.runJobs();
    const detail = async (id: string) =>
      (await agent.request('GET', `/api/tickets/${id}`)).json() as { ticket: Ticket; events: Ev[] };
    const watchers = async (id: string) =>
      (
        (await agent.request('GET', `/api/tickets/${id}/watchers`)).json() as {
          items: { userId: string; notifyMail: boolean }[];
        }
      ).items;
    const search = async (q: string) =>
      (
        (await agent.request('GET', `/api/tickets?q=${encodeURIComponent(q)}`)).json() as {
          items: Ticket[];
        }
      ).items;
    const portal = async (title: string, description = '打印机卡纸') => {
      const res = await requester.request('POST', '/api/portal/tickets', {
        channel: 'portal',
        type: 'fault',
        categoryId: category,
        title,
        description,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Ticket;
    };
    const phone = async (title: string, impact: string, urgency: string, extra: object = {}) => {
      const res = await agent.request('POST', '/api/tickets', {
        channel: 'phone',
        callerName: '王小明',
        callerContact: '138-0013-9000',
        type: 'fault',
        categoryId: category,
        title,
        description: '整个营业厅断网',
        impact,
        urgency,
        ...extra,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Ticket;
    };
    const slaRow = async (id: string) =>
      (
        await sql<{
          sla_policy_id: string | null;
          sla_due_at: string | number | null;
          created_at: string | number;
        }>`SELECT sla_policy_id, sla_due_at, created_at FROM ticket WHERE id = ${id}`.execute(
          t.dd.database.db,
        )
      ).rows.map((r) => ({
        policy: r.sla_policy_id,
        dueIn: r.sla_due_at === null ? null : Number(r.sla_due_at) - Number(r.created_at),
      }))[0]!;

    beforeAll(async () => {
      t = await startTestDesk(dialect, { mail: true });
      sink = t.sink!;
      agent = await t.userWith(['service_agent']);
      tech = await t.userWith(['technician']);
      watcher = await t.userWith(['expert']);
      watcher2 = await t.userWith(['expert']);
      requester = await t.userWith(['requester']);
      category = await t.category('网络');
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('undoes a merge: B gets its status back, A loses the watchers the merge gave it, both timelines say so', async () => {
      expect(
        (
          await t.admin.request('PATCH', `/api/users/${requester.id}`, {
            email: 'li@customer.example',
          })
        ).statusCode,
      ).toBe(200);
      const a = await portal('复印机卡纸 A');
      const b = await portal('复印机卡纸 B');
      const c = await portal('复印机卡纸 C');
      await agent.request('POST', `/api/tickets/${a.id}/watchers`, { userId: watcher2.id });
      await agent.request('POST', `/api/tickets/${b.id}/watchers`, { userId: watcher.id });
      const assigned = await agent.request('POST', `/api/tickets/${b.id}/transitions`, {
        action: 'assign',
        assigneeId: tech.id,
      });
      expect(assigned.statusCode, assigned.body).toBe(200);
      const merged = await agent.request('POST', `/api/tickets/${a.id}/merges`, {
        fromTicketId: b.id,
      });
      expect(merged.statusCode, merged.body).toBe(200);
      expect((await watchers(a.id)).map((w) => w.userId).sort()).toEqual(
        [watcher2.id, watcher.id, tech.id].sort(),
      );
      // The page knows where the undo goes.
      expect(
        (
          (await agent.request('GET', `/api/tickets/${a.id}/collab`)).json() as {
            mergedFrom: unknown[];
          }
        ).mergedFrom,
      ).toEqual([expect.objectContaining({ ticketId: b.id, intoId: a.id })]);

      // Who may not merge may not undo; a ticket not merged into A has nothing to undo.
      expect(
        (await requester.request('DELETE', `/api/tickets/${a.id}/merges/${b.id}`)).statusCode,
      ).toBe(403);
      const notMerged = await agent.request('DELETE', `/api/tickets/${a.id}/merges/${c.id}`);
      expect(notMerged.statusCode).toBe(409);
      expect(notMerged.json()).toMatchObject({ code: 'merge_not_found', field: 'fromTicketId' });
      const wrongWay = await agent.request('DELETE', `/api/tickets/${b.id}/merges/${a.id}`);
      expect(wrongWay.statusCode).toBe(409);

      const res = await agent.request('DELETE', `/api/tickets/${a.id}/merges/${b.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ ticketId: a.id, fromTicketId: b.id, status: 'assigned' });
      const db = await detail(b.id);
      expect(db.ticket.status).toBe('assigned');
      expect(db.events.at(-1)).toMatchObject({
        kind: 'status_changed',
        data: expect.objectContaining({ action: 'unmerge', from: 'merged', to: 'assigned' }),
      });
      expect((await detail(a.id)).events.at(-1)).toMatchObject({
        kind: 'unmerged',
        visibility: 'internal',
        data: { ticketId: b.id, number: b.number },
      });
      // A keeps the watcher it had before; B keeps its own.
      expect((await watchers(a.id)).map((w) => w.userId)).toEqual([watcher2.id]);
      expect((await watchers(b.id)).map((w) => w.userId)).toEqual([watcher.id]);
      const collab = (await agent.request('GET', `/api/tickets/${a.id}/collab`)).json() as {
        mergedFrom: unknown[];
        mergedEvents: unknown[];
      };
      expect(collab.mergedFrom).toEqual([]);
      expect(collab.mergedEvents).toEqual([]);
      expect(
        ((await agent.request('GET', `/api/tickets/${b.id}/collab`)).json() as { mergedInto: null })
          .mergedInto,
      ).toBeNull();
      expect(await audits('ticket.unmerge')).toContain(a.id);
      expect(await audits('ticket.unmerged')).toContain(b.id);
      const inbox = (await requester.request('GET', '/api/inbox')).json() as {
        items: { kind: string }[];
      };
      expect(inbox.items.map((n) => n.kind)).toContain('tickets.unmerged');
      // …and by mail: the ticket goes on on its own (one mail, of the undo, not of a status).
      await runJobs();
      const toRequester = sink.received.filter(
        (m) => m.envelopeTo.includes('li@customer.example') && m.subject?.includes(b.number),
      );
      expect(toRequester.map((m) => m.subject)).toEqual([
        expect.stringContaining('已受理'),
        expect.stringContaining('已合并到'),
        expect.stringContaining('已从'),
      ]);
      expect(toRequester.at(-1)!.text).toContain(a.number);

      // Undone once: a second undo is refused, and B is workable again.
      const twice = await agent.request('DELETE', `/api/tickets/${a.id}/merges/${b.id}`);
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'merge_undone', field: 'fromTicketId' });
      expect((twice.json() as { message: string }).message).toContain(b.number);
      const reply = await tech.request('POST', `/api/tickets/${b.id}/replies`, {
        body: '拆分后继续处理',
        visibility: 'public',
      });
      expect(reply.statusCode, reply.body).toBe(201);

      // Merged again, then changed outside the merge (B's status is not `merged` any more):
      // putting the old status back would overwrite that, so the undo is refused, nothing saved.
      expect(
        (await agent.request('POST', `/api/tickets/${a.id}/merges`, { fromTicketId: b.id }))
          .statusCode,
      ).toBe(200);
      await sql`UPDATE ticket SET status = 'closed' WHERE id = ${b.id}`.execute(t.dd.database.db);
      const changed = await agent.request('DELETE', `/api/tickets/${a.id}/merges/${b.id}`);
      expect(changed.statusCode).toBe(409);
      expect(changed.json()).toMatchObject({ code: 'merge_source_changed', field: 'fromTicketId' });
      expect((await detail(b.id)).ticket.status).toBe('closed');
      expect(
        (
          (await agent.request('GET', `/api/tickets/${a.id}/collab`)).json() as {
            mergedFrom: unknown[];
          }
        ).mergedFrom,
      ).toHaveLength(1);
    });

    it('lets a watcher turn the mail copy off: the inbox still tells them, the mail goes only to the others', async () => {
      for (const [u, email] of [
        [watcher, 'w1@staff.example'],
        [watcher2, 'w2@staff.example'],
      ] as const)
        expect((await t.admin.request('PATCH', `/api/users/${u.id}`, { email })).statusCode).toBe(
          200,
        );
      const tk = await phone('关注者邮件开关', 'low', 'low', {
        watcherIds: [watcher.id, watcher2.id],
      });
      expect((await watchers(tk.id)).every((w) => w.notifyMail)).toBe(true);

      const bad = await watcher.request('PATCH', `/api/tickets/${tk.id}/watchers/${watcher.id}`, {
        notifyMail: 'no',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ field: 'notifyMail' });
      const others = await watcher.request(
        'PATCH',
        `/api/tickets/${tk.id}/watchers/${watcher2.id}`,
        {
          notifyMail: false,
        },
      );
      expect(others.statusCode).toBe(403);
      const notWatching = await tech.request('PATCH', `/api/tickets/${tk.id}/watchers/${tech.id}`, {
        notifyMail: false,
      });
      expect(notWatching.statusCode).toBe(404);
      const off = await watcher.request('PATCH', `/api/tickets/${tk.id}/watchers/${watcher.id}`, {
        notifyMail: false,
      });
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json()).toMatchObject({ userId: watcher.id, notifyMail: false });
      expect(await audits('ticket.watch_mail')).toContain(tk.id);
      expect(
        Object.fromEntries((await watchers(tk.id)).map((w) => [w.userId, w.notifyMail])),
      ).toEqual({ [watcher.id]: false, [watcher2.id]: true });

      const inboxCount = async (u: User) =>
        (
          (await u.request('GET', '/api/inbox')).json() as { items: { link: string }[] }
        ).items.filter((n) => n.link === `/tickets/${tk.id}`).length;
      const reply = await tech.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: '已派人到现场',
        visibility: 'public',
      });
      expect(reply.statusCode, reply.body).toBe(201);
      await runJobs();
      expect(await inboxCount(watcher)).toBe(1);
      expect(await inboxCount(watcher2)).toBe(1);
      const mailTo = (addr: string) =>
        sink.received.filter((m) => m.envelopeTo.includes(addr) && m.subject?.includes(tk.number));
      expect(mailTo('w2@staff.example')).toHaveLength(1);
      expect(mailTo('w1@staff.example')).toHaveLength(0);

      // Turned on again, the next notice is mailed to them too.
      await watcher.request('PATCH', `/api/tickets/${tk.id}/watchers/${watcher.id}`, {
        notifyMail: true,
      });
      await tech.request('POST', `/api/tickets/${tk.id}/replies`, {
        body: '交换机已更换',
        visibility: 'public',
      });
      await runJobs();
      expect(mailTo('w1@staff.example')).toHaveLength(1);
    });

    it('finds the merge target by words only a merged ticket’s replies have, until the merge is undone', async () => {
      const a = await portal('会议室投影仪 A', '投影仪不亮');
      const b = await portal('会议室投影仪 B', '投影仪闪烁');
      await requester.request('POST', `/api/portal/tickets/${b.id}/replies`, {
        body: '型号 XJ-9000 的灯泡 鹦鹉',
        visibility: 'public',
      });
      const ids = async (q: string) => (await search(q)).map((x) => x.id).sort();
      expect(await ids('XJ-9000')).toEqual([b.id]);
      expect(await ids('鹦鹉')).toEqual([b.id]);

      await agent.request('POST', `/api/tickets/${a.id}/merges`, { fromTicketId: b.id });
      // The trigram path and the 1–2 character path both find A, and B (shown as merged).
      expect(await ids('XJ-9000')).toEqual([a.id, b.id].sort());
      expect(await ids('鹦鹉 灯泡')).toEqual([a.id, b.id].sort());
      expect((await search('XJ-9000')).find((x) => x.id === b.id)?.status).toBe('merged');
      // A reply on A rewrites A's document: B's words stay in it.
      await agent.request('POST', `/api/tickets/${a.id}/replies`, {
        body: '已联系厂家',
        visibility: 'public',
      });
      expect(await ids('XJ-9000')).toEqual([a.id, b.id].sort());
      expect(await ids('厂家')).toEqual([a.id]);

      await agent.request('DELETE', `/api/tickets/${a.id}/merges/${b.id}`);
      expect(await ids('XJ-9000')).toEqual([b.id]);
      expect(await ids('鹦鹉')).toEqual([b.id]);
    });

    it('recomputes the due times of open tickets when an SLA policy is created, edited or disabled', async () => {
      // low × low = P4 (built-in first response 240 min); low × high = P3 (60 min).
      const p4 = await phone('SLA 重算 P4', 'low', 'low');
      const p3 = await phone('SLA 重算 P3', 'low', 'high');
      expect(await slaRow(p4.id)).toEqual({ policy: 'builtin-P4', dueIn: 240 * MIN });
      expect(await slaRow(p3.id)).toEqual({ policy: 'builtin-P3', dueIn: 60 * MIN });

      const created = await t.admin.request('POST', '/api/tickets/sla-policies', {
        name: 'P4 加急',
        match: { priority: 'P4' },
        targets: { firstResponse: 30, resolution: 600 },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: string }).id;
      // Written with the change, run by the worker.
      expect(await slaRow(p4.id)).toEqual({ policy: 'builtin-P4', dueIn: 240 * MIN });
      await runJobs();
      expect(await slaRow(p4.id)).toEqual({ policy: id, dueIn: 30 * MIN });
      expect(await slaRow(p3.id)).toEqual({ policy: 'builtin-P3', dueIn: 60 * MIN });
      const recomputed = async (tid: string) =>
        (await detail(tid)).events.filter((e) => e.kind === 'sla_recomputed');
      expect(await recomputed(p4.id)).toEqual([
        expect.objectContaining({
          visibility: 'internal',
          data: expect.objectContaining({
            policyId: id,
            fromPolicyId: 'builtin-P4',
            toPolicyId: id,
          }),
        }),
      ]);
      expect(await recomputed(p3.id)).toEqual([]);
      expect(await audits('ticket_sla_policy.recompute')).toContain(id);

      // Edited: the tickets under it follow.
      const edited = await t.admin.request('PUT', `/api/tickets/sla-policies/${id}`, {
        name: 'P4 加急',
        match: { priority: 'P4' },
        targets: { firstResponse: 90, resolution: 600 },
        active: true,
      });
      expect(edited.statusCode, edited.body).toBe(200);
      await runJobs();
      expect(await slaRow(p4.id)).toEqual({ policy: id, dueIn: 90 * MIN });

      // A run repeated (a worker killed after its commit, the job retried) changes nothing more.
      const events = (await recomputed(p4.id)).length;
      const job = (
        await sql<{ payload: string }>`SELECT payload FROM job WHERE kind = 'tickets.sla_recompute'
        ORDER BY created_at DESC`.execute(t.dd.database.db)
      ).rows[0]!;
      const payload = JSON.parse(job.payload) as SlaRecomputePayload;
      await t.dd.services.tickets.slaRecomputeJob.run(payload, {} as JobContext);
      await t.dd.services.tickets.slaRecomputeJob.run(payload, {} as JobContext);
      expect((await recomputed(p4.id)).length).toBe(events);
      expect(await slaRow(p4.id)).toEqual({ policy: id, dueIn: 90 * MIN });

      // Disabled: back to the built-in policy.
      expect((await t.admin.request('DELETE', `/api/tickets/sla-policies/${id}`)).statusCode).toBe(
        200,
      );
      await runJobs();
      expect(await slaRow(p4.id)).toEqual({ policy: 'builtin-P4', dueIn: 240 * MIN });
      expect(await recomputed(p4.id)).toHaveLength(3);
    });

    it('moves the SLA timers of open tickets under the built-in policies when the warning point changes', async () => {
      // low × low = P4: built-in first response 240 min, warning at 80 % = 192 min.
      const p4 = await phone('SLA 预警点 P4', 'low', 'low');
      const timer = async () => {
        const r = (
          await sql<{ next: string | number | null; created: string | number }>`
            SELECT sla_next_at AS next, created_at AS created FROM ticket
            WHERE id = ${p4.id}`.execute(t.dd.database.db)
        ).rows[0]!;
        const next = Number(r.next);
        const jobs = (
          await sql<{ n: number }>`SELECT COUNT(*) AS n FROM job WHERE kind = 'tickets.sla'
            AND idempotency_key = ${`tickets.sla:${p4.id}:${next}`}`.execute(t.dd.database.db)
        ).rows[0]!;
        return { warnIn: next - Number(r.created), timerJobs: Number(jobs.n) };
      };
      expect(await timer()).toEqual({ warnIn: 192 * MIN, timerJobs: 1 });
      const put = await t.admin.request('PUT', '/api/tickets/settings/slaWarnPercent', {
        value: 50,
      });
      expect(put.statusCode, put.body).toBe(200);
      await runJobs();
      // 50 % of 240 min, and a timer job at that instant; the due instant stays.
      expect(await timer()).toEqual({ warnIn: 120 * MIN, timerJobs: 1 });
      expect(await slaRow(p4.id)).toEqual({ policy: 'builtin-P4', dueIn: 240 * MIN });
      expect(await audits('ticket_setting.recompute')).toContain('slaWarnPercent');
      // The same value again: no new run.
      const runs = async () =>
        Number(
          (
            await sql<{ n: number }>`SELECT COUNT(*) AS n FROM job
              WHERE kind = 'tickets.sla_recompute' AND payload LIKE '%"policyId":"builtin"%'`.execute(
              t.dd.database.db,
            )
          ).rows[0]!.n,
        );
      const before = await runs();
      await t.admin.request('PUT', '/api/tickets/settings/slaWarnPercent', { value: 50 });
      expect(await runs()).toBe(before);
      await t.admin.request('PUT', '/api/tickets/settings/slaWarnPercent', { value: 80 });
      await runJobs();
      expect(await timer()).toEqual({ warnIn: 192 * MIN, timerJobs: 1 });

      // A fresh ticket (its only timer at 192 min), 150 min in, the point lowered to 50 %
      // (120 min): the warning is due already and is recorded by the run, not at 192 min;
      // running the jobs again adds nothing.
      const fresh = await phone('SLA 预警点 P4 已到', 'low', 'low');
      const warnings = async () =>
        (await detail(fresh.id)).events.filter((e) => e.kind === 'sla_warning');
      t.clock.advance(150 * MIN);
      await runJobs();
      expect(await warnings()).toEqual([]);
      await t.admin.request('PUT', '/api/tickets/settings/slaWarnPercent', { value: 50 });
      await runJobs();
      expect((await warnings()).map((e) => e.data.target)).toEqual(['firstResponse']);
      await runJobs();
      expect(await warnings()).toHaveLength(1);
      await t.admin.request('PUT', '/api/tickets/settings/slaWarnPercent', { value: 80 });
      await runJobs();
    });

    it('recomputes more open tickets than one page holds, a page per job', async () => {
      // high × medium = P2; 105 of them: two pages of 100.
      const made: Ticket[] = [];
      for (let i = 0; i < 105; i++) made.push(await phone(`SLA 分页 ${i}`, 'high', 'medium'));
      const created = await t.admin.request('POST', '/api/tickets/sla-policies', {
        name: 'P2 分页',
        match: { priority: 'P2' },
        targets: { firstResponse: 7 },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: string }).id;
      await runJobs();
      const rows = (
        await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ticket
          WHERE sla_policy_id = ${id}`.execute(t.dd.database.db)
      ).rows[0]!;
      expect(Number(rows.n)).toBe(105);
      expect(await slaRow(made.at(-1)!.id)).toEqual({ policy: id, dueIn: 7 * MIN });
      const pages = (
        await sql<{ payload: string; status: string }>`SELECT payload, status FROM job
          WHERE kind = 'tickets.sla_recompute'`.execute(t.dd.database.db)
      ).rows
        .map((r) => ({ ...(JSON.parse(r.payload) as SlaRecomputePayload), status: r.status }))
        .filter((p) => p.policyId === id);
      expect(pages.map((p) => [p.afterId === null, p.status]).sort()).toEqual([
        [false, 'done'],
        [true, 'done'],
      ]);
    }, 120_000);
  },
);
