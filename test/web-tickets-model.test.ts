import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_ROLES as SERVER_ROLES,
  TICKET_STATUSES as SERVER_STATUSES,
  TRANSITIONS,
  can,
} from '../src/modules/tickets/ticket-state.js';
import { ROLES } from '../src/server/permissions.js';
import {
  ACTION_FROM,
  ACTION_ROLES,
  OPEN_STATUSES,
  SAVED_VIEWS,
  UI_ACTIONS,
  allowedActions,
  splitMinutes,
  titleFrom,
  viewQuery,
} from '../web/src/pages/tickets/ticketModel.js';
import { TICKET_STATUSES } from '../web/src/pages/tickets/ticketTypes.js';

describe('the ticket pages’ model', () => {
  it('offers exactly the moves the server’s table allows (same states, same roles)', () => {
    expect([...TICKET_STATUSES]).toEqual([...SERVER_STATUSES]);
    for (const a of UI_ACTIONS) {
      expect([...ACTION_FROM[a]], a).toEqual([...TRANSITIONS[a].from]);
      expect([...ACTION_ROLES[a]], a).toEqual([...SERVER_ROLES[a]]);
    }
    fc.assert(
      fc.property(
        fc.constantFrom(...TICKET_STATUSES),
        fc.uniqueArray(fc.constantFrom(...ROLES), { maxLength: 3 }),
        fc.boolean(),
        (status, roles, own) => {
          const userId = 'u1';
          const requesterId = own ? userId : 'someone-else';
          const expected = UI_ACTIONS.filter(
            (a) =>
              TRANSITIONS[a].from.includes(status) &&
              roles.some((role) => can({ role, userId }, a, requesterId)),
          );
          expect(allowedActions(status, roles, own)).toEqual(expected);
        },
      ),
    );
  });

  it('turns every saved view into a list query the route accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SAVED_VIEWS),
        fc.option(fc.uuid(), { nil: null }),
        fc.subarray([...TICKET_STATUSES]),
        fc.string({ maxLength: 300 }),
        (view, groupId, status, q) => {
          const query = viewQuery(view, { groupId }, { status, q });
          if (query.q !== undefined) {
            expect(String(query.q).length).toBeLessThanOrEqual(200);
            expect(String(query.q)).toBe(String(query.q).trim());
          }
          if (status.length) expect(query.status).toBe(status.join(','));
          else if (view !== 'all') expect(query.status).toBe(OPEN_STATUSES.join(','));
          if (view === 'mine') expect(query.assignee).toBe('me');
          if (view === 'unassigned') expect(query.unassigned).toBe('true');
          if (view === 'breaching') expect(query.breachingWithin).toBeGreaterThan(0);
          if (view === 'group') expect(query.group).toBe(groupId ?? undefined);
        },
      ),
    );
  });

  it('splits minutes into days, hours and minutes that add back up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (m) => {
        const { days, hours, mins } = splitMinutes(m);
        expect(days * 1440 + hours * 60 + mins).toBe(m);
        expect(hours).toBeLessThan(24);
        expect(mins).toBeLessThan(60);
      }),
    );
    expect(splitMinutes(-5)).toEqual({ days: 0, hours: 0, mins: 0 });
  });

  it('makes a title from the first non-empty line, at most 80 characters', () => {
    expect(titleFrom('\n  打印机卡纸  \n第二行')).toBe('打印机卡纸');
    fc.assert(
      fc.property(fc.string({ maxLength: 500, unit: 'grapheme' }), (text) => {
        const title = titleFrom(text);
        expect(Array.from(title).length).toBeLessThanOrEqual(80);
        expect(title).not.toMatch(/[\r\n]/);
      }),
    );
  });
});
