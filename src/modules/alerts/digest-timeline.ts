import type { DigestQueueDeps } from '../notify/digest-queue.js';
import { insertTimeline } from './alerts.store.js';

/** The digest went out: each page whose message it carried says so on its timeline. */
export const recordDigestOnTimelines: NonNullable<DigestQueueDeps['onDigest']> = async (
  trx,
  digest,
) => {
  for (const row of digest.rows) {
    if (row.pageId === null) continue;
    await insertTimeline(trx, {
      pageId: row.pageId,
      at: digest.at,
      type:
        digest.outcome.status === 'delivered'
          ? 'notification_sent_in_digest'
          : 'notification_digest_failed',
      ...(row.sendKey === null ? {} : { sendKey: row.sendKey }),
      data: { digestId: digest.id, count: digest.rows.length, outcome: digest.outcome },
    });
  }
};
