import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Database } from './database.js';
import * as foundation from './migrations/2026-11-21-0001-foundation.js';
import * as inbox from './migrations/2026-11-21-0002-inbox.js';
import * as alerts from './migrations/2026-11-21-0003-alerts.js';
import * as roster from './migrations/2026-11-21-0003-roster.js';
import * as tickets from './migrations/2026-11-21-0003-tickets.js';
import * as mail from './migrations/2026-11-27-0030-mail.js';
import * as ticketMail from './migrations/2026-11-27-0031-ticket-mail.js';
import * as rosterSetupIndexes from './migrations/2026-11-27-0060-roster-setup-indexes.js';
import * as notifyDigest from './migrations/2026-11-28-0021-notify-digest.js';
import * as ticketShortIndex from './migrations/2026-11-28-0040-ticket-short-index.js';
import * as ticketViewsTemplates from './migrations/2026-11-28-0041-ticket-views-templates.js';
import * as ticketFollowUp from './migrations/2026-11-28-0042-ticket-follow-up.js';
import * as ticketLink from './migrations/2026-11-28-0043-ticket-link.js';
import * as magicLink from './migrations/2026-11-28-0050-magic-link.js';
import * as solverRuns from './migrations/2026-11-28-0070-solver-runs.js';
import * as solverRunIncumbent from './migrations/2026-12-06-0020-solver-run-incumbent.js';
import * as ticketWatchersMerge from './migrations/2026-12-06-0030-ticket-watchers-merge.js';
import * as ticketSlaEscalate from './migrations/2026-12-06-0040-ticket-sla-escalate.js';
import * as ticketSlaCalendar from './migrations/2026-12-06-0050-ticket-sla-calendar.js';
import * as ticketUnmergeWatchMail from './migrations/2026-12-07-0030-ticket-unmerge-watch-mail.js';

type Up = (db: Parameters<Migration['up']>[0], dialect: Database['dialect']) => Promise<void>;

/**
 * Every migration, in the order they run: Kysely applies them by name, so the list is kept in
 * name order too (a test checks it). Never edit one that has shipped, and name a new one so it
 * sorts after every shipped one (today's date first). Listed here (rather than read from a
 * folder) so the same list works from TypeScript and from dist/.
 */
const MIGRATIONS: ReadonlyArray<readonly [name: string, up: Up]> = [
  ['2026-11-21-0001-foundation', foundation.up],
  ['2026-11-21-0002-inbox', inbox.up],
  ['2026-11-21-0003-alerts', alerts.up],
  ['2026-11-21-0003-roster', roster.up],
  ['2026-11-21-0003-tickets', tickets.up],
  ['2026-11-27-0030-mail', mail.up],
  ['2026-11-27-0031-ticket-mail', ticketMail.up],
  ['2026-11-27-0060-roster-setup-indexes', rosterSetupIndexes.up],
  ['2026-11-28-0021-notify-digest', notifyDigest.up],
  ['2026-11-28-0040-ticket-short-index', ticketShortIndex.up],
  ['2026-11-28-0041-ticket-views-templates', ticketViewsTemplates.up],
  ['2026-11-28-0042-ticket-follow-up', ticketFollowUp.up],
  ['2026-11-28-0043-ticket-link', ticketLink.up],
  ['2026-11-28-0050-magic-link', magicLink.up],
  ['2026-11-28-0070-solver-runs', solverRuns.up],
  ['2026-12-06-0020-solver-run-incumbent', solverRunIncumbent.up],
  ['2026-12-06-0030-ticket-watchers-merge', ticketWatchersMerge.up],
  ['2026-12-06-0040-ticket-sla-escalate', ticketSlaEscalate.up],
  ['2026-12-06-0050-ticket-sla-calendar', ticketSlaCalendar.up],
  ['2026-12-07-0030-ticket-unmerge-watch-mail', ticketUnmergeWatchMail.up],
];

function provider(dialect: Database['dialect']): MigrationProvider {
  return {
    getMigrations: async () =>
      Object.fromEntries(MIGRATIONS.map(([name, up]) => [name, { up: (db) => up(db, dialect) }])),
  };
}

export function migrationNames(): string[] {
  return MIGRATIONS.map(([name]) => name);
}

/** Apply every pending migration; throws with the failing migration's error. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: provider(database.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `Migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (used by /readyz). */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const migrator = new Migrator({ db: database.db, provider: provider(database.dialect) });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
