import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import {
  type Actor,
  type AuditEntry,
  type AuditQuery,
  insertAuditEvent,
  listAuditEvents,
} from './audit.store.js';

export type { Actor, AuditEntry, AuditQuery } from './audit.store.js';
export { SYSTEM_ACTOR } from './audit.store.js';

/**
 * Record a change in the append-only audit log. Every module calls this with the transaction
 * that makes the change, so the change and its audit record commit together or not at all.
 */
export function recordAudit(
  trx: Kysely<DB>,
  actor: Actor,
  at: number,
  entry: AuditEntry,
): Promise<void> {
  return insertAuditEvent(trx, actor, at, entry);
}

export interface AuditEventView {
  id: string;
  at: number;
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export async function readAuditLog(
  db: Kysely<DB>,
  q: AuditQuery,
): Promise<{ items: AuditEventView[]; nextBefore: string | null }> {
  const rows = await listAuditEvents(db, q);
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
    nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
  };
}
