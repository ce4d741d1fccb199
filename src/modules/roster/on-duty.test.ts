import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { OnDutyIndex, applySwaps, resolveDuty, type DutySegment } from './on-duty.js';
import type { Assignment, Override, SwapRequest } from './roster.schema.js';
import { shiftTypes } from './fixtures.test-helpers.js';
import { datesInRange } from './local-date.js';

const H = 3_600_000;
const asg = (
  id: string,
  personId: string,
  shiftTypeId: string,
  date: string,
  postId = 'p-tech',
): Assignment => ({
  id,
  personId,
  postId,
  shiftTypeId,
  date,
});
const swap = (over: Partial<SwapRequest>): SwapRequest => ({
  id: 's1',
  kind: 'substitution',
  assignmentId: 'a1',
  requesterId: 'ann',
  substituteId: 'bob',
  reason: '',
  status: 'approved',
  createdAt: 0,
  ...over,
});

describe('resolveDuty and OnDutyIndex', () => {
  const assignments = [
    asg('a1', 'ann', 'st-n', '2026-03-08'),
    asg('a2', 'cai', 'st-d', '2026-03-08'),
    asg('a3', 'dan', 'st-d', '2026-03-08', 'p-desk'),
  ];
  const zone = 'America/New_York';

  it('answers who is on a post at an instant, by team, and over an interval', () => {
    const idx = new OnDutyIndex(
      resolveDuty({ assignments, shiftTypes, timeZone: zone }),
      new Map([
        ['p-tech', 't1'],
        ['p-desk', 't1'],
      ]),
    );
    // 8 March 2026 is the spring-forward day: the 00:00–08:00 night is 7 h (05:00Z–12:00Z).
    expect(idx.peopleOnPostAt('p-tech', Date.UTC(2026, 2, 8, 11, 59))).toEqual(['ann']);
    expect(idx.peopleOnPostAt('p-tech', Date.UTC(2026, 2, 8, 12, 0))).toEqual(['cai']);
    expect(idx.peopleOnPostAt('p-tech', Date.UTC(2026, 2, 8, 4, 59))).toEqual([]);
    expect(idx.peopleOnTeamAt('t1', Date.UTC(2026, 2, 8, 13))).toEqual(['cai', 'dan']);
    expect(
      idx.onPost('p-tech', Date.UTC(2026, 2, 8, 0), Date.UTC(2026, 2, 9, 0)).map((s) => s.personId),
    ).toEqual(['ann', 'cai']);
  });

  it('lets approved swaps and overrides change who is on duty, and nothing else', () => {
    expect(applySwaps(assignments, [swap({ status: 'pending_approval' })])[0]!.personId).toBe(
      'ann',
    );
    const swapped = applySwaps(assignments, [
      swap({ kind: 'swap', counterAssignmentId: 'a2', substituteId: 'cai' }),
    ]);
    expect(swapped.map((a) => a.personId)).toEqual(['cai', 'ann', 'dan']);
    const override: Override = {
      id: 'o1',
      postId: 'p-tech',
      personId: 'eve',
      replacesPersonId: 'cai',
      startMs: Date.UTC(2026, 2, 8, 14),
      endMs: Date.UTC(2026, 2, 8, 16),
      reason: '突发故障',
      createdBy: 'mgr',
      createdAt: 0,
    };
    const idx = new OnDutyIndex(
      resolveDuty({ assignments, shiftTypes, timeZone: zone, overrides: [override] }),
    );
    expect(idx.peopleOnPostAt('p-tech', Date.UTC(2026, 2, 8, 13))).toEqual(['cai']);
    expect(idx.peopleOnPostAt('p-tech', Date.UTC(2026, 2, 8, 15))).toEqual(['eve']);
    expect(idx.peopleOnPostAt('p-tech', Date.UTC(2026, 2, 8, 16))).toEqual(['cai']);
  });

  it('has exactly one technician on at every minute of the Berlin and Sydney DST weekends', () => {
    for (const [zone, from, to] of [
      ['Europe/Berlin', '2026-03-27', '2026-03-31'],
      ['Europe/Berlin', '2026-10-23', '2026-10-27'],
      ['Australia/Sydney', '2026-04-03', '2026-04-07'],
      ['Asia/Shanghai', '2026-10-23', '2026-10-27'],
    ] as const) {
      const rows = datesInRange(from, to).flatMap((date, i) => [
        asg(`d${i}`, 'ann', 'st-d', date),
        asg(`e${i}`, 'bob', 'st-e', date),
        asg(`n${i}`, 'cai', 'st-n', date),
      ]);
      const idx = new OnDutyIndex(resolveDuty({ assignments: rows, shiftTypes, timeZone: zone }));
      const startMs = idx.onPost('p-tech', 0, Number.MAX_SAFE_INTEGER)[0]!.startMs;
      for (let t = startMs; t < startMs + 4 * 24 * H; t += 60_000) {
        const on = idx.peopleOnPostAt('p-tech', t);
        expect(on, `${zone} ${new Date(t).toISOString()}`).toHaveLength(1);
      }
    }
  });

  it('property: an override replacing Y puts X on the post and takes Y off it, only inside its window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Shanghai'),
        fc.integer({ min: 0, max: 72 * 60 }),
        fc.integer({ min: 1, max: 30 * 60 }),
        fc.integer({ min: -36 * 60, max: 100 * 60 }),
        (zone, startMin, lenMin, probeMin) => {
          const rows = datesInRange('2026-03-27', '2026-03-31').map((d, i) =>
            asg(`d${i}`, 'cai', 'st-d', d),
          );
          const t0 = Date.UTC(2026, 2, 27);
          const o: Override = {
            id: 'o',
            postId: 'p-tech',
            personId: 'eve',
            replacesPersonId: 'cai',
            startMs: t0 + startMin * 60_000,
            endMs: t0 + (startMin + lenMin) * 60_000,
            reason: 'r',
            createdBy: 'm',
            createdAt: 0,
          };
          const plain = new OnDutyIndex(
            resolveDuty({ assignments: rows, shiftTypes, timeZone: zone }),
          );
          const idx = new OnDutyIndex(
            resolveDuty({ assignments: rows, shiftTypes, timeZone: zone, overrides: [o] }),
          );
          const t = t0 + probeMin * 60_000;
          const inside = t >= o.startMs && t < o.endMs;
          const on = idx.peopleOnPostAt('p-tech', t);
          if (inside) expect(on).toEqual(['eve']);
          else expect(on).toEqual(plain.peopleOnPostAt('p-tech', t));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: agrees with a brute-force scan for any segments and queries', () => {
    const seg = fc
      .record({
        personId: fc.constantFrom('a', 'b', 'c', 'd'),
        postId: fc.constantFrom('p1', 'p2'),
        // Whole hours, so that segment ends and query bounds often coincide.
        startMs: fc.integer({ min: 0, max: 200 }).map((h) => h * H),
        len: fc
          .oneof(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 400 }))
          .map((h) => h * H),
      })
      .map(({ len, ...s }): DutySegment => ({
        ...s,
        endMs: s.startMs + len,
        source: 'assignment',
      }));
    fc.assert(
      fc.property(
        fc.array(seg, { maxLength: 60, size: 'medium' }),
        fc.oneof(
          fc.integer({ min: -20, max: 250 }).map((h) => h * H),
          fc.integer({ min: -20 * H, max: 250 * H }),
        ),
        fc.oneof(
          fc.integer({ min: 1, max: 50 }).map((h) => h * H),
          fc.constant(1),
        ),
        (segs, from, len) => {
          const idx = new OnDutyIndex(
            segs,
            new Map([
              ['p1', 't'],
              ['p2', 't'],
            ]),
          );
          for (const post of ['p1', 'p2']) {
            const expected = segs.filter(
              (s) => s.postId === post && s.startMs < from + len && s.endMs > from,
            );
            expect(new Set(idx.onPost(post, from, from + len))).toEqual(new Set(expected));
            const at = segs.filter((s) => s.postId === post && s.startMs <= from && s.endMs > from);
            expect(idx.peopleOnPostAt(post, from)).toEqual(
              [...new Set(at.map((s) => s.personId))].sort(),
            );
          }
          expect(idx.onTeam('t', from, from + len)).toHaveLength(
            segs.filter((s) => s.startMs < from + len && s.endMs > from).length,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  // Speed is measured by `npm run bench:roster-query`; this checks answers at full size.
  it('answers point queries for 500 people, 12 posts and a year like a plain scan', () => {
    const dates = datesInRange('2026-01-01', '2026-12-31');
    const codes = ['st-d', 'st-e', 'st-n'];
    const big: Assignment[] = [];
    for (let p = 0; p < 500; p++) {
      dates.forEach((date, i) => {
        if ((i + p) % 5 < 3)
          big.push(asg(`x${p}-${i}`, `u${p}`, codes[(i + p) % 3]!, date, `post${p % 12}`));
      });
    }
    const segments = resolveDuty({ assignments: big, shiftTypes, timeZone: 'Europe/Berlin' });
    const idx = new OnDutyIndex(segments);
    const t0 = Date.UTC(2026, 0, 1);
    let found = 0;
    for (let q = 0; q < 300; q++) {
      const t = t0 + ((q * 7919 * 60_000) % (365 * 24 * H));
      const post = `post${q % 12}`;
      const got = [...idx.peopleOnPostAt(post, t)].sort();
      const want = [
        ...new Set(
          segments
            .filter((g) => g.postId === post && g.startMs <= t && t < g.endMs)
            .map((g) => g.personId),
        ),
      ].sort();
      expect(got).toEqual(want);
      found += got.length;
    }
    expect(found).toBeGreaterThan(0);
  });
});
