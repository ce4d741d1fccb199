import type { Locale } from './channel.js';
import { notify } from './notify.messages.js';

type Tree = { [k: string]: string | Tree };

/** Translates a notify.* key inside an adapter (messages leave the process already rendered). */
export function label(
  locale: Locale,
  key: string,
  params: Record<string, string | number> = {},
): string {
  let node: string | Tree | undefined = notify[locale];
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') return key;
  return node.replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params[p] ?? `{{${p}}}`));
}
