import { describe, it, expect } from 'vitest';
import { en, zh } from '../web/src/i18n/messages.js';

type Tree = { [key: string]: unknown };

function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null) {
      for (const [p, leaf] of leaves(v as Tree, path)) out.set(p, leaf);
    } else {
      out.set(path, v);
    }
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('web i18n catalogs', () => {
  const zhLeaves = leaves(zh);
  const enLeaves = leaves(en);

  it('has exactly the same keys in Chinese and English', () => {
    expect([...enLeaves.keys()].sort()).toEqual([...zhLeaves.keys()].sort());
    expect(zhLeaves.size).toBeGreaterThan(100);
  });

  it('has only non-empty strings', () => {
    for (const [lang, map] of [
      ['zh', zhLeaves],
      ['en', enLeaves],
    ] as const) {
      for (const [key, value] of map) {
        expect(typeof value, `${lang}:${key}`).toBe('string');
        expect((value as string).trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('uses the same interpolation placeholders in both languages', () => {
    for (const [key, value] of zhLeaves) {
      expect(placeholders(String(enLeaves.get(key))), key).toEqual(placeholders(String(value)));
    }
  });

  it('names every role and every capability of the navigation', () => {
    const roles = [
      'admin',
      'duty_admin',
      'duty_manager',
      'technician',
      'service_agent',
      'security_guard',
      'expert',
      'supervisor',
      'leadership',
      'requester',
    ];
    for (const r of roles) expect(zhLeaves.has(`roles.${r}`), r).toBe(true);
    for (const nav of ['rosters', 'solver', 'alerts', 'tickets', 'handover', 'inspections']) {
      expect(zhLeaves.has(`notBuilt.${nav}`), nav).toBe(true);
    }
  });
});
