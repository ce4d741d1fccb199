import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { enqueueJob, type JobContext, type JobHandler } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { sha256 } from '../../lib/crypto.js';
import { newId } from '../../lib/ids.js';
import type { ChannelTarget, DeliveryOutcome, NotificationMessage } from './channel.js';
import { type createChannels, deliver } from './channel-registry.js';
import { buildDigest } from './digest.js';
import * as store from './digest-queue.store.js';
import { decideSend, markThrottled, RATE_LIMITS, type RateLimitPolicy } from './rate-limit.js';
import type { SsrfPolicy } from './ssrf.js';

/**
 * Channel rate limits with persisted digests. Robots (DingTalk, WeCom, Feishu, Slack) accept a
 * few messages a minute per robot URL; a message over that limit is held in `notify_held` in
 * the transaction that records the send attempt, and a durable job sends one digest for the
 * target when the window opens again. Claimed rows carry the digest id, so a digest is sent
 * once even with several workers; held rows and the job survive restarts.
 */
export const DIGEST_JOB = 'notify.digest';

export interface LimitedTarget {
  key: string;
  policy: RateLimitPolicy;
}

/** The rate limit that applies to a target, keyed by the robot URL's hash; null when none. */
export function limitedTarget(target: ChannelTarget): LimitedTarget | null {
  switch (target.kind) {
    case 'dingtalk':
    case 'wecom':
    case 'feishu':
    case 'slack':
      return { key: sha256(target.webhookUrl), policy: RATE_LIMITS[target.kind] };
    case 'email':
    case 'sms':
    case 'voice':
    case 'webhook':
    case 'webpush':
      return null;
  }
}

export type Admission = { kind: 'send' } | { kind: 'held'; heldId: string; releaseAt: number };

/**
 * Takes a sending slot for the target or holds the message for a digest. Call inside the
 * transaction that records the attempt: the held row and its digest job commit with it.
 */
export async function admit(
  trx: Kysely<DB>,
  dialect: DialectName,
  clock: Clock,
  target: ChannelTarget,
  message: NotificationMessage,
  ref: { pageId?: string; sendKey?: string },
): Promise<Admission> {
  const limited = limitedTarget(target);
  if (limited === null) return { kind: 'send' };
  const now = clock.now();
  const state = await store.lockRateState(trx, dialect, limited.key, now);
  const decision = decideSend(state, now, limited.policy);
  await store.saveRateState(trx, limited.key, decision.state, now);
  if (decision.decision === 'send') return { kind: 'send' };
  const heldId = newId();
  await store.insertHeld(trx, {
    id: heldId,
    targetKey: limited.key,
    target,
    message,
    pageId: ref.pageId ?? null,
    sendKey: ref.sendKey ?? null,
    heldAt: now,
    releaseAt: decision.until,
  });
  await enqueueDigest(trx, dialect, clock, limited.key, decision.until);
  return { kind: 'held', heldId, releaseAt: decision.until };
}

/** The provider throttled the target anyway (another sender shares the robot). */
export async function recordThrottle(
  trx: Kysely<DB>,
  dialect: DialectName,
  clock: Clock,
  target: ChannelTarget,
  outcome: DeliveryOutcome,
): Promise<void> {
  const limited = limitedTarget(target);
  if (limited === null) return;
  const now = clock.now();
  const state = await store.lockRateState(trx, dialect, limited.key, now);
  await store.saveRateState(
    trx,
    limited.key,
    markThrottled(state, now, limited.policy, outcome.retryAfterMs),
    now,
  );
}

function enqueueDigest(
  trx: Kysely<DB>,
  dialect: DialectName,
  clock: Clock,
  targetKey: string,
  at: number,
) {
  return enqueueJob(trx, dialect, clock, {
    kind: DIGEST_JOB,
    payload: { targetKey },
    runAt: at,
    idempotencyKey: `${DIGEST_JOB}:${targetKey}:${at}`,
    maxAttempts: 10,
  });
}

export interface DigestRow {
  id: string;
  pageId: string | null;
  sendKey: string | null;
}

export interface DigestQueueDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  channels: ReturnType<typeof createChannels>;
  ssrf: SsrfPolicy;
  timeoutMs?: number;
  /** Records the digest's outcome for the held messages it stands for (page timelines). */
  onDigest?: (
    trx: Kysely<DB>,
    digest: { id: string; rows: DigestRow[]; outcome: DeliveryOutcome; at: number },
  ) => Promise<void>;
}

/** The handler of DIGEST_JOB: one digest message for all messages held for one target. */
export function digestJobHandler(deps: DigestQueueDeps): JobHandler<{ targetKey: string }> {
  const { db, dialect, clock } = deps;
  return {
    kind: DIGEST_JOB,
    maxAttempts: 10,
    async run(payload: { targetKey: string }, ctx: JobContext) {
      const digestId = `digest:${ctx.job.id}`;
      // Claim: rows still held, plus rows this job claimed on an earlier try that died.
      const claimed = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const state = await store.lockRateState(trx, dialect, payload.targetKey, now);
        const pending = await store.heldForTarget(trx, payload.targetKey, digestId);
        if (pending.length === 0) return { kind: 'none' as const };
        const target = JSON.parse(pending[0]!.target_json) as ChannelTarget;
        const limited = limitedTarget(target)!;
        const decision = decideSend(state, now, limited.policy);
        if (decision.decision === 'hold') {
          // Another sender took the slot: try again when the next one frees.
          await enqueueDigest(trx, dialect, clock, payload.targetKey, decision.until);
          return { kind: 'later' as const };
        }
        await store.saveRateState(trx, payload.targetKey, decision.state, now);
        await store.claimHeld(
          trx,
          pending.map((r) => r.id),
          digestId,
        );
        return { kind: 'send' as const, target, rows: pending };
      });
      if (claimed.kind !== 'send') return;
      const messages = claimed.rows.map((r) => JSON.parse(r.message_json) as NotificationMessage);
      const digest = buildDigest(messages, digestId)!;
      const handedAt = clock.now();
      const outcome = await deliver(deps.channels, digest.message, claimed.target, {
        now: handedAt,
        timeoutMs: deps.timeoutMs ?? 10_000,
        ssrf: deps.ssrf,
      });
      if (outcome.status === 'retryable_error') {
        await db.transaction().execute(async (trx) => {
          await recordThrottle(trx, dialect, clock, claimed.target, outcome);
        });
        // The job engine retries; the rows stay claimed by this digest.
        throw new Error(`digest not delivered: ${outcome.error ?? outcome.httpStatus ?? ''}`);
      }
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        await store.markSent(trx, digestId, at);
        await deps.onDigest?.(trx, {
          id: digestId,
          rows: claimed.rows.map((r) => ({ id: r.id, pageId: r.page_id, sendKey: r.send_key })),
          outcome,
          at,
        });
      });
    },
  };
}
