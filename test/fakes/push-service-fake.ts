import { createDecipheriv, createECDH, createHmac, createPublicKey, verify } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type FakeRequest } from './http-fake.js';

export interface FakeSubscription {
  id: string;
  /** The browser's key pair and auth secret, so the fake can decrypt like the browser. */
  uaPrivate: Buffer;
  uaPublic: Buffer;
  auth: Buffer;
}

/** A browser-side subscription with fresh keys. */
export function newSubscription(id: string): FakeSubscription {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    id,
    uaPrivate: ecdh.getPrivateKey(),
    uaPublic: ecdh.getPublicKey(),
    auth: Buffer.from(`auth-${id}`.padEnd(16, '-').slice(0, 16)),
  };
}

const hmac = (k: Uint8Array, d: Uint8Array) => createHmac('sha256', k).update(d).digest();

/** RFC 8291 decryption as the browser does it; throws on any mismatch. */
export function decryptAes128gcm(
  body: Buffer,
  sub: Pick<FakeSubscription, 'uaPrivate' | 'uaPublic' | 'auth'>,
): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ct = body.subarray(21 + idlen);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(sub.uaPrivate);
  const shared = ecdh.computeSecret(asPublic);
  const ikm = hmac(
    hmac(sub.auth, shared),
    Buffer.concat([Buffer.from('WebPush: info\0'), sub.uaPublic, asPublic, Buffer.from([1])]),
  );
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(ct.subarray(ct.length - 16));
  let plain = Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  if (plain[end - 1] !== 2) throw new Error('missing last-record delimiter');
  plain = plain.subarray(0, end - 1);
  return plain;
}

/**
 * Fake push service (POST /push/<subscription id>): checks the VAPID JWT against the `k` key
 * (audience = this origin, not expired, at most 24 h ahead), the aes128gcm encoding and TTL,
 * then decrypts the payload as the browser would. Unknown subscriptions answer 410.
 */
export function pushServiceFake(opts: {
  subscriptions: FakeSubscription[];
  now: () => number;
}): FakeHttpServer & { decrypted: unknown[] } {
  const decrypted: unknown[] = [];
  const server: FakeHttpServer = new FakeHttpServer(
    (req: FakeRequest): FakeReply & { accept: boolean } => {
      const deny = (status: number, reason: string) => ({
        status,
        body: { reason },
        accept: false,
      });
      const sub = opts.subscriptions.find((s) => req.path === `/push/${s.id}`);
      if (sub === undefined) return deny(410, 'subscription expired');
      const auth = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/.exec(
        String(req.headers.authorization ?? ''),
      );
      if (auth === null) return deny(401, 'missing vapid authorization');
      const [, h, p, s, k] = auth as unknown as [string, string, string, string, string];
      const pub = Buffer.from(k, 'base64url');
      const key = createPublicKey({
        key: {
          kty: 'EC',
          crv: 'P-256',
          x: pub.subarray(1, 33).toString('base64url'),
          y: pub.subarray(33, 65).toString('base64url'),
        },
        format: 'jwk',
      });
      if (
        !verify(
          'sha256',
          Buffer.from(`${h}.${p}`),
          { key, dsaEncoding: 'ieee-p1363' },
          Buffer.from(s, 'base64url'),
        )
      )
        return deny(403, 'bad vapid signature');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
        aud?: string;
        exp?: number;
        sub?: string;
      };
      const nowS = opts.now() / 1000;
      if (claims.aud !== server.origin) return deny(403, 'wrong audience');
      if (typeof claims.exp !== 'number' || claims.exp <= nowS || claims.exp > nowS + 24 * 3600)
        return deny(403, 'bad expiry');
      if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
        return deny(403, 'bad subject');
      if (req.headers['content-encoding'] !== 'aes128gcm')
        return deny(400, 'unsupported content-encoding');
      if (req.headers.ttl === undefined) return deny(400, 'missing TTL');
      try {
        decrypted.push(JSON.parse(decryptAes128gcm(req.bytes, sub).toString('utf8')));
      } catch (e) {
        return deny(400, `cannot decrypt: ${(e as Error).message}`);
      }
      return {
        status: 201,
        body: '',
        headers: { location: `${server.origin}/msg/${decrypted.length}` },
        accept: true,
      };
    },
  );
  return Object.assign(server, { decrypted });
}
