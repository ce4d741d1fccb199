import { enqueueJob } from '../../jobs/job-engine.js';
import { conflict, forbidden, notFound } from '../../lib/errors.js';
import { type CellValue, toCsv, toXlsx } from '../../lib/spreadsheet-safe.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { type Attendance, classifyAttendance, owedInterval } from './check-in.js';
import { addDays } from './local-date.js';
import { swapOutcome } from './requests.js';
import * as store from './roster.store.js';
import { LIVE_STATUSES, type RosterContext } from './roster-context.service.js';
import { ROSTER_REMINDER_JOB } from './roster-publish.service.js';
import { localDateOf, localToUtc, shiftInterval } from './shift-time.js';

export interface AttendanceRow {
  /** The shift's assignment; null on a row for an emergency override. */
  assignmentId: string | null;
  /** The emergency override this row stands for (someone put on duty), else null. */
  overrideId: string | null;
  /** Who an emergency override handed this shift to (or part of it), by name. */
  relievedBy: string[];
  personId: string;
  personName: string;
  date: string;
  shiftCode: string;
  postName: string;
  startMs: number;
  endMs: number;
  checkInAt: number | null;
  checkOutAt: number | null;
  arrival: string;
  departure: string;
  lateMinutes: number;
  earlyLeaveMinutes: number;
}

/** Labels of the CSV's header and values, in the caller's language. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The duty admin's side of a published roster: the month's attendance (late, missing, early
 * leave) with its CSV export, reminding the unconfirmed now, and the live calendar feeds.
 */
export function createAdminUseCases(c: RosterContext) {
  const { db, clock } = c.deps;

  /** Every shift of the roster (after swaps) with its check-in record, judged now. */
  async function attendance(rosterId: string) {
    const r = await c.getRosterOr404(db, rosterId);
    const dir = await c.dirOf(r.teamId);
    const ctx = await c.teamContext(db, dir);
    const assignments = await c.effectiveAssignments(db, r.id);
    const records = new Map(
      (await store.listRosterAttendance(db, r.id)).map((x) => [x.assignmentId, x] as const),
    );
    // Emergency overrides during the period: the person they replace owes only what is left
    // of the shift, and the person they put on duty gets a row of their own.
    const periodStartMs = localToUtc(r.periodStart, 0, ctx.team.timeZone);
    const periodEndMs = localToUtc(addDays(r.periodEnd, 1), 0, ctx.team.timeZone);
    const overrides = await store.listOverrides(db, r.teamId, periodStartMs, periodEndMs);
    const extraNames = await c.names(
      [...assignments.map((a) => a.personId), ...overrides.map((o) => o.personId)].filter(
        (id) => !dir.names.has(id),
      ),
    );
    const nameOf = (id: string) => dir.names.get(id) ?? extraNames.get(id) ?? id;
    const now = clock.now();
    const rows: AttendanceRow[] = [];
    for (const a of assignments) {
      const shift = ctx.shiftTypes.find((s) => s.id === a.shiftTypeId);
      const post = ctx.posts.find((p) => p.id === a.postId);
      if (!shift || !post) continue;
      const interval = shiftInterval(a.date, shift, ctx.team.timeZone);
      const rec = records.get(a.id);
      const relief = overrides.filter(
        (o) =>
          o.replacesPersonId === a.personId &&
          o.postId === a.postId &&
          o.startMs < interval.endMs &&
          o.endMs > interval.startMs,
      );
      const owed = owedInterval(interval, relief);
      // Judged now, so a shift nobody checked in to shows as missing once it is over.
      const judged: Attendance =
        owed === null
          ? { arrival: 'replaced', departure: 'replaced', lateMinutes: 0, earlyLeaveMinutes: 0 }
          : classifyAttendance(
              owed,
              rec?.checkInAt ?? undefined,
              rec?.checkOutAt ?? undefined,
              LIVE_STATUSES.has(r.status) ? now : owed.startMs - 1,
            );
      rows.push({
        assignmentId: a.id,
        overrideId: null,
        relievedBy: [...new Set(relief.map((o) => nameOf(o.personId)))],
        personId: a.personId,
        personName: nameOf(a.personId),
        date: a.date,
        shiftCode: shift.code,
        postName: post.name,
        startMs: interval.startMs,
        endMs: interval.endMs,
        checkInAt: rec?.checkInAt ?? null,
        checkOutAt: rec?.checkOutAt ?? null,
        ...judged,
      });
    }
    for (const o of overrides) {
      rows.push({
        assignmentId: null,
        overrideId: o.id,
        relievedBy: [],
        personId: o.personId,
        personName: nameOf(o.personId),
        date: localDateOf(o.startMs, ctx.team.timeZone),
        shiftCode: '',
        postName: ctx.posts.find((p) => p.id === o.postId)?.name ?? '',
        startMs: o.startMs,
        endMs: o.endMs,
        checkInAt: null,
        checkOutAt: null,
        arrival: 'override',
        departure: 'override',
        lateMinutes: 0,
        earlyLeaveMinutes: 0,
      });
    }
    rows.sort((x, y) => x.startMs - y.startMs || x.personName.localeCompare(y.personName));
    const summary = new Map<
      string,
      {
        personId: string;
        name: string;
        shifts: number;
        late: number;
        missing: number;
        earlyLeave: number;
        replaced: number;
        overrides: number;
      }
    >();
    for (const row of rows) {
      const s = summary.get(row.personId) ?? {
        personId: row.personId,
        name: row.personName,
        shifts: 0,
        late: 0,
        missing: 0,
        earlyLeave: 0,
        replaced: 0,
        overrides: 0,
      };
      if (row.overrideId !== null) s.overrides++;
      else s.shifts++;
      if (row.arrival === 'replaced') s.replaced++;
      if (row.arrival === 'late') s.late++;
      if (row.arrival === 'missing') s.missing++;
      if (row.departure === 'early_leave') s.earlyLeave++;
      summary.set(row.personId, s);
    }
    return {
      roster: { ...r, timeZone: ctx.team.timeZone, teamName: ctx.team.name },
      rows,
      people: [...summary.values()].sort((x, y) => x.name.localeCompare(y.name)),
    };
  }

  /** The attendance as rows of a sheet (header first), labels in the caller's language. */
  async function attendanceSheet(rosterId: string, tr: Translate) {
    const { roster, rows } = await attendance(rosterId);
    const zone = roster.timeZone;
    const local = (ms: number | null) =>
      ms === null
        ? ''
        : new Intl.DateTimeFormat('sv-SE', {
            timeZone: zone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
          }).format(ms);
    const header = [
      'person',
      'date',
      'shift',
      'post',
      'start',
      'end',
      'checkIn',
      'checkOut',
      'arrival',
      'lateMinutes',
      'departure',
      'earlyLeaveMinutes',
    ].map((k) => tr(`roster.attendance.columns.${k}`));
    const body: CellValue[][] = rows.map((x) => [
      x.personName,
      x.date,
      x.shiftCode,
      x.postName,
      local(x.startMs),
      local(x.endMs),
      local(x.checkInAt),
      local(x.checkOutAt),
      tr(`roster.attendance.arrival.${x.arrival}`),
      x.lateMinutes,
      tr(`roster.attendance.departure.${x.departure}`),
      x.earlyLeaveMinutes,
    ]);
    return { roster, rows: [header, ...body] };
  }

  /** The attendance as CSV (UTF-8 with BOM, CRLF), every text cell formula-safe. */
  async function attendanceCsv(rosterId: string, tr: Translate) {
    const { roster, rows } = await attendanceSheet(rosterId, tr);
    return { text: toCsv(rows), filename: `attendance-${roster.periodStart}.csv` };
  }

  /** The same rows as an Excel workbook: typed minutes, every text cell formula-safe. */
  async function attendanceXlsx(rosterId: string, tr: Translate) {
    const { roster, rows } = await attendanceSheet(rosterId, tr);
    const bytes = await toXlsx(rows, {
      sheetName: tr('roster.attendance.sheetName', { period: roster.periodStart }),
      widths: [16, 12, 8, 14, 18, 18, 18, 18, 14, 10, 14, 10],
    });
    return { bytes, filename: `attendance-${roster.periodStart}.xlsx` };
  }

  /**
   * Remind everyone who has not confirmed, now: one durable reminder job each (the same job the
   * publication schedules), so a crash between here and the mail does not lose or repeat it.
   */
  async function remindNow(actor: Actor, rosterId: string) {
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      if (!LIVE_STATUSES.has(r.status) || r.publishedAt === null || r.status === 'closed') {
        throw conflict('roster_not_published', 'roster.service.notPublished');
      }
      const unconfirmed = (await store.listConfirmations(trx, r.id))
        .filter((x) => x.confirmedAt === null)
        .map((x) => x.personId);
      if (unconfirmed.length === 0) {
        throw conflict('nothing_to_remind', 'roster.service.nothingToRemind');
      }
      const now = clock.now();
      for (const personId of unconfirmed) {
        await enqueueJob(trx, c.deps.dialect, clock, {
          kind: ROSTER_REMINDER_JOB,
          payload: { rosterId: r.id, personId, publishedAt: r.publishedAt, kind: 'reminder' },
          runAt: now,
          // One per person per minute: a double click does not mail twice.
          idempotencyKey: `${ROSTER_REMINDER_JOB}:${r.id}:${r.publishedAt}:${personId}:now:${Math.floor(now / 60_000)}`,
          maxAttempts: 5,
        });
      }
      await recordAudit(trx, actor, now, {
        action: 'roster.remind',
        entityType: 'roster',
        entityId: r.id,
        after: { people: unconfirmed },
      });
      return { reminded: unconfirmed.length, people: unconfirmed };
    });
  }

  /** Live calendar feeds: the caller's own, or (a duty admin) everyone's. Tokens are not kept. */
  async function listFeeds(caller: { userId: string; canManage: boolean }, all: boolean) {
    const feeds = await store.listFeeds(
      db,
      all && caller.canManage ? {} : { createdBy: caller.userId },
    );
    const personNames = await c.names([
      ...new Set(
        feeds.flatMap((f) => [f.createdBy, ...(f.kind === 'person' ? [f.subjectId] : [])]),
      ),
    ]);
    const items = [];
    for (const f of feeds) {
      const post = f.kind === 'post' ? await store.findPostTeam(db, f.subjectId) : undefined;
      items.push({
        id: f.id,
        kind: f.kind,
        subjectId: f.subjectId,
        subjectName:
          f.kind === 'person'
            ? (personNames.get(f.subjectId) ?? f.subjectId)
            : (post?.name ?? f.subjectId),
        createdBy: f.createdBy,
        createdByName: personNames.get(f.createdBy) ?? f.createdBy,
        createdAt: f.createdAt,
      });
    }
    return { items };
  }

  /**
   * The rule check a swap would get on approval, before the duty admin decides: the violations
   * the swap adds to its roster, and whether any of them blocks.
   */
  /** The rule check a swap would get: for the duty admin, and for the two people it swaps (the
   * substitute sees it before accepting). */
  async function swapCheck(caller: { userId: string; canManage: boolean }, swapId: string) {
    const s = await store.findSwap(db, swapId);
    if (!s) throw notFound('swap', swapId);
    if (!caller.canManage && caller.userId !== s.requesterId && caller.userId !== s.substituteId) {
      throw forbidden('roster.service.notYourSwap');
    }
    const r = await c.getRosterOr404(db, s.rosterId);
    const ctx = await c.teamContext(db, await c.dirOf(r.teamId));
    const assignments = await c.effectiveAssignments(db, r.id);
    return swapOutcome(await c.checkInput(db, r, ctx, assignments), s);
  }

  return { attendance, attendanceCsv, attendanceXlsx, remindNow, listFeeds, swapCheck };
}
