import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { chooseAssignee, type DispatchCandidate } from './dispatch.js';

const c = (
  userId: string,
  openCount = 0,
  lastAssignedAt: number | null = null,
): DispatchCandidate => ({
  userId,
  openCount,
  lastAssignedAt,
});

describe('dispatch examples', () => {
  it('round robin follows the last assigned id, wraps, and survives the last one leaving', () => {
    const team = [c('wang'), c('li'), c('zhao')];
    expect(chooseAssignee(team, { kind: 'round_robin', lastAssignedId: null })).toBe('li');
    expect(chooseAssignee(team, { kind: 'round_robin', lastAssignedId: 'li' })).toBe('wang');
    expect(chooseAssignee(team, { kind: 'round_robin', lastAssignedId: 'zhao' })).toBe('li');
    expect(chooseAssignee(team, { kind: 'round_robin', lastAssignedId: 'sun' })).toBe('wang');
  });
  it('least loaded takes the fewest open tickets, then the longest idle, then the id', () => {
    expect(chooseAssignee([c('a', 3), c('b', 1), c('c', 2)], { kind: 'least_loaded' })).toBe('b');
    expect(chooseAssignee([c('a', 1, 500), c('b', 1, 100)], { kind: 'least_loaded' })).toBe('b');
    expect(chooseAssignee([c('a', 1, 500), c('b', 1, null)], { kind: 'least_loaded' })).toBe('b');
    expect(chooseAssignee([c('b', 1), c('a', 1)], { kind: 'least_loaded' })).toBe('a');
  });
  it('returns null when nobody is on duty', () => {
    expect(chooseAssignee([], { kind: 'least_loaded' })).toBeNull();
  });
});

const teamArb = fc.uniqueArray(
  fc.record({
    userId: fc.string({ minLength: 1, maxLength: 6 }),
    openCount: fc.integer({ min: 0, max: 5 }),
    lastAssignedAt: fc.option(fc.integer({ min: 0, max: 1000 })),
  }),
  { minLength: 1, maxLength: 8, selector: (x) => x.userId },
);

describe('dispatch properties', () => {
  it('always picks someone on duty, independent of input order', () => {
    fc.assert(
      fc.property(teamArb, fc.option(fc.string({ maxLength: 6 })), (team, last) => {
        for (const strategy of [
          { kind: 'round_robin' as const, lastAssignedId: last },
          { kind: 'least_loaded' as const },
        ]) {
          const pick = chooseAssignee(team, strategy);
          expect(team.map((t) => t.userId)).toContain(pick);
          expect(chooseAssignee([...team].reverse(), strategy)).toBe(pick);
        }
      }),
    );
  });

  it('least loaded never picks someone with more open tickets than another', () => {
    fc.assert(
      fc.property(teamArb, (team) => {
        const pick = team.find((t) => t.userId === chooseAssignee(team, { kind: 'least_loaded' }))!;
        expect(pick.openCount).toBe(Math.min(...team.map((t) => t.openCount)));
      }),
    );
  });

  it('round robin visits everyone exactly once in n consecutive picks', () => {
    fc.assert(
      fc.property(teamArb, fc.option(fc.string({ maxLength: 6 })), (team, start) => {
        let last = start;
        const seen: string[] = [];
        for (let i = 0; i < team.length; i++) {
          last = chooseAssignee(team, { kind: 'round_robin', lastAssignedId: last });
          seen.push(last!);
        }
        expect(new Set(seen).size).toBe(team.length);
      }),
    );
  });

  it('simulated least-loaded assignment keeps loads within one of each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 }), (n, tickets) => {
        const team = Array.from({ length: n }, (_, i) => c(`u${i}`));
        for (let t = 0; t < tickets; t++) {
          const pick = chooseAssignee(team, { kind: 'least_loaded' })!;
          const i = team.findIndex((x) => x.userId === pick);
          team[i] = { ...team[i]!, openCount: team[i]!.openCount + 1, lastAssignedAt: t };
        }
        const loads = team.map((x) => x.openCount);
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
