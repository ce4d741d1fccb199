import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/db.js';
import { type DeskUser, type TestDesk, startTestDesk } from '../../../test/helpers/desk.js';

describe.each(DIALECTS)('ticket views and reply templates on %s', (dialect) => {
  let t: TestDesk;
  let agent: DeskUser;
  let tech: DeskUser;
  let other: DeskUser;
  let requester: DeskUser;
  let line1: string;
  let line2: string;
  let network: string;

  beforeAll(async () => {
    t = await startTestDesk(dialect);
    agent = await t.userWith(['service_agent']);
    tech = await t.userWith(['technician']);
    other = await t.userWith(['technician']);
    requester = await t.userWith(['requester']);
    line1 = await t.team('一线', [tech.id]);
    line2 = await t.team('二线', [other.id]);
    network = await t.category('网络');
  }, 120_000);
  afterAll(async () => t?.close());

  const phone = (groupId: string, title: string) => ({
    channel: 'phone',
    callerName: '王小明',
    callerContact: '138-0013-8000',
    organisation: '城东营业厅',
    type: 'fault',
    categoryId: network,
    title,
    description: '整个营业厅断网',
    impact: 'low',
    urgency: 'low',
    groupId,
  });

  it('runs the built-in views: mine, my group, unassigned', async () => {
    const a = (await agent.request('POST', '/api/tickets', phone(line1, '一线的工单'))).json() as {
      id: string;
      assigneeId: string | null;
    };
    const b = (await agent.request('POST', '/api/tickets', phone(line2, '二线的工单'))).json() as {
      id: string;
    };
    expect(a.assigneeId).toBe(tech.id);
    const ids = async (who: typeof tech, key: string) =>
      (
        (await who.request('GET', `/api/tickets/views/${key}/tickets`)).json() as {
          items: { id: string }[];
        }
      ).items.map((x) => x.id);
    expect(await ids(tech, 'mine')).toEqual([a.id]);
    expect(await ids(tech, 'myGroup')).toEqual([a.id]);
    expect(await ids(other, 'myGroup')).toEqual([b.id].filter(Boolean));
    // The agent belongs to no team: "my group" is empty, not everything.
    expect(await ids(agent, 'myGroup')).toEqual([]);
    const listed = (await tech.request('GET', '/api/tickets/views')).json() as {
      builtIn: { key: string }[];
    };
    expect(listed.builtIn.map((v) => v.key)).toEqual([
      'mine',
      'myGroup',
      'breachingSoon',
      'unassigned',
    ]);
    expect((await tech.request('GET', '/api/tickets/views/everything/tickets')).statusCode).toBe(
      400,
    );
    expect((await requester.request('GET', '/api/tickets/views')).statusCode).toBe(403);
  });

  it('keeps saved views per user, refuses bad filters naming the field, audits changes', async () => {
    const audit0 = await t.count('audit_event');
    const created = await tech.request('POST', '/api/tickets/views', {
      name: '断网',
      query: { q: '断网', status: ['new', 'assigned'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json() as { id: string };
    const run = await tech.request('GET', `/api/tickets/views/${view.id}/tickets`);
    expect(run.statusCode, run.body).toBe(200);
    expect((run.json() as { items: unknown[] }).items.length).toBeGreaterThan(0);

    const before = await t.count('ticket_saved_view');
    const bad = await tech.request('POST', '/api/tickets/views', {
      name: 'x',
      query: { status: ['nope'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('query.status');
    const dup = await tech.request('POST', '/api/tickets/views', { name: '断网', query: {} });
    expect(dup.statusCode).toBe(409);
    expect(await t.count('ticket_saved_view')).toBe(before);

    // Someone else's view does not exist for them.
    expect(
      (await other.request('PATCH', `/api/tickets/views/${view.id}`, { name: '我的' })).statusCode,
    ).toBe(404);
    expect((await other.request('GET', `/api/tickets/views/${view.id}/tickets`)).statusCode).toBe(
      404,
    );
    const renamed = await tech.request('PATCH', `/api/tickets/views/${view.id}`, { name: '断网2' });
    expect((renamed.json() as { name: string }).name).toBe('断网2');
    expect((await tech.request('DELETE', `/api/tickets/views/${view.id}`)).statusCode).toBe(204);
    expect(await t.count('audit_event')).toBe(audit0 + 3);
  });

  it('fills reply templates from the ticket; per team; unknown placeholders refused', async () => {
    const bad = await t.admin.request('POST', '/api/tickets/templates', {
      name: '坏模板',
      body: '您好 {{customer}}',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('{{customer}}');
    const noTeam = await t.admin.request('POST', '/api/tickets/templates', {
      name: 'x',
      body: 'y',
      teamId: 'no-such-team',
    });
    expect(noTeam.statusCode).toBe(400);
    expect(noTeam.body).toContain('teamId');
    expect(
      (await agent.request('POST', '/api/tickets/templates', { name: 'a', body: 'b' })).statusCode,
    ).toBe(403);

    const tpl = (
      await t.admin.request('POST', '/api/tickets/templates', {
        name: '受理',
        body: '{{callerName}} 您好，工单 {{number}}（{{title}}）已受理。',
        teamId: line1,
      })
    ).json() as { id: string };
    const tk = (await agent.request('POST', '/api/tickets', phone(line1, '打印机卡纸'))).json() as {
      id: string;
      number: string;
    };
    const filled = await tech.request('GET', `/api/tickets/${tk.id}/templates/${tpl.id}`);
    expect(filled.statusCode, filled.body).toBe(200);
    expect((filled.json() as { body: string }).body).toBe(
      `王小明 您好，工单 ${tk.number}（打印机卡纸）已受理。`,
    );
    const elsewhere = (
      await agent.request('POST', '/api/tickets', phone(line2, '别的'))
    ).json() as {
      id: string;
    };
    const refused = await tech.request('GET', `/api/tickets/${elsewhere.id}/templates/${tpl.id}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('templateId');
    const forLine2 = (
      (await tech.request('GET', `/api/tickets/templates?teamId=${line2}`)).json() as {
        items: unknown[];
      }
    ).items;
    expect(forLine2).toEqual([]);
    expect(
      (await t.admin.request('PATCH', `/api/tickets/templates/${tpl.id}`, { teamId: null }))
        .statusCode,
    ).toBe(200);
    expect(
      (await tech.request('GET', `/api/tickets/${elsewhere.id}/templates/${tpl.id}`)).statusCode,
    ).toBe(200);
    expect((await t.admin.request('DELETE', `/api/tickets/templates/${tpl.id}`)).statusCode).toBe(
      204,
    );
  });

  it('schedules a follow-up visit on a resolved ticket, lists it when due, records the answer once', async () => {
    const tk = (await agent.request('POST', '/api/tickets', phone(line1, '回访测试'))).json() as {
      id: string;
    };
    const early = await agent.request('POST', `/api/tickets/${tk.id}/follow-ups`, {
      assigneeId: agent.id,
      dueAt: t.clock.now() + 60_000,
    });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('status');
    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, { action: 'start' });
    const resolved = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resolve',
      note: '已修复',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);

    const before = await t.count('ticket_follow_up');
    for (const [body, field] of [
      [{ assigneeId: 'nobody', dueAt: 1 }, 'assigneeId'],
      [{ assigneeId: agent.id, dueAt: 'tomorrow' }, 'dueAt'],
      [{ assigneeId: agent.id }, 'dueAt'],
    ] as const) {
      const r = await agent.request('POST', `/api/tickets/${tk.id}/follow-ups`, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.body).toContain(field);
    }
    expect(await t.count('ticket_follow_up')).toBe(before);

    const created = await agent.request('POST', `/api/tickets/${tk.id}/follow-ups`, {
      assigneeId: agent.id,
      dueAt: t.clock.now() + 60 * 60_000,
      note: '确认网络稳定',
    });
    expect(created.statusCode, created.body).toBe(201);
    const fu = created.json() as { id: string };
    const due = async (q: string) =>
      (
        (await agent.request('GET', `/api/tickets/follow-ups?${q}`)).json() as {
          items: { id: string }[];
        }
      ).items.map((x) => x.id);
    expect(await due('assignee=me')).not.toContain(fu.id);
    expect(await due('assignee=me&dueWithin=120')).toContain(fu.id);

    const bad = await agent.request('POST', `/api/tickets/follow-ups/${fu.id}/record`, {
      customerSaid: '好了',
      outcome: 'great',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('outcome');
    const rec = await agent.request('POST', `/api/tickets/follow-ups/${fu.id}/record`, {
      customerSaid: '客户表示网络已稳定，满意',
      outcome: 'satisfied',
    });
    expect(rec.statusCode, rec.body).toBe(200);
    const again = await agent.request('POST', `/api/tickets/follow-ups/${fu.id}/record`, {
      customerSaid: '再次',
      outcome: 'satisfied',
    });
    expect(again.statusCode).toBe(409);
    expect(await due('assignee=me&dueWithin=120')).not.toContain(fu.id);
    const detail = (await agent.request('GET', `/api/tickets/${tk.id}`)).json() as {
      events: { kind: string; body: string | null; visibility: string }[];
    };
    const ev = detail.events.find((e) => e.kind === 'follow_up');
    expect(ev?.body).toBe('客户表示网络已稳定，满意');
    expect(ev?.visibility).toBe('internal');
    expect((await requester.request('GET', '/api/tickets/follow-ups')).statusCode).toBe(403);
  });

  it('links tickets (both directions listed), refuses self, duplicates and unknown kinds, audits', async () => {
    const mk = async (title: string) =>
      ((await agent.request('POST', '/api/tickets', phone(line1, title))).json() as { id: string })
        .id;
    const a = await mk('主故障');
    const b = await mk('重复报障');
    const audit0 = await t.count('audit_event');
    const link = await tech.request('POST', `/api/tickets/${b}/links`, {
      toTicketId: a,
      kind: 'duplicate_of',
    });
    expect(link.statusCode, link.body).toBe(201);
    const before = await t.count('ticket_link');
    for (const [body, status, field] of [
      [{ toTicketId: b, kind: 'related' }, 400, 'toTicketId'],
      [{ toTicketId: a, kind: 'sibling' }, 400, 'kind'],
      [{ toTicketId: 'missing', kind: 'related' }, 400, 'toTicketId'],
      [{ toTicketId: a, kind: 'duplicate_of' }, 409, 'toTicketId'],
    ] as const) {
      const r = await tech.request('POST', `/api/tickets/${b}/links`, body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.body).toContain(field);
    }
    expect(await t.count('ticket_link')).toBe(before);
    const fromA = (
      (await tech.request('GET', `/api/tickets/${a}/links`)).json() as {
        items: { id: string; direction: string; ticketId: string; kind: string }[];
      }
    ).items;
    expect(fromA).toEqual([
      expect.objectContaining({ direction: 'incoming', ticketId: b, kind: 'duplicate_of' }),
    ]);
    expect((await requester.request('GET', `/api/tickets/${a}/links`)).statusCode).toBe(403);
    expect(
      (await tech.request('DELETE', `/api/tickets/${a}/links/${fromA[0]!.id}`)).statusCode,
    ).toBe(204);
    expect(await t.count('ticket_link')).toBe(before - 1);
    expect(await t.count('audit_event')).toBe(audit0 + 2);
  });
});
