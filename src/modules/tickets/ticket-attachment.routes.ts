import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invalid } from '../../lib/errors.js';
import { type RoutePlugin, actorOf, principalOf } from '../../server/app.js';
import type { Permission } from '../../server/permissions.js';
import { contentDisposition } from './attachment-policy.js';
import type { AttachmentService } from './ticket-attachment.service.js';
import type { Caller } from './tickets.service.js';

/**
 * Upload (multipart/form-data, one file in field `file`), list and download of ticket
 * attachments. Downloads are always `Content-Disposition: attachment` with `nosniff` and a
 * sandboxing CSP, so nothing uploaded is ever rendered as a page of ours.
 */

const IdParams = z.strictObject({ id: z.uuid() });

const AttachmentSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  eventId: z.string().nullable(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  visibility: z.string(),
  source: z.string(),
  contentId: z.string().nullable(),
  uploadedBy: z.string().nullable(),
  createdAt: z.number(),
  url: z.string(),
});

function callerOf(request: FastifyRequest): Caller {
  const p = principalOf(request);
  return { userId: p.userId, roles: p.roles, audit: actorOf(request) };
}

export function ticketAttachmentRoutes(attachments: AttachmentService): RoutePlugin {
  return async (app) => {
    const tags = ['tickets'];
    await app.register(fastifyMultipart, {
      // One byte over the limit is how an oversized file is told from one exactly at it.
      limits: { fileSize: attachments.policy.maxBytes + 1, files: 1, fields: 10, fieldSize: 1024 },
      throwFileSizeLimit: false,
    });

    const routes = (base: string, access: { read: Permission; write: Permission }) => {
      app.post(
        `${base}/:id/attachments`,
        {
          config: { access: access.write },
          schema: {
            tags,
            summary: 'Attach a file (multipart/form-data, field "file")',
            consumes: ['multipart/form-data'],
            params: IdParams,
            querystring: z.strictObject({
              visibility: z.enum(['public', 'internal']).default('public'),
            }),
            response: { 201: AttachmentSchema },
          },
        },
        async (request, reply) => {
          if (!request.isMultipart()) throw invalid('file', 'tickets.attachments.notMultipart');
          const part = await request.file();
          const view = await attachments.upload(
            callerOf(request),
            request.params.id,
            part ? { stream: part.file, fileName: part.filename, mimeType: part.mimetype } : null,
            request.query.visibility,
          );
          return reply.status(201).send(view);
        },
      );

      app.get(
        `${base}/:id/attachments`,
        {
          config: { access: access.read },
          schema: {
            tags,
            params: IdParams,
            response: { 200: z.object({ items: z.array(AttachmentSchema) }) },
          },
        },
        async (request) => ({
          items: await attachments.list(callerOf(request), request.params.id),
        }),
      );
    };
    routes('/api/tickets', { read: 'tickets.read', write: 'tickets.work' });

    // A file for a ticket or reply not written yet: its id goes into `attachmentIds`.
    app.post(
      '/api/ticket-uploads',
      {
        config: { access: 'tickets.upload' },
        schema: {
          tags,
          summary: 'Upload a file to attach on create or reply (multipart/form-data, field "file")',
          consumes: ['multipart/form-data'],
          response: {
            201: z.object({
              id: z.string(),
              fileName: z.string(),
              contentType: z.string(),
              sizeBytes: z.number(),
              createdAt: z.number(),
            }),
          },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw invalid('file', 'tickets.attachments.notMultipart');
        const part = await request.file();
        const view = await attachments.uploadPending(
          callerOf(request),
          part ? { stream: part.file, fileName: part.filename, mimeType: part.mimetype } : null,
        );
        return reply.status(201).send(view);
      },
    );
    routes('/api/portal/tickets', { read: 'tickets.portal', write: 'tickets.portal' });

    app.get(
      '/api/ticket-attachments/:id',
      {
        config: { access: 'tickets.attachment' },
        schema: {
          tags,
          summary: 'Download an attachment (staff; a requester their own tickets’ public ones)',
          params: IdParams,
        },
      },
      async (request, reply) => {
        const { attachment, stream } = await attachments.open(callerOf(request), request.params.id);
        return reply
          .header('content-type', attachment.contentType)
          .header('content-length', String(attachment.sizeBytes))
          .header('content-disposition', contentDisposition(attachment.fileName))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=3600')
          .send(stream);
      },
    );
  };
}
