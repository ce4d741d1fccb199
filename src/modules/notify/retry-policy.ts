import type { DeliveryOutcome } from './channel.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Pages are urgent: retry quickly and often, but stop within about half an hour. */
export const PAGE_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5_000,
  maxDelayMs: 5 * 60_000,
};

export type RetryDecision =
  | { kind: 'done' }
  | { kind: 'retry'; at: number }
  | { kind: 'give_up'; reason: 'permanent' | 'attempts_exhausted' };

/**
 * After attempt number `attempt` (1-based) ended with `outcome`: stop, or try again at a time
 * that doubles each attempt, never sooner than the provider asked (Retry-After, throttles).
 */
export function decideRetry(
  outcome: DeliveryOutcome,
  attempt: number,
  now: number,
  policy: RetryPolicy = PAGE_RETRY_POLICY,
): RetryDecision {
  switch (outcome.status) {
    case 'delivered':
      return { kind: 'done' };
    case 'permanent_error':
      return { kind: 'give_up', reason: 'permanent' };
    case 'retryable_error': {
      if (attempt >= policy.maxAttempts) return { kind: 'give_up', reason: 'attempts_exhausted' };
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      return { kind: 'retry', at: now + Math.max(backoff, outcome.retryAfterMs ?? 0) };
    }
  }
}
