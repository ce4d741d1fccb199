import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, isFormulaLike, neutraliseCell, toCsv } from './spreadsheet-safe.js';

/** A minimal RFC 4180 reader, to check that what we write reads back as what we meant. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('spreadsheet-safe cells', () => {
  it('neutralises formula triggers, also behind spaces and in full width', () => {
    for (const v of ['=1+1', '+1', '-2', '@SUM(A1)', ' =HYPERLINK("x")', '＝1', '\t=1']) {
      expect(neutraliseCell(v)).toBe(`'${v}`);
    }
    expect(neutraliseCell('张三')).toBe('张三');
    expect(neutraliseCell(-5)).toBe(-5);
    expect(neutraliseCell(null)).toBe('');
  });

  it('round-trips any row through CSV with no field a spreadsheet would run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), { maxLength: 5 }),
        (rows) => {
          const text = toCsv(rows);
          expect(text.startsWith('\ufeff')).toBe(true);
          const back = parseCsv(text.slice(1));
          expect(back).toHaveLength(rows.length);
          back.forEach((r, i) =>
            r.forEach((cell, j) => {
              expect(isFormulaLike(cell)).toBe(false);
              const orig = rows[i]![j]!;
              expect(cell).toBe(isFormulaLike(orig) ? `'${orig}` : orig);
            }),
          );
        },
      ),
    );
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });
});
