import { type JobHandler, enqueueJob } from '../../jobs/job-engine.js';
import { conflict } from '../../lib/errors.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { nextRosterStatus, reminderSchedule } from './requests.js';
import { type Violation, checkRoster } from './rest-rules.js';
import * as store from './roster.store.js';
import { H, LIVE_STATUSES, type RosterContext } from './roster-context.service.js';

export const ROSTER_REMINDER_JOB = 'roster.confirm-reminder';

export type PublishResult =
  | { ok: true; roster: store.RosterRecord; violations: Violation[]; notified: number }
  | { ok: false; violations: Violation[] };

/** Publishing a roster, reopening it, and everyone's confirmation with its reminders. */
export function createPublishUseCases(c: RosterContext) {
  const { db, clock, directory } = c.deps;

  async function publish(actor: Actor, rosterId: string): Promise<PublishResult> {
    const dir = await c.preload(rosterId);
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      const ctx = await c.teamContext(trx, dir);
      const assignments = await c.effectiveAssignments(trx, r.id);
      const violations = checkRoster(await c.checkInput(trx, r, ctx, assignments));
      if (violations.some((v) => v.severity === 'block')) {
        // Keep the transition error for a roster that cannot be published in any case.
        nextRosterStatus(r.status, 'publish', []);
        return { ok: false as const, violations };
      }
      const status = nextRosterStatus(r.status, 'publish', violations);
      const now = clock.now();
      await store.updateRosterStatus(
        trx,
        r.id,
        { status, publishedAt: now, ...(actor.userId ? { publishedBy: actor.userId } : {}) },
        now,
      );
      const people = [...new Set(assignments.map((a) => a.personId))].sort();
      await store.resetConfirmations(trx, r.id, people, now);
      const period = `${r.periodStart}–${r.periodEnd}`;
      const config = ctx.settings.config;
      for (const personId of people) {
        await c.deps.notify(trx, {
          userIds: [personId],
          kind: 'roster.published',
          messageKey: 'roster.notify.published',
          params: {
            team: ctx.team.name,
            period,
            shifts: assignments.filter((a) => a.personId === personId).length,
            hours: config.confirmHours,
          },
          link: '/my-shifts',
          email: true,
        });
      }
      for (const rem of reminderSchedule({
        publishedAt: now,
        people,
        confirmed: new Set(),
        config,
      })) {
        await enqueueJob(trx, c.deps.dialect, clock, {
          kind: ROSTER_REMINDER_JOB,
          payload: {
            rosterId: r.id,
            personId: rem.personId,
            publishedAt: now,
            kind: rem.kind,
          },
          runAt: rem.at,
          // One job per person and reminder slot of this publication.
          idempotencyKey: `${ROSTER_REMINDER_JOB}:${r.id}:${now}:${rem.personId}:${rem.at}`,
          maxAttempts: 5,
        });
      }
      const published = { ...r, status, publishedAt: now, publishedBy: actor.userId };
      await c.rebuildSegments(trx, published, ctx.team.timeZone);
      await recordAudit(trx, actor, now, {
        action: 'roster.publish',
        entityType: 'roster',
        entityId: r.id,
        before: { status: r.status },
        after: { status, people: people.length, warnings: violations.length },
      });
      return { ok: true as const, roster: published, violations, notified: people.length };
    });
  }

  /** Reopen a published roster for edits (it stays on duty while amended). */
  async function amend(actor: Actor, rosterId: string) {
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      const status = nextRosterStatus(r.status, 'amend');
      await store.updateRosterStatus(trx, r.id, { status }, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.amend',
        entityType: 'roster',
        entityId: r.id,
        before: { status: r.status },
        after: { status },
      });
      return { ...r, status };
    });
  }

  async function confirmations(rosterId: string) {
    const r = await c.getRosterOr404(db, rosterId);
    const dir = await c.dirOf(r.teamId);
    const ctx = await c.teamContext(db, dir);
    const list = await store.listConfirmations(db, r.id);
    const names = new Map(
      (await directory.people(list.map((x) => x.personId))).map((p) => [p.id, p.name] as const),
    );
    const deadline =
      r.publishedAt === null ? null : r.publishedAt + ctx.settings.config.confirmHours * H;
    return {
      deadline,
      people: list.map((x) => ({ ...x, name: names.get(x.personId) ?? x.personId })),
      unconfirmed: list.filter((x) => x.confirmedAt === null).map((x) => x.personId),
    };
  }

  async function confirm(actor: Actor, personId: string, rosterId: string) {
    return db.transaction().execute(async (trx) => {
      const r = await c.getRosterOr404(trx, rosterId);
      if (!LIVE_STATUSES.has(r.status)) {
        throw conflict('roster_not_published', 'roster.service.notPublished');
      }
      const now = clock.now();
      if (!(await store.confirm(trx, r.id, personId, now))) {
        throw conflict('not_asked', 'roster.service.notAsked');
      }
      await recordAudit(trx, actor, now, {
        action: 'roster.confirm',
        entityType: 'roster',
        entityId: r.id,
        after: { personId, confirmedAt: now },
      });
      return { confirmedAt: now };
    });
  }

  const reminderJob: JobHandler<{
    rosterId: string;
    personId: string;
    publishedAt: number;
    kind: 'reminder' | 'overdue';
  }> = {
    kind: ROSTER_REMINDER_JOB,
    maxAttempts: 5,
    async run(p) {
      const pre = await store.findRoster(db, p.rosterId);
      if (!pre) return;
      const team = await directory.team(pre.teamId);
      const [person] = await directory.people([p.personId]);
      await db.transaction().execute(async (trx) => {
        const r = await store.findRoster(trx, p.rosterId);
        // A republished roster has its own reminders; this one is stale.
        if (!r || r.publishedAt !== p.publishedAt || !LIVE_STATUSES.has(r.status)) return;
        const conf = (await store.listConfirmations(trx, r.id)).find(
          (x) => x.personId === p.personId,
        );
        if (!conf || conf.confirmedAt !== null) return;
        const period = `${r.periodStart}–${r.periodEnd}`;
        await c.deps.notify(trx, {
          userIds: [p.personId],
          kind: `roster.${p.kind}`,
          messageKey: p.kind === 'overdue' ? 'roster.notify.overdue' : 'roster.notify.reminder',
          params: { team: team.name, period, person: person?.name ?? p.personId },
          link: '/my-shifts',
          email: true,
        });
        if (p.kind === 'overdue' && r.publishedBy) {
          await c.deps.notify(trx, {
            userIds: [r.publishedBy],
            kind: 'roster.overdue',
            messageKey: 'roster.notify.overdue',
            params: { team: team.name, period, person: person?.name ?? p.personId },
            link: '/rosters',
          });
        }
      });
    },
  };

  return { publish, amend, confirmations, confirm, reminderJob };
}
