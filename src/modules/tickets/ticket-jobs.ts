import { DateTime } from 'luxon';
import { type JobHandler } from '../../jobs/job-engine.js';
import { DomainError } from '../../lib/errors.js';
import { SYSTEM_ACTOR, recordAudit } from '../audit/audit.service.js';
import { dueSignals } from './sla-clock.js';
import {
  AUTO_CLOSE_JOB,
  DAY,
  DEFAULT_QUIET_DAYS,
  SLA_JOB,
  type TicketContext,
} from './ticket-context.js';
import { snapshot } from './ticket-presenter.js';
import { applyAction, isDueToClose } from './ticket-state.js';
import * as store from './tickets.store.js';

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
  } = ctx;

  const slaJob: JobHandler<{ ticketId: string }> = {
    kind: SLA_JOB,
    maxAttempts: 8,
    async run({ ticketId }) {
      const seen = await store.findTicket(db, ticketId);
      if (!seen || seen.status === 'closed') return;
      const zone = await zoneOf(seen.group_id);
      const watchers = seen.assignee_id
        ? [seen.assignee_id]
        : seen.group_id
          ? await deps.directory.teamMemberIds(seen.group_id)
          : await deps.directory.userIdsWithRole('duty_manager');
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
          if (signal.kind === 'breach') {
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

  return {
    slaJob,
    autoCloseJob,
  };
}
