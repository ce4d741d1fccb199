import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrationNames } from './migrate.js';

// Kysely runs migrations in name order, whatever order the list is written in: the list must
// read the way they run, and every entry must be a file that exists.
describe('the migration list', () => {
  it('is in name order, without repeats', () => {
    const names = migrationNames();
    expect(names).toEqual([...new Set(names)].sort());
  });

  it('names files that exist', () => {
    for (const name of migrationNames()) {
      expect(existsSync(join(import.meta.dirname, 'migrations', `${name}.ts`)), name).toBe(true);
    }
  });
});
