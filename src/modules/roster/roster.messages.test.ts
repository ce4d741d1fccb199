import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { roster } from './roster.messages.js';
import { ruleNames } from './rest-rules.js';
import { catalogs } from '../../i18n/catalog.js';

type Tree = { [k: string]: string | Tree };
const flatten = (t: Tree, prefix = ''): Map<string, string> =>
  new Map(
    Object.entries(t).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v] as const] : [...flatten(v, `${prefix}${k}.`)],
    ),
  );
const zh = flatten(roster.zh);
const en = flatten(roster.en);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('roster messages', () => {
  it('have the same keys and placeholders in Chinese and English', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [k, v] of zh) expect(placeholders(v), k).toEqual(placeholders(en.get(k)!));
  });

  it('cover every key the module uses, and are merged into the catalog', () => {
    const dir = new URL('.', import.meta.url);
    const used = new Set<string>(ruleNames.map((r) => `roster.violations.${r}`));
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.includes('.test'))) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      for (const m of src.matchAll(/'(roster\.(?:errors|violations|import)\.\w+)'/g))
        used.add(m[1]!);
      if (f === 'roster-grid.ts')
        for (const m of src.matchAll(/err\([^,]+, [^,]+, '(\w+)'/g))
          used.add(`roster.import.${m[1]!}`);
    }
    expect(used.size).toBeGreaterThan(40);
    for (const k of used) expect(zh.has(k), k).toBe(true);
    expect(flatten(catalogs.zh).get('roster.errors.shiftOverlap')).toBe(
      zh.get('roster.errors.shiftOverlap'),
    );
  });
});
