import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  NETWORK_ERROR_CODE,
  UNEXPECTED_RESPONSE_CODE,
  api,
  setCsrfToken,
  setUnauthorizedHandler,
} from '../web/src/api/client.js';

// The web API client against a real local HTTP server (Node's fetch stands in for the browser's).

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      seen.push({
        method: req.method ?? '',
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const send = (status: number, body?: string) => {
        res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(body);
      };
      if (url.startsWith('/ok')) return send(200, JSON.stringify({ hello: 'world' }));
      if (url === '/empty') return send(204);
      if (url === '/field') {
        return send(
          409,
          JSON.stringify({ code: 'conflict', message: '用户名已存在', field: 'username' }),
        );
      }
      if (url === '/unauthorized') {
        return send(401, JSON.stringify({ code: 'unauthorized', message: 'Please sign in' }));
      }
      if (url === '/html') return send(502, '<html>bad gateway</html>');
      return send(404, JSON.stringify({ code: 'not_found', message: 'nope' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  seen.length = 0;
  setCsrfToken(null);
  setUnauthorizedHandler(null);
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('web API client', () => {
  it('returns the parsed JSON body and drops empty query values', async () => {
    const res = await api.get<{ hello: string }>(`${base}/ok`, {
      q: 'a b',
      role: '',
      x: undefined,
    });
    expect(res).toEqual({ hello: 'world' });
    expect(seen[0]?.url).toBe('/ok?q=a+b');
  });

  it('sends the CSRF token on writes but not on reads', async () => {
    setCsrfToken('t0k');
    await api.get(`${base}/ok`);
    await api.post(`${base}/ok`, { a: 1 });
    expect(seen[0]?.headers['x-csrf-token']).toBeUndefined();
    expect(seen[1]?.headers['x-csrf-token']).toBe('t0k');
    expect(seen[1]?.headers['content-type']).toBe('application/json');
    expect(seen[1]?.body).toBe('{"a":1}');
  });

  it('returns undefined for 204 No Content', async () => {
    expect(await api.delete(`${base}/empty`)).toBeUndefined();
  });

  it('turns the error envelope into an ApiError naming the field', async () => {
    const err = await failure(api.post(`${base}/field`, { username: 'x' }));
    expect(err.status).toBe(409);
    expect(err.code).toBe('conflict');
    expect(err.message).toBe('用户名已存在');
    expect(err.field).toBe('username');
  });

  it('calls the unauthorized handler on 401 unless the caller handles it', async () => {
    let calls = 0;
    setUnauthorizedHandler(() => {
      calls += 1;
    });
    expect((await failure(api.get(`${base}/unauthorized`))).status).toBe(401);
    expect(calls).toBe(1);
    await failure(api.get(`${base}/unauthorized`, undefined, { allow401: true }));
    expect(calls).toBe(1);
  });

  it('reports a non-JSON error body as an unexpected response', async () => {
    const err = await failure(api.get(`${base}/html`));
    expect(err.status).toBe(502);
    expect(err.code).toBe(UNEXPECTED_RESPONSE_CODE);
  });

  it('reports an unreachable server as a network error', async () => {
    const err = await failure(api.get('http://127.0.0.1:1/nothing'));
    expect(err.status).toBe(0);
    expect(err.code).toBe(NETWORK_ERROR_CODE);
  });
});
