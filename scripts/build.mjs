#!/usr/bin/env node
// Builds the server (tsc → dist/server) and the web app (vite → dist/web).
// With --if-stale it builds only when a source file is newer than the last build,
// so `npm start` and `npm test` on a fresh clone just work and stay quick afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

function stamp(name) {
  const p = join(root, 'dist', `.${name}-built`);
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

function mark(name) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', `.${name}-built`), new Date().toISOString());
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

const serverInputs = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'tsconfig.json')),
  newest(join(root, 'tsconfig.build.json')),
);
if (!ifStale || serverInputs > stamp('server')) {
  console.log('dutydesk: building server…');
  run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  mark('server');
}

const webInputs = Math.max(newest(join(root, 'web')), newest(join(root, 'src', 'i18n')));
if (!ifStale || webInputs > stamp('web')) {
  console.log('dutydesk: building web app…');
  run(bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
  mark('web');
}
