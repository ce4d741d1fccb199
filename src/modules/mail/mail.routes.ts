import { z } from 'zod';
import { t } from '../../i18n/i18n.js';
import { type RoutePlugin, actorOf } from '../../server/app.js';
import type { MailService } from './mail.service.js';

/** Admin routes over inbound mail: what came in, what became of it, and held mail to act on. */

const IdParams = z.strictObject({ id: z.uuid() });
const STATUSES = ['received', 'done', 'ignored', 'held', 'discarded'] as const;

const SummarySchema = z.object({
  id: z.string(),
  receivedAt: z.number(),
  source: z.string(),
  remoteAddress: z.string().nullable(),
  envelopeFrom: z.string().nullable(),
  sizeBytes: z.number(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  messageId: z.string().nullable(),
  route: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  field: z.string().nullable(),
  outcome: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  runs: z.number(),
  processedAt: z.number().nullable(),
});

const DetailSchema = SummarySchema.extend({
  envelopeTo: z.array(z.string()),
  content: z
    .object({
      headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
      text: z.string(),
      html: z.string().nullable().describe('sanitised: no script, no remote image'),
      attachments: z.array(
        z.object({ fileName: z.string(), contentType: z.string(), sizeBytes: z.number() }),
      ),
    })
    .nullable(),
});

const NoBody = z.strictObject({}).optional();

export function mailRoutes(mail: MailService): RoutePlugin {
  return (app) => {
    const tags = ['mail'];
    app.get(
      '/api/mail/inbound',
      {
        config: { access: 'mail.admin' },
        schema: {
          tags,
          summary: 'Inbound mail, newest first; status=held lists what waits for an admin',
          querystring: z.strictObject({
            status: z.enum(STATUSES).optional(),
            cursor: z.string().max(100).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({ items: z.array(SummarySchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => mail.list(request.query),
    );

    app.get(
      '/api/mail/inbound/:id',
      {
        config: { access: 'mail.admin' },
        schema: { tags, params: IdParams, response: { 200: DetailSchema } },
      },
      async (request) => mail.get(request.params.id, t(request.locale, 'mail.image.blocked')),
    );

    app.get(
      '/api/mail/inbound/:id/raw',
      {
        config: { access: 'mail.admin' },
        schema: { tags, summary: 'The message as received (.eml)', params: IdParams },
      },
      async (request, reply) => {
        const raw = await mail.raw(request.params.id);
        if (!raw) return reply.status(204).send();
        return reply
          .header('content-type', 'message/rfc822')
          .header('content-disposition', `attachment; filename="${request.params.id}.eml"`)
          .header('x-content-type-options', 'nosniff')
          .send(raw);
      },
    );

    app.post(
      '/api/mail/inbound/:id/reprocess',
      {
        config: { access: 'mail.admin' },
        schema: { tags, params: IdParams, body: NoBody, response: { 200: SummarySchema } },
      },
      async (request) => mail.reprocess(actorOf(request), request.params.id),
    );

    app.post(
      '/api/mail/inbound/:id/discard',
      {
        config: { access: 'mail.admin' },
        schema: { tags, params: IdParams, body: NoBody, response: { 200: SummarySchema } },
      },
      async (request) => mail.discard(actorOf(request), request.params.id),
    );
  };
}
