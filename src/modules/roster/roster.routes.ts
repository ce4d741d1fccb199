import { z } from 'zod';
import { invalid } from '../../lib/errors.js';
import { t } from '../../i18n/i18n.js';
import type { FastifyRequest } from 'fastify';
import { type RoutePlugin, actorOf, principalMay, principalOf } from '../../server/app.js';
import { MAX_CELLS_PER_BATCH } from './roster-month.service.js';
import type { RosterService } from './roster.service.js';

const tags = ['roster'];
const id = z.uuid();
const text = (max: number) => z.string().max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.coerce.number().int().min(0).max(8_640_000_000_000);

const ShiftTypeBody = z.strictObject({
  code: text(16),
  name: text(40),
  start: text(5),
  end: text(5),
  breakMinutes: z.int().min(0).max(600).optional(),
  colour: text(7),
  night: z.boolean().optional(),
});

const PostBody = z.strictObject({
  name: text(40),
  shiftTypeIds: z.array(text(64)).max(20),
  cover: z
    .array(
      z.strictObject({
        shiftTypeId: text(64),
        dayKind: z.enum(['weekday', 'weekend', 'holiday']),
        min: z.int().min(0).max(1000),
        preferred: z.int().min(0).max(1000),
      }),
    )
    .max(100)
    .optional(),
  requiredSkills: z.array(text(40)).max(20).optional(),
});

const Rule = z.strictObject({ value: z.number().min(0), severity: z.enum(['block', 'warn']) });
const Flag = z.strictObject({ severity: z.enum(['block', 'warn']) });
const SettingsBody = z.strictObject({
  rules: z
    .strictObject({
      minRestHours: Rule.optional(),
      maxConsecutiveDays: Rule.optional(),
      maxConsecutiveNights: Rule.optional(),
      minDaysOffAfterNights: Rule.optional(),
      maxHoursPerWeek: Rule.optional(),
      maxHoursPerMonth: Rule.optional(),
      skills: Flag.optional(),
      cover: Flag.optional(),
      doubleBooking: Flag.optional(),
      leave: Flag.optional(),
    })
    .optional(),
  calendar: z
    .strictObject({
      holidays: z.array(date).max(400).optional(),
      workingWeekends: z.array(date).max(400).optional(),
    })
    .optional(),
  config: z
    .strictObject({
      swapLeadHours: z
        .number()
        .min(0)
        .max(24 * 60),
      confirmHours: z
        .number()
        .min(1)
        .max(24 * 30),
      remindAfterHours: z
        .array(
          z
            .number()
            .min(0)
            .max(24 * 30),
        )
        .max(10),
    })
    .partial()
    .optional(),
});

const RosterBody = z.strictObject({
  teamId: id,
  periodStart: date,
  periodEnd: date,
  copyFrom: z
    .strictObject({ rosterId: id, alignment: z.enum(['weekday', 'date']).default('weekday') })
    .optional(),
});

const RotationBody = z.strictObject({
  pattern: text(400).min(1),
  anchorDate: date,
  members: z
    .array(z.strictObject({ personId: id, postId: id, offset: z.int().min(0).max(1000) }))
    .min(1)
    .max(1000),
  replace: z.boolean().default(true),
});

const CellBody = z.strictObject({
  personId: id,
  date,
  duties: z.array(z.strictObject({ postId: id, shiftTypeId: id })).max(4),
});

const CellsBody = z.strictObject({
  cells: z.array(CellBody).min(1).max(MAX_CELLS_PER_BATCH),
});

const SwapBody = z.strictObject({
  kind: z.enum(['substitution', 'swap']),
  assignmentId: id,
  counterAssignmentId: id.optional(),
  substituteId: id,
  reason: text(500).default(''),
});

const LeaveBody = z.strictObject({
  kind: z.enum(['leave', 'unavailable']),
  startDate: date,
  endDate: date,
  reason: text(500).default(''),
});

const OverrideBody = z.strictObject({
  postId: id,
  personId: id,
  replacesPersonId: id.optional(),
  startMs: instant,
  endMs: instant,
  reason: text(500),
});

/** Who calls, and whether they manage rosters (they see and act on everyone's, not only their own). */
function rosterCaller(request: FastifyRequest) {
  const p = principalOf(request);
  return { userId: p.userId, canManage: principalMay(p, 'roster.manage') };
}

const FeedBody = z.strictObject({ kind: z.enum(['person', 'post']), subjectId: id });
const Empty = z.strictObject({}).optional();

const OnDutyQuery = z
  .strictObject({
    postId: id.optional(),
    teamId: id.optional(),
    at: instant.optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  .refine((q) => (q.postId === undefined) !== (q.teamId === undefined), {
    message: 'postId | teamId',
    path: ['postId'],
  });

export function rosterRoutes(roster: RosterService, clock: { now(): number }): RoutePlugin {
  return (app) => {
    // ---- setup ----
    app.get(
      '/api/roster/teams/:teamId/setup',
      { config: { access: 'roster.read' }, schema: { tags, params: z.object({ teamId: id }) } },
      async (request) => roster.getSetup(request.params.teamId),
    );
    app.post(
      '/api/roster/teams/:teamId/shift-types',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ teamId: id }), body: ShiftTypeBody },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await roster.createShiftType(actorOf(request), request.params.teamId, request.body),
          ),
    );
    app.post(
      '/api/roster/teams/:teamId/posts',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ teamId: id }), body: PostBody },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await roster.createPost(actorOf(request), request.params.teamId, request.body)),
    );
    app.put(
      '/api/roster/shift-types/:id',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: ShiftTypeBody },
      },
      async (request) => roster.updateShiftType(actorOf(request), request.params.id, request.body),
    );
    app.delete(
      '/api/roster/shift-types/:id',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        await roster.deleteShiftType(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.put(
      '/api/roster/posts/:id',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: PostBody },
      },
      async (request) => roster.updatePost(actorOf(request), request.params.id, request.body),
    );
    app.delete(
      '/api/roster/posts/:id',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        await roster.deletePost(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.put(
      '/api/roster/teams/:teamId/settings',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ teamId: id }), body: SettingsBody },
      },
      async (request) => roster.setSettings(actorOf(request), request.params.teamId, request.body),
    );
    app.put(
      '/api/roster/people/:userId',
      {
        config: { access: 'roster.manage' },
        schema: {
          tags,
          params: z.object({ userId: id }),
          body: z.strictObject({
            skills: z.array(text(40)).max(50),
            defaultPostId: id.nullable().optional(),
          }),
        },
      },
      async (request) =>
        roster.setPersonData(actorOf(request), request.params.userId, request.body),
    );

    // ---- rosters ----
    app.get(
      '/api/roster/rosters',
      {
        config: { access: 'roster.read' },
        schema: { tags, querystring: z.strictObject({ teamId: id.optional() }) },
      },
      async (request) => ({ items: await roster.listRosters(request.query.teamId) }),
    );
    app.post(
      '/api/roster/rosters',
      { config: { access: 'roster.manage' }, schema: { tags, body: RosterBody } },
      async (request, reply) =>
        reply.status(201).send(await roster.createRoster(actorOf(request), request.body)),
    );
    app.get(
      '/api/roster/rosters/:id',
      { config: { access: 'roster.read' }, schema: { tags, params: z.object({ id }) } },
      async (request) => {
        const view = await roster.getRoster(request.params.id);
        return {
          ...view,
          violations: view.violations.map((v) => ({
            ...v,
            message: t(request.locale, v.messageKey, v.params),
          })),
        };
      },
    );
    app.post(
      '/api/roster/rosters/:id/rotation',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: RotationBody },
      },
      async (request) => roster.applyRotationTo(actorOf(request), request.params.id, request.body),
    );
    app.put(
      '/api/roster/rosters/:id/cells',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: CellBody },
      },
      async (request) => roster.setCell(actorOf(request), request.params.id, request.body),
    );
    app.put(
      '/api/roster/rosters/:id/cells/batch',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: CellsBody },
      },
      async (request) => roster.setCells(actorOf(request), request.params.id, request.body.cells),
    );
    app.post(
      '/api/roster/rosters/:id/close',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) => roster.closeRoster(actorOf(request), request.params.id),
    );
    app.delete(
      '/api/roster/rosters/:id',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        await roster.deleteRoster(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/roster/rosters/:id/publish',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request, reply) => {
        const result = await roster.publish(actorOf(request), request.params.id);
        if (!result.ok) {
          const count = result.violations.filter((v) => v.severity === 'block').length;
          return reply.status(409).send({
            code: 'roster_blocked',
            message: t(request.locale, 'roster.errors.publishBlocked', { count }),
            violations: result.violations.map((v) => ({
              ...v,
              message: t(request.locale, v.messageKey, v.params),
            })),
          });
        }
        return result;
      },
    );
    app.post(
      '/api/roster/rosters/:id/amend',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) => roster.amend(actorOf(request), request.params.id),
    );
    app.get(
      '/api/roster/rosters/:id/confirmations',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request) => roster.confirmations(request.params.id),
    );
    app.post(
      '/api/roster/rosters/:id/confirm',
      {
        config: { access: 'roster.self' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) =>
        roster.confirm(actorOf(request), principalOf(request).userId, request.params.id),
    );
    app.get(
      '/api/roster/rosters/:id/export.xlsx',
      { config: { access: 'roster.read' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        const { bytes, filename } = await roster.exportXlsx(request.params.id);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(Buffer.from(bytes));
      },
    );
    app.post(
      '/api/roster/rosters/:id/import',
      {
        config: { access: 'roster.manage' },
        bodyLimit: 8 * 1_048_576,
        schema: {
          tags,
          params: z.object({ id }),
          body: z.strictObject({ fileBase64: z.base64().min(1).max(8_000_000) }),
        },
      },
      async (request, reply) => {
        const bytes = new Uint8Array(Buffer.from(request.body.fileBase64, 'base64'));
        const result = await roster.importXlsx(actorOf(request), request.params.id, bytes);
        if (!result.ok) {
          return reply.status(400).send({
            code: 'import_failed',
            message: t(request.locale, 'roster.service.importFailed', {
              count: result.errors.length,
            }),
            field: 'fileBase64',
            errors: result.errors.map((e) => ({
              ...e,
              message: t(request.locale, e.messageKey, e.params),
            })),
          });
        }
        return result;
      },
    );

    app.post(
      '/api/roster/rosters/:id/remind',
      {
        config: { access: 'roster.manage' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) => roster.remindNow(actorOf(request), request.params.id),
    );
    app.get(
      '/api/roster/rosters/:id/attendance',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request) => roster.attendance(request.params.id),
    );
    app.get(
      '/api/roster/rosters/:id/attendance.csv',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        const { text, filename } = await roster.attendanceCsv(request.params.id, (key, params) =>
          t(request.locale, key, params),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(text);
      },
    );
    app.get(
      '/api/roster/rosters/:id/attendance.xlsx',
      { config: { access: 'roster.manage' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        const { bytes, filename } = await roster.attendanceXlsx(request.params.id, (key, params) =>
          t(request.locale, key, params),
        );
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(Buffer.from(bytes));
      },
    );

    // ---- my shifts, confirmation, attendance ----
    app.get(
      '/api/roster/me/shifts',
      {
        config: { access: 'roster.self' },
        schema: { tags, querystring: z.strictObject({ from: date, to: date }) },
      },
      async (request) => ({
        items: await roster.myShifts(
          principalOf(request).userId,
          request.query.from,
          request.query.to,
        ),
      }),
    );
    app.post(
      '/api/roster/assignments/:id/check-in',
      {
        config: { access: 'roster.self' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) =>
        roster.checkIn(actorOf(request), principalOf(request).userId, request.params.id),
    );
    app.post(
      '/api/roster/assignments/:id/check-out',
      {
        config: { access: 'roster.self' },
        schema: { tags, params: z.object({ id }), body: Empty },
      },
      async (request) =>
        roster.checkOut(actorOf(request), principalOf(request).userId, request.params.id),
    );

    // ---- swaps and leave ----
    app.post(
      '/api/roster/swaps',
      { config: { access: 'roster.self' }, schema: { tags, body: SwapBody } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await roster.requestSwap(actorOf(request), principalOf(request).userId, request.body),
          ),
    );
    for (const action of ['accept', 'decline', 'withdraw'] as const) {
      app.post(
        `/api/roster/swaps/:id/${action}`,
        {
          config: { access: 'roster.self' },
          schema: { tags, params: z.object({ id }), body: Empty },
        },
        async (request) =>
          roster.moveSwap(
            actorOf(request),
            principalOf(request).userId,
            request.params.id,
            action,
            false,
          ),
      );
    }
    for (const action of ['approve', 'reject', 'cancel'] as const) {
      app.post(
        `/api/roster/swaps/:id/${action}`,
        {
          config: { access: 'roster.manage' },
          schema: { tags, params: z.object({ id }), body: Empty },
        },
        async (request, reply) => {
          const result = await roster.moveSwap(
            actorOf(request),
            principalOf(request).userId,
            request.params.id,
            action,
            true,
          );
          if (!result.ok) {
            return reply.status(409).send({
              code: 'swap_blocked',
              message: t(request.locale, 'roster.service.approvalBlocked', {
                count: result.violations.filter((v) => v.severity === 'block').length,
              }),
              violations: result.violations.map((v) => ({
                ...v,
                message: t(request.locale, v.messageKey, v.params),
              })),
            });
          }
          return result;
        },
      );
    }
    app.get(
      '/api/roster/swaps/:id/check',
      { config: { access: 'roster.self' }, schema: { tags, params: z.object({ id }) } },
      async (request) => {
        const outcome = await roster.swapCheck(rosterCaller(request), request.params.id);
        return {
          blocking: outcome.blocking,
          violations: outcome.added.map((v) => ({
            ...v,
            message: t(request.locale, v.messageKey, v.params),
          })),
        };
      },
    );
    app.get(
      '/api/roster/swaps/:id',
      { config: { access: 'roster.read' }, schema: { tags, params: z.object({ id }) } },
      async (request) => roster.swapHistory(request.params.id),
    );
    app.post(
      '/api/roster/leave',
      { config: { access: 'roster.self' }, schema: { tags, body: LeaveBody } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await roster.requestLeave(actorOf(request), principalOf(request).userId, request.body),
          ),
    );
    for (const action of ['approve', 'reject', 'cancel'] as const) {
      app.post(
        `/api/roster/leave/:id/${action}`,
        {
          config: { access: 'roster.manage' },
          schema: { tags, params: z.object({ id }), body: Empty },
        },
        async (request) => roster.decideLeave(actorOf(request), request.params.id, action),
      );
    }
    app.get(
      '/api/roster/requests',
      {
        config: { access: 'roster.manage' },
        schema: {
          tags,
          querystring: z.strictObject({ open: z.enum(['true', 'false']).optional() }),
        },
      },
      async (request) => roster.requests({ open: request.query.open !== 'false' }),
    );
    app.get(
      '/api/roster/me/requests',
      { config: { access: 'roster.self' }, schema: { tags } },
      async (request) => roster.requests({ open: false, personId: principalOf(request).userId }),
    );

    // ---- emergency override ----
    app.post(
      '/api/roster/overrides',
      { config: { access: 'roster.override' }, schema: { tags, body: OverrideBody } },
      async (request, reply) =>
        reply.status(201).send(await roster.createOverride(actorOf(request), request.body)),
    );

    // ---- who is on duty ----
    app.get(
      '/api/roster/on-duty',
      { config: { access: 'roster.read' }, schema: { tags, querystring: OnDutyQuery } },
      async (request) => {
        const q = request.query;
        const where = q.postId ? { postId: q.postId } : { teamId: q.teamId! };
        if (q.from !== undefined || q.to !== undefined) {
          if (q.from === undefined) throw invalid('from', 'validation.required');
          if (q.to === undefined) throw invalid('to', 'validation.required');
          return { segments: await roster.onDutyBetween({ ...where, from: q.from, to: q.to }) };
        }
        return roster.onDuty({ ...where, at: q.at ?? clock.now() });
      },
    );

    // ---- iCalendar feeds ----
    app.post(
      '/api/roster/feeds',
      { config: { access: 'roster.read' }, schema: { tags, body: FeedBody } },
      async (request, reply) => {
        return reply
          .status(201)
          .send(await roster.createFeed(actorOf(request), rosterCaller(request), request.body));
      },
    );
    app.delete(
      '/api/roster/feeds/:id',
      { config: { access: 'roster.read' }, schema: { tags, params: z.object({ id }) } },
      async (request, reply) => {
        await roster.revokeFeed(actorOf(request), rosterCaller(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/roster/feeds',
      {
        config: { access: 'roster.read' },
        schema: {
          tags,
          querystring: z.strictObject({ all: z.enum(['true', 'false']).optional() }),
        },
      },
      async (request) => {
        return roster.listFeeds(rosterCaller(request), request.query.all === 'true');
      },
    );
    // Public: calendar clients cannot sign in; the secret token in the URL is the credential.
    app.get(
      '/api/roster/feeds/:token',
      {
        config: { access: 'public' },
        schema: { tags, params: z.object({ token: z.string().min(1).max(200) }) },
      },
      async (request, reply) => {
        const token = request.params.token.replace(/\.ics$/, '');
        const body = await roster.feedIcs(token);
        return reply
          .type('text/calendar; charset=utf-8')
          .header('cache-control', 'private, max-age=300')
          .send(body);
      },
    );
  };
}
