import type { Compilable, CompiledQuery, Kysely, QueryResult, RawBuilder } from 'kysely';
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
    const parameters = t.params.map((x) => {
      if (!('slot' in x)) return x.value;
      const v = values[x.slot];
      // The builder would have left the column out; here the statement is fixed.
      if (v === undefined) throw new Error(`precompiled statement: no value for ${x.slot}`);
      return v;
    });
    return db.executeQuery<R>({ ...t.compiled, parameters });
  };
}

/** Statement sizes a multi-row insert is cut into: few distinct SQL texts (statement caches). */
const CHUNKS = [64, 32, 16, 8, 4, 2, 1];

/**
 * A multi-row insert, precompiled for a few fixed row counts (`CHUNKS`); any number of rows is
 * written in as few statements as those sizes allow. `build` gets placeholder rows, each
 * `columns` value a slot; every row passed must give every column (null, not undefined).
 */
export function precompiledRows<R extends Record<string, unknown>>(
  columns: readonly (keyof R & string)[],
  build: (db: Kysely<DB>, rows: R[]) => Compilable<unknown>,
): (db: Kysely<DB>, rows: readonly R[]) => Promise<void> {
  const bySize = new Map<
    number,
    (db: Kysely<DB>, values: Record<string, unknown>) => Promise<QueryResult<unknown>>
  >();
  return async (db, rows) => {
    let at = 0;
    while (at < rows.length) {
      const size = CHUNKS.find((c) => c <= rows.length - at)!;
      let stmt = bySize.get(size);
      if (!stmt) {
        stmt = precompiled<Record<string, unknown>>((d, p) =>
          build(
            d,
            Array.from(
              { length: size },
              (_, r) => Object.fromEntries(columns.map((c) => [c, p(`${r}:${c}`)])) as R,
            ),
          ),
        );
        bySize.set(size, stmt);
      }
      const values: Record<string, unknown> = {};
      for (let r = 0; r < size; r++) {
        const row = rows[at + r]!;
        for (const c of columns) values[`${r}:${c}`] = row[c];
      }
      await stmt(db, values);
      at += size;
    }
  };
}
