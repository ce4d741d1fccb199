import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type TestApp, startTestApp } from './app.js';
import type { DialectName } from './db.js';
import { startSmtpSink } from './smtp.js';

/*
 * The service desk as its tests need it: a Dutydesk on a fresh database with the job worker
 * (its poll loop idle: a test runs jobs when it means to), optionally mail — a real SMTP sink
 * for outgoing mail and Dutydesk's own SMTP listener for help@desk.example — and the set-up
 * steps every ticket test repeats (teams, categories, row counts).
 */

export type DeskUser = Awaited<ReturnType<TestApp['userWith']>>;
export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

/** The desk's mail address when `mail` is on. */
export const DESK_ADDRESS = 'help@desk.example';

export interface TestDesk extends TestApp {
  /** The SMTP sink that receives Dutydesk's mail (`mail: true` only). */
  sink: SmtpSink | undefined;
  /** Runs due jobs until two rounds in a row find none (the poll loop may hold the slots). */
  runJobs(): Promise<void>;
  /** Rows in a table. */
  count(table: string): Promise<number>;
  /** A team in Asia/Shanghai (with these members); its id. */
  team(name: string, memberIds?: string[]): Promise<string>;
  /** A ticket category (under `parentId`); its id. */
  category(name: string, parentId?: string): Promise<string>;
}

export async function startTestDesk(
  dialect: DialectName,
  {
    mail = false,
    worker = true,
    env = {},
  }: {
    /** Start the SMTP sink and Dutydesk's SMTP listener. */
    mail?: boolean;
    /** Run the job worker role (idle poll loop); off: the API role only. */
    worker?: boolean;
    /** More environment; wins over the defaults above. */
    env?: Record<string, string>;
  } = {},
): Promise<TestDesk> {
  const sink = mail ? await startSmtpSink() : undefined;
  let t: TestApp;
  try {
    t = await startTestApp(dialect, {
      ...(worker ? { ROLES: 'api,worker', JOB_POLL_MS: '3600000' } : {}),
      ...(sink
        ? {
            MAIL_ADDRESS: DESK_ADDRESS,
            MAIL_DOMAINS: 'desk.example',
            MAIL_SMTP_PORT: '0',
            MAIL_SMTP_HOST: '127.0.0.1',
            ...sink.env,
          }
        : {}),
      ...env,
    });
  } catch (err) {
    await sink?.close();
    throw err;
  }

  const ok = (what: string, res: { statusCode: number; body: string }) => {
    if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  };
  return {
    ...t,
    sink,
    async runJobs() {
      let idle = 0;
      for (let i = 0; i < 60 && idle < 2; i++)
        idle = (await t.dd.jobs!.runDue()) === 0 ? idle + 1 : 0;
    },
    async count(table) {
      const r = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(
        t.dd.database.db,
      );
      return Number(r.rows[0]!.n);
    },
    async team(name, memberIds = []) {
      const res = await t.admin.request('POST', '/api/teams', { name, timeZone: 'Asia/Shanghai' });
      ok(`team ${name}`, res);
      const id = (res.json() as { team: { id: string } }).team.id;
      if (memberIds.length > 0)
        ok(
          `members of ${name}`,
          await t.admin.request('PUT', `/api/teams/${id}/members`, { userIds: memberIds }),
        );
      return id;
    },
    async category(name, parentId) {
      const res = await t.admin.request('POST', '/api/tickets/categories', {
        name,
        ...(parentId ? { parentId } : {}),
      });
      ok(`category ${name}`, res);
      return (res.json() as { id: string }).id;
    },
    async close() {
      try {
        await t.close();
      } finally {
        await sink?.close();
      }
    },
  };
}

/** A multipart/form-data body with one file in the `file` field, as the upload routes take. */
export function multipart(fileName: string, type: string, content: Buffer) {
  const boundary = `----dd${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Every file below `dir` (none when it does not exist): what attachment storage holds. */
export function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
