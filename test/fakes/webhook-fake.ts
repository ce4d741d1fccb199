import { createHmac, timingSafeEqual } from 'node:crypto';
import { FakeHttpServer, type FakeRequest } from './http-fake.js';

/** A receiver of Dutydesk's generic webhook that verifies X-Dutydesk-Signature as documented. */
export function webhookFake(opts: {
  secret: string;
  now: () => number;
  toleranceSeconds?: number;
}): FakeHttpServer {
  return new FakeHttpServer((req: FakeRequest) => {
    const header = String(req.headers['x-dutydesk-signature'] ?? '');
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    if (m === null)
      return { status: 401, body: { error: 'missing or malformed signature' }, accept: false };
    const ts = Number(m[1]);
    if (Math.abs(opts.now() / 1000 - ts) > (opts.toleranceSeconds ?? 300))
      return { status: 401, body: { error: 'stale timestamp' }, accept: false };
    const expected = createHmac('sha256', opts.secret).update(`${ts}.${req.raw}`).digest();
    if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')))
      return { status: 401, body: { error: 'bad signature' }, accept: false };
    return { status: 200, body: { received: true }, accept: true };
  });
}
