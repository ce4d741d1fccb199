import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { RoutePlugin } from '../../server/app.js';
import { listAuditEvents } from './audit.store.js';

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
    app.get('/api/audit', {
      config: { access: 'audit.read' },
      schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: z.object({ items: z.array(AuditEventSchema), nextBefore: z.string().nullable() }) } },
    }, async (request) => {
      const { limit, ...filter } = request.query;
      const rows = await listAuditEvents(db, { ...filter, limit });
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at,
          actorId: r.actor_id,
          actorName: r.actor_name,
          ip: r.ip,
          requestId: r.request_id,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown),
          after: r.after_json === null ? null : (JSON.parse(r.after_json) as unknown),
        })),
        nextBefore: rows.length === limit ? rows[rows.length - 1]!.id : null,
      };
    });
  };
}
