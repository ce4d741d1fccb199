import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { csvField, isFormulaLike, neutraliseCell, toCsv } from './spreadsheet-safe.js';

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
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
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

describe('export-safe examples', () => {
  it('prefixes formula triggers, half- and full-width, and leaves the rest', () => {
    expect(neutraliseCell('=HYPERLINK("http://evil","x")')).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(neutraliseCell('＝1+1')).toBe(`'＝1+1`);
    expect(neutraliseCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutraliseCell('  =1+1')).toBe(`'  =1+1`);
    expect(neutraliseCell('-5')).toBe(`'-5`);
    expect(neutraliseCell(-5)).toBe(-5);
    expect(neutraliseCell('打印机故障')).toBe('打印机故障');
    expect(neutraliseCell(null)).toBe('');
  });
  it('quotes CSV fields that need it', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(
      toCsv([
        ['编号', '标题'],
        ['TK-1', '=cmd|calc'],
      ]),
    ).toBe("\ufeff编号,标题\r\nTK-1,'=cmd|calc\r\n");
  });
});

describe('export-safe properties', () => {
  const risky = fc
    .tuple(
      fc.constantFrom('', ' ', '\u3000', ...DANGEROUS),
      fc.string(),
      fc.constantFrom('', ...DANGEROUS),
    )
    .map(([a, b, c]) => a + c + b);

  it('no neutralised text starts (after spaces) with a trigger; removing the quote gives it back', () => {
    fc.assert(
      fc.property(fc.oneof(risky, fc.string()), (s) => {
        const out = neutraliseCell(s) as string;
        expect(isFormulaLike(out)).toBe(false);
        expect(out === s || out === `'${s}`).toBe(true);
        if (!isFormulaLike(s)) expect(out).toBe(s);
      }),
    );
  });

  it('CSV round-trips every cell (as neutralised) and keeps the grid shape', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(risky, fc.string(), fc.integer().map(String)), {
            minLength: 1,
            maxLength: 4,
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (rows) => {
          const parsed = parseCsv(toCsv(rows, { bom: false }));
          expect(parsed).toEqual(rows.map((r) => r.map((v) => neutraliseCell(v))));
          for (const r of parsed) for (const v of r) expect(isFormulaLike(v)).toBe(false);
        },
      ),
    );
  });
});
