import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /** The SQLite file (for backup), when the dialect is SQLite. */
  readonly sqliteFile?: string;
  readonly sqlite?: SQLite.Database;
  readonly pgPool?: pg.Pool;
  close(): Promise<void>;
}

// int8/bigint columns hold epoch milliseconds, which fit a JS number exactly.
pg.types.setTypeParser(20, (v) => Number(v));

export function sqlitePathFromUrl(url: string): string | undefined {
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return undefined;
}

/**
 * Kysely prepares every query afresh; the same few hundred statements run again and again, so
 * the compiled statements are kept (bounded: a flood of distinct SQL just empties the cache).
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(source: string): SQLite.Statement {
      let stmt = cache.get(source);
      if (!stmt) {
        if (cache.size >= 1000) cache.clear();
        stmt = sqlite.prepare(source);
        cache.set(source, stmt);
      }
      return stmt;
    },
  };
}

/** Runs a compiled statement on a SQLite handle's one connection, as Kysely's driver would. */
export type SqliteStatementRunner = (
  sql: string,
  parameters: readonly unknown[],
) => QueryResult<unknown>;

const sqliteRunners = new WeakMap<Kysely<DB>, SqliteStatementRunner>();

/**
 * The statement runner of a SQLite handle opened here (undefined on PostgreSQL): for the group
 * commit, which lets its batch's hot statements skip Kysely's per-query executor (see
 * `batchStatementRunner`). Results are shaped exactly as Kysely's SQLite driver shapes them.
 */
export function sqliteRunnerOf(db: Kysely<DB>): SqliteStatementRunner | undefined {
  return sqliteRunners.get(db);
}

function statementRunner(cache: ReturnType<typeof withStatementCache>): SqliteStatementRunner {
  return (sql, parameters) => {
    const stmt = cache.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  };
}

/**
 * Transactions start with `BEGIN IMMEDIATE` (Kysely's driver says `BEGIN`, deferred): the
 * write lock is taken at the start, waiting up to `busy_timeout` for another process's
 * transaction. A deferred transaction that has read and then writes while another process
 * holds or has just released the lock fails at once with SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT
 * (no busy wait can help a stale snapshot): with the api and the worker in two processes on one
 * file, a third of the intake's batches failed that way as 500s (bench:alerts, 2026-12-07).
 * Within one process nothing changes: its one connection runs one transaction at a time.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** Open the database named by `url`: `sqlite:<path>` or `postgres://…`. */
export function openDatabase(
  url: string,
  opts: { poolSize?: number; onIdleError?: (err: Error) => void } = {},
): Database {
  const file = sqlitePathFromUrl(url);
  if (file !== undefined) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // FULL: a commit the API has acknowledged survives power loss, not just a process crash.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const cache = withStatementCache(sqlite);
    const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: cache }) });
    sqliteRunners.set(db, statementRunner(cache));
    return {
      db,
      dialect: 'sqlite',
      sqliteFile: file,
      sqlite,
      close: () => db.destroy(),
    };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on the next query.
    pool.on('error', (err) => opts.onIdleError?.(err));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', pgPool: pool, close: () => db.destroy() };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url}")`);
}
