import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type Locale, t } from '../../i18n/i18n.js';
import { type JobHandler, enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { LiveBus } from '../../server/live.js';
import type { Mailer } from '../../server/mailer.js';
import * as store from './inbox.store.js';

/**
 * The in-app inbox: what Dutydesk tells a person (roster published, please confirm; swap
 * approved; ticket assigned…), shown in the web app and, when asked, also sent by email.
 * Messages are stored as an i18n key and parameters and rendered in the reader's language.
 * Other modules call `notify` with their own transaction; the email goes out as a durable job.
 */
export interface Recipient {
  id: string;
  email: string | null;
  locale: Locale;
}

export interface NotifyInput {
  userIds: readonly string[];
  /** A short machine name for filtering, e.g. `roster.published`. */
  kind: string;
  /** An i18n key with `.title` and `.body` children. */
  messageKey: string;
  params?: Record<string, string | number>;
  /** A path in the web app, e.g. `/roster/confirm/…`. */
  link?: string;
  email?: boolean;
}

export interface InboxItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: number;
  readAt: number | null;
}

export interface InboxDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  mailer: Mailer;
  live: LiveBus;
  publicUrl: string;
  lookupRecipients(ids: readonly string[]): Promise<Recipient[]>;
}

export const INBOX_EMAIL_JOB = 'inbox.email';

export function createInboxService(deps: InboxDeps) {
  const { db, clock } = deps;

  function render(row: store.NotificationRow, locale: Locale): InboxItem {
    const params = JSON.parse(row.params_json) as Record<string, string | number>;
    return {
      id: row.id,
      kind: row.kind,
      title: t(locale, `${row.message_key}.title`, params),
      body: t(locale, `${row.message_key}.body`, params),
      link: row.link,
      createdAt: row.created_at,
      readAt: row.read_at,
    };
  }

  /** Tell people something. Call with the transaction of the change it reports. */
  async function notify(trx: Kysely<DB>, input: NotifyInput): Promise<string[]> {
    const now = clock.now();
    const userIds = [...new Set(input.userIds)];
    const rows: store.NotificationRow[] = userIds.map((userId) => ({
      id: newId(),
      user_id: userId,
      kind: input.kind,
      message_key: input.messageKey,
      params_json: JSON.stringify(input.params ?? {}),
      link: input.link ?? null,
      created_at: now,
      read_at: null,
      email_status: input.email ? 'queued' : null,
    }));
    await store.insertNotifications(trx, rows);
    for (const row of rows) {
      if (input.email) {
        await enqueueJob(trx, deps.dialect, clock, {
          kind: INBOX_EMAIL_JOB,
          payload: { notificationId: row.id },
          idempotencyKey: `${INBOX_EMAIL_JOB}:${row.id}`,
          maxAttempts: 8,
        });
      }
      await deps.live.publish({ topic: `user:${row.user_id}`, type: 'inbox', id: row.id }, trx);
    }
    return rows.map((r) => r.id);
  }

  async function list(
    userId: string,
    locale: Locale,
    q: { unreadOnly: boolean; before?: string; limit: number },
  ) {
    const rows = await store.listForUser(db, userId, q);
    return {
      items: rows.map((r) => render(r, locale)),
      unread: await store.countUnread(db, userId),
      nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
    };
  }

  async function markRead(userId: string, ids: readonly string[] | 'all'): Promise<number> {
    await store.markRead(db, userId, ids, clock.now());
    return store.countUnread(db, userId);
  }

  const emailJob: JobHandler<{ notificationId: string }> = {
    kind: INBOX_EMAIL_JOB,
    maxAttempts: 8,
    async run({ notificationId }, ctx) {
      const row = await store.findNotification(db, notificationId);
      // Idempotent: a retry after a crash does not mail twice once the send was recorded.
      if (!row || row.email_status === 'sent' || row.email_status === 'skipped') return;
      const [recipient] = await deps.lookupRecipients([row.user_id]);
      if (!recipient?.email || !deps.mailer.enabled) {
        ctx.log.info(
          { notificationId, reason: recipient?.email ? 'mail off' : 'no address' },
          'inbox email skipped',
        );
        await store.setEmailStatus(db, row.id, 'skipped');
        return;
      }
      const item = render(row, recipient.locale);
      const link = item.link ? `\n\n${deps.publicUrl}${item.link}` : '';
      await deps.mailer.send({
        to: recipient.email,
        subject: `[Dutydesk] ${item.title}`,
        text: `${item.body}${link}\n`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      await store.setEmailStatus(db, row.id, 'sent');
    },
  };

  /** A notification to oneself, to check that in-app (and mail) delivery works. */
  async function sendTest(userId: string, name: string, email: boolean): Promise<string> {
    const [id] = await db.transaction().execute((trx) =>
      notify(trx, {
        userIds: [userId],
        kind: 'inbox.test',
        messageKey: 'inbox.test',
        params: { name },
        email,
      }),
    );
    return id!;
  }

  return { notify, list, markRead, sendTest, emailJob };
}

export type InboxService = ReturnType<typeof createInboxService>;
