import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_RETRY_POLICY, decideRetry } from './retry-policy.js';

describe('decideRetry', () => {
  it('backs off 5 s, 10 s, 20 s … and honours a longer Retry-After', () => {
    expect(decideRetry({ status: 'retryable_error' }, 1, 0)).toEqual({ kind: 'retry', at: 5_000 });
    expect(decideRetry({ status: 'retryable_error' }, 3, 0)).toEqual({ kind: 'retry', at: 20_000 });
    expect(decideRetry({ status: 'retryable_error', retryAfterMs: 600_000 }, 1, 0)).toEqual({
      kind: 'retry',
      at: 600_000,
    });
    expect(decideRetry({ status: 'retryable_error' }, 8, 0)).toEqual({
      kind: 'give_up',
      reason: 'attempts_exhausted',
    });
    expect(decideRetry({ status: 'permanent_error' }, 1, 0)).toEqual({
      kind: 'give_up',
      reason: 'permanent',
    });
    expect(decideRetry({ status: 'delivered' }, 1, 0)).toEqual({ kind: 'done' });
  });

  it('always ends, with non-decreasing delays within the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (now) => {
        let last = 0;
        let attempt = 1;
        for (;;) {
          const d = decideRetry({ status: 'retryable_error' }, attempt, now);
          if (d.kind !== 'retry') break;
          const delay = d.at - now;
          expect(delay).toBeGreaterThanOrEqual(last);
          expect(delay).toBeLessThanOrEqual(PAGE_RETRY_POLICY.maxDelayMs);
          last = delay;
          attempt++;
        }
        expect(attempt).toBe(PAGE_RETRY_POLICY.maxAttempts);
      }),
    );
  });
});
