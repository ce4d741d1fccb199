import { sql } from 'kysely';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { migrationsApplied } from '../db/migrate.js';
import type { RoutePlugin } from './app.js';
import { PERMISSIONS, ROLES, type Role } from './permissions.js';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dutydesk_' });
  const httpDuration = new Histogram({
    name: 'dutydesk_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobsRun = new Counter({
    name: 'dutydesk_jobs_finished_total',
    help: 'Background jobs finished, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, jobsRun };
}
export type Metrics = ReturnType<typeof createMetrics>;

export function systemRoutes(deps: {
  database: Database;
  metrics: Metrics;
  version: string;
}): RoutePlugin {
  return (app) => {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      deps.metrics.httpDuration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: { tags: ['system'], response: { 200: z.object({ status: z.literal('ok') }) } },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          response: {
            200: z.object({ status: z.literal('ready'), database: z.string() }),
            503: z.object({ status: z.literal('not_ready'), reason: z.string() }),
          },
        },
      },
      async (_request, reply) => {
        try {
          await sql`SELECT 1`.execute(deps.database.db);
          if (!(await migrationsApplied(deps.database)))
            return reply
              .status(503)
              .send({ status: 'not_ready' as const, reason: 'migrations pending' });
          return { status: 'ready' as const, database: deps.database.dialect };
        } catch (err) {
          return reply.status(503).send({
            status: 'not_ready' as const,
            reason: `database unreachable: ${err instanceof Error ? err.message : String(err)}`,
          });
        }
      },
    );

    app.get(
      '/metrics',
      {
        config: { access: 'public' },
        schema: { tags: ['system'], hide: true },
      },
      async (_request, reply) =>
        reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
    );

    app.get(
      '/api/meta',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['system'],
          response: {
            200: z.object({
              roles: z.array(z.string()),
              permissions: z.array(z.object({ key: z.string(), roles: z.array(z.string()) })),
              version: z.string(),
            }),
          },
        },
      },
      async () => ({
        roles: [...ROLES],
        permissions: Object.entries(PERMISSIONS).map(([key, roles]) => ({
          key,
          roles: [...(roles as readonly Role[])],
        })),
        version: deps.version,
      }),
    );
  };
}
