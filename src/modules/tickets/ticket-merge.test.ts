import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../lib/errors.js';
import { type MergeSide, checkMerge, requesterIdentity, sameRequester } from './ticket-merge.js';
import { TICKET_STATUSES } from './ticket-state.js';

const side = fc.record({
  id: fc.constantFrom('a', 'b', 'c'),
  number: fc.constant('TK-20261206-0001'),
  status: fc.constantFrom(...TICKET_STATUSES),
  requesterId: fc.option(fc.constantFrom('r1', 'r2'), { nil: null }),
  callerKey: fc.option(fc.constantFrom('13800000000', 'x@y.z'), { nil: null }),
}) satisfies fc.Arbitrary<MergeSide>;

const refusal = (fn: () => unknown): { code: string; field?: string } | 'ok' => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    const err = e as DomainError;
    return { code: err.code, ...(err.field ? { field: err.field } : {}) };
  }
};

describe('merging tickets', () => {
  const open = (over: Partial<MergeSide>): MergeSide => ({
    id: 'a',
    number: 'TK-1',
    status: 'in_progress',
    requesterId: 'r1',
    callerKey: null,
    ...over,
  });

  it('refuses a ticket into itself, into a closed or merged one, and a merged source', () => {
    expect(refusal(() => checkMerge(open({}), open({}), { acrossRequesters: true }))).toEqual({
      code: 'validation_failed',
      field: 'fromTicketId',
    });
    for (const status of ['closed', 'merged'] as const)
      expect(
        refusal(() => checkMerge(open({ status }), open({ id: 'b' }), { acrossRequesters: true })),
      ).toEqual({ code: 'merge_target_final', field: 'id' });
    expect(
      refusal(() =>
        checkMerge(open({}), open({ id: 'b', status: 'merged' }), { acrossRequesters: true }),
      ),
    ).toEqual({ code: 'merge_source_merged', field: 'fromTicketId' });
  });

  it('asks for confirmation across requesters and merges with it', () => {
    const b = open({ id: 'b', requesterId: 'r2' });
    expect(refusal(() => checkMerge(open({}), b, { acrossRequesters: false }))).toEqual({
      code: 'merge_across_requesters',
      field: 'acrossRequesters',
    });
    expect(checkMerge(open({}), b, { acrossRequesters: true })).toEqual({
      acrossRequesters: true,
    });
    expect(checkMerge(open({}), open({ id: 'b' }), { acrossRequesters: false })).toEqual({
      acrossRequesters: false,
    });
  });

  it('treats a requester account before the caller contact, and nobody known as the same', () => {
    expect(requesterIdentity({ requesterId: 'r1', callerKey: 'k' })).toBe('user:r1');
    expect(requesterIdentity({ requesterId: null, callerKey: 'k' })).toBe('caller:k');
    expect(
      sameRequester({ requesterId: null, callerKey: null }, { requesterId: 'r', callerKey: null }),
    ).toBe(true);
    expect(
      sameRequester({ requesterId: null, callerKey: 'k' }, { requesterId: 'r', callerKey: null }),
    ).toBe(false);
  });

  it('property: sameRequester is symmetric and reflexive', () => {
    fc.assert(
      fc.property(side, side, (a, b) => {
        expect(sameRequester(a, b)).toBe(sameRequester(b, a));
        expect(sameRequester(a, a)).toBe(true);
      }),
    );
  });

  it('property: a merge is allowed exactly when every rule holds', () => {
    fc.assert(
      fc.property(side, side, fc.boolean(), (target, source, across) => {
        const allowed =
          target.id !== source.id &&
          target.status !== 'closed' &&
          target.status !== 'merged' &&
          source.status !== 'merged' &&
          (across || sameRequester(target, source));
        const r = refusal(() => checkMerge(target, source, { acrossRequesters: across }));
        expect(r === 'ok').toBe(allowed);
        if (r !== 'ok') expect(r.field).toBeDefined();
      }),
    );
  });
});
