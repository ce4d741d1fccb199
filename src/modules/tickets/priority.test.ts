import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_PRIORITY_MATRIX,
  PRIORITIES,
  priorityFor,
  validatePriorityMatrix,
} from './priority.js';
import type { DomainError } from '../../lib/errors.js';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as DomainError).field;
  }
};

describe('priority matrix', () => {
  it('maps the default 3×3 corners and middle', () => {
    const m = validatePriorityMatrix(DEFAULT_PRIORITY_MATRIX);
    expect(priorityFor(m, 'high', 'high')).toBe('P1');
    expect(priorityFor(m, 'medium', 'medium')).toBe('P3');
    expect(priorityFor(m, 'low', 'low')).toBe('P4');
    expect(priorityFor(m, 'high', 'low')).toBe('P3');
  });

  it('refuses unknown levels naming impact or urgency', () => {
    expect(fieldOf(() => priorityFor(DEFAULT_PRIORITY_MATRIX, 'huge', 'high'))).toBe('impact');
    expect(fieldOf(() => priorityFor(DEFAULT_PRIORITY_MATRIX, 'high', 'now'))).toBe('urgency');
  });

  it('refuses a matrix with a missing cell, naming it', () => {
    const cells = { ...DEFAULT_PRIORITY_MATRIX.cells, low: { high: 'P3', medium: 'P4' } };
    expect(fieldOf(() => validatePriorityMatrix({ ...DEFAULT_PRIORITY_MATRIX, cells }))).toBe(
      'cells.low.low',
    );
    expect(
      fieldOf(() =>
        validatePriorityMatrix({
          ...DEFAULT_PRIORITY_MATRIX,
          cells: { ...DEFAULT_PRIORITY_MATRIX.cells, extra: { high: 'P1' } },
        }),
      ),
    ).toBe('cells.extra');
    expect(
      fieldOf(() =>
        validatePriorityMatrix({ ...DEFAULT_PRIORITY_MATRIX, impacts: ['high', 'high'] }),
      ),
    ).toBe('impacts');
  });

  it('accepts any fully set n×m matrix and returns its cells; removing any cell is refused', () => {
    const levels = (p: string) =>
      fc.integer({ min: 1, max: 5 }).map((n) => Array.from({ length: n }, (_, i) => `${p}${i}`));
    fc.assert(
      fc.property(
        levels('i'),
        levels('u'),
        fc.nat(),
        fc.nat(),
        (impacts, urgencies, seed, drop) => {
          const cells: Record<string, Record<string, (typeof PRIORITIES)[number]>> = {};
          impacts.forEach((i, a) => {
            cells[i] = {};
            urgencies.forEach((u, b) => (cells[i]![u] = PRIORITIES[(a + b + seed) % 4]!));
          });
          const m = validatePriorityMatrix({ impacts, urgencies, cells });
          impacts.forEach((i, a) =>
            urgencies.forEach((u, b) =>
              expect(priorityFor(m, i, u)).toBe(PRIORITIES[(a + b + seed) % 4]),
            ),
          );
          const i = impacts[drop % impacts.length]!;
          const u = urgencies[drop % urgencies.length]!;
          const broken = structuredClone(cells);
          delete broken[i]![u];
          expect(fieldOf(() => validatePriorityMatrix({ impacts, urgencies, cells: broken }))).toBe(
            `cells.${i}.${u}`,
          );
        },
      ),
    );
  });
});
