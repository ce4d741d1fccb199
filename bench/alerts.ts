/**
 * npm run bench:alerts — sustained alert ingestion through HTTP, on SQLite (the default) and on
 * PostgreSQL, against the same machine's empty Fastify route as the ceiling.
 *
 * Dutydesk runs in a child process (`dutydesk serve`); this process is the load generator and
 * the notification target (a webhook receiver). N concurrent clients send generic alerts,
 * about 30 % of them repeating an earlier dedup key. Every new alert opens a page (grouping
 * off) whose first notification goes to the webhook. Latency from receipt to the first
 * notification handed to the channel is read from the server's own timestamps: the page's
 * opened_at (receipt) and the first delivered attempt's handedAt on its timeline.
 *
 * Loopback only; bounded by count and time. Not a test: numbers vary with the machine.
 * Besides events/s, it prints the server's CPU per accepted event and the empty route's server
 * CPU per request (both from /proc): figures the machine's other load disturbs less.
 * BENCH_JOB_CONCURRENCY, when set, overrides the server's JOB_CONCURRENCY (the product's default,
 * 64, since 2026-12-06; the bench used 16 before).
 * BENCH_TOPOLOGY: `single` (default: one `dutydesk serve`, api and worker), `api+worker` (the
 * intake in a ROLES=api process, the sends in a ROLES=worker process, on the same database), or
 * `2api+worker` (two api processes, the clients split between them, and a worker). The worker's
 * JOB_POLL_MS is BENCH_WORKER_POLL_MS (default 100): it hears of new jobs only by polling.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { openDatabase } from '../src/db/database.js';
import { createTestDatabase } from '../test/helpers/db.js';
import { httpClient, setupPaging } from '../test/helpers/paging.js';
import { webhookFake } from '../test/fakes/webhook-fake.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const MAX_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DUPLICATE_SHARE = 0.3;
/** Extra node flags for the server (e.g. `--cpu-prof`), and the dialects to run (profiling). */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as (
  'sqlite' | 'postgres'
)[];
const TOPOLOGY = process.env.BENCH_TOPOLOGY ?? 'single';
if (!['single', 'api+worker', '2api+worker'].includes(TOPOLOGY))
  throw new Error(`BENCH_TOPOLOGY: ${TOPOLOGY} is not single, api+worker or 2api+worker`);
const WORKER_POLL_MS = process.env.BENCH_WORKER_POLL_MS ?? '100';
const ADMIN_PASSWORD = 'bench-admin-password';
const SECRET = 'bench-webhook-secret';

interface Result {
  /** Which processes served the run (BENCH_TOPOLOGY). */
  topology: string;
  events_per_s: number;
  ingest_p50_ms: number;
  ingest_p99_ms: number;
  first_notification_p99_ms: number;
  ceiling_per_s: number;
  ratio_to_ceiling: number;
  /**
   * The server's CPU (user + system) during the run phase per accepted event, summed over its
   * processes; Linux only.
   */
  server_cpu_ms_per_event: number;
  /** The same for the empty route's server during the ceiling run, per answered request. */
  ceiling_cpu_ms_per_request: number;
  /**
   * This process's CPU (the load generator, and in the run phase the webhook receiver too) per
   * accepted event; `ceiling_client_cpu_ms_per_request` the same during the ceiling run.
   */
  client_cpu_ms_per_event: number;
  ceiling_client_cpu_ms_per_request: number;
  /** Requests answered with a 5xx (e.g. SQLITE_BUSY surfacing) or not answered. */
  failed: number;
  /** Notifications delivered more than once (must be 0). */
  sent_twice: number;
}

/** CPU milliseconds this process has used so far (user + system). */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU milliseconds a process has used (utime + stime from /proc), NaN where not available. */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) in clock ticks; 100 per second on Linux.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function startChild(args: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (process.env.BENCH_SERVER_LOG) process.stderr.write(d);
      out += d.toString();
      if (ready.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  child.removeAllListeners('exit');
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * N clients send until the count or the time is spent; returns throughput and latencies.
 * Through an undici Pool (one keep-alive connection per client): `fetch` cost this process
 * ~0.4 ms of CPU per request, 4× what the empty route's server spent, so the load generator,
 * not the server, had set the ceiling (2026-12-07). The Pool costs ~0.05 ms.
 */
async function load(
  url: string | string[],
  body: (i: number) => string,
  maxRequests = MAX_REQUESTS,
  maxSeconds = MAX_SECONDS,
) {
  // Several URLs (several api processes): the clients are split between them.
  const urls = (Array.isArray(url) ? url : [url]).map((u) => new URL(u));
  const pools = urls.map(
    (u) => new Pool(u.origin, { connections: Math.ceil(CLIENTS / urls.length) }),
  );
  const latencies: number[] = [];
  const cpuStart = ownCpuMs();
  let next = 0;
  let accepted = 0;
  let failed = 0;
  /** A sample answer per failing status (0: no answer). */
  const failures = new Map<number, string>();
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const pool = pools[client % pools.length]!;
      const { pathname } = urls[client % urls.length]!;
      while (next < maxRequests && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        try {
          const res = await pool.request({
            path: pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: body(i),
          });
          if (res.statusCode === 202) {
            await res.body.dump();
            accepted++;
          } else {
            failed++;
            const text = await res.body.text();
            if (failures.size < 3) failures.set(res.statusCode, text.slice(0, 300));
          }
        } catch (err) {
          failed++;
          if (failures.size < 3) failures.set(0, String(err));
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const clientCpuMs = ownCpuMs() - cpuStart;
  await Promise.all(pools.map((p) => p.close()));
  latencies.sort((a, b) => a - b);
  for (const [status, text] of failures) console.log(`a failed request: ${status} ${text}`);
  return { perSecond: accepted / seconds, accepted, failed, seconds, latencies, clientCpuMs };
}

/** Alert bodies: ~30 % repeat a key already sent (deduplicated), the rest are new alerts. */
function alertBodies(tag: string) {
  const used: string[] = [];
  return (i: number) => {
    let key: string;
    if (used.length > 0 && Math.random() < DUPLICATE_SHARE)
      key = used[Math.floor(Math.random() * used.length)]!;
    else {
      key = `${tag}-${i}`;
      used.push(key);
    }
    return JSON.stringify({
      summary: `bench alert ${key}`,
      source: 'bench',
      severity: 'critical',
      dedupKey: key,
    });
  };
}

/**
 * The webhook receiver during the load: checks each send's signature as the webhook fake does
 * (HMAC of `t.body`, timestamp within 5 minutes) and counts, on the port the fake had during the
 * set-up (the contact method's URL). The fake kept every request (URL and JSON parsed, headers,
 * body): ~0.15 ms of this process's CPU per send, more than the empty route's whole server spends
 * on a request, and on the 2 cores the server shares with it.
 */
async function startReceiver(port: number) {
  const counts = { delivered: 0, refused: 0 };
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-dutydesk-signature']));
      const ok =
        m !== null &&
        Math.abs(Date.now() / 1000 - Number(m[1])) <= 300 &&
        timingSafeEqual(
          createHmac('sha256', SECRET).update(`${m[1]}.`).update(Buffer.concat(chunks)).digest(),
          Buffer.from(m[2]!, 'hex'),
        );
      if (ok) counts.delivered++;
      else counts.refused++;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(ok ? '{"received":true}' : '{"error":"bad signature"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    counts,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function ceiling(): Promise<{
  perSecond: number;
  cpuMsPerRequest: number;
  clientCpuMsPerRequest: number;
}> {
  const port = await freePort();
  const script = `import Fastify from 'fastify';
const app = Fastify();
app.post('/empty', async (_req, reply) => reply.code(202).send({ status: 'accepted' }));
await app.listen({ port: ${port}, host: '127.0.0.1' });
console.log('ready');`;
  const child = await startChild(['--input-type=module', '-e', script], {}, /ready/);
  try {
    const url = `http://127.0.0.1:${port}/empty`;
    await load(url, () => '{}', 2000, 2); // warm-up
    const cpuBefore = cpuMs(child.pid);
    const run = await load(url, alertBodies('ceiling'));
    return {
      perSecond: run.perSecond,
      cpuMsPerRequest: (cpuMs(child.pid) - cpuBefore) / run.accepted,
      clientCpuMsPerRequest: run.clientCpuMs / run.accepted,
    };
  } finally {
    await stopChild(child);
  }
}

async function runDialect(dialect: 'sqlite' | 'postgres'): Promise<Result> {
  // The ceiling first, while nothing else runs on the machine.
  const ceil = await ceiling();
  const dataDir = mkdtempSync(join(tmpdir(), `dutydesk-bench-${dialect}-`));
  const tdb = dialect === 'postgres' ? await createTestDatabase('postgres') : null;
  const databaseUrl = tdb?.url ?? `sqlite:${join(dataDir, 'dutydesk.db')}`;
  // The fake (it records messages) for the set-up's verification code; then the receiver.
  const fake = await webhookFake({ secret: SECRET, now: () => Date.now() }).start();
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  const serverEnv = (port: number, roles: string): Record<string, string> => ({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    ROLES: roles,
    LOG_LEVEL: process.env.BENCH_SERVER_LOG ?? 'silent',
    DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
    // A send mostly waits (claim, channel, completion): with 16 in flight they fell seconds
    // behind ~100 pages/s on a loaded machine (first notification p99 5-7 s); 64 (the
    // product's default) kept up.
    ...(process.env.BENCH_JOB_CONCURRENCY
      ? { JOB_CONCURRENCY: process.env.BENCH_JOB_CONCURRENCY }
      : {}),
    // A worker without the api role hears of new jobs only by polling (SQLite has no NOTIFY).
    ...(roles === 'worker' ? { JOB_POLL_MS: WORKER_POLL_MS } : {}),
  });
  const serverArgs = [...SERVER_NODE_ARGS, '--import', 'tsx', 'src/cli.ts', 'serve'];
  const ready = /ready at|listening on|worker started/;
  const ports: number[] = [];
  const servers: ChildProcess[] = [];
  // One after another: the first applies the migrations.
  const apiCount = TOPOLOGY === '2api+worker' ? 2 : 1;
  const apiRoles = TOPOLOGY === 'single' ? 'api,worker' : 'api';
  for (let i = 0; i < apiCount; i++) {
    const p = await freePort();
    ports.push(p);
    servers.push(await startChild(serverArgs, serverEnv(p, apiRoles), ready));
  }
  if (TOPOLOGY !== 'single')
    servers.push(await startChild(serverArgs, serverEnv(await freePort(), 'worker'), ready));
  const serversCpuMs = () => servers.reduce((sum, c) => sum + cpuMs(c.pid), 0);
  const base = `http://127.0.0.1:${ports[0]}`;
  try {
    const admin = await httpClient(base, 'admin', ADMIN_PASSWORD);
    const created = await admin.request('POST', '/api/users', {
      username: 'bench_tech',
      displayName: 'bench',
      roles: ['technician'],
      password: 'bench-tech-password',
    });
    const userId = (created.json() as { user: { id: string } }).user.id;
    const tech = await httpClient(base, 'bench_tech', 'bench-tech-password');
    const setup = await setupPaging({
      admin,
      responders: [{ client: tech, id: userId }],
      fake,
      secret: SECRET,
      delayMinutes: 30,
      groupingWindowMinutes: 0,
    });
    await fake.close();
    receiver = await startReceiver(Number(new URL(fake.origin).port));
    const { counts } = receiver;
    const urls = ports.map(
      (p) => `http://127.0.0.1:${p}/api/integrations/${setup.keys.generic}/generic`,
    );
    const database = openDatabase(databaseUrl);
    const pageCount = async () =>
      Number(
        (
          await database.db
            .selectFrom('page')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** Pages with a delivered attempt on their timeline (committed with the send's job). */
    const deliveredCount = async () =>
      Number(
        (
          await database.db
            .selectFrom('page_timeline')
            .select((eb) => eb.fn.count<number | string>('page_id').distinct().as('n'))
            .where('type', '=', 'notification_delivered')
            .executeTakeFirstOrThrow()
        ).n,
      );
    /**
     * Waits until every page opened so far has had its notification handed over, and the
     * outcome is committed: the receiver gets a message before the server commits the
     * delivered row, and a run read in between counted pages as "still pending".
     */
    const drain = async () => {
      const total = await pageCount();
      // Longer than the job lease (60 s), so a send whose claim was lost is still counted.
      const deadline = Date.now() + 90_000;
      while (counts.delivered < total && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      while ((await deliveredCount()) < total && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
    };
    try {
      await load(urls, alertBodies('warmup'), 2000, 3); // warm-up: JIT, connections, caches
      await drain();
      const runStart = Date.now();
      const cpuBefore = serversCpuMs();
      const run = await load(urls, alertBodies('run'));
      const cpuRun = serversCpuMs() - cpuBefore;
      await drain();
      const pages = await database.db
        .selectFrom('page')
        .select(['id', 'opened_at'])
        .where('opened_at', '>=', runStart)
        .execute();
      const sends = await database.db
        .selectFrom('page_timeline')
        .select(['page_id', 'data_json'])
        .where('type', '=', 'notification_delivered')
        .execute();
      const failures = await database.db
        .selectFrom('page_timeline')
        .select('data_json')
        .where('type', '=', 'notification_failed')
        .where('at', '>=', runStart)
        .execute();
      if (failures.length > 0)
        console.log(
          `${dialect}: ${failures.length} failed send attempts (retried), e.g. ${failures[0]!.data_json.slice(0, 300)}`,
        );
      const first = new Map<string, number>();
      for (const s of sends) {
        const handedAt = (JSON.parse(s.data_json) as { handedAt: number }).handedAt;
        const prev = first.get(s.page_id);
        if (prev === undefined || handedAt < prev) first.set(s.page_id, handedAt);
      }
      // Each page has one notification step in the bench's policy (the next level waits 30
      // minutes): a page with more than one delivered send, or the receiver counting more
      // sends than there are pages, is a notification sent twice.
      const allPages = await pageCount();
      const sentTwice = sends.length - first.size + Math.max(0, counts.delivered - allPages);
      if (sentTwice > 0)
        console.log(
          `${dialect}: ${sentTwice} notifications sent more than once (${sends.length} delivered rows, ` +
            `${first.size} pages with one, ${counts.delivered} received, ${allPages} pages)`,
        );
      const waits = pages
        .filter((p) => first.has(p.id))
        .map((p) => first.get(p.id)! - p.opened_at)
        .sort((a, b) => a - b);
      const missing = pages.length - waits.length;
      if (missing > 0) {
        const jobs = await database.db
          .selectFrom('job')
          .select(['kind', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
          .groupBy(['kind', 'status'])
          .execute();
        const without = pages.find((p) => !first.has(p.id));
        const lines = without
          ? await database.db
              .selectFrom('page_timeline')
              .select(['type', 'data_json'])
              .where('page_id', '=', without.id)
              .execute()
          : [];
        console.log(
          `${dialect}: jobs ${JSON.stringify(jobs)}; a page without: ${JSON.stringify(lines)}`,
        );
      }
      if (counts.refused > 0)
        console.log(`${dialect}: the receiver refused ${counts.refused} sends (bad signature)`);
      console.log(
        `${dialect}: ${run.accepted} accepted, ${run.failed} failed in ${round(run.seconds, 2)} s; ` +
          `${pages.length} pages, ${waits.length} first notifications handed over` +
          (missing > 0 ? `, ${missing} still pending after 90 s (counted as missing)` : ''),
      );
      return {
        topology: TOPOLOGY,
        events_per_s: round(run.perSecond),
        ingest_p50_ms: round(percentile(run.latencies, 50), 2),
        ingest_p99_ms: round(percentile(run.latencies, 99), 2),
        first_notification_p99_ms:
          // More than 1 % never handed over within a minute: the p99 is not finite.
          missing > pages.length / 100 ? Infinity : round(percentile(waits, 99), 1),
        ceiling_per_s: round(ceil.perSecond),
        ratio_to_ceiling: round(run.perSecond / ceil.perSecond, 3),
        server_cpu_ms_per_event: round(cpuRun / run.accepted, 3),
        ceiling_cpu_ms_per_request: round(ceil.cpuMsPerRequest, 3),
        client_cpu_ms_per_event: round(run.clientCpuMs / run.accepted, 3),
        ceiling_client_cpu_ms_per_request: round(ceil.clientCpuMsPerRequest, 3),
        failed: run.failed,
        sent_twice: sentTwice,
      };
    } finally {
      await database.close();
    }
  } finally {
    for (const server of servers.reverse()) await stopChild(server);
    await (receiver ? receiver.close() : fake.close());
    await tdb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(
    `bench:alerts — ${CLIENTS} clients, ≤ ${MAX_REQUESTS} requests or ≤ ${MAX_SECONDS} s per phase, ` +
      `${DUPLICATE_SHARE * 100} % duplicate keys, grouping off (every new alert pages), ` +
      `topology ${TOPOLOGY}`,
  );
  const results: Record<string, Result> = {};
  for (const dialect of DIALECTS) results[dialect] = await runDialect(dialect);
  const cols = Object.keys(Object.values(results)[0]!) as (keyof Result)[];
  console.log(['dialect', ...cols].map((c) => c.padEnd(26)).join(''));
  for (const [d, r] of Object.entries(results))
    console.log([d, ...cols.map((c) => String(r[c]))].map((c) => c.padEnd(26)).join(''));
  console.log(JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
