import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CalendarSetting,
  type CategoryNode,
  subtreeOf,
  toCalendarForm,
  toCalendarSetting,
  toPolicyBody,
  toTree,
} from '../web/src/pages/tickets/admin/ticketAdminModel.js';
import type { Category } from '../web/src/pages/tickets/ticketTypes.js';

// A forest of categories: each one's parent is an earlier one (or none).
const categories = fc.integer({ min: 0, max: 30 }).chain((n) =>
  fc
    .tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          parent: i === 0 ? fc.constant(null) : fc.option(fc.integer({ min: 0, max: i - 1 })),
          active: fc.boolean(),
        }),
      ),
    )
    .map((rows): Category[] =>
      rows.map((r, i) => ({
        id: `c${i}`,
        name: `n${i}`,
        parentId: r.parent === null ? null : `c${r.parent}`,
        active: r.active,
      })),
    ),
);

function flatten(nodes: CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
}

describe('the ticket administration model', () => {
  it('puts every category once in the tree, under its parent', () => {
    fc.assert(
      fc.property(categories, (items) => {
        const all = flatten(toTree(items));
        expect(all.map((c) => c.id).sort()).toEqual(items.map((c) => c.id).sort());
        for (const node of all)
          for (const child of node.children ?? []) expect(child.parentId).toBe(node.id);
      }),
    );
  });

  it('refuses a move under the category itself or any of its descendants, nowhere else', () => {
    fc.assert(
      fc.property(
        categories.filter((c) => c.length > 0),
        fc.nat(),
        (items, pick) => {
          const id = items[pick % items.length]!.id;
          const sub = subtreeOf(id, items);
          const byId = new Map(items.map((c) => [c.id, c]));
          for (const c of items) {
            let under = false;
            for (let cur: Category | undefined = c; cur; cur = byId.get(cur.parentId ?? ''))
              if (cur.id === id) under = true;
            expect(sub.has(c.id), c.id).toBe(under);
          }
        },
      ),
    );
  });

  it('reads back a stored working-hours calendar as the same setting', () => {
    const setting: CalendarSetting = {
      calendar: {
        kind: 'hours',
        zone: 'Asia/Shanghai',
        weekly: { mon: ['09:00-12:00', '13:30-18:00'], sat: ['10:00-12:00'] },
        holidays: ['2026-10-01', '2026-10-02'],
        workdays: [{ date: '2026-09-27', as: 4 }, { date: '2026-10-10' }],
      },
      holidays: 'cn-2026',
    };
    expect(toCalendarSetting(toCalendarForm(setting, 'UTC'))).toEqual(setting);
    expect(toCalendarForm(undefined, 'Europe/Paris')).toMatchObject({
      kind: '24x7',
      zone: 'Europe/Paris',
      cn2026: false,
    });
  });

  it('leaves empty match fields and targets out of an SLA policy body', () => {
    const body = toPolicyBody(
      {
        name: 'P1 faults',
        match: { type: 'fault', priority: undefined, customerId: '  ' },
        targets: { firstResponse: 15, resolution: undefined },
        warnAtPercent: 80,
        escalateOnBreach: true,
        calendarTeamId: null,
      },
      true,
    );
    expect(body).toEqual({
      name: 'P1 faults',
      match: { type: 'fault' },
      targets: { firstResponse: 15 },
      warnAtPercent: 80,
      escalateOnBreach: true,
      calendarTeamId: null,
      pauseStatuses: null,
      active: true,
    });
    // Paused statuses go as chosen: none chosen is "never pause", not the default.
    const v = { name: 'x', match: {}, targets: { resolution: 60 }, warnAtPercent: 80 };
    const base = { ...v, escalateOnBreach: true, calendarTeamId: null };
    expect(toPolicyBody({ ...base, pauseStatuses: [] }, true).pauseStatuses).toEqual([]);
    expect(
      toPolicyBody({ ...base, pauseStatuses: ['pending_third_party'] }, false).pauseStatuses,
    ).toEqual(['pending_third_party']);
  });
});
