import type { NotificationChannel, NotificationMessage } from './channel.js';
import { guardedPost, isReply, textOf, parseJsonObject } from './http.js';
import { actionLinks, escapeMarkdown, severityLabel, truncateBytes } from './render.js';
import { feishuSign } from './signing.js';

const THROTTLED = 11232;
const TEMPLATE: Record<string, string> = {
  critical: 'red',
  error: 'orange',
  warning: 'yellow',
  info: 'blue',
};

/** An interactive card: header coloured by severity, the body, and link buttons. */
export function feishuCard(m: NotificationMessage): Record<string, unknown> {
  const sev = severityLabel(m);
  const elements: unknown[] = [
    {
      tag: 'div',
      text: { tag: 'lark_md', content: truncateBytes(escapeMarkdown(m.body), 16_000) },
    },
  ];
  const links = actionLinks(m);
  if (links.length > 0) {
    elements.push({
      tag: 'action',
      actions: links.map((l) => ({
        tag: 'button',
        text: { tag: 'plain_text', content: l.text },
        url: l.url,
        type: l.primary ? 'primary' : 'default',
      })),
    });
  }
  return {
    config: { wide_screen_mode: true },
    header: {
      title: { tag: 'plain_text', content: sev === undefined ? m.title : `【${sev}】${m.title}` },
      template: TEMPLATE[m.severity ?? 'info'] ?? 'blue',
    },
    elements,
  };
}

export function feishuBody(
  m: NotificationMessage,
  secret: string | undefined,
  nowMs: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = { msg_type: 'interactive', card: feishuCard(m) };
  if (secret !== undefined && secret !== '') {
    const ts = Math.floor(nowMs / 1000);
    // Feishu wants the timestamp as a string of seconds, in the body.
    return { timestamp: String(ts), sign: feishuSign(secret, ts), ...body };
  }
  return body;
}

export const feishuChannel: NotificationChannel<'feishu'> = {
  kind: 'feishu',
  async send(message, target, ctx) {
    const reply = await guardedPost(
      target.webhookUrl,
      JSON.stringify(feishuBody(message, target.secret, ctx.now)),
      {},
      ctx,
    );
    if (!isReply(reply)) return reply;
    const json = parseJsonObject(reply.text);
    // New bots answer {code, msg}; older ones {StatusCode, StatusMessage}.
    const code =
      typeof json?.code === 'number'
        ? json.code
        : typeof json?.StatusCode === 'number'
          ? json.StatusCode
          : NaN;
    if (reply.status === 200 && code === 0) return { status: 'delivered', httpStatus: 200 };
    const error = `feishu ${reply.status} code ${code}: ${textOf(json?.msg, textOf(json?.StatusMessage, reply.text.slice(0, 200)))}`;
    if (code === THROTTLED || reply.status === 429)
      return { status: 'retryable_error', httpStatus: reply.status, error, retryAfterMs: 60_000 };
    if (reply.status >= 500) return { status: 'retryable_error', httpStatus: reply.status, error };
    return { status: 'permanent_error', httpStatus: reply.status, error };
  },
};
