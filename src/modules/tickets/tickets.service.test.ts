import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/db.js';
import { type DeskUser, type TestDesk, startTestDesk } from '../../../test/helpers/desk.js';
import { matchesPlan, normaliseForSearch, planSearch, shortTokens } from './short-query.js';

const MIN = 60_000;
const DAY = 86_400_000;

interface Ticket {
  id: string;
  number: string;
  status: string;
  level: string;
  priority: string;
  assigneeId: string | null;
  groupId: string | null;
  slaBreached: boolean;
  survey: { score: number } | null;
}

describe.each(DIALECTS)('tickets on %s', (dialect) => {
  let t: TestDesk;
  let agent: DeskUser;
  let tech: DeskUser;
  let expert: DeskUser;
  let requester: DeskUser;
  let other: DeskUser;
  let supervisor: DeskUser;
  let line1: string;
  let line2: string;
  let network: string;

  const counts = async () => ({
    tickets: await t.count('ticket'),
    events: await t.count('ticket_event'),
    audit: await t.count('audit_event'),
    searchDocs: await t.count('ticket_search'),
    jobs: await t.count('job'),
  });

  const phone = (extra: Record<string, unknown> = {}) => ({
    channel: 'phone',
    callerName: '王小明',
    callerContact: '138-0013-8000',
    organisation: '城东营业厅',
    type: 'fault',
    categoryId: network,
    title: '营业厅网络故障',
    description: '上午九点起整个营业厅断网，收银无法使用',
    impact: 'high',
    urgency: 'high',
    groupId: line1,
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestDesk(dialect);
    agent = await t.userWith(['service_agent']);
    tech = await t.userWith(['technician']);
    expert = await t.userWith(['expert']);
    requester = await t.userWith(['requester']);
    other = await t.userWith(['requester']);
    supervisor = await t.userWith(['supervisor']);
    line1 = await t.team('一线', [tech.id]);
    line2 = await t.team('二线', [expert.id]);
    network = await t.category('网络');
    const lg = await t.admin.request('PUT', '/api/tickets/settings/levelGroups', {
      value: { line2 },
    });
    expect(lg.statusCode, lg.body).toBe(200);
  }, 120_000);
  afterAll(async () => t?.close());

  it('runs the whole workflow: phone → dispatched → pending (paused) → resolved → confirmed → survey', async () => {
    const created = await agent.request('POST', '/api/tickets', phone());
    expect(created.statusCode, created.body).toBe(201);
    const tk = created.json() as Ticket;
    expect(tk.number).toMatch(/^TK-20261121-\d{4}$/);
    expect(tk.priority).toBe('P1');
    // Dispatched automatically to the only member of the group on duty.
    expect(tk.status).toBe('assigned');
    expect(tk.assigneeId).toBe(tech.id);

    const start = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'start',
    });
    expect(start.statusCode, start.body).toBe(200);
    const replied = await tech.request('POST', `/api/tickets/${tk.id}/replies`, {
      body: '已远程排查，请确认光猫指示灯状态',
      visibility: 'public',
    });
    expect(replied.statusCode, replied.body).toBe(201);
    await tech.request('POST', `/api/tickets/${tk.id}/replies`, {
      body: '内部：怀疑上游交换机端口故障',
      visibility: 'internal',
    });
    type Sla = { sla: { targets: { target: string; state: string; dueAt: number | null }[] } };
    const dueBefore = (
      (await tech.request('GET', `/api/tickets/${tk.id}`)).json() as Sla
    ).sla.targets.find((x) => x.target === 'resolution')!.dueAt!;
    const wait = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'wait_customer',
    });
    expect((wait.json() as Ticket).status).toBe('pending_customer');
    t.clock.advance(30 * MIN);
    const detail = await tech.request('GET', `/api/tickets/${tk.id}`);
    const d = detail.json() as {
      sla: { targets: { target: string; state: string }[] };
      events: { kind: string; visibility: string }[];
    };
    expect(d.sla.targets.find((x) => x.target === 'resolution')?.state).toBe('paused');
    expect(d.events.map((e) => e.kind)).toEqual([
      'created',
      'status_changed',
      'status_changed',
      'reply',
      'reply',
      'status_changed',
    ]);
    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, { action: 'resume' });
    // The 30 paused minutes move the resolution target by 30 minutes (24×7 calendar).
    const dueAfter = (
      (await tech.request('GET', `/api/tickets/${tk.id}`)).json() as Sla
    ).sla.targets.find((x) => x.target === 'resolution')!.dueAt!;
    expect(dueAfter - dueBefore).toBe(30 * MIN);
    const resolved = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resolve',
      note: '更换交换机端口后恢复',
    });
    expect((resolved.json() as Ticket).status).toBe('resolved');

    // The caller confirms by phone; the service agent records it.
    const confirmed = await agent.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'confirm',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((confirmed.json() as Ticket).status).toBe('closed');
    const rated = await agent.request('POST', `/api/tickets/${tk.id}/survey`, {
      score: 5,
      comment: '处理及时',
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect((rated.json() as Ticket).survey?.score).toBe(5);
    const again = await agent.request('POST', `/api/tickets/${tk.id}/survey`, { score: 4 });
    expect(again.statusCode).toBe(409);

    const audit = await t.admin.request('GET', `/api/audit?entityId=${tk.id}`);
    if (audit.statusCode === 200) {
      const actions = (audit.json() as { items: { action: string }[] }).items.map((i) => i.action);
      expect(actions).toEqual(expect.arrayContaining(['ticket.create', 'ticket.resolve']));
    }
  });

  it('portal: the requester files, sees only their own and no internal notes, confirms and rates', async () => {
    const res = await requester.request('POST', '/api/portal/tickets', {
      channel: 'portal',
      type: 'request',
      categoryId: network,
      title: 'VPN 账号申请',
      description: '新员工需要开通 VPN',
    });
    expect(res.statusCode, res.body).toBe(201);
    const tk = res.json() as Ticket;
    expect(tk.status).toBe('new'); // no portal group configured: it waits in the queue
    await agent.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'assign',
      assigneeId: tech.id,
    });
    await tech.request('POST', `/api/tickets/${tk.id}/replies`, {
      body: '内部备注：需主管审批',
      visibility: 'internal',
    });
    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, { action: 'start' });
    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, { action: 'wait_customer' });
    // The requester's answer resumes the ticket.
    const answer = await requester.request('POST', `/api/portal/tickets/${tk.id}/replies`, {
      body: '部门经理已同意',
      visibility: 'public',
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const mine = await requester.request('GET', `/api/portal/tickets/${tk.id}`);
    const view = mine.json() as { ticket: Ticket; events: { visibility: string; body: string }[] };
    expect(view.ticket.status).toBe('in_progress');
    expect(view.events.every((e) => e.visibility === 'public')).toBe(true);
    expect(JSON.stringify(view.events)).not.toContain('内部备注');
    // Internal notes are refused to requesters.
    const note = await requester.request('POST', `/api/portal/tickets/${tk.id}/replies`, {
      body: 'x',
      visibility: 'internal',
    });
    expect(note.statusCode).toBe(403);
    // Another requester cannot see it at all.
    expect((await other.request('GET', `/api/portal/tickets/${tk.id}`)).statusCode).toBe(404);
    const otherList = await other.request('GET', '/api/portal/tickets');
    expect((otherList.json() as { items: Ticket[] }).items).toHaveLength(0);
    expect(
      (await requester.request('GET', '/api/portal/tickets')).json() as { items: Ticket[] },
    ).toMatchObject({ items: [{ id: tk.id }] });

    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resolve',
      note: '已开通',
    });
    const early = await requester.request('POST', `/api/portal/tickets/${tk.id}/survey`, {
      score: 4,
    });
    expect(early.statusCode).toBe(409);
    const confirm = await requester.request('POST', `/api/portal/tickets/${tk.id}/transitions`, {
      action: 'confirm',
    });
    expect((confirm.json() as Ticket).status).toBe('closed');
    const rate = await requester.request('POST', `/api/portal/tickets/${tk.id}/survey`, {
      score: 4,
      comment: '不错',
    });
    expect(rate.statusCode, rate.body).toBe(200);
  });

  it('refuses what a role may not do, naming the move', async () => {
    const tk = (await agent.request('POST', '/api/tickets', phone())).json() as Ticket;
    // A requester may not resolve, and cannot reach the staff routes at all.
    expect(
      (await requester.request('POST', `/api/tickets/${tk.id}/transitions`, { action: 'start' }))
        .statusCode,
    ).toBe(403);
    // A technician may not confirm on the customer's behalf.
    const res = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'confirm',
    });
    expect(res.statusCode).toBe(403);
    expect((res.json() as { message: string }).message).toContain('confirm');
    // Supervisors read but do not work, and see the caller's contact masked.
    const read = await supervisor.request('GET', `/api/tickets/${tk.id}`);
    expect(read.statusCode).toBe(200);
    expect((read.json() as { ticket: { callerContact: string } }).ticket.callerContact).toBe(
      '138******8000',
    );
    expect(
      (
        (await tech.request('GET', `/api/tickets/${tk.id}`)).json() as {
          ticket: { callerContact: string };
        }
      ).ticket.callerContact,
    ).toBe('138-0013-8000');
    expect(
      (
        await supervisor.request('POST', `/api/tickets/${tk.id}/replies`, {
          body: 'x',
          visibility: 'public',
        })
      ).statusCode,
    ).toBe(403);
    // An impossible move from the current state is a conflict naming the status.
    const bad = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resume',
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.json()).toMatchObject({ field: 'status' });
    // A requester confirming someone else's ticket is told it does not exist.
    expect(
      (
        await other.request('POST', `/api/portal/tickets/${tk.id}/transitions`, {
          action: 'confirm',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('escalates line1 → line2 with a reason, notifies the receiving group and dispatches there', async () => {
    const tk = (await agent.request('POST', '/api/tickets', phone())).json() as Ticket;
    const noReason = await tech.request('POST', `/api/tickets/${tk.id}/escalations`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ field: 'reason' });
    const res = await tech.request('POST', `/api/tickets/${tk.id}/escalations`, {
      reason: '需要二线排查核心交换机',
    });
    expect(res.statusCode, res.body).toBe(200);
    const up = res.json() as Ticket;
    expect(up).toMatchObject({ level: 'line2', groupId: line2, assigneeId: expert.id });
    const inbox = await expert.request('GET', '/api/inbox');
    const kinds = (inbox.json() as { items: { kind: string }[] }).items.map((i) => i.kind);
    expect(kinds).toContain('tickets.escalated');
    const detail = (await tech.request('GET', `/api/tickets/${tk.id}`)).json() as {
      events: { kind: string; body: string | null }[];
    };
    expect(detail.events.find((e) => e.kind === 'escalated')?.body).toBe('需要二线排查核心交换机');
  });

  it('refuses bad input naming the field, and saves nothing', async () => {
    const before = await counts();
    const noContact = await agent.request('POST', '/api/tickets', phone({ callerContact: '' }));
    expect(noContact.statusCode).toBe(400);
    expect(noContact.json()).toMatchObject({ field: 'callerContact' });
    const badContact = await agent.request(
      'POST',
      '/api/tickets',
      phone({ callerContact: 'not a phone' }),
    );
    expect(badContact.json()).toMatchObject({ field: 'callerContact' });
    const unknownCat = await agent.request(
      'POST',
      '/api/tickets',
      phone({ categoryId: '0190f0f0-0000-7000-8000-000000000000' }),
    );
    expect(unknownCat.statusCode).toBe(400);
    expect(unknownCat.json()).toMatchObject({ field: 'categoryId' });
    const badImpact = await agent.request('POST', '/api/tickets', phone({ impact: 'huge' }));
    expect(badImpact.json()).toMatchObject({ field: 'impact' });
    const unknownGroup = await agent.request(
      'POST',
      '/api/tickets',
      phone({ groupId: '0190f0f0-0000-7000-8000-000000000000' }),
    );
    expect(unknownGroup.json()).toMatchObject({ field: 'groupId' });
    const extra = await agent.request('POST', '/api/tickets', phone({ colour: 'red' }));
    expect(extra.json()).toMatchObject({ field: 'colour' });
    const tk = (await agent.request('POST', '/api/tickets', phone())).json() as Ticket;
    const mid = await counts();
    const nobody = await agent.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'assign',
      assigneeId: '0190f0f0-0000-7000-8000-000000000000',
    });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json()).toMatchObject({ field: 'assigneeId' });
    const refused = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'confirm',
    });
    expect(refused.statusCode).toBe(403);
    const noNote = await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resolve',
    });
    expect(noNote.json()).toMatchObject({ field: 'note' });
    expect(await counts()).toEqual(mid);
    expect(mid.tickets).toBe(before.tickets + 1);
  });

  it('finds tickets by 1–2 character Chinese terms, longer phrases and English', async () => {
    const mk = async (title: string, description: string) =>
      (
        (
          await agent.request('POST', '/api/tickets', phone({ title, description }))
        ).json() as Ticket
      ).id;
    const a = await mk('机房空调故障', '二号机房空调停机，温度升高');
    const b = await mk('门店断网', '收银台 network outage since 9am');
    const c = await mk('打印机卡纸', 'Printer jammed on floor 3');
    const search = async (q: string) =>
      (
        (
          await agent.request('GET', `/api/tickets?q=${encodeURIComponent(q)}&limit=200`)
        ).json() as { items: Ticket[] }
      ).items.map((x) => x.id);
    expect(await search('故障')).toContain(a);
    expect(await search('故障')).not.toContain(c);
    expect(await search('断网')).toContain(b);
    expect(await search('断网')).not.toContain(c);
    expect(await search('网')).toEqual(expect.arrayContaining([b]));
    expect(await search('空调停机')).toEqual([a]);
    expect(await search('NETWORK OUTAGE'.toLowerCase())).toEqual([b]);
    expect(await search('network outage')).toEqual([b]);
    expect(await search('printer')).toEqual([c]);
    expect(await search('打印 jammed')).toEqual([c]);
    expect(await search('不存在的词')).toEqual([]);
    // Replies are searched too.
    await tech.request('POST', `/api/tickets/${c}/replies`, {
      body: '已更换硒鼓',
      visibility: 'internal',
    });
    expect(await search('硒鼓')).toEqual([c]);
    // Caller history: by contact prefix (however it was typed) and by name.
    const hist = await agent.request(
      'GET',
      `/api/tickets/callers?q=${encodeURIComponent('1380013')}`,
    );
    expect((hist.json() as { items: Ticket[] }).items.map((x) => x.id)).toContain(a);
    const byName = await agent.request(
      'GET',
      `/api/tickets/callers?q=${encodeURIComponent('王小')}`,
    );
    expect((byName.json() as { items: Ticket[] }).items.length).toBeGreaterThan(0);
    const none = await agent.request('GET', `/api/tickets/callers?q=139`);
    expect((none.json() as { items: Ticket[] }).items).toEqual([]);
  });

  it('lists with filters and pages through with a cursor', async () => {
    const mine = await tech.request('GET', '/api/tickets?assignee=me&status=assigned&limit=2');
    const page = mine.json() as { items: Ticket[]; nextCursor: string | null };
    expect(page.items.length).toBe(2);
    expect(page.items.every((x) => x.assigneeId === tech.id && x.status === 'assigned')).toBe(true);
    const next = await tech.request(
      'GET',
      `/api/tickets?assignee=me&status=assigned&limit=2&cursor=${page.nextCursor!}`,
    );
    const ids = (next.json() as { items: Ticket[] }).items.map((x) => x.id);
    expect(ids.some((id) => page.items.some((x) => x.id === id))).toBe(false);
    const unassigned = await agent.request('GET', '/api/tickets?unassigned=true');
    expect(
      (unassigned.json() as { items: Ticket[] }).items.every((x) => x.assigneeId === null),
    ).toBe(true);
    const soon = await agent.request('GET', '/api/tickets?breachingWithin=600');
    expect((soon.json() as { items: Ticket[] }).items.length).toBeGreaterThan(0);
    const csv = await supervisor.request('GET', '/api/tickets/export.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\ufeff工单号')).toBe(true);
    // Formula injection from a caller's name is neutralised.
    await agent.request('POST', '/api/tickets', phone({ callerName: '=HYPERLINK("x")' }));
    const csv2 = await supervisor.request('GET', '/api/tickets/export.csv');
    expect(csv2.body).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('fires the SLA warning and breach jobs, records them once and escalates on breach', async () => {
    const tk = (await agent.request('POST', '/api/tickets', phone())).json() as Ticket;
    // P1 built-in: first response 15 min (warning at 80 % = 12 min).
    t.clock.advance(13 * MIN);
    await t.runJobs();
    let d = (await tech.request('GET', `/api/tickets/${tk.id}`)).json() as {
      ticket: Ticket;
      events: { kind: string; data: { target?: string } }[];
    };
    expect(d.events.filter((e) => e.kind === 'sla_warning').map((e) => e.data.target)).toEqual([
      'firstResponse',
    ]);
    t.clock.advance(3 * MIN);
    await t.runJobs();
    await t.runJobs();
    d = (await tech.request('GET', `/api/tickets/${tk.id}`)).json() as typeof d;
    const breaches = d.events.filter((e) => e.kind === 'sla_breach');
    expect(breaches.map((e) => e.data.target)).toEqual(['firstResponse']);
    expect(d.ticket.slaBreached).toBe(true);
    expect(d.ticket.level).toBe('line2');
    expect(d.events.filter((e) => e.kind === 'escalated')).toHaveLength(1);
    // A retried timer finds the breach recorded: no second breach, no second escalation.
    await t.dd.services.tickets.slaJob.run({ ticketId: tk.id }, undefined as never);
    d = (await tech.request('GET', `/api/tickets/${tk.id}`)).json() as typeof d;
    expect(d.events.filter((e) => e.kind === 'sla_breach')).toHaveLength(1);
    expect(d.events.filter((e) => e.kind === 'escalated')).toHaveLength(1);
    const inbox = (await tech.request('GET', '/api/inbox')).json() as {
      items: { kind: string }[];
    };
    expect(inbox.items.map((i) => i.kind)).toContain('tickets.sla_warning');
  });

  it('dispatches round-robin among the people on duty when configured', async () => {
    const a = await t.userWith(['technician']);
    const b = await t.userWith(['technician']);
    const res = await t.admin.request('POST', '/api/teams', { name: '轮询组', timeZone: 'UTC' });
    const group = (res.json() as { team: { id: string } }).team.id;
    await t.admin.request('PUT', `/api/teams/${group}/members`, { userIds: [a.id, b.id] });
    const set = await t.admin.request('PUT', '/api/tickets/settings/dispatchStrategy', {
      value: 'round_robin',
    });
    expect(set.statusCode, set.body).toBe(200);
    const assignees: (string | null)[] = [];
    for (let i = 0; i < 4; i++)
      assignees.push(
        ((await agent.request('POST', '/api/tickets', phone({ groupId: group }))).json() as Ticket)
          .assigneeId,
      );
    const [first, second] = [a.id, b.id].sort();
    expect(assignees).toEqual([first, second, first, second]);
    await t.admin.request('PUT', '/api/tickets/settings/dispatchStrategy', {
      value: 'least_loaded',
    });
  });

  it('search on the database agrees with the plan on the normalised text (property)', async () => {
    const caller = {
      userId: agent.id,
      roles: ['service_agent'],
      audit: { userId: agent.id, name: 'agent', ip: null, requestId: null },
    };
    const alphabet = ['故', '障', '断', '网', '机', '房', 'a', 'B', 'c', 'Ｄ', ' ', '1'];
    const word = fc
      .array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 12 })
      .map((cs) => cs.join('').trim() || '故');
    const texts = fc.sample(word, { numRuns: 14, seed: 42 });
    const ids = new Map<string, string>();
    for (const text of texts) {
      const tk = await t.dd.services.tickets.createTicket(caller, {
        ...phone({ title: `prop ${text}`, description: text, groupId: undefined }),
      });
      ids.set(tk.id, normaliseForSearch(`${tk.number}\n${tk.title}\n${text}\n王小明\n城东营业厅`));
    }
    await fc.assert(
      fc.asyncProperty(word, async (q) => {
        const plan = planSearch(q);
        if (plan.terms.length === 0) return;
        const page = await t.dd.services.tickets.list(caller, { q, limit: 200 });
        const found = new Set(page.items.map((x) => x.id).filter((id) => ids.has(id)));
        const expected = new Set(
          [...ids]
            .filter(([, doc]) => matchesPlan(plan, doc, new Set(shortTokens(doc))))
            .map(([id]) => id),
        );
        expect(found).toEqual(expected);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("measures the SLA on the group's business calendar (office hours, weekend off)", async () => {
    const res = await t.admin.request('POST', '/api/teams', {
      name: '办公时间组',
      timeZone: 'Asia/Shanghai',
    });
    const office = (res.json() as { team: { id: string } }).team.id;
    const bad = await t.admin.request('PUT', `/api/tickets/settings/calendar:${office}`, {
      value: { calendar: { kind: 'hours', zone: 'Asia/Shanghai', weekly: { mon: ['9-18'] } } },
    });
    expect(bad.statusCode).toBe(400);
    const set = await t.admin.request('PUT', `/api/tickets/settings/calendar:${office}`, {
      value: {
        calendar: {
          kind: 'hours',
          zone: 'Asia/Shanghai',
          weekly: Object.fromEntries(
            ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-18:00']]),
          ),
        },
        holidays: 'cn-2026',
      },
    });
    expect(set.statusCode, set.body).toBe(200);
    // Still Saturday 21 November 2026 (Shanghai evening): nothing runs until Monday 09:00.
    expect(t.clock.now()).toBeLessThan(Date.UTC(2026, 10, 22, 16, 0));
    const tk = (
      await agent.request('POST', '/api/tickets', phone({ groupId: office, dispatch: 'queue' }))
    ).json() as Ticket;
    expect(tk.status).toBe('new');
    const d = (await agent.request('GET', `/api/tickets/${tk.id}`)).json() as {
      sla: { targets: { target: string; dueAt: number }[] };
    };
    // P1 first response: 15 business minutes → Monday 09:15 Shanghai = 01:15 UTC.
    expect(d.sla.targets.find((x) => x.target === 'firstResponse')?.dueAt).toBe(
      Date.UTC(2026, 10, 23, 1, 15),
    );
  });

  // Last: it moves the clock by days, past the sessions' lifetime.
  it('closes a quiet resolved ticket after the configured days', async () => {
    const set = await t.admin.request('PUT', '/api/tickets/settings/autoCloseDays', { value: 3 });
    expect(set.statusCode, set.body).toBe(200);
    const tk = (await agent.request('POST', '/api/tickets', phone())).json() as Ticket;
    await tech.request('POST', `/api/tickets/${tk.id}/transitions`, {
      action: 'resolve',
      note: '重启后恢复',
    });
    t.clock.advance(2 * DAY);
    await t.dd.services.tickets.autoCloseJob.run(undefined, undefined as never);
    // Sessions expire over days of manual time: read the row directly.
    const status = async () =>
      (
        await t.dd.database.db
          .selectFrom('ticket')
          .select('status')
          .where('id', '=', tk.id)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await status()).toBe('resolved');
    t.clock.advance(1 * DAY + MIN);
    await t.dd.services.tickets.autoCloseJob.run(undefined, undefined as never);
    expect(await status()).toBe('closed');
  });
});
