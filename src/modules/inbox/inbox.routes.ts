import { z } from 'zod';
import { type RoutePlugin, principalOf } from '../../server/app.js';
import type { InboxService } from './inbox.service.js';

const InboxItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.number(),
  readAt: z.number().nullable(),
});

const ListQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const ReadBody = z.strictObject({ ids: z.array(z.uuid()).min(1).max(500).optional() });

export function inboxRoutes(inbox: InboxService): RoutePlugin {
  return (app) => {
    app.get(
      '/api/inbox',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['inbox'],
          querystring: ListQuery,
          response: {
            200: z.object({
              items: z.array(InboxItemSchema),
              unread: z.number(),
              nextBefore: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const { unread, before, limit } = request.query;
        return inbox.list(principalOf(request).userId, request.locale, {
          unreadOnly: unread === 'true',
          ...(before ? { before } : {}),
          limit,
        });
      },
    );

    app.post(
      '/api/inbox/read',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['inbox'],
          body: ReadBody,
          response: { 200: z.object({ unread: z.number() }) },
        },
      },
      async (request) => ({
        unread: await inbox.markRead(principalOf(request).userId, request.body.ids ?? 'all'),
      }),
    );

    app.post(
      '/api/inbox/test',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['inbox'],
          body: z.strictObject({ email: z.boolean().default(false) }),
          response: { 201: z.object({ id: z.string() }) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const id = await inbox.sendTest(p.userId, p.displayName, request.body.email);
        return reply.status(201).send({ id });
      },
    );
  };
}
