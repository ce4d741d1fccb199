/// <reference types="vite/client" />
import { en as coreEn } from './en.js';
import { zh as coreZh } from './zh.js';

/**
 * Every message of the web app, per language: the shell's (`zh.ts`, `en.ts`) and each area's
 * (`areas/<area>.ts`, exporting `{ zh, en }` with the same keys under its own top-level names).
 * Areas keep their strings in their own file so that work on one area never edits another's.
 */
type Tree = { [key: string]: string | Tree };

const areaFiles = import.meta.glob<{ zh: Tree; en: Tree }>('./areas/*.ts', { eager: true });
const areas = Object.keys(areaFiles)
  .sort()
  .map((k) => areaFiles[k]!);

function merge(target: Tree, source: Tree): Tree {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    if (typeof v === 'object' && typeof existing === 'object') merge(existing, v);
    else target[k] = v;
  }
  return target;
}

export const zh: Tree = areas.reduce<Tree>((acc, a) => merge(acc, a.zh), merge({}, coreZh));
export const en: Tree = areas.reduce<Tree>((acc, a) => merge(acc, a.en), merge({}, coreEn));
