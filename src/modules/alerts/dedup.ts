import type { EventAction } from './intake/common.js';

/** The alert currently open for a dedup key on a service (none once resolved). */
export interface OpenAlert {
  id: string;
  status: 'triggered' | 'acknowledged';
  count: number;
}

export type DedupDecision =
  | { kind: 'create' }
  | { kind: 'increment'; alertId: string; count: number }
  | { kind: 'acknowledge'; alertId: string }
  | { kind: 'resolve'; alertId: string }
  | { kind: 'ignore'; reason: 'no_open_alert' | 'already_acknowledged' };

/**
 * What an incoming event does to the alert open under its key. A repeated trigger only counts
 * (it never pages again); acknowledge and resolve act only on an open alert.
 */
export function decideDedup(open: OpenAlert | null, action: EventAction): DedupDecision {
  switch (action) {
    case 'trigger':
      return open === null
        ? { kind: 'create' }
        : { kind: 'increment', alertId: open.id, count: open.count + 1 };
    case 'acknowledge':
      if (open === null) return { kind: 'ignore', reason: 'no_open_alert' };
      if (open.status === 'acknowledged') return { kind: 'ignore', reason: 'already_acknowledged' };
      return { kind: 'acknowledge', alertId: open.id };
    case 'resolve':
      return open === null
        ? { kind: 'ignore', reason: 'no_open_alert' }
        : { kind: 'resolve', alertId: open.id };
  }
}
