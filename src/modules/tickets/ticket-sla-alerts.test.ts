import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/db.js';
import { type DeskUser, type TestDesk, startTestDesk } from '../../../test/helpers/desk.js';

const MIN = 60_000;

interface Ticket {
  id: string;
  number: string;
  status: string;
  level: string;
  assigneeId: string | null;
}
interface Detail {
  ticket: Ticket;
  events: { kind: string; data: Record<string, unknown> }[];
}
interface Page {
  id: string;
  summary: string;
}
interface PageDetail {
  timeline: { type: string; data: Record<string, unknown> }[];
}

describe.each(DIALECTS)('SLA notices through alerts on %s', (dialect) => {
  let t: TestDesk;
  let agent: DeskUser;
  let tech: DeskUser;
  let manager: DeskUser;
  let line1: string;
  let category: string;
  let serviceId: string;

  const detail = async (id: string) =>
    (await tech.request('GET', `/api/tickets/${id}`)).json() as Detail;
  const pages = async () =>
    ((await t.admin.request('GET', '/api/pages?limit=100')).json() as { items: Page[] }).items;
  const pagesOf = async (number: string) =>
    (await pages()).filter((p) => p.summary.includes(number));
  const phone = (extra: Record<string, unknown> = {}) => ({
    channel: 'phone',
    callerName: '李雷',
    callerContact: '139-0000-1111',
    type: 'fault',
    categoryId: category,
    title: '营业厅打印机无法打印',
    description: '打印机卡纸后无法打印',
    impact: 'high',
    urgency: 'high',
    groupId: line1,
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestDesk(dialect);
    agent = await t.userWith(['service_agent']);
    tech = await t.userWith(['technician']);
    manager = await t.userWith(['duty_manager']);
    const expert = await t.userWith(['expert']);
    line1 = await t.team('一线', [tech.id]);
    const line2 = await t.team('二线', [expert.id]);
    category = await t.category('终端');
    await t.admin.request('PUT', '/api/tickets/settings/levelGroups', { value: { line2 } });
    const policy = await t.admin.request('POST', '/api/alerts/policies', {
      name: 'SLA',
      levels: [{ targets: [{ kind: 'user', id: manager.id }], delayMinutes: 10 }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const service = await t.admin.request('POST', '/api/alerts/services', {
      name: '工单 SLA',
      escalationPolicyId: (policy.json() as { id: string }).id,
      groupingWindowMinutes: 0,
    });
    expect(service.statusCode, service.body).toBe(201);
    serviceId = (service.json() as { id: string }).id;
  }, 120_000);
  afterAll(async () => t?.close());

  it('refuses an alert service that does not exist, naming the field', async () => {
    const res = await t.admin.request('PUT', '/api/tickets/settings/slaAlertServiceId', {
      value: 'no-such-service',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'value' });
    const bad = await t.admin.request('PUT', '/api/tickets/settings/slaWarnPercent', {
      value: 100,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'value' });
  });

  it('pages the assignee through alerts at the warning % and on breach, once each, then escalates', async () => {
    expect(
      (
        await t.admin.request('PUT', '/api/tickets/settings/slaAlertServiceId', {
          value: serviceId,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await t.admin.request('PUT', '/api/tickets/settings/slaWarnPercent', { value: 50 }))
        .statusCode,
    ).toBe(200);
    const tk = (await agent.request('POST', '/api/tickets', phone())).json() as Ticket;
    expect(tk.assigneeId).toBe(tech.id);
    // P1 built-in first response 15 min; warning at 50 % = 7.5 min.
    t.clock.advance(7 * MIN);
    await t.runJobs();
    expect((await detail(tk.id)).events.filter((e) => e.kind === 'sla_warning')).toHaveLength(0);
    t.clock.advance(1 * MIN);
    await t.runJobs();
    let d = await detail(tk.id);
    expect(d.events.filter((e) => e.kind === 'sla_warning').map((e) => e.data.target)).toEqual([
      'firstResponse',
    ]);
    expect(d.events.filter((e) => e.kind === 'sla_paged').map((e) => e.data.signal)).toEqual([
      'warning',
    ]);
    let mine = await pagesOf(tk.number);
    expect(mine).toHaveLength(1);
    // The page notifies the assignee first (its first level), then the service's policy.
    const pd = (await t.admin.request('GET', `/api/pages/${mine[0]!.id}`)).json() as PageDetail;
    expect(pd.timeline.find((e) => e.type === 'escalated')?.data).toMatchObject({
      level: 0,
      userIds: [tech.id],
    });

    // A second run of the timer, and a retried paging job: nothing twice.
    await t.dd.services.tickets.slaJob.run({ ticketId: tk.id }, undefined as never);
    const job = await sql<{
      payload: string;
    }>`SELECT payload FROM job WHERE kind = 'tickets.sla_page'`.execute(t.dd.database.db);
    for (const r of job.rows)
      await t.dd.services.tickets.slaPageJob.run(JSON.parse(r.payload), undefined as never);
    await t.runJobs();
    expect(await pagesOf(tk.number)).toHaveLength(1);
    expect((await detail(tk.id)).events.filter((e) => e.kind === 'sla_paged')).toHaveLength(1);

    t.clock.advance(8 * MIN);
    await t.runJobs();
    await t.runJobs();
    d = await detail(tk.id);
    expect(d.events.filter((e) => e.kind === 'sla_breach')).toHaveLength(1);
    expect(d.events.filter((e) => e.kind === 'sla_paged').map((e) => e.data.signal)).toEqual([
      'warning',
      'breach',
    ]);
    expect(d.ticket.level).toBe('line2');
    mine = await pagesOf(tk.number);
    expect(mine).toHaveLength(2);
    const audit = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM audit_event WHERE action = 'ticket.sla_breach' AND entity_id = ${tk.id}`.execute(
      t.dd.database.db,
    );
    expect(Number(audit.rows[0]!.n)).toBe(1);
  });

  it("pages whoever is on duty in the group when the ticket waits unassigned in the group's queue", async () => {
    const tk = (
      await agent.request('POST', '/api/tickets', phone({ dispatch: 'queue' }))
    ).json() as Ticket;
    expect(tk.assigneeId).toBeNull();
    // Warning at 50 % of the 15-minute first response (setting from the test above).
    t.clock.advance(8 * MIN);
    await t.runJobs();
    const mine = await pagesOf(tk.number);
    expect(mine).toHaveLength(1);
    const pd = (await t.admin.request('GET', `/api/pages/${mine[0]!.id}`)).json() as PageDetail;
    // The group has no roster: its members are the people on duty (main.ts).
    expect(pd.timeline.find((e) => e.type === 'escalated')?.data).toMatchObject({
      level: 0,
      userIds: [tech.id],
    });
  });

  it('does not warn or page while the clock is paused (pending the customer)', async () => {
    const tk = (await agent.request('POST', '/api/tickets', phone())).json() as Ticket;
    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, { action: 'start' });
    t.clock.advance(3 * MIN);
    const wait = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'wait_customer',
    });
    expect((wait.json() as Ticket).status).toBe('pending_customer');
    // Far past every warning and due instant the running clock would have had.
    t.clock.advance(300 * MIN);
    await t.runJobs();
    await t.dd.services.tickets.slaJob.run({ ticketId: tk.id }, undefined as never);
    await t.runJobs();
    const d = await detail(tk.id);
    expect(d.events.filter((e) => e.kind.startsWith('sla_'))).toEqual([]);
    expect(await pagesOf(tk.number)).toEqual([]);
    expect(d.ticket.level).toBe('line1');
  });

  it('only notifies on breach when the policy does not escalate', async () => {
    const policy = await t.admin.request('POST', '/api/tickets/sla-policies', {
      name: '咨询',
      match: { type: 'consultation' },
      targets: { firstResponse: 10 },
      escalateOnBreach: false,
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const tk = (
      await agent.request('POST', '/api/tickets', phone({ type: 'consultation' }))
    ).json() as Ticket;
    t.clock.advance(11 * MIN);
    await t.runJobs();
    await t.runJobs();
    const d = await detail(tk.id);
    expect(d.events.filter((e) => e.kind === 'sla_breach')).toHaveLength(1);
    expect(d.events.filter((e) => e.kind === 'escalated')).toHaveLength(0);
    expect(d.ticket.level).toBe('line1');
    // Found late (past the due instant), only the breach is signalled and paged.
    expect(d.events.filter((e) => e.kind === 'sla_paged').map((e) => e.data.signal)).toEqual([
      'breach',
    ]);
    expect(await pagesOf(tk.number)).toHaveLength(1);
  });
});
