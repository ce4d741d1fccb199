import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';

type Session = Awaited<ReturnType<TestApp['userWith']>>;
interface RunView {
  id: string;
  status: string;
  kind: string;
  progress: { ms: number; objective: number }[];
  result: null | {
    status: string;
    stopped: boolean;
    published: boolean | null;
    assignments: number;
    fairness: {
      personId: string;
      personName: string;
      nights: number;
      weekends: number;
      hours: number;
      targetHours: number;
    }[];
    soft: { rule: string; date: string; personName: string; message: string; why: string }[];
    reasons: { rule: string; date: string | null; shift: string; message: string }[];
    diff: { personId: string; date: string; before: string[]; after: string[] }[];
  };
}
interface RosterView {
  roster: { id: string; status: string };
  assignments: { personId: string; postId: string; shiftTypeId: string; date: string }[];
  violations: { rule: string; severity: string; personId?: string }[];
}

describe.each(DIALECTS)('the solver in the product on %s', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let staff: Session[];
  let teamId: string;
  let postId: string;
  let dayId: string;
  let nightId: string;
  let rosterId: string;

  const ok = async (s: Pick<Session, 'request'>, method: string, url: string, body?: unknown) => {
    const res = await s.request(method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? {} : (res.json() as Record<string, unknown>);
  };
  const run = async (id: string) =>
    (await ok(admin, 'GET', `/api/solver/runs/${id}`)) as unknown as RunView;
  const roster = async (id: string) =>
    (await ok(admin, 'GET', `/api/roster/rosters/${id}`)) as unknown as RosterView;
  const drain = async () => {
    for (let i = 0; i < 50; i++) {
      const ran = await t.dd.jobs!.runDue();
      if (ran === 0) return;
    }
  };

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      ROLES: 'api,worker',
      JOB_POLL_MS: '3600000',
      SESSION_TTL_HOURS: '10000',
    });
    admin = await t.userWith(['duty_admin'], `sda_${dialect}`);
    staff = [];
    for (let i = 0; i < 7; i++) staff.push(await t.userWith(['technician'], `st${i}_${dialect}`));
    const team = await ok(t.admin, 'POST', '/api/teams', {
      name: '值班组',
      timeZone: 'Asia/Shanghai',
    });
    teamId = (team.team as { id: string }).id;
    await ok(t.admin, 'PUT', `/api/teams/${teamId}/members`, { userIds: staff.map((s) => s.id) });
    dayId = (
      await ok(admin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
        code: 'D',
        name: '白班',
        start: '08:00',
        end: '20:00',
        colour: '#ffd666',
      })
    ).id as string;
    nightId = (
      await ok(admin, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
        code: 'N',
        name: '夜班',
        start: '20:00',
        end: '08:00',
        colour: '#1d39c4',
      })
    ).id as string;
    const cover = (shiftTypeId: string) =>
      (['weekday', 'weekend', 'holiday'] as const).map((dayKind) => ({
        shiftTypeId,
        dayKind,
        min: 1,
        preferred: 1,
      }));
    postId = (
      await ok(admin, 'POST', `/api/roster/teams/${teamId}/posts`, {
        name: '运维',
        shiftTypeIds: [dayId, nightId],
        cover: [...cover(dayId), ...cover(nightId)],
      })
    ).id as string;
    await ok(admin, 'PUT', `/api/roster/teams/${teamId}/settings`, {
      rules: {
        minRestHours: { value: 12, severity: 'block' },
        maxConsecutiveDays: { value: 5, severity: 'block' },
        maxConsecutiveNights: { value: 3, severity: 'warn' },
        minDaysOffAfterNights: { value: 1, severity: 'block' },
        maxHoursPerWeek: { value: 60, severity: 'warn' },
        maxHoursPerMonth: { value: 200, severity: 'block' },
        cover: { severity: 'block' },
        doubleBooking: { severity: 'block' },
        leave: { severity: 'block' },
      },
      calendar: { holidays: ['2026-12-25'] },
    });
    rosterId = (
      (await ok(admin, 'POST', '/api/roster/rosters', {
        teamId,
        periodStart: '2026-12-01',
        periodEnd: '2026-12-31',
      })) as unknown as RosterView
    ).roster.id;
  }, 120_000);
  afterAll(async () => t?.close());

  it('takes staff shift requests for next month, refusing bad ones by field', async () => {
    const mine = await ok(staff[0]!, 'POST', '/api/solver/me/requests', {
      date: '2026-12-24',
      kind: 'off',
    });
    expect(mine).toMatchObject({ date: '2026-12-24', kind: 'off' });
    await ok(staff[1]!, 'POST', '/api/solver/me/requests', {
      date: '2026-12-05',
      kind: 'on',
      shiftTypeId: nightId,
    });
    const noShift = await staff[1]!.request('POST', '/api/solver/me/requests', {
      date: '2026-12-06',
      kind: 'on',
    });
    expect(noShift.statusCode).toBe(400);
    expect(noShift.json()).toMatchObject({ field: 'shiftTypeId' });
    const past = await staff[1]!.request('POST', '/api/solver/me/requests', {
      date: '2026-11-01',
      kind: 'off',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ field: 'date' });
    const badDate = await staff[1]!.request('POST', '/api/solver/me/requests', {
      date: '2026-13-40',
      kind: 'off',
    });
    expect(badDate.statusCode).toBe(400);
    const twice = await staff[0]!.request('POST', '/api/solver/me/requests', {
      date: '2026-12-24',
      kind: 'off',
    });
    expect(twice.statusCode).toBe(409);
    const list = (await ok(staff[0]!, 'GET', '/api/solver/me/requests')) as {
      items: { id: string }[];
    };
    expect(list.items).toHaveLength(1);
    // Nobody else can delete it; the team view shows both.
    const other = await staff[1]!.request('DELETE', `/api/solver/me/requests/${list.items[0]!.id}`);
    expect(other.statusCode).toBe(404);
    const team = (await ok(
      admin,
      'GET',
      `/api/solver/teams/${teamId}/requests?from=2026-12-01&to=2026-12-31`,
    )) as { items: unknown[] };
    expect(team.items).toHaveLength(2);
    const forbidden = await staff[0]!.request(
      'GET',
      `/api/solver/teams/${teamId}/requests?from=2026-12-01&to=2026-12-31`,
    );
    expect(forbidden.statusCode).toBe(403);
  });

  it('generates the draft month as a job: progress, result written once, fairness and soft misses', async () => {
    const bad = await admin.request('POST', `/api/solver/rosters/${rosterId}/generate`, {
      timeLimitSeconds: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('timeLimitSeconds');
    const notAllowed = await staff[0]!.request(
      'POST',
      `/api/solver/rosters/${rosterId}/generate`,
      {},
    );
    expect(notAllowed.statusCode).toBe(403);
    const started = (await ok(admin, 'POST', `/api/solver/rosters/${rosterId}/generate`, {
      timeLimitSeconds: 3,
    })) as unknown as RunView;
    expect(started.status).toBe('queued');
    const again = await admin.request('POST', `/api/solver/rosters/${rosterId}/generate`, {
      timeLimitSeconds: 3,
    });
    expect(again.statusCode).toBe(409);
    await drain();
    const done = await run(started.id);
    expect(done.status).toBe('done');
    expect(done.progress.length).toBeGreaterThan(0);
    expect(done.result!.status).toBe('feasible');
    expect(done.result!.fairness.map((f) => f.personId).sort()).toEqual(
      staff.map((s) => s.id).sort(),
    );
    const view = await roster(rosterId);
    expect(view.assignments.length).toBe(done.result!.assignments);
    expect(view.assignments.length).toBeGreaterThanOrEqual(62);
    expect(view.violations.filter((v) => v.severity === 'block')).toEqual([]);
    expect(view.assignments.every((a) => a.postId === postId)).toBe(true);
    const totalNights = done.result!.fairness.reduce((s, f) => s + f.nights, 0);
    expect(totalNights).toBeGreaterThanOrEqual(31);
    // Running the job again (a redelivery) changes nothing.
    await t.dd.database.db
      .updateTable('job')
      .set({ status: 'pending', run_at: 0 })
      .where('kind', '=', 'solver.run')
      .execute();
    await drain();
    expect((await roster(rosterId)).assignments.length).toBe(view.assignments.length);
    const audit = await t.dd.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'in', ['solver.generate.start', 'roster.cells.set'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'roster.cells.set',
      'solver.generate.start',
    ]);
  }, 120_000);

  it('stops a running generate and keeps the best roster found so far', async () => {
    const started = (await ok(admin, 'POST', `/api/solver/rosters/${rosterId}/generate`, {
      timeLimitSeconds: 120,
      keepExisting: true,
    })) as unknown as RunView;
    const running = t.dd.jobs!.runDue();
    for (let i = 0; i < 200; i++) {
      const r = await run(started.id);
      if (r.status === 'running' && r.progress.length > 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const t0 = Date.now();
    await ok(admin, 'POST', `/api/solver/runs/${started.id}/stop`, {});
    await running;
    expect(Date.now() - t0).toBeLessThan(30_000);
    const r = await run(started.id);
    expect(r.status).toBe('done');
    expect(r.result!.stopped).toBe(true);
    expect((await roster(rosterId)).violations.filter((v) => v.severity === 'block')).toEqual([]);
    const late = await admin.request('POST', `/api/solver/runs/${started.id}/stop`, {});
    expect(late.statusCode).toBe(409);
  }, 120_000);

  it('ends fast with the reason when cover needs more people than exist', async () => {
    const team = await ok(t.admin, 'POST', '/api/teams', {
      name: '小组',
      timeZone: 'Asia/Shanghai',
    });
    const smallTeam = (team.team as { id: string }).id;
    await ok(t.admin, 'PUT', `/api/teams/${smallTeam}/members`, { userIds: [staff[6]!.id] });
    const d = (
      await ok(admin, 'POST', `/api/roster/teams/${smallTeam}/shift-types`, {
        code: 'D',
        name: '白班',
        start: '08:00',
        end: '16:00',
        colour: '#ffd666',
      })
    ).id as string;
    await ok(admin, 'POST', `/api/roster/teams/${smallTeam}/posts`, {
      name: '前台',
      shiftTypeIds: [d],
      cover: [{ shiftTypeId: d, dayKind: 'weekday', min: 2, preferred: 2 }],
    });
    await ok(admin, 'PUT', `/api/roster/teams/${smallTeam}/settings`, {
      rules: { cover: { severity: 'block' } },
    });
    const small = (
      (await ok(admin, 'POST', '/api/roster/rosters', {
        teamId: smallTeam,
        periodStart: '2026-12-01',
        periodEnd: '2026-12-31',
      })) as unknown as RosterView
    ).roster.id;
    const started = (await ok(admin, 'POST', `/api/solver/rosters/${small}/generate`, {
      timeLimitSeconds: 60,
    })) as unknown as RunView;
    const t0 = Date.now();
    await drain();
    expect(Date.now() - t0).toBeLessThan(20_000);
    const r = await run(started.id);
    expect(r.status).toBe('infeasible');
    expect(r.result!.reasons[0]).toMatchObject({ date: '2026-12-01', shift: '前台/D' });
    expect(r.result!.reasons[0]!.message).toContain('2026-12-01');
    expect((await roster(small)).assignments).toEqual([]);
  }, 60_000);

  it('says "none found in time", not "infeasible", when the cover could not be met in time', async () => {
    // Two people, 80 h a month each (10 shifts of 8 h), one needed every day: no roster covers
    // the month, but no quick proof says so; the run ends at its time limit naming the cells.
    const team = await ok(t.admin, 'POST', '/api/teams', {
      name: '两人组',
      timeZone: 'Asia/Shanghai',
    });
    const pair = (team.team as { id: string }).id;
    await ok(t.admin, 'PUT', `/api/teams/${pair}/members`, {
      userIds: [staff[5]!.id, staff[6]!.id],
    });
    const d = (
      await ok(admin, 'POST', `/api/roster/teams/${pair}/shift-types`, {
        code: 'D',
        name: '白班',
        start: '08:00',
        end: '16:00',
        colour: '#ffd666',
      })
    ).id as string;
    await ok(admin, 'POST', `/api/roster/teams/${pair}/posts`, {
      name: '机房',
      shiftTypeIds: [d],
      cover: (['weekday', 'weekend', 'holiday'] as const).map((dayKind) => ({
        shiftTypeId: d,
        dayKind,
        min: 1,
        preferred: 1,
      })),
    });
    await ok(admin, 'PUT', `/api/roster/teams/${pair}/settings`, {
      rules: { cover: { severity: 'block' }, maxHoursPerMonth: { value: 80, severity: 'block' } },
    });
    const rid = (
      (await ok(admin, 'POST', '/api/roster/rosters', {
        teamId: pair,
        periodStart: '2026-12-01',
        periodEnd: '2026-12-31',
      })) as unknown as RosterView
    ).roster.id;
    const started = (await ok(admin, 'POST', `/api/solver/rosters/${rid}/generate`, {
      timeLimitSeconds: 3,
    })) as unknown as RunView;
    await drain();
    const r = await run(started.id);
    expect(r.status).toBe('none_found');
    expect(r.result!.status).toBe('no_feasible_found');
    expect(r.result!.reasons.length).toBeGreaterThanOrEqual(11);
    expect(r.result!.reasons[0]).toMatchObject({ rule: 'coverNotMet', shift: '机房/D' });
    expect(r.result!.reasons[0]!.message).toContain('机房/D');
    expect(r.result!.reasons[0]!.message).toContain('2 人');
    expect((await roster(rid)).assignments).toEqual([]);
  }, 60_000);

  it('re-plans a published roster after a late absence with few changes, shows the diff, applies it as an amendment', async () => {
    const pub = await ok(admin, 'POST', `/api/roster/rosters/${rosterId}/publish`, {});
    expect(pub.ok ?? true).toBeTruthy();
    const before = await roster(rosterId);
    const absent = staff.find((s) =>
      before.assignments.some(
        (a) => a.personId === s.id && a.date >= '2026-12-10' && a.date <= '2026-12-12',
      ),
    )!;
    const leave = await ok(absent, 'POST', '/api/roster/leave', {
      kind: 'leave',
      startDate: '2026-12-10',
      endDate: '2026-12-12',
      reason: '病假',
    });
    await ok(admin, 'POST', `/api/roster/leave/${String(leave.id)}/approve`, {});
    expect((await roster(rosterId)).violations.some((v) => v.rule === 'leave')).toBe(true);
    const started = (await ok(admin, 'POST', `/api/solver/rosters/${rosterId}/replan`, {
      timeLimitSeconds: 3,
    })) as unknown as RunView;
    await drain();
    const r = await run(started.id);
    expect(r.status).toBe('proposed');
    const diff = r.result!.diff;
    expect(diff.length).toBeGreaterThan(0);
    // Every cell of the absent person on leave is cleared, and few cells change in all.
    const lost = before.assignments.filter(
      (a) => a.personId === absent.id && a.date >= '2026-12-10' && a.date <= '2026-12-12',
    );
    for (const a of lost)
      expect(
        diff.some((c) => c.personId === absent.id && c.date === a.date && c.after.length === 0),
      ).toBe(true);
    expect(diff.length).toBeLessThan(before.assignments.length / 4);
    expect(before.roster.status).toBe('published');
    const applied = (await ok(
      admin,
      'POST',
      `/api/solver/runs/${started.id}/apply`,
      {},
    )) as unknown as RunView & { published: boolean };
    expect(applied.status).toBe('applied');
    expect(applied.published).toBe(true);
    const after = await roster(rosterId);
    expect(after.roster.status).toBe('published');
    expect(after.violations.filter((v) => v.severity === 'block')).toEqual([]);
    const twice = await admin.request('POST', `/api/solver/runs/${started.id}/apply`, {});
    expect(twice.statusCode).toBe(409);
  }, 120_000);
});
