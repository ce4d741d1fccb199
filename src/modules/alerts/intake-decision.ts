import { decideDedup, type DedupDecision, type OpenAlert } from './dedup.js';
import { recordStateChange, type FlapSettings, type FlapState } from './flapping.js';
import { decideGrouping, type GroupablePage } from './grouping.js';
import type { NormalisedEvent } from './intake/common.js';
import { activeMaintenance, type MaintenanceWindow } from './maintenance.js';

export interface IntakeSituation {
  serviceId: string;
  event: NormalisedEvent;
  /** Receive time; grouping, flapping and maintenance are judged at this instant. */
  at: number;
  openAlert: OpenAlert | null;
  flapState: FlapState;
  flapSettings: FlapSettings;
  maintenance: readonly MaintenanceWindow[];
  openPages: readonly GroupablePage[];
  groupingWindowMs: number;
}

export type PagingDecision =
  | { kind: 'none' }
  | { kind: 'suppressed'; reason: 'maintenance' | 'flapping' }
  | { kind: 'join'; pageId: string }
  | { kind: 'open' };

export interface IntakeDecision {
  dedup: DedupDecision;
  flapState: FlapState;
  /** For a newly created alert: whether and where it pages. */
  paging: PagingDecision;
  /** The alert just began flapping (worth a timeline line). */
  startedFlapping: boolean;
}

/**
 * Everything the store must do for one normalised event, decided in one place: dedup first,
 * then (for a new alert) maintenance, flapping and grouping. Alerts are stored in every case.
 */
export function decideIntake(s: IntakeSituation): IntakeDecision {
  const dedup = decideDedup(s.openAlert, s.event.action);
  let flapState = s.flapState;
  let flapping = false;
  let startedFlapping = false;
  // Opening and closing are the state changes that count as flaps.
  if (dedup.kind === 'create' || dedup.kind === 'resolve') {
    const r = recordStateChange(s.flapState, s.at, s.flapSettings);
    flapState = r.state;
    flapping = r.flapping;
    startedFlapping = r.startedFlapping;
  }
  if (dedup.kind !== 'create')
    return { dedup, flapState, paging: { kind: 'none' }, startedFlapping };
  if (activeMaintenance(s.maintenance, s.serviceId, s.at) !== null) {
    return {
      dedup,
      flapState,
      paging: { kind: 'suppressed', reason: 'maintenance' },
      startedFlapping,
    };
  }
  if (flapping)
    return {
      dedup,
      flapState,
      paging: { kind: 'suppressed', reason: 'flapping' },
      startedFlapping,
    };
  const g = decideGrouping(s.openPages, s.at, s.groupingWindowMs);
  return { dedup, flapState, paging: g.kind === 'join' ? g : { kind: 'open' }, startedFlapping };
}
