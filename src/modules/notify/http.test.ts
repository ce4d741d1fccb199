import { createServer, type Server } from 'node:http';
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

  it('reuses a kept-alive connection only for the address the check approved this time', async () => {
    // Two receivers on one port, 127.0.0.1 and 127.0.0.2, answering who they are; the name
    // resolves to the first, then to the second. A connection kept alive from the first send
    // must not carry the second (it would reach the address approved before, not now).
    const servers: Server[] = [];
    const listen = async (host: string, port: number) => {
      const s = createServer((req, res) => {
        req.resume();
        req.on('end', () => res.end(host));
      });
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, resolve);
      });
      return (s.address() as { port: number }).port;
    };
    try {
      const port = await listen('127.0.0.1', 0);
      await listen('127.0.0.2', port);
      let answer = '127.0.0.1';
      const ssrf: SsrfPolicy = { allow: ['127.0.0.0/8'], resolve: async () => [answer] };
      const send = async () => {
        const r = await guardedPost(
          `http://moving.invalid:${port}/`,
          '{}',
          {},
          {
            now: 0,
            timeoutMs: 2000,
            ssrf,
          },
        );
        return isReply(r) ? r.text : r;
      };
      expect(await send()).toBe('127.0.0.1');
      expect(await send()).toBe('127.0.0.1');
      answer = '127.0.0.2';
      expect(await send()).toBe('127.0.0.2');
    } finally {
      for (const s of servers) {
        s.closeAllConnections();
        s.close();
      }
    }
  });
});
