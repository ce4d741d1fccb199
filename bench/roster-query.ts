/**
 * "Who is on duty" benchmark (issue 3): a fresh SQLite file, 500 people, 12 posts and a year of
 * published rosters written through the roster store and published through the service, then
 * ~20,000 random point queries through `onDuty`. Not a test: run `npm run bench:roster-query`.
 * The last line is JSON for tooling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ManualClock } from '../src/lib/clock.js';
import { newId } from '../src/lib/ids.js';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.service.js';
import { datesInRange } from '../src/modules/roster/local-date.js';
import * as store from '../src/modules/roster/roster.store.js';
import { createRosterService } from '../src/modules/roster/roster.service.js';
import type { Post, ShiftType } from '../src/modules/roster/roster.schema.js';

const PEOPLE = 500;
const POSTS = 12;
const QUERIES = 20_000;
const YEAR = 2027;
const ZONE = 'Asia/Shanghai';

/** Deterministic pseudo-random numbers (mulberry32) so runs are comparable. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dutydesk-bench-'));
  const database = openDatabase(`sqlite:${join(dir, 'bench.db')}`);
  try {
    await migrateToLatest(database);
    const { db } = database;
    const clock = new ManualClock(Date.UTC(YEAR - 1, 11, 1));
    const teamId = newId();
    const now = clock.now();
    await db
      .insertInto('team')
      .values({
        id: teamId,
        name: 'bench',
        time_zone: ZONE,
        description: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: newId(), name: `p${i}` }));
    const roster = createRosterService({
      db,
      dialect: database.dialect,
      clock,
      notify: async () => [],
      ...(database.sqliteFile ? { sqliteFile: database.sqliteFile } : {}),
      directory: {
        team: async () => ({
          id: teamId,
          name: 'bench',
          timeZone: ZONE,
          memberIds: people.map((p) => p.id),
        }),
        people: async (ids) => {
          const want = new Set(ids);
          return people.filter((p) => want.has(p.id));
        },
        approvers: async () => [],
      },
    });

    const t0 = performance.now();
    const shiftTypes: ShiftType[] = [
      {
        id: newId(),
        code: 'D',
        name: '白班',
        start: '08:00',
        end: '16:00',
        breakMinutes: 0,
        colour: '#ffd666',
      },
      {
        id: newId(),
        code: 'E',
        name: '中班',
        start: '16:00',
        end: '00:00',
        breakMinutes: 0,
        colour: '#95de64',
      },
      {
        id: newId(),
        code: 'N',
        name: '夜班',
        start: '00:00',
        end: '08:00',
        breakMinutes: 0,
        colour: '#1d39c4',
      },
    ];
    for (const s of shiftTypes) await store.insertShiftType(db, teamId, s, now);
    const posts: Post[] = Array.from({ length: POSTS }, (_, i) => ({
      id: newId(),
      name: `post${i}`,
      shiftTypeIds: shiftTypes.map((s) => s.id),
      cover: [],
      requiredSkills: [],
    }));
    for (const p of posts) await store.insertPost(db, teamId, p, now);
    // No rules: the benchmark measures queries, not the checker.
    await store.upsertTeamSettings(db, teamId, { rules: {}, calendar: {}, config: {} }, now);

    // Each post has its own ~42 people; 3 shifts a day with 4 people each.
    const perPost = Math.floor(PEOPLE / POSTS);
    let assignments = 0;
    for (let m = 0; m < 12; m++) {
      const start = `${YEAR}-${String(m + 1).padStart(2, '0')}-01`;
      const end = new Date(Date.UTC(YEAR, m + 1, 0)).toISOString().slice(0, 10);
      const rosterId = newId();
      await store.insertRoster(
        db,
        {
          id: rosterId,
          teamId,
          periodStart: start,
          periodEnd: end,
          status: 'draft',
          publishedAt: null,
          publishedBy: null,
        },
        now,
      );
      const list: store.StoredAssignment[] = [];
      for (const date of datesInRange(start, end)) {
        const day = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
        posts.forEach((post, pi) => {
          shiftTypes.forEach((shift, si) => {
            for (let k = 0; k < 4; k++) {
              const person = people[pi * perPost + ((day * 12 + si * 4 + k) % perPost)]!;
              list.push({
                id: newId(),
                personId: person.id,
                postId: post.id,
                shiftTypeId: shift.id,
                date,
              });
            }
          });
        });
      }
      await db.transaction().execute((trx) => store.insertAssignments(trx, rosterId, list));
      assignments += list.length;
      const published = await roster.publish(SYSTEM_ACTOR, rosterId);
      if (!published.ok)
        throw new Error(`publish refused: ${published.violations.length} violations`);
    }
    const segments = await db
      .selectFrom('duty_segment')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      `setup: ${assignments} assignments, ${String(segments.n)} duty segments in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const random = rng(42);
    const from = Date.UTC(YEAR, 0, 1) - 8 * 3_600_000;
    const span = 365 * 86_400_000;
    const query = () => {
      const post = posts[Math.floor(random() * posts.length)]!;
      return { postId: post.id, at: from + Math.floor(random() * span) };
    };
    for (let i = 0; i < 1000; i++) await roster.onDuty(query()); // warm-up
    const times: number[] = [];
    let empty = 0;
    for (let i = 0; i < QUERIES; i++) {
      const q = query();
      const a = performance.now();
      const r = await roster.onDuty(q);
      times.push(performance.now() - a);
      if (r.personIds.length === 0) empty++;
    }
    times.sort((x, y) => x - y);
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    console.log(
      `${QUERIES} on-duty queries: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${times[times.length - 1]!.toFixed(3)} ms, empty answers ${empty}`,
    );
    console.log(
      JSON.stringify({
        p50_ms: Number(p50.toFixed(4)),
        p99_ms: Number(p99.toFixed(4)),
        people: PEOPLE,
        posts: POSTS,
        days: 365,
      }),
    );
    roster.close();
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
