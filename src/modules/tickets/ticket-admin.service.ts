import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/job-engine.js';
import { invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { validatePriorityMatrix } from './priority.js';
import { SLA_TARGETS, type SlaPolicy } from './sla-clock.js';
import type { TicketStatus } from './ticket-state.js';
import {
  type Caller,
  DEFAULT_QUIET_DAYS,
  BUILTIN_RECOMPUTE,
  DEFAULT_WARN_PERCENT,
  SLA_RECOMPUTE_JOB,
  type TicketContext,
  calendarFromSetting,
} from './ticket-context.js';
import {
  assertCategoryMove,
  categoryCreateSchema,
  categoryUpdateSchema,
  parseTicketInput,
  slaPolicyInputSchema,
  slaPolicyUpdateSchema,
} from './tickets.schema.js';
import type { SlaRecomputePayload } from './ticket-jobs.js';
import * as store from './tickets.store.js';

/** Administration of the desk: categories, SLA policies and settings, each change audited. */

/** Parses a setting's value so that a refusal names `value` (or `value.<field>`). */
const settingValue = <S extends z.ZodType>(schema: S, v: unknown): z.infer<S> =>
  (parseTicketInput(z.strictObject({ value: schema }), { value: v }) as { value: z.infer<S> })
    .value;

/** Settings an admin may store; the value is validated by its key's parser. */
const SETTINGS: Record<string, (v: unknown) => unknown> = {
  priorityMatrix: validatePriorityMatrix,
  dispatchStrategy: (v) => settingValue(z.enum(['least_loaded', 'round_robin']), v),
  autoCloseDays: (v) => settingValue(z.number().int().min(1).max(365), v),
  /** Warning point of the built-in SLA policies, percent of each target (stored ones keep theirs). */
  slaWarnPercent: (v) => settingValue(z.number().int().min(1).max(99), v),
  zone: (v) => {
    const zone = settingValue(z.string().min(1).max(64), v);
    if (!DateTime.local().setZone(zone).isValid) throw invalid('value', 'validation.invalid');
    return zone;
  },
  /** Which team takes a ticket escalated to a line: { line2: teamId, expert: teamId }. */
  levelGroups: (v) =>
    settingValue(
      z.strictObject({
        line1: z.string().min(1).optional(),
        line2: z.string().min(1).optional(),
        expert: z.string().min(1).optional(),
      }),
      v,
    ),
};

/** The stored columns of a policy's fields, for create and update alike. */
function policyColumns(p: z.infer<typeof slaPolicyInputSchema>) {
  return {
    name: p.name,
    match_json: JSON.stringify(p.match),
    targets_json: JSON.stringify(p.targets),
    warn_at_percent: p.warnAtPercent,
    pause_statuses_json: p.pauseStatuses ? JSON.stringify(p.pauseStatuses) : null,
    escalate_on_breach: p.escalateOnBreach ? 1 : 0,
    calendar_team_id: p.calendarTeamId,
  };
}

/** A stored policy as the admin page reads it. */
function presentPolicy(r: store.SlaPolicyRow) {
  return {
    id: r.id,
    name: r.name,
    match: JSON.parse(r.match_json) as SlaPolicy['match'],
    targets: JSON.parse(r.targets_json) as SlaPolicy['targets'],
    warnAtPercent: r.warn_at_percent,
    pauseStatuses: r.pause_statuses_json
      ? (JSON.parse(r.pause_statuses_json) as TicketStatus[])
      : null,
    escalateOnBreach: r.escalate_on_breach !== 0,
    calendarTeamId: r.calendar_team_id,
    active: r.active !== 0,
  };
}

export function createAdminUseCases(ctx: TicketContext) {
  const { db, dialect, clock, deps } = ctx;

  async function listCategories() {
    return (await store.listCategories(db)).map((c) => ({
      id: c.id,
      parentId: c.parent_id,
      name: c.name,
      active: c.active === 1,
    }));
  }

  async function createCategory(caller: Caller, input: unknown) {
    const c = parseTicketInput(categoryCreateSchema, input);
    const now = clock.now();
    const id = newId();
    await db.transaction().execute(async (trx) => {
      if (c.parentId) {
        const all = await store.listCategories(trx);
        if (!all.some((x) => x.id === c.parentId))
          throw invalid('parentId', 'tickets.errors.unknownCategory', { id: c.parentId });
      }
      const row = {
        id,
        parent_id: c.parentId ?? null,
        name: c.name,
        active: 1,
        created_at: now,
        updated_at: now,
      };
      await store.insertCategory(trx, row);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_category.create',
        entityType: 'ticket_category',
        entityId: id,
        after: row,
      });
    });
    return (await listCategories()).find((x) => x.id === id)!;
  }

  async function updateCategory(caller: Caller, id: string, input: unknown) {
    const c = parseTicketInput(categoryUpdateSchema, input);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const all = await store.listCategories(trx);
      const before = all.find((x) => x.id === id);
      if (!before) throw notFound('ticket_category', id);
      if (c.parentId !== undefined)
        assertCategoryMove(
          id,
          c.parentId,
          all.map((x) => ({ id: x.id, parentId: x.parent_id })),
        );
      const patch = {
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.parentId !== undefined ? { parent_id: c.parentId } : {}),
        ...(c.active !== undefined ? { active: c.active ? 1 : 0 } : {}),
        updated_at: now,
      };
      await store.updateCategory(trx, id, patch);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_category.update',
        entityType: 'ticket_category',
        entityId: id,
        before,
        after: { ...before, ...patch },
      });
    });
    return (await listCategories()).find((x) => x.id === id)!;
  }

  /** A policy's calendar team must exist (asked before the transaction, like other modules). */
  async function assertCalendarTeam(teamId: string | null) {
    if (teamId !== null && (await deps.directory.teamZone(teamId)) === null)
      throw invalid('calendarTeamId', 'tickets.errors.unknownGroup', { id: teamId });
  }

  /**
   * A policy's requester must be an enabled user when it is set or changed (a stored one whose
   * account was disabled since does not block other edits). Asked before the transaction.
   */
  async function assertRequester(customerId: string | undefined, stored?: string) {
    if (customerId === undefined || customerId === stored) return;
    if ((await deps.directory.existingUserIds([customerId])).length === 0)
      throw invalid('match.customerId', 'tickets.errors.unknownRequester', { id: customerId });
  }

  /**
   * The open tickets a policy change may move get their SLA recomputed by a durable job
   * (`tickets.sla_recompute`), written with the change: both commit or neither.
   */
  async function enqueueRecompute(trx: Kysely<DB>, policyId: string, now: number) {
    const payload: SlaRecomputePayload = {
      policyId,
      key: `${policyId}:${now}:${newId()}`,
      afterId: null,
    };
    await enqueueJob(trx, dialect, clock, {
      kind: SLA_RECOMPUTE_JOB,
      payload,
      idempotencyKey: `${SLA_RECOMPUTE_JOB}:${payload.key}:start`,
      maxAttempts: 8,
    });
  }

  /** Every stored policy for the admin page, disabled ones too (they no longer match). */
  async function listSlaPolicies() {
    return (await store.listAllPolicies(db)).map(presentPolicy);
  }

  async function createSlaPolicy(caller: Caller, input: unknown) {
    const p = parseTicketInput(slaPolicyInputSchema, input);
    if (!SLA_TARGETS.some((t) => p.targets[t])) throw invalid('targets', 'validation.required');
    await assertCalendarTeam(p.calendarTeamId);
    await assertRequester(p.match.customerId);
    const now = clock.now();
    const id = newId();
    await db.transaction().execute(async (trx) => {
      const row = { id, ...policyColumns(p), active: 1, created_at: now };
      await store.insertPolicy(trx, row);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_sla_policy.create',
        entityType: 'ticket_sla_policy',
        entityId: id,
        after: row,
      });
      await enqueueRecompute(trx, id, now);
    });
    return { id, ...p, active: true };
  }

  /**
   * Replaces a policy's fields (`active: false` disables it); the open tickets it can move are
   * recomputed by the `tickets.sla_recompute` job enqueued with the change.
   */
  async function updateSlaPolicy(caller: Caller, id: string, input: unknown) {
    const p = parseTicketInput(slaPolicyUpdateSchema, input);
    if (!SLA_TARGETS.some((t) => p.targets[t])) throw invalid('targets', 'validation.required');
    await assertCalendarTeam(p.calendarTeamId);
    const stored = await store.findPolicy(db, id);
    if (!stored) throw notFound('ticket_sla_policy', id);
    await assertRequester(
      p.match.customerId,
      (JSON.parse(stored.match_json) as SlaPolicy['match']).customerId,
    );
    const now = clock.now();
    const after = await db.transaction().execute(async (trx) => {
      const before = await store.findPolicy(trx, id);
      if (!before) throw notFound('ticket_sla_policy', id);
      const patch = { ...policyColumns(p), active: p.active ? 1 : 0 };
      await store.updatePolicy(trx, id, patch);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_sla_policy.update',
        entityType: 'ticket_sla_policy',
        entityId: id,
        before,
        after: { ...before, ...patch },
      });
      await enqueueRecompute(trx, id, now);
      return { ...before, ...patch };
    });
    return presentPolicy(after);
  }

  /** Disables a policy: tickets keep pointing at it, so the row stays; it no longer matches. */
  async function disableSlaPolicy(caller: Caller, id: string) {
    const now = clock.now();
    const after = await db.transaction().execute(async (trx) => {
      const before = await store.findPolicy(trx, id);
      if (!before) throw notFound('ticket_sla_policy', id);
      await store.updatePolicy(trx, id, { active: 0 });
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_sla_policy.disable',
        entityType: 'ticket_sla_policy',
        entityId: id,
        before,
        after: { ...before, active: 0 },
      });
      await enqueueRecompute(trx, id, now);
      return { ...before, active: 0 };
    });
    return presentPolicy(after);
  }

  /** The desk-wide settings the admin page edits, with the defaults in force when unset. */
  async function getSettings() {
    const get = (key: string) => store.getSetting(db, key);
    return {
      priorityMatrix: await ctx.matrix(),
      autoCloseDays: ((await get('autoCloseDays')) as number | undefined) ?? DEFAULT_QUIET_DAYS,
      slaWarnPercent: ((await get('slaWarnPercent')) as number | undefined) ?? DEFAULT_WARN_PERCENT,
      slaAlertServiceId: ((await get('slaAlertServiceId')) as string | null | undefined) ?? null,
      dispatchStrategy: ((await get('dispatchStrategy')) as string | undefined) ?? 'least_loaded',
      /** `calendar:<teamId>` settings by team id; a team without one works 24×7. */
      calendars: await store.listTeamCalendars(db),
    };
  }

  async function putSetting(caller: Caller, key: string, value: unknown) {
    let parsed: unknown;
    if (key.startsWith('calendar:')) {
      const teamId = key.slice('calendar:'.length);
      if ((await deps.directory.teamZone(teamId)) === null)
        throw invalid('key', 'tickets.errors.unknownGroup', { id: teamId });
      calendarFromSetting(value);
      parsed = value;
    } else if (key === 'slaAlertServiceId') {
      // null turns paging off; the service must exist in the alerts module.
      if (value === null) parsed = null;
      else {
        const serviceId = settingValue(z.string().min(1).max(64), value);
        if (!deps.pager || !(await deps.pager.serviceExists(serviceId)))
          throw invalid('value', 'tickets.errors.unknownAlertService', { id: serviceId });
        parsed = serviceId;
      }
    } else if (key === 'portalGroupId') {
      const teamId = settingValue(z.string().min(1).max(64), value);
      if ((await deps.directory.teamZone(teamId)) === null)
        throw invalid('value', 'tickets.errors.unknownGroup', { id: teamId });
      parsed = teamId;
    } else {
      const parse = Object.hasOwn(SETTINGS, key) ? SETTINGS[key] : undefined;
      if (!parse) throw invalid('key', 'tickets.errors.unknownSetting', { key });
      parsed = parse(value);
    }
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const before = await store.getSetting(trx, key);
      await store.putSetting(trx, key, parsed, now);
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_setting.put',
        entityType: 'ticket_setting',
        entityId: key,
        before: before ?? null,
        after: parsed,
      });
      // The built-in policies' warning point moved: their open tickets' timers are at the old
      // warning instants (a lower point would warn late), so they are recomputed, like a
      // policy change.
      if (key === 'slaWarnPercent' && (before ?? DEFAULT_WARN_PERCENT) !== parsed)
        await enqueueRecompute(trx, BUILTIN_RECOMPUTE, now);
    });
    return { key, value: parsed };
  }

  return {
    listCategories,
    createCategory,
    updateCategory,
    listSlaPolicies,
    updateSlaPolicy,
    disableSlaPolicy,
    createSlaPolicy,
    getSettings,
    putSetting,
  };
}
