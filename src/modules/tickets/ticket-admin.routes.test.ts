import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/db.js';
import { type DeskUser, type TestDesk, startTestDesk } from '../../../test/helpers/desk.js';

interface Category {
  id: string;
  parentId: string | null;
  name: string;
  active: boolean;
}

describe.each(DIALECTS)('ticket administration routes on %s', (dialect) => {
  let t: TestDesk;
  let tech: DeskUser;

  const create = async (name: string, parentId?: string) => {
    const res = await t.admin.request('POST', '/api/tickets/categories', { name, parentId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Category;
  };
  const auditCount = async (action: string) =>
    Number(
      (
        await sql<{
          n: number;
        }>`SELECT COUNT(*) AS n FROM audit_event WHERE action = ${action}`.execute(t.dd.database.db)
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    t = await startTestDesk(dialect, { worker: false });
    tech = await t.userWith(['technician']);
  }, 60_000);
  afterAll(async () => t?.close());

  it('moves a category in the tree, refusing a cycle or an unknown parent and saving nothing then', async () => {
    const net = await create('网络');
    const sw = await create('交换机', net.id);
    const port = await create('端口', sw.id);
    const pc = await create('终端');

    const cycle = await t.admin.request('PATCH', `/api/tickets/categories/${net.id}`, {
      parentId: port.id,
      name: '网络设备',
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json()).toMatchObject({ field: 'parentId' });
    const unknown = await t.admin.request('PATCH', `/api/tickets/categories/${sw.id}`, {
      parentId: 'no-such-category',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'parentId' });
    const audits = await auditCount('ticket_category.update');
    // Nothing half-saved: the refused rename did not happen.
    const list = async () =>
      ((await t.admin.request('GET', '/api/tickets/categories')).json() as { items: Category[] })
        .items;
    expect((await list()).find((c) => c.id === net.id)?.name).toBe('网络');

    const moved = await t.admin.request('PATCH', `/api/tickets/categories/${sw.id}`, {
      parentId: pc.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: sw.id, parentId: pc.id });
    const top = await t.admin.request('PATCH', `/api/tickets/categories/${sw.id}`, {
      parentId: null,
    });
    expect(top.json()).toMatchObject({ parentId: null });
    expect(await auditCount('ticket_category.update')).toBe(audits + 2);

    // Only admins and duty managers administer categories.
    const denied = await tech.request('PATCH', `/api/tickets/categories/${sw.id}`, {
      parentId: pc.id,
    });
    expect(denied.statusCode).toBe(403);
  });

  it('reads the settings with their defaults and stores a change', async () => {
    const res = await t.admin.request('GET', '/api/tickets/settings');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      autoCloseDays: 7,
      slaWarnPercent: 80,
      slaAlertServiceId: null,
      dispatchStrategy: 'least_loaded',
      priorityMatrix: { impacts: ['high', 'medium', 'low'] },
      calendars: {},
    });
    await t.admin.request('PUT', '/api/tickets/settings/autoCloseDays', { value: 3 });
    expect((await t.admin.request('GET', '/api/tickets/settings')).json()).toMatchObject({
      autoCloseDays: 3,
    });
    const bad = await t.admin.request('PUT', '/api/tickets/settings/autoCloseDays', { value: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'value' });
    expect((await tech.request('GET', '/api/tickets/settings')).statusCode).toBe(403);

    const team = await t.team('机房');
    const calendar = {
      calendar: { kind: 'hours', zone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'] } },
      holidays: 'cn-2026',
    };
    const put = await t.admin.request('PUT', `/api/tickets/settings/calendar:${team}`, {
      value: calendar,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(
      ((await t.admin.request('GET', '/api/tickets/settings')).json() as { calendars: unknown })
        .calendars,
    ).toEqual({ [team]: calendar });
  });
  it('edits and disables an SLA policy, refusing bad input by field and saving nothing then', async () => {
    const created = await t.admin.request('POST', '/api/tickets/sla-policies', {
      name: '故障 P1',
      match: { type: 'fault', priority: 'P1' },
      targets: { firstResponse: 15, resolution: 240 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const updates = await auditCount('ticket_sla_policy.update');
    const bigCustomer = await t.userWith(['requester']);

    const edit = {
      name: '故障 P1 大客户',
      match: { type: 'fault', priority: 'P1', customerId: bigCustomer.id },
      targets: { firstResponse: 10, nextUpdate: 30, resolution: 120 },
      warnAtPercent: 75,
      escalateOnBreach: false,
      pauseStatuses: ['pending_customer', 'pending_third_party'],
    };
    const bad = await t.admin.request('PUT', `/api/tickets/sla-policies/${id}`, {
      ...edit,
      targets: { firstResponse: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'targets.firstResponse' });
    const none = await t.admin.request('PUT', `/api/tickets/sla-policies/${id}`, {
      ...edit,
      targets: {},
    });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ field: 'targets' });
    // The requester must be a user (the page picks one; an API client could type anything).
    const nobody = await t.admin.request('PUT', `/api/tickets/sla-policies/${id}`, {
      ...edit,
      match: { customerId: 'org-7' },
    });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json()).toMatchObject({ field: 'match.customerId' });
    // Paused statuses: only working statuses (resolved/closed/merged already stop the clock),
    // each once; the refusal names the field.
    for (const [pauseStatuses, field] of [
      [['closed'], 'pauseStatuses.0'],
      [['pending_customer', 'paused'], 'pauseStatuses.1'],
      [['pending_customer', 'pending_customer'], 'pauseStatuses'],
      ['pending_customer', 'pauseStatuses'],
    ] as const) {
      const r = await t.admin.request('PUT', `/api/tickets/sla-policies/${id}`, {
        ...edit,
        pauseStatuses,
      });
      expect(r.statusCode, JSON.stringify(pauseStatuses)).toBe(400);
      expect(r.json()).toMatchObject({ code: 'validation_failed', field });
    }
    const list = async () =>
      (
        (await t.admin.request('GET', '/api/tickets/sla-policies')).json() as {
          items: { id: string; name: string; active: boolean }[];
        }
      ).items.find((p) => p.id === id);
    expect(await list()).toMatchObject({ name: '故障 P1', active: true });
    expect(await auditCount('ticket_sla_policy.update')).toBe(updates);

    const ok = await t.admin.request('PUT', `/api/tickets/sla-policies/${id}`, edit);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await list()).toEqual({
      id,
      ...edit,
      calendarTeamId: null,
      active: true,
    });
    expect(await auditCount('ticket_sla_policy.update')).toBe(updates + 1);

    expect((await tech.request('DELETE', `/api/tickets/sla-policies/${id}`)).statusCode).toBe(403);
    expect((await tech.request('PUT', `/api/tickets/sla-policies/${id}`, edit)).statusCode).toBe(
      403,
    );
    const disabled = await t.admin.request('DELETE', `/api/tickets/sla-policies/${id}`);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ id, active: false });
    expect(await list()).toMatchObject({ active: false });
    expect(await auditCount('ticket_sla_policy.disable')).toBe(1);
    // A disabled policy no longer takes part in selection.
    const active = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM ticket_sla_policy WHERE id = ${id} AND active = 1`.execute(
      t.dd.database.db,
    );
    expect(Number(active.rows[0]!.n)).toBe(0);

    const missing = await t.admin.request(
      'DELETE',
      '/api/tickets/sla-policies/01900000-0000-7000-8000-000000000000',
    );
    expect(missing.statusCode).toBe(404);
  });
  it("runs a policy's clock on its own business calendar and refuses an unknown calendar team", async () => {
    const team = await t.team('客服中心');
    await t.admin.request('PUT', `/api/tickets/settings/calendar:${team}`, {
      value: {
        calendar: { kind: 'hours', zone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'] } },
      },
    });
    const body = {
      name: '服务请求（客服中心日历）',
      match: { type: 'request' },
      targets: { firstResponse: 10 },
      calendarTeamId: '01900000-0000-7000-8000-00000000beef',
    };
    const bad = await t.admin.request('POST', '/api/tickets/sla-policies', body);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'calendarTeamId' });
    const created = await t.admin.request('POST', '/api/tickets/sla-policies', {
      ...body,
      calendarTeamId: team,
    });
    expect(created.statusCode, created.body).toBe(201);
    const policyId = (created.json() as { id: string }).id;
    const badEdit = await t.admin.request('PUT', `/api/tickets/sla-policies/${policyId}`, body);
    expect(badEdit.json()).toMatchObject({ field: 'calendarTeamId' });

    const category = (
      (await t.admin.request('POST', '/api/tickets/categories', { name: '账号' })).json() as {
        id: string;
      }
    ).id;
    const agent = await t.userWith(['service_agent']);
    const res = await agent.request('POST', '/api/tickets', {
      channel: 'phone',
      callerName: '韩梅梅',
      callerContact: '139-0000-2222',
      type: 'request',
      categoryId: category,
      title: '开通 VPN 账号',
      description: '新员工需要 VPN',
      impact: 'low',
      urgency: 'low',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { id: string }).id;
    const d = (await agent.request('GET', `/api/tickets/${id}`)).json() as {
      sla: { policyId: string; targets: { target: string; dueAt: number | null }[] };
    };
    expect(d.sla.policyId).toBe(policyId);
    // Created Saturday 2026-11-21 20:00 Shanghai; the team works Mondays 09:00–18:00 only, so
    // ten business minutes end Monday 09:10 Shanghai (on 24×7 they would end at 20:10 Saturday).
    expect(d.sla.targets.find((x) => x.target === 'firstResponse')?.dueAt).toBe(
      Date.UTC(2026, 10, 23, 1, 10),
    );
  });
});
