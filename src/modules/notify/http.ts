import type { DeliveryContext, DeliveryOutcome } from './channel.js';
import { checkWebhookUrl } from './ssrf.js';

export interface HttpReply {
  status: number;
  text: string;
  headers: Headers;
}

/** Retryable: timeouts, throttling and server faults; anything else the provider refused for good. */
export function classifyStatus(status: number): DeliveryOutcome['status'] {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retryable_error';
  return 'permanent_error';
}

export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const v = headers.get('retry-after');
  if (v === null) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs after the SSRF check, with a timeout and without following redirects (a redirect
 * could point inside the network). Returns the reply, or the outcome when none came.
 */
export async function guardedPost(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  ctx: DeliveryContext,
): Promise<HttpReply | DeliveryOutcome> {
  const check = await checkWebhookUrl(url, ctx.ssrf);
  if (!check.ok) {
    return {
      status: 'permanent_error',
      error: `ssrf:${check.reason}${check.address ? ` ${check.address}` : ''}`,
    };
  }
  try {
    const res = await fetch(check.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, text, headers: res.headers };
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return { status: 'retryable_error', error: `timeout after ${ctx.timeoutMs} ms` };
    }
    const cause = (err as Error & { cause?: { code?: string } }).cause?.code;
    return { status: 'retryable_error', error: `network: ${cause ?? err.message}` };
  }
}

export function isReply(r: HttpReply | DeliveryOutcome): r is HttpReply {
  return typeof r.status === 'number';
}

/** The outcome of a plain HTTP reply: status decides, the body is kept short for the record. */
export function outcomeOfStatus(reply: HttpReply, now: number): DeliveryOutcome {
  const status = classifyStatus(reply.status);
  const outcome: DeliveryOutcome = { status, httpStatus: reply.status };
  if (status !== 'delivered') outcome.error = reply.text.slice(0, 500) || `HTTP ${reply.status}`;
  const wait = retryAfterMs(reply.headers, now);
  if (wait !== undefined) outcome.retryAfterMs = wait;
  return outcome;
}

export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A provider's message field as text, or the fallback when it is absent or not a string. */
export function textOf(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
