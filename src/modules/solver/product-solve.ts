/**
 * Solving a product roster: build the model, solve, check the result with the roster module's
 * own rule check, pin off the cells that still break a blocking rule the model cannot state
 * exactly, and solve again (a few short rounds). Also the fairness report and the list of
 * soft rules not met. Pure apart from the injected solve function.
 */
import { datesInRange } from '../roster/local-date.js';
import {
  type RosterCheckInput,
  type Violation,
  checkRoster,
  dayKindOf,
} from '../roster/rest-rules.js';
import type { Assignment } from '../roster/roster.schema.js';
import { isNightShift } from '../roster/shift-time.js';
import type { InfeasibilityReason } from './infeasibility.js';
import { OFF, type RosterModel } from './model.js';
import {
  type ProductModel,
  type ProductSetup,
  assignmentsToRoster,
  buildProductModel,
  rosterToAssignments,
  workedNominal,
} from './product-model.js';
import type { SolveResult } from './solver.js';

export type SolveFn = (
  model: RosterModel,
  opts: {
    timeLimitMs: number;
    initial?: Int16Array;
    /** Only the first round is stoppable; repair rounds are short and run to their end. */
    first: boolean;
  },
) => Promise<SolveResult>;

/**
 * Where a product solve is: the tier (exact or strict model), the round within it (0 = the
 * main search, later ones are repair rounds) and the cells pinned off so far. With the roster
 * the round starts from (or its best so far) it is what a resumed run needs to go on.
 */
export interface SolveStage {
  strict: boolean;
  round: number;
  pinnedOff: { personId: string; date: string }[];
}

/** The people, shifts and days of a model: a saved roster fits only a model with the same. */
export interface ModelIdentity {
  days: number;
  employees: string[];
  shifts: string[];
}

export function modelIdentity(model: RosterModel): ModelIdentity {
  return {
    days: model.days,
    employees: model.employees.map((e) => e.id),
    shifts: model.shifts.map((s) => s.id),
  };
}

export function sameIdentity(a: ModelIdentity, b: ModelIdentity): boolean {
  return (
    a.days === b.days &&
    a.employees.join('\n') === b.employees.join('\n') &&
    a.shifts.join('\n') === b.shifts.join('\n')
  );
}

/**
 * A killed solve to go on with: its stage, the best roster of that stage (or the one it started
 * from) with the model identity it belongs to, and the time the stage had already spent.
 */
export interface ResumePoint {
  stage: SolveStage;
  roster: { identity: ModelIdentity; cells: readonly number[] } | null;
  spentMs: number;
}

/** A resumed stage gets at least this long (a worker must start and check its roster). */
export const MIN_RESUME_MS = 500;

/** Why no roster: the rule and where, in the product's terms (person, date, post, shift type). */
export interface ProductReason {
  rule: string;
  messageKey: string;
  personId?: string;
  date?: string;
  postId?: string;
  shiftTypeId?: string;
  detail: string;
  /** Message parameters besides the names (rule-check findings). */
  params?: Record<string, string | number>;
}

export interface ProductResult {
  status: 'feasible' | 'infeasible' | 'no_feasible_found';
  assignments: Assignment[];
  objective: number | null;
  reasons: ProductReason[];
  /** Remaining rule-check findings (warnings only when feasible). */
  violations: Violation[];
  rounds: number;
}

export function checkInputOf(
  setup: ProductSetup,
  assignments: readonly Assignment[],
): RosterCheckInput {
  return {
    periodStart: setup.periodStart,
    periodEnd: setup.periodEnd,
    timeZone: setup.timeZone,
    assignments,
    shiftTypes: setup.shiftTypes,
    posts: setup.posts,
    people: setup.people,
    leave: setup.leave ?? [],
    calendar: setup.calendar ?? {},
    rules: setup.rules,
  };
}

export function productReasons(
  pm: ProductModel,
  reasons: readonly InfeasibilityReason[],
): ProductReason[] {
  return reasons.map((r) => {
    const idx = r.shift ? pm.model.shifts.findIndex((s) => s.id === r.shift) : -1;
    const cell = idx >= 0 ? pm.cells[idx] : undefined;
    return {
      rule: r.rule,
      messageKey: r.messageKey,
      ...(r.employee ? { personId: r.employee } : {}),
      ...(r.day !== undefined && pm.dates[r.day] ? { date: pm.dates[r.day] } : {}),
      ...(cell ? { postId: cell.postId, shiftTypeId: cell.shiftTypeId } : {}),
      detail: r.detail,
    };
  });
}

/**
 * Minimum cover the search could not meet (a blocking cover rule is hard in the solver): which
 * post, shift type and date, how many were placed, and why — how many people could work that
 * cell at all that day (skills, leave, pins); they were all needed elsewhere or held by a rule.
 */
export function uncoveredReasons(
  pm: ProductModel,
  uncovered: readonly { day: number; shift: number; count: number; min: number }[],
): ProductReason[] {
  const { model } = pm;
  const H = model.days;
  const pinned = new Map((model.pins ?? []).map((p) => [p.employee * H + p.day, p.shift]));
  return uncovered.slice(0, 100).map((u) => {
    const cell = pm.cells[u.shift];
    let eligible = 0;
    model.employees.forEach((emp, e) => {
      if ((emp.maxShifts[u.shift] ?? 0) <= 0 || emp.daysOff.includes(u.day)) return;
      const pin = pinned.get(e * H + u.day);
      if (pin !== undefined && pin !== u.shift) return;
      eligible++;
    });
    return {
      rule: 'coverNotMet',
      messageKey: 'solver.infeasible.coverNotMet',
      ...(pm.dates[u.day] ? { date: pm.dates[u.day] } : {}),
      ...(cell ? { postId: cell.postId, shiftTypeId: cell.shiftTypeId } : {}),
      detail: `${u.count} < ${u.min}, ${eligible} eligible`,
      params: { count: u.count, min: u.min, eligible },
    };
  });
}

/** Person-level blocking findings a cell change (pin off) can repair. */
function repairable(v: Violation): boolean {
  return v.severity === 'block' && v.personId !== undefined && v.rule !== 'coverMin';
}

/** True when the strict model differs from the exact one (night rules that block). */
function strictDiffers(setup: ProductSetup): boolean {
  const r = setup.rules;
  return (
    (r.maxConsecutiveNights?.severity === 'block' && r.maxConsecutiveNights.value > 1) ||
    (r.minDaysOffAfterNights?.severity === 'block' && r.minDaysOffAfterNights.value > 1)
  );
}

/**
 * Solve in up to two tiers: the exact model with repair rounds (cells that break a blocking
 * rule the model cannot state are pinned off and the solver runs again), then — only if that
 * finds nothing and the night rules block — the strict model the same way. A proof of
 * infeasibility of the exact model ends at once with its reasons.
 */
export async function solveProduct(
  setup: ProductSetup,
  solveFn: SolveFn,
  opts: {
    timeLimitMs: number;
    repairMs?: number;
    maxRounds?: number;
    /** Go on from where a killed solve was (its stage, best roster, time spent there). */
    resume?: ResumePoint | null;
    /** Told at the start of every stage, with the roster it starts from (saved for a resume). */
    onStage?: (stage: SolveStage, initial: Int16Array | null, model: RosterModel) => void;
  },
): Promise<ProductResult> {
  const maxRounds = opts.maxRounds ?? 8;
  const repairMs = opts.repairMs ?? 2000;
  const tiers = strictDiffers(setup) ? [false, true] : [false];
  let last: Violation[] = [];
  let rounds = 0;
  let unplaced: ProductReason[] = [];
  let resume = opts.resume ?? null;
  // A stage that does not exist in this setup any more (the night rules changed): start over.
  if (resume && (!tiers.includes(resume.stage.strict) || resume.stage.round >= maxRounds))
    resume = null;
  for (const strict of tiers) {
    if (resume && resume.stage.strict !== strict) continue; // that tier was done before the kill
    const budget =
      tiers.length === 1 ? opts.timeLimitMs : Math.round(opts.timeLimitMs * (strict ? 0.4 : 0.6));
    const pinnedOff = resume ? [...resume.stage.pinnedOff] : [...(setup.pinnedOff ?? [])];
    let initial: Int16Array | undefined;
    for (let round = resume ? resume.stage.round : 0; round < maxRounds; round++) {
      rounds++;
      const pm = buildProductModel({ ...setup, pinnedOff, strict });
      let limit = round === 0 ? budget : repairMs;
      if (resume) {
        // Only the time this stage had left, and from its best roster when it still fits.
        limit = Math.max(MIN_RESUME_MS, limit - resume.spentMs);
        const r = resume.roster;
        if (r && sameIdentity(r.identity, modelIdentity(pm.model)))
          initial = Int16Array.from(r.cells);
        resume = null;
      }
      opts.onStage?.({ strict, round, pinnedOff: [...pinnedOff] }, initial ?? null, pm.model);
      const res = await solveFn(pm.model, {
        timeLimitMs: limit,
        ...(initial ? { initial } : {}),
        first: round === 0,
      });
      if (res.status === 'infeasible' && round === 0 && !strict) {
        // Proven without any repair pin: the setup itself cannot be rostered.
        return {
          status: 'infeasible',
          assignments: [],
          objective: null,
          reasons: productReasons(pm, res.reasons),
          violations: [],
          rounds,
        };
      }
      if (res.status !== 'feasible' || !res.roster) {
        if (res.status === 'no_feasible_found' && round === 0 && res.uncovered.length > 0) {
          unplaced = uncoveredReasons(pm, res.uncovered);
        } else if (res.status === 'no_feasible_found' && round === 0) {
          unplaced = res.unplaced.map((personId) => ({
            rule: 'none_found',
            messageKey: 'solver.infeasible.noneFound',
            personId,
            detail: 'no roster satisfying every hard rule found in the time limit',
            params: { employees: personId },
          }));
        }
        break;
      }
      const assignments = rosterToAssignments(pm, res.roster);
      const violations = checkRoster(checkInputOf(setup, assignments));
      if (!violations.some((v) => v.severity === 'block')) {
        return {
          status: 'feasible',
          assignments,
          objective: res.objective,
          reasons: [],
          violations,
          rounds,
        };
      }
      last = violations;
      const bad = violations.filter(repairable);
      if (bad.length === 0) break;
      const next = Int16Array.from(res.roster);
      const H = pm.dates.length;
      for (const v of bad) {
        pinnedOff.push({ personId: v.personId!, date: v.date });
        const e = pm.personIds.indexOf(v.personId!);
        const d = pm.dates.indexOf(v.date);
        if (e >= 0 && d >= 0) next[e * H + d] = OFF;
      }
      initial = next;
    }
  }
  const fromRules: ProductReason[] = last
    .filter((v) => v.severity === 'block')
    .map((v) => ({
      rule: v.rule,
      messageKey: v.messageKey,
      ...(v.personId ? { personId: v.personId } : {}),
      date: v.date,
      ...(v.postId ? { postId: v.postId } : {}),
      ...(v.shiftTypeId ? { shiftTypeId: v.shiftTypeId } : {}),
      detail: JSON.stringify(v.params),
      params: v.params,
    }));
  return {
    status: 'no_feasible_found',
    assignments: [],
    objective: null,
    reasons: fromRules.length > 0 ? fromRules : unplaced,
    violations: last,
    rounds,
  };
}

export interface FairnessRow {
  personId: string;
  nights: number;
  weekends: number;
  holidays: number;
  hours: number;
  /** The person's fair share of all hours worked (by days available). */
  targetHours: number;
}

/** Per person: nights, weekend and holiday shifts, hours against a fair share. */
export function fairnessReport(
  setup: ProductSetup,
  assignments: readonly Assignment[],
): FairnessRow[] {
  const dates = datesInRange(setup.periodStart, setup.periodEnd);
  const typeById = new Map(setup.shiftTypes.map((s) => [s.id, s]));
  const rows = new Map(
    setup.people.map((p) => [
      p.id,
      { personId: p.id, nights: 0, weekends: 0, holidays: 0, hours: 0, targetHours: 0 },
    ]),
  );
  let total = 0;
  for (const a of assignments) {
    const row = rows.get(a.personId);
    const st = typeById.get(a.shiftTypeId);
    if (!row || !st) continue;
    const kind = dayKindOf(a.date, setup.calendar);
    if (isNightShift(st)) row.nights++;
    if (kind === 'weekend') row.weekends++;
    if (kind === 'holiday') row.holidays++;
    const h = workedNominal(st) / 60;
    row.hours += h;
    total += h;
  }
  const away = new Map<string, number>();
  for (const l of setup.leave ?? []) {
    const n = dates.filter((d) => d >= l.startDate && d <= l.endDate).length;
    away.set(l.personId, (away.get(l.personId) ?? 0) + n);
  }
  const avail = setup.people.map((p) => Math.max(0, dates.length - (away.get(p.id) ?? 0)));
  const sum = avail.reduce((x, y) => x + y, 0);
  setup.people.forEach((p, i) => {
    const row = rows.get(p.id)!;
    row.hours = Math.round(row.hours * 10) / 10;
    row.targetHours = sum > 0 ? Math.round(((total * avail[i]!) / sum) * 10) / 10 : 0;
  });
  return [...rows.values()];
}

/** A soft rule not met: who, which day, which rule, and why. */
export interface SoftMiss {
  rule: string;
  personId?: string;
  postId?: string;
  shiftTypeId?: string;
  date: string;
  messageKey: string;
  params: Record<string, string | number>;
  /** Why it was not met: message key under solver.product.why. */
  why: string;
}

/** Every soft rule the roster does not meet: warnings of the rule check and unmet requests. */
export function softMisses(
  setup: ProductSetup,
  assignments: readonly Assignment[],
  violations: readonly Violation[],
): SoftMiss[] {
  const out: SoftMiss[] = [];
  for (const v of violations) {
    if (v.severity !== 'warn') continue;
    const why =
      v.rule === 'coverPreferred'
        ? 'solver.product.why.notEnoughPeople'
        : 'solver.product.why.coverFirst';
    out.push({ ...v, why });
  }
  const byCell = new Map<string, Assignment[]>();
  for (const a of assignments) {
    const k = `${a.personId}|${a.date}`;
    byCell.set(k, [...(byCell.get(k) ?? []), a]);
  }
  const onLeave = (personId: string, date: string) =>
    (setup.leave ?? []).some(
      (l) => l.personId === personId && date >= l.startDate && date <= l.endDate,
    );
  const countOn = (date: string, shiftTypeId: string) =>
    assignments.filter((a) => a.date === date && a.shiftTypeId === shiftTypeId).length;
  for (const r of setup.requests ?? []) {
    if (r.date < setup.periodStart || r.date > setup.periodEnd) continue;
    const mine = byCell.get(`${r.personId}|${r.date}`) ?? [];
    if (r.kind === 'on') {
      if (mine.some((a) => a.shiftTypeId === r.shiftTypeId)) continue;
      const why = onLeave(r.personId, r.date)
        ? 'solver.product.why.onLeave'
        : mine.length > 0
          ? 'solver.product.why.neededElsewhere'
          : 'solver.product.why.rulesOrFull';
      out.push({
        rule: 'requestOn',
        personId: r.personId,
        ...(r.shiftTypeId ? { shiftTypeId: r.shiftTypeId } : {}),
        date: r.date,
        messageKey: 'solver.product.soft.requestOn',
        params: { count: r.shiftTypeId ? countOn(r.date, r.shiftTypeId) : 0 },
        why,
      });
    } else {
      const hit = mine.filter((a) => !r.shiftTypeId || a.shiftTypeId === r.shiftTypeId);
      if (hit.length === 0) continue;
      out.push({
        rule: 'requestOff',
        personId: r.personId,
        postId: hit[0]!.postId,
        shiftTypeId: hit[0]!.shiftTypeId,
        date: r.date,
        messageKey: 'solver.product.soft.requestOff',
        params: { count: countOn(r.date, hit[0]!.shiftTypeId) },
        why: 'solver.product.why.neededForCover',
      });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.rule.localeCompare(b.rule));
}

export { assignmentsToRoster };
