import { createHmac } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';

export type LinkAction = 'acknowledge' | 'resolve';

export interface ActionClaims {
  pageId: string;
  action: LinkAction;
  userId: string;
  expiresAt: number;
}

export type VerifyResult =
  | { ok: true; claims: ActionClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Default lifetime of a link in a message: long enough for a night, short enough to be safe. */
export const ACTION_LINK_TTL_MS = 24 * 60 * 60_000;

const VERSION = 'v1';

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest('base64url');
}

/** A URL-safe token `v1.<claims>.<hmac>` that lets its holder act on one page as one user. */
export function signActionLink(claims: ActionClaims, secret: string): string {
  const body = Buffer.from(
    JSON.stringify([
      claims.pageId,
      claims.action === 'acknowledge' ? 'a' : 'r',
      claims.userId,
      claims.expiresAt,
    ]),
  ).toString('base64url');
  return `${VERSION}.${body}.${mac(secret, body)}`;
}

export function verifyActionLink(token: string, secret: string, now: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [, body, sig] = parts as [string, string, string];
  if (!safeEqual(sig, mac(secret, body))) return { ok: false, reason: 'bad_signature' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    !Array.isArray(raw) ||
    raw.length !== 4 ||
    typeof raw[0] !== 'string' ||
    (raw[1] !== 'a' && raw[1] !== 'r') ||
    typeof raw[2] !== 'string' ||
    typeof raw[3] !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const claims: ActionClaims = {
    pageId: raw[0],
    action: raw[1] === 'a' ? 'acknowledge' : 'resolve',
    userId: raw[2],
    expiresAt: raw[3],
  };
  if (now >= claims.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
