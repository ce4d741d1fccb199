import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/job-engine.js';
import { type TestApp, startTestApp } from '../helpers/app.js';

describe('health, readiness, metrics and the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('reports health and readiness with the dialect', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('serves Prometheus metrics, including request timings by route', async () => {
    await t.app.inject('/healthz');
    const res = await t.app.inject('/metrics');
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/dutydesk_http_request_duration_seconds_bucket\{.*route="\/healthz"/);
    expect(res.body).toContain('dutydesk_process_cpu_seconds_total');
  });

  it('documents every route in the OpenAPI document generated from the schemas', async () => {
    const res = await t.app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }
        >
      >;
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const r of t.app.accessRules()) {
      if (r.url === '/metrics') continue;
      const path = r.url.replace(/:([a-zA-Z]+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    const createUser =
      doc.paths['/api/users']!.post!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(createUser.properties ?? {})).toContain('username');
    expect((await t.app.inject('/api/docs')).statusCode).toBeLessThan(400);
  });

  it('answers unknown API paths with a JSON 404 naming the path', async () => {
    const res = await t.app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'route_not_found' });
    expect(res.json().message).toContain('/api/nothing-here');
  });

  it('carries a request id in the response header', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('shows the admin how much background work is pending, by kind', async () => {
    await enqueueJob(t.dd.database.db, 'sqlite', t.clock, { kind: 'demo.kind', payload: {} });
    const res = await t.admin.request('GET', '/api/jobs');
    expect(res.statusCode).toBe(200);
    expect(res.json().counts).toContainEqual({ status: 'pending', kind: 'demo.kind', n: 1 });
  });

  it('serves the web app for its own paths and its hashed assets (npm test builds it first)', async () => {
    const page = await t.app.inject('/users');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(asset).toBeDefined();
    const js = await t.app.inject(asset!);
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await t.app.inject('/api/unknown/thing')).statusCode).toBe(404);
  });
});
