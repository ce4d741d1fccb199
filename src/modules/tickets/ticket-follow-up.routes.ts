import { z } from 'zod';
import { type RoutePlugin, actorOf, principalOf } from '../../server/app.js';
import type { Caller, TicketsService } from './tickets.service.js';

/**
 * Follow-up visits: POST /api/tickets/:id/follow-ups (a task), GET /api/tickets/follow-ups (due
 * ones, or ?ticketId= for one ticket's), POST /api/tickets/follow-ups/:id/record (the answer).
 */

const FollowUpSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  assigneeId: z.string(),
  dueAt: z.number(),
  note: z.string().nullable(),
  status: z.string(),
  customerSaid: z.string().nullable(),
  outcome: z.string().nullable(),
  createdAt: z.number(),
  doneAt: z.number().nullable(),
});
const AnyBody = z.looseObject({});

function callerOf(request: Parameters<typeof principalOf>[0]): Caller {
  const p = principalOf(request);
  return { userId: p.userId, roles: p.roles, audit: actorOf(request) };
}

export function ticketFollowUpRoutes(tickets: TicketsService): RoutePlugin {
  return (app) => {
    const tags = ['tickets'];
    app.post(
      '/api/tickets/:id/follow-ups',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          params: z.strictObject({ id: z.uuid() }),
          body: AnyBody,
          response: { 201: FollowUpSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await tickets.createFollowUp(callerOf(request), request.params.id, request.body)),
    );
    app.get(
      '/api/tickets/follow-ups',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          querystring: z.strictObject({
            assignee: z.string().min(1).max(64).optional(),
            dueWithin: z.coerce.number().int().min(0).max(525_600).optional(),
            ticketId: z.uuid().optional(),
          }),
          response: { 200: z.object({ items: z.array(FollowUpSchema) }) },
        },
      },
      async (request) => ({
        items: await tickets.listFollowUps(callerOf(request), {
          ...(request.query.assignee ? { assignee: request.query.assignee } : {}),
          ...(request.query.dueWithin !== undefined
            ? { dueWithinMinutes: request.query.dueWithin }
            : {}),
          ...(request.query.ticketId ? { ticketId: request.query.ticketId } : {}),
        }),
      }),
    );
    app.post(
      '/api/tickets/follow-ups/:id/record',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          params: z.strictObject({ id: z.uuid() }),
          body: AnyBody,
          response: { 200: FollowUpSchema },
        },
      },
      async (request) => tickets.recordFollowUp(callerOf(request), request.params.id, request.body),
    );

    // ---- links between tickets ----
    const LinkSchema = z.object({
      id: z.string(),
      kind: z.string(),
      direction: z.enum(['outgoing', 'incoming']),
      ticketId: z.string(),
      createdAt: z.number(),
    });
    app.get(
      '/api/tickets/:id/links',
      {
        config: { access: 'tickets.read' },
        schema: {
          tags,
          params: z.strictObject({ id: z.uuid() }),
          response: { 200: z.object({ items: z.array(LinkSchema) }) },
        },
      },
      async (request) => ({ items: await tickets.listLinks(callerOf(request), request.params.id) }),
    );
    app.post(
      '/api/tickets/:id/links',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          params: z.strictObject({ id: z.uuid() }),
          body: AnyBody,
          response: { 201: LinkSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await tickets.createLink(callerOf(request), request.params.id, request.body)),
    );
    app.delete(
      '/api/tickets/:id/links/:linkId',
      {
        config: { access: 'tickets.work' },
        schema: { tags, params: z.strictObject({ id: z.uuid(), linkId: z.uuid() }) },
      },
      async (request, reply) => {
        await tickets.deleteLink(callerOf(request), request.params.id, request.params.linkId);
        return reply.status(204).send();
      },
    );
  };
}
