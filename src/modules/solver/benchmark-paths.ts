import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The roster benchmark folder: $DUTYDESK_BENCHMARKS, else `<repo>/../shared/benchmarks/roster`
 * (CI clones the repo next to shared/), else /work/shared/benchmarks/roster.
 */
export function benchmarkDir(): string {
  const env = process.env['DUTYDESK_BENCHMARKS'];
  if (env) return env;
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const sibling = resolve(repo, '../shared/benchmarks/roster');
  if (existsSync(sibling)) return sibling;
  return '/work/shared/benchmarks/roster';
}
