import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogs } from './catalog.js';
import { pickLocale, t } from './i18n.js';

type Tree = { [k: string]: string | Tree };
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`),
  );
}
function leaves(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v)));
}

describe('server messages', () => {
  it('has the same keys in Chinese and English, none empty', () => {
    expect(keys(catalogs.zh).sort()).toEqual(keys(catalogs.en).sort());
    for (const s of [...leaves(catalogs.zh), ...leaves(catalogs.en)]) expect(s.trim()).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const zh = catalogs.zh;
    const en = catalogs.en;
    const get = (tree: Tree, key: string) =>
      key.split('.').reduce<string | Tree>((n, k) => (n as Tree)[k]!, tree) as string;
    for (const key of keys(zh)) {
      const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(vars(get(zh, key)), key).toEqual(vars(get(en, key)));
    }
  });

  it('translates with parameters', () => {
    expect(t('zh', 'validation.required', { field: 'name' })).toBe('字段“name”为必填项');
    expect(t('en', 'validation.required', { field: 'name' })).toBe('Field "name" is required');
  });

  it('picks a supported locale from any Accept-Language header, Chinese by default', () => {
    expect(pickLocale(undefined, undefined)).toBe('zh');
    expect(pickLocale(undefined, 'en-GB,en;q=0.8')).toBe('en');
    expect(pickLocale(undefined, 'fr;q=0.9, en;q=0.5, zh-CN;q=0.7')).toBe('zh');
    expect(pickLocale('en', 'zh-CN')).toBe('en');
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (a, b) =>
        ['zh', 'en'].includes(pickLocale(a ?? undefined, b ?? undefined)),
      ),
    );
  });
});
