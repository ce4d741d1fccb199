import { DateTime } from 'luxon';
import { type JobHandler } from '../../jobs/job-engine.js';
import { enqueueJob } from '../../jobs/job-engine.js';
import { DEFAULT_LOCALE, t } from '../../i18n/i18n.js';
import { DomainError } from '../../lib/errors.js';
import { SYSTEM_ACTOR, recordAudit } from '../audit/audit.service.js';
import { dueSignals } from './sla-clock.js';
import {
  AUTO_CLOSE_JOB,
  DAY,
  DEFAULT_QUIET_DAYS,
  SLA_JOB,
  SLA_PAGE_JOB,
  SLA_RECOMPUTE_JOB,
  BUILTIN_POLICIES,
  BUILTIN_RECOMPUTE,
  type TicketContext,
} from './ticket-context.js';
import type { SlaPolicy } from './sla-clock.js';
import { snapshot } from './ticket-presenter.js';
import { applyAction, isDueToClose } from './ticket-state.js';
import * as store from './tickets.store.js';

/** One page of a policy's recompute: the tickets after `afterId` (by id); `key` names the run. */
export interface SlaRecomputePayload {
  policyId: string;
  key: string;
  afterId: string | null;
}

/** Tickets recomputed per transaction (and per job: the next page is a job of its own). */
export const SLA_RECOMPUTE_PAGE = 100;

interface SlaPagePayload {
  ticketId: string;
  key: string;
  kind: 'warning' | 'breach';
  target: string;
  dueAt: number;
  serviceId: string;
  userIds: string[];
}

/** The module's background jobs: the SLA timer (warnings, breaches, escalation) and auto-close. */
export function createTicketJobs(ctx: TicketContext) {
  const {
    db,
    clock,
    deps,
    zoneOf,
    planEscalation,
    slaReport,
    event,
    escalateIn,
    recordResult,
    afterChange,
    onDutyFor,
    dialect,
    refreshSla,
  } = ctx;

  const slaJob: JobHandler<{ ticketId: string }> = {
    kind: SLA_JOB,
    maxAttempts: 8,
    async run({ ticketId }) {
      const seen = await store.findTicket(db, ticketId);
      if (!seen || seen.status === 'closed') return;
      const zone = await zoneOf(seen.group_id);
      // The assignee; unassigned: whoever is on duty in the group now; no group: duty managers.
      const onDuty = seen.assignee_id ? [] : await onDutyFor(seen.group_id);
      const watchers = seen.assignee_id
        ? [seen.assignee_id]
        : onDuty.length > 0
          ? onDuty
          : seen.group_id
            ? await deps.directory.teamMemberIds(seen.group_id)
            : await deps.directory.userIdsWithRole('duty_manager');
      const alertService = deps.pager
        ? ((await store.getSetting(db, 'slaAlertServiceId')) as string | undefined)
        : undefined;
      const plan = await planEscalation(seen, undefined);
      await db.transaction().execute(async (trx) => {
        let row = await store.findTicket(trx, ticketId);
        if (!row || row.status === 'closed') return;
        const now = clock.now();
        const sla = await slaReport(trx, row, now);
        if (!sla) return;
        for (const signal of dueSignals(ticketId, sla.report, now)) {
          const recorded = await event(trx, ticketId, {
            kind: signal.kind === 'breach' ? 'sla_breach' : 'sla_warning',
            at: now,
            actorId: null,
            actorRole: 'system',
            visibility: 'internal',
            data: { target: signal.target, dueAt: signal.at },
            dedupeKey: signal.key,
          });
          // A retried job finds the signal recorded and does nothing twice.
          if (!recorded) continue;
          await recordAudit(trx, SYSTEM_ACTOR, now, {
            action: `ticket.sla_${signal.kind}`,
            entityType: 'ticket',
            entityId: ticketId,
            after: { target: signal.target, dueAt: signal.at },
          });
          const to = watchers;
          if (to.length)
            await deps.inbox.notify(trx, {
              userIds: to,
              kind: `tickets.sla_${signal.kind}`,
              messageKey:
                signal.kind === 'breach' ? 'tickets.notify.slaBreach' : 'tickets.notify.slaWarning',
              params: {
                number: row.number,
                target: signal.target,
                due: DateTime.fromMillis(signal.at, { zone }).toFormat('yyyy-MM-dd HH:mm'),
              },
              link: `/tickets/${ticketId}`,
              email: true,
            });
          if (alertService) {
            const payload: SlaPagePayload = {
              ticketId,
              key: signal.key,
              kind: signal.kind,
              target: signal.target,
              dueAt: signal.at,
              serviceId: alertService,
              userIds: to,
            };
            await enqueueJob(trx, dialect, clock, {
              kind: SLA_PAGE_JOB,
              payload,
              runAt: now,
              idempotencyKey: `${SLA_PAGE_JOB}:${signal.key}`,
              maxAttempts: 8,
            });
          }
          if (signal.kind === 'breach' && sla.policy.escalateOnBreach !== false) {
            try {
              row = await escalateIn(
                trx,
                row,
                { role: 'system', userId: null },
                SYSTEM_ACTOR,
                `SLA ${signal.target} breached`,
                plan,
              );
            } catch (err) {
              // Already at the top line, or in a state that cannot escalate: the breach stands.
              if (!(err instanceof DomainError) || err.kind !== 'conflict') throw err;
            }
          }
        }
        await afterChange(trx, row);
      });
    },
  };

  const autoCloseJob: JobHandler<unknown> = {
    kind: AUTO_CLOSE_JOB,
    maxAttempts: 3,
    async run() {
      const now = clock.now();
      const quietDays =
        ((await store.getSetting(db, 'autoCloseDays')) as number | undefined) ?? DEFAULT_QUIET_DAYS;
      // A day of slack for zones and DST; isDueToClose decides exactly.
      for (const candidate of await store.resolvedBefore(db, now - (quietDays - 1) * DAY)) {
        const zone = await zoneOf(candidate.group_id);
        await db.transaction().execute(async (trx) => {
          const row = await store.findTicket(trx, candidate.id);
          if (!row || row.status !== 'resolved' || row.resolved_at === null) return;
          const input = {
            resolvedAt: row.resolved_at,
            lastCustomerActivityAt: row.last_customer_at,
            quietDays,
            zone,
          };
          if (!isDueToClose('resolved', input, now)) return;
          const result = applyAction(
            snapshot(row),
            'auto_close',
            { role: 'system', userId: null },
            { at: now },
          );
          const next = await recordResult(trx, row, result);
          await recordAudit(trx, SYSTEM_ACTOR, now, {
            action: 'ticket.auto_close',
            entityType: 'ticket',
            entityId: row.id,
            before: { status: row.status },
            after: { status: next.status },
          });
          await afterChange(trx, next);
        });
      }
    },
  };

  /**
   * Pages one SLA warning or breach through the alerts module. The alert's dedup key is the
   * signal's key, so a retry after the alert was stored joins it instead of paging again; the
   * `sla_paged` timeline entry is recorded once (its dedupe key).
   */
  const slaPageJob: JobHandler<SlaPagePayload> = {
    kind: SLA_PAGE_JOB,
    maxAttempts: 8,
    async run(p) {
      const pager = deps.pager;
      const row = await store.findTicket(db, p.ticketId);
      if (!pager || !row) return;
      const zone = await zoneOf(row.group_id);
      const params = {
        number: row.number,
        target: t(DEFAULT_LOCALE, `tickets.sla.${p.target}`),
        due: DateTime.fromMillis(p.dueAt, { zone }).toFormat('yyyy-MM-dd HH:mm'),
      };
      const summary = `${t(DEFAULT_LOCALE, p.kind === 'breach' ? 'tickets.sla.breached' : 'tickets.sla.warning', params)} — ${row.title}`;
      await pager.page({
        serviceId: p.serviceId,
        dedupKey: p.key,
        summary: summary.slice(0, 1000),
        severity: p.kind === 'breach' ? 'critical' : 'warning',
        details: { ticket: row.number, target: p.target, dueAt: p.dueAt, kind: p.kind },
        link: `/tickets/${row.id}`,
        userIds: p.userIds,
      });
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const recorded = await event(trx, p.ticketId, {
          kind: 'sla_paged',
          at: now,
          actorId: null,
          actorRole: 'system',
          visibility: 'internal',
          data: { target: p.target, dueAt: p.dueAt, receivers: p.userIds, signal: p.kind },
          dedupeKey: `${p.key}:paged`,
        });
        if (recorded) await deps.publish?.(p.ticketId, trx);
      });
    },
  };

  /**
   * Recomputes the SLA of the open tickets an edited, created or disabled policy may move
   * (`needsRecompute`), a page at a time: each page's tickets, their timeline entries and the job
   * of the next page are written in one transaction, so a run killed half-way resumes at the page
   * it was on (the job is retried), and a page run twice changes nothing more: the SLA summary is
   * recomputed from the events, the timer job and the `sla_recomputed` entry have keys.
   * The policy is read when the page runs, so a later edit's run and this one agree.
   */
  const slaRecomputeJob: JobHandler<SlaRecomputePayload> = {
    kind: SLA_RECOMPUTE_JOB,
    maxAttempts: 8,
    async run(p) {
      if (p.policyId === BUILTIN_RECOMPUTE) return builtinRecompute(p);
      await db.transaction().execute(async (trx) => {
        const policy = await store.findPolicy(trx, p.policyId);
        if (!policy) return;
        const rows = await store.openTicketsForPolicy(
          trx,
          {
            id: policy.id,
            active: policy.active !== 0,
            match: JSON.parse(policy.match_json) as SlaPolicy['match'],
          },
          p.afterId,
          SLA_RECOMPUTE_PAGE,
        );
        const now = clock.now();
        let moved = 0;
        for (const row of rows) {
          await refreshSla(trx, row);
          const after = await store.findTicket(trx, row.id);
          if (!after) continue;
          if (after.sla_due_at === row.sla_due_at && after.sla_policy_id === row.sla_policy_id)
            continue;
          moved++;
          await event(trx, row.id, {
            kind: 'sla_recomputed',
            at: now,
            actorId: null,
            actorRole: 'system',
            visibility: 'internal',
            data: {
              policyId: policy.id,
              name: policy.name,
              fromPolicyId: row.sla_policy_id,
              toPolicyId: after.sla_policy_id,
              fromDueAt: row.sla_due_at,
              dueAt: after.sla_due_at,
            },
            dedupeKey: `${p.key}:${row.id}`,
          });
          await deps.publish?.(row.id, trx);
        }
        if (moved)
          await recordAudit(trx, SYSTEM_ACTOR, now, {
            action: 'ticket_sla_policy.recompute',
            entityType: 'ticket_sla_policy',
            entityId: policy.id,
            after: { run: p.key, afterId: p.afterId, checked: rows.length, moved },
          });
        if (rows.length === SLA_RECOMPUTE_PAGE) {
          const next: SlaRecomputePayload = { ...p, afterId: rows.at(-1)!.id };
          await enqueueJob(trx, dialect, clock, {
            kind: SLA_RECOMPUTE_JOB,
            payload: next,
            idempotencyKey: `${SLA_RECOMPUTE_JOB}:${p.key}:${next.afterId}`,
            maxAttempts: 8,
          });
        }
      });
    },
  };

  /**
   * A `tickets.sla_recompute` page after the built-in policies' warning point (`slaWarnPercent`)
   * changed: their open tickets get the timer at the new warning instant; one whose warning is
   * due already under the new point gets its SLA timer now, which records and sends it (keys:
   * not twice). Due instants do not move, so there is no timeline entry; the audit counts the
   * tickets whose next instant moved. Paged and resumed like a policy's run.
   */
  async function builtinRecompute(p: SlaRecomputePayload) {
    await db.transaction().execute(async (trx) => {
      const rows = await store.openTicketsUnderPolicies(
        trx,
        BUILTIN_POLICIES.map((b) => b.id),
        p.afterId,
        SLA_RECOMPUTE_PAGE,
      );
      const now = clock.now();
      let moved = 0;
      for (const row of rows) {
        const report = await refreshSla(trx, row);
        const after = await store.findTicket(trx, row.id);
        if (after && after.sla_next_at !== row.sla_next_at) moved++;
        if (report && dueSignals(row.id, report, now).length > 0)
          await enqueueJob(trx, dialect, clock, {
            kind: SLA_JOB,
            payload: { ticketId: row.id },
            runAt: now,
            idempotencyKey: `${SLA_JOB}:${row.id}:${p.key}`,
          });
      }
      if (moved)
        await recordAudit(trx, SYSTEM_ACTOR, now, {
          action: 'ticket_setting.recompute',
          entityType: 'ticket_setting',
          entityId: 'slaWarnPercent',
          after: { run: p.key, afterId: p.afterId, checked: rows.length, moved },
        });
      if (rows.length === SLA_RECOMPUTE_PAGE) {
        const next: SlaRecomputePayload = { ...p, afterId: rows.at(-1)!.id };
        await enqueueJob(trx, dialect, clock, {
          kind: SLA_RECOMPUTE_JOB,
          payload: next,
          idempotencyKey: `${SLA_RECOMPUTE_JOB}:${p.key}:${next.afterId}`,
          maxAttempts: 8,
        });
      }
    });
  }

  return {
    slaJob,
    slaPageJob,
    autoCloseJob,
    slaRecomputeJob,
  };
}
