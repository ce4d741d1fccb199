import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { DomainError, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import {
  type Permission,
  type Role,
  isPermission,
  isRole,
  rolesAllow,
} from '../../server/permissions.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { dummyHash, verifyPassword } from './password.js';
import type { ApiToken } from './users.schema.js';
import * as store from './users.store.js';

/** Who is calling: resolved from a session cookie or an API token on every request. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
  /** For API tokens: the permissions the token was limited to. */
  scopes?: Permission[];
}

export interface AuthDeps {
  db: Kysely<DB>;
  clock: Clock;
  sessionTtlMs: number;
}

/** Sign-in limits: failures within a window, per account and per client address. */
export const SIGN_IN_LIMITS = { windowMs: 15 * 60_000, perAccount: 5, perIp: 20 } as const;
const TOKEN_PREFIX = 'ddt_';

export function createAuthService({ db, clock, sessionTtlMs }: AuthDeps) {
  async function principalFor(userId: string): Promise<Omit<Principal, 'via'> | null> {
    const user = await store.findUserById(db, userId);
    if (!user || user.disabled === 1) return null;
    const roles = ((await store.rolesByUser(db, [userId])).get(userId) ?? []).filter(isRole);
    return { userId, username: user.username, displayName: user.display_name, roles };
  }

  async function rateLimitCheck(username: string, ip: string): Promise<void> {
    const now = clock.now();
    const since = now - SIGN_IN_LIMITS.windowMs;
    const [account, addr] = await Promise.all([
      store.countFailedLogins(db, { username }, since),
      store.countFailedLogins(db, { ip }, since),
    ]);
    const over = (c: { count: number; oldest: number | null }, limit: number) =>
      c.count >= limit && c.oldest !== null;
    if (over(account, SIGN_IN_LIMITS.perAccount) || over(addr, SIGN_IN_LIMITS.perIp)) {
      const oldest = Math.min(account.oldest ?? Infinity, addr.oldest ?? Infinity);
      const seconds = Math.max(1, Math.ceil((oldest + SIGN_IN_LIMITS.windowMs - now) / 1000));
      throw new DomainError('rate_limited', 'rate_limited', 'errors.rateLimited', { seconds });
    }
  }

  async function signIn(
    username: string,
    password: string,
    client: { ip: string; userAgent: string | null },
  ) {
    await rateLimitCheck(username, client.ip);
    const user = await store.findUserByUsername(db, username);
    const ok = user
      ? await verifyPassword(user.password_hash, password)
      : (await verifyPassword(await dummyHash(), password), false);
    const now = clock.now();
    if (!ok || !user || user.disabled === 1) {
      await store.recordLoginAttempt(db, username, client.ip, now, false);
      // One message for unknown user, wrong password and disabled account: no enumeration.
      throw new DomainError(
        'unauthorized',
        'bad_credentials',
        'users.errors.badCredentials',
        {},
        'password',
      );
    }
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    await db.transaction().execute(async (trx) => {
      await store.recordLoginAttempt(trx, username, client.ip, now, true);
      await store.insertSession(trx, {
        id: sha256(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: now + sessionTtlMs,
        last_seen_at: now,
        ip: client.ip,
        user_agent: client.userAgent?.slice(0, 300) ?? null,
      });
      await recordAudit(
        trx,
        { userId: user.id, name: user.username, ip: client.ip, requestId: null },
        now,
        {
          action: 'session.sign_in',
          entityType: 'user',
          entityId: user.id,
        },
      );
    });
    return { token, csrfToken, userId: user.id };
  }

  /** Resolve a session cookie; slides the expiry forward on use. */
  async function authenticateSession(token: string): Promise<Principal | null> {
    const session = await store.findSession(db, sha256(token));
    const now = clock.now();
    if (!session || session.expires_at <= now) return null;
    const p = await principalFor(session.user_id);
    if (!p) return null;
    // Sliding expiry, written at most once a minute so reads do not become writes.
    if (now - session.last_seen_at > 60_000)
      await store.touchSession(db, session.id, now, now + sessionTtlMs);
    return { ...p, via: 'session', sessionId: session.id, csrfToken: session.csrf_token };
  }

  async function signOut(actor: Actor, sessionId: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await store.deleteSession(trx, sessionId);
      await recordAudit(trx, actor, clock.now(), {
        action: 'session.sign_out',
        entityType: 'user',
        entityId: actor.userId,
      });
    });
  }

  async function authenticateToken(secret: string): Promise<Principal | null> {
    if (!secret.startsWith(TOKEN_PREFIX)) return null;
    const row = await store.findApiTokenByHash(db, sha256(secret));
    const now = clock.now();
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now))
      return null;
    const p = await principalFor(row.user_id);
    if (!p) return null;
    if (row.last_used_at === null || now - row.last_used_at > 60_000)
      await store.markApiTokenUsed(db, row.id, now);
    const scopes = (JSON.parse(row.scopes) as string[]).filter(isPermission);
    return { ...p, via: 'token', scopes };
  }

  function presentToken(row: DB['api_token']): ApiToken {
    return {
      id: row.id,
      name: row.name,
      scopes: JSON.parse(row.scopes) as string[],
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
  }

  async function createApiToken(
    actor: Actor,
    principal: Principal,
    input: { name: string; scopes: string[]; expiresInDays?: number | undefined },
  ) {
    const scopes = [...new Set(input.scopes)];
    scopes.forEach((s, i) => {
      if (!isPermission(s)) throw invalid(`scopes.${i}`, 'users.errors.unknownScope', { scope: s });
      // A token can never do more than its owner.
      if (!rolesAllow(principal.roles, s))
        throw invalid(`scopes.${i}`, 'users.errors.scopeNotHeld', { scope: s });
    });
    const secret = TOKEN_PREFIX + randomToken(32);
    const now = clock.now();
    const row: DB['api_token'] = {
      id: newId(),
      user_id: principal.userId,
      name: input.name,
      token_hash: sha256(secret),
      scopes: JSON.stringify(scopes),
      created_at: now,
      last_used_at: null,
      expires_at: input.expiresInDays ? now + input.expiresInDays * 86_400_000 : null,
      revoked_at: null,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertApiToken(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'api_token.create',
        entityType: 'api_token',
        entityId: row.id,
        after: presentToken(row),
      });
    });
    return { token: presentToken(row), secret };
  }

  async function listApiTokens(userId: string): Promise<ApiToken[]> {
    return (await store.listApiTokens(db, userId)).map(presentToken);
  }

  async function revokeApiToken(actor: Actor, userId: string, id: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await store.findApiToken(trx, id);
      if (!row || row.user_id !== userId) throw notFound('api_token', id);
      const now = clock.now();
      await store.revokeApiToken(trx, id, now);
      await recordAudit(trx, actor, now, {
        action: 'api_token.revoke',
        entityType: 'api_token',
        entityId: id,
      });
    });
  }

  /** Housekeeping: expired sessions and old sign-in attempts. */
  async function purgeExpired(): Promise<void> {
    const now = clock.now();
    await store.deleteExpiredSessions(db, now);
    await store.deleteLoginAttemptsBefore(db, now - 7 * 86_400_000);
  }

  return {
    signIn,
    signOut,
    authenticateSession,
    authenticateToken,
    createApiToken,
    listApiTokens,
    revokeApiToken,
    purgeExpired,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
