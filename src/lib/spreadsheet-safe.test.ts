import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csvField,
  isFormulaLike,
  neutraliseCell,
  restoreCell,
  toCsv,
  toXlsx,
} from './spreadsheet-safe.js';

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

describe('spreadsheet-safe workbooks', () => {
  const readBack = async (bytes: Uint8Array) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    return wb.worksheets[0]!;
  };

  it('writes typed, neutralised cells that read back as text, never as formulas', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.oneof(
              fc.string({ minLength: 1 }),
              fc.constantFrom('=cmd|x', '@SUM(1)', '+1', '-1', '＝1', ' =1', '张三'),
              fc.integer(),
            ),
            { minLength: 1, maxLength: 4 },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (rows) => {
          const ws = await readBack(await toXlsx(rows, { sheetName: '考勤' }));
          expect(ws.name).toBe('考勤');
          rows.forEach((r, i) =>
            r.forEach((orig, j) => {
              const v = ws.getRow(i + 1).getCell(j + 1).value;
              expect(ws.getRow(i + 1).getCell(j + 1).formula).toBeFalsy();
              if (typeof orig === 'number') expect(v).toBe(orig);
              else {
                expect(typeof v).toBe('string');
                expect(isFormulaLike(v as string)).toBe(false);
                expect(v).toBe(isFormulaLike(orig) ? `'${orig}` : orig);
              }
            }),
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it("bolds and freezes the header and keeps the sheet name within Excel's rules", async () => {
    const ws = await readBack(
      await toXlsx([['姓名'], ['A']], { sheetName: 'a/b:c?d*e[f]g\\h-and-a-long-tail-of-text' }),
    );
    expect(ws.name).toBe('a b c d e f g h-and-a-long-tail');
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});

describe('restoreCell', () => {
  it('gives back what neutraliseCell wrote, for any text that does not itself start with a quote', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!s.startsWith("'"));
        expect(restoreCell(neutraliseCell(s) as string)).toBe(s);
      }),
    );
    expect(restoreCell("'=1+1")).toBe('=1+1');
    expect(restoreCell("'quoted")).toBe("'quoted");
  });
});
