export interface FlapSettings {
  /** State changes (trigger↔resolve) within `windowMs` that make a key flapping. */
  maxChanges: number;
  windowMs: number;
  /** A flapping key is stable again after this long without a state change. */
  stableMs: number;
}

export const DEFAULT_FLAP_SETTINGS: FlapSettings = {
  maxChanges: 5,
  windowMs: 10 * 60_000,
  stableMs: 15 * 60_000,
};

/** What is stored per dedup key between events. */
export interface FlapState {
  /** Instants of recent state changes, oldest first, none older than the window. */
  changes: number[];
  flappingSince: number | null;
}

export const EMPTY_FLAP_STATE: FlapState = { changes: [], flappingSince: null };

/**
 * Records a state change of a key at `at` and says whether paging is suppressed. Once
 * flapping, the key stays suppressed until it has been quiet for `stableMs`.
 */
export function recordStateChange(
  state: FlapState,
  at: number,
  settings: FlapSettings,
): { state: FlapState; flapping: boolean; startedFlapping: boolean } {
  const quietFor =
    state.changes.length === 0 ? Infinity : at - state.changes[state.changes.length - 1]!;
  const wasFlapping = state.flappingSince !== null && quietFor < settings.stableMs;
  const changes = [...state.changes.filter((t) => at - t < settings.windowMs && t <= at), at];
  const flapping = wasFlapping || changes.length >= settings.maxChanges;
  return {
    state: { changes, flappingSince: flapping ? (wasFlapping ? state.flappingSince : at) : null },
    flapping,
    startedFlapping: flapping && !wasFlapping,
  };
}

/** Whether a key is still suppressed at `at` without a new change (for a stabilisation timer). */
export function isFlapping(state: FlapState, at: number, settings: FlapSettings): boolean {
  if (state.flappingSince === null || state.changes.length === 0) return false;
  return at - state.changes[state.changes.length - 1]! < settings.stableMs;
}
