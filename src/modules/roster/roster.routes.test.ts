import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';

type Session = Awaited<ReturnType<TestApp['userWith']>>;
interface AssignmentView {
  id: string;
  personId: string;
  postId: string;
  shiftTypeId: string;
  date: string;
}
interface ViolationView {
  rule: string;
  severity: string;
  personId?: string;
  date: string;
}
interface RosterView {
  roster: { id: string; status: string };
  assignments: AssignmentView[];
  violations: ViolationView[];
}

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe.each(DIALECTS)('rosters through HTTP on %s', (dialect) => {
  let t: TestApp;
  let dutyAdmin: Session;
  let manager: Session;
  let a: Session;
  let b: Session;
  let c: Session;
  let teamId: string;
  let postId: string;
  let dayId: string;
  let nightId: string;
  let decId: string;

  const count = async (table: string) =>
    Number(
      (
        await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(
          t.dd.database.db,
        )
      ).rows[0]!.n,
    );
  const ok = async (s: Pick<Session, 'request'>, method: string, url: string, body?: unknown) => {
    const res = await s.request(method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  const onDuty = async (at: number) =>
    (
      (await ok(a, 'GET', `/api/roster/on-duty?postId=${postId}&at=${at}`)) as {
        personIds: string[];
      }
    ).personIds;
  const roster = async (id: string) =>
    (await ok(dutyAdmin, 'GET', `/api/roster/rosters/${id}`)) as unknown as RosterView;
  /** Run every due job, including ones another worker loop of this process holds. */
  const drain = async () => {
    for (let i = 0; i < 50; i++) {
      const ran = await t.dd.jobs!.runDue();
      const pending = await t.dd.database.db
        .selectFrom('job')
        .select('id')
        .where('status', 'in', ['pending', 'running'])
        .where('run_at', '<=', t.clock.now())
        .execute();
      if (ran === 0 && pending.length === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('jobs did not drain');
  };
  const inboxKinds = async (s: Session) =>
    ((await ok(s, 'GET', '/api/inbox')) as { items: { kind: string; title: string }[] }).items;

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      ROLES: 'api,worker',
      JOB_POLL_MS: '3600000',
      SESSION_TTL_HOURS: '10000',
    });
    dutyAdmin = await t.userWith(['duty_admin'], `da_${dialect}`);
    manager = await t.userWith(['duty_manager'], `dm_${dialect}`);
    a = await t.userWith(['technician'], `ta_${dialect}`);
    b = await t.userWith(['technician'], `tb_${dialect}`);
    c = await t.userWith(['technician'], `tc_${dialect}`);
    const team = await ok(t.admin, 'POST', '/api/teams', {
      name: '技术组',
      timeZone: 'Europe/Berlin',
    });
    teamId = (team.team as { id: string }).id;
    await ok(t.admin, 'PUT', `/api/teams/${teamId}/members`, {
      userIds: [a.id, b.id, c.id, manager.id],
    });
  }, 60_000);
  afterAll(async () => t?.close());

  it('refuses zero-length and overlapping shifts and a post without shifts, naming them', async () => {
    const day = await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
      code: 'D',
      name: '白班',
      start: '08:00',
      end: '16:00',
      colour: '#ffd666',
    });
    dayId = day.id as string;
    const night = await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
      code: 'N',
      name: '夜班',
      start: '22:00',
      end: '08:00',
      colour: '#1d39c4',
    });
    nightId = night.id as string;
    const zero = await dutyAdmin.request('POST', `/api/roster/teams/${teamId}/shift-types`, {
      code: 'Z',
      name: '零',
      start: '09:00',
      end: '09:00',
      colour: '#000000',
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json()).toMatchObject({ field: 'end' });
    expect(zero.json().message).toContain('Z');
    const late = await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
      code: 'L',
      name: '长白班',
      start: '06:00',
      end: '14:00',
      colour: '#aaaaaa',
    });
    const overlap = await dutyAdmin.request('POST', `/api/roster/teams/${teamId}/posts`, {
      name: '技术',
      shiftTypeIds: [dayId, late.id],
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().message).toMatch(/D.*L|L.*D/);
    const empty = await dutyAdmin.request('POST', `/api/roster/teams/${teamId}/posts`, {
      name: '空岗',
      shiftTypeIds: [],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ field: 'shiftTypeIds' });
    expect(await count('roster_post')).toBe(0);
    const cover = (shiftTypeId: string) =>
      (['weekday', 'weekend', 'holiday'] as const).map((dayKind) => ({
        shiftTypeId,
        dayKind,
        min: 1,
        preferred: 1,
      }));
    const post = await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/posts`, {
      name: '技术',
      shiftTypeIds: [dayId, nightId],
      cover: [...cover(dayId), ...cover(nightId)],
    });
    postId = post.id as string;
    await ok(dutyAdmin, 'PUT', `/api/roster/teams/${teamId}/settings`, {
      rules: {
        minRestHours: { value: 12, severity: 'block' },
        cover: { severity: 'block' },
        doubleBooking: { severity: 'block' },
        leave: { severity: 'block' },
      },
    });
    const forbidden = await a.request('POST', `/api/roster/teams/${teamId}/shift-types`, {
      code: 'E',
      name: '中班',
      start: '16:00',
      end: '22:00',
      colour: '#00ff00',
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('runs the duty admin month: rotation, edit, violations, publish, confirm, reminders', async () => {
    const created = (await ok(dutyAdmin, 'POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
    })) as unknown as RosterView;
    decId = created.roster.id;
    const rotated = (await ok(dutyAdmin, 'POST', `/api/roster/rosters/${decId}/rotation`, {
      pattern: 'D,N,-',
      anchorDate: '2026-12-01',
      members: [
        { personId: a.id, postId, offset: 0 },
        { personId: b.id, postId, offset: 1 },
        { personId: c.id, postId, offset: 2 },
      ],
    })) as unknown as RosterView;
    expect(rotated.assignments).toHaveLength(62);
    expect(rotated.violations.filter((v) => v.severity === 'block')).toEqual([]);
    // A: D on Dec 1, N on Dec 2, off Dec 3; B: N on Dec 1; C: off Dec 1. Clearing A's Dec 4 D leaves the day uncovered.
    const cleared = await ok(dutyAdmin, 'PUT', `/api/roster/rosters/${decId}/cells`, {
      personId: a.id,
      date: '2026-12-04',
      duties: [],
    });
    const violations = cleared.violations as ViolationView[];
    expect(violations).toContainEqual(
      expect.objectContaining({ rule: 'coverMin', date: '2026-12-04', severity: 'block' }),
    );
    const blocked = await dutyAdmin.request('POST', `/api/roster/rosters/${decId}/publish`, {});
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().violations).toContainEqual(
      expect.objectContaining({ rule: 'coverMin', date: '2026-12-04' }),
    );
    expect((await roster(decId)).roster.status).toBe('draft');
    expect(await count('notification')).toBe(0);
    await ok(dutyAdmin, 'PUT', `/api/roster/rosters/${decId}/cells`, {
      personId: a.id,
      date: '2026-12-04',
      duties: [{ postId, shiftTypeId: dayId }],
    });
    const published = await ok(dutyAdmin, 'POST', `/api/roster/rosters/${decId}/publish`, {});
    expect(published).toMatchObject({ ok: true, notified: 3 });
    for (const s of [a, b, c]) {
      expect((await inboxKinds(s)).map((i) => i.kind)).toContain('roster.published');
    }
    const mails = await t.dd.database.db
      .selectFrom('job')
      .select('id')
      .where('kind', '=', 'inbox.email')
      .execute();
    expect(mails.length).toBeGreaterThanOrEqual(3);

    await ok(a, 'POST', `/api/roster/rosters/${decId}/confirm`, {});
    const conf = await ok(dutyAdmin, 'GET', `/api/roster/rosters/${decId}/confirmations`);
    expect((conf.unconfirmed as string[]).sort()).toEqual([b.id, c.id].sort());
    expect(conf.deadline).toBe(t.clock.now() + 24 * H);

    t.clock.advance(12 * H + 60_000);
    await drain();
    const remindedB = (await inboxKinds(b)).filter((i) => i.kind === 'roster.reminder');
    expect(remindedB).toHaveLength(1);
    expect((await inboxKinds(a)).some((i) => i.kind === 'roster.reminder')).toBe(false);
    await ok(b, 'POST', `/api/roster/rosters/${decId}/confirm`, {});
    t.clock.advance(12 * H);
    await drain();
    expect((await inboxKinds(c)).some((i) => i.kind === 'roster.overdue')).toBe(true);
    expect((await inboxKinds(b)).some((i) => i.kind === 'roster.overdue')).toBe(false);
    expect((await inboxKinds(dutyAdmin)).some((i) => i.kind === 'roster.overdue')).toBe(true);
  });

  it('answers who is on duty across an overnight shift', async () => {
    const view = await roster(decId);
    const onDec = (date: string, shift: string) =>
      view.assignments.find((x) => x.date === date && x.shiftTypeId === shift)!.personId;
    // Berlin is UTC+1 in December: D = 07:00–15:00Z, N = 21:00–07:00Z next day.
    expect(await onDuty(utc('2026-12-01T10:00:00Z'))).toEqual([onDec('2026-12-01', dayId)]);
    expect(await onDuty(utc('2026-12-01T22:30:00Z'))).toEqual([onDec('2026-12-01', nightId)]);
    expect(await onDuty(utc('2026-12-02T06:59:00Z'))).toEqual([onDec('2026-12-01', nightId)]);
    expect(await onDuty(utc('2026-12-02T07:00:00Z'))).toEqual([onDec('2026-12-02', dayId)]);
    const byTeam = await ok(
      a,
      'GET',
      `/api/roster/on-duty?teamId=${teamId}&at=${utc('2026-12-01T10:00:00Z')}`,
    );
    expect(byTeam.personIds).toEqual([onDec('2026-12-01', dayId)]);
    const between = await ok(
      a,
      'GET',
      `/api/roster/on-duty?postId=${postId}&from=${utc('2026-12-01T00:00:00Z')}&to=${utc('2026-12-02T00:00:00Z')}`,
    );
    expect((between.segments as unknown[]).length).toBe(2);
    const service = t.dd.services.roster;
    expect((await service.onDuty({ postId, at: utc('2026-12-01T10:00:00Z') })).personIds).toEqual([
      onDec('2026-12-01', dayId),
    ]);
  });

  it('refuses a late swap, checks the rules on approval, and approves a good one', async () => {
    const view = await roster(decId);
    const mine = (s: Session, date: string) =>
      view.assignments.find((x) => x.personId === s.id && x.date === date)!;
    // A has D on Dec 1; C is off that day.
    const aDec1 = mine(a, '2026-12-01');
    expect(aDec1.shiftTypeId).toBe(dayId);
    const self = await a.request('POST', '/api/roster/swaps', {
      kind: 'substitution',
      assignmentId: aDec1.id,
      substituteId: a.id,
    });
    expect(self.statusCode).toBe(400);
    expect(self.json()).toMatchObject({ field: 'substituteId' });
    const notMine = await b.request('POST', '/api/roster/swaps', {
      kind: 'substitution',
      assignmentId: aDec1.id,
      substituteId: c.id,
    });
    expect(notMine.statusCode).toBe(403);

    const swap = await ok(a, 'POST', '/api/roster/swaps', {
      kind: 'substitution',
      assignmentId: aDec1.id,
      substituteId: c.id,
      reason: '家里有事',
    });
    expect(swap.status).toBe('pending_substitute');
    expect((await inboxKinds(c)).some((i) => i.kind === 'roster.swap')).toBe(true);
    const early = await dutyAdmin.request(
      'POST',
      `/api/roster/swaps/${String(swap.id)}/approve`,
      {},
    );
    expect(early.statusCode).toBe(409);
    await ok(c, 'POST', `/api/roster/swaps/${String(swap.id)}/accept`, {});
    expect(await ok(dutyAdmin, 'GET', `/api/roster/swaps/${String(swap.id)}/check`)).toMatchObject({
      blocking: false,
    });
    expect((await inboxKinds(dutyAdmin)).some((i) => i.kind === 'roster.swap')).toBe(true);
    const approved = await ok(
      dutyAdmin,
      'POST',
      `/api/roster/swaps/${String(swap.id)}/approve`,
      {},
    );
    expect(approved).toMatchObject({ ok: true, swap: { status: 'approved' } });
    expect(await onDuty(utc('2026-12-01T10:00:00Z'))).toEqual([c.id]);
    const history = await ok(a, 'GET', `/api/roster/swaps/${String(swap.id)}`);
    expect((history.events as { action: string }[]).map((e) => e.action)).toEqual([
      'request',
      'accept',
      'approve',
    ]);
    expect((await inboxKinds(a)).some((i) => i.title.length > 0 && i.kind === 'roster.swap')).toBe(
      true,
    );

    // B's D on Dec 3 handed to A, who comes off a night at 08:00 that morning: no rest.
    const bDec3 = mine(b, '2026-12-03');
    expect(bDec3.shiftTypeId).toBe(dayId);
    expect(mine(a, '2026-12-02').shiftTypeId).toBe(nightId);
    const bad = await ok(b, 'POST', '/api/roster/swaps', {
      kind: 'substitution',
      assignmentId: bDec3.id,
      substituteId: a.id,
    });
    // The substitute sees the rule check before accepting; someone outside the swap does not.
    const seen = await ok(a, 'GET', `/api/roster/swaps/${String(bad.id)}/check`);
    expect(seen.blocking).toBe(true);
    expect((await c.request('GET', `/api/roster/swaps/${String(bad.id)}/check`)).statusCode).toBe(
      403,
    );
    await ok(a, 'POST', `/api/roster/swaps/${String(bad.id)}/accept`, {});
    // The duty admin sees the rule check before deciding.
    const check = await ok(dutyAdmin, 'GET', `/api/roster/swaps/${String(bad.id)}/check`);
    expect(check.blocking).toBe(true);
    expect(check.violations).toContainEqual(
      expect.objectContaining({ rule: 'minRest', personId: a.id, message: expect.any(String) }),
    );
    const refused = await dutyAdmin.request(
      'POST',
      `/api/roster/swaps/${String(bad.id)}/approve`,
      {},
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json().violations).toContainEqual(
      expect.objectContaining({ rule: 'minRest', personId: a.id }),
    );
    expect(await onDuty(utc('2026-12-03T10:00:00Z'))).toEqual([b.id]);

    // Less than 48 h ahead.
    const saved = t.clock.now();
    t.clock.set(utc('2026-12-08T12:00:00Z'));
    const soon = view.assignments.find((x) => x.date === '2026-12-09' && x.personId === b.id)!;
    const late = await b.request('POST', '/api/roster/swaps', {
      kind: 'substitution',
      assignmentId: soon.id,
      substituteId: a.id,
    });
    expect(late.statusCode).toBe(400);
    expect(late.json()).toMatchObject({ field: 'assignmentId' });
    t.clock.set(saved);
  });

  it('takes leave with approval and shows it in the rule check', async () => {
    const leave = await ok(c, 'POST', '/api/roster/leave', {
      kind: 'leave',
      startDate: '2026-12-20',
      endDate: '2026-12-21',
      reason: '年假',
    });
    const open = await ok(dutyAdmin, 'GET', '/api/roster/requests');
    expect((open.leave as { id: string }[]).map((l) => l.id)).toContain(leave.id);
    expect(
      (await roster(decId)).violations.some((v) => v.rule === 'leave' && v.personId === c.id),
    ).toBe(false);
    await ok(dutyAdmin, 'POST', `/api/roster/leave/${String(leave.id)}/approve`, {});
    expect(
      (await roster(decId)).violations.some((v) => v.rule === 'leave' && v.personId === c.id),
    ).toBe(true);
    const again = await dutyAdmin.request(
      'POST',
      `/api/roster/leave/${String(leave.id)}/approve`,
      {},
    );
    expect(again.statusCode).toBe(409);
  });

  it('lets the duty manager override with a reason, audited', async () => {
    const body = {
      postId,
      personId: b.id,
      replacesPersonId: c.id,
      startMs: utc('2026-12-01T10:00:00Z'),
      endMs: utc('2026-12-01T12:00:00Z'),
      reason: '  ',
    };
    const noReason = await manager.request('POST', '/api/roster/overrides', body);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ field: 'reason' });
    expect((await a.request('POST', '/api/roster/overrides', body)).statusCode).toBe(403);
    await ok(manager, 'POST', '/api/roster/overrides', { ...body, reason: 'C 生病' });
    expect(await onDuty(utc('2026-12-01T09:30:00Z'))).toEqual([c.id]);
    expect(await onDuty(utc('2026-12-01T10:30:00Z'))).toEqual([b.id]);
    expect(await onDuty(utc('2026-12-01T12:30:00Z'))).toEqual([c.id]);
    const audit = await t.dd.database.db
      .selectFrom('audit_event')
      .select(['actor_id', 'after_json'])
      .where('action', '=', 'roster.override.create')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(manager.id);
    expect(audit[0]!.after_json).toContain('C 生病');
  });

  it('checks in and classifies attendance', async () => {
    const view = await roster(decId);
    const bDec3 = view.assignments.find((x) => x.personId === b.id && x.date === '2026-12-03')!;
    t.clock.set(utc('2026-12-03T07:20:00Z')); // 08:20 Berlin, 20 min late
    const res = await ok(b, 'POST', `/api/roster/assignments/${bDec3.id}/check-in`, {});
    expect(res).toMatchObject({ arrival: 'late', lateMinutes: 20 });
    expect(
      (await a.request('POST', `/api/roster/assignments/${bDec3.id}/check-in`, {})).statusCode,
    ).toBe(403);
    const shifts = await ok(b, 'GET', '/api/roster/me/shifts?from=2026-12-01&to=2026-12-05');
    expect(
      (shifts.items as { assignmentId: string; attendance: unknown }[]).find(
        (s) => s.assignmentId === bDec3.id,
      )!.attendance,
    ).toMatchObject({ arrival: 'late' });
    t.clock.set(utc('2026-11-23T12:00:00Z'));
  });

  it('exports and imports the grid, and refuses a bad sheet with nothing saved', async () => {
    const jan = (await ok(dutyAdmin, 'POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2027-01-01',
      periodEnd: '2027-01-31',
      copyFrom: { rosterId: decId, alignment: 'date' },
    })) as unknown as RosterView;
    expect(jan.assignments.length).toBeGreaterThan(50);
    const exported = await dutyAdmin.request(
      'GET',
      `/api/roster/rosters/${jan.roster.id}/export.xlsx`,
    );
    expect(exported.statusCode).toBe(200);
    const bytes = exported.rawPayload;
    const key = (x: AssignmentView) => `${x.personId}|${x.postId}|${x.shiftTypeId}|${x.date}`;
    const before = jan.assignments.map(key).sort();
    await ok(dutyAdmin, 'PUT', `/api/roster/rosters/${jan.roster.id}/cells`, {
      personId: a.id,
      date: '2027-01-05',
      duties: [],
    });
    const imported = await ok(dutyAdmin, 'POST', `/api/roster/rosters/${jan.roster.id}/import`, {
      fileBase64: bytes.toString('base64'),
    });
    expect(imported).toMatchObject({ ok: true, imported: before.length });
    expect((await roster(jan.roster.id)).assignments.map(key).sort()).toEqual(before);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    ws.getCell('C3').value = 'Q';
    ws.getCell('A4').value = '不存在的人';
    const broken = Buffer.from(await wb.xlsx.writeBuffer());
    const countBefore = await count('roster_assignment');
    const bad = await dutyAdmin.request('POST', `/api/roster/rosters/${jan.roster.id}/import`, {
      fileBase64: broken.toString('base64'),
    });
    expect(bad.statusCode).toBe(400);
    const errors = bad.json().errors as { row: number; column: string }[];
    expect(errors).toContainEqual(expect.objectContaining({ row: 3, column: 'C' }));
    expect(errors.some((e) => e.row === 4)).toBe(true);
    expect(await count('roster_assignment')).toBe(countBefore);
  });

  it('serves iCalendar feeds by secret token, right across a DST change, and revokes them', async () => {
    const mar = (await ok(dutyAdmin, 'POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2027-03-01',
      periodEnd: '2027-03-31',
    })) as unknown as RosterView;
    await ok(dutyAdmin, 'POST', `/api/roster/rosters/${mar.roster.id}/rotation`, {
      pattern: 'D,N,-',
      anchorDate: '2026-12-01',
      members: [
        { personId: a.id, postId, offset: 0 },
        { personId: b.id, postId, offset: 1 },
        { personId: c.id, postId, offset: 2 },
      ],
    });
    await ok(dutyAdmin, 'POST', `/api/roster/rosters/${mar.roster.id}/publish`, {});
    const view = await roster(mar.roster.id);
    const night = view.assignments.find(
      (x) => x.date === '2027-03-27' && x.shiftTypeId === nightId,
    )!;
    const day = view.assignments.find((x) => x.date === '2027-03-28' && x.shiftTypeId === dayId)!;
    // Berlin springs forward at 02:00 on Mar 28: the night is 21:00Z–06:00Z, 9 hours.
    expect(await onDuty(utc('2027-03-28T05:30:00Z'))).toEqual([night.personId]);
    expect(await onDuty(utc('2027-03-28T06:30:00Z'))).toEqual([day.personId]);

    const feed = await ok(dutyAdmin, 'POST', '/api/roster/feeds', {
      kind: 'post',
      subjectId: postId,
    });
    const other = await a.request('POST', '/api/roster/feeds', { kind: 'person', subjectId: b.id });
    expect(other.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'GET', url: feed.path as string });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const events = ICAL.Component.fromString(res.body)
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    const dst = events.find(
      (e) => e.startDate.toJSDate().getTime() === utc('2027-03-27T21:00:00Z'),
    )!;
    expect(dst).toBeDefined();
    expect(dst.endDate.toJSDate().getTime()).toBe(utc('2027-03-28T06:00:00Z'));
    const dec1Day = events.find(
      (e) => e.startDate.toJSDate().getTime() === utc('2026-12-01T07:00:00Z'),
    );
    expect(dec1Day?.summary).toContain(`tc_${dialect}`); // after the approved swap
    const stored = await t.dd.database.db.selectFrom('roster_feed').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(feed.token);

    const mine = await ok(a, 'POST', '/api/roster/feeds', { kind: 'person', subjectId: a.id });
    const personal = await t.app.inject({ method: 'GET', url: mine.path as string });
    expect(personal.statusCode).toBe(200);
    const own = ICAL.Component.fromString(personal.body).getAllSubcomponents('vevent');
    expect(own.length).toBeGreaterThan(10);
    expect((await a.request('DELETE', `/api/roster/feeds/${mine.id as string}`)).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'GET', url: mine.path as string })).statusCode).toBe(404);
  });

  it('refuses bad input naming the field, with nothing half-saved', async () => {
    const rosters = await count('roster');
    const badDate = await dutyAdmin.request('POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2027-02-30',
      periodEnd: '2027-03-01',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json()).toMatchObject({ field: 'periodStart' });
    const overlapping = await dutyAdmin.request('POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2026-12-15',
      periodEnd: '2027-01-14',
    });
    expect(overlapping.statusCode).toBe(409);
    expect(await count('roster')).toBe(rosters);
    const draft = (await ok(dutyAdmin, 'POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2027-04-01',
      periodEnd: '2027-04-30',
    })) as unknown as RosterView;
    const assignments = await count('roster_assignment');
    const outside = await dutyAdmin.request('PUT', `/api/roster/rosters/${draft.roster.id}/cells`, {
      personId: a.id,
      date: '2027-05-01',
      duties: [{ postId, shiftTypeId: dayId }],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ field: 'date' });
    const rotation = await dutyAdmin.request(
      'POST',
      `/api/roster/rosters/${draft.roster.id}/rotation`,
      {
        pattern: 'D,X',
        anchorDate: '2027-04-01',
        members: [{ personId: a.id, postId, offset: 0 }],
      },
    );
    expect(rotation.statusCode).toBe(400);
    expect(rotation.json()).toMatchObject({ field: 'pattern[1]' });
    const stranger = await dutyAdmin.request(
      'PUT',
      `/api/roster/rosters/${draft.roster.id}/cells`,
      {
        personId: dutyAdmin.id,
        date: '2027-04-02',
        duties: [{ postId, shiftTypeId: dayId }],
      },
    );
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json()).toMatchObject({ field: 'personId' });
    expect(await count('roster_assignment')).toBe(assignments);
    const unknownField = await dutyAdmin.request('POST', '/api/roster/rosters', {
      teamId,
      periodStart: '2027-06-01',
      periodEnd: '2027-06-30',
      colour: 'red',
    });
    expect(unknownField.json()).toMatchObject({ field: 'colour' });

    // Skills: only A holds the guard licence the 安保 post requires.
    const guard = (await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/posts`, {
      name: '安保',
      shiftTypeIds: [dayId],
      requiredSkills: ['安保证'],
    })) as { id: string };
    await ok(dutyAdmin, 'PUT', `/api/roster/people/${a.id}`, { skills: ['安保证'] });
    await ok(dutyAdmin, 'PUT', `/api/roster/teams/${teamId}/settings`, {
      rules: { cover: { severity: 'warn' }, skills: { severity: 'block' } },
    });
    const unskilled = await ok(dutyAdmin, 'PUT', `/api/roster/rosters/${draft.roster.id}/cells`, {
      personId: b.id,
      date: '2027-04-06',
      duties: [{ postId: guard.id, shiftTypeId: dayId }],
    });
    expect(unskilled.violations).toContainEqual(
      expect.objectContaining({ rule: 'skills', personId: b.id, date: '2027-04-06' }),
    );
    await ok(dutyAdmin, 'PUT', `/api/roster/rosters/${draft.roster.id}/cells`, {
      personId: b.id,
      date: '2027-04-06',
      duties: [],
    });
    await ok(dutyAdmin, 'PUT', `/api/roster/rosters/${draft.roster.id}/cells`, {
      personId: a.id,
      date: '2027-04-05',
      duties: [{ postId: guard.id, shiftTypeId: dayId }],
    });
    await ok(dutyAdmin, 'POST', `/api/roster/rosters/${draft.roster.id}/publish`, {});
    const guardShift = (await roster(draft.roster.id)).assignments.find(
      (x) => x.personId === a.id && x.date === '2027-04-05',
    )!;
    const swaps = await count('roster_swap');
    const lacking = await a.request('POST', '/api/roster/swaps', {
      kind: 'substitution',
      assignmentId: guardShift.id,
      substituteId: b.id,
    });
    expect(lacking.statusCode).toBe(400);
    expect(lacking.json()).toMatchObject({ field: 'substituteId' });
    expect(lacking.json().message).toContain('安保证');
    expect(await count('roster_swap')).toBe(swaps);
  });
});
