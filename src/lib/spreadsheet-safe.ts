/**
 * CSV cells that a spreadsheet will not run as formulas (CSV/formula injection, OWASP), shared by
 * every module that exports a sheet. A text cell starting with = + - @, a tab or a line break —
 * or their full-width forms ＝＋－＠, which some spreadsheet locales also read — gets a leading
 * single quote; leading spaces do not hide a trigger. Numbers and booleans stay typed.
 */

import ExcelJS from 'exceljs';

export type CellValue = string | number | boolean | null | undefined;

const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠']);

/** True when a spreadsheet could read the text as a formula. */
export function isFormulaLike(text: string): boolean {
  const trimmed = text.replace(/^[ \u00a0\u3000]+/, '');
  const first = trimmed[0] ?? text[0];
  return first !== undefined && TRIGGERS.has(first);
}

/** One cell, neutralised. */
export function neutraliseCell(value: CellValue): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return value;
  return isFormulaLike(value) ? `'${value}` : value;
}

/**
 * What `neutraliseCell` wrote, read back: a leading quote before formula-like text is dropped.
 * For imports that match names of sheets this module exported.
 */
export function restoreCell(text: string): string {
  return text.startsWith("'") && isFormulaLike(text.slice(1)) ? text.slice(1) : text;
}

/** One CSV field (RFC 4180): neutralised, quoted when it holds a comma, quote, line break or edge space. */
export function csvField(value: CellValue): string {
  const v = neutraliseCell(value);
  const text = typeof v === 'string' ? v : String(v);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: CRLF line ends and a UTF-8 BOM so Excel reads Chinese correctly. */
export function toCsv(
  rows: readonly (readonly CellValue[])[],
  options: { bom?: boolean } = {},
): string {
  const body = rows.map((r) => r.map(csvField).join(',')).join('\r\n');
  return ((options.bom ?? true) ? '\ufeff' : '') + body + (rows.length ? '\r\n' : '');
}

/**
 * A one-sheet .xlsx of the same rows a CSV would hold: every cell neutralised (a string cell is
 * never a formula when opened, but becomes one when someone edits it and presses Enter), numbers
 * and booleans typed, the first `headerRows` rows bold and frozen.
 */
export async function toXlsx(
  rows: readonly (readonly CellValue[])[],
  options: { sheetName?: string; headerRows?: number; widths?: readonly number[] } = {},
): Promise<Uint8Array> {
  const headerRows = options.headerRows ?? 1;
  const wb = new ExcelJS.Workbook();
  // Excel refuses sheet names over 31 characters or holding any of : \ / ? * [ ].
  const name = (options.sheetName ?? 'Sheet1').replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
  const ws = wb.addWorksheet(name || 'Sheet1', {
    views: headerRows > 0 ? [{ state: 'frozen', ySplit: headerRows }] : [],
  });
  for (const r of rows) ws.addRow(r.map(neutraliseCell));
  for (let i = 1; i <= Math.min(headerRows, rows.length); i++) ws.getRow(i).font = { bold: true };
  options.widths?.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
