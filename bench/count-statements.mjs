/**
 * A profiling preload for the server (not the product): counts the SQLite statements it runs,
 * by SQL text, and writes them as JSON to $COUNT_STATEMENTS_OUT when the process exits.
 *   BENCH_DIALECTS=sqlite BENCH_SERVER_NODE_ARGS="--import ./bench/count-statements.mjs" \
 *   COUNT_STATEMENTS_OUT=/tmp/statements.json npm run bench:alerts
 * Counts every execution (run, get, all, iterate) of a prepared statement, including BEGIN and
 * COMMIT, whether or not the statement came from the statement cache.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SQLite = require('better-sqlite3');
const probe = new SQLite(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('SELECT 1'));
probe.close();
const counts = new Map();
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = proto[method];
  proto[method] = function (...args) {
    counts.set(this.source, (counts.get(this.source) ?? 0) + 1);
    return original.apply(this, args);
  };
}
const out = process.env.COUNT_STATEMENTS_OUT;
if (out)
  process.on('exit', () => {
    const sorted = [...counts].sort((a, b) => b[1] - a[1]);
    writeFileSync(out, JSON.stringify(Object.fromEntries(sorted), null, 1));
  });
