import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  validateSwapRequest,
  nextSwapStatus,
  nextLeaveStatus,
  validateOverride,
  reminderSchedule,
  confirmationDeadline,
  swapOutcome,
  nextRosterStatus,
  type SwapCheckInput,
  type SwapAction,
  type SwapActor,
} from './requests.js';
import { DomainError } from '../../lib/errors.js';
import type { SwapRequest, SwapStatus } from './roster.schema.js';
import { shiftTypes, posts, tech } from './fixtures.test-helpers.js';

const H = 3_600_000;
const start = Date.UTC(2026, 2, 10, 0);
const input = (over: Partial<SwapCheckInput> = {}): SwapCheckInput => ({
  kind: 'substitution',
  requesterId: 'ann',
  substituteId: 'bob',
  assignment: {
    personId: 'ann',
    postId: tech.id,
    interval: { startMs: start, endMs: start + 8 * H },
  },
  post: tech,
  substituteSkills: ['linux'],
  now: start - 49 * H,
  ...over,
});
const keyOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.messageKey : String(e);
  }
  return undefined;
};

describe('swap requests', () => {
  it('accepts a request 49 h ahead with a skilled substitute', () => {
    expect(keyOf(() => validateSwapRequest(input()))).toBeUndefined();
  });

  it('refuses a swap with oneself, too late, or a substitute without the skill, naming the reason', () => {
    expect(keyOf(() => validateSwapRequest(input({ substituteId: 'ann' })))).toBe(
      'roster.errors.swapWithSelf',
    );
    expect(keyOf(() => validateSwapRequest(input({ now: start - 47 * H })))).toBe(
      'roster.errors.swapTooLate',
    );
    expect(
      keyOf(() =>
        validateSwapRequest(input({ now: start - 47 * H, config: { swapLeadHours: 24 } })),
      ),
    ).toBeUndefined();
    expect(keyOf(() => validateSwapRequest(input({ substituteSkills: [] })))).toBe(
      'roster.errors.substituteLacksSkill',
    );
    expect(keyOf(() => validateSwapRequest(input({ kind: 'swap' })))).toBe(
      'roster.errors.swapCounterAssignment',
    );
  });

  it('property: the lead time is met exactly when the shift is at least the configured hours away', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * 60, max: 200 * 60 }),
        fc.integer({ min: 0, max: 96 }),
        (minutesAhead, lead) => {
          const key = keyOf(() =>
            validateSwapRequest(
              input({ now: start - minutesAhead * 60_000, config: { swapLeadHours: lead } }),
            ),
          );
          expect(key === undefined).toBe(minutesAhead >= lead * 60);
        },
      ),
    );
  });

  it('walks the state machine and refuses moves by the wrong actor or from the wrong state', () => {
    let s: SwapStatus = 'pending_substitute';
    s = nextSwapStatus(s, 'accept', 'substitute');
    expect(s).toBe('pending_approval');
    expect(keyOf(() => nextSwapStatus('pending_approval', 'approve', 'substitute'))).toBe(
      'roster.errors.swapWrongActor',
    );
    s = nextSwapStatus(s, 'approve', 'admin');
    expect(s).toBe('approved');
    expect(keyOf(() => nextSwapStatus(s, 'withdraw', 'requester'))).toBe(
      'roster.errors.swapTransition',
    );
  });

  it('property: terminal states stay terminal and approval needs a prior acceptance', () => {
    const actions: [SwapAction, SwapActor][] = [
      ['accept', 'substitute'],
      ['decline', 'substitute'],
      ['approve', 'admin'],
      ['reject', 'admin'],
      ['withdraw', 'requester'],
      ['cancel', 'admin'],
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...actions), { maxLength: 8 }), (steps) => {
        let s: SwapStatus = 'pending_substitute';
        let accepted = false;
        for (const [action, actor] of steps) {
          const before = s;
          try {
            s = nextSwapStatus(s, action, actor);
          } catch {
            continue;
          }
          expect(['rejected', 'cancelled', 'withdrawn']).not.toContain(before);
          if (action === 'accept') accepted = true;
          if (s === 'approved') expect(accepted).toBe(true);
        }
      }),
    );
  });

  it('reports the rule violations a swap would add', () => {
    const roster = {
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      timeZone: 'Asia/Shanghai',
      shiftTypes,
      posts,
      people: [
        { id: 'ann', skills: ['linux'] },
        { id: 'bob', skills: ['linux'] },
      ],
      rules: { minRestHours: { value: 12, severity: 'block' as const } },
      assignments: [
        { id: 'a1', personId: 'ann', postId: tech.id, shiftTypeId: 'st-d', date: '2026-03-10' },
        { id: 'a2', personId: 'bob', postId: tech.id, shiftTypeId: 'st-e', date: '2026-03-09' },
      ],
    };
    const swap: SwapRequest = {
      id: 's',
      kind: 'substitution',
      assignmentId: 'a1',
      requesterId: 'ann',
      substituteId: 'bob',
      reason: '',
      status: 'pending_approval',
      createdAt: 0,
    };
    const out = swapOutcome(roster, swap);
    expect(out.blocking).toBe(true);
    expect(out.added).toMatchObject([{ rule: 'minRest', personId: 'bob', date: '2026-03-10' }]);
  });
});

describe('leave, overrides, confirmation', () => {
  it('moves leave through its states', () => {
    expect(nextLeaveStatus('pending', 'approve')).toBe('approved');
    expect(nextLeaveStatus('approved', 'cancel')).toBe('cancelled');
    expect(keyOf(() => nextLeaveStatus('rejected', 'approve'))).toBe(
      'roster.errors.leaveTransition',
    );
  });

  it('requires a duty manager and a reason for an override, but no lead time', () => {
    const o = {
      postId: 'p',
      personId: 'x',
      startMs: 10,
      endMs: 20,
      reason: '机房断电',
      actorIsDutyManager: true,
    };
    expect(keyOf(() => validateOverride(o))).toBeUndefined();
    expect(keyOf(() => validateOverride({ ...o, reason: '  ' }))).toBe(
      'roster.errors.overrideReason',
    );
    expect(keyOf(() => validateOverride({ ...o, actorIsDutyManager: false }))).toBe(
      'roster.errors.overrideNotManager',
    );
    expect(keyOf(() => validateOverride({ ...o, endMs: 10 }))).toBe('roster.errors.intervalEmpty');
  });

  it('plans reminders for unconfirmed people only, before a configurable deadline', () => {
    const p = Date.UTC(2026, 2, 1);
    expect(confirmationDeadline(p)).toBe(p + 24 * H);
    const plan = reminderSchedule({
      publishedAt: p,
      people: ['ann', 'bob'],
      confirmed: new Set(['bob']),
    });
    expect(plan).toEqual([
      { personId: 'ann', at: p + 12 * H, kind: 'reminder' },
      { personId: 'ann', at: p + 20 * H, kind: 'reminder' },
      { personId: 'ann', at: p + 24 * H, kind: 'overdue' },
    ]);
    const later = reminderSchedule({
      publishedAt: p,
      people: ['ann'],
      confirmed: new Set(),
      config: { confirmHours: 48, remindAfterHours: [24, 60] },
      after: p + 30 * H,
    });
    expect(later).toEqual([{ personId: 'ann', at: p + 48 * H, kind: 'overdue' }]);
  });

  it('publishes only without blocking violations', () => {
    expect(nextRosterStatus('draft', 'publish')).toBe('published');
    expect(nextRosterStatus('published', 'amend')).toBe('amended');
    const v = {
      rule: 'minRest' as const,
      severity: 'block' as const,
      date: '2026-03-01',
      messageKey: 'x',
      params: {},
    };
    expect(keyOf(() => nextRosterStatus('draft', 'publish', [v]))).toBe(
      'roster.errors.publishBlocked',
    );
    expect(keyOf(() => nextRosterStatus('closed', 'amend'))).toBe('roster.errors.rosterTransition');
  });
});
