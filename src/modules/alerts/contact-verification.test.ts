import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  VERIFICATION_MAX_ATTEMPTS,
  VERIFICATION_TTL_MS,
  checkVerification,
  startVerification,
} from './contact-verification.js';

const T = Date.UTC(2024, 4, 1);
describe('contact method verification', () => {
  it('accepts the sent code before expiry and never stores it in clear', () => {
    const { code, pending } = startVerification('cm1', 'k', T);
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(pending)).not.toContain(code);
    expect(checkVerification(pending, code, 'k', T + 1000)).toEqual({ ok: true });
    expect(checkVerification(pending, code, 'k', T + VERIFICATION_TTL_MS)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(
      checkVerification(startVerification('cm2', 'k', T, () => code).pending, code, 'k', T),
    ).toEqual({ ok: true });
  });

  it('locks after too many wrong codes, even if the right one comes next', () => {
    const { code, pending } = startVerification('cm1', 'k', T, () => '123456');
    let p = pending;
    for (let i = 0; i < VERIFICATION_MAX_ATTEMPTS; i++) {
      const r = checkVerification(p, '000000', 'k', T);
      expect(r.ok).toBe(false);
      if (!r.ok) p = r.pending;
    }
    expect(checkVerification(p, code, 'k', T)).toMatchObject({
      ok: false,
      reason: 'too_many_attempts',
    });
  });

  it('refuses any other code and a code issued for another method', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^\d{6}$/), (sent, typed) => {
        const { pending } = startVerification('cm1', 'k', T, () => sent);
        expect(checkVerification(pending, typed, 'k', T).ok).toBe(sent === typed);
        expect(checkVerification({ ...pending, contactMethodId: 'cm9' }, sent, 'k', T).ok).toBe(
          false,
        );
      }),
    );
  });
});
