import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import {
  exportRosterWorkbook,
  gridFromAssignments,
  importRosterWorkbook,
  readGrid,
  columnLetter,
  type GridContext,
  type SheetText,
} from './roster-grid.js';
import type { Assignment } from './roster.schema.js';
import { shiftTypes, posts } from './fixtures.test-helpers.js';
import { datesInRange } from './local-date.js';

const ctx: GridContext = {
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  people: [
    { id: 'u1', name: '张伟', defaultPostId: 'p-tech' },
    { id: 'u2', name: 'Li Na', defaultPostId: 'p-desk' },
    { id: 'u3', name: '王芳' },
  ],
  posts,
  shiftTypes,
};
const sortKey = (a: Assignment) => `${a.personId}|${a.date}|${a.postId}|${a.shiftTypeId}`;
const sorted = (as: Assignment[]) => [...as].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));

async function workbook(rows: (string | Date | null)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('s');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('roster grid', () => {
  const assignments: Assignment[] = [
    { personId: 'u1', postId: 'p-tech', shiftTypeId: 'st-n', date: '2026-03-01' },
    { personId: 'u1', postId: 'p-desk', shiftTypeId: 'st-d', date: '2026-03-02' },
    { personId: 'u2', postId: 'p-desk', shiftTypeId: 'st-e', date: '2026-03-02' },
    { personId: 'u3', postId: 'p-tech', shiftTypeId: 'st-d', date: '2026-03-31' },
    { personId: 'u3', postId: 'p-desk', shiftTypeId: 'st-d', date: '2026-03-30' },
  ];

  it('writes bare codes where they are unambiguous and CODE@POST where not', () => {
    const g = gridFromAssignments(assignments, ctx);
    expect(g.dates).toHaveLength(31);
    expect(g.rows[0]!.cells.slice(0, 2)).toEqual(['N', 'D@客服']);
    expect(g.rows[1]!.cells[1]).toBe('E');
    expect(g.rows[2]!.cells.slice(29)).toEqual(['D@客服', 'D@技术']);
  });

  it('round-trips through an Excel workbook with headers, weekdays and colours', async () => {
    const g = gridFromAssignments(assignments, ctx);
    const data = await exportRosterWorkbook(g, ctx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('B1').value).toBe('2026-03-01');
    expect(ws.getCell('B2').value).toBe('周日 Sun');
    expect(ws.getCell('A3').value).toBe('张伟');
    expect(ws.getCell('B3').fill).toMatchObject({ fgColor: { argb: 'FF597EF7' } });
    const back = await importRosterWorkbook(data, ctx);
    expect(back.ok).toBe(true);
    if (back.ok) expect(sorted(back.assignments)).toEqual(sorted(assignments));
  });

  it('neutralises a formula-like name in the workbook and still imports it to that person', async () => {
    const risky: GridContext = {
      ...ctx,
      people: [...ctx.people, { id: 'u4', name: '=HYPERLINK("http://x","y")' }],
    };
    const mine: Assignment[] = [
      ...assignments,
      { personId: 'u4', postId: 'p-tech', shiftTypeId: 'st-n', date: '2026-03-05' },
    ];
    const data = await exportRosterWorkbook(gridFromAssignments(mine, risky), risky);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]!.getCell('A6').value).toBe(`'=HYPERLINK("http://x","y")`);
    const back = await importRosterWorkbook(data, risky);
    expect(back.ok).toBe(true);
    if (back.ok) expect(sorted(back.assignments)).toEqual(sorted(mine));
  });

  it('property: any grid of valid assignments reads back to the same assignments', () => {
    const asg = fc.record({
      personId: fc.constantFrom('u1', 'u2', 'u3'),
      postId: fc.constantFrom('p-tech', 'p-desk'),
      shiftTypeId: fc.constantFrom('st-d', 'st-e', 'st-n'),
      date: fc.constantFrom(...datesInRange('2026-03-01', '2026-03-31')),
    });
    fc.assert(
      fc.property(fc.array(asg, { maxLength: 40 }), (raw) => {
        const valid = raw.filter((a) =>
          posts.find((p) => p.id === a.postId)!.shiftTypeIds.includes(a.shiftTypeId),
        );
        const unique = [...new Map(valid.map((a) => [sortKey(a), a])).values()];
        const g = gridFromAssignments(unique, ctx);
        const sheet: SheetText = {
          header: g.dates.map((d, i) => ({ column: i + 2, value: d })),
          rows: g.rows.map((r, i) => ({
            row: i + 3,
            name: r.name,
            cells: r.cells.map((t, j) => ({ column: j + 2, text: t })),
          })),
        };
        const res = readGrid(sheet, ctx);
        expect(res.ok).toBe(true);
        if (res.ok) expect(sorted(res.assignments)).toEqual(sorted(unique));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a bad sheet row by row and imports nothing from it', async () => {
    const data = await workbook([
      ['姓名 Name', '2026-03-01', new Date(Date.UTC(2026, 2, 2)), '2026-04-01', 'tomorrow'],
      ['星期 Weekday', '周日 Sun', '周一 Mon', '', ''],
      ['张伟', 'N', 'X', '', ''],
      ['赵六', 'D', '', '', ''],
      ['Li Na', 'D@安保', 'N@客服', '', ''],
      ['王芳', 'N', 'D@@', '', ''],
      ['张伟', 'D', '', '', ''],
    ]);
    const res = await importRosterWorkbook(data, ctx);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const brief = res.errors.map((e) => [
      e.row,
      e.column,
      e.messageKey.replace('roster.import.', ''),
    ]);
    expect(brief).toEqual([
      [1, 'D', 'dateOutsidePeriod'],
      [1, 'E', 'badDateHeader'],
      [3, 'C', 'unknownShiftCode'],
      [4, 'A', 'unknownPerson'],
      [5, 'B', 'unknownPost'],
      [5, 'C', 'shiftNotOnPost'],
      [6, 'C', 'badCell'],
      [7, 'A', 'duplicatePerson'],
    ]);
    expect(res.errors[3]!.params).toEqual({ name: '赵六' });
    expect(res.errors[2]!.params).toMatchObject({ code: 'X' });
  });

  it('asks for a post when a bare code is ambiguous, tells apart namesakes, and accepts full-width input', () => {
    const ctx2: GridContext = { ...ctx, people: [...ctx.people, { id: 'u4', name: '王芳' }] };
    const sheet: SheetText = {
      header: [{ column: 2, value: '2026-03-01' }],
      rows: [
        { row: 3, name: '王芳', cells: [{ column: 2, text: 'N' }] },
        { row: 4, name: 'Li Na', cells: [{ column: 2, text: 'D' }] },
      ],
    };
    const amb = readGrid(sheet, ctx2);
    expect(amb.ok ? [] : amb.errors.map((e) => e.messageKey)).toEqual([
      'roster.import.ambiguousPerson',
    ]);
    const three: SheetText = {
      header: [{ column: 2, value: '2026-03-01' }],
      rows: [{ row: 3, name: '王芳', cells: [{ column: 2, text: 'D' }] }],
    };
    const res = readGrid(three, ctx);
    expect(res).toMatchObject({
      ok: false,
      errors: [
        { row: 3, column: 'B', messageKey: 'roster.import.ambiguousPost', params: { code: 'D' } },
      ],
    });
    const wide = readGrid(
      {
        ...three,
        rows: [{ row: 3, name: '王芳', cells: [{ column: 2, text: 'D＠客服，N＠技术' }] }],
      },
      ctx,
    );
    expect(wide).toEqual({
      ok: true,
      assignments: [
        { personId: 'u3', postId: 'p-desk', shiftTypeId: 'st-d', date: '2026-03-01' },
        { personId: 'u3', postId: 'p-tech', shiftTypeId: 'st-n', date: '2026-03-01' },
      ],
    });
  });

  it('refuses something that is not a workbook', async () => {
    const res = await importRosterWorkbook(new TextEncoder().encode('not a zip'), ctx);
    expect(res).toMatchObject({ ok: false, errors: [{ messageKey: 'roster.import.unreadable' }] });
  });

  it('names columns like Excel does', () => {
    expect([1, 26, 27, 52, 53, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'AAA']);
  });
});
