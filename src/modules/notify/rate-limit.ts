/** A provider's per-target sending limit and what it does when exceeded. */
export interface RateLimitPolicy {
  limit: number;
  windowMs: number;
  /** How long the provider blocks a target that went over (DingTalk: 10 minutes). */
  penaltyMs: number;
}

export const RATE_LIMITS = {
  dingtalk: { limit: 20, windowMs: 60_000, penaltyMs: 10 * 60_000 },
  wecom: { limit: 20, windowMs: 60_000, penaltyMs: 60_000 },
  feishu: { limit: 100, windowMs: 60_000, penaltyMs: 60_000 },
  slack: { limit: 60, windowMs: 60_000, penaltyMs: 60_000 },
} as const satisfies Record<string, RateLimitPolicy>;

/** Stored per target (robot URL): recent sends and any throttle the provider imposed. */
export interface RateState {
  sent: number[];
  throttledUntil: number | null;
}

export const EMPTY_RATE_STATE: RateState = { sent: [], throttledUntil: null };

export type RateDecision =
  { decision: 'send'; state: RateState } | { decision: 'hold'; until: number; state: RateState };

/**
 * Whether a message to this target may go now. We stay under the limit ourselves so that the
 * provider's penalty never starts; a held message waits for a digest sent at `until`.
 */
export function decideSend(state: RateState, now: number, policy: RateLimitPolicy): RateDecision {
  const sent = state.sent.filter((t) => t <= now && now - t < policy.windowMs);
  const throttledUntil =
    state.throttledUntil !== null && state.throttledUntil > now ? state.throttledUntil : null;
  if (throttledUntil !== null)
    return { decision: 'hold', until: throttledUntil, state: { sent, throttledUntil } };
  if (sent.length < policy.limit)
    return { decision: 'send', state: { sent: [...sent, now], throttledUntil: null } };
  // The slot that frees first is the oldest send's.
  const until = sent[sent.length - policy.limit]! + policy.windowMs;
  return { decision: 'hold', until, state: { sent, throttledUntil: null } };
}

/** The provider said "too fast" anyway (another sender shares the robot): respect its penalty. */
export function markThrottled(
  state: RateState,
  now: number,
  policy: RateLimitPolicy,
  retryAfterMs?: number,
): RateState {
  return { sent: state.sent, throttledUntil: now + (retryAfterMs ?? policy.penaltyMs) };
}
