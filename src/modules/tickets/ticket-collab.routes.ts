import { z } from 'zod';
import { type RoutePlugin, actorOf, principalOf } from '../../server/app.js';
import type { Caller, TicketsService } from './tickets.service.js';

/**
 * Watchers, merging and links to alert pages, staff only (requesters have neither permission):
 * GET /api/tickets/:id/collab (watchers, merges, merged tickets' timeline),
 * GET|POST /api/tickets/:id/watchers, DELETE …/watchers/:userId,
 * PATCH /api/tickets/:id/watchers/:userId {notifyMail} (the watcher themself),
 * POST /api/tickets/:id/merges {fromTicketId, acrossRequesters?},
 * DELETE /api/tickets/:id/merges/:fromTicketId (undo; who may merge may undo),
 * GET|POST /api/tickets/:id/alert-links, DELETE …/alert-links/:linkId.
 */

const Id = z.strictObject({ id: z.uuid() });
const AnyBody = z.looseObject({});
const WatcherSchema = z.object({
  userId: z.string(),
  addedBy: z.string().nullable(),
  createdAt: z.number(),
  notifyMail: z.boolean(),
});
const MergeRef = z.object({ ticketId: z.string(), number: z.string(), mergedAt: z.number() });
const EventSchema = z.object({
  id: z.string(),
  at: z.number(),
  kind: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  visibility: z.string(),
  body: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  fromNumber: z.string(),
});
const AlertLinkSchema = z.object({
  id: z.string(),
  pageId: z.string(),
  createdAt: z.number(),
  page: z
    .object({
      id: z.string(),
      summary: z.string(),
      severity: z.string(),
      status: z.string(),
      openedAt: z.number(),
      resolvedAt: z.number().nullable(),
    })
    .nullable(),
});

function callerOf(request: Parameters<typeof principalOf>[0]): Caller {
  const p = principalOf(request);
  return { userId: p.userId, roles: p.roles, audit: actorOf(request) };
}

export function ticketCollabRoutes(tickets: TicketsService): RoutePlugin {
  return (app) => {
    const tags = ['tickets'];

    app.get(
      '/api/tickets/:id/collab',
      {
        config: { access: 'tickets.read' },
        schema: {
          tags,
          params: Id,
          response: {
            200: z.object({
              watchers: z.array(WatcherSchema),
              mergedFrom: z.array(MergeRef.extend({ intoId: z.string() })),
              mergedInto: MergeRef.nullable(),
              mergedEvents: z.array(EventSchema),
            }),
          },
        },
      },
      async (request) => tickets.getCollab(callerOf(request), request.params.id),
    );

    app.get(
      '/api/tickets/:id/watchers',
      {
        config: { access: 'tickets.read' },
        schema: {
          tags,
          params: Id,
          response: { 200: z.object({ items: z.array(WatcherSchema) }) },
        },
      },
      async (request) => ({
        items: await tickets.listWatchers(callerOf(request), request.params.id),
      }),
    );
    app.post(
      '/api/tickets/:id/watchers',
      {
        config: { access: 'tickets.work' },
        schema: { tags, params: Id, body: AnyBody, response: { 201: WatcherSchema } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await tickets.addWatcher(callerOf(request), request.params.id, request.body)),
    );
    app.delete(
      '/api/tickets/:id/watchers/:userId',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          params: z.strictObject({ id: z.uuid(), userId: z.string().min(1).max(64) }),
        },
      },
      async (request, reply) => {
        await tickets.removeWatcher(callerOf(request), request.params.id, request.params.userId);
        return reply.status(204).send();
      },
    );

    app.patch(
      '/api/tickets/:id/watchers/:userId',
      {
        config: { access: 'tickets.read' },
        schema: {
          tags,
          summary: 'A watcher chooses whether their notices also come by mail ({notifyMail})',
          params: z.strictObject({ id: z.uuid(), userId: z.string().min(1).max(64) }),
          body: AnyBody,
          response: { 200: WatcherSchema },
        },
      },
      async (request) =>
        tickets.setWatcherMail(
          callerOf(request),
          request.params.id,
          request.params.userId,
          request.body,
        ),
    );

    app.delete(
      '/api/tickets/:id/merges/:fromTicketId',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          summary: 'Undo the merge of fromTicketId into this ticket',
          params: z.strictObject({ id: z.uuid(), fromTicketId: z.uuid() }),
          response: {
            200: z.object({
              ticketId: z.string(),
              fromTicketId: z.string(),
              status: z.string(),
              watchersRemoved: z.array(z.string()),
            }),
          },
        },
      },
      async (request) =>
        tickets.undoMerge(callerOf(request), request.params.id, request.params.fromTicketId),
    );

    app.post(
      '/api/tickets/:id/merges',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          summary: 'Merge another ticket (fromTicketId) into this one',
          params: Id,
          body: AnyBody,
          response: { 200: z.object({ ticketId: z.string(), fromTicketId: z.string() }) },
        },
      },
      async (request) => tickets.mergeInto(callerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/tickets/:id/alert-links',
      {
        config: { access: 'tickets.read' },
        schema: {
          tags,
          params: Id,
          response: { 200: z.object({ items: z.array(AlertLinkSchema) }) },
        },
      },
      async (request) => ({
        items: await tickets.listAlertLinks(callerOf(request), request.params.id),
      }),
    );
    app.post(
      '/api/tickets/:id/alert-links',
      {
        config: { access: 'tickets.work' },
        schema: { tags, params: Id, body: AnyBody, response: { 201: AlertLinkSchema } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await tickets.createAlertLink(callerOf(request), request.params.id, request.body)),
    );
    app.delete(
      '/api/tickets/:id/alert-links/:linkId',
      {
        config: { access: 'tickets.work' },
        schema: { tags, params: z.strictObject({ id: z.uuid(), linkId: z.uuid() }) },
      },
      async (request, reply) => {
        await tickets.deleteAlertLink(callerOf(request), request.params.id, request.params.linkId);
        return reply.status(204).send();
      },
    );
  };
}
