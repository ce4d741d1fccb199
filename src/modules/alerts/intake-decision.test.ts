import { describe, expect, it } from 'vitest';
import { EMPTY_FLAP_STATE } from './flapping.js';
import { decideIntake, type IntakeSituation } from './intake-decision.js';

const T = Date.UTC(2024, 4, 1, 3, 0);
const base: IntakeSituation = {
  serviceId: 's1',
  event: {
    action: 'trigger',
    dedupKey: 'k',
    summary: 'x',
    source: 's',
    severity: 'error',
    details: {},
    links: [],
    occurredAt: T,
  },
  at: T,
  openAlert: null,
  flapState: EMPTY_FLAP_STATE,
  flapSettings: { maxChanges: 3, windowMs: 600_000, stableMs: 600_000 },
  maintenance: [],
  openPages: [],
  groupingWindowMs: 300_000,
};

describe('decideIntake', () => {
  it('opens a page for a new alert, joins a recent one, and counts a repeat without paging', () => {
    expect(decideIntake(base).paging).toEqual({ kind: 'open' });
    expect(
      decideIntake({
        ...base,
        openPages: [{ id: 'p1', openedAt: T - 60_000, status: 'triggered' }],
      }).paging,
    ).toEqual({ kind: 'join', pageId: 'p1' });
    const repeat = decideIntake({
      ...base,
      openAlert: { id: 'a1', status: 'triggered', count: 2 },
    });
    expect(repeat.dedup).toEqual({ kind: 'increment', alertId: 'a1', count: 3 });
    expect(repeat.paging).toEqual({ kind: 'none' });
  });

  it('stores but does not page during maintenance', () => {
    const d = decideIntake({
      ...base,
      maintenance: [{ id: 'w', serviceIds: ['s1'], startsAt: T - 1, endsAt: T + 1 }],
    });
    expect(d.dedup.kind).toBe('create');
    expect(d.paging).toEqual({ kind: 'suppressed', reason: 'maintenance' });
  });

  it('stops paging a key that opens and closes too often', () => {
    const flapState = { changes: [T - 20_000, T - 10_000], flappingSince: null };
    const d = decideIntake({ ...base, flapState });
    expect(d.paging).toEqual({ kind: 'suppressed', reason: 'flapping' });
    expect(d.startedFlapping).toBe(true);
  });
});
