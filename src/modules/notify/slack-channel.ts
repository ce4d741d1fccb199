import type { NotificationChannel, NotificationMessage } from './channel.js';
import { guardedPost, isReply, outcomeOfStatus } from './http.js';
import { actionLinks, severityLabel } from './render.js';

/** Slack's three control characters in text objects. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackBody(m: NotificationMessage): Record<string, unknown> {
  const sev = severityLabel(m);
  const title = sev === undefined ? m.title : `[${sev}] ${m.title}`;
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
  ];
  if (m.body !== '')
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: escapeSlack(m.body).slice(0, 3000) },
    });
  const links = actionLinks(m);
  if (links.length > 0) {
    blocks.push({
      type: 'actions',
      elements: links.map((l, i) => ({
        type: 'button',
        text: { type: 'plain_text', text: l.text },
        url: l.url,
        action_id: `dutydesk_${i}`,
        ...(l.primary ? { style: 'primary' } : {}),
      })),
    });
  }
  return { text: escapeSlack(title), blocks };
}

/** Slack incoming webhook: the secret is the URL; 200 "ok" is success. */
export const slackChannel: NotificationChannel<'slack'> = {
  kind: 'slack',
  async send(message, target, ctx) {
    const reply = await guardedPost(target.webhookUrl, JSON.stringify(slackBody(message)), {}, ctx);
    if (!isReply(reply)) return reply;
    return outcomeOfStatus(reply, ctx.now);
  },
};
