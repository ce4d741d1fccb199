import { conflict, invalid } from '../../lib/errors.js';
import type { TicketStatus } from './ticket-state.js';

/**
 * Whether ticket B (source) may be merged into ticket A (target). Pure: the merge use case loads
 * both tickets and calls `checkMerge` inside its transaction.
 *
 * Decisions: a ticket is never merged into itself; nothing is merged into a closed or merged
 * ticket (the work continues on the target, which must still be workable); a merged ticket is not
 * merged again; two tickets of different requesters merge only with `acrossRequesters: true`
 * (the agent confirms it is the same problem; the source's requester is told and loses nothing:
 * their ticket stays readable, closed as merged).
 */

export interface MergeSide {
  id: string;
  number: string;
  status: TicketStatus;
  requesterId: string | null;
  /** The normalised caller contact (phone tickets), when there is no requester account. */
  callerKey: string | null;
}

/** Statuses a ticket may not receive a merge in. */
export const MERGE_TARGET_FINAL: readonly TicketStatus[] = ['closed', 'merged'];

/** Who reported a ticket: the requester account, else the caller's contact, else nobody known. */
export function requesterIdentity(t: Pick<MergeSide, 'requesterId' | 'callerKey'>): string | null {
  if (t.requesterId) return `user:${t.requesterId}`;
  if (t.callerKey) return `caller:${t.callerKey}`;
  return null;
}

/**
 * Same requester when both identities are equal, or when either ticket has none (an API ticket
 * without requester or caller has nobody to tell or to mix up).
 */
export function sameRequester(
  a: Pick<MergeSide, 'requesterId' | 'callerKey'>,
  b: Pick<MergeSide, 'requesterId' | 'callerKey'>,
): boolean {
  const x = requesterIdentity(a);
  const y = requesterIdentity(b);
  return x === null || y === null || x === y;
}

/** Throws the refusal naming its field, or returns whether the requesters differ. */
export function checkMerge(
  target: MergeSide,
  source: MergeSide,
  opts: { acrossRequesters: boolean },
): { acrossRequesters: boolean } {
  if (target.id === source.id) throw invalid('fromTicketId', 'tickets.errors.mergeSelf');
  if (MERGE_TARGET_FINAL.includes(target.status))
    throw conflict(
      'merge_target_final',
      'tickets.errors.mergeTargetFinal',
      { status: target.status, field: 'id' },
      'id',
    );
  if (source.status === 'merged')
    throw conflict(
      'merge_source_merged',
      'tickets.errors.mergeSourceMerged',
      { number: source.number, field: 'fromTicketId' },
      'fromTicketId',
    );
  const across = !sameRequester(target, source);
  if (across && !opts.acrossRequesters)
    throw conflict(
      'merge_across_requesters',
      'tickets.errors.mergeAcross',
      {
        field: 'acrossRequesters',
        from: requesterIdentity(source) ?? '-',
        to: requesterIdentity(target) ?? '-',
      },
      'acrossRequesters',
    );
  return { acrossRequesters: across };
}
