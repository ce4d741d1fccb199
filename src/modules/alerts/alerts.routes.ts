import { z } from 'zod';
import { t } from '../../i18n/i18n.js';
import { type RoutePlugin, type TypedApp, actorOf, principalOf } from '../../server/app.js';
import {
  contactMethodInput,
  escalationPolicyInput,
  heartbeatInput,
  integrationInput,
  maintenanceWindowInput,
  notificationRuleInput,
  pageActionInput,
  serviceInput,
} from './alerts.schema.js';
import type { AlertsService } from './alerts.service.js';
import { MAX_EVENT_BYTES } from './intake/common.js';

const Id = z.strictObject({ id: z.uuid() });
const KeyParams = z.strictObject({ key: z.string().min(1).max(200) });
const Limit = z.coerce.number().int().min(1).max(500).default(100);
const Envelope = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });
const AnyObject = z.record(z.string(), z.unknown());

const PolicyView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  repeat: z.number(),
  levels: z.array(AnyObject),
  updatedAt: z.number(),
});
const ServiceView = z.object({
  id: z.string(),
  name: z.string(),
  escalationPolicyId: z.string(),
  groupingWindowMinutes: z.number(),
  flap: AnyObject,
});
const ContactView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  address: z.string(),
  verified: z.boolean(),
  disabled: z.boolean(),
});
const PageView = z.object({
  id: z.string(),
  serviceId: z.string(),
  summary: z.string(),
  severity: z.string(),
  status: z.string(),
  alertCount: z.number(),
  level: z.number(),
  openedAt: z.number(),
  acknowledgedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
});
const AlertView = z.object({
  id: z.string(),
  serviceId: z.string(),
  dedupKey: z.string(),
  status: z.string(),
  summary: z.string(),
  source: z.string(),
  severity: z.string(),
  count: z.number(),
  pageId: z.string().nullable(),
  suppressed: z.string().nullable(),
  createdAt: z.number(),
  resolvedAt: z.number().nullable(),
});
const PageDetail = PageView.extend({
  alerts: z.array(AlertView),
  timeline: z.array(
    z.object({ id: z.string(), at: z.number(), type: z.string(), data: AnyObject }),
  ),
});

const INTAKE_KINDS = ['generic', 'alertmanager', 'grafana', 'zabbix'] as const;

/** Intake bodies are read raw: size and JSON are judged by the intake code, with its reasons. */
function rawBodies(app: TypedApp): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: MAX_EVENT_BYTES * 4 },
    (_req, body, done) => done(null, body),
  );
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function alertsRoutes(alerts: AlertsService): RoutePlugin {
  return async (app) => {
    // ---- intake (public: the integration key authenticates) ------------------------------------
    await app.register((sub: TypedApp, _opts, next) => {
      rawBodies(sub);
      sub.post(
        '/v2/enqueue',
        {
          config: { access: 'public' },
          // The hot path: no request log lines at info (warnings and errors still show).
          logLevel: 'warn',
          schema: {
            tags: ['alerts'],
            summary: 'PagerDuty Events API v2–compatible intake (routing_key = integration key)',
          },
        },
        async (request, reply) => {
          const answer = await alerts.intake(
            'pagerduty',
            null,
            typeof request.body === 'string' ? request.body : '',
          );
          if (answer.kind === 'unknown_key') return reply.status(400).send({});
          // PagerDuty's shape, plus our envelope's `code` (clients ignore unknown fields).
          if (answer.status >= 400)
            return reply
              .status(answer.status)
              .send({ code: 'invalid_event', ...(answer.body as object) });
          return reply.status(answer.status).send(answer.body);
        },
      );
      for (const kind of INTAKE_KINDS) {
        sub.post(
          `/api/integrations/:key/${kind}`,
          {
            config: { access: 'public' },
            logLevel: 'warn',
            schema: { tags: ['alerts'], summary: `${kind} alert intake`, params: KeyParams },
          },
          async (request, reply) => {
            const answer = await alerts.intake(
              kind,
              request.params.key,
              typeof request.body === 'string' ? request.body : '',
            );
            if (answer.kind === 'unknown_key')
              return reply.status(404).send({
                code: 'integration_not_found',
                message: t(request.locale, 'alerts.errors.routingKeyUnknown'),
              });
            return reply.status(answer.status).send(answer.body);
          },
        );
      }
      sub.post(
        '/api/heartbeats/:key/ping',
        {
          config: { access: 'public' },
          schema: { tags: ['alerts'], summary: 'Heartbeat ping', params: KeyParams },
        },
        async (request, reply) => {
          if (!(await alerts.ping(request.params.key)))
            return reply.status(404).send({
              code: 'heartbeat_not_found',
              message: t(request.locale, 'alerts.errors.routingKeyUnknown'),
            });
          return reply.status(202).send({ status: 'ok' });
        },
      );
      next();
    });

    // ---- action links (public: the signed token authenticates) -------------------------------
    const Token = z.strictObject({ token: z.string().min(1).max(2000) });
    app.get(
      '/a/:token',
      {
        config: { access: 'public' },
        schema: {
          tags: ['alerts'],
          summary: 'Short action link in messages; redirects to /api/pages/action',
          params: Token,
        },
      },
      async (request, reply) =>
        reply.redirect(`/api/pages/action?token=${encodeURIComponent(request.params.token)}`),
    );
    app.get(
      '/api/pages/action',
      {
        config: { access: 'public' },
        schema: { tags: ['alerts'], summary: 'What a signed action link does', querystring: Token },
      },
      async (request, reply) => {
        const v = await alerts.verifyLink(request.query.token);
        if (!v.ok) {
          const key =
            v.reason === 'expired'
              ? 'alerts.errors.actionLinkExpired'
              : 'alerts.errors.actionLinkInvalid';
          return reply
            .status(400)
            .send({ code: `link_${v.reason}`, message: t(request.locale, key) });
        }
        const page = await alerts.getPage(v.claims.pageId);
        const body = {
          action: v.claims.action,
          page: {
            id: page.id,
            summary: page.summary,
            status: page.status,
            severity: page.severity,
          },
        };
        if (!(request.headers.accept ?? '').includes('text/html')) return body;
        const label = t(request.locale, `notify.actions.${v.claims.action}`);
        const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Dutydesk</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem"><h1 style="font-size:1.2rem">${escapeHtml(page.summary)}</h1><p>${escapeHtml(page.status)}</p><form method="post" action="/api/pages/action"><input type="hidden" name="token" value="${escapeHtml(request.query.token)}"><button style="font-size:1.2rem;padding:.6rem 1.2rem" type="submit">${escapeHtml(label)}</button></form></body></html>`;
        return reply.type('text/html; charset=utf-8').send(html);
      },
    );
    await app.register((sub: TypedApp, _opts, next) => {
      // The confirm page posts a form; API clients post JSON.
      sub.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) =>
          done(null, Object.fromEntries(new URLSearchParams(String(body)).entries())),
      );
      sub.post(
        '/api/pages/action',
        {
          config: { access: 'public' },
          schema: { tags: ['alerts'], summary: 'Perform a signed action link', body: Token },
        },
        async (request, reply) => {
          const v = await alerts.verifyLink(request.body.token);
          if (!v.ok) {
            const key =
              v.reason === 'expired'
                ? 'alerts.errors.actionLinkExpired'
                : 'alerts.errors.actionLinkInvalid';
            return reply
              .status(400)
              .send({ code: `link_${v.reason}`, message: t(request.locale, key) });
          }
          const actor = { ...actorOf(request), userId: v.claims.userId, name: 'action-link' };
          const page = await alerts.act(actor, v.claims.userId, v.claims.pageId, {
            type: v.claims.action,
          });
          return { action: v.claims.action, page: { id: page.id, status: page.status } };
        },
      );
      next();
    });

    // ---- configuration (alerts.manage) ------------------------------------------------------
    app.get(
      '/api/alerts/policies',
      {
        config: { access: 'alerts.read' },
        schema: { tags: ['alerts'], response: { 200: z.object({ items: z.array(PolicyView) }) } },
      },
      async () => ({ items: await alerts.listPolicies() }),
    );
    app.post(
      '/api/alerts/policies',
      {
        config: { access: 'alerts.manage' },
        schema: {
          tags: ['alerts'],
          body: escalationPolicyInput,
          response: { 201: PolicyView, 400: Envelope },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await alerts.createPolicy(actorOf(request), request.body)),
    );
    app.put(
      '/api/alerts/policies/:id',
      {
        config: { access: 'alerts.manage' },
        schema: {
          tags: ['alerts'],
          params: Id,
          body: escalationPolicyInput,
          response: { 200: PolicyView },
        },
      },
      async (request) => alerts.updatePolicy(actorOf(request), request.params.id, request.body),
    );
    app.get(
      '/api/alerts/services',
      {
        config: { access: 'alerts.read' },
        schema: { tags: ['alerts'], response: { 200: z.object({ items: z.array(ServiceView) }) } },
      },
      async () => ({ items: await alerts.listServices() }),
    );
    app.post(
      '/api/alerts/services',
      {
        config: { access: 'alerts.manage' },
        schema: { tags: ['alerts'], body: serviceInput, response: { 201: ServiceView } },
      },
      async (request, reply) =>
        reply.status(201).send(await alerts.createService(actorOf(request), request.body)),
    );
    app.get(
      '/api/alerts/services/:id/integrations',
      {
        config: { access: 'alerts.manage' },
        schema: { tags: ['alerts'], params: Id },
      },
      async (request) => ({ items: await alerts.listIntegrations(request.params.id) }),
    );
    app.post(
      '/api/alerts/integrations',
      {
        config: { access: 'alerts.manage' },
        schema: {
          tags: ['alerts'],
          summary: 'Create an integration; the key is shown in this answer only',
          body: integrationInput,
        },
      },
      async (request, reply) =>
        reply.status(201).send(await alerts.createIntegration(actorOf(request), request.body)),
    );
    app.get(
      '/api/alerts/maintenance',
      { config: { access: 'alerts.read' }, schema: { tags: ['alerts'] } },
      async () => ({ items: await alerts.listMaintenance() }),
    );
    app.post(
      '/api/alerts/maintenance',
      {
        config: { access: 'alerts.manage' },
        schema: { tags: ['alerts'], body: maintenanceWindowInput },
      },
      async (request, reply) =>
        reply.status(201).send(await alerts.createMaintenance(actorOf(request), request.body)),
    );
    app.get(
      '/api/alerts/heartbeats',
      { config: { access: 'alerts.read' }, schema: { tags: ['alerts'] } },
      async () => ({ items: await alerts.listHeartbeats() }),
    );
    app.post(
      '/api/alerts/heartbeats',
      {
        config: { access: 'alerts.manage' },
        schema: { tags: ['alerts'], body: heartbeatInput },
      },
      async (request, reply) =>
        reply.status(201).send(await alerts.createHeartbeat(actorOf(request), request.body)),
    );

    // ---- alerts and pages ------------------------------------------------------------------------
    app.get(
      '/api/alerts',
      {
        config: { access: 'alerts.read' },
        schema: {
          tags: ['alerts'],
          querystring: z.strictObject({ serviceId: z.uuid().optional(), limit: Limit }),
          response: { 200: z.object({ items: z.array(AlertView) }) },
        },
      },
      async (request) => ({
        items: await alerts.listAlerts({
          limit: request.query.limit,
          ...(request.query.serviceId ? { serviceId: request.query.serviceId } : {}),
        }),
      }),
    );
    app.get(
      '/api/pages',
      {
        config: { access: 'alerts.read' },
        schema: {
          tags: ['alerts'],
          querystring: z.strictObject({
            status: z.enum(['triggered', 'acknowledged', 'resolved']).optional(),
            limit: Limit,
          }),
          response: { 200: z.object({ items: z.array(PageView) }) },
        },
      },
      async (request) => ({
        items: await alerts.listPages({
          limit: request.query.limit,
          ...(request.query.status ? { status: request.query.status } : {}),
        }),
      }),
    );
    app.get(
      '/api/pages/:id',
      {
        config: { access: 'alerts.read' },
        schema: { tags: ['alerts'], params: Id, response: { 200: PageDetail } },
      },
      async (request) => alerts.getPage(request.params.id),
    );
    app.post(
      '/api/pages/:id/actions',
      {
        config: { access: 'alerts.respond' },
        schema: {
          tags: ['alerts'],
          params: Id,
          body: pageActionInput,
          response: { 200: PageDetail },
        },
      },
      async (request) =>
        alerts.act(actorOf(request), principalOf(request).userId, request.params.id, request.body),
    );

    // ---- my contact methods and rules (signed in: one's own) -----------------------------------
    app.get(
      '/api/profile/contact-methods',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['alerts'], response: { 200: z.object({ items: z.array(ContactView) }) } },
      },
      async (request) => ({
        items: await alerts.listContactMethods(principalOf(request).userId),
      }),
    );
    app.post(
      '/api/profile/contact-methods',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['alerts'], body: contactMethodInput, response: { 201: ContactView } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await alerts.createContactMethod(
              actorOf(request),
              principalOf(request).userId,
              request.body,
            ),
          ),
    );
    app.post(
      '/api/profile/contact-methods/:id/send-code',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['alerts'], params: Id, body: z.strictObject({}).optional() },
      },
      async (request) =>
        alerts.startContactVerification(principalOf(request).userId, request.params.id),
    );
    app.post(
      '/api/profile/contact-methods/:id/verify',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['alerts'],
          params: Id,
          body: z.strictObject({ code: z.string().regex(/^\d{6}$/) }),
          response: { 200: ContactView },
        },
      },
      async (request) =>
        alerts.verifyContactMethod(
          actorOf(request),
          principalOf(request).userId,
          request.params.id,
          request.body.code,
        ),
    );
    app.get(
      '/api/profile/notification-rules',
      { config: { access: 'signedIn' }, schema: { tags: ['alerts'] } },
      async (request) => ({ items: await alerts.listRules(principalOf(request).userId) }),
    );
    app.post(
      '/api/profile/notification-rules',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['alerts'], body: notificationRuleInput },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await alerts.addRule(actorOf(request), principalOf(request).userId, request.body)),
    );
    app.delete(
      '/api/profile/notification-rules/:id',
      { config: { access: 'signedIn' }, schema: { tags: ['alerts'], params: Id } },
      async (request, reply) => {
        await alerts.removeRule(actorOf(request), principalOf(request).userId, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
