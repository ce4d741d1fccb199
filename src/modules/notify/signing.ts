import { createHash, createHmac } from 'node:crypto';

/** DingTalk custom robot: base64(HMAC-SHA256(key=secret, `${timestampMs}\n${secret}`)), not yet URL-encoded. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/**
 * Feishu custom bot: the string `${timestampSec}\n${secret}` is the HMAC *key* and the message
 * is empty — the reverse of DingTalk, as Feishu documents it.
 */
export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

/** Dutydesk generic webhook: `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function webhookSignature(secret: string, timestampSec: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${v1}`;
}

/** SMS/voice provider request signature (see README): hex HMAC over ts, method, path and body hash. */
export function providerSignature(
  secret: string,
  timestampSec: number,
  method: string,
  path: string,
  body: string,
): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret)
    .update(`${timestampSec}\n${method.toUpperCase()}\n${path}\n${bodyHash}`)
    .digest('hex');
}
