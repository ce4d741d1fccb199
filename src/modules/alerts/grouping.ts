/** An unresolved page of the service, as grouping needs to see it. */
export interface GroupablePage {
  id: string;
  openedAt: number;
  status: 'triggered' | 'acknowledged';
}

export type GroupingDecision = { kind: 'join'; pageId: string } | { kind: 'open' };

/**
 * A new alert joins the service's most recently opened unresolved page if that page was
 * opened less than `windowMs` ago; otherwise it opens a page of its own. A window of 0
 * turns grouping off. Joining an acknowledged page does not page again: the responder is
 * already on it.
 */
export function decideGrouping(
  pages: readonly GroupablePage[],
  at: number,
  windowMs: number,
): GroupingDecision {
  if (windowMs <= 0) return { kind: 'open' };
  let best: GroupablePage | undefined;
  for (const p of pages) {
    if (p.openedAt > at) continue;
    if (at - p.openedAt >= windowMs) continue;
    if (
      best === undefined ||
      p.openedAt > best.openedAt ||
      (p.openedAt === best.openedAt && p.id > best.id)
    ) {
      best = p;
    }
  }
  return best === undefined ? { kind: 'open' } : { kind: 'join', pageId: best.id };
}

/**
 * Auto-resolve: a page resolves itself when the last of its alerts is resolved by its source.
 * A page someone resolved by hand stays resolved even if alerts remain open.
 */
export function pageResolvesWith(
  alertStatuses: ReadonlyArray<'triggered' | 'acknowledged' | 'resolved'>,
): boolean {
  return alertStatuses.length > 0 && alertStatuses.every((s) => s === 'resolved');
}
