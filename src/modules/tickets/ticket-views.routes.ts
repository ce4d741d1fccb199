import { z } from 'zod';
import { type RoutePlugin, actorOf, principalOf } from '../../server/app.js';
import type { Caller, TicketsService } from './tickets.service.js';

/**
 * Saved views (GET/POST /api/tickets/views, PATCH/DELETE /api/tickets/views/:id, the tickets of
 * one view at GET /api/tickets/views/:key/tickets) and reply templates
 * (/api/tickets/templates; filled from a ticket at GET /api/tickets/:id/templates/:templateId).
 */

const IdParams = z.strictObject({ id: z.uuid() });
const AnyBody = z.looseObject({});
const ViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  query: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
const TemplateSchema = z.object({
  id: z.string(),
  teamId: z.string().nullable(),
  name: z.string(),
  body: z.string(),
  updatedAt: z.number(),
});

function callerOf(request: Parameters<typeof principalOf>[0]): Caller {
  const p = principalOf(request);
  return { userId: p.userId, roles: p.roles, audit: actorOf(request) };
}

export function ticketViewsRoutes(tickets: TicketsService): RoutePlugin {
  return (app) => {
    const tags = ['tickets'];

    app.get(
      '/api/tickets/views',
      {
        config: { access: 'tickets.read' },
        schema: {
          tags,
          response: {
            200: z.object({
              builtIn: z.array(
                z.object({ key: z.string(), query: z.record(z.string(), z.unknown()) }),
              ),
              saved: z.array(ViewSchema),
            }),
          },
        },
      },
      async (request) => tickets.listViews(callerOf(request)),
    );

    app.post(
      '/api/tickets/views',
      {
        config: { access: 'tickets.read' },
        schema: { tags, body: AnyBody, response: { 201: ViewSchema } },
      },
      async (request, reply) =>
        reply.status(201).send(await tickets.createView(callerOf(request), request.body)),
    );

    app.patch(
      '/api/tickets/views/:id',
      {
        config: { access: 'tickets.read' },
        schema: { tags, params: IdParams, body: AnyBody, response: { 200: ViewSchema } },
      },
      async (request) => tickets.updateView(callerOf(request), request.params.id, request.body),
    );

    app.delete(
      '/api/tickets/views/:id',
      { config: { access: 'tickets.read' }, schema: { tags, params: IdParams } },
      async (request, reply) => {
        await tickets.deleteView(callerOf(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/tickets/views/:key/tickets',
      {
        config: { access: 'tickets.read' },
        schema: {
          tags,
          params: z.strictObject({
            key: z.union([z.enum(['mine', 'myGroup', 'breachingSoon', 'unassigned']), z.uuid()]),
          }),
          querystring: z.strictObject({
            cursor: z.string().max(100).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
        },
      },
      async (request) =>
        tickets.runView(callerOf(request), request.params.key, {
          limit: request.query.limit,
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        }),
    );

    app.get(
      '/api/tickets/templates',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          querystring: z.strictObject({ teamId: z.string().min(1).max(64).optional() }),
          response: { 200: z.object({ items: z.array(TemplateSchema) }) },
        },
      },
      async (request) => ({ items: await tickets.listTemplates(request.query.teamId) }),
    );

    app.post(
      '/api/tickets/templates',
      {
        config: { access: 'tickets.admin' },
        schema: { tags, body: AnyBody, response: { 201: TemplateSchema } },
      },
      async (request, reply) =>
        reply.status(201).send(await tickets.createTemplate(callerOf(request), request.body)),
    );

    app.patch(
      '/api/tickets/templates/:id',
      {
        config: { access: 'tickets.admin' },
        schema: { tags, params: IdParams, body: AnyBody, response: { 200: TemplateSchema } },
      },
      async (request) => tickets.updateTemplate(callerOf(request), request.params.id, request.body),
    );

    app.delete(
      '/api/tickets/templates/:id',
      { config: { access: 'tickets.admin' }, schema: { tags, params: IdParams } },
      async (request, reply) => {
        await tickets.deleteTemplate(callerOf(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/tickets/:id/templates/:templateId',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          params: z.strictObject({ id: z.uuid(), templateId: z.uuid() }),
          response: { 200: z.object({ templateId: z.string(), body: z.string() }) },
        },
      },
      async (request) =>
        tickets.fillTemplateFor(callerOf(request), request.params.id, request.params.templateId),
    );
  };
}
