import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { JobHandler } from '../../jobs/job-engine.js';
import { enqueueJob } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { addDays, datesInRange, isLocalDate } from '../roster/local-date.js';
import type { Violation } from '../roster/rest-rules.js';
import type { Assignment } from '../roster/roster.schema.js';
import type { RosterService } from '../roster/roster.service.js';
import { localDateOf } from '../roster/shift-time.js';
import type { ProductSetup } from './product-model.js';
import {
  type FairnessRow,
  type ProductReason,
  type SoftMiss,
  type SolveFn,
  fairnessReport,
  modelIdentity,
  softMisses,
  solveProduct,
} from './product-solve.js';
import * as store from './product.store.js';
import { findInfeasibility } from './infeasibility.js';
import { solveInWorkers } from './solve-in-worker.js';

export const SOLVER_RUN_JOB = 'solver.run';
/**
 * Tries of a run's job: a try killed with its process (lease run out) is resumed — solved
 * again from its inputs — by the next one; the last try only marks the run failed.
 */
export const SOLVER_RUN_ATTEMPTS = 4;
/** Requests one person may have in one month. */
export const MAX_REQUESTS_PER_MONTH = 20;

export type RosterApi = Pick<
  RosterService,
  'getRoster' | 'getSetup' | 'requests' | 'setCells' | 'amend' | 'publish'
>;

export interface SolverProductDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  roster: RosterApi;
  /** Worker threads per run (default 2: the machine's two cores). */
  workers?: number;
  /** Time each repair round may take (default 3 s). */
  repairMs?: number;
  /** The teams a person belongs to (the users module answers). */
  teamsOf?: (personId: string) => Promise<string[]>;
}

export interface CellChange {
  personId: string;
  date: string;
  before: { postId: string; shiftTypeId: string }[];
  after: { postId: string; shiftTypeId: string }[];
}

/** What a finished run stored. */
export interface RunResult {
  status: 'feasible' | 'infeasible' | 'no_feasible_found' | 'failed';
  objective: number | null;
  stopped: boolean;
  assignments: Assignment[];
  fairness: FairnessRow[];
  soft: SoftMiss[];
  reasons: ProductReason[];
  violations: Violation[];
  /** Re-plan: the cells that change. */
  diff?: CellChange[];
  /** Apply of a re-plan: did publishing succeed. */
  published?: boolean;
  /** Time spent solving, over every try of the run (a resumed try adds only what was left). */
  solveMs?: number;
  error?: string;
}

const key = (a: { personId: string; date: string; postId: string; shiftTypeId: string }) =>
  `${a.personId}|${a.date}|${a.postId}|${a.shiftTypeId}`;

function seedOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The cells (person × date) where `after` differs from `before`. */
export function diffAssignments(
  before: readonly Assignment[],
  after: readonly Assignment[],
): CellChange[] {
  const cell = (list: readonly Assignment[]) => {
    const m = new Map<string, { postId: string; shiftTypeId: string }[]>();
    for (const a of list) {
      const k = `${a.personId}|${a.date}`;
      m.set(k, [...(m.get(k) ?? []), { postId: a.postId, shiftTypeId: a.shiftTypeId }]);
    }
    return m;
  };
  const b = cell(before);
  const a = cell(after);
  const norm = (l: { postId: string; shiftTypeId: string }[] = []) =>
    l
      .map((x) => `${x.postId}|${x.shiftTypeId}`)
      .sort()
      .join(',');
  const out: CellChange[] = [];
  for (const k of new Set([...b.keys(), ...a.keys()])) {
    if (norm(b.get(k)) === norm(a.get(k))) continue;
    const [personId, date] = k.split('|') as [string, string];
    out.push({ personId, date, before: b.get(k) ?? [], after: a.get(k) ?? [] });
  }
  return out.sort((x, y) => x.date.localeCompare(y.date) || x.personId.localeCompare(y.personId));
}

/**
 * "Generate" and "re-plan" in the product: staff's shift requests, solver runs as durable jobs
 * (progress, stop, result written into the draft or proposed as an amendment).
 */
export function createSolverProductService(deps: SolverProductDeps) {
  const { db, dialect, clock, roster } = deps;

  // ---------- requests (preferences) ----------

  async function myRequests(personId: string, from?: string) {
    return store.listRequests(db, { personIds: [personId], ...(from ? { from } : {}) });
  }

  /** The shift types a person may ask for: those of their teams. */
  async function myShiftTypes(personId: string) {
    const teams = (await deps.teamsOf?.(personId)) ?? [];
    const out: { id: string; code: string; name: string; team: string }[] = [];
    for (const teamId of teams) {
      const s = await roster.getSetup(teamId);
      for (const st of s.shiftTypes)
        out.push({ id: st.id, code: st.code, name: st.name, team: s.team.name });
    }
    return out;
  }

  async function addRequest(
    actor: Actor,
    personId: string,
    input: { date: string; kind: 'on' | 'off'; shiftTypeId?: string | null; note?: string },
  ) {
    if (!isLocalDate(input.date)) throw invalid('date', 'roster.errors.dateFormat');
    const today = localDateOf(clock.now(), 'UTC');
    if (input.date <= today) throw invalid('date', 'solver.product.requestInPast', { today });
    if (input.kind === 'on' && !input.shiftTypeId)
      throw invalid('shiftTypeId', 'solver.product.requestNeedsShift');
    const month = input.date.slice(0, 7);
    const mine = await store.listRequests(db, {
      personIds: [personId],
      from: `${month}-01`,
      to: `${month}-31`,
    });
    if (mine.some((r) => r.date === input.date)) {
      throw conflict(
        'request_exists',
        'solver.product.requestExists',
        { date: input.date },
        'date',
      );
    }
    if (mine.length >= MAX_REQUESTS_PER_MONTH) {
      throw conflict(
        'too_many_requests',
        'solver.product.tooManyRequests',
        { max: MAX_REQUESTS_PER_MONTH, month },
        'date',
      );
    }
    const r: store.RequestRecord = {
      id: newId(),
      personId,
      date: input.date,
      kind: input.kind,
      shiftTypeId: input.shiftTypeId ?? null,
      note: input.note ?? '',
      createdAt: clock.now(),
    };
    await db.transaction().execute(async (trx) => {
      await store.insertRequest(trx, r);
      await recordAudit(trx, actor, clock.now(), {
        action: 'solver.request.create',
        entityType: 'solver_request',
        entityId: r.id,
        after: r,
      });
    });
    return r;
  }

  async function removeRequest(actor: Actor, personId: string, id: string) {
    await db.transaction().execute(async (trx) => {
      const r = await store.findRequest(trx, id);
      if (!r || r.personId !== personId) throw notFound('solver_request', id);
      await store.deleteRequest(trx, id);
      await recordAudit(trx, actor, clock.now(), {
        action: 'solver.request.delete',
        entityType: 'solver_request',
        entityId: id,
        before: r,
      });
    });
  }

  /** A team's requests in a period (the duty admin's view). */
  async function teamRequests(teamId: string, from: string, to: string) {
    const setup = await roster.getSetup(teamId);
    const names = new Map(setup.people.map((p) => [p.id, p.name]));
    const list = await store.listRequests(db, { personIds: [...names.keys()], from, to });
    return list.map((r) => ({ ...r, personName: names.get(r.personId) ?? r.personId }));
  }

  // ---------- runs ----------

  async function startRun(
    actor: Actor,
    rosterId: string,
    kind: 'generate' | 'replan',
    input: { timeLimitSeconds?: number; keepExisting?: boolean },
  ) {
    const view = await roster.getRoster(rosterId);
    const status = view.roster.status;
    if (kind === 'generate' && status !== 'draft') {
      throw conflict('roster_not_draft', 'solver.product.notDraft', { status });
    }
    if (kind === 'replan' && status !== 'published' && status !== 'amended') {
      throw conflict('roster_not_published', 'solver.product.notPublished', { status });
    }
    const seconds = input.timeLimitSeconds ?? (kind === 'generate' ? 60 : 20);
    const id = newId();
    return db.transaction().execute(async (trx) => {
      const active = await store.activeRun(trx, rosterId);
      if (active) {
        throw conflict('run_active', 'solver.product.runActive', { id: active.id });
      }
      await store.insertRun(
        trx,
        {
          id,
          rosterId,
          kind,
          timeLimitMs: seconds * 1000,
          keepExisting: input.keepExisting ?? false,
          actor,
        },
        clock.now(),
      );
      await enqueueJob(trx, dialect, clock, {
        kind: SOLVER_RUN_JOB,
        payload: { runId: id },
        idempotencyKey: `${SOLVER_RUN_JOB}:${id}`,
        maxAttempts: SOLVER_RUN_ATTEMPTS,
      });
      await recordAudit(trx, actor, clock.now(), {
        action: `solver.${kind}.start`,
        entityType: 'roster',
        entityId: rosterId,
        after: { runId: id, timeLimitSeconds: seconds, keepExisting: input.keepExisting ?? false },
      });
      return (await store.findRun(trx, id))!;
    });
  }

  async function getRun(id: string) {
    const run = await store.findRun(db, id);
    if (!run) throw notFound('solver_run', id);
    return run;
  }

  /** A run with the names its result refers to (people, posts, shift codes). */
  async function runView(id: string) {
    const run = await getRun(id);
    const view = await roster.getRoster(run.rosterId);
    return {
      run,
      names: {
        people: Object.fromEntries(view.people.map((p) => [p.id, p.name])),
        posts: Object.fromEntries(view.posts.map((p) => [p.id, p.name])),
        shifts: Object.fromEntries(view.shiftTypes.map((s) => [s.id, s.code])),
      },
    };
  }

  async function listRuns(rosterId: string) {
    await roster.getRoster(rosterId);
    return store.listRuns(db, rosterId);
  }

  async function stopRun(actor: Actor, id: string) {
    const run = await getRun(id);
    const now = clock.now();
    if (run.status === 'queued') {
      await store.transition(db, id, ['queued'], 'stopped', now, {
        finished: true,
        result: { status: 'failed', stopped: true } satisfies Partial<RunResult>,
      });
    } else if (run.status === 'running') {
      await store.requestStop(db, id, now);
    } else {
      throw conflict('run_not_running', 'solver.product.notRunning', { status: run.status });
    }
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, actor, now, {
        action: 'solver.run.stop',
        entityType: 'solver_run',
        entityId: id,
        before: { status: run.status },
      });
    });
    return getRun(id);
  }

  /** The product setup of a roster: team setup, approved leave, requests, pins. */
  async function setupOf(run: store.RunRecord) {
    const view = await roster.getRoster(run.rosterId);
    const r = view.roster;
    const setup = await roster.getSetup(r.teamId);
    const people = view.people;
    const ids = new Set(people.map((p) => p.id));
    const { leave } = await roster.requests({ open: false });
    const approved = leave
      .filter((l) => l.status === 'approved' && ids.has(l.personId))
      .filter((l) => l.endDate >= r.periodStart && l.startDate <= r.periodEnd)
      .map((l) => ({ personId: l.personId, startDate: l.startDate, endDate: l.endDate }));
    const requests = await store.listRequests(db, {
      personIds: [...ids],
      from: r.periodStart,
      to: r.periodEnd,
    });
    const base: ProductSetup = {
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      timeZone: r.timeZone,
      shiftTypes: view.shiftTypes,
      posts: view.posts,
      people,
      rules: setup.rules,
      calendar: view.calendar,
      leave: approved,
      requests: requests.map((q) => ({
        personId: q.personId,
        date: q.date,
        kind: q.kind,
        shiftTypeId: q.shiftTypeId,
      })),
    };
    const current = view.assignments.map((a) => ({
      personId: a.personId,
      postId: a.postId,
      shiftTypeId: a.shiftTypeId,
      date: a.date,
    }));
    if (run.kind === 'generate') {
      return { setup: run.keepExisting ? { ...base, pins: current } : base, current, view };
    }
    // Re-plan: the past stays as it was; the rest is kept where possible (fewest changes).
    const today = localDateOf(clock.now(), r.timeZone);
    const past = current.filter((a) => a.date < today);
    return {
      setup: { ...base, pins: past, keep: current },
      current,
      view,
    };
  }

  /**
   * The solve function of a run: reports every new best of every round (repair rounds and the
   * strict tier included) with its roster, so that the stage's best can be saved for a resume.
   */
  function solveFnFor(
    run: store.RunRecord,
    signal: AbortSignal,
    onProgress: (objective: number, roster: Int16Array) => void,
  ): SolveFn {
    return async (model, o) => {
      const initial = o.initial;
      if (o.first && !initial) {
        // Prove infeasibility here first: it ends fast with the reason, and the second
        // worker, which waits for the first one's incumbent, is never started for nothing.
        const t0 = Date.now();
        const reasons = findInfeasibility(model, { exactBudgetMs: 1000 });
        if (reasons.length > 0) {
          return {
            status: 'infeasible',
            roster: null,
            objective: null,
            reasons,
            unplaced: [],
            uncovered: [],
            iterations: 0,
            ms: Date.now() - t0,
            history: [],
          };
        }
      }
      return solveInWorkers(model, {
        seed: seedOf(run.id),
        // After Stop, the repair rounds only get a moment.
        timeLimitMs: signal.aborted ? Math.min(o.timeLimitMs, 500) : o.timeLimitMs,
        workers: o.first ? (deps.workers ?? 2) : 1,
        ...(o.first ? { signal } : {}),
        ...(initial ? { initial } : {}),
        onProgress: (p) => onProgress(p.objective, p.roster),
      });
    };
  }

  /**
   * Solve a run from its inputs. `resume`: a previous try died while solving (the run is still
   * `running`); it goes on from the checkpoint that try saved — the same stage (tier, round,
   * cells pinned off), from that stage's best roster, with only the time the stage had left —
   * its earlier progress kept.
   */
  async function execute(
    run: store.RunRecord,
    resume: { checkpoint: store.Checkpoint | null } | null = null,
  ) {
    const now = () => clock.now();
    if (
      !(await store.transition(db, run.id, [resume ? 'running' : 'queued'], 'running', now(), {
        startedAt: now(),
      }))
    ) {
      return;
    }
    const abort = new AbortController();
    const progress: { ms: number; objective: number }[] = resume ? [...run.progress] : [];
    const from = resume?.checkpoint ?? null;
    // Solving time of the earlier tries (their last checkpoint, ≤ 1 s short of the kill).
    const msOffset = Math.max(from?.elapsedMs ?? 0, progress.length ? progress.at(-1)!.ms : 0);
    const started = Date.now();
    const elapsed = () => msOffset + Date.now() - started;
    // The stage now solving and what a resume needs of it; `dirty`: a new best not saved yet.
    let cp: store.Checkpoint | null = null;
    let stageStart = started;
    let stageSpentBefore = 0;
    let dirty = false;
    let lastSave = 0;
    let lastBeat = Date.now();
    let saving: Promise<void> = Promise.resolve();
    const stamp = () => {
      if (!cp) return null;
      cp.stageSpentMs = stageSpentBefore + Date.now() - stageStart;
      cp.elapsedMs = elapsed();
      return { ...cp };
    };
    const save = () => {
      const best = progress.length ? progress[progress.length - 1]!.objective : null;
      const c = dirty ? stamp() : null;
      dirty = false;
      lastBeat = Date.now();
      saving = saving
        .then(() => store.saveProgress(db, run.id, progress.slice(-300), best, now(), c))
        .catch(() => undefined);
    };
    const beat = () => {
      const c = stamp();
      lastBeat = Date.now();
      if (c) saving = saving.then(() => store.saveCheckpoint(db, run.id, c)).catch(() => undefined);
    };
    const poll = setInterval(() => {
      if (Date.now() - lastBeat >= 1000) beat();
      void store
        .findRun(db, run.id)
        .then((r) => {
          if (r?.stopRequested) abort.abort();
        })
        .catch(() => undefined);
    }, 300);
    try {
      const { setup, current } = await setupOf(run);
      const res = await solveProduct(
        setup,
        solveFnFor(run, abort.signal, (objective, roster) => {
          progress.push({ ms: elapsed(), objective });
          if (cp) {
            cp.roster = Array.from(roster);
            cp.objective = objective;
            dirty = true;
          }
          if (Date.now() - lastSave >= 700) {
            lastSave = Date.now();
            save();
          }
        }),
        {
          timeLimitMs: run.timeLimitMs,
          repairMs: deps.repairMs ?? 3000,
          resume: from && {
            stage: from.stage,
            roster:
              from.roster.length > 0
                ? {
                    identity: { days: from.days, employees: from.employees, shifts: from.shifts },
                    cells: from.roster,
                  }
                : null,
            spentMs: from.stageSpentMs,
          },
          onStage: (stage, initial, model) => {
            // A resumed stage keeps counting from the time it had already taken.
            const same =
              from !== null &&
              cp === null &&
              from.stage.strict === stage.strict &&
              from.stage.round === stage.round;
            stageSpentBefore = same ? from.stageSpentMs : 0;
            stageStart = Date.now();
            cp = {
              stage,
              ...modelIdentity(model),
              roster: initial ? Array.from(initial) : [],
              objective: null,
              stageSpentMs: stageSpentBefore,
              elapsedMs: elapsed(),
            };
            dirty = true;
            save();
          },
        },
      );
      clearInterval(poll);
      save();
      await saving;
      const stopped = abort.signal.aborted;
      const solveMs = elapsed();
      if (res.status !== 'feasible') {
        const result: RunResult = {
          solveMs,
          status: res.status,
          objective: null,
          stopped,
          assignments: [],
          fairness: [],
          soft: [],
          reasons: res.reasons,
          violations: res.violations.filter((v) => v.severity === 'block'),
        };
        const to = res.status === 'infeasible' ? 'infeasible' : 'none_found';
        await store.transition(db, run.id, ['running'], to, now(), {
          result,
          finished: true,
        });
        return;
      }
      const result: RunResult = {
        solveMs,
        status: 'feasible',
        objective: res.objective,
        stopped,
        assignments: res.assignments,
        fairness: fairnessReport(setup, res.assignments),
        soft: softMisses(setup, res.assignments, res.violations),
        reasons: [],
        violations: res.violations,
        ...(run.kind === 'replan' ? { diff: diffAssignments(current, res.assignments) } : {}),
      };
      if (run.kind === 'replan') {
        await store.transition(db, run.id, ['running'], 'proposed', now(), {
          result,
          objective: res.objective,
          finished: true,
        });
        return;
      }
      if (
        await store.transition(db, run.id, ['running'], 'applying', now(), {
          result,
          objective: res.objective,
        })
      ) {
        await applyGenerated((await store.findRun(db, run.id))!);
      }
    } catch (err) {
      clearInterval(poll);
      await saving;
      await store.transition(db, run.id, ['running', 'applying'], 'failed', now(), {
        finished: true,
        result: {
          status: 'failed',
          objective: null,
          stopped: false,
          assignments: [],
          fairness: [],
          soft: [],
          reasons: [],
          violations: [],
          error: err instanceof Error ? err.message : String(err),
        } satisfies RunResult,
      });
    } finally {
      clearInterval(poll);
    }
  }

  /**
   * Write a generated result into the draft: every cell of every person in the period, in one
   * transaction of the roster module (audited there). A second call after a crash finds the
   * draft already equal to the result and only marks the run done.
   */
  async function applyGenerated(run: store.RunRecord) {
    const result = run.result as RunResult;
    const view = await roster.getRoster(run.rosterId);
    const want = new Set(result.assignments.map(key));
    const have = new Set(view.assignments.map(key));
    const same = want.size === have.size && [...want].every((k) => have.has(k));
    if (!same) {
      const dates = datesInRange(view.roster.periodStart, view.roster.periodEnd);
      const byCell = new Map<string, { postId: string; shiftTypeId: string }[]>();
      for (const a of result.assignments) {
        const k = `${a.personId}|${a.date}`;
        byCell.set(k, [...(byCell.get(k) ?? []), { postId: a.postId, shiftTypeId: a.shiftTypeId }]);
      }
      const cells = view.people.flatMap((p) =>
        dates.map((date) => ({
          personId: p.id,
          date,
          duties: byCell.get(`${p.id}|${date}`) ?? [],
        })),
      );
      await roster.setCells(
        { ...run.actor, name: run.actor.name ?? 'solver' },
        run.rosterId,
        cells,
      );
    }
    await store.transition(db, run.id, ['applying'], 'done', clock.now(), { finished: true });
  }

  /** Apply a proposed re-plan as an amendment: amend, set the changed cells, publish again. */
  async function applyReplan(actor: Actor, id: string) {
    const run = await getRun(id);
    if (run.kind !== 'replan' || run.status !== 'proposed') {
      throw conflict('run_not_proposed', 'solver.product.notProposed', { status: run.status });
    }
    if (!(await store.transition(db, id, ['proposed'], 'applying', clock.now()))) {
      throw conflict('run_not_proposed', 'solver.product.notProposed', { status: 'applying' });
    }
    const result = run.result as RunResult;
    try {
      const view = await roster.getRoster(run.rosterId);
      if (view.roster.status === 'published') await roster.amend(actor, run.rosterId);
      const diff = result.diff ?? [];
      if (diff.length > 0) {
        await roster.setCells(
          actor,
          run.rosterId,
          diff.map((c) => ({ personId: c.personId, date: c.date, duties: c.after })),
        );
      }
      const pub = await roster.publish(actor, run.rosterId);
      await store.transition(db, id, ['applying'], 'applied', clock.now(), {
        result: { ...result, published: pub.ok },
        finished: true,
      });
      return { run: await getRun(id), published: pub.ok };
    } catch (err) {
      await store.transition(db, id, ['applying'], 'proposed', clock.now());
      throw err;
    }
  }

  const runJob: JobHandler<{ runId: string }> = {
    kind: SOLVER_RUN_JOB,
    // A run keeps both cores busy: one at a time per process, the other job slots are for sends.
    concurrency: 1,
    maxAttempts: 3,
    backoffMs: () => 0,
    async run(payload, ctx) {
      const run = await store.findRun(db, payload.runId);
      if (!run) return;
      if (run.status === 'applying' && run.kind === 'generate') {
        // Killed between choosing the result and finishing its write: finish it, once.
        await applyGenerated(run);
        return;
      }
      if (run.status === 'running' && ctx.job.attempts < SOLVER_RUN_ATTEMPTS) {
        // A previous try died mid-run (process killed, lease run out): go on from its
        // checkpoint. Nothing was written into the roster by the lost try.
        const checkpoint = await store.findCheckpoint(db, run.id);
        const at = checkpoint && {
          strict: checkpoint.stage.strict,
          round: checkpoint.stage.round,
          stageSpentMs: checkpoint.stageSpentMs,
          elapsedMs: checkpoint.elapsedMs,
          objective: checkpoint.objective,
        };
        await db.transaction().execute(async (trx) => {
          await recordAudit(trx, run.actor, clock.now(), {
            action: 'solver.run.resume',
            entityType: 'solver_run',
            entityId: run.id,
            after: { attempt: ctx.job.attempts, from: at },
          });
        });
        ctx.log.warn({ runId: run.id, attempt: ctx.job.attempts, from: at }, 'solver run resumed');
        await execute(run, { checkpoint });
        return;
      }
      if (run.status === 'running') {
        // Killed on every try: give up and say so plainly.
        await store.transition(db, run.id, ['running'], 'failed', clock.now(), {
          finished: true,
          result: {
            status: 'failed',
            objective: run.objective,
            stopped: false,
            assignments: [],
            fairness: [],
            soft: [],
            reasons: [],
            violations: [],
            error: 'solver.product.interrupted',
          } satisfies RunResult,
        });
        ctx.log.warn({ runId: run.id, attempt: ctx.job.attempts }, 'solver run interrupted');
        return;
      }
      if (run.status !== 'queued') return;
      await execute(run);
    },
  };

  return {
    myRequests,
    myShiftTypes,
    addRequest,
    removeRequest,
    teamRequests,
    startRun,
    getRun,
    runView,
    listRuns,
    stopRun,
    applyReplan,
    runJob,
    /** For the web: the first day of next month (requests are for the coming month). */
    nextMonthStart: () => {
      const today = localDateOf(clock.now(), 'UTC');
      return addDays(`${today.slice(0, 7)}-01`, 32).slice(0, 7) + '-01';
    },
  };
}

export type SolverProductService = ReturnType<typeof createSolverProductService>;
