import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  bytes: Buffer;
  json: unknown;
}

export interface FakeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the next request gets instead of normal handling: an HTTP status, or silence. */
export type Failure =
  { status: number; body?: unknown; headers?: Record<string, string> } | 'timeout';

/**
 * A local HTTP server on 127.0.0.1:0 standing in for a provider. `handle` validates a request
 * as the real API would and answers as it documents; accepted requests are recorded.
 */
export class FakeHttpServer {
  readonly accepted: FakeRequest[] = [];
  readonly rejected: Array<{ request: FakeRequest; reply: FakeReply }> = [];
  private readonly failures: Failure[] = [];
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly handle: (req: FakeRequest) => FakeReply & { accept: boolean }) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next n requests fail this way (then normal handling resumes). */
  failNext(failure: Failure, n = 1): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    if (this.server === undefined) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      const url = new URL(req.url ?? '/', 'http://fake');
      let json: unknown;
      try {
        json = raw === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        json = undefined;
      }
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        raw,
        bytes,
        json,
      };
      const failure = this.failures.shift();
      if (failure === 'timeout') return; // hold the connection open until the client gives up
      if (failure !== undefined) {
        this.rejected.push({
          request,
          reply: { status: failure.status, body: failure.body ?? '' },
        });
        return this.reply(res, {
          status: failure.status,
          body: failure.body ?? '',
          headers: failure.headers ?? {},
        });
      }
      const out = this.handle(request);
      if (out.accept) this.accepted.push(request);
      else this.rejected.push({ request, reply: out });
      this.reply(res, out);
    });
  }

  private reply(res: ServerResponse, r: FakeReply): void {
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status, {
      'content-type': typeof r.body === 'string' ? 'text/plain' : 'application/json',
      ...r.headers,
    });
    res.end(text);
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
