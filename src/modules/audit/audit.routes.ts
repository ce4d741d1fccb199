import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { RoutePlugin } from '../../server/app.js';
import { readAuditLog } from './audit.service.js';

const AuditEventSchema = z.object({
  id: z.string(),
  at: z.number(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});

const AuditQuery = z.strictObject({
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Read-only: there is deliberately no route that edits or deletes the audit log. */
export function auditRoutes(db: Kysely<DB>): RoutePlugin {
  return (app) => {
    app.get(
      '/api/audit',
      {
        config: { access: 'audit.read' },
        schema: {
          tags: ['audit'],
          querystring: AuditQuery,
          response: {
            200: z.object({ items: z.array(AuditEventSchema), nextBefore: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const { limit, ...filter } = request.query;
        return readAuditLog(db, { ...filter, limit });
      },
    );
  };
}
