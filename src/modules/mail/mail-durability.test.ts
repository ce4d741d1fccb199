import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from '../../../test/helpers/db.js';
import { mailClient } from '../../../test/helpers/mail-intake.js';
import { type Client, httpClient } from '../../../test/helpers/paging.js';

/*
 * Real `dutydesk serve` processes: a mail is sent to the listener and the process is killed with
 * SIGKILL the moment the 250 arrives. What was acknowledged must be there after a restart and be
 * turned into exactly one ticket, whether or not the killed process had begun processing it.
 */

const ADMIN_PASSWORD = 'admin-password-for-mail-durability';
const children = new Set<ChildProcess>();
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of [...children]) await kill9(c);
  for (const f of cleanups) await f();
}, 30_000);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      JOB_POLL_MS: '100',
      // A job the killed process had claimed is taken over when its lease runs out.
      JOB_LEASE_MS: '3000',
      MAIL_SMTP_HOST: '127.0.0.1',
      MAIL_ADDRESS: 'help@desk.example',
      MAIL_DOMAINS: 'desk.example',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready at|listening on/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  child.removeAllListeners('exit');
  return child;
}

function kill9(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function ticketsTitled(admin: Client, title: string): Promise<{ id: string }[]> {
  const res = await admin.request('GET', '/api/tickets?limit=200');
  return (res.json() as { items: { id: string; title: string }[] }).items.filter(
    (x) => x.title === title,
  );
}

describe.each(DIALECTS)('mail acknowledged with 250 on %s', (dialect) => {
  it('survives kill -9 right after the 250 and becomes exactly one ticket after restart', async () => {
    const tdb = await createTestDatabase(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-mail-kill-'));
    cleanups.push(
      () => rmSync(dataDir, { recursive: true, force: true }),
      () => tdb.drop(),
    );
    const httpPort = await freePort();
    const smtpPort = await freePort();
    const env = {
      DATABASE_URL: tdb.url,
      DATA_DIR: dataDir,
      PORT: String(httpPort),
      MAIL_SMTP_PORT: String(smtpPort),
    };
    const base = `http://127.0.0.1:${httpPort}`;
    let child = await serve(env);
    let admin = await httpClient(base, 'admin', ADMIN_PASSWORD);
    expect(
      (await admin.request('POST', '/api/tickets/categories', { name: '邮件报修' })).statusCode,
    ).toBe(201);

    for (const round of [1, 2]) {
      const title = `交换机告警 第${round}次`;
      const client = mailClient(smtpPort);
      const info = await client.send({
        from: 'zhao@customer.example',
        to: 'help@desk.example',
        subject: title,
        text: '机房交换机端口频繁up/down',
      });
      // The 250 is in: kill at once, before the process can do anything more.
      await kill9(child);
      client.close();
      expect(info.response).toMatch(/^250 /);

      child = await serve(env);
      admin = await httpClient(base, 'admin', ADMIN_PASSWORD);
      const end = Date.now() + 20_000;
      while ((await ticketsTitled(admin, title)).length === 0) {
        if (Date.now() > end) throw new Error(`no ticket for round ${round}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Give a duplicate every chance to appear: past another lease, a second run would show.
      await new Promise((r) => setTimeout(r, 3500));
      expect(await ticketsTitled(admin, title)).toHaveLength(1);
      const held = await admin.request('GET', '/api/mail/inbound?limit=10');
      const items = (held.json() as { items: { subject: string; status: string }[] }).items;
      expect(items.filter((i) => i.subject === title).map((i) => i.status)).toEqual(['done']);
    }
    await kill9(child);
  }, 180_000);
});
