import { createHash, createHmac } from 'node:crypto';
import { FakeHttpServer, isObject, type FakeRequest } from './http-fake.js';

/** Fake of the generic SMS/voice HTTP API documented in src/modules/notify/README.md. */
export function smsProviderFake(opts: {
  keyId: string;
  secret: string;
  now: () => number;
}): FakeHttpServer {
  const byKey = new Map<string, string>();
  let seq = 0;
  return new FakeHttpServer((req: FakeRequest) => {
    const err = (status: number, code: string, message: string) => ({
      status,
      body: { error: { code, message } },
      accept: false,
    });
    if (req.method !== 'POST' || (req.path !== '/v1/messages' && req.path !== '/v1/calls'))
      return err(404, 'not_found', req.path);
    if (req.headers['x-api-key'] !== opts.keyId) return err(401, 'unknown_key', 'unknown API key');
    const ts = Number(req.headers['x-timestamp']);
    if (!Number.isInteger(ts) || Math.abs(opts.now() / 1000 - ts) > 300)
      return err(401, 'stale_timestamp', 'timestamp outside 300 s');
    const bodyHash = createHash('sha256').update(req.raw).digest('hex');
    const expected = createHmac('sha256', opts.secret)
      .update(`${ts}\nPOST\n${req.path}\n${bodyHash}`)
      .digest('hex');
    if (req.headers['x-signature'] !== expected)
      return err(401, 'invalid_signature', 'signature mismatch');
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '')
      return err(400, 'missing_idempotency_key', 'Idempotency-Key required');
    const b = req.json;
    if (!isObject(b) || typeof b.to !== 'string' || !/^\+[1-9]\d{6,14}$/.test(b.to))
      return err(400, 'invalid_number', 'to must be E.164');
    if (req.path === '/v1/messages' && (typeof b.text !== 'string' || b.text === ''))
      return err(400, 'invalid_text', 'text required');
    if (
      req.path === '/v1/calls' &&
      (typeof b.speech !== 'string' || typeof b.language !== 'string')
    )
      return err(400, 'invalid_speech', 'speech and language required');
    const seen = byKey.get(key);
    // A repeated key is answered with the first id and not delivered again.
    if (seen !== undefined)
      return { status: 202, body: { id: seen, status: 'queued', duplicate: true }, accept: false };
    const id = `${req.path === '/v1/calls' ? 'call' : 'msg'}_${++seq}`;
    byKey.set(key, id);
    return { status: 202, body: { id, status: 'queued' }, accept: true };
  });
}
