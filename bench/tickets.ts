/**
 * npm run bench:tickets [-- --tickets N --replies M] — list-with-filters and full-text search
 * through the HTTP API over a large service desk, on SQLite (the default) and on PostgreSQL.
 *
 * Dutydesk runs in a child process (`dutydesk serve`) on a fresh database; this process signs
 * in, creates a few teams, technicians and categories through the API, then generates N tickets
 * and M replies straight into the ticket tables (big transactions; on PostgreSQL array-unnest
 * multi-row inserts and the GIN indexes built after loading) with their search documents and
 * short-token posting lists computed by the module's own functions (`normaliseForSearch`,
 * `shortTokens`, `encodeShortToken`). Then it times sequential GET /api/tickets requests: lists
 * with filters (status, assignee, group, unassigned, breaching soon, type, priority) and searches
 * mixing English, 3+ character Chinese and 1–2 character Chinese terms (故障, 断网).
 *
 * Not a test: the numbers vary with the machine. The last output line is JSON.
 */
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  encodeShortToken,
  normaliseForSearch,
  shortTokens,
} from '../src/modules/tickets/short-query.js';
import { createTestDatabase } from '../test/helpers/db.js';
import { type Client, httpClient } from '../test/helpers/paging.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const TICKETS = arg('tickets', 1_000_000);
const REPLIES = arg('replies', 5_000_000);
const REQUESTS = arg('requests', 300);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as (
  'sqlite' | 'postgres'
)[];
const ADMIN_PASSWORD = 'bench-admin-password';
const DAY = 86_400_000;

interface Result {
  tickets: number;
  replies: number;
  generate_s: number;
  list_p50_ms: number;
  list_p95_ms: number;
  search_p50_ms: number;
  search_p95_ms: number;
}

// ---- a deterministic generator (mulberry32) ----
let seed = 20261128;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const ZH = [
  '故障',
  '断网',
  '网络',
  '交换机',
  '打印机',
  '卡纸',
  '无法连接',
  '登录失败',
  '系统',
  '服务器',
  '宕机',
  '重启',
  '光猫',
  '指示灯',
  '营业厅',
  '收银',
  '机房',
  '电源',
  '停电',
  '蓝屏',
  '邮件',
  '发送失败',
  '密码',
  '重置',
  '账号',
  '锁定',
  '监控',
  '告警',
  '硬盘',
  '空间不足',
  '数据库',
  '响应慢',
  '摄像头',
  '黑屏',
  '空调',
  '温度过高',
  '门禁',
  '失灵',
  '电话',
  '无信号',
  '投影仪',
  '打不开',
  '升级',
  '延迟',
  '丢包',
  '外网',
  '内网',
  '视频会议',
  '卡顿',
  '工作站',
];
const EN = [
  'vpn',
  'printer',
  'server',
  'timeout',
  'error',
  'login',
  'password',
  'wifi',
  'router',
  'switch',
  'outage',
  'email',
  'disk',
  'backup',
  'latency',
  'firewall',
  'database',
  'restart',
  'upgrade',
  'license',
];
const REPLY = [
  '已远程排查',
  '请确认光猫指示灯状态',
  '已派人上门',
  '问题已解决',
  'please check the cable',
  'restarted the service',
  '已更换配件',
  '客户反馈正常',
  '等待厂家回复',
  '已重启设备',
  '内部：怀疑上游端口故障',
  'escalated to the network team',
  '已恢复',
  '请提供截图',
];
const NAMES = ['王小明', '李娜', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄强'];
const ORGS = ['城东营业厅', '城西营业厅', '总部三楼', '数据中心', '客服中心', '仓库'];
const STATUSES_OPEN = ['new', 'assigned', 'in_progress', 'pending_customer'];
const TYPES = ['fault', 'request', 'consultation', 'complaint'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];
const LEVEL = ['impact', 'urgency'];
void LEVEL;

const words = (n: number) =>
  Array.from({ length: n }, () => (rnd() < 0.75 ? pick(ZH) : pick(EN))).join(
    rnd() < 0.5 ? '' : ' ',
  );

interface Setup {
  users: string[];
  teams: string[];
  categories: string[];
}

interface TicketGen {
  row: Record<string, string | number | null>;
  replies: { id: string; at: number; actor: string | null; body: string }[];
  doc: string;
  tokens: string[];
}

/** Ticket i of n: created over the last year, in order; ids time-ordered like newId(). */
function genTicket(i: number, n: number, replies: number, s: Setup, now: number): TicketGen {
  const created = now - 365 * DAY + Math.floor((i / n) * 365 * DAY);
  const id = uuidv7({ msecs: created });
  const r = rnd();
  const status = r < 0.7 ? 'closed' : r < 0.8 ? 'resolved' : pick(STATUSES_OPEN);
  const open = status !== 'closed' && status !== 'resolved';
  // Newer tickets are the open ones, as on a real desk.
  const assignee = status === 'new' || rnd() < 0.05 ? null : pick(s.users);
  const title = words(2 + Math.floor(rnd() * 2));
  const description = `${words(3)}，${words(3)}。${rnd() < 0.3 ? `${pick(EN)} ${pick(EN)}` : ''}`;
  const callerName = pick(NAMES);
  const organisation = pick(ORGS);
  const d = new Date(created);
  const number = `TK-${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}-${String(i).padStart(7, '0')}`;
  const reps: TicketGen['replies'] = [];
  for (let k = 0; k < replies; k++) {
    const at = created + (k + 1) * 600_000;
    reps.push({
      id: uuidv7({ msecs: at }),
      at,
      actor: assignee,
      body: rnd() < 0.5 ? pick(REPLY) : `${pick(REPLY)}，${words(1)}`,
    });
  }
  const doc = normaliseForSearch(
    [number, title, description, callerName, organisation, ...reps.map((x) => x.body)].join('\n'),
  );
  return {
    row: {
      id,
      number,
      type: pick(TYPES),
      channel: pick(['phone', 'portal', 'email', 'api']),
      category_id: pick(s.categories),
      title,
      description,
      impact: 'medium',
      urgency: 'medium',
      priority: pick(PRIORITIES),
      status,
      level: 'line1',
      requester_id: null,
      caller_name: callerName,
      caller_contact: `1380013${String(i % 10000).padStart(4, '0')}`,
      caller_key: `1380013${String(i % 10000).padStart(4, '0')}`,
      organisation,
      assignee_id: assignee,
      group_id: pick(s.teams),
      tags_json: '[]',
      sla_policy_id: open ? 'builtin-P3' : null,
      sla_next_at: null,
      sla_due_at: open ? now + Math.floor((rnd() * 3 - 1) * DAY) : null,
      sla_breached: 0,
      created_by: null,
      created_at: created,
      updated_at: created + replies * 600_000,
      resolved_at: open ? null : created + 2 * DAY,
      closed_at: status === 'closed' ? created + 3 * DAY : null,
      last_customer_at: null,
      survey_score: null,
      survey_comment: null,
      surveyed_at: null,
    },
    replies: reps,
    doc,
    tokens: shortTokens(doc),
  };
}

const repliesOf = (i: number) =>
  Math.floor(((i + 1) * REPLIES) / TICKETS) - Math.floor((i * REPLIES) / TICKETS);

// ---- loading ----

async function loadSqlite(file: string, s: Setup, now: number) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('busy_timeout = 60000');
  const cols = Object.keys(genTicket(0, 1, 0, s, now).row);
  const insT = db.prepare(
    `INSERT INTO ticket (${cols.join(',')}) VALUES (${cols.map((c) => `@${c}`).join(',')})`,
  );
  const insE = db.prepare(
    `INSERT INTO ticket_event (id, ticket_id, at, kind, actor_id, actor_role, visibility, body, data_json)
     VALUES (?, ?, ?, 'reply', ?, 'technician', 'public', ?, '{"author":"agent"}')`,
  );
  const insS = db.prepare('INSERT INTO ticket_search (ticket_id, doc) VALUES (?, ?)');
  const insK = db.prepare('INSERT INTO ticket_short (rowid, tokens) VALUES (?, ?)');
  const BATCH = 20_000;
  for (let start = 0; start < TICKETS; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(TICKETS, start + BATCH); i++) {
        const t = genTicket(i, TICKETS, repliesOf(i), s, now);
        insT.run(t.row);
        for (const r of t.replies) insE.run(r.id, t.row.id, r.at, r.actor, r.body);
        const rowid = insS.run(t.row.id, t.doc).lastInsertRowid;
        insK.run(rowid, t.tokens.map(encodeShortToken).join(' '));
      }
    })();
    if ((start / BATCH) % 10 === 0) process.stdout.write(`  sqlite: ${start + BATCH} tickets\r`);
  }
  process.stdout.write('\n');
  db.exec(`INSERT INTO ticket_fts(ticket_fts) VALUES ('optimize')`);
  db.exec(`INSERT INTO ticket_short(ticket_short) VALUES ('optimize')`);
  db.exec('ANALYZE');
  db.close();
}

async function loadPostgres(url: string, s: Setup, now: number) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`SET maintenance_work_mem = '1GB'`);
  await c.query('SET synchronous_commit = off');
  // GIN indexes are built after loading (much faster than row by row); same definitions as
  // the migrations.
  await c.query('DROP INDEX ticket_search_doc_trgm_idx');
  await c.query('DROP INDEX ticket_search_tokens_idx');
  const sample = genTicket(0, 1, 0, s, now).row;
  const cols = Object.keys(sample);
  const typeOf = (col: string) =>
    typeof sample[col] === 'number' ||
    col.endsWith('_at') ||
    col === 'sla_breached' ||
    col === 'survey_score'
      ? 'bigint'
      : 'text';
  const ticketSql = `INSERT INTO ticket (${cols.join(',')}) SELECT * FROM unnest(${cols
    .map((col, k) => `$${k + 1}::${typeOf(col)}[]`)
    .join(',')})`;
  const BATCH = 5_000;
  for (let start = 0; start < TICKETS; start += BATCH) {
    const gens: TicketGen[] = [];
    for (let i = start; i < Math.min(TICKETS, start + BATCH); i++)
      gens.push(genTicket(i, TICKETS, repliesOf(i), s, now));
    await c.query('BEGIN');
    await c.query(
      ticketSql,
      cols.map((col) => gens.map((g) => g.row[col])),
    );
    const reps = gens.flatMap((g) => g.replies.map((r) => ({ ...r, ticket: g.row.id as string })));
    await c.query(
      `INSERT INTO ticket_event (id, ticket_id, at, kind, actor_id, actor_role, visibility, body, data_json)
       SELECT id, tid, at, 'reply', actor, 'technician', 'public', body, '{"author":"agent"}'
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) AS u(id, tid, at, actor, body)`,
      [
        reps.map((r) => r.id),
        reps.map((r) => r.ticket),
        reps.map((r) => r.at),
        reps.map((r) => r.actor),
        reps.map((r) => r.body),
      ],
    );
    // text[][] cannot be ragged: pass each token list as one array literal string.
    await c.query(
      `INSERT INTO ticket_search (ticket_id, doc, tokens)
       SELECT tid, doc, toks::text[] FROM unnest($1::text[], $2::text[], $3::text[]) AS u(tid, doc, toks)`,
      [
        gens.map((g) => g.row.id),
        gens.map((g) => g.doc),
        gens.map(
          (g) =>
            `{${g.tokens.map((t) => `"${t.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`,
        ),
      ],
    );
    await c.query('COMMIT');
    if ((start / BATCH) % 20 === 0) process.stdout.write(`  postgres: ${start + BATCH} tickets\r`);
  }
  process.stdout.write('\n');
  const t0 = performance.now();
  await c.query(
    'CREATE INDEX ticket_search_doc_trgm_idx ON ticket_search USING gin (doc gin_trgm_ops)',
  );
  await c.query('CREATE INDEX ticket_search_tokens_idx ON ticket_search USING gin (tokens)');
  console.log(`  postgres: GIN indexes built in ${round((performance.now() - t0) / 1000)} s`);
  await c.query('VACUUM ANALYZE');
  await c.end();
}

// ---- the server ----

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

async function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready at|listening on/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  child.removeAllListeners('exit');
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function ok<T>(p: ReturnType<Client['request']>): Promise<T> {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as T;
}

async function setup(admin: Client): Promise<Setup> {
  const users: string[] = [];
  for (let i = 0; i < 20; i++) {
    const u = await ok<{ user: { id: string } }>(
      admin.request('POST', '/api/users', {
        username: `bench_tech_${i}`,
        displayName: `技术员 ${i}`,
        roles: ['technician'],
        password: 'bench-tech-password',
      }),
    );
    users.push(u.user.id);
  }
  const teams: string[] = [];
  for (const name of ['一线', '二线', '专家', '网络组']) {
    const t = await ok<{ team?: { id: string }; id?: string }>(
      admin.request('POST', '/api/teams', { name, timeZone: 'Asia/Shanghai' }),
    );
    teams.push(t.team?.id ?? t.id!);
  }
  const categories: string[] = [];
  for (const name of ['网络', '终端', '账号', '应用', '机房'])
    categories.push(
      (await ok<{ id: string }>(admin.request('POST', '/api/tickets/categories', { name }))).id,
    );
  return { users, teams, categories };
}

// ---- timing ----

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function timeRequests(client: Client, urls: string[]) {
  const ms: number[] = [];
  let rows = 0;
  for (const url of urls) {
    const t0 = performance.now();
    const r = await client.request('GET', url);
    ms.push(performance.now() - t0);
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    rows += (r.json() as { items: unknown[] }).items.length;
  }
  if (process.env.BENCH_SLOWEST) {
    const slow = urls.map((u, k) => [ms[k]!, u] as const).sort((a, b) => b[0] - a[0]);
    for (const [t, u] of slow.slice(0, 8))
      console.log(`    ${round(t, 1)} ms ${decodeURIComponent(u)}`);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50), 2), p95: round(percentile(ms, 95), 2), rows };
}

const SEARCHES = [
  '故障',
  '断网',
  '网',
  '机',
  'vpn',
  'printer timeout',
  '交换机',
  '无法连接',
  '光猫 故障',
  '断网 营业厅',
  'server 宕机',
  '数据库 响应慢',
  '告警',
  '打印机 卡纸',
  'firewall',
  '登录失败 vpn',
  '蓝屏',
  '视频会议 卡顿',
  '王小明 断网',
  '空间不足',
  'license',
  '重启',
  '丢包 外网',
  '门禁 失灵',
];

function listUrls(s: Setup, n: number): string[] {
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = new URLSearchParams({ limit: '50' });
    const kind = i % 7;
    if (kind === 0) p.set('status', 'new,assigned,in_progress');
    if (kind === 1) p.set('assignee', pick(s.users));
    if (kind === 2) {
      p.set('group', pick(s.teams));
      p.set('status', 'new,assigned,in_progress,pending_customer');
    }
    if (kind === 3) p.set('unassigned', 'true');
    if (kind === 4) p.set('breachingWithin', '240');
    if (kind === 5) {
      p.set('type', pick(TYPES));
      p.set('priority', pick(PRIORITIES));
    }
    if (kind === 6) {
      p.set('status', 'closed');
      p.set('group', pick(s.teams));
    }
    urls.push(`/api/tickets?${p.toString()}`);
  }
  return urls;
}

function searchUrls(s: Setup, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const p = new URLSearchParams({ limit: '50', q: SEARCHES[i % SEARCHES.length]! });
    if (i % 4 === 1) p.set('status', 'new,assigned,in_progress,pending_customer');
    if (i % 4 === 3) p.set('group', pick(s.teams));
    return `/api/tickets?${p.toString()}`;
  });
}

async function runDialect(dialect: 'sqlite' | 'postgres'): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), `dutydesk-bench-tickets-${dialect}-`));
  const tdb = dialect === 'postgres' ? await createTestDatabase('postgres') : null;
  const file = join(dataDir, 'dutydesk.db');
  const databaseUrl = tdb?.url ?? `sqlite:${file}`;
  const port = await freePort();
  const server = await startServer({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const admin = await httpClient(base, 'admin', ADMIN_PASSWORD);
    const s = await setup(admin);
    const now = Date.now();
    const g0 = performance.now();
    if (dialect === 'sqlite') await loadSqlite(file, s, now);
    else await loadPostgres(tdb!.url, s, now);
    const generate_s = round((performance.now() - g0) / 1000);
    console.log(
      `${dialect}: generated ${TICKETS} tickets and ${REPLIES} replies (with search documents and indexes) in ${generate_s} s`,
    );
    // The keep-alive socket of the set-up went stale during the load (EPIPE): one untimed
    // request that may fail, then the warm-up (JIT, statement caches, the page cache).
    await admin.request('GET', '/api/tickets?limit=1').catch(() => undefined);
    await timeRequests(admin, [...listUrls(s, 50), ...searchUrls(s, 50)]);
    const list = await timeRequests(admin, listUrls(s, REQUESTS));
    const search = await timeRequests(admin, searchUrls(s, REQUESTS));
    console.log(
      `${dialect}: list p50 ${list.p50} ms, p95 ${list.p95} ms (${REQUESTS} requests, ${list.rows} rows); ` +
        `search p50 ${search.p50} ms, p95 ${search.p95} ms (${REQUESTS} requests, ${search.rows} rows)`,
    );
    return {
      tickets: TICKETS,
      replies: REPLIES,
      generate_s,
      list_p50_ms: list.p50,
      list_p95_ms: list.p95,
      search_p50_ms: search.p50,
      search_p95_ms: search.p95,
    };
  } finally {
    await stopServer(server);
    if (process.env.BENCH_KEEP) console.log(`kept ${databaseUrl}`);
    else {
      await tdb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function main() {
  console.log(
    `bench:tickets — ${TICKETS} tickets, ${REPLIES} replies, ${REQUESTS} sequential requests per kind, limit 50`,
  );
  const results: Partial<Record<'sqlite' | 'postgres', Result>> = {};
  for (const d of DIALECTS) results[d] = await runDialect(d);
  console.log(JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
