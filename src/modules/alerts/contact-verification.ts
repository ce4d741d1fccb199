import { createHmac, randomInt } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';

/** What is stored while a contact method waits for its code; the code itself is not stored. */
export interface PendingVerification {
  contactMethodId: string;
  codeHash: string;
  expiresAt: number;
  attempts: number;
}

export const VERIFICATION_TTL_MS = 15 * 60_000;
export const VERIFICATION_MAX_ATTEMPTS = 5;

function hashCode(secret: string, contactMethodId: string, code: string): string {
  // Keyed by the method id so a code for one method is useless for another.
  return createHmac('sha256', secret).update(`${contactMethodId}:${code}`).digest('hex');
}

/** A fresh 6-digit code to send through the method, and what to store for it. */
export function startVerification(
  contactMethodId: string,
  secret: string,
  now: number,
  nextCode: () => string = () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
): { code: string; pending: PendingVerification } {
  const code = nextCode();
  return {
    code,
    pending: {
      contactMethodId,
      codeHash: hashCode(secret, contactMethodId, code),
      expiresAt: now + VERIFICATION_TTL_MS,
      attempts: 0,
    },
  };
}

export type VerificationResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'expired' | 'too_many_attempts' | 'wrong_code';
      pending: PendingVerification;
    };

/** Checks a code typed by the person; a few wrong tries and the code is spent. */
export function checkVerification(
  pending: PendingVerification,
  code: string,
  secret: string,
  now: number,
): VerificationResult {
  if (now >= pending.expiresAt) return { ok: false, reason: 'expired', pending };
  if (pending.attempts >= VERIFICATION_MAX_ATTEMPTS)
    return { ok: false, reason: 'too_many_attempts', pending };
  if (safeEqual(hashCode(secret, pending.contactMethodId, code.trim()), pending.codeHash))
    return { ok: true };
  return {
    ok: false,
    reason: 'wrong_code',
    pending: { ...pending, attempts: pending.attempts + 1 },
  };
}
