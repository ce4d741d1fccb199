import type { IncomingHttpHeaders } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { Pool } from 'undici';
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

/** Provider replies are short; more than this is not read (a hostile target could stream forever). */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * A DNS lookup that always answers with the address the SSRF check approved, so the connection
 * goes where the check looked even if the name resolves elsewhere a moment later (DNS rebinding).
 */
export function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address) === 6 ? 6 : 4;
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
  }
  return h;
}

/** Connection pools kept (each keeps idle connections only for a few seconds). */
const MAX_POOLS = 256;
const pools = new Map<string, Pool>();

/**
 * The keep-alive pool for `origin` whose connections all go to `address`: keyed by both, so a
 * connection is only ever reused for the address the SSRF check approved for this send.
 * An undici Pool rather than node:http's agent: a send cost the server about half the CPU
 * (bench:alerts profile, 2026-12-07).
 */
function poolFor(origin: string, address: string): Pool {
  const key = `${origin} ${address}`;
  let pool = pools.get(key);
  if (pool) {
    // Most recently used last: the first entry is the one evicted.
    pools.delete(key);
    pools.set(key, pool);
    return pool;
  }
  if (pools.size >= MAX_POOLS) {
    const [oldKey, old] = pools.entries().next().value as [string, Pool];
    pools.delete(oldKey);
    void old.close().catch(() => undefined);
  }
  pool = new Pool(origin, { connect: { lookup: pinnedLookup(address) } });
  pools.set(key, pool);
  return pool;
}

/** One POST to `url`, connecting to `address` (Host header and TLS name stay the URL's host). */
async function postPinned(
  url: URL,
  address: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpReply> {
  const abort = new AbortController();
  const timer = setTimeout(() => {
    const e = new Error(`timeout after ${timeoutMs} ms`);
    e.name = 'TimeoutError';
    abort.abort(e);
  }, timeoutMs);
  try {
    const res = await poolFor(url.origin, address).request({
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
      signal: abort.signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body as AsyncIterable<Buffer>) {
      chunks.push(c);
      size += c.length;
      if (size >= MAX_REPLY_BYTES) {
        res.body.destroy();
        break;
      }
    }
    return {
      status: res.statusCode,
      text: Buffer.concat(chunks).toString('utf8').slice(0, MAX_REPLY_BYTES),
      headers: toHeaders(res.headers),
    };
  } catch (e) {
    // An abort rejects with the reason given (our TimeoutError) or undici's AbortError.
    throw abort.signal.aborted ? (abort.signal.reason as Error) : e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs after the SSRF check, to the very address the check approved, with a timeout and
 * without following redirects (a redirect could point inside the network). Returns the reply,
 * or the outcome when none came.
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
    return await postPinned(check.url, check.addresses[0]!, body, headers, ctx.timeoutMs);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return { status: 'retryable_error', error: `timeout after ${ctx.timeoutMs} ms` };
    }
    return { status: 'retryable_error', error: `network: ${err.code ?? err.message}` };
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
