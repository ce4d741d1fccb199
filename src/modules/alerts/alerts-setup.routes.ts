import { z } from 'zod';
import { type RoutePlugin, actorOf } from '../../server/app.js';
import type { AlertsSetup } from './alerts-setup.js';

const Id = z.strictObject({ id: z.uuid() });

/** Routes of the web app's alert setup: rotate an integration key, send a test alert. */
export function alertsSetupRoutes(setup: AlertsSetup): RoutePlugin {
  return (app) => {
    app.post(
      '/api/alerts/integrations/:id/rotate-key',
      {
        config: { access: 'alerts.manage' },
        schema: {
          tags: ['alerts'],
          summary: 'A new key for an integration; the old one stops working. Shown this once.',
          params: Id,
          body: z.strictObject({}).optional(),
        },
      },
      async (request) => setup.rotateKey(actorOf(request), request.params.id),
    );
    app.post(
      '/api/alerts/services/:id/test-alert',
      {
        config: { access: 'alerts.manage' },
        schema: {
          tags: ['alerts'],
          summary: 'Send a test alert through the generic intake; answers the page it opened',
          params: Id,
          body: z.strictObject({ summary: z.string().trim().min(1).max(200) }),
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await setup.sendTestAlert(actorOf(request), request.params.id, request.body.summary),
          ),
    );
  };
}
