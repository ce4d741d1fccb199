import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkDir } from './benchmark-paths.js';
import { readInstance, readRoster } from './instance-reader.js';
import { scoreRoster } from './scorer.js';
import { validateRoster } from './validator.js';

const dir = benchmarkDir();
const load = (n: number) =>
  readInstance(readFileSync(join(dir, 'curtois', `Instance${n}.txt`), 'utf8'));
const loadRoster = (n: number) => {
  const text = readFileSync(join(dir, 'reference_solutions', `Instance${n}.roster.txt`), 'utf8');
  const m = /# EXPECTED objective=(\d+) shift_on=(\d+) shift_off=(\d+) cover=(\d+)/.exec(text);
  return { text, expected: m!.slice(1).map(Number) };
};

describe('scorer and validator on the reference rosters', () => {
  for (let n = 1; n <= 10; n++) {
    it(`reproduces the expected objective of Instance${n} with no hard violation`, () => {
      const model = load(n);
      const { text, expected } = loadRoster(n);
      const roster = readRoster(model, text);
      expect(validateRoster(model, roster)).toEqual([]);
      const s = scoreRoster(model, roster);
      expect([s.total, s.onRequests, s.offRequests, s.cover]).toEqual(expected);
    });
  }
});

describe('validator negative cases (FORMAT.md section 6)', () => {
  it('reports exactly four violations when A works day 5 in Instance1', () => {
    const model = load(1);
    const roster = readRoster(model, loadRoster(1).text);
    const H = model.days;
    expect(roster[5]).toBe(-1);
    roster[0 * H + 5] = 0;
    const v = validateRoster(model, roster);
    const got = v.map((x) => `${x.rule}@${x.day ?? '-'}`).sort();
    expect(got).toEqual([
      'H6_min_consecutive@5',
      'H7_min_days_off@4',
      'H7_min_days_off@6',
      'H8_max_weekends@-',
    ]);
  });

  it('reports a shift on a listed day off', () => {
    const model = load(1);
    const roster = readRoster(model, loadRoster(1).text);
    const b = model.employees.findIndex((e) => e.id === 'B');
    roster[b * model.days + 5] = 0;
    expect(validateRoster(model, roster).some((v) => v.rule === 'H9_day_off' && v.day === 5)).toBe(
      true,
    );
  });

  it('reports E the day after L in Instance2', () => {
    const model = load(2);
    const roster = readRoster(model, loadRoster(2).text);
    const L = model.shifts.findIndex((s) => s.id === 'L');
    const E = model.shifts.findIndex((s) => s.id === 'E');
    roster[3] = L;
    roster[4] = E;
    expect(
      validateRoster(model, roster).some((v) => v.rule === 'H2_succession' && v.day === 4),
    ).toBe(true);
  });
});

describe('instance reader', () => {
  it('refuses a malformed line with its line number', () => {
    const text = readFileSync(join(dir, 'curtois', 'Instance1.txt'), 'utf8').replace(
      'A,D=14,4320',
      'A,D=14,43x0',
    );
    const line = text.split('\n').findIndex((l) => l.includes('43x0')) + 1;
    expect(() => readInstance(text)).toThrow(new RegExp(`"line":${line}`));
  });

  it('accepts CRLF line endings', () => {
    const text = readFileSync(join(dir, 'curtois', 'Instance2.txt'), 'utf8').replace(/\n/g, '\r\n');
    const m = readInstance(text);
    expect(m.days).toBe(14);
    expect(m.employees).toHaveLength(14);
  });

  it('refuses an unknown shift in a cover line', () => {
    const text = readFileSync(join(dir, 'curtois', 'Instance1.txt'), 'utf8').replace(
      /\n0,D,/,
      '\n0,Q,',
    );
    expect(() => readInstance(text)).toThrow(/unknown shift/);
  });
});

describe('solver messages', () => {
  it('have the same keys in Chinese and English', async () => {
    const { solver } = await import('./solver.messages.js');
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v as object, `${p}${k}.`) : [`${p}${k}`],
      );
    expect(keys(solver.zh).sort()).toEqual(keys(solver.en).sort());
  });
});
