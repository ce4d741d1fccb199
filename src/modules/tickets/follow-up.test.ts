import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import cn2026 from './calendars/cn-2026.json' with { type: 'json' };
import {
  defineCalendar,
  isWorkingAt,
  parseHolidayList,
  WEEKDAY_KEYS,
  withHolidayList,
} from './business-calendar.js';
import { assertSurveyAllowed, followUpDueAt, needsFollowUp } from './follow-up.js';
import { ROLES, TICKET_STATUSES, TICKET_TYPES } from './ticket-state.js';
import type { DomainError } from '../../lib/errors.js';

const outcome = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as DomainError).kind;
  }
};

describe('survey', () => {
  const closed = { status: 'closed' as const, requesterId: 'r1', surveyedAt: null };
  it('lets the requester (own) and desk staff record it once, on closed tickets only', () => {
    expect(outcome(() => assertSurveyAllowed(closed, { role: 'requester', userId: 'r1' }))).toBe(
      'ok',
    );
    expect(outcome(() => assertSurveyAllowed(closed, { role: 'requester', userId: 'r2' }))).toBe(
      'forbidden',
    );
    expect(outcome(() => assertSurveyAllowed(closed, { role: 'service_agent', userId: 'a' }))).toBe(
      'ok',
    );
    expect(outcome(() => assertSurveyAllowed(closed, { role: 'technician', userId: 't' }))).toBe(
      'forbidden',
    );
    expect(
      outcome(() =>
        assertSurveyAllowed({ ...closed, surveyedAt: 5 }, { role: 'requester', userId: 'r1' }),
      ),
    ).toBe('conflict');
    for (const status of TICKET_STATUSES.filter((s) => s !== 'closed'))
      expect(
        outcome(() =>
          assertSurveyAllowed({ ...closed, status }, { role: 'requester', userId: 'r1' }),
        ),
      ).toBe('conflict');
    for (const role of ROLES) {
      const allowed = ['service_agent', 'duty_manager', 'admin'].includes(role);
      if (role !== 'requester')
        expect(outcome(() => assertSurveyAllowed(closed, { role, userId: 'x' }))).toBe(
          allowed ? 'ok' : 'forbidden',
        );
    }
  });
});

describe('follow-up visit', () => {
  it('visits complaints always, low scores, and unanswered surveys only when configured', () => {
    expect(needsFollowUp({ type: 'complaint', score: 5 })).toBe(true);
    expect(needsFollowUp({ type: 'fault', score: 3 })).toBe(true);
    expect(needsFollowUp({ type: 'fault', score: 4 })).toBe(false);
    expect(needsFollowUp({ type: 'fault', score: null })).toBe(false);
    expect(
      needsFollowUp(
        { type: 'fault', score: null },
        { scoreAtOrBelow: 3, alwaysForTypes: [], whenUnanswered: true, afterDays: 1 },
      ),
    ).toBe(true);
    fc.assert(
      fc.property(
        fc.constantFrom(...TICKET_TYPES),
        fc.integer({ min: 1, max: 5 }),
        (type, score) => {
          // A worse score never needs a visit less than a better one.
          if (needsFollowUp({ type, score })) return;
          for (let better = score; better <= 5; better++)
            expect(needsFollowUp({ type, score: better })).toBe(false);
        },
      ),
    );
  });

  const office = withHolidayList(
    defineCalendar({
      kind: 'hours',
      zone: 'Asia/Shanghai',
      weekly: Object.fromEntries(WEEKDAY_KEYS.slice(0, 5).map((k) => [k, ['09:00-18:00']])),
    }),
    parseHolidayList(cn2026),
  );
  const at = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();

  it('falls due two days after closing, at the next office hour (over National Day)', () => {
    expect(followUpDueAt(at('2026-11-17T15:00+08:00'), office, 'Asia/Shanghai')).toBe(
      at('2026-11-19T15:00+08:00'),
    );
    expect(followUpDueAt(at('2026-09-29T20:00+08:00'), office, 'Asia/Shanghai')).toBe(
      at('2026-10-08T09:00+08:00'),
    );
  });

  it('always falls due at a working instant, no earlier than the days asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }),
        (closedAt) => {
          const due = followUpDueAt(closedAt, office, 'Asia/Shanghai');
          expect(isWorkingAt(office, due)).toBe(true);
          expect(due).toBeGreaterThanOrEqual(closedAt + 2 * 86_400_000);
        },
      ),
    );
  });
});
