import {
  createCipheriv,
  createECDH,
  createHmac,
  createPrivateKey,
  randomBytes,
  sign,
} from 'node:crypto';
import type { NotificationChannel, NotificationMessage } from './channel.js';
import { guardedPost, isReply, outcomeOfStatus } from './http.js';

/** The application server's VAPID key pair (RFC 8292), base64url: public 65 bytes, private 32. */
export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact the push service may use. */
  subject: string;
}

const RECORD_SIZE = 4096;
const hmac = (key: Uint8Array, data: Uint8Array) => createHmac('sha256', key).update(data).digest();
const utf8 = (s: string) => Buffer.from(s, 'utf8');

/**
 * RFC 8291 message encryption (aes128gcm, one record). `asPrivate` and `salt` are fixed only
 * by tests (the RFC's Appendix A vector); normally both are fresh per message.
 */
export function encryptAes128gcm(
  plaintext: Uint8Array,
  uaPublic: Uint8Array,
  authSecret: Uint8Array,
  fixed: { asPrivate?: Uint8Array; salt?: Uint8Array } = {},
): Buffer {
  if (plaintext.length > RECORD_SIZE - 17) throw new Error('web push payload too large');
  const ecdh = createECDH('prime256v1');
  if (fixed.asPrivate === undefined) ecdh.generateKeys();
  else ecdh.setPrivateKey(fixed.asPrivate);
  const asPublic = ecdh.getPublicKey();
  const salt = fixed.salt ?? randomBytes(16);
  const shared = ecdh.computeSecret(uaPublic);
  const prkKey = hmac(authSecret, shared);
  const ikm = hmac(
    prkKey,
    Buffer.concat([utf8('WebPush: info\0'), uaPublic, asPublic, Buffer.from([1])]),
  );
  const prk = hmac(salt, ikm);
  const cek = hmac(
    prk,
    Buffer.concat([utf8('Content-Encoding: aes128gcm\0'), Buffer.from([1])]),
  ).subarray(0, 16);
  const nonce = hmac(
    prk,
    Buffer.concat([utf8('Content-Encoding: nonce\0'), Buffer.from([1])]),
  ).subarray(0, 12);
  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  // 0x02 marks the last (only) record; no further padding.
  const ct = Buffer.concat([
    cipher.update(Buffer.concat([plaintext, Buffer.from([2])])),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const rs = Buffer.alloc(4);
  rs.writeUInt32BE(RECORD_SIZE);
  return Buffer.concat([salt, rs, Buffer.from([asPublic.length]), asPublic, ct]);
}

/** `vapid t=<ES256 JWT>, k=<public key>` for the endpoint's origin (RFC 8292). */
export function vapidAuthorization(endpoint: string, vapid: VapidConfig, nowMs: number): string {
  const pub = Buffer.from(vapid.publicKey, 'base64url');
  const key = createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: vapid.privateKey,
      x: pub.subarray(1, 33).toString('base64url'),
      y: pub.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ES256' })).toString('base64url');
  const claims = Buffer.from(
    JSON.stringify({
      aud: new URL(endpoint).origin,
      exp: Math.floor(nowMs / 1000) + 12 * 3600,
      sub: vapid.subject,
    }),
  ).toString('base64url');
  const sig = sign('sha256', Buffer.from(`${header}.${claims}`), {
    key,
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url');
  return `vapid t=${header}.${claims}.${sig}, k=${vapid.publicKey}`;
}

/** What the service worker receives (it shows the notification with ack/resolve actions). */
export function webpushPayload(m: NotificationMessage): Buffer {
  const payload = {
    id: m.id,
    title: m.title,
    body: m.body.slice(0, 1000),
    severity: m.severity ?? null,
    pageId: m.pageId ?? null,
    links: m.links,
  };
  return utf8(JSON.stringify(payload));
}

/** Web push to a browser subscription; 404/410 mean the subscription is gone for good. */
export function webpushChannel(vapid: VapidConfig): NotificationChannel<'webpush'> {
  return {
    kind: 'webpush',
    async send(message, target, ctx) {
      let body: Buffer;
      try {
        body = encryptAes128gcm(
          webpushPayload(message),
          Buffer.from(target.p256dh, 'base64url'),
          Buffer.from(target.auth, 'base64url'),
        );
      } catch (e) {
        return { status: 'permanent_error', error: `webpush: ${(e as Error).message}` };
      }
      const reply = await guardedPost(
        target.endpoint,
        body,
        {
          'content-type': 'application/octet-stream',
          'content-encoding': 'aes128gcm',
          ttl: '3600',
          urgency:
            message.severity === 'critical' || message.severity === 'error' ? 'high' : 'normal',
          authorization: vapidAuthorization(target.endpoint, vapid, ctx.now),
        },
        ctx,
      );
      if (!isReply(reply)) return reply;
      const outcome = outcomeOfStatus(reply, ctx.now);
      if (reply.status === 404 || reply.status === 410) outcome.error = 'subscription_gone';
      const loc = reply.headers.get('location');
      if (outcome.status === 'delivered' && loc !== null) outcome.providerMessageId = loc;
      return outcome;
    },
  };
}
