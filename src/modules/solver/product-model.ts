/**
 * The product's roster setup → the solver's constraint model, and back. Pure: no database,
 * no clock. One solver "shift" is one (post, shift type) pair; cover, skills, leave, requests,
 * pins and the team's blocking rules become cover rows, per-type maxima, days off, request
 * costs, pins and forbidden successions. Rules the model cannot state exactly (runs of nights,
 * days off after nights > 1, hours per week, rest across two days) are enforced by
 * `legalise` in product-solve.ts: cells that break them are pinned off and the solver runs
 * again.
 */
import { addDays, datesInRange, isoWeekday } from '../roster/local-date.js';
import { type LeaveSpan, dayKindOf } from '../roster/rest-rules.js';
import {
  type Assignment,
  type Person,
  type Post,
  type RestRules,
  type ShiftType,
  type TeamCalendar,
  shiftMinutes,
} from '../roster/roster.schema.js';
import { isNightShift } from '../roster/shift-time.js';
import {
  type CoverRequirement,
  type FairnessTerm,
  OFF,
  type Pin,
  type RosterModel,
  type ShiftRequest,
  weekendsFor,
} from './model.js';

/** A staff member's wish for one day: to work a shift type, or not to work (that type / at all). */
export interface ShiftWish {
  personId: string;
  date: string;
  kind: 'on' | 'off';
  /** For 'on' required; for 'off' absent means the whole day. */
  shiftTypeId?: string | null;
}

export interface ProductSetup {
  periodStart: string;
  periodEnd: string;
  timeZone: string;
  shiftTypes: readonly ShiftType[];
  posts: readonly Post[];
  people: readonly Pick<Person, 'id' | 'skills' | 'defaultPostId'>[];
  rules: RestRules;
  calendar?: Partial<TeamCalendar>;
  /** Approved leave and unavailability: the person does not work on those days. */
  leave?: readonly LeaveSpan[];
  /** Fixed days off besides leave. */
  daysOff?: readonly { personId: string; date: string }[];
  requests?: readonly ShiftWish[];
  /** Assignments kept as they are (pins). A person pinned on a leave day is not pinned. */
  pins?: readonly Assignment[];
  /** Cells pinned off (the legaliser's repairs). */
  pinnedOff?: readonly { personId: string; date: string }[];
  /**
   * Re-planning: the current roster, kept where possible (each changed cell costs
   * `keepWeight`), so the repair changes as few cells as it can.
   */
  keep?: readonly Assignment[];
  keepWeight?: number;
  /**
   * State the night rules more strictly than they are (no two nights in a row; every stretch
   * off as long as the days off after nights): always legal, less freedom. Used when the
   * exact model with repair rounds finds nothing.
   */
  strict?: boolean;
}

export const WEIGHTS = {
  /** Per person missing below the preferred cover. */
  coverUnder: 100,
  /** Per person missing below a blocking minimum cover. */
  coverHard: 10_000,
  /** Per person above the preferred cover (or on a shift without cover). */
  coverOver: 20,
  request: 10,
  fairness: 5,
  keep: 30,
};

export interface ProductModel {
  model: RosterModel;
  dates: string[];
  /** Solver shift index → (post, shift type). */
  cells: { postId: string; shiftTypeId: string }[];
  personIds: string[];
}

const BIG = 1_000_000;

/** True when the zone's UTC offset changes during the year (a shift can be an hour longer). */
export function observesDst(timeZone: string, year = 2026): boolean {
  const off = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      timeZoneName: 'longOffset',
    }).formatToParts(new Date(ms));
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  };
  return off(Date.UTC(year, 0, 15)) !== off(Date.UTC(year, 6, 15));
}

const blocks = (r: { severity: 'block' | 'warn' } | undefined) => r?.severity === 'block';

/** Minutes a shift type is worked (nominal length minus break). */
export function workedNominal(s: Pick<ShiftType, 'start' | 'end' | 'breakMinutes'>): number {
  const [a, b] = shiftMinutes(s);
  return Math.max(0, b - a - s.breakMinutes);
}

export function buildProductModel(setup: ProductSetup): ProductModel {
  const dates = datesInRange(setup.periodStart, setup.periodEnd);
  const H = dates.length;
  const dayOf = new Map(dates.map((d, i) => [d, i]));
  const { rules } = setup;
  const dstMargin = observesDst(setup.timeZone) ? 60 : 0;
  const typeById = new Map(setup.shiftTypes.map((s) => [s.id, s]));
  const cells: ProductModel['cells'] = [];
  const cellType: ShiftType[] = [];
  for (const p of setup.posts) {
    for (const tid of p.shiftTypeIds) {
      const st = typeById.get(tid);
      if (!st) continue;
      cells.push({ postId: p.id, shiftTypeId: tid });
      cellType.push(st);
    }
  }
  const K = cells.length;
  const postById = new Map(setup.posts.map((p) => [p.id, p]));

  // Forbidden successions (day d → day d+1) from rest, overlap, nights.
  const minRest = blocks(rules.minRestHours) ? rules.minRestHours!.value * 60 + dstMargin : 0;
  const nightsNeedOff =
    blocks(rules.minDaysOffAfterNights) && rules.minDaysOffAfterNights!.value >= 1;
  const maxNights = blocks(rules.maxConsecutiveNights)
    ? rules.maxConsecutiveNights!.value
    : Infinity;
  const shifts = cellType.map((t, k) => {
    const [, endT] = shiftMinutes(t);
    const cannotFollow: number[] = [];
    cellType.forEach((u, j) => {
      const [startU] = shiftMinutes(u);
      const rest = 1440 + startU - endT;
      const nightT = isNightShift(t);
      const nightU = isNightShift(u);
      if (
        rest < dstMargin ||
        rest < minRest ||
        (nightsNeedOff && nightT && !nightU) ||
        ((maxNights <= 1 || (setup.strict && maxNights < H)) && nightT && nightU)
      ) {
        cannotFollow.push(j);
      }
    });
    return { id: `${cells[k]!.postId}|${t.id}`, minutes: workedNominal(t), cannotFollow };
  });

  // People: skills, hours, runs, days off.
  const leaveDays = new Map<string, Set<number>>();
  const offDay = (personId: string, date: string) => {
    const d = dayOf.get(date);
    if (d === undefined) return;
    const set = leaveDays.get(personId) ?? new Set<number>();
    set.add(d);
    leaveDays.set(personId, set);
  };
  for (const l of setup.leave ?? []) {
    for (
      let d = l.startDate < setup.periodStart ? setup.periodStart : l.startDate;
      d <= l.endDate && d <= setup.periodEnd;
      d = addDays(d, 1)
    ) {
      offDay(l.personId, d);
    }
  }
  for (const o of setup.daysOff ?? []) offDay(o.personId, o.date);

  let maxMinutes = BIG;
  if (blocks(rules.maxHoursPerMonth)) {
    // Over the whole period: ≤ the monthly maximum implies ≤ it in every month of the period.
    maxMinutes = Math.max(0, Math.floor(rules.maxHoursPerMonth!.value * 60) - dstMargin);
  }
  const maxRun = blocks(rules.maxConsecutiveDays)
    ? Math.max(0, Math.floor(rules.maxConsecutiveDays!.value))
    : H;
  const employees = setup.people.map((p) => {
    const skills = new Set(p.skills);
    const maxShifts = cells.map((c, k) => {
      const post = postById.get(c.postId)!;
      if (blocks(rules.skills) && post.requiredSkills.some((s) => !skills.has(s))) return 0;
      if (maxNights < 1 && isNightShift(cellType[k]!)) return 0;
      return H;
    });
    return {
      id: p.id,
      maxShifts,
      minMinutes: 0,
      maxMinutes,
      minConsecutive: 1,
      maxConsecutive: maxRun,
      minConsecutiveDaysOff:
        setup.strict && blocks(rules.minDaysOffAfterNights)
          ? Math.max(1, Math.ceil(rules.minDaysOffAfterNights!.value))
          : 1,
      maxWeekends: H,
      daysOff: [...(leaveDays.get(p.id) ?? [])].sort((a, b) => a - b),
    };
  });
  const personIndex = new Map(setup.people.map((p, i) => [p.id, i]));

  // Cover. The solver prices a shortfall linearly and has no hard floor of its own, so each
  // (post, shift type) is two solver shifts: the "core" one (index k) asks for the minimum with
  // a heavy shortfall price, the "extra" one (index K + k) for preferred − minimum at the
  // ordinary price. Both map back to the same duty.
  const cover: CoverRequirement[] = [];
  const hardCover = blocks(rules.cover);
  dates.forEach((date, d) => {
    const kind = dayKindOf(date, setup.calendar);
    cells.forEach((c, k) => {
      const post = postById.get(c.postId)!;
      const row = post.cover.find((x) => x.shiftTypeId === c.shiftTypeId && x.dayKind === kind);
      const min = row?.min ?? 0;
      cover.push({
        day: d,
        shift: k,
        requirement: min,
        underWeight: min > 0 ? (hardCover ? WEIGHTS.coverHard : WEIGHTS.coverUnder * 3) : 0,
        overWeight: WEIGHTS.coverOver,
        ...(hardCover && min > 0 ? { hardMin: min } : {}),
      });
      cover.push({
        day: d,
        shift: K + k,
        requirement: (row?.preferred ?? 0) - min,
        underWeight: WEIGHTS.coverUnder,
        overWeight: WEIGHTS.coverOver,
      });
    });
  });

  // Requests.
  const onRequests: ShiftRequest[] = [];
  const offRequests: ShiftRequest[] = [];
  const cellsOfType = (tid: string) =>
    cells.map((c, k) => (c.shiftTypeId === tid ? k : -1)).filter((k) => k >= 0);
  const canWork = (e: number, k: number) => employees[e]!.maxShifts[k]! > 0;
  for (const r of setup.requests ?? []) {
    const e = personIndex.get(r.personId);
    const d = dayOf.get(r.date);
    if (e === undefined || d === undefined) continue;
    if (r.kind === 'on') {
      if (!r.shiftTypeId) continue;
      const options = cellsOfType(r.shiftTypeId).filter((k) => canWork(e, k));
      const pref = setup.people[e]!.defaultPostId;
      const k = options.find((x) => cells[x]!.postId === pref) ?? options[0];
      if (k !== undefined)
        onRequests.push({ employee: e, day: d, shift: k, weight: WEIGHTS.request });
    } else {
      const ks = r.shiftTypeId ? cellsOfType(r.shiftTypeId) : cells.map((_, k) => k);
      for (const k of ks)
        offRequests.push({ employee: e, day: d, shift: k, weight: WEIGHTS.request });
    }
  }

  // Re-planning: keep the current roster where possible.
  const cellIndex = new Map(cells.map((c, k) => [`${c.postId}|${c.shiftTypeId}`, k]));
  if (setup.keep) {
    const w = setup.keepWeight ?? WEIGHTS.keep;
    const current = new Map<string, number>();
    for (const a of setup.keep) {
      const k = cellIndex.get(`${a.postId}|${a.shiftTypeId}`);
      if (k !== undefined && !current.has(`${a.personId}|${a.date}`))
        current.set(`${a.personId}|${a.date}`, k);
    }
    setup.people.forEach((p, e) => {
      dates.forEach((date, d) => {
        const k = current.get(`${p.id}|${date}`);
        if (k !== undefined) onRequests.push({ employee: e, day: d, shift: k, weight: w });
        else
          for (let j = 0; j < K; j++)
            offRequests.push({ employee: e, day: d, shift: j, weight: w });
      });
    });
  }

  // Pins.
  const pins: Pin[] = [];
  const pinned = new Set<string>();
  for (const o of setup.pinnedOff ?? []) {
    const e = personIndex.get(o.personId);
    const d = dayOf.get(o.date);
    if (e === undefined || d === undefined || pinned.has(`${e}|${d}`)) continue;
    pinned.add(`${e}|${d}`);
    pins.push({ employee: e, day: d, shift: OFF });
  }
  for (const a of setup.pins ?? []) {
    const e = personIndex.get(a.personId);
    const d = dayOf.get(a.date);
    const k = cellIndex.get(`${a.postId}|${a.shiftTypeId}`);
    if (e === undefined || d === undefined || k === undefined) continue;
    if (pinned.has(`${e}|${d}`) || leaveDays.get(a.personId)?.has(d)) continue;
    if (!canWork(e, k)) continue;
    pinned.add(`${e}|${d}`);
    pins.push({ employee: e, day: d, shift: k });
  }

  // Fairness: nights, weekends, holidays spread evenly.
  const fairness: FairnessTerm[] = [];
  const term = (name: string, test: (d: number, k: number) => boolean) => {
    const list: { day: number; shift: number }[] = [];
    for (let d = 0; d < H; d++)
      for (let k = 0; k < K; k++) if (test(d, k)) list.push({ day: d, shift: k });
    // Re-planning changes as few cells as it can: fairness is not re-balanced there.
    if (list.length > 0 && !setup.keep)
      fairness.push({ name, weight: WEIGHTS.fairness, cells: list });
  };
  const kinds = dates.map((date) => dayKindOf(date, setup.calendar));
  term('nights', (_d, k) => isNightShift(cellType[k]!));
  term('weekends', (d) => kinds[d] === 'weekend');
  term('holidays', (d) => kinds[d] === 'holiday');

  // The extra shifts: same duty, same rules (see Cover above).
  const allShifts = [
    ...shifts.map((x) => ({
      ...x,
      cannotFollow: [...x.cannotFollow, ...x.cannotFollow.map((j) => j + K)],
    })),
    ...shifts.map((x) => ({
      ...x,
      id: `${x.id}|+`,
      cannotFollow: [...x.cannotFollow, ...x.cannotFollow.map((j) => j + K)],
    })),
  ];
  for (const emp of employees) emp.maxShifts = [...emp.maxShifts, ...emp.maxShifts];
  const allOff = [
    ...offRequests,
    ...offRequests.map((r) => ({ ...r, shift: r.shift + K })),
    // An on-request (or keep) is met by either label of the duty.
    ...onRequests.map((r) => ({ ...r, shift: r.shift + K, weight: -r.weight })),
  ];
  for (const f of fairness)
    f.cells = [...f.cells, ...f.cells.map((c) => ({ ...c, shift: c.shift + K }))];

  const model: RosterModel = {
    days: H,
    shifts: allShifts,
    employees,
    onRequests,
    offRequests: allOff,
    cover,
    weekends: H > 0 ? weekendsFor(H, isoWeekday(setup.periodStart) - 1) : [],
    pins,
    fairness,
  };
  return { model, dates, cells: [...cells, ...cells], personIds: setup.people.map((p) => p.id) };
}

/** A solver roster as the product's assignments (date = the day the shift starts). */
export function rosterToAssignments(pm: ProductModel, roster: ArrayLike<number>): Assignment[] {
  const H = pm.dates.length;
  const out: Assignment[] = [];
  pm.personIds.forEach((personId, e) => {
    for (let d = 0; d < H; d++) {
      const k = roster[e * H + d]!;
      if (k === OFF) continue;
      const c = pm.cells[k]!;
      out.push({ personId, postId: c.postId, shiftTypeId: c.shiftTypeId, date: pm.dates[d]! });
    }
  });
  return out;
}

/** Assignments as a solver roster (a second duty on the same day is dropped). */
export function assignmentsToRoster(
  pm: ProductModel,
  assignments: readonly Assignment[],
): Int16Array {
  const H = pm.dates.length;
  const roster = new Int16Array(pm.personIds.length * H).fill(OFF);
  const e = new Map(pm.personIds.map((id, i) => [id, i]));
  const d = new Map(pm.dates.map((x, i) => [x, i]));
  const k = new Map<string, number>();
  pm.cells.forEach((c, i) => {
    if (!k.has(`${c.postId}|${c.shiftTypeId}`)) k.set(`${c.postId}|${c.shiftTypeId}`, i);
  });
  for (const a of assignments) {
    const ei = e.get(a.personId);
    const di = d.get(a.date);
    const ki = k.get(`${a.postId}|${a.shiftTypeId}`);
    if (ei === undefined || di === undefined || ki === undefined) continue;
    if (roster[ei * H + di] === OFF) roster[ei * H + di] = ki;
  }
  return roster;
}
