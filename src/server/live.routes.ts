import { z } from 'zod';
import { type RoutePlugin, principalOf } from './app.js';
import type { LiveBus, LiveEvent } from './live.js';
import { type Permission, rolesAllow } from './permissions.js';

/**
 * GET /api/live?topics=alerts,tickets — a Server-Sent Events stream. The caller always gets
 * their own `user:<id>` topic; every other topic needs the permission registered for it.
 */
export function liveRoutes(live: LiveBus, topics: Record<string, Permission>): RoutePlugin {
  return (app) => {
    app.get(
      '/api/live',
      {
        config: { access: 'signedIn', stream: true },
        schema: {
          tags: ['system'],
          querystring: z.strictObject({ topics: z.string().max(500).optional() }),
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const wanted = (request.query.topics ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const allowed = wanted.filter((topic) => {
          const perm = topics[topic];
          return (
            perm !== undefined &&
            rolesAllow(p.roles, perm) &&
            (p.scopes === undefined || p.scopes.includes(perm))
          );
        });
        const subscribed = [`user:${p.userId}`, ...allowed];
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const send = (event: LiveEvent) =>
          res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        res.write(`event: ready\ndata: ${JSON.stringify({ topics: subscribed })}\n\n`);
        const unsubscribe = subscribed.map((topic) => live.subscribe(topic, send));
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe.forEach((u) => u());
        });
      },
    );
  };
}
