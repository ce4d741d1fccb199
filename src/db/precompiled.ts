import type { Compilable, CompiledQuery, Kysely, QueryResult, RawBuilder } from 'kysely';
import { batchStatementRunner } from './group-commit.js';
import type { DB } from './schema.js';

/** Stands for a parameter while the statement is built: it ends up in `parameters`. */
class Slot {
  constructor(readonly name: string) {}
}

interface Template {
  compiled: CompiledQuery;
  /** For each parameter of the compiled statement: the slot's name, or a constant. */
  params: ({ slot: string } | { value: unknown })[];
}

/**
 * A hot-path statement built and compiled by Kysely once per database handle (its adapter,
 * i.e. its dialect), then run with new values: building and compiling a query cost more CPU
 * than SQLite's running it (a quarter of the intake's CPU, 2026-12-06 profile). The SQL and
 * the values bound are exactly those the builder would produce; `p(name)` marks where a
 * value goes (only as a value: not in a column name, not inside `sql` fragments' identifiers).
 */
export function precompiled<P extends Record<string, unknown>, R = unknown>(
  build: (
    db: Kysely<DB>,
    p: <K extends keyof P & string>(name: K) => P[K],
  ) => Compilable<R> | RawBuilder<R>,
): (db: Kysely<DB>, values: P) => Promise<QueryResult<R>> {
  return precompiledWith<P, R>(build, (slot, values) => {
    const v = values[slot];
    // The builder would have left the column out; here the statement is fixed.
    if (v === undefined) throw new Error(`precompiled statement: no value for ${slot}`);
    return v;
  });
}

/**
 * Builds once per adapter; each call binds its parameters with `bind(slot, values)`. In a
 * group-commit batch on SQLite the statement runs on the connection directly
 * (`batchStatementRunner`), elsewhere through Kysely.
 */
function precompiledWith<V, R>(
  build: (db: Kysely<DB>, p: (name: string) => never) => Compilable<R> | RawBuilder<R>,
  bind: (slot: string, values: V) => unknown,
): (db: Kysely<DB>, values: V) => Promise<QueryResult<R>> {
  const templates = new WeakMap<object, Template>();
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let t = templates.get(adapter);
    if (!t) {
      const built = build(db, (name) => new Slot(name) as never);
      // A `sql` template compiles against a database (its dialect), a builder by itself.
      const compiled = 'isRawBuilder' in built ? built.compile(db) : built.compile();
      t = {
        compiled,
        params: compiled.parameters.map((v) =>
          v instanceof Slot ? { slot: v.name } : { value: v },
        ),
      };
      templates.set(adapter, t);
    }
    const parameters = t.params.map((x) => ('slot' in x ? bind(x.slot, values) : x.value));
    const direct = batchStatementRunner(db);
    if (direct) return direct(t.compiled.sql, parameters) as QueryResult<R>;
    return db.executeQuery<R>({ ...t.compiled, parameters });
  };
}

/** Statement sizes a multi-row insert is cut into: few distinct SQL texts (statement caches). */
const CHUNKS = [64, 32, 16, 8, 4, 2, 1];

/**
 * A multi-row insert, precompiled for a few fixed row counts (`CHUNKS`); any number of rows is
 * written in as few statements as those sizes allow. `build` gets placeholder rows, each
 * `columns` value a slot; every row passed must give every column (null, not undefined).
 * Slots are named `<row>:<column>` and bound straight from the rows (no record of 64 × columns
 * string keys built per statement: that was ~3 % of the server's samples under bench:alerts).
 */
export function precompiledRows<R extends Record<string, unknown>>(
  columns: readonly (keyof R & string)[],
  build: (db: Kysely<DB>, rows: R[]) => Compilable<unknown>,
): (db: Kysely<DB>, rows: readonly R[]) => Promise<void> {
  /** The row and column of each slot name, parsed once. */
  const slots = new Map<string, { row: number; column: string }>();
  const bind = (slot: string, rows: readonly R[]) => {
    let s = slots.get(slot);
    if (!s) {
      const at = slot.indexOf(':');
      s = { row: Number(slot.slice(0, at)), column: slot.slice(at + 1) };
      slots.set(slot, s);
    }
    const v = rows[s.row]![s.column];
    if (v === undefined) throw new Error(`precompiled statement: no value for ${slot}`);
    return v;
  };
  const bySize = new Map<number, (db: Kysely<DB>, rows: readonly R[]) => Promise<unknown>>();
  return async (db, rows) => {
    let at = 0;
    while (at < rows.length) {
      const size = CHUNKS.find((c) => c <= rows.length - at)!;
      let stmt = bySize.get(size);
      if (!stmt) {
        stmt = precompiledWith<readonly R[], unknown>(
          (d, p) =>
            build(
              d,
              Array.from(
                { length: size },
                (_, r) =>
                  Object.fromEntries(columns.map((c) => [c, p(`${r}:${c}`)])) as unknown as R,
              ),
            ),
          bind,
        );
        bySize.set(size, stmt);
      }
      await stmt(db, rows.slice(at, at + size));
      at += size;
    }
  };
}
