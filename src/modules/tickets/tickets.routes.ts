import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type RoutePlugin, actorOf, principalOf } from '../../server/app.js';
import type { Permission } from '../../server/permissions.js';
import { TICKET_STATUSES, TICKET_TYPES } from './ticket-state.js';
import { PRIORITIES } from './priority.js';
import type { Caller, ListQuery, TicketsService } from './tickets.service.js';

/**
 * HTTP for the service desk. Staff routes live under /api/tickets, the requester's under
 * /api/portal; handlers only translate between HTTP and the service, which makes every
 * decision (including "a requester sees only their own tickets").
 */

const IdParams = z.strictObject({ id: z.uuid() });

const TicketSchema = z.object({
  id: z.string(),
  number: z.string(),
  type: z.string(),
  channel: z.string(),
  categoryId: z.string(),
  title: z.string(),
  description: z.string(),
  impact: z.string(),
  urgency: z.string(),
  priority: z.string(),
  status: z.string(),
  level: z.string(),
  requesterId: z.string().nullable(),
  callerName: z.string().nullable(),
  callerContact: z.string().nullable(),
  organisation: z.string().nullable(),
  assigneeId: z.string().nullable(),
  groupId: z.string().nullable(),
  tags: z.array(z.string()),
  slaDueAt: z.number().nullable(),
  slaBreached: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  resolvedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  survey: z
    .object({ score: z.number(), comment: z.string().nullable(), at: z.number() })
    .nullable(),
});

const EventSchema = z.object({
  id: z.string(),
  at: z.number(),
  kind: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  visibility: z.string(),
  body: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

const SlaTargetSchema = z.object({
  target: z.string(),
  state: z.string(),
  startedAt: z.number().nullable(),
  stoppedAt: z.number().nullable(),
  dueAt: z.number().nullable(),
  warnAt: z.number().nullable(),
  elapsedMinutes: z.number(),
  remainingMinutes: z.number(),
  pausedMinutes: z.number(),
  breachedCycles: z.number(),
});

const DetailSchema = z.object({
  ticket: TicketSchema,
  events: z.array(EventSchema),
  sla: z
    .object({
      policyId: z.string(),
      targets: z.array(SlaTargetSchema),
      nextEventAt: z.number().nullable(),
    })
    .nullable(),
});

const PageSchema = z.object({ items: z.array(TicketSchema), nextCursor: z.string().nullable() });

const ListQuerySchema = z.strictObject({
  status: z
    .string()
    .max(200)
    .refine((v) => v.split(',').every((s) => (TICKET_STATUSES as readonly string[]).includes(s)))
    .optional(),
  assignee: z.string().min(1).max(64).optional(),
  unassigned: z.enum(['true', 'false']).optional(),
  group: z.string().min(1).max(64).optional(),
  breachingWithin: z.coerce.number().int().min(0).max(10_080).optional(),
  type: z.enum(TICKET_TYPES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  q: z.string().max(200).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const PortalListQuerySchema = ListQuerySchema.pick({
  status: true,
  type: true,
  q: true,
  cursor: true,
  limit: true,
});

type RawList = z.infer<typeof ListQuerySchema>;

function toListQuery(q: Partial<RawList> & { limit: number }): ListQuery {
  return {
    limit: q.limit,
    ...(q.status ? { status: q.status.split(',') } : {}),
    ...(q.assignee ? { assignee: q.assignee } : {}),
    ...(q.unassigned === 'true' ? { unassigned: true } : {}),
    ...(q.group ? { group: q.group } : {}),
    ...(q.breachingWithin !== undefined ? { breachingWithinMinutes: q.breachingWithin } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(q.priority ? { priority: q.priority } : {}),
    ...(q.q ? { q: q.q } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
}

function callerOf(request: FastifyRequest): Caller {
  const p = principalOf(request);
  return { userId: p.userId, roles: p.roles, audit: actorOf(request) };
}

// The service parses bodies itself (its messages name the field); the route only asks for JSON.
const AnyBody = z.looseObject({});

const CategorySchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  active: z.boolean(),
});

export function ticketsRoutes(tickets: TicketsService): RoutePlugin {
  return (app) => {
    const tags = ['tickets'];

    app.get(
      '/api/tickets',
      {
        config: { access: 'tickets.read' },
        schema: { tags, querystring: ListQuerySchema, response: { 200: PageSchema } },
      },
      async (request) => tickets.list(callerOf(request), toListQuery(request.query)),
    );

    app.get(
      '/api/tickets/export.csv',
      {
        config: { access: 'tickets.export' },
        schema: { tags, querystring: ListQuerySchema.omit({ limit: true }) },
      },
      async (request, reply) => {
        const csv = await tickets.exportCsv(
          callerOf(request),
          toListQuery({ ...request.query, limit: 500 }),
          request.locale === 'en' ? 'en' : 'zh',
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="tickets.csv"')
          .send(csv);
      },
    );

    app.get(
      '/api/tickets/callers',
      {
        config: { access: 'tickets.work' },
        schema: {
          tags,
          querystring: z.strictObject({ q: z.string().min(1).max(100) }),
          response: { 200: z.object({ items: z.array(TicketSchema) }) },
        },
      },
      async (request) => ({ items: await tickets.callerHistory(request.query.q) }),
    );

    app.get(
      '/api/tickets/categories',
      {
        config: { access: 'signedIn' },
        schema: { tags, response: { 200: z.object({ items: z.array(CategorySchema) }) } },
      },
      async () => ({ items: await tickets.listCategories() }),
    );

    app.post(
      '/api/tickets/categories',
      {
        config: { access: 'tickets.admin' },
        schema: { tags, body: AnyBody, response: { 201: CategorySchema } },
      },
      async (request, reply) =>
        reply.status(201).send(await tickets.createCategory(callerOf(request), request.body)),
    );

    app.patch(
      '/api/tickets/categories/:id',
      {
        config: { access: 'tickets.admin' },
        schema: { tags, params: IdParams, body: AnyBody, response: { 200: CategorySchema } },
      },
      async (request) => tickets.updateCategory(callerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/tickets/sla-policies',
      {
        config: { access: 'tickets.admin' },
        schema: { tags, response: { 200: z.object({ items: z.array(z.unknown()) }) } },
      },
      async () => ({ items: await tickets.listSlaPolicies() }),
    );

    app.post(
      '/api/tickets/sla-policies',
      {
        config: { access: 'tickets.admin' },
        schema: { tags, body: AnyBody, response: { 201: z.object({ id: z.string() }).loose() } },
      },
      async (request, reply) =>
        reply.status(201).send(await tickets.createSlaPolicy(callerOf(request), request.body)),
    );

    app.put(
      '/api/tickets/sla-policies/:id',
      {
        config: { access: 'tickets.admin' },
        schema: {
          tags,
          params: IdParams,
          body: AnyBody,
          response: { 200: z.object({ id: z.string() }).loose() },
        },
      },
      async (request) =>
        tickets.updateSlaPolicy(callerOf(request), request.params.id, request.body),
    );

    app.delete(
      '/api/tickets/sla-policies/:id',
      {
        config: { access: 'tickets.admin' },
        schema: { tags, params: IdParams, response: { 200: z.object({ id: z.string() }).loose() } },
      },
      async (request) => tickets.disableSlaPolicy(callerOf(request), request.params.id),
    );

    app.get(
      '/api/tickets/settings',
      {
        config: { access: 'tickets.admin' },
        schema: {
          tags,
          response: {
            200: z.object({
              priorityMatrix: z.unknown(),
              autoCloseDays: z.number(),
              slaWarnPercent: z.number(),
              slaAlertServiceId: z.string().nullable(),
              dispatchStrategy: z.string(),
              calendars: z.record(z.string(), z.unknown()),
            }),
          },
        },
      },
      async () => tickets.getSettings(),
    );

    app.put(
      '/api/tickets/settings/:key',
      {
        config: { access: 'tickets.admin' },
        schema: {
          tags,
          params: z.strictObject({ key: z.string().min(1).max(100) }),
          body: z.strictObject({ value: z.unknown() }),
          response: { 200: z.object({ key: z.string(), value: z.unknown() }) },
        },
      },
      async (request) =>
        tickets.putSetting(callerOf(request), request.params.key, request.body.value),
    );

    /*
     * One ticket's routes, for staff under /api/tickets and for requesters under
     * /api/portal/tickets: the same service calls, which limit a requester to their own tickets.
     */
    const ticketRoutes = (
      base: string,
      access: { create: Permission; read: Permission; work: Permission },
      actions: readonly ('escalations' | 'transitions' | 'survey')[],
    ) => {
      app.post(
        base,
        {
          config: { access: access.create },
          schema: { tags, body: AnyBody, response: { 201: TicketSchema } },
        },
        async (request, reply) =>
          reply.status(201).send(await tickets.createTicket(callerOf(request), request.body)),
      );

      app.get(
        `${base}/:id`,
        {
          config: { access: access.read },
          schema: { tags, params: IdParams, response: { 200: DetailSchema } },
        },
        async (request) => tickets.getTicket(callerOf(request), request.params.id),
      );

      app.post(
        `${base}/:id/replies`,
        {
          config: { access: access.work },
          schema: { tags, params: IdParams, body: AnyBody, response: { 201: EventSchema } },
        },
        async (request, reply) =>
          reply
            .status(201)
            .send(await tickets.reply(callerOf(request), request.params.id, request.body)),
      );

      const act = {
        transitions: tickets.transition,
        escalations: tickets.escalate,
        survey: tickets.survey,
      };
      for (const action of actions) {
        app.post(
          `${base}/:id/${action}`,
          {
            config: { access: access.work },
            schema: { tags, params: IdParams, body: AnyBody, response: { 200: TicketSchema } },
          },
          async (request) => act[action](callerOf(request), request.params.id, request.body),
        );
      }
    };

    ticketRoutes(
      '/api/tickets',
      { create: 'tickets.create', read: 'tickets.read', work: 'tickets.work' },
      ['transitions', 'escalations', 'survey'],
    );

    // ---- the requester's portal ----

    app.get(
      '/api/portal/tickets',
      {
        config: { access: 'tickets.portal' },
        schema: { tags, querystring: PortalListQuerySchema, response: { 200: PageSchema } },
      },
      async (request) => tickets.list(callerOf(request), toListQuery(request.query)),
    );

    ticketRoutes(
      '/api/portal/tickets',
      { create: 'tickets.portal', read: 'tickets.portal', work: 'tickets.portal' },
      ['transitions', 'survey'],
    );
  };
}
