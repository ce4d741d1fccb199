import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { dingtalkFake } from '../../../test/fakes/dingtalk-fake.js';
import { DIALECTS, openMigrated } from '../../../test/helpers/db.js';
import { openDatabase } from '../../db/database.js';
import { JobEngine } from '../../jobs/job-engine.js';
import { ManualClock } from '../../lib/clock.js';
import { kill9, killChildren, startChild } from '../../../test/helpers/child-process.js';
import { createChannels } from './channel-registry.js';
import { DIGEST_JOB, digestJobHandler, type DigestRow } from './digest-queue.js';

const log = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);
const ssrf = { allow: ['127.0.0.1/32'], resolve: async () => [] };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await killChildren();
  while (cleanups.length) await cleanups.pop()!();
});

describe.each(DIALECTS)('rate-limited channel digests on %s', (dialect) => {
  it('sends 20 pages a minute to a DingTalk robot and one digest of the other 5, once, after the first process is killed with SIGKILL', async () => {
    const database = await openMigrated(dialect);
    cleanups.push(() => database.dispose());
    const clock = new ManualClock(T0);
    // The fake throttles like a real robot: over 20 a minute would block it for 10 minutes.
    const fake = await dingtalkFake({
      accessToken: 'tok',
      secret: 'SECx',
      now: () => clock.now(),
      perMinute: 20,
    }).start();
    cleanups.push(() => fake.close());
    const channels = createChannels({});

    // A first process pages the robot 25 times in a minute, then dies without warning.
    const first = await startChild(
      ['src/modules/notify/digest-queue.child.ts'],
      {
        DATABASE_URL: database.url,
        ROBOT_URL: `${fake.origin}/robot/send?access_token=tok`,
        ROBOT_SECRET: 'SECx',
        T0: String(T0),
      },
      /admitted held=.*\n/,
    );
    await kill9(first.child);
    const held = /admitted held=(.*)\n/
      .exec(first.output())![1]!
      .split(',')
      .map((h) => {
        const [id, releaseAt] = h.split('@');
        expect(Number(releaseAt)).toBe(T0 + 60_000);
        return id!;
      });
    expect(fake.accepted).toHaveLength(20);
    expect(held).toEqual(['send-20', 'send-21', 'send-22', 'send-23', 'send-24']);
    const jobs = await database.db
      .selectFrom('job')
      .select(['run_at', 'status'])
      .where('kind', '=', DIGEST_JOB)
      .execute();
    expect(jobs).toEqual([{ run_at: T0 + 60_000, status: 'pending' }]);

    // The first process is gone; a new process (this one, its own connection) runs two workers.
    const reopened = openDatabase(database.url);
    cleanups.push(() => reopened.close());
    const recorded: { id: string; rows: DigestRow[] }[] = [];
    const workers = [1, 2].map((n) => {
      const e = new JobEngine({
        db: reopened.db,
        dialect,
        clock,
        log,
        workerId: `w${n}`,
      });
      e.register(
        digestJobHandler({
          db: reopened.db,
          dialect,
          clock,
          channels,
          ssrf,
          timeoutMs: 2000,
          onDigest: async (_trx, d) => {
            recorded.push({ id: d.id, rows: d.rows });
          },
        }),
      );
      return e;
    });
    // Not yet due: nothing is sent before the window opens.
    clock.set(T0 + 59_000);
    expect(await workers[0]!.runDue()).toBe(0);
    expect(fake.accepted).toHaveLength(20);

    clock.set(T0 + 60_000);
    await Promise.all(workers.map((w) => w.runDue()));
    await Promise.all(workers.map((w) => w.runDue()));
    expect(fake.accepted).toHaveLength(21);
    const digest = fake.accepted[20]!.json as { msgtype: string; markdown: { text: string } };
    expect(digest.msgtype).toBe('markdown');
    const text = digest.markdown.text;
    for (let i = 20; i < 25; i++) {
      expect(text).toContain(`Switch ${i} down`);
      expect(text).toContain(`https://duty.example.com/a/ack-${i}`);
    }
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.rows.map((r) => r.sendKey)).toEqual(held);
    expect(recorded[0]!.rows.map((r) => r.pageId)).toEqual(
      held.map((s) => s.replace('send', 'page')),
    );
    const rows = await reopened.db
      .selectFrom('notify_held')
      .select(['digest_id', 'sent_at', 'target_json'])
      .execute();
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r).toEqual({ digest_id: recorded[0]!.id, sent_at: T0 + 60_000, target_json: '{}' });
    }
  });
});
