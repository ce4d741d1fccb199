import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type Locale, t } from '../../i18n/i18n.js';
import { type JobHandler, enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { DomainError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Mailer } from '../../server/mailer.js';
import { recordAudit } from '../audit/audit.service.js';
import * as store from './users.store.js';

/**
 * Sign-in by a link mailed to a requester (ADR 0006). `request` answers the same whether or
 * not the address belongs to anyone; a durable job makes the token, stores its SHA-256 and
 * mails the link; `consume` accepts a token once, before it expires, and opens a session.
 */
export const MAGIC_LINK_JOB = 'users.magic_link_mail';
export const MAGIC_LINK_LIMITS = {
  ttlMs: 15 * 60_000,
  windowMs: 15 * 60_000,
  perAddress: 3,
  perIp: 10,
} as const;

export interface MagicLinkDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  mailer: Mailer;
  publicUrl: string;
  sessionTtlMs: number;
}

/** The path of the portal page that consumes a link; the token travels in the fragment. */
export const MAGIC_LINK_PATH = '/portal/link';

export function createMagicLinkService(deps: MagicLinkDeps) {
  const { db, clock } = deps;

  async function findRequester(email: string) {
    const users = await db
      .selectFrom('user')
      .innerJoin('user_role', 'user_role.user_id', 'user.id')
      .select(['user.id', 'user.locale'])
      .where((eb) => eb.fn('lower', ['user.email']), '=', email)
      .where('user.disabled', '=', 0)
      .where('user_role.role', '=', 'requester')
      .execute();
    // An address shared by several accounts signs in none of them.
    return users.length === 1 ? users[0]! : null;
  }

  async function count(column: 'email' | 'ip', value: string, since: number) {
    const row = await db
      .selectFrom('magic_link')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.min('requested_at').as('oldest'),
      ])
      .where(column, '=', value)
      .where('requested_at', '>', since)
      .executeTakeFirstOrThrow();
    return { n: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
  }

  /** Ask for a link. Same answer for every address; limited per address and per client. */
  async function request(input: { email: string; ip: string; locale: Locale }): Promise<void> {
    const email = input.email.trim().toLowerCase();
    const now = clock.now();
    const since = now - MAGIC_LINK_LIMITS.windowMs;
    const [byAddress, byIp] = await Promise.all([
      count('email', email, since),
      count('ip', input.ip, since),
    ]);
    const over = [
      byAddress.n >= MAGIC_LINK_LIMITS.perAddress ? byAddress.oldest : null,
      byIp.n >= MAGIC_LINK_LIMITS.perIp ? byIp.oldest : null,
    ].filter((v): v is number => v !== null);
    if (over.length > 0) {
      const seconds = Math.max(
        1,
        Math.ceil((Math.min(...over) + MAGIC_LINK_LIMITS.windowMs - now) / 1000),
      );
      throw new DomainError('rate_limited', 'rate_limited', 'errors.rateLimited', { seconds });
    }
    const user = await findRequester(email);
    await db.transaction().execute(async (trx) => {
      const id = newId();
      await trx
        .insertInto('magic_link')
        .values({
          id,
          email,
          ip: input.ip,
          user_id: user?.id ?? null,
          locale: user?.locale === 'en' ? 'en' : user ? 'zh' : input.locale,
          requested_at: now,
          expires_at: now + MAGIC_LINK_LIMITS.ttlMs,
          token_hash: null,
          mailed_at: null,
          used_at: null,
        })
        .execute();
      if (user) {
        await enqueueJob(trx, deps.dialect, clock, {
          kind: MAGIC_LINK_JOB,
          payload: { linkId: id },
          idempotencyKey: `${MAGIC_LINK_JOB}:${id}`,
          maxAttempts: 5,
        });
      }
    });
  }

  /** The mail job: a fresh token each try (a retried send invalidates the previous one). */
  const mailJob: JobHandler<{ linkId: string }> = {
    kind: MAGIC_LINK_JOB,
    maxAttempts: 5,
    async run({ linkId }, ctx) {
      const row = await db
        .selectFrom('magic_link')
        .selectAll()
        .where('id', '=', linkId)
        .executeTakeFirst();
      const now = clock.now();
      if (!row || !row.user_id || row.mailed_at !== null || row.used_at !== null) return;
      if (Number(row.expires_at) <= now) return;
      const user = await store.findUserById(db, row.user_id);
      if (!user?.email || !deps.mailer.enabled) {
        ctx.log.info(
          { linkId, reason: user?.email ? 'mail off' : 'no address' },
          'link not mailed',
        );
        return;
      }
      const token = randomToken(32);
      await db
        .updateTable('magic_link')
        .set({ token_hash: sha256(token) })
        .where('id', '=', linkId)
        .execute();
      const locale: Locale = row.locale === 'en' ? 'en' : 'zh';
      const link = `${deps.publicUrl}${MAGIC_LINK_PATH}#token=${token}`;
      await deps.mailer.send({
        to: user.email,
        subject: t(locale, 'magicLink.mail.subject'),
        text: t(locale, 'magicLink.mail.body', { name: user.display_name, link, minutes: 15 }),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      await db
        .updateTable('magic_link')
        .set({ mailed_at: clock.now() })
        .where('id', '=', linkId)
        .execute();
    },
  };

  /** Use a link once: a session for its requester, or one refusal for any bad token. */
  async function consume(token: string, client: { ip: string; userAgent: string | null }) {
    const now = clock.now();
    const refuse = () =>
      new DomainError('unauthorized', 'bad_link', 'magicLink.errors.badLink', {}, 'token');
    const row = await db
      .selectFrom('magic_link')
      .selectAll()
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || !row.user_id || row.used_at !== null || Number(row.expires_at) <= now)
      throw refuse();
    const user = await store.findUserById(db, row.user_id);
    if (!user || user.disabled === 1) throw refuse();
    const sessionToken = randomToken(32);
    const csrfToken = randomToken(24);
    await db.transaction().execute(async (trx) => {
      // Single use even under a race: only the first update finds the row unused.
      const used = await trx
        .updateTable('magic_link')
        .set({ used_at: now })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw refuse();
      await store.insertSession(trx, {
        id: sha256(sessionToken),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: now + deps.sessionTtlMs,
        last_seen_at: now,
        ip: client.ip,
        user_agent: client.userAgent?.slice(0, 300) ?? null,
      });
      await recordAudit(
        trx,
        { userId: user.id, name: user.username, ip: client.ip, requestId: null },
        now,
        { action: 'session.sign_in_link', entityType: 'user', entityId: user.id },
      );
    });
    return { token: sessionToken, csrfToken, userId: user.id };
  }

  /** Housekeeping: request rows are only needed for the limits and for the link's lifetime. */
  async function purgeOld(): Promise<number> {
    const before = clock.now() - 24 * 3_600_000;
    const r = await db
      .deleteFrom('magic_link')
      .where('requested_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  return { request, consume, mailJob, purgeOld };
}

export type MagicLinkService = ReturnType<typeof createMagicLinkService>;
