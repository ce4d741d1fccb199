import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { ChannelTarget, NotificationMessage } from './channel.js';
import { EMPTY_RATE_STATE, type RateState } from './rate-limit.js';

/** The target's rate state, locked for this transaction on PostgreSQL (SQLite has one writer). */
export async function lockRateState(
  trx: Kysely<DB>,
  dialect: DialectName,
  targetKey: string,
  now: number,
): Promise<RateState> {
  await trx
    .insertInto('notify_rate_state')
    .values({
      target_key: targetKey,
      state_json: JSON.stringify(EMPTY_RATE_STATE),
      updated_at: now,
    })
    .onConflict((oc) => oc.column('target_key').doNothing())
    .execute();
  let q = trx
    .selectFrom('notify_rate_state')
    .select('state_json')
    .where('target_key', '=', targetKey);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirstOrThrow();
  return JSON.parse(row.state_json) as RateState;
}

export async function saveRateState(
  trx: Kysely<DB>,
  targetKey: string,
  state: RateState,
  now: number,
): Promise<void> {
  await trx
    .updateTable('notify_rate_state')
    .set({ state_json: JSON.stringify(state), updated_at: now })
    .where('target_key', '=', targetKey)
    .execute();
}

export async function insertHeld(
  trx: Kysely<DB>,
  h: {
    id: string;
    targetKey: string;
    target: ChannelTarget;
    message: NotificationMessage;
    pageId: string | null;
    sendKey: string | null;
    heldAt: number;
    releaseAt: number;
  },
): Promise<void> {
  await trx
    .insertInto('notify_held')
    .values({
      id: h.id,
      target_key: h.targetKey,
      target_json: JSON.stringify(h.target),
      message_json: JSON.stringify(h.message),
      page_id: h.pageId,
      send_key: h.sendKey,
      held_at: h.heldAt,
      release_at: h.releaseAt,
      digest_id: null,
      sent_at: null,
    })
    .execute();
}

/** Rows waiting for a digest, and rows `digestId` claimed on an earlier try, oldest first. */
export function heldForTarget(trx: Kysely<DB>, targetKey: string, digestId: string) {
  return trx
    .selectFrom('notify_held')
    .selectAll()
    .where('target_key', '=', targetKey)
    .where((eb) =>
      eb.or([
        eb('digest_id', 'is', null),
        eb.and([eb('digest_id', '=', digestId), eb('sent_at', 'is', null)]),
      ]),
    )
    .orderBy('held_at')
    .orderBy('id')
    .execute();
}

export async function claimHeld(trx: Kysely<DB>, ids: string[], digestId: string) {
  await trx
    .updateTable('notify_held')
    .set({ digest_id: digestId })
    .where('id', 'in', ids)
    .execute();
}

/** The digest went out: its rows are done (the robot URL and its secret are not kept). */
export async function markSent(trx: Kysely<DB>, digestId: string, at: number) {
  await trx
    .updateTable('notify_held')
    .set({ sent_at: at, target_json: '{}' })
    .where('digest_id', '=', digestId)
    .execute();
}

export function heldRows(db: Kysely<DB>, targetKey: string) {
  return db
    .selectFrom('notify_held')
    .selectAll()
    .where('target_key', '=', targetKey)
    .orderBy('held_at')
    .execute();
}
