import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';

/** Who did something, from where: carried from the HTTP request into every change. */
export interface Actor {
  userId: string | null;
  name: string | null;
  ip: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system', ip: null, requestId: null };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Append one audit event. Call it with the transaction that makes the change. */
export async function insertAuditEvent(
  trx: Kysely<DB>,
  actor: Actor,
  at: number,
  entry: AuditEntry,
): Promise<void> {
  await trx
    .insertInto('audit_event')
    .values({
      id: newId(),
      at,
      actor_id: actor.userId,
      actor_name: actor.name,
      ip: actor.ip,
      request_id: actor.requestId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** Cursor: the id of the last event of the previous page (ids are time-ordered). */
  before?: string;
  limit: number;
}

export async function listAuditEvents(db: Kysely<DB>, q: AuditQuery) {
  let query = db.selectFrom('audit_event').selectAll();
  if (q.entityType) query = query.where('entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}
