import { z } from 'zod';
import type { Locale } from '../../i18n/i18n.js';
import { t } from '../../i18n/i18n.js';
import { type RoutePlugin, actorOf, principalOf } from '../../server/app.js';
import type { RunResult, SolverProductService } from './product.service.js';

const tags = ['solver'];
const id = z.uuid();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Empty = z.strictObject({}).optional();

const RequestBody = z.strictObject({
  date,
  kind: z.enum(['on', 'off']),
  shiftTypeId: z.string().max(64).nullable().optional(),
  note: z.string().max(200).optional(),
});

const RunBody = z
  .strictObject({
    timeLimitSeconds: z.int().min(1).max(600).optional(),
    keepExisting: z.boolean().optional(),
  })
  .optional();

type Names = {
  people: Record<string, string>;
  posts: Record<string, string>;
  shifts: Record<string, string>;
};

/** A run as the web shows it: messages translated, people and shifts named. */
function present(
  locale: Locale,
  v: { run: Awaited<ReturnType<SolverProductService['getRun']>>; names: Names },
) {
  const { run, names } = v;
  const r = run.result as RunResult | null;
  const person = (id?: string) => (id ? (names.people[id] ?? id) : '');
  const shift = (postId?: string, shiftTypeId?: string) =>
    postId || shiftTypeId
      ? `${postId ? (names.posts[postId] ?? postId) : ''}/${shiftTypeId ? (names.shifts[shiftTypeId] ?? shiftTypeId) : ''}`
      : '';
  return {
    id: run.id,
    rosterId: run.rosterId,
    kind: run.kind,
    status: run.status,
    timeLimitMs: run.timeLimitMs,
    keepExisting: run.keepExisting,
    stopRequested: run.stopRequested,
    objective: run.objective,
    progress: run.progress,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    result: r && {
      status: r.status,
      objective: r.objective,
      stopped: r.stopped,
      published: r.published ?? null,
      solveMs: r.solveMs ?? null,
      error: r.error
        ? t(locale, r.error.startsWith('solver.') ? r.error : 'solver.product.failed', {
            error: r.error,
          })
        : null,
      assignments: r.assignments.length,
      fairness: r.fairness.map((f) => ({ ...f, personName: person(f.personId) })),
      soft: r.soft.map((s) => ({
        rule: s.rule,
        date: s.date,
        personId: s.personId ?? null,
        personName: person(s.personId),
        shift: shift(s.postId, s.shiftTypeId),
        message: t(locale, s.messageKey, {
          ...s.params,
          code: names.shifts[s.shiftTypeId ?? ''] ?? '',
        }),
        why: t(locale, s.why),
      })),
      reasons: r.reasons.map((x) => ({
        rule: x.rule,
        date: x.date ?? null,
        personId: x.personId ?? null,
        personName: person(x.personId),
        shift: shift(x.postId, x.shiftTypeId),
        message: t(locale, x.messageKey, {
          ...x.params,
          employee: person(x.personId),
          employees: person(x.personId),
          day: x.date ?? '',
          shift: shift(x.postId, x.shiftTypeId),
          detail: x.detail,
        }),
      })),
      diff: (r.diff ?? []).map((c) => ({
        personId: c.personId,
        personName: person(c.personId),
        date: c.date,
        before: c.before.map((d) => shift(d.postId, d.shiftTypeId)),
        after: c.after.map((d) => shift(d.postId, d.shiftTypeId)),
      })),
    },
  };
}

export function solverProductRoutes(svc: SolverProductService): RoutePlugin {
  return (app) => {
    // ---- staff: shift on/off requests for coming months ----
    app.get(
      '/api/solver/me/requests',
      {
        config: { access: 'roster.self' },
        schema: { tags, querystring: z.strictObject({ from: date.optional() }) },
      },
      async (request) => ({
        items: await svc.myRequests(principalOf(request).userId, request.query.from),
        shiftTypes: await svc.myShiftTypes(principalOf(request).userId),
        nextMonth: svc.nextMonthStart(),
      }),
    );
    app.post(
      '/api/solver/me/requests',
      { config: { access: 'roster.self' }, schema: { tags, body: RequestBody } },
      async (request, reply) =>
        reply
          .status(201)
          .send(await svc.addRequest(actorOf(request), principalOf(request).userId, request.body)),
    );
    app.delete(
      '/api/solver/me/requests/:id',
      { config: { access: 'roster.self' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        await svc.removeRequest(actorOf(request), principalOf(request).userId, request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/solver/teams/:id/requests',
      {
        config: { access: 'roster.manage' },
        schema: {
          tags,
          params: z.object({ id }),
          querystring: z.strictObject({ from: date, to: date }),
        },
      },
      async (request) => ({
        items: await svc.teamRequests(request.params.id, request.query.from, request.query.to),
      }),
    );

    // ---- duty admin: generate, re-plan, progress, stop, apply ----
    app.post(
      '/api/solver/rosters/:id/generate',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: RunBody },
      },
      async (request, reply) => {
        const run = await svc.startRun(
          actorOf(request),
          request.params.id,
          'generate',
          request.body ?? {},
        );
        return reply.status(202).send(present(request.locale, await svc.runView(run.id)));
      },
    );
    app.post(
      '/api/solver/rosters/:id/replan',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: RunBody },
      },
      async (request, reply) => {
        const run = await svc.startRun(
          actorOf(request),
          request.params.id,
          'replan',
          request.body ?? {},
        );
        return reply.status(202).send(present(request.locale, await svc.runView(run.id)));
      },
    );
    app.get(
      '/api/solver/rosters/:id/runs',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request) => ({
        items: (await svc.listRuns(request.params.id)).map((r) => ({
          id: r.id,
          kind: r.kind,
          status: r.status,
          createdAt: r.createdAt,
          finishedAt: r.finishedAt,
          objective: r.objective,
        })),
      }),
    );
    app.get(
      '/api/solver/runs/:id',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request) => present(request.locale, await svc.runView(request.params.id)),
    );
    app.post(
      '/api/solver/runs/:id/stop',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) => {
        await svc.stopRun(actorOf(request), request.params.id);
        return present(request.locale, await svc.runView(request.params.id));
      },
    );
    app.post(
      '/api/solver/runs/:id/apply',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) => {
        const res = await svc.applyReplan(actorOf(request), request.params.id);
        return {
          ...present(request.locale, await svc.runView(request.params.id)),
          published: res.published,
        };
      },
    );
  };
}
