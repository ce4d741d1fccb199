import { z } from 'zod';
import { invalid } from '../../lib/errors.js';

/** Impact × urgency → priority, as a configurable matrix; every cell must be set. */

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface PriorityMatrix {
  /** Levels from most to least severe, e.g. ['high', 'medium', 'low']. */
  readonly impacts: readonly string[];
  readonly urgencies: readonly string[];
  /** cells[impact][urgency]. */
  readonly cells: Readonly<Record<string, Readonly<Record<string, Priority>>>>;
}

const level = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);
export const priorityMatrixSchema = z.strictObject({
  impacts: z.array(level).min(1).max(6),
  urgencies: z.array(level).min(1).max(6),
  cells: z.record(z.string(), z.record(z.string(), z.enum(PRIORITIES))),
});

/** The default 3×3 matrix (ITIL-style). */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = {
  impacts: ['high', 'medium', 'low'],
  urgencies: ['high', 'medium', 'low'],
  cells: {
    high: { high: 'P1', medium: 'P2', low: 'P3' },
    medium: { high: 'P2', medium: 'P3', low: 'P4' },
    low: { high: 'P3', medium: 'P4', low: 'P4' },
  },
};

/** Validates a configured matrix; the refusal names the first missing or unknown cell. */
export function validatePriorityMatrix(input: unknown): PriorityMatrix {
  const parsed = priorityMatrixSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'matrix';
    throw invalid(field, 'tickets.errors.matrixInvalid', { field });
  }
  const m = parsed.data;
  for (const [name, list] of [
    ['impacts', m.impacts],
    ['urgencies', m.urgencies],
  ] as const)
    if (new Set(list).size !== list.length)
      throw invalid(name, 'tickets.errors.matrixDuplicate', { field: name });
  for (const i of m.impacts)
    for (const u of m.urgencies)
      if (!m.cells[i]?.[u])
        throw invalid(`cells.${i}.${u}`, 'tickets.errors.matrixCellMissing', {
          impact: i,
          urgency: u,
        });
  for (const [i, row] of Object.entries(m.cells)) {
    if (!m.impacts.includes(i))
      throw invalid(`cells.${i}`, 'tickets.errors.matrixUnknownLevel', { level: i });
    for (const u of Object.keys(row))
      if (!m.urgencies.includes(u))
        throw invalid(`cells.${i}.${u}`, 'tickets.errors.matrixUnknownLevel', { level: u });
  }
  return m;
}

/** The priority of a ticket; unknown levels are refused naming impact or urgency. */
export function priorityFor(matrix: PriorityMatrix, impact: string, urgency: string): Priority {
  if (!matrix.impacts.includes(impact))
    throw invalid('impact', 'validation.enum', { options: matrix.impacts.join(', ') });
  if (!matrix.urgencies.includes(urgency))
    throw invalid('urgency', 'validation.enum', { options: matrix.urgencies.join(', ') });
  return matrix.cells[impact]![urgency]!;
}
