import { EventEmitter } from 'node:events';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DialectName } from '../db/database.js';
import type { DB } from '../db/schema.js';

/**
 * Live updates for the web app (Server-Sent Events). A module publishes a small event on a
 * topic ("user:<id>", "alerts", "tickets"…) after its change commits; every process delivers it
 * to its own SSE clients. On PostgreSQL the event travels through NOTIFY, so a change made on
 * one process reaches browsers connected to another.
 */
export interface LiveEvent {
  topic: string;
  type: string;
  id?: string;
}

export interface LiveBus {
  publish(event: LiveEvent, trx?: Kysely<DB>): Promise<void>;
  subscribe(topic: string, listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'dutydesk_live';

export async function createLiveBus(opts: {
  db: Kysely<DB>;
  dialect: DialectName;
  databaseUrl: string;
  log: Logger;
}): Promise<LiveBus> {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const deliver = (event: LiveEvent) => local.emit(event.topic, event);

  let client: pg.Client | undefined;
  if (opts.dialect === 'postgres') {
    client = new pg.Client({ connectionString: opts.databaseUrl });
    client.on('error', (err) => opts.log.warn({ err }, 'live LISTEN connection error'));
    await client.connect();
    client.on('notification', (msg) => {
      try {
        if (msg.payload) deliver(JSON.parse(msg.payload) as LiveEvent);
      } catch (err) {
        opts.log.warn({ err }, 'bad live event');
      }
    });
    await client.query(`LISTEN ${CHANNEL}`);
  }

  return {
    async publish(event, trx) {
      if (opts.dialect === 'postgres') {
        // Sent on commit when given the transaction; every process (this one too) delivers it.
        await sql`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(event)})`.execute(trx ?? opts.db);
      } else {
        setImmediate(() => deliver(event));
      }
    },
    subscribe(topic, listener) {
      local.on(topic, listener);
      return () => local.off(topic, listener);
    },
    async close() {
      local.removeAllListeners();
      await client?.end().catch(() => undefined);
    },
  };
}
