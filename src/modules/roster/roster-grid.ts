import ExcelJS from 'exceljs';
import { neutraliseCell, restoreCell } from '../../lib/spreadsheet-safe.js';
import type { Assignment, Person, Post, ShiftType } from './roster.schema.js';
import { datesInRange, isLocalDate, isoWeekday } from './local-date.js';

/**
 * The people × days grid, the shape of the duty admins' Excel sheets.
 *
 * Cell syntax (one cell = one person on one day):
 * - empty, '-' or '休' — day off;
 * - `N` — shift code N on the person's post for it: their default post if it offers N, else
 *   the only post that offers N (ambiguous otherwise);
 * - `N@技术` — shift N on the post named 技术 (for people who stand on several posts);
 * - several items separated by ',' (e.g. `D@客服,N@技术`) — rare double duty.
 * Full-width '＠' and '，' are accepted, as Excel users type them.
 */
export interface RosterGrid {
  dates: string[];
  rows: { personId: string; name: string; cells: string[] }[];
}

export interface GridContext {
  periodStart: string;
  periodEnd: string;
  people: readonly Pick<Person, 'id' | 'name' | 'defaultPostId'>[];
  posts: readonly Pick<Post, 'id' | 'name' | 'shiftTypeIds'>[];
  shiftTypes: readonly Pick<ShiftType, 'id' | 'code' | 'name' | 'start' | 'end' | 'colour'>[];
}

/** One problem in an imported sheet: 1-based row, column letter, message key and params. */
export interface GridError {
  row: number;
  column: string;
  messageKey: string;
  params: Record<string, string | number>;
}

export type GridImportResult =
  { ok: true; assignments: Assignment[] } | { ok: false; errors: GridError[] };

const OFF = new Set(['', '-', '休']);

/** Column letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
    s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function postFor(
  code: string,
  person: Pick<Person, 'defaultPostId'>,
  ctx: GridContext,
  shiftId: string,
) {
  const offering = ctx.posts.filter((p) => p.shiftTypeIds.includes(shiftId));
  const own = offering.find((p) => p.id === person.defaultPostId);
  if (own) return own;
  return offering.length === 1 ? offering[0] : undefined;
}

/** The grid of a period's assignments; a cell names the post only when a bare code would not. */
export function gridFromAssignments(
  assignments: readonly Assignment[],
  ctx: GridContext,
): RosterGrid {
  const dates = datesInRange(ctx.periodStart, ctx.periodEnd);
  const col = new Map(dates.map((d, i) => [d, i]));
  const shiftById = new Map(ctx.shiftTypes.map((s) => [s.id, s]));
  const postById = new Map(ctx.posts.map((p) => [p.id, p]));
  const rows = ctx.people.map((p) => ({
    personId: p.id,
    name: p.name,
    items: dates.map(() => [] as string[]),
  }));
  const rowOf = new Map(rows.map((r, i) => [r.personId, i]));
  const sorted = [...assignments].sort(
    (a, b) => a.postId.localeCompare(b.postId) || a.shiftTypeId.localeCompare(b.shiftTypeId),
  );
  for (const a of sorted) {
    const r = rowOf.get(a.personId);
    const c = col.get(a.date);
    const shift = shiftById.get(a.shiftTypeId);
    const post = postById.get(a.postId);
    if (r === undefined || c === undefined || !shift || !post) continue;
    const person = ctx.people[r]!;
    const implied = postFor(shift.code, person, ctx, shift.id);
    rows[r]!.items[c]!.push(implied?.id === post.id ? shift.code : `${shift.code}@${post.name}`);
  }
  return {
    dates,
    rows: rows.map((r) => ({
      personId: r.personId,
      name: r.name,
      cells: r.items.map((i) => i.join(',')),
    })),
  };
}

/** A sheet read into plain text: row 1 holds dates from column B, data rows hold a name in A. */
export interface SheetText {
  header: { column: number; value: string }[];
  rows: { row: number; name: string; cells: { column: number; text: string }[] }[];
}

/** Turn a grid sheet into assignments, or into every error found (nothing is imported then). */
export function readGrid(sheet: SheetText, ctx: GridContext): GridImportResult {
  const errors: GridError[] = [];
  const err = (row: number, column: number, key: string, params: Record<string, string | number>) =>
    errors.push({ row, column: columnLetter(column), messageKey: `roster.import.${key}`, params });

  const dateOfColumn = new Map<number, string>();
  const seenDates = new Map<string, number>();
  for (const h of sheet.header) {
    const v = h.value.trim();
    if (v === '') continue;
    if (!isLocalDate(v)) {
      err(1, h.column, 'badDateHeader', { value: v });
    } else if (v < ctx.periodStart || v > ctx.periodEnd) {
      err(1, h.column, 'dateOutsidePeriod', {
        date: v,
        periodStart: ctx.periodStart,
        periodEnd: ctx.periodEnd,
      });
    } else if (seenDates.has(v)) {
      err(1, h.column, 'duplicateDate', { date: v, other: columnLetter(seenDates.get(v)!) });
    } else {
      seenDates.set(v, h.column);
      dateOfColumn.set(h.column, v);
    }
  }
  if (sheet.header.every((h) => h.value.trim() === '')) err(1, 2, 'noDates', {});

  const byName = new Map<string, Pick<Person, 'id' | 'name' | 'defaultPostId'>[]>();
  for (const p of ctx.people) byName.set(p.name.trim(), [...(byName.get(p.name.trim()) ?? []), p]);
  const shiftByCode = new Map(ctx.shiftTypes.map((s) => [s.code, s]));
  const postByName = new Map(ctx.posts.map((p) => [p.name, p]));
  const seenPeople = new Map<string, number>();
  const out: Assignment[] = [];

  for (const r of sheet.rows) {
    const name = r.name.trim();
    const hasContent = r.cells.some((c) => !OFF.has(c.text.trim()));
    if (name === '') {
      if (hasContent) err(r.row, 1, 'missingName', {});
      continue;
    }
    // Exported names that look like formulas carry a leading quote (neutraliseCell).
    const matches = byName.get(name) ?? byName.get(restoreCell(name).trim()) ?? [];
    if (matches.length === 0) {
      err(r.row, 1, 'unknownPerson', { name });
      continue;
    }
    if (matches.length > 1) {
      err(r.row, 1, 'ambiguousPerson', { name, count: matches.length });
      continue;
    }
    const person = matches[0]!;
    if (seenPeople.has(person.id)) {
      err(r.row, 1, 'duplicatePerson', { name, firstRow: seenPeople.get(person.id)! });
      continue;
    }
    seenPeople.set(person.id, r.row);
    for (const cell of r.cells) {
      const text = cell.text.trim();
      if (OFF.has(text)) continue;
      const date = dateOfColumn.get(cell.column);
      if (date === undefined) {
        // Errors in the header already explain this column; a column without any header does not.
        if (!sheet.header.some((h) => h.column === cell.column && h.value.trim() !== '')) {
          err(r.row, cell.column, 'cellWithoutDate', { value: text });
        }
        continue;
      }
      for (const raw of text.replace(/，/g, ',').replace(/＠/g, '@').split(',')) {
        const item = raw.trim();
        const m = /^([^@\s]+)(?:@([^@]+))?$/u.exec(item);
        if (!m) {
          err(r.row, cell.column, 'badCell', { value: item === '' ? text : item });
          continue;
        }
        const code = m[1]!;
        const shift = shiftByCode.get(code);
        if (!shift) {
          err(r.row, cell.column, 'unknownShiftCode', { code, value: text });
          continue;
        }
        let post: Pick<Post, 'id' | 'name' | 'shiftTypeIds'> | undefined;
        if (m[2] !== undefined) {
          const postName = m[2].trim();
          post = postByName.get(postName);
          if (!post) {
            err(r.row, cell.column, 'unknownPost', { post: postName, value: text });
            continue;
          }
          if (!post.shiftTypeIds.includes(shift.id)) {
            err(r.row, cell.column, 'shiftNotOnPost', { code, post: postName });
            continue;
          }
        } else {
          post = postFor(code, person, ctx, shift.id);
          if (!post) {
            err(r.row, cell.column, 'ambiguousPost', { code, name });
            continue;
          }
        }
        out.push({ personId: person.id, postId: post.id, shiftTypeId: shift.id, date });
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, assignments: out };
}

const WEEKDAYS = {
  zh: ['一', '二', '三', '四', '五', '六', '日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/**
 * An .xlsx of the grid: row 1 dates, row 2 weekday names (周一 Mon), a row per person, cells
 * filled with the shift's colour; a second sheet lists the shift codes.
 */
export async function exportRosterWorkbook(
  grid: RosterGrid,
  ctx: GridContext,
  title = '排班 Roster',
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(title.slice(0, 31), {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }],
  });
  ws.addRow(['姓名 Name', ...grid.dates]);
  ws.addRow([
    '星期 Weekday',
    ...grid.dates.map((d) => {
      const w = isoWeekday(d) - 1;
      return `周${WEEKDAYS.zh[w]} ${WEEKDAYS.en[w]}`;
    }),
  ]);
  ws.getRow(1).font = { bold: true };
  ws.getRow(2).font = { bold: true };
  ws.getColumn(1).width = 14;
  const colourOf = new Map(ctx.shiftTypes.map((s) => [s.code, s.colour.slice(1).toUpperCase()]));
  for (const r of grid.rows) {
    const row = ws.addRow([neutraliseCell(r.name), ...r.cells]);
    r.cells.forEach((text, i) => {
      const code = text.split(/[,@]/)[0] ?? '';
      const colour = colourOf.get(code);
      if (colour) {
        row.getCell(i + 2).fill = {
          type: 'pattern',
          pattern: 'solid',
          fgColor: { argb: `FF${colour}` },
        };
      }
      row.getCell(i + 2).alignment = { horizontal: 'center' };
    });
  }
  const legend = wb.addWorksheet('图例 Legend');
  legend.addRow(['代码 Code', '名称 Name', '开始 Start', '结束 End']);
  for (const s of ctx.shiftTypes) {
    const row = legend.addRow([s.code, neutraliseCell(s.name), s.start, s.end]);
    row.getCell(1).fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: `FF${s.colour.slice(1).toUpperCase()}` },
    };
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

/** Read the first sheet of an .xlsx grid into plain text (row 2 is skipped when it holds weekdays). */
export async function readRosterWorkbook(data: Uint8Array): Promise<SheetText> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  const sheet: SheetText = { header: [], rows: [] };
  if (!ws) return sheet;
  ws.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    if (col > 1) sheet.header.push({ column: col, value: cellText(cell.value) });
  });
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const name = cellText(row.getCell(1).value);
    if (rowNumber === 2 && /^(星期|weekday)/i.test(name.trim())) return;
    const cells: { column: number; text: string }[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col > 1) cells.push({ column: col, text: cellText(cell.value) });
    });
    sheet.rows.push({ row: rowNumber, name, cells });
  });
  return sheet;
}

/** Import an .xlsx grid: all assignments, or a row-by-row error list and nothing imported. */
export async function importRosterWorkbook(
  data: Uint8Array,
  ctx: GridContext,
): Promise<GridImportResult> {
  let sheet: SheetText;
  try {
    sheet = await readRosterWorkbook(data);
  } catch (e) {
    return {
      ok: false,
      errors: [
        {
          row: 0,
          column: '',
          messageKey: 'roster.import.unreadable',
          params: { reason: e instanceof Error ? e.message : String(e) },
        },
      ],
    };
  }
  return readGrid(sheet, ctx);
}
