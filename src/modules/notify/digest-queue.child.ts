/**
 * The first process of the digest crash test (digest-queue.test.ts), run as a child and killed
 * with SIGKILL: it pages a DingTalk robot 25 times in one minute (20 sent, 5 held for the
 * digest), says "admitted", and stays alive until it is killed.
 *
 * Env: DATABASE_URL, ROBOT_URL, ROBOT_SECRET, T0 (the test's clock at the first message).
 */
import { openDatabase } from '../../db/database.js';
import { ManualClock } from '../../lib/clock.js';
import type { ChannelTarget, NotificationMessage } from './channel.js';
import { createChannels, deliver } from './channel-registry.js';
import { admit } from './digest-queue.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

/** Page message number i (the test looks for its title and links in the digest). */
const digestTestMessage = (i: number): NotificationMessage => ({
  id: `send-${i}`,
  kind: 'page',
  locale: 'en',
  title: `Switch ${i} down`,
  body: 'link lost',
  severity: i % 2 === 0 ? 'critical' : 'warning',
  pageId: `page-${i}`,
  links: {
    acknowledge: `https://duty.example.com/a/ack-${i}`,
    view: `https://duty.example.com/pages/page-${i}`,
  },
});

async function main() {
  const database = openDatabase(env('DATABASE_URL'));
  const t0 = Number(env('T0'));
  const clock = new ManualClock(t0);
  const target: ChannelTarget = {
    kind: 'dingtalk',
    webhookUrl: env('ROBOT_URL'),
    secret: env('ROBOT_SECRET'),
  };
  const channels = createChannels({});
  const ssrf = { allow: ['127.0.0.1/32'], resolve: async () => [] };
  const held: string[] = [];
  // 25 pages within one minute, one a second.
  for (let i = 0; i < 25; i++) {
    clock.set(t0 + i * 1000);
    const message = digestTestMessage(i);
    const a = await database.db.transaction().execute((trx) =>
      admit(trx, database.dialect, clock, target, message, {
        pageId: message.pageId!,
        sendKey: message.id,
      }),
    );
    if (a.kind === 'held') {
      held.push(`${message.id}@${a.releaseAt}`);
      continue;
    }
    const out = await deliver(channels, message, target, {
      now: clock.now(),
      timeoutMs: 2000,
      ssrf,
    });
    if (out.status !== 'delivered') throw new Error(`send ${i}: ${JSON.stringify(out)}`);
  }
  console.log(`admitted held=${held.join(',')}`);
  // Alive, with its connection open, until the test kills it.
  setInterval(() => undefined, 60_000);
}

if (process.argv[1]?.endsWith('digest-queue.child.ts'))
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
