import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.js';
import {
  type DeskUser,
  type TestDesk,
  filesUnder,
  multipart,
  startTestDesk,
} from '../../../test/helpers/desk.js';
import { DIALECTS } from '../../../test/helpers/db.js';
import { PNG } from '../../../test/helpers/mail-intake.js';
import { createAttachmentFiles } from './attachment-files.js';

describe.each(DIALECTS)('ticket attachments on %s', (dialect) => {
  let t: TestDesk;
  let agent: DeskUser;
  let requester: DeskUser;
  let other: DeskUser;
  let guard: DeskUser;
  let ticketId: string;
  let dir: string;

  const upload = (
    who: { request: TestApp['admin']['request'] },
    url: string,
    f: ReturnType<typeof multipart>,
  ) => who.request('POST', url, f.body, f.headers);

  beforeAll(async () => {
    t = await startTestDesk(dialect, { worker: false, env: { ATTACHMENT_MAX_BYTES: '4096' } });
    dir = join(t.dd.config.dataDir, 'attachments');
    agent = await t.userWith(['service_agent']);
    requester = await t.userWith(['requester']);
    other = await t.userWith(['requester']);
    guard = await t.userWith(['security_guard']);
    const res = await requester.request('POST', '/api/portal/tickets', {
      channel: 'portal',
      type: 'fault',
      categoryId: await t.category('打印机'),
      title: '打印机卡纸',
      description: '三楼打印机卡纸',
    });
    expect(res.statusCode, res.body).toBe(201);
    ticketId = (res.json() as { id: string }).id;
  });
  afterAll(async () => t.close());

  it('uploads, lists and downloads with download-only headers; the timeline and audit say so', async () => {
    const res = await upload(
      agent,
      `/api/tickets/${ticketId}/attachments`,
      multipart('屏幕截图.png', 'image/png', PNG),
    );
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as { id: string; url: string; sizeBytes: number; fileName: string };
    expect(a).toMatchObject({ fileName: '屏幕截图.png', sizeBytes: PNG.length });
    const dl = await agent.request('GET', a.url);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    expect(dl.headers['content-disposition']).toMatch(/^attachment; /);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-security-policy']).toContain('sandbox');
    const d = (await agent.request('GET', `/api/tickets/${ticketId}`)).json() as {
      events: { kind: string; data: { attachments?: { id: string }[] } }[];
    };
    expect(d.events.find((e) => e.kind === 'attachment')?.data.attachments?.[0]?.id).toBe(a.id);
    const audit = (await t.admin.request('GET', '/api/audit?limit=20')).json() as {
      items: { action: string; entityId: string }[];
    };
    expect(
      audit.items.some((i) => i.action === 'ticket.attachment.add' && i.entityId === ticketId),
    ).toBe(true);
    expect(await t.count('ticket_attachment_intent')).toBe(0);
  });

  it('refuses a refused type, an oversized file and a non-multipart body with 400 naming the field, saving nothing', async () => {
    const rows = await t.count('ticket_attachment');
    const files = filesUnder(dir).length;
    for (const f of [
      multipart('page.html', 'text/html', Buffer.from('<script>alert(1)</script>')),
      multipart('notes.txt', 'text/plain', Buffer.from('<html><script>x()</script>')),
      multipart('fake.png', 'image/png', Buffer.from('not a png at all')),
      multipart('big.png', 'image/png', Buffer.concat([PNG, Buffer.alloc(5000)])),
    ]) {
      const res = await upload(agent, `/api/tickets/${ticketId}/attachments`, f);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'file' });
    }
    const big = await upload(
      agent,
      `/api/tickets/${ticketId}/attachments`,
      multipart('big.png', 'image/png', Buffer.concat([PNG, Buffer.alloc(5000)])),
    );
    expect(big.json().message).toContain('4 KB');
    const json = await agent.request('POST', `/api/tickets/${ticketId}/attachments`, {});
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ field: 'file' });
    expect(await t.count('ticket_attachment')).toBe(rows);
    expect(await t.count('ticket_attachment_intent')).toBe(0);
    expect(filesUnder(dir)).toHaveLength(files);
  });

  it('lets a requester attach to and read their own ticket only, and never internal files', async () => {
    const mine = await upload(
      requester,
      `/api/portal/tickets/${ticketId}/attachments`,
      multipart('log.txt', 'text/plain', Buffer.from('E-42\n')),
    );
    expect(mine.statusCode, mine.body).toBe(201);
    const internal = await upload(
      agent,
      `/api/tickets/${ticketId}/attachments?visibility=internal`,
      multipart('diag.txt', 'text/plain', Buffer.from('internal\n')),
    );
    expect(internal.statusCode).toBe(201);
    const list = await requester.request('GET', `/api/portal/tickets/${ticketId}/attachments`);
    const names = (list.json() as { items: { fileName: string }[] }).items.map((i) => i.fileName);
    expect(names).toContain('log.txt');
    expect(names).not.toContain('diag.txt');
    expect((await requester.request('GET', (mine.json() as { url: string }).url)).statusCode).toBe(
      200,
    );
    expect(
      (await requester.request('GET', (internal.json() as { url: string }).url)).statusCode,
    ).toBe(404);
    expect((await other.request('GET', (mine.json() as { url: string }).url)).statusCode).toBe(404);
    expect(
      (await other.request('GET', `/api/portal/tickets/${ticketId}/attachments`)).statusCode,
    ).toBe(404);
    const foreign = await upload(
      other,
      `/api/portal/tickets/${ticketId}/attachments`,
      multipart('x.txt', 'text/plain', Buffer.from('x')),
    );
    expect(foreign.statusCode).toBe(404);
    expect((await guard.request('GET', (mine.json() as { url: string }).url)).statusCode).toBe(403);
  });

  it('deletes the file of an upload whose transaction fails, and sweeps files a crash left behind', async () => {
    // A real failure inside the transaction: the database refuses this one row.
    if (dialect === 'sqlite')
      await sql`CREATE TRIGGER boom BEFORE INSERT ON ticket_attachment WHEN NEW.file_name = 'boom.txt'
        BEGIN SELECT RAISE(ABORT, 'boom'); END`.execute(t.dd.database.db);
    else {
      await sql`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN
        IF NEW.file_name = 'boom.txt' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(
        t.dd.database.db,
      );
      await sql`CREATE TRIGGER boom BEFORE INSERT ON ticket_attachment FOR EACH ROW EXECUTE FUNCTION boom()`.execute(
        t.dd.database.db,
      );
    }
    const files = filesUnder(dir).length;
    const rows = await t.count('ticket_attachment');
    const res = await upload(
      agent,
      `/api/tickets/${ticketId}/attachments`,
      multipart('boom.txt', 'text/plain', Buffer.from('boom\n')),
    );
    expect(res.statusCode).toBe(500);
    expect(filesUnder(dir)).toHaveLength(files);
    expect(await t.count('ticket_attachment')).toBe(rows);
    expect(await t.count('ticket_attachment_intent')).toBe(0);

    // A process killed between writing a file and committing leaves an intent and a file.
    const store = createAttachmentFiles(t.dd.config.dataDir);
    const id = '0190f0f0-0000-7000-8000-00000000abcd';
    const key = store.keyFor(id, t.clock.now());
    await store.writeBuffer(key, Buffer.from('orphan'));
    await sql`INSERT INTO ticket_attachment_intent (id, storage_key, created_at) VALUES (${id}, ${key}, ${t.clock.now()})`.execute(
      t.dd.database.db,
    );
    expect(filesUnder(dir)).toHaveLength(files + 1);
    t.clock.advance(2 * 3_600_000);
    const sweep = await startSweep(t);
    await sweep();
    expect(filesUnder(dir)).toHaveLength(files);
    expect(await t.count('ticket_attachment_intent')).toBe(0);
  });
});

/** Runs the attachment sweep the way the worker does: as its durable job. */
async function startSweep(t: TestApp) {
  const { JobEngine } = await import('../../jobs/job-engine.js');
  const { createAttachmentService } = await import('./ticket-attachment.service.js');
  const { pino } = await import('pino');
  const service = createAttachmentService({
    db: t.dd.database.db,
    dialect: t.dd.database.dialect,
    clock: t.clock,
    files: createAttachmentFiles(t.dd.config.dataDir),
    policy: { maxBytes: 4096, types: [] },
  });
  const engine = new JobEngine({
    db: t.dd.database.db,
    dialect: t.dd.database.dialect,
    clock: t.clock,
    log: pino({ level: 'silent' }),
  });
  engine.register(service.sweepJob);
  engine.every(service.sweepJob.kind, 3_600_000);
  return () => engine.runDue();
}
