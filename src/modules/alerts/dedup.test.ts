import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDedup, type OpenAlert } from './dedup.js';
import { EMPTY_FLAP_STATE, isFlapping, recordStateChange, type FlapSettings } from './flapping.js';
import { decideGrouping, pageResolvesWith, type GroupablePage } from './grouping.js';

const open = (status: OpenAlert['status'] = 'triggered', count = 1): OpenAlert => ({
  id: 'a1',
  status,
  count,
});

describe('decideDedup', () => {
  it('creates, counts, acknowledges and resolves by the open alert', () => {
    expect(decideDedup(null, 'trigger')).toEqual({ kind: 'create' });
    expect(decideDedup(open('triggered', 3), 'trigger')).toEqual({
      kind: 'increment',
      alertId: 'a1',
      count: 4,
    });
    expect(decideDedup(open(), 'acknowledge')).toEqual({ kind: 'acknowledge', alertId: 'a1' });
    expect(decideDedup(open('acknowledged'), 'acknowledge')).toEqual({
      kind: 'ignore',
      reason: 'already_acknowledged',
    });
    expect(decideDedup(open('acknowledged'), 'resolve')).toEqual({
      kind: 'resolve',
      alertId: 'a1',
    });
    expect(decideDedup(null, 'resolve')).toEqual({ kind: 'ignore', reason: 'no_open_alert' });
    expect(decideDedup(null, 'acknowledge')).toEqual({ kind: 'ignore', reason: 'no_open_alert' });
  });

  it('never creates a second alert while one is open, whatever the event sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('trigger', 'acknowledge', 'resolve' as const)),
        (actions) => {
          let current: OpenAlert | null = null;
          let created = 0;
          for (const a of actions) {
            const d = decideDedup(current, a);
            if (d.kind === 'create') {
              expect(current).toBeNull();
              created++;
              current = { id: `a${created}`, status: 'triggered', count: 1 };
            } else if (d.kind === 'increment') current = { ...current!, count: d.count };
            else if (d.kind === 'acknowledge') current = { ...current!, status: 'acknowledged' };
            else if (d.kind === 'resolve') current = null;
          }
          // Independent model: each stretch between resolves that holds a trigger opens one alert.
          const segments = actions.join(',').split('resolve');
          const expected = segments.filter((seg) => seg.includes('trigger')).length;
          expect(created).toBe(expected);
        },
      ),
    );
  });
});

describe('decideGrouping', () => {
  const pages: GroupablePage[] = [
    { id: 'p1', openedAt: 0, status: 'triggered' },
    { id: 'p2', openedAt: 60_000, status: 'acknowledged' },
  ];
  it('joins the newest page inside the window and opens one outside it', () => {
    expect(decideGrouping(pages, 120_000, 300_000)).toEqual({ kind: 'join', pageId: 'p2' });
    expect(decideGrouping(pages, 360_000, 300_000)).toEqual({ kind: 'open' });
    expect(decideGrouping(pages, 120_000, 0)).toEqual({ kind: 'open' });
    expect(decideGrouping([], 120_000, 300_000)).toEqual({ kind: 'open' });
  });

  it('only ever joins a page opened within the window before the alert', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.uuid(),
            openedAt: fc.integer({ min: 0, max: 10_000_000 }),
            status: fc.constantFrom('triggered' as const, 'acknowledged' as const),
          }),
        ),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        (ps, at, window) => {
          const d = decideGrouping(ps, at, window);
          const eligible = ps.filter((p) => p.openedAt <= at && at - p.openedAt < window);
          if (d.kind === 'open') expect(eligible).toEqual([]);
          else {
            const chosen = ps.find((p) => p.id === d.pageId)!;
            expect(eligible).toContain(chosen);
            expect(Math.max(...eligible.map((p) => p.openedAt))).toBe(chosen.openedAt);
          }
        },
      ),
    );
  });
});

describe('pageResolvesWith', () => {
  it('resolves a page only when every one of its alerts is resolved', () => {
    expect(pageResolvesWith(['resolved', 'resolved'])).toBe(true);
    expect(pageResolvesWith(['resolved', 'acknowledged'])).toBe(false);
    expect(pageResolvesWith([])).toBe(false);
  });
});

describe('flapping', () => {
  const settings: FlapSettings = { maxChanges: 4, windowMs: 60_000, stableMs: 120_000 };

  it('suppresses from the Nth change in the window until quiet for stableMs', () => {
    let s = EMPTY_FLAP_STATE;
    const results = [0, 10_000, 20_000, 30_000].map((t) => {
      const r = recordStateChange(s, t, settings);
      s = r.state;
      return r.flapping;
    });
    expect(results).toEqual([false, false, false, true]);
    expect(isFlapping(s, 149_999, settings)).toBe(true);
    expect(isFlapping(s, 150_000, settings)).toBe(false);
    // A change after the quiet period starts afresh.
    expect(recordStateChange(s, 200_000, settings).flapping).toBe(false);
  });

  it('slow changes never flap; a burst always does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 60_000, max: 600_000 }), { maxLength: 30 }),
        (gaps) => {
          let s = EMPTY_FLAP_STATE;
          let t = 0;
          for (const g of gaps) {
            t += g; // gaps of at least a window leave one change in it
            const r = recordStateChange(s, t, settings);
            expect(r.flapping).toBe(false);
            s = r.state;
          }
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 14_000 }), { minLength: 3, maxLength: 3 }),
        (start, gaps) => {
          let s = EMPTY_FLAP_STATE;
          let t = start;
          let r = recordStateChange(s, t, settings);
          for (const g of gaps) {
            s = r.state;
            t += g;
            r = recordStateChange(s, t, settings);
          }
          expect(r.flapping).toBe(true);
          expect(r.state.changes.length).toBeLessThanOrEqual(4);
        },
      ),
    );
  });
});
