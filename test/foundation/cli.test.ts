import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cli(dataDir: string, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  });
}

async function startServe(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready at|listening on/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  child.removeAllListeners('exit');
  return { child, output: () => out };
}

describe('the dutydesk CLI', () => {
  it('creates users, resets passwords, migrates, backs up and restores the SQLite file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-cli-'));
    dirs.push(dataDir);
    expect((await cli(dataDir, 'migrate')).stdout).toMatch(/Applied|up to date/);
    const created = await cli(
      dataDir,
      'user',
      'create',
      '--username',
      'li.na',
      '--name',
      '李娜',
      '--roles',
      'duty_manager,technician',
    );
    expect(created.stdout).toMatch(/Created li\.na \(duty_manager, technician\)/);
    expect(created.stdout).toMatch(/Password: \S+/);
    await expect(
      cli(dataDir, 'user', 'create', '--username', 'x.y', '--name', 'X', '--roles', 'wizard'),
    ).rejects.toThrow(/unknown role/);
    expect((await cli(dataDir, 'user', 'reset-password', 'li.na')).stdout).toMatch(
      /New password for li\.na: \S+/,
    );

    const backup = join(dataDir, 'backup.db');
    expect((await cli(dataDir, 'backup', backup)).stdout).toMatch(/Backed up/);
    await cli(dataDir, 'user', 'create', '--username', 'after.backup', '--name', 'After');
    expect((await cli(dataDir, 'restore', backup)).stdout).toMatch(/Restored/);
    // The user created after the backup is gone; the one before it is back.
    await expect(cli(dataDir, 'user', 'reset-password', 'after.backup')).rejects.toThrow(
      /No user named after.backup/,
    );
    expect((await cli(dataDir, 'user', 'reset-password', 'li.na')).stdout).toMatch(/New password/);
    await expect(cli(dataDir, 'restore', join(dataDir, 'nope.db'))).rejects.toThrow();
  }, 120_000);

  it('tells how to back up PostgreSQL with pg_dump', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'backup', 'x.dump'],
      {
        env: { ...process.env, DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:5432/dutydesk' },
      },
    );
    expect(stdout).toContain('pg_dump');
    expect(stdout).not.toContain('secret');
  });

  it('prints the first administrator, and keeps what it acknowledged through a kill -9', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-crash-'));
    dirs.push(dataDir);
    const port = 18_000 + Math.floor(Math.random() * 2000);
    const first = await startServe(dataDir, port);
    const password = /password: (\S+)/.exec(first.output())?.[1];
    expect(password).toBeDefined();
    const base = `http://127.0.0.1:${port}`;
    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const created = await fetch(`${base}/api/teams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: '夜班', timeZone: 'Asia/Shanghai' }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startServe(dataDir, port);
    try {
      expect(second.output()).not.toMatch(/password:/); // the admin exists: no new one
      const teams = await fetch(`${base}/api/teams`, { headers: { cookie } });
      expect(teams.status).toBe(200);
      expect(
        ((await teams.json()) as { items: { name: string }[] }).items.map((x) => x.name),
      ).toEqual(['夜班']);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  }, 60_000);
});
