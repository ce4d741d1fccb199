import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttpServer } from '../../../test/fakes/http-fake.js';
import { guardedPost, isReply } from './http.js';
import type { SsrfPolicy } from './ssrf.js';

/*
 * DNS rebinding: a name that resolves to a public address when checked and to an internal one
 * when the request connects. The guard must connect to the address it checked.
 */
describe('guardedPost connects to the address the SSRF check approved', () => {
  const fake = new FakeHttpServer(() => ({ status: 200, body: { ok: true }, accept: true }));
  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => fake.close());
  const port = () => new URL(fake.origin).port;

  it('sends to the checked address with the original Host header, whatever DNS says later', async () => {
    // The checker's resolver says 127.0.0.1 (allowed here); the system resolver does not know
    // the name at all, so a second lookup at connect time would fail.
    let lookups = 0;
    const ssrf: SsrfPolicy = {
      allow: ['127.0.0.1/32'],
      resolve: async () => {
        lookups++;
        return ['127.0.0.1'];
      },
    };
    const r = await guardedPost(
      `http://hooks.rebind.invalid:${port()}/x?y=1`,
      '{"a":1}',
      { 'x-test': 'yes' },
      { now: 0, timeoutMs: 2000, ssrf },
    );
    expect(isReply(r) && r.status).toBe(200);
    expect(lookups).toBe(1);
    const got = fake.accepted.at(-1)!;
    expect(got.headers.host).toBe(`hooks.rebind.invalid:${port()}`);
    expect(got.path).toBe('/x');
    expect(got.query.get('y')).toBe('1');
    expect(got.headers['x-test']).toBe('yes');
    expect(got.json).toEqual({ a: 1 });
  });

  it('never connects when the checked address is private and not allowed', async () => {
    const before = fake.accepted.length;
    const r = await guardedPost(
      `http://evil.invalid:${port()}/`,
      '{}',
      {},
      { now: 0, timeoutMs: 2000, ssrf: { allow: [], resolve: async () => ['127.0.0.1'] } },
    );
    expect(r).toMatchObject({ status: 'permanent_error', error: 'ssrf:private_address 127.0.0.1' });
    expect(fake.accepted.length).toBe(before);
  });

  it('reports a refused connection and a timeout as retryable', async () => {
    fake.failNext('timeout');
    const ssrf: SsrfPolicy = { allow: ['127.0.0.1/32'], resolve: async () => ['127.0.0.1'] };
    const slow = await guardedPost(
      `http://a.invalid:${port()}/`,
      '{}',
      {},
      {
        now: 0,
        timeoutMs: 150,
        ssrf,
      },
    );
    expect(slow).toEqual({ status: 'retryable_error', error: 'timeout after 150 ms' });
    const refused = await guardedPost(
      'http://127.0.0.1:1/',
      '{}',
      {},
      {
        now: 0,
        timeoutMs: 1000,
        ssrf,
      },
    );
    expect(refused).toMatchObject({ status: 'retryable_error', error: 'network: ECONNREFUSED' });
  });
});
