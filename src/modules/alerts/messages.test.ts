import { describe, expect, it } from 'vitest';
import { notify } from '../notify/notify.messages.js';
import { alerts } from './alerts.messages.js';

type Tree = { [k: string]: string | Tree };
function keys(t: Tree, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}
function params(t: Tree): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (n: Tree, p: string) => {
    for (const [k, v] of Object.entries(n)) {
      if (typeof v === 'string')
        out[`${p}${k}`] = [...v.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();
      else walk(v, `${p}${k}.`);
    }
  };
  walk(t, '');
  return out;
}

describe('messages', () => {
  it.each([
    ['alerts', alerts],
    ['notify', notify],
  ] as const)('%s has the same keys and placeholders in zh and en', (_, m) => {
    expect(keys(m.zh).sort()).toEqual(keys(m.en).sort());
    expect(params(m.zh)).toEqual(params(m.en));
  });
});
