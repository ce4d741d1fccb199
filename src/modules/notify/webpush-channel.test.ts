import { createECDH } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeHttpServer } from '../../../test/fakes/http-fake.js';
import {
  decryptAes128gcm,
  newSubscription,
  pushServiceFake,
} from '../../../test/fakes/push-service-fake.js';
import type { DeliveryContext, NotificationMessage } from './channel.js';
import { encryptAes128gcm, webpushChannel, type VapidConfig } from './webpush-channel.js';

const b = (s: string) => Buffer.from(s, 'base64url');
// RFC 8291 Appendix A.
const RFC = {
  plaintext: 'When I grow up, I want to be a watermelon',
  asPrivate: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
  uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  uaPublic:
    'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  auth: 'BTBZMqHH6r4Tts7J_aSIgg',
  salt: 'DGv6ra1nlYgDCS1FRnbzlw',
  body: 'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

const NOW = Date.UTC(2024, 4, 1, 18, 0);
const ctx: DeliveryContext = {
  now: NOW,
  timeoutMs: 2_000,
  ssrf: { allow: ['127.0.0.1/32'], resolve: async () => [] },
};
const vapidKeys = createECDH('prime256v1');
vapidKeys.generateKeys();
const vapid: VapidConfig = {
  publicKey: vapidKeys.getPublicKey().toString('base64url'),
  privateKey: vapidKeys.getPrivateKey().toString('base64url'),
  subject: 'mailto:ops@example.com',
};
const m: NotificationMessage = {
  id: 'k1',
  kind: 'page',
  locale: 'zh',
  title: '磁盘将满',
  body: '/var 97%',
  severity: 'critical',
  pageId: 'p1',
  links: { acknowledge: 'https://duty.example.com/a/t' },
};

let fake: FakeHttpServer | undefined;
afterEach(async () => {
  await fake?.close();
});

describe('web push', () => {
  it('reproduces the RFC 8291 Appendix A message byte for byte', () => {
    const out = encryptAes128gcm(Buffer.from(RFC.plaintext), b(RFC.uaPublic), b(RFC.auth), {
      asPrivate: b(RFC.asPrivate),
      salt: b(RFC.salt),
    });
    expect(out.toString('base64url')).toBe(RFC.body);
    expect(
      decryptAes128gcm(b(RFC.body), {
        uaPrivate: b(RFC.uaPrivate),
        uaPublic: b(RFC.uaPublic),
        auth: b(RFC.auth),
      }).toString(),
    ).toBe(RFC.plaintext);
  });

  it('delivers an encrypted, VAPID-signed push the browser can read', async () => {
    const sub = newSubscription('s1');
    const server = pushServiceFake({ subscriptions: [sub], now: () => NOW });
    fake = await server.start();
    const target = {
      kind: 'webpush' as const,
      endpoint: `${server.origin}/push/s1`,
      p256dh: sub.uaPublic.toString('base64url'),
      auth: sub.auth.toString('base64url'),
    };
    const out = await webpushChannel(vapid).send(m, target, ctx);
    expect(out).toMatchObject({ status: 'delivered', httpStatus: 201 });
    expect(server.decrypted[0]).toMatchObject({
      title: '磁盘将满',
      pageId: 'p1',
      links: { acknowledge: 'https://duty.example.com/a/t' },
    });
  });

  it('reports a gone subscription as permanent and a stale VAPID clock as refused', async () => {
    const sub = newSubscription('s1');
    const server = pushServiceFake({ subscriptions: [sub], now: () => NOW });
    fake = await server.start();
    const target = {
      kind: 'webpush' as const,
      endpoint: `${server.origin}/push/old`,
      p256dh: sub.uaPublic.toString('base64url'),
      auth: sub.auth.toString('base64url'),
    };
    expect(await webpushChannel(vapid).send(m, target, ctx)).toMatchObject({
      status: 'permanent_error',
      httpStatus: 410,
      error: 'subscription_gone',
    });
    const live = { ...target, endpoint: `${server.origin}/push/s1` };
    expect(
      await webpushChannel(vapid).send(m, live, { ...ctx, now: NOW - 13 * 3600_000 }),
    ).toMatchObject({ status: 'permanent_error', httpStatus: 403 });
  });
});
