/**
 * Choosing who gets a ticket among the people on duty on the right post now (the roster module
 * answers who they are). Deterministic: the same inputs always pick the same person, so a retried
 * job assigns the same way.
 */

export interface DispatchCandidate {
  readonly userId: string;
  /** Open tickets currently assigned to this person. */
  readonly openCount: number;
  /** When this person was last given a ticket (epoch ms), if ever. */
  readonly lastAssignedAt?: number | null;
}

export type DispatchStrategy =
  | { readonly kind: 'round_robin'; readonly lastAssignedId: string | null }
  | { readonly kind: 'least_loaded' };

const byId = (a: DispatchCandidate, b: DispatchCandidate) =>
  a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;

/**
 * Round robin walks user ids in sorted order, starting after the last one assigned (which may no
 * longer be on duty: the next id after it still follows). Least loaded takes the fewest open
 * tickets; ties go to whoever was assigned longest ago (never assigned first), then by id.
 * Returns null when nobody is on duty: the ticket stays in the group's queue.
 */
export function chooseAssignee(
  candidates: readonly DispatchCandidate[],
  strategy: DispatchStrategy,
): string | null {
  if (candidates.length === 0) return null;
  const sorted = [...candidates].sort(byId);
  switch (strategy.kind) {
    case 'round_robin': {
      const last = strategy.lastAssignedId;
      const next = last === null ? undefined : sorted.find((c) => c.userId > last);
      return (next ?? sorted[0]!).userId;
    }
    case 'least_loaded': {
      let best = sorted[0]!;
      for (const c of sorted.slice(1)) {
        const lastC = c.lastAssignedAt ?? -Infinity;
        const lastB = best.lastAssignedAt ?? -Infinity;
        if (c.openCount < best.openCount || (c.openCount === best.openCount && lastC < lastB))
          best = c;
      }
      return best.userId;
    }
    default: {
      const never: never = strategy;
      throw new Error(`unknown dispatch strategy ${JSON.stringify(never)}`);
    }
  }
}
