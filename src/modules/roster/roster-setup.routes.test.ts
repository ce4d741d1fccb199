import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../../test/helpers/app.js';
import { DIALECTS } from '../../../test/helpers/db.js';

// Editing and deleting the setup (shift types, posts, cover, rules), closing and deleting a
// roster, and setting several cells at once: each refused with a reason when it would break
// a roster, nothing half-saved, every change audited.

type Session = Awaited<ReturnType<TestApp['userWith']>>;
interface RosterView {
  roster: { id: string; status: string };
  assignments: {
    id: string;
    personId: string;
    postId: string;
    shiftTypeId: string;
    date: string;
  }[];
  violations: { rule: string; severity: string; personId?: string; date: string }[];
}
interface Setup {
  shiftTypes: { id: string; code: string; name: string; start: string; colour: string }[];
  posts: {
    id: string;
    name: string;
    shiftTypeIds: string[];
    cover: { shiftTypeId: string }[];
    requiredSkills: string[];
  }[];
  people: { id: string; defaultPostId?: string }[];
}

describe.each(DIALECTS)('roster setup edits on %s', (dialect) => {
  let t: TestApp;
  let da: Session;
  let tech: Session;
  let other: Session;
  let teamId: string;

  const ok = async (s: Pick<Session, 'request'>, method: string, url: string, body?: unknown) => {
    const res = await s.request(method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? {} : (res.json() as Record<string, unknown>);
  };
  const setup = async () =>
    (await ok(da, 'GET', `/api/roster/teams/${teamId}/setup`)) as unknown as Setup;
  const auditCount = async (action: string) =>
    Number(
      (
        await sql<{
          n: number;
        }>`SELECT COUNT(*) AS n FROM audit_event WHERE action = ${action}`.execute(t.dd.database.db)
      ).rows[0]!.n,
    );
  const shiftType = async (code: string, start: string, end: string) =>
    (await ok(da, 'POST', `/api/roster/teams/${teamId}/shift-types`, {
      code,
      name: `班${code}`,
      start,
      end,
      colour: '#336699',
    })) as { id: string };
  const post = async (name: string, shiftTypeIds: string[]) =>
    (await ok(da, 'POST', `/api/roster/teams/${teamId}/posts`, { name, shiftTypeIds })) as {
      id: string;
    };
  const roster = async (periodStart: string, periodEnd: string) =>
    (
      (await ok(da, 'POST', '/api/roster/rosters', {
        teamId,
        periodStart,
        periodEnd,
      })) as unknown as RosterView
    ).roster.id;
  const cell = (rosterId: string, personId: string, date: string, postId: string, sid: string) =>
    ok(da, 'PUT', `/api/roster/rosters/${rosterId}/cells`, {
      personId,
      date,
      duties: [{ postId, shiftTypeId: sid }],
    });

  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_TTL_HOURS: '10000' });
    da = await t.userWith(['duty_admin'], `sda_${dialect}`);
    tech = await t.userWith(['technician'], `st1_${dialect}`);
    other = await t.userWith(['technician'], `st2_${dialect}`);
    const team = await ok(t.admin, 'POST', '/api/teams', {
      name: '编辑组',
      timeZone: 'Asia/Shanghai',
    });
    teamId = (team.team as { id: string }).id;
    await ok(t.admin, 'PUT', `/api/teams/${teamId}/members`, { userIds: [tech.id, other.id] });
    // No rules: these tests are about the setup, not about rest.
    await ok(da, 'PUT', `/api/roster/teams/${teamId}/settings`, { rules: {} });
  }, 60_000);
  afterAll(async () => t?.close());

  it('edits a shift type, refusing overlaps, zero length and duplicate codes with nothing saved', async () => {
    const d = await shiftType('D1', '08:00', '16:00');
    const e = await shiftType('E1', '16:00', '23:00');
    await post('编辑岗', [d.id, e.id]);
    const renamed = await ok(da, 'PUT', `/api/roster/shift-types/${d.id}`, {
      code: 'D1',
      name: '早班',
      start: '08:00',
      end: '16:00',
      colour: '#ff0000',
    });
    expect(renamed).toMatchObject({ id: d.id, name: '早班', colour: '#ff0000' });
    expect(await auditCount('roster.shiftType.update')).toBe(1);

    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await da.request('PUT', `/api/roster/shift-types/${d.id}`, {
        code: 'D1',
        name: '早班',
        start: '08:00',
        end: '16:00',
        colour: '#ff0000',
        ...body,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ field });
      return res.json().message as string;
    };
    expect(await bad({ end: '08:00' }, 'end')).toContain('D1');
    // Runs into E1 (16:00–23:00) on the post both belong to: both codes named.
    expect(await bad({ end: '17:00' }, 'start')).toMatch(/D1.*E1|E1.*D1/);
    expect(await bad({ code: 'E1' }, 'code')).toContain('E1');
    expect(await bad({ colour: 'red' }, 'colour')).toBeTruthy();
    const after = (await setup()).shiftTypes.find((s) => s.id === d.id)!;
    expect(after).toMatchObject({ code: 'D1', start: '08:00', colour: '#ff0000' });
    expect(await auditCount('roster.shiftType.update')).toBe(1);

    const missing = await da.request('PUT', `/api/roster/shift-types/${tech.id}`, {
      code: 'X',
      name: 'x',
      start: '01:00',
      end: '02:00',
      colour: '#000000',
    });
    expect(missing.statusCode).toBe(404);
    const denied = await tech.request('PUT', `/api/roster/shift-types/${d.id}`, {
      code: 'D1',
      name: 'x',
      start: '08:00',
      end: '16:00',
      colour: '#000000',
    });
    expect(denied.statusCode).toBe(403);
  });

  it('keeps the times of a shift a published roster uses, but lets a draft follow a change', async () => {
    const s = await shiftType('P2', '09:00', '17:00');
    const p = await post('发布岗', [s.id]);
    const draft = await roster('2027-01-01', '2027-01-31');
    await cell(draft, tech.id, '2027-01-05', p.id, s.id);
    const body = { code: 'P2', name: '班P2', start: '10:00', end: '18:00', colour: '#336699' };
    // Only a draft uses it: the times may move.
    await ok(da, 'PUT', `/api/roster/shift-types/${s.id}`, body);
    await ok(da, 'POST', `/api/roster/rosters/${draft}/publish`, {});
    const refused = await da.request('PUT', `/api/roster/shift-types/${s.id}`, {
      ...body,
      start: '11:00',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'shift_type_in_use', field: 'start' });
    expect(refused.json().message).toContain('2027-01-01');
    // Name and colour still change on a published roster's shift.
    await ok(da, 'PUT', `/api/roster/shift-types/${s.id}`, { ...body, name: '正班' });
    const now = (await setup()).shiftTypes.find((x) => x.id === s.id)!;
    expect(now).toMatchObject({ name: '正班', start: '10:00' });

    // Deleting it is refused while the roster uses it, naming the roster.
    const del = await da.request('DELETE', `/api/roster/shift-types/${s.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().message).toContain('2027-01-01–2027-01-31');
    expect((await setup()).shiftTypes.some((x) => x.id === s.id)).toBe(true);
  });

  it('deletes an unused shift type, taking it off posts and their cover, unless a post would have none', async () => {
    const a = await shiftType('A3', '00:00', '06:00');
    const b = await shiftType('B3', '06:00', '12:00');
    const only = await shiftType('O3', '12:00', '13:00');
    const p = (await ok(da, 'POST', `/api/roster/teams/${teamId}/posts`, {
      name: '删除岗',
      shiftTypeIds: [a.id, b.id],
      cover: [
        { shiftTypeId: a.id, dayKind: 'weekday', min: 1, preferred: 1 },
        { shiftTypeId: b.id, dayKind: 'weekday', min: 1, preferred: 2 },
      ],
    })) as { id: string };
    await post('独岗', [only.id]);
    const refused = await da.request('DELETE', `/api/roster/shift-types/${only.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('独岗');

    await ok(da, 'DELETE', `/api/roster/shift-types/${a.id}`);
    const s = await setup();
    expect(s.shiftTypes.some((x) => x.id === a.id)).toBe(false);
    const changed = s.posts.find((x) => x.id === p.id)!;
    expect(changed.shiftTypeIds).toEqual([b.id]);
    expect(changed.cover.map((c) => c.shiftTypeId)).toEqual([b.id]);
    expect(await auditCount('roster.shiftType.delete')).toBe(1);
    expect((await da.request('DELETE', `/api/roster/shift-types/${a.id}`)).statusCode).toBe(404);
  });

  it('edits a post: cover and skills always, a shift in use never taken off, names unique', async () => {
    const d = await shiftType('D4', '07:00', '15:00');
    const n = await shiftType('N4', '23:00', '07:00');
    const p = await post('值守岗', [d.id, n.id]);
    await post('别的岗', [d.id]);
    const draft = await roster('2027-03-01', '2027-03-31');
    await cell(draft, tech.id, '2027-03-02', p.id, n.id);

    const edited = await ok(da, 'PUT', `/api/roster/posts/${p.id}`, {
      name: '值守岗',
      shiftTypeIds: [d.id, n.id],
      cover: [{ shiftTypeId: n.id, dayKind: 'holiday', min: 2, preferred: 3 }],
      requiredSkills: ['网络'],
    });
    expect(edited).toMatchObject({ requiredSkills: ['网络'] });
    await ok(da, 'PUT', `/api/roster/teams/${teamId}/settings`, {
      rules: { skills: { severity: 'warn' } },
    });
    const view = (await ok(da, 'GET', `/api/roster/rosters/${draft}`)) as unknown as RosterView;
    // The skill is checked at once on the draft that has someone on the post.
    expect(view.violations.some((v) => v.rule === 'skills' && v.personId === tech.id)).toBe(true);
    await ok(da, 'PUT', `/api/roster/teams/${teamId}/settings`, { rules: {} });

    const bad = async (body: Record<string, unknown>, status: number, field: string) => {
      const res = await da.request('PUT', `/api/roster/posts/${p.id}`, {
        name: '值守岗',
        shiftTypeIds: [d.id, n.id],
        ...body,
      });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json()).toMatchObject({ field });
      return res.json().message as string;
    };
    expect(await bad({ shiftTypeIds: [d.id] }, 409, 'shiftTypeIds')).toContain('N4');
    expect(await bad({ name: '别的岗' }, 409, 'name')).toContain('别的岗');
    expect(await bad({ shiftTypeIds: [] }, 400, 'shiftTypeIds')).toBeTruthy();
    expect(
      await bad(
        { cover: [{ shiftTypeId: 'nope', dayKind: 'weekday', min: 1, preferred: 1 }] },
        400,
        'cover.0.shiftTypeId',
      ),
    ).toBeTruthy();
    expect(
      await bad(
        { cover: [{ shiftTypeId: d.id, dayKind: 'weekday', min: 3, preferred: 1 }] },
        400,
        'cover.0.preferred',
      ),
    ).toBeTruthy();
    const still = (await setup()).posts.find((x) => x.id === p.id)!;
    expect(still.shiftTypeIds).toEqual([d.id, n.id]);
    expect(still.requiredSkills).toEqual(['网络']);
    expect(await auditCount('roster.post.update')).toBe(1);
    expect(
      (await da.request('PUT', `/api/roster/posts/${d.id}`, { name: 'x', shiftTypeIds: [d.id] }))
        .statusCode,
    ).toBe(404);
  });

  it('deletes a post nothing stood on, clearing default posts and revoking its feed', async () => {
    const s = await shiftType('F5', '13:00', '14:00');
    const used = await post('用过的岗', [s.id]);
    const unused = await post('空闲岗', [s.id]);
    const draft = await roster('2027-05-01', '2027-05-31');
    await cell(draft, tech.id, '2027-05-03', used.id, s.id);
    const refused = await da.request('DELETE', `/api/roster/posts/${used.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'post_in_use' });
    expect(refused.json().message).toContain('用过的岗');

    await ok(da, 'PUT', `/api/roster/people/${other.id}`, {
      skills: [],
      defaultPostId: unused.id,
    });
    const feed = (await ok(da, 'POST', '/api/roster/feeds', {
      kind: 'post',
      subjectId: unused.id,
    })) as { path: string };
    expect((await t.app.inject({ method: 'GET', url: feed.path })).statusCode).toBe(200);
    await ok(da, 'DELETE', `/api/roster/posts/${unused.id}`);
    const after = await setup();
    expect(after.posts.some((p) => p.id === unused.id)).toBe(false);
    expect(after.people.find((p) => p.id === other.id)?.defaultPostId).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: feed.path })).statusCode).toBe(404);
    expect(await auditCount('roster.post.delete')).toBe(1);
  });

  it('refuses to delete a post with emergency overrides (duty history)', async () => {
    const manager = await t.userWith(['duty_manager'], `sdm_${dialect}`);
    const s = await shiftType('G6', '14:00', '15:00');
    const p = await post('应急岗', [s.id]);
    await ok(manager, 'POST', '/api/roster/overrides', {
      postId: p.id,
      personId: tech.id,
      startMs: t.clock.now(),
      endMs: t.clock.now() + 3_600_000,
      reason: '机房断电',
    });
    const res = await da.request('DELETE', `/api/roster/posts/${p.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('应急岗');
  });

  it('stops checking a rule the team removes', async () => {
    const s = await shiftType('R7', '20:00', '23:00');
    const p = await post('规则岗', [s.id]);
    const draft = await roster('2027-07-01', '2027-07-31');
    for (const day of ['01', '02', '03']) await cell(draft, other.id, `2027-07-${day}`, p.id, s.id);
    await ok(da, 'PUT', `/api/roster/teams/${teamId}/settings`, {
      rules: { maxConsecutiveDays: { value: 2, severity: 'block' } },
    });
    const strict = (await ok(da, 'GET', `/api/roster/rosters/${draft}`)) as unknown as RosterView;
    expect(strict.violations.some((v) => v.rule === 'maxConsecutiveDays')).toBe(true);
    await ok(da, 'PUT', `/api/roster/teams/${teamId}/settings`, { rules: {} });
    const loose = (await ok(da, 'GET', `/api/roster/rosters/${draft}`)) as unknown as RosterView;
    expect(loose.violations.some((v) => v.rule === 'maxConsecutiveDays')).toBe(false);
    const bad = await da.request('PUT', `/api/roster/teams/${teamId}/settings`, {
      rules: { minRestHours: { value: -1, severity: 'block' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toMatch(/^rules\.minRestHours/);
  });

  it('sets several cells at once, all or nothing (a drag that moves a shift)', async () => {
    const s = await shiftType('M8', '05:00', '06:00');
    const p = await post('拖动岗', [s.id]);
    const draft = await roster('2027-09-01', '2027-09-30');
    await cell(draft, tech.id, '2027-09-10', p.id, s.id);
    const duty = [{ postId: p.id, shiftTypeId: s.id }];
    const moved = (await ok(da, 'PUT', `/api/roster/rosters/${draft}/cells/batch`, {
      cells: [
        { personId: tech.id, date: '2027-09-10', duties: [] },
        { personId: other.id, date: '2027-09-11', duties: duty },
      ],
    })) as { assignments: RosterView['assignments'] };
    expect(moved.assignments).toMatchObject([{ personId: other.id, date: '2027-09-11' }]);
    const view = async () =>
      ((await ok(da, 'GET', `/api/roster/rosters/${draft}`)) as unknown as RosterView).assignments;
    expect((await view()).map((a) => `${a.personId}|${a.date}`)).toEqual([
      `${other.id}|2027-09-11`,
    ]);

    const refuse = async (cells: unknown[], field: string) => {
      const res = await da.request('PUT', `/api/roster/rosters/${draft}/cells/batch`, { cells });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ field });
    };
    // The first cell alone is fine; the second is outside the period: nothing is saved.
    await refuse(
      [
        { personId: other.id, date: '2027-09-11', duties: [] },
        { personId: tech.id, date: '2027-10-01', duties: duty },
      ],
      'cells.1.date',
    );
    await refuse(
      [
        { personId: other.id, date: '2027-09-12', duties: duty },
        { personId: other.id, date: '2027-09-12', duties: [] },
      ],
      'cells.1.date',
    );
    await refuse([{ personId: da.id, date: '2027-09-12', duties: duty }], 'cells.0.personId');
    await refuse(
      [{ personId: tech.id, date: '2027-09-12', duties: [{ postId: p.id, shiftTypeId: tech.id }] }],
      'cells.0.duties.0.shiftTypeId',
    );
    await refuse([], 'cells');
    expect((await view()).map((a) => `${a.personId}|${a.date}`)).toEqual([
      `${other.id}|2027-09-11`,
    ]);
    expect(await auditCount('roster.cells.set')).toBe(1);
  });

  it('closes a roster only after its period, keeps it on duty, and takes no more changes', async () => {
    const s = await shiftType('C9', '10:00', '11:00');
    const p = await post('关闭岗', [s.id]);
    const nov = await roster('2026-11-23', '2026-11-30');
    await cell(nov, tech.id, '2026-11-27', p.id, s.id);
    await cell(nov, other.id, '2026-11-28', p.id, s.id);
    expect((await da.request('POST', `/api/roster/rosters/${nov}/close`, {})).statusCode).toBe(409);
    await ok(da, 'POST', `/api/roster/rosters/${nov}/publish`, {});
    const view = (await ok(da, 'GET', `/api/roster/rosters/${nov}`)) as unknown as RosterView;
    const techShift = view.assignments.find((a) => a.personId === tech.id)!;
    const swap = (await ok(tech, 'POST', '/api/roster/swaps', {
      kind: 'substitution',
      assignmentId: techShift.id,
      substituteId: other.id,
      reason: '家里有事',
    })) as { id: string };

    const early = await da.request('POST', `/api/roster/rosters/${nov}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'roster_not_over' });
    expect(early.json().message).toContain('2026-11-30');

    t.clock.set(Date.UTC(2026, 11, 1, 1, 0)); // 09:00 on 1 December in Shanghai
    const closed = await ok(da, 'POST', `/api/roster/rosters/${nov}/close`, {});
    expect(closed).toMatchObject({ status: 'closed' });
    const history = (await ok(da, 'GET', `/api/roster/swaps/${swap.id}`)) as {
      swap: { status: string };
      events: { action: string }[];
    };
    expect(history.swap.status).toBe('cancelled');
    expect(history.events.map((e) => e.action)).toEqual(['request', 'cancel']);
    // Still the record of who was on duty.
    const onDuty = (await ok(
      tech,
      'GET',
      `/api/roster/on-duty?postId=${p.id}&at=${Date.UTC(2026, 10, 27, 2, 30)}`,
    )) as { personIds: string[] };
    expect(onDuty.personIds).toEqual([tech.id]);
    const edit = await da.request('PUT', `/api/roster/rosters/${nov}/cells`, {
      personId: tech.id,
      date: '2026-11-29',
      duties: [],
    });
    expect(edit.statusCode).toBe(409);
    expect((await da.request('POST', `/api/roster/rosters/${nov}/amend`, {})).statusCode).toBe(409);
    expect((await da.request('POST', `/api/roster/rosters/${nov}/close`, {})).statusCode).toBe(409);
    expect(await auditCount('roster.close')).toBe(1);
  });

  it('deletes a draft roster, never a published one', async () => {
    const s = await shiftType('X0', '15:00', '16:00');
    const p = await post('草稿岗', [s.id]);
    const draft = await roster('2028-01-01', '2028-01-31');
    await cell(draft, tech.id, '2028-01-02', p.id, s.id);
    await ok(da, 'DELETE', `/api/roster/rosters/${draft}`);
    expect((await da.request('GET', `/api/roster/rosters/${draft}`)).statusCode).toBe(404);
    const pub = await roster('2028-02-01', '2028-02-29');
    await ok(da, 'POST', `/api/roster/rosters/${pub}/publish`, {});
    const res = await da.request('DELETE', `/api/roster/rosters/${pub}`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'roster_not_draft' });
    expect((await da.request('GET', `/api/roster/rosters/${pub}`)).statusCode).toBe(200);
    expect(await auditCount('roster.delete')).toBe(1);
    expect((await tech.request('DELETE', `/api/roster/rosters/${pub}`)).statusCode).toBe(403);
  });
});
