import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
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
  build: (db: Kysely<DB>, p: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R>,
): (db: Kysely<DB>, values: P) => Promise<QueryResult<R>> {
  const templates = new WeakMap<object, Template>();
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let t = templates.get(adapter);
    if (!t) {
      const compiled = build(db, (name) => new Slot(name) as never).compile();
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
