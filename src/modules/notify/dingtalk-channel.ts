import type { DeliveryOutcome, NotificationChannel, NotificationMessage } from './channel.js';
import { guardedPost, isReply, textOf, parseJsonObject } from './http.js';
import { actionLinks, escapeMarkdown, severityLabel, truncateBytes } from './render.js';
import { dingtalkSign } from './signing.js';

/** DingTalk returns HTTP 200 for everything; errcode says what happened. */
const THROTTLED = new Set([130101, 410100]);
const BUSY = new Set([-1]);
/** A DingTalk robot that exceeds 20 messages a minute is throttled for 10 minutes. */
export const DINGTALK_THROTTLE_MS = 10 * 60_000;

/** An actionCard when there are links to press, markdown otherwise. */
export function dingtalkBody(m: NotificationMessage): Record<string, unknown> {
  const sev = severityLabel(m);
  const heading = `### ${sev === undefined ? '' : `【${sev}】`}${escapeMarkdown(m.title)}`;
  const text = truncateBytes(`${heading}\n\n${escapeMarkdown(m.body)}`, 18_000);
  const links = actionLinks(m);
  if (links.length === 0)
    return { msgtype: 'markdown', markdown: { title: m.title.slice(0, 64), text } };
  return {
    msgtype: 'actionCard',
    actionCard: {
      title: m.title.slice(0, 64),
      text,
      btnOrientation: '1',
      btns: links.map((l) => ({ title: l.text, actionURL: l.url })),
    },
  };
}

/** The robot URL with `timestamp` and `sign` added when the robot uses 加签. */
export function dingtalkSignedUrl(
  webhookUrl: string,
  secret: string | undefined,
  nowMs: number,
): string {
  if (secret === undefined || secret === '') return webhookUrl;
  const u = new URL(webhookUrl);
  u.searchParams.set('timestamp', String(nowMs));
  u.searchParams.set('sign', dingtalkSign(secret, nowMs));
  return u.toString();
}

export const dingtalkChannel: NotificationChannel<'dingtalk'> = {
  kind: 'dingtalk',
  async send(message, target, ctx) {
    const reply = await guardedPost(
      dingtalkSignedUrl(target.webhookUrl, target.secret, ctx.now),
      JSON.stringify(dingtalkBody(message)),
      {},
      ctx,
    );
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
    const outcome: DeliveryOutcome = { status: 'delivered', httpStatus: 200 };
    if (code === 0) return outcome;
    const error = `dingtalk errcode ${code}: ${textOf(json?.errmsg, reply.text.slice(0, 200))}`;
    if (THROTTLED.has(code))
      return {
        status: 'retryable_error',
        httpStatus: 200,
        error,
        retryAfterMs: DINGTALK_THROTTLE_MS,
      };
    if (BUSY.has(code)) return { status: 'retryable_error', httpStatus: 200, error };
    return { status: 'permanent_error', httpStatus: 200, error };
  },
};
