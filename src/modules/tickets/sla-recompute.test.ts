import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SlaPolicy, selectPolicy } from './sla-clock.js';
import { type RecomputeTicket, needsRecompute } from './sla-recompute.js';

import { PRIORITIES as priorities } from './priority.js';
import { TICKET_TYPES as types } from './ticket-state.js';
const customers = ['c1', 'c2'] as const;

const match = fc.record(
  {
    type: fc.constantFrom(...types),
    priority: fc.constantFrom(...priorities),
    customerId: fc.constantFrom(...customers),
  },
  { requiredKeys: [] },
);
const policy = (id: string) =>
  fc.record({
    id: fc.constant(id),
    match,
    targets: fc.constant({ resolution: 60 }),
    warnAtPercent: fc.constant(80),
    active: fc.boolean(),
  });
const ticket = fc.record({
  type: fc.constantFrom(...types),
  priority: fc.constantFrom(...priorities),
  customerId: fc.option(fc.constantFrom(...customers), { nil: null }),
});

type P = SlaPolicy & { active: boolean };
const chosen = (ps: readonly P[], t: Omit<RecomputeTicket, 'slaPolicyId'>) =>
  selectPolicy(
    ps.filter((p) => p.active),
    t,
  )?.id ?? null;

describe('which tickets an SLA policy change can move', () => {
  it('every ticket whose chosen policy (or its policy’s content) changes is recomputed', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.tuple(policy('a'), policy('b'), policy('c')),
          fc.constantFrom(0, 1, 2),
          policy('x'),
        ),
        ticket,
        ([[a, b, c], which, replacement], t) => {
          const before: P[] = [a, b, c];
          const changed = before[which]!;
          // The change: the policy keeps its id, anything else (match, active) may differ.
          const after = before.map((p, i) => (i === which ? { ...replacement, id: p.id } : p));
          const was = chosen(before, t);
          const now = chosen(after, t);
          const candidate = needsRecompute(
            { id: changed.id, active: after[which]!.active, match: after[which]!.match },
            { ...t, slaPolicyId: was },
          );
          // Selection moved, or the ticket stays under the edited policy: it must be a candidate.
          if (was !== now || was === changed.id) expect(candidate).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves alone a ticket under another policy that the changed one does not match', () => {
    const t = { slaPolicyId: 'other', type: 'fault', priority: 'P1', customerId: 'c1' } as const;
    expect(needsRecompute({ id: 'p', active: true, match: { priority: 'P2' } }, t)).toBe(false);
    expect(needsRecompute({ id: 'p', active: false, match: {} }, t)).toBe(false);
    expect(needsRecompute({ id: 'p', active: true, match: { customerId: 'c1' } }, t)).toBe(true);
    expect(needsRecompute({ id: 'other', active: false, match: {} }, t)).toBe(true);
  });
});
