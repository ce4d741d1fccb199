import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { MailService } from './mail.service.js';

/**
 * IMAP polling, the alternative to pointing MX at the listener: unseen messages of one mailbox are
 * fetched, stored durably (with their processing job), and only then flagged \Seen (and moved, if
 * MAIL_IMAP_MOVE_TO is set). A crash between the two leaves the message unseen: the next poll finds
 * it stored under the same mailbox/UIDVALIDITY/UID key and only flags it, so it is processed once.
 */

const BATCH = 50;

/** The key a fetched message is stored under: the same message is never stored twice. */
export function imapKey(
  cfg: { user: string; host: string; mailbox: string },
  uidValidity: bigint | number | string,
  uid: number,
): string {
  return `${cfg.user}@${cfg.host}/${cfg.mailbox}/${String(uidValidity)}/${uid}`;
}

export interface PollResult {
  stored: number;
  alreadyStored: number;
  tooLarge: number;
}

export async function pollImap(
  cfg: NonNullable<Config['mail']['imap']>,
  maxBytes: number,
  mail: Pick<MailService, 'receive' | 'receiveTooLarge' | 'hasImapKey'>,
  log: Logger,
): Promise<PollResult> {
  const client = new ImapFlow({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    auth: { user: cfg.user, pass: cfg.password },
    logger: false,
    connectionTimeout: 20_000,
  });
  client.on('error', (err) => log.warn({ err }, 'IMAP connection error'));
  const result: PollResult = { stored: 0, alreadyStored: 0, tooLarge: 0 };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(cfg.mailbox);
    try {
      const box = client.mailbox;
      const uidValidity = box ? String(box.uidValidity) : '0';
      const found = await client.search({ seen: false }, { uid: true });
      const uids = (Array.isArray(found) ? found : []).slice(0, BATCH);
      for (const uid of uids) {
        const range = String(uid);
        const key = imapKey(cfg, uidValidity, uid);
        if (await mail.hasImapKey(key)) {
          result.alreadyStored++;
        } else {
          const meta = await client.fetchOne(range, { size: true, envelope: true }, { uid: true });
          if (!meta) continue;
          if ((meta.size ?? 0) > maxBytes) {
            const from = meta.envelope?.from?.[0]?.address ?? null;
            await mail.receiveTooLarge({
              imapKey: key,
              sizeBytes: meta.size ?? 0,
              from,
              subject: meta.envelope?.subject ?? null,
            });
            result.tooLarge++;
          } else {
            const msg = await client.fetchOne(range, { source: true }, { uid: true });
            if (!msg || !msg.source) continue;
            const { stored } = await mail.receive({
              raw: msg.source,
              source: 'imap',
              envelopeFrom: null,
              envelopeTo: [],
              imapKey: key,
            });
            if (stored) result.stored++;
            else result.alreadyStored++;
          }
        }
        // Only now is the message ours: mark it, and move it out of the way when asked to.
        await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
        if (cfg.moveTo) await client.messageMove(range, cfg.moveTo, { uid: true });
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
  return result;
}
