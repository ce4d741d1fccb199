import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';

type Session = Awaited<ReturnType<TestApp['userWith']>>;
interface AttendanceView {
  rows: {
    assignmentId: string | null;
    overrideId: string | null;
    relievedBy: string[];
    personId: string;
    date: string;
    arrival: string;
    departure: string;
    lateMinutes: number;
    earlyLeaveMinutes: number;
  }[];
  people: {
    personId: string;
    shifts: number;
    late: number;
    missing: number;
    earlyLeave: number;
    replaced: number;
    overrides: number;
  }[];
}

const utc = (iso: string) => Date.parse(iso);

/**
 * The duty admin's side of a published roster over HTTP: attendance and its CSV, reminding the
 * unconfirmed now (durable jobs), calendar feed list and revoke, and a post an escalation policy
 * targets. The test clock starts 2026-11-21 12:00Z (20:00 in Shanghai).
 */
describe.each(DIALECTS)('roster administration through HTTP on %s', (dialect) => {
  let t: TestApp;
  let dutyAdmin: Session;
  let manager: Session;
  let a: Session;
  let b: Session;
  let c: Session;
  let teamId: string;
  let postId: string;
  let dayId: string;
  let rosterId: string;

  const ok = async (s: Pick<Session, 'request'>, method: string, url: string, body?: unknown) => {
    const res = await s.request(method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
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
    ((await ok(s, 'GET', '/api/inbox')) as { items: { kind: string }[] }).items.map((i) => i.kind);
  const reminderJobs = async () =>
    Number(
      (
        await sql<{
          n: number;
        }>`SELECT COUNT(*) AS n FROM job WHERE kind = 'roster.confirm-reminder'`.execute(
          t.dd.database.db,
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      ROLES: 'api,worker',
      JOB_POLL_MS: '3600000',
      SESSION_TTL_HOURS: '10000',
    });
    dutyAdmin = await t.userWith(['duty_admin'], `ada_${dialect}`);
    manager = await t.userWith(['duty_manager'], `adm_${dialect}`);
    a = await t.userWith(['technician'], `ata_${dialect}`);
    b = await t.userWith(['technician'], `atb_${dialect}`);
    c = await t.userWith(['technician'], `atc_${dialect}`);
    const team = await ok(t.admin, 'POST', '/api/teams', {
      name: '值班组',
      timeZone: 'Asia/Shanghai',
    });
    teamId = (team.team as { id: string }).id;
    await ok(t.admin, 'PUT', `/api/teams/${teamId}/members`, { userIds: [a.id, b.id, c.id] });
    dayId = (
      await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
        code: 'D',
        name: '白班',
        start: '08:00',
        end: '16:00',
        colour: '#ffd666',
      })
    ).id as string;
    // A name a spreadsheet would run as a formula: the CSV must neutralise it.
    postId = (
      await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/posts`, {
        name: '@SUM(1)',
        shiftTypeIds: [dayId],
      })
    ).id as string;
    rosterId = (
      (await ok(dutyAdmin, 'POST', '/api/roster/rosters', {
        teamId,
        periodStart: '2026-11-21',
        periodEnd: '2026-11-30',
      })) as { roster: { id: string } }
    ).roster.id;
    const cell = (s: Session, date: string) => ({
      personId: s.id,
      date,
      duties: [{ postId, shiftTypeId: dayId }],
    });
    await ok(dutyAdmin, 'PUT', `/api/roster/rosters/${rosterId}/cells/batch`, {
      cells: [cell(a, '2026-11-21'), cell(b, '2026-11-22'), cell(c, '2026-11-23')],
    });
    await ok(dutyAdmin, 'POST', `/api/roster/rosters/${rosterId}/publish`, {});
  }, 90_000);
  afterAll(async () => t?.close());

  it('reminds the unconfirmed now through durable jobs, once per person', async () => {
    await ok(a, 'POST', `/api/roster/rosters/${rosterId}/confirm`, {});
    const before = await reminderJobs();
    const res = await ok(dutyAdmin, 'POST', `/api/roster/rosters/${rosterId}/remind`, {});
    expect(res.reminded).toBe(2);
    expect((res.people as string[]).sort()).toEqual([b.id, c.id].sort());
    // A double click in the same minute adds no second job.
    await ok(dutyAdmin, 'POST', `/api/roster/rosters/${rosterId}/remind`, {});
    expect(await reminderJobs()).toBe(before + 2);
    await drain();
    expect((await inboxKinds(b)).filter((k) => k === 'roster.reminder')).toHaveLength(1);
    expect((await inboxKinds(c)).filter((k) => k === 'roster.reminder')).toHaveLength(1);
    expect(await inboxKinds(a)).not.toContain('roster.reminder');
    // Technicians cannot; bad bodies are refused; the audit log has it.
    expect((await a.request('POST', `/api/roster/rosters/${rosterId}/remind`, {})).statusCode).toBe(
      403,
    );
    const bad = await dutyAdmin.request('POST', `/api/roster/rosters/${rosterId}/remind`, {
      x: 1,
    });
    expect(bad.statusCode).toBe(400);
    const audit = await t.dd.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'roster.remind')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    // Once everyone has confirmed there is nobody to remind: a 409 that says so.
    await ok(b, 'POST', `/api/roster/rosters/${rosterId}/confirm`, {});
    await ok(c, 'POST', `/api/roster/rosters/${rosterId}/confirm`, {});
    const none = await dutyAdmin.request('POST', `/api/roster/rosters/${rosterId}/remind`, {});
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toBeTruthy();
  });

  it('records late, missing and early leave for the month and exports a formula-safe CSV and workbook', async () => {
    // B's day shift on Nov 22 is 00:00–08:00Z: in 10 min late, out an hour early.
    t.clock.set(utc('2026-11-22T00:10:00Z'));
    const shifts = (await ok(b, 'GET', '/api/roster/me/shifts?from=2026-11-22&to=2026-11-22'))
      .items as { assignmentId: string }[];
    await ok(b, 'POST', `/api/roster/assignments/${shifts[0]!.assignmentId}/check-in`, {});
    t.clock.set(utc('2026-11-22T07:00:00Z'));
    await ok(b, 'POST', `/api/roster/assignments/${shifts[0]!.assignmentId}/check-out`, {});
    // C arrives 20 min early for the handover of Nov 23.
    t.clock.set(utc('2026-11-22T23:40:00Z'));
    const cShift = (await ok(c, 'GET', '/api/roster/me/shifts?from=2026-11-23&to=2026-11-23'))
      .items as { assignmentId: string }[];
    await ok(c, 'POST', `/api/roster/assignments/${cShift[0]!.assignmentId}/check-in`, {});

    const view = (await ok(
      dutyAdmin,
      'GET',
      `/api/roster/rosters/${rosterId}/attendance`,
    )) as unknown as AttendanceView;
    const row = (s: Session) => view.rows.find((r) => r.personId === s.id)!;
    expect(row(a)).toMatchObject({ date: '2026-11-21', arrival: 'missing' });
    expect(row(b)).toMatchObject({
      arrival: 'late',
      lateMinutes: 10,
      departure: 'early_leave',
      earlyLeaveMinutes: 60,
    });
    expect(row(c)).toMatchObject({ arrival: 'early', departure: 'pending' });
    expect(view.people.find((p) => p.personId === a.id)).toMatchObject({ missing: 1 });
    expect(view.people.find((p) => p.personId === b.id)).toMatchObject({ late: 1, earlyLeave: 1 });

    const csv = await dutyAdmin.request('GET', `/api/roster/rosters/${rosterId}/attendance.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('迟到分钟');
    expect(lines.find((l) => l.startsWith(`atb_${dialect}`))).toContain(`,'@SUM(1),`);
    expect(lines.find((l) => l.startsWith(`atb_${dialect}`))).toContain('迟到');
    expect(csv.body).not.toMatch(/(^|,)@SUM/m);

    // The same rows as an Excel workbook, headers in the caller's language, the post named
    // like a formula written as text behind a quote.
    const sheetOf = async (locale: string) => {
      const res = await dutyAdmin.request(
        'GET',
        `/api/roster/rosters/${rosterId}/attendance.xlsx`,
        undefined,
        { 'accept-language': locale },
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/spreadsheetml\.sheet/);
      expect(res.headers['content-disposition']).toContain('attendance-2026-11-21.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      const rows: unknown[][] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return { ws, rows };
    };
    const zh = await sheetOf('zh-CN');
    expect(zh.ws.name).toBe('考勤 2026-11-21');
    expect(zh.rows).toHaveLength(4);
    expect(zh.rows[0]).toEqual([
      '姓名',
      '日期',
      '班次',
      '岗位',
      '开始',
      '结束',
      '签到',
      '签退',
      '到岗',
      '迟到分钟',
      '离岗',
      '早退分钟',
    ]);
    expect(zh.rows.find((r) => r[0] === `atb_${dialect}`)).toEqual([
      `atb_${dialect}`,
      '2026-11-22',
      'D',
      "'@SUM(1)",
      '2026-11-22 08:00',
      '2026-11-22 16:00',
      '2026-11-22 08:10',
      '2026-11-22 15:00',
      '迟到',
      10,
      '早退',
      60,
    ]);
    zh.ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.formula).toBeFalsy();
        expect(['string', 'number']).toContain(typeof cell.value);
        if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+@＝＋＠]/);
      }),
    );
    const en = await sheetOf('en');
    expect(en.ws.name).toBe('Attendance 2026-11-21');
    expect(en.rows[0]?.slice(0, 2)).toEqual(['Name', 'Date']);
    expect(en.rows.find((r) => r[0] === `ata_${dialect}`)?.[8]).toBe('Missing');
    expect(
      (await a.request('GET', `/api/roster/rosters/${rosterId}/attendance.xlsx`)).statusCode,
    ).toBe(403);

    expect((await a.request('GET', `/api/roster/rosters/${rosterId}/attendance`)).statusCode).toBe(
      403,
    );
    const missing = await dutyAdmin.request(
      'GET',
      '/api/roster/rosters/00000000-0000-4000-8000-000000000000/attendance',
    );
    expect(missing.statusCode).toBe(404);
  });

  it('judges a shift an emergency override relieved by what the person still owed', async () => {
    // The duty manager put B on A's whole shift of Nov 21 (00:00–08:00Z), and A on the first
    // 20 minutes of B's shift of Nov 22: A is not missing, and B (in at 00:10) is not late.
    await ok(manager, 'POST', '/api/roster/overrides', {
      postId,
      personId: b.id,
      replacesPersonId: a.id,
      startMs: utc('2026-11-21T00:00:00Z'),
      endMs: utc('2026-11-21T08:00:00Z'),
      reason: 'A 发烧',
    });
    await ok(manager, 'POST', '/api/roster/overrides', {
      postId,
      personId: a.id,
      replacesPersonId: b.id,
      startMs: utc('2026-11-21T23:50:00Z'),
      endMs: utc('2026-11-22T00:20:00Z'),
      reason: 'B 堵车',
    });
    const view = (await ok(
      dutyAdmin,
      'GET',
      `/api/roster/rosters/${rosterId}/attendance`,
    )) as unknown as AttendanceView;
    const shiftOf = (s: Session) =>
      view.rows.find((r) => r.personId === s.id && r.overrideId === null)!;
    expect(shiftOf(a)).toMatchObject({
      date: '2026-11-21',
      arrival: 'replaced',
      departure: 'replaced',
      relievedBy: [`atb_${dialect}`],
    });
    expect(shiftOf(b)).toMatchObject({
      arrival: 'on_time',
      lateMinutes: 0,
      departure: 'early_leave',
      relievedBy: [`ata_${dialect}`],
    });
    const overrides = view.rows.filter((r) => r.overrideId !== null);
    expect(overrides.map((r) => [r.personId, r.date, r.arrival]).sort()).toEqual(
      [
        [a.id, '2026-11-22', 'override'],
        [b.id, '2026-11-21', 'override'],
      ].sort(),
    );
    expect(view.people.find((p) => p.personId === a.id)).toMatchObject({
      shifts: 1,
      missing: 0,
      replaced: 1,
      overrides: 1,
    });
    expect(view.people.find((p) => p.personId === b.id)).toMatchObject({ late: 0, overrides: 1 });
    const csv = await dutyAdmin.request('GET', `/api/roster/rosters/${rosterId}/attendance.csv`);
    expect(csv.body).toContain('已由他人顶班');
    expect(csv.body).toContain('紧急顶班');
  });

  it('lists, and revokes, calendar feeds: each person their own, the duty admin all', async () => {
    const mine = (await ok(a, 'POST', '/api/roster/feeds', {
      kind: 'person',
      subjectId: a.id,
    })) as { id: string; token: string; path: string };
    const post = (await ok(a, 'POST', '/api/roster/feeds', {
      kind: 'post',
      subjectId: postId,
    })) as { id: string };
    await ok(b, 'POST', '/api/roster/feeds', { kind: 'person', subjectId: b.id });
    const listA = (await ok(a, 'GET', '/api/roster/feeds')).items as {
      id: string;
      subjectName: string;
    }[];
    expect(listA.map((f) => f.id).sort()).toEqual([mine.id, post.id].sort());
    expect(listA.map((f) => f.subjectName).sort()).toEqual(['@SUM(1)', `ata_${dialect}`].sort());
    // The token is shown once, at creation; the list never has it.
    expect(JSON.stringify(listA)).not.toContain(mine.token);
    expect(((await ok(b, 'GET', '/api/roster/feeds?all=true')).items as unknown[]).length).toBe(1);
    expect(
      ((await ok(dutyAdmin, 'GET', '/api/roster/feeds?all=true')).items as unknown[]).length,
    ).toBe(3);
    expect((await b.request('DELETE', `/api/roster/feeds/${mine.id}`)).statusCode).toBe(403);
    const ics = await t.app.inject({ method: 'GET', url: mine.path });
    expect(ics.statusCode).toBe(200);
    expect(ics.body).toContain('BEGIN:VCALENDAR');
    expect((await a.request('DELETE', `/api/roster/feeds/${mine.id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: mine.path })).statusCode).toBe(404);
    const after = (await ok(a, 'GET', '/api/roster/feeds')).items as { id: string }[];
    expect(after.map((f) => f.id)).toEqual([post.id]);
    expect((await a.request('GET', '/api/roster/feeds?all=maybe')).statusCode).toBe(400);
  });

  it('refuses to delete a post an escalation policy pages, naming the policy', async () => {
    const spare = (
      await ok(dutyAdmin, 'POST', `/api/roster/teams/${teamId}/posts`, {
        name: '数据库',
        shiftTypeIds: [dayId],
      })
    ).id as string;
    const policy = (await ok(manager, 'POST', '/api/alerts/policies', {
      name: '夜间数据库升级',
      levels: [{ targets: [{ kind: 'post', id: spare }], delayMinutes: 5 }],
    })) as { id: string };
    const refused = await dutyAdmin.request('DELETE', `/api/roster/posts/${spare}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('夜间数据库升级');
    expect(refused.json().message).toContain('数据库');
    const setup = await ok(dutyAdmin, 'GET', `/api/roster/teams/${teamId}/setup`);
    expect((setup.posts as { id: string }[]).some((p) => p.id === spare)).toBe(true);
    await ok(manager, 'PUT', `/api/alerts/policies/${policy.id}`, {
      name: '夜间数据库升级',
      levels: [{ targets: [{ kind: 'user', id: manager.id }], delayMinutes: 5 }],
    });
    expect((await dutyAdmin.request('DELETE', `/api/roster/posts/${spare}`)).statusCode).toBe(204);
  });
});
