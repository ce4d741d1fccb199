import type { NotificationChannel, NotificationMessage } from './channel.js';
import { guardedPost, isReply, textOf, parseJsonObject } from './http.js';
import { actionLinks, escapeMarkdown, severityLabel, truncateBytes } from './render.js';

const THROTTLED = 45009;
/** WeCom limits markdown content to 4096 bytes. */
export const WECOM_MAX_BYTES = 4096;

export function wecomBody(m: NotificationMessage): Record<string, unknown> {
  const sev = severityLabel(m);
  const color = m.severity === 'critical' || m.severity === 'error' ? 'warning' : 'comment';
  const head =
    sev === undefined
      ? `**${escapeMarkdown(m.title)}**`
      : `<font color="${color}">【${sev}】</font>**${escapeMarkdown(m.title)}**`;
  const links = actionLinks(m)
    .map((l) => `[${l.text}](${l.url})`)
    .join('　');
  const tail = links === '' ? '' : `\n${links}`;
  const budget = WECOM_MAX_BYTES - Buffer.byteLength(`${head}\n${tail}`, 'utf8');
  const body = truncateBytes(escapeMarkdown(m.body), Math.max(0, budget));
  return { msgtype: 'markdown', markdown: { content: `${head}\n${body}${tail}` } };
}

/** WeCom group robot: the key is in the webhook URL; the robot does not sign. */
export const wecomChannel: NotificationChannel<'wecom'> = {
  kind: 'wecom',
  async send(message, target, ctx) {
    const reply = await guardedPost(target.webhookUrl, JSON.stringify(wecomBody(message)), {}, ctx);
    if (!isReply(reply)) return reply;
    if (reply.status !== 200) {
      return {
        status: reply.status >= 500 || reply.status === 429 ? 'retryable_error' : 'permanent_error',
        httpStatus: reply.status,
        error: reply.text.slice(0, 500),
      };
    }
    const json = parseJsonObject(reply.text);
    const code = typeof json?.errcode === 'number' ? json.errcode : NaN;
    if (code === 0) return { status: 'delivered', httpStatus: 200 };
    const error = `wecom errcode ${code}: ${textOf(json?.errmsg, reply.text.slice(0, 200))}`;
    if (code === THROTTLED)
      return { status: 'retryable_error', httpStatus: 200, error, retryAfterMs: 60_000 };
    if (code === -1) return { status: 'retryable_error', httpStatus: 200, error };
    return { status: 'permanent_error', httpStatus: 200, error };
  },
};
