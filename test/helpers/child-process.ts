import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Real processes for crash tests: a child started with tsx (a `dutydesk serve`, or a script
 * doing part of the work) that the test kills with SIGKILL — no shutdown hook runs, nothing is
 * flushed or closed, exactly as when the machine loses the process.
 */

const children = new Set<ChildProcess>();

/** A free TCP port on the loopback (for a child's server). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Starts `node --import tsx <args>` and resolves once its stdout matches `ready` (rejects if it
 * exits first). Its output so far is kept in `output()`.
 */
export async function startChild(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (ready.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`child exited ${code ?? signal} before ready: ${out}`)),
    );
  });
  child.removeAllListeners('exit');
  return { child, output: () => out };
}

/** SIGKILL, and wait until the process is gone. */
export function kill9(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Kills every child still running (for afterAll). */
export async function killChildren(): Promise<void> {
  for (const c of [...children]) await kill9(c);
}
