import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  applyAction,
  autoCloseDueAt,
  can,
  escalate,
  isDueToClose,
  ROLES,
  TICKET_ACTIONS,
  TICKET_STATUSES,
  type ActorRole,
  type TicketAction,
  type TicketSnapshot,
  type TicketStatus,
} from './ticket-state.js';
import { DomainError } from '../../lib/errors.js';

/**
 * The expected table, written out by hand (not derived from the code under test):
 * action → [states it may start from, target, roles allowed].
 */
const W = 'admin duty_manager technician service_agent expert';
const TABLE: Record<TicketAction, [string, TicketStatus, string]> = {
  assign: ['new assigned in_progress reopened', 'assigned', W],
  start: ['assigned reopened', 'in_progress', W],
  wait_customer: ['in_progress pending_third_party', 'pending_customer', W],
  wait_third_party: ['in_progress pending_customer', 'pending_third_party', W],
  resume: ['pending_customer pending_third_party', 'in_progress', W],
  resolve: ['assigned in_progress pending_customer pending_third_party reopened', 'resolved', W],
  confirm: ['resolved', 'closed', 'admin duty_manager service_agent requester'],
  reopen: ['resolved closed', 'reopened', 'admin duty_manager service_agent requester'],
  auto_close: ['resolved', 'closed', 'system'],
};

const ticket = (status: TicketStatus): TicketSnapshot => ({
  status,
  level: 'line1',
  requesterId: 'req-1',
  assigneeId: null,
});
const input = { at: 1_000, assigneeId: 'tech-9', note: 'done' };
const ALL_ROLES: ActorRole[] = [...ROLES, 'system'];

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.kind;
    throw e;
  }
}

describe('ticket state machine', () => {
  it('matches the table for every (state, action, role) triple, own and foreign tickets', () => {
    let checked = 0;
    for (const status of TICKET_STATUSES)
      for (const action of TICKET_ACTIONS)
        for (const role of ALL_ROLES)
          for (const own of [true, false]) {
            const [from, to, roles] = TABLE[action];
            const allowedRole = roles.split(' ').includes(role) && (role !== 'requester' || own);
            const expected = !allowedRole
              ? 'forbidden'
              : from.split(' ').includes(status)
                ? 'ok'
                : 'conflict';
            const actor = { role, userId: own ? 'req-1' : 'someone-else' };
            expect(
              outcome(() => applyAction(ticket(status), action, actor, input)),
              `${status} ${action} ${role} own=${own}`,
            ).toBe(expected);
            if (expected === 'ok')
              expect(applyAction(ticket(status), action, actor, input).ticket.status).toBe(to);
            checked++;
          }
    // 9 states (with `merged`, which no action leaves) × 9 actions × 11 roles × own/foreign.
    expect(checked).toBe(9 * 9 * 11 * 2);
  });

  it('names the states and role when refusing', () => {
    try {
      applyAction(ticket('new'), 'resolve', { role: 'supervisor', userId: 'u' }, input);
      expect.unreachable();
    } catch (e) {
      const err = e as DomainError;
      expect(err.kind).toBe('forbidden');
      expect(err.messageKey).toBe('tickets.errors.transitionForbidden');
      expect(err.params).toEqual({
        action: 'resolve',
        from: 'new',
        to: 'resolved',
        role: 'supervisor',
      });
    }
    try {
      applyAction(ticket('closed'), 'resolve', { role: 'technician', userId: 'u' }, input);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).params).toMatchObject({ from: 'closed', to: 'resolved' });
    }
  });

  it('produces a timeline event and requires assignee, resolution note, reopen reason', () => {
    const r = applyAction(ticket('new'), 'assign', { role: 'service_agent', userId: 'a1' }, input);
    expect(r.event).toEqual({
      kind: 'status_changed',
      at: 1_000,
      actorId: 'a1',
      actorRole: 'service_agent',
      action: 'assign',
      from: 'new',
      to: 'assigned',
      assigneeId: 'tech-9',
    });
    expect(r.ticket.assigneeId).toBe('tech-9');
    const agent = { role: 'technician' as const, userId: 't' };
    expect(() => applyAction(ticket('new'), 'assign', agent, { at: 1 })).toThrow(/assigneeId/);
    expect(() =>
      applyAction(ticket('in_progress'), 'resolve', agent, { at: 1, note: '  ' }),
    ).toThrow(/note/);
    expect(() =>
      applyAction(ticket('resolved'), 'reopen', { role: 'requester', userId: 'req-1' }, { at: 1 }),
    ).toThrow(/note/);
  });

  it('requester may reply and view only own tickets; supervisor only views', () => {
    expect(can({ role: 'requester', userId: 'req-1' }, 'reply_public', 'req-1')).toBe(true);
    expect(can({ role: 'requester', userId: 'req-1' }, 'reply_public', 'req-2')).toBe(false);
    expect(can({ role: 'requester', userId: 'req-1' }, 'view', 'req-2')).toBe(false);
    expect(can({ role: 'requester', userId: 'req-1' }, 'note_internal', 'req-1')).toBe(false);
    expect(can({ role: 'supervisor', userId: 's' }, 'view', 'req-2')).toBe(true);
    for (const what of [
      'reply_public',
      'note_internal',
      'escalate',
      'create',
      ...TICKET_ACTIONS,
    ] as const)
      expect(can({ role: 'supervisor', userId: 's' }, what, 'req-2')).toBe(false);
  });
});

describe('escalation', () => {
  const tech = { role: 'technician' as const, userId: 't1' };
  it('climbs line1 → line2 → expert and stops there, with a reason', () => {
    const t0 = { ...ticket('in_progress'), assigneeId: 't1' };
    const r1 = escalate(t0, tech, { at: 5, reason: '需要二线' });
    expect(r1.ticket).toMatchObject({ level: 'line2', status: 'new', assigneeId: null });
    expect(r1.event).toMatchObject({
      kind: 'escalated',
      fromLevel: 'line1',
      toLevel: 'line2',
      reason: '需要二线',
    });
    const r2 = escalate(r1.ticket, tech, { at: 6, reason: '硬件' });
    expect(r2.ticket.level).toBe('expert');
    expect(outcome(() => escalate(r2.ticket, tech, { at: 7, reason: 'x' }))).toBe('conflict');
  });
  it('refuses without a reason, from resolved, and for read-only roles', () => {
    expect(() => escalate(ticket('in_progress'), tech, { at: 1, reason: '' })).toThrow(/reason/);
    expect(outcome(() => escalate(ticket('resolved'), tech, { at: 1, reason: 'r' }))).toBe(
      'conflict',
    );
    expect(
      outcome(() =>
        escalate(ticket('new'), { role: 'leadership', userId: 'l' }, { at: 1, reason: 'r' }),
      ),
    ).toBe('forbidden');
    expect(
      outcome(() =>
        escalate(ticket('new'), { role: 'system', userId: null }, { at: 1, reason: 'SLA breach' }),
      ),
    ).toBe('ok');
  });
});

describe('auto-close', () => {
  it('closes 3 local days after the last customer word, keeping the wall hour over DST', () => {
    const resolvedAt = DateTime.fromISO('2026-10-23T10:00', { zone: 'Europe/Berlin' }).toMillis();
    const due = autoCloseDueAt({ resolvedAt, quietDays: 3, zone: 'Europe/Berlin' });
    expect(DateTime.fromMillis(due, { zone: 'Europe/Berlin' }).toISO()).toBe(
      '2026-10-26T10:00:00.000+01:00',
    );
    expect(due - resolvedAt).toBe(3 * 86_400_000 + 3_600_000);
    const later = autoCloseDueAt({
      resolvedAt,
      lastCustomerActivityAt: resolvedAt + 86_400_000,
      quietDays: 3,
      zone: 'UTC',
    });
    expect(later).toBe(resolvedAt + 4 * 86_400_000);
    expect(() => autoCloseDueAt({ resolvedAt, quietDays: 0, zone: 'UTC' })).toThrow(DomainError);
  });

  it('is due exactly from the due instant on, and only while resolved', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.constantFrom(...TICKET_STATUSES),
        (resolvedAt, quietDays, offset, status) => {
          const args = { resolvedAt, quietDays, zone: 'Asia/Shanghai' };
          const due = autoCloseDueAt(args);
          expect(due).toBeGreaterThan(resolvedAt);
          expect(isDueToClose(status, args, due + offset)).toBe(
            status === 'resolved' && offset >= 0,
          );
        },
      ),
    );
  });
});

describe('ticket life cycle walks', () => {
  it('closes only from resolved by confirmation or the quiet period, and levels only climb', () => {
    const step = fc.record({
      action: fc.constantFrom(...TICKET_ACTIONS, 'escalate' as const),
      role: fc.constantFrom(...ALL_ROLES),
      own: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let t: TicketSnapshot = ticket('new');
        let at = 0;
        for (const s of steps) {
          const actor = { role: s.role, userId: s.own ? 'req-1' : 'other' };
          const before = t;
          try {
            const r =
              s.action === 'escalate'
                ? escalate(t, actor, { at: ++at, reason: 'r' })
                : applyAction(t, s.action, actor, { ...input, at: ++at });
            t = r.ticket;
            expect(r.event.at).toBe(at);
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            expect(t).toBe(before);
            continue;
          }
          if (t.status === 'closed' && before.status !== 'closed') {
            expect(before.status).toBe('resolved');
            expect(['confirm', 'auto_close']).toContain(s.action);
          }
          const order = ['line1', 'line2', 'expert'];
          expect(order.indexOf(t.level)).toBeGreaterThanOrEqual(order.indexOf(before.level));
          if (['supervisor', 'leadership', 'duty_admin', 'security_guard'].includes(s.role))
            expect.unreachable(`${s.role} changed a ticket`);
        }
      }),
    );
  });
});
