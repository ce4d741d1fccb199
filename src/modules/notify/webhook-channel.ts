import type { NotificationChannel, NotificationMessage } from './channel.js';
import { guardedPost, isReply, outcomeOfStatus } from './http.js';
import { webhookSignature } from './signing.js';

export const WEBHOOK_SIGNATURE_HEADER = 'x-dutydesk-signature';

export function webhookBody(m: NotificationMessage, nowMs: number): Record<string, unknown> {
  return {
    id: m.id,
    type: m.kind,
    title: m.title,
    body: m.body,
    severity: m.severity ?? null,
    pageId: m.pageId ?? null,
    links: m.links,
    sentAt: nowMs,
  };
}

/** Generic webhook: JSON POST signed like Stripe's (see README). */
export const webhookChannel: NotificationChannel<'webhook'> = {
  kind: 'webhook',
  async send(message, target, ctx) {
    const body = JSON.stringify(webhookBody(message, ctx.now));
    const ts = Math.floor(ctx.now / 1000);
    const reply = await guardedPost(
      target.url,
      body,
      {
        [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(target.secret, ts, body),
        'x-dutydesk-event-id': message.id,
      },
      ctx,
    );
    if (!isReply(reply)) return reply;
    return outcomeOfStatus(reply, ctx.now);
  },
};
