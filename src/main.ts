import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { type Logger, pino } from 'pino';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { JobEngine, purgeFinishedJobs } from './jobs/job-engine.js';
import { jobsRoutes } from './jobs/jobs.routes.js';
import { type Clock, systemClock } from './lib/clock.js';
import { projectRoot } from './lib/project-root.js';
import { SYSTEM_ACTOR } from './modules/audit/audit.service.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { createAuthService } from './modules/users/auth.service.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { createMagicLinkService } from './modules/users/magic-link.service.js';
import { magicLinkRoutes } from './modules/users/magic-link.routes.js';
import { createUsersService } from './modules/users/users.service.js';
import { createInboxService } from './modules/inbox/inbox.service.js';
import { inboxRoutes } from './modules/inbox/inbox.routes.js';
import { ticketsRoutes } from './modules/tickets/tickets.routes.js';
import { ticketViewsRoutes } from './modules/tickets/ticket-views.routes.js';
import { ticketFollowUpRoutes } from './modules/tickets/ticket-follow-up.routes.js';
import { ticketCollabRoutes } from './modules/tickets/ticket-collab.routes.js';
import {
  AUTO_CLOSE_JOB,
  type Directory,
  type OnDutyProvider,
  createTicketsService,
} from './modules/tickets/tickets.service.js';
import { DomainError } from './lib/errors.js';
import { isRole } from './server/permissions.js';
import { rosterRoutes } from './modules/roster/roster.routes.js';
import { createRosterService } from './modules/roster/roster.service.js';
import { solverProductRoutes } from './modules/solver/product.routes.js';
import { createSolverProductService } from './modules/solver/product.service.js';
import { alertsRoutes } from './modules/alerts/alerts.routes.js';
import {
  type AlertsService,
  HEARTBEAT_JOB,
  createAlertsService,
} from './modules/alerts/alerts.service.js';
import { createChannels } from './modules/notify/channel-registry.js';
import { systemResolver } from './modules/notify/ssrf.js';
import { notifyChannelsFromEnv } from './modules/notify/notify-env.js';
import { buildApp } from './server/app.js';
import { createLiveBus } from './server/live.js';
import { liveRoutes } from './server/live.routes.js';
import { createMailer } from './server/mailer.js';
import { createMetrics, systemRoutes } from './server/system.routes.js';
import { alertMailHandler } from './modules/alerts/alert-mail.handler.js';
import {
  alertsLiveNotifier,
  createAlertsSetup,
  withContactUrlCheck,
  withLiveUpdates,
} from './modules/alerts/alerts-setup.js';
import { alertsSetupRoutes } from './modules/alerts/alerts-setup.routes.js';
import { bareAddress } from './modules/mail/mail-routing.js';
import { mailRoutes } from './modules/mail/mail.routes.js';
import {
  MAIL_IMAP_POLL_JOB,
  MAIL_PURGE_JOB,
  createMailService,
} from './modules/mail/mail.service.js';
import { type SmtpListener, startSmtpListener } from './modules/mail/smtp-listener.js';
import { createAttachmentFiles } from './modules/tickets/attachment-files.js';
import { DEFAULT_ATTACHMENT_TYPES } from './modules/tickets/attachment-policy.js';
import { ticketAttachmentRoutes } from './modules/tickets/ticket-attachment.routes.js';
import {
  ATTACHMENT_SWEEP_JOB,
  createAttachmentService,
} from './modules/tickets/ticket-attachment.service.js';
import {
  createTicketMailService,
  enqueueTicketMail,
} from './modules/tickets/ticket-mail.service.js';

/**
 * The composition root: the one place that wires the dialect, stores, services, jobs and
 * HTTP together. `config.roles` decides whether this process serves HTTP, runs jobs, or both.
 */
export interface Dutydesk {
  readonly config: Config;
  readonly database: Database;
  readonly app: FastifyInstance | undefined;
  readonly jobs: JobEngine | undefined;
  readonly url: string | undefined;
  readonly firstAdmin: { username: string; password: string } | null;
  /** The port of the inbound SMTP listener, when MAIL_SMTP_PORT is set. */
  readonly smtpPort: number | undefined;
  readonly services: {
    mail: ReturnType<typeof createMailService>;
    inbox: ReturnType<typeof createInboxService>;
    tickets: ReturnType<typeof createTicketsService>;
    roster: ReturnType<typeof createRosterService>;
    alerts: ReturnType<typeof createAlertsService>;
    magicLinks: ReturnType<typeof createMagicLinkService>;
  };
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Bind the HTTP port (default true). Tests may use app.inject instead. */
  listen?: boolean;
  /** Who is on duty on a post or team (tests); by default the roster module answers. */
  onDuty?: OnDutyProvider;
  /** Extra job handlers (tests). */
  configureJobs?: (engine: JobEngine) => void;
}

export function version(): string {
  try {
    return (
      JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return '0.0.0';
  }
}

function pgListener(url: string, log: Logger) {
  return async (channel: string, onNotify: () => void) => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => log.warn({ err }, 'job LISTEN connection error'));
    await client.connect();
    client.on('notification', () => onNotify());
    await client.query(`LISTEN ${channel}`);
    return async () => {
      await client.end().catch(() => undefined);
    };
  };
}

export async function startDutydesk(config: Config, opts: StartOptions = {}): Promise<Dutydesk> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? pino({ level: config.logLevel, base: { pid: process.pid } });
  const database = openDatabase(config.databaseUrl, {
    onIdleError: (err) => log.warn({ err }, 'database connection dropped'),
  });
  try {
    await migrateToLatest(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  const { db } = database;
  const metrics = createMetrics();

  const users = createUsersService({ db, clock });
  const auth = createAuthService({ db, clock, sessionTtlMs: config.sessionTtlMs });

  const live = await createLiveBus({
    db,
    dialect: database.dialect,
    databaseUrl: config.databaseUrl,
    log,
  });
  const mailer = createMailer(config.smtp);
  const magicLinks = createMagicLinkService({
    db,
    dialect: database.dialect,
    clock,
    mailer,
    publicUrl: config.publicUrl,
    sessionTtlMs: config.sessionTtlMs,
  });
  const inbox = createInboxService({
    db,
    dialect: database.dialect,
    clock,
    mailer,
    live,
    publicUrl: config.publicUrl,
    lookupRecipients: async (ids) =>
      (await users.listUsers({ ids, includeDisabled: true })).map((u) => ({
        id: u.id,
        email: u.email,
        locale: u.locale,
      })),
  });

  // The alerts service is made after the modules that call it (it needs their functions too).
  const late: {
    alerts?: Pick<AlertsService, 'listPolicies' | 'getPage' | 'raise' | 'listServices'>;
  } = {};
  const roster = createRosterService({
    db,
    dialect: database.dialect,
    clock,
    notify: (trx, input) => inbox.notify(trx, input),
    ...(database.sqliteFile ? { sqliteFile: database.sqliteFile } : {}),
    // Escalation policies with an "on duty on post" target keep their post (alerts is made below).
    postReferences: async (postId) =>
      (await late.alerts?.listPolicies())
        ?.filter((p) =>
          p.levels.some((l) => l.targets.some((t) => t.kind === 'post' && t.id === postId)),
        )
        .map((p) => p.name) ?? [],
    directory: {
      async team(id) {
        const team = await users.getTeam(id);
        return {
          id: team.id,
          name: team.name,
          timeZone: team.timeZone,
          memberIds: team.members.map((m) => m.id),
        };
      },
      async people(ids) {
        return (await users.listUsers({ ids, includeDisabled: true })).map((u) => ({
          id: u.id,
          name: u.displayName,
        }));
      },
      async approvers() {
        return (await users.listUsersWithRole('duty_admin')).map((u) => u.id);
      },
    },
  });

  const solverProduct = createSolverProductService({
    db,
    dialect: database.dialect,
    clock,
    roster,
    teamsOf: async (personId) =>
      (await users.listTeams())
        .filter((team) => team.members.some((m) => m.id === personId))
        .map((team) => team.id),
  });

  const directory: Directory = {
    async teamZone(teamId) {
      try {
        return (await users.getTeam(teamId)).timeZone;
      } catch (err) {
        if (err instanceof DomainError && err.kind === 'not_found') return null;
        throw err;
      }
    },
    teamMemberIds: async (teamId) =>
      (await users.listUsers({ teamId, includeDisabled: false })).map((u) => u.id),
    teamIdsOf: async (userId) =>
      (await users.listTeams())
        .filter((t) => t.members.some((m) => m.id === userId))
        .map((t) => t.id),
    existingUserIds: async (ids) =>
      (await users.listUsers({ ids, includeDisabled: false })).map((u) => u.id),
    userIdsWithRole: async (role) =>
      isRole(role) ? (await users.listUsersWithRole(role)).map((u) => u.id) : [],
    staffUserIds: async (ids) =>
      (await users.listUsers({ ids, includeDisabled: false }))
        .filter((u) => u.roles.some((r) => r !== 'requester'))
        .map((u) => u.id),
  };
  // A ticket's group is a team: dispatch goes to whoever the roster has on duty in that team
  // now; a team that keeps no roster falls back to all its members.
  const onDuty: OnDutyProvider = opts.onDuty ?? {
    async onDutyForPost(teamId, at) {
      const { personIds } = await roster.onDuty({ teamId, at });
      return personIds.length > 0 ? personIds : directory.teamMemberIds(teamId);
    },
  };
  const tickets = createTicketsService({
    db,
    dialect: database.dialect,
    clock,
    inbox,
    onDuty,
    directory,
    publish: (id, trx) => live.publish({ topic: 'tickets', type: 'ticket', id }, trx),
    // SLA notices page through alerts (made below; used only by jobs, after start-up).
    pager: {
      page: async (p) =>
        late.alerts!.raise(
          p.serviceId,
          {
            action: 'trigger',
            dedupKey: p.dedupKey,
            summary: p.summary,
            source: 'dutydesk-tickets',
            severity: p.severity,
            details: p.details,
            links: [{ href: `${config.publicUrl}${p.link}`, text: p.dedupKey }],
            occurredAt: clock.now(),
          },
          { firstUserIds: p.userIds },
        ),
      serviceExists: async (id) => (await late.alerts!.listServices()).some((s) => s.id === id),
    },
    onEvent: enqueueTicketMail({ dialect: database.dialect, clock, enabled: mailer.enabled }),
    // Alert pages linked to tickets, read through the alerts service (made below).
    alertPages: {
      async page(id) {
        try {
          const p = await late.alerts?.getPage(id);
          return p
            ? {
                id: p.id,
                summary: p.summary,
                severity: p.severity,
                status: p.status,
                openedAt: p.openedAt,
                resolvedAt: p.resolvedAt,
              }
            : null;
        } catch (err) {
          if (err instanceof DomainError && err.kind === 'not_found') return null;
          throw err;
        }
      },
    },
  });
  const attachments = createAttachmentService({
    db,
    dialect: database.dialect,
    clock,
    files: createAttachmentFiles(config.dataDir),
    policy: {
      maxBytes: config.attachments.maxBytes,
      types: config.attachments.types ?? DEFAULT_ATTACHMENT_TYPES,
    },
    publish: (id, trx) => live.publish({ topic: 'tickets', type: 'ticket', id }, trx),
  });
  const ticketMail = createTicketMailService({
    db,
    clock,
    tickets,
    attachments,
    mailer,
    async requesterByEmail(address) {
      const found = await users.listUsers({ q: address, includeDisabled: false });
      return (
        found.find((u) => u.email?.toLowerCase() === address && u.roles.includes('requester'))
          ?.id ?? null
      );
    },
    attachmentPath: (key) => attachments.files.pathOf(key),
    async userContact(userId) {
      const [u] = await users.listUsers({ ids: [userId], includeDisabled: true });
      return u ? { email: u.email, locale: u.locale === 'en' ? 'en' : 'zh' } : null;
    },
    config: {
      ourDomain: config.mail.address.split('@')[1] ?? config.mail.domains[0] ?? 'localhost',
      ourAddresses: [config.mail.address, bareAddress(config.smtp.from) ?? config.mail.address],
      replyTo: config.mail.address,
      maxBytes: config.mail.maxBytes,
      maxPerSenderPerHour: config.mail.maxPerSenderPerHour,
      publicUrl: config.publicUrl,
    },
  });

  const alertsCore = createAlertsService({
    db,
    dialect: database.dialect,
    clock,
    log,
    // An escalation target "on duty on post P" asks the roster module.
    onDuty: opts.onDuty ?? {
      onDutyForPost: async (postId, at) => (await roster.onDuty({ postId, at })).personIds,
    },
    teamMembers: async (teamId) => (await users.getTeam(teamId)).members.map((m) => m.id),
    userLocale: async (userId) => {
      const [u] = await users.listUsers({ ids: [userId], includeDisabled: true });
      return u?.locale === 'en' ? 'en' : 'zh';
    },
    channels: createChannels({
      // SMS/voice provider and web push keys: SMS_PROVIDER_*, VAPID_* (README, Configuration).
      ...notifyChannelsFromEnv(process.env),
      ...(config.smtp.host
        ? {
            smtp: {
              host: config.smtp.host,
              port: config.smtp.port,
              secure: config.smtp.secure,
              from: config.smtp.from,
              ...(config.smtp.user
                ? { auth: { user: config.smtp.user, pass: config.smtp.password ?? '' } }
                : {}),
            },
          }
        : {}),
    }),
    ssrf: { allow: config.webhookAllowPrivate, resolve: systemResolver },
    publicUrl: config.publicUrl,
    minuteMs: config.alertsMinuteMs,
    ...(config.mail.domains[0] ? { mailDomain: config.mail.domains[0] } : {}),
  });
  // Browsers on the `alerts` topic hear of new alerts, page actions and paging steps.
  const alertsLive = alertsLiveNotifier((event) => live.publish(event));
  const alerts = withContactUrlCheck(withLiveUpdates(alertsCore, alertsLive.changed), {
    allow: config.webhookAllowPrivate,
    resolve: systemResolver,
  });
  const alertsSetup = createAlertsSetup({
    db,
    clock,
    alerts,
    publicUrl: config.publicUrl,
    ...(config.mail.domains[0] ? { mailDomain: config.mail.domains[0] } : {}),
  });
  late.alerts = alerts;

  // Mail in: the SMTP listener and the IMAP poller store it; these handlers turn it into work.
  const mail = createMailService({
    db,
    dialect: database.dialect,
    clock,
    log,
    config: config.mail,
  });
  mail.handle('desk', { handle: (m) => ticketMail.handleInbound(m) });
  mail.handle('alerts', alertMailHandler(alerts));

  const firstAdmin = await users.ensureFirstAdmin(
    SYSTEM_ACTOR,
    process.env.DUTYDESK_ADMIN_PASSWORD,
  );

  let jobs: JobEngine | undefined;
  if (config.roles.worker) {
    jobs = new JobEngine({
      db,
      dialect: database.dialect,
      clock,
      log,
      pollMs: config.jobPollMs,
      concurrency: config.jobConcurrency,
      leaseMs: config.jobLeaseMs,
      onOutcome: (kind, outcome) => metrics.jobsRun.inc({ kind, outcome }),
      ...(database.dialect === 'postgres' ? { listen: pgListener(config.databaseUrl, log) } : {}),
    });
    jobs.register({
      kind: 'system.housekeeping',
      maxAttempts: 3,
      run: async () => {
        await auth.purgeExpired();
        await magicLinks.purgeOld();
        await purgeFinishedJobs(db, clock.now(), 7 * 86_400_000);
      },
    });
    jobs.every('system.housekeeping', 3_600_000);
    jobs.register(inbox.emailJob);
    jobs.register(tickets.slaJob);
    jobs.register(tickets.slaPageJob);
    jobs.register(tickets.autoCloseJob);
    jobs.register(tickets.slaRecomputeJob);
    jobs.every(AUTO_CLOSE_JOB, 3_600_000);
    jobs.register(roster.reminderJob);
    jobs.register(solverProduct.runJob);
    jobs.register(mail.processJob);
    jobs.register(mail.purgeJob);
    jobs.every(MAIL_PURGE_JOB, 86_400_000);
    jobs.register(ticketMail.mailOutJob);
    jobs.register(attachments.sweepJob);
    jobs.register(magicLinks.mailJob);
    jobs.every(ATTACHMENT_SWEEP_JOB, 3_600_000);
    if (config.mail.imap) {
      // A failed poll is not retried: the next one comes within MAIL_IMAP_POLL_SECONDS.
      jobs.register({
        kind: MAIL_IMAP_POLL_JOB,
        maxAttempts: 1,
        run: async () => {
          await mail.pollImapNow();
        },
      });
      jobs.every(MAIL_IMAP_POLL_JOB, config.mail.imap.pollMs);
    }
    for (const job of alerts.jobs) jobs.register(job);
    jobs.every(HEARTBEAT_JOB, 30_000);
    opts.configureJobs?.(jobs);
    await jobs.start();
  }

  let app: FastifyInstance | undefined;
  let url: string | undefined;
  if (config.roles.api) {
    app = await buildApp({
      config,
      database,
      clock,
      log,
      auth,
      version: version(),
      webRoot: join(projectRoot(), 'dist', 'web'),
      routes: [
        systemRoutes({ database, metrics, version: version() }),
        usersRoutes({
          users,
          auth,
          sessionTtlMs: config.sessionTtlMs,
          secureCookies: config.publicUrl.startsWith('https://'),
        }),
        auditRoutes(db),
        jobsRoutes(db),
        inboxRoutes(inbox),
        ticketsRoutes(tickets),
        ticketViewsRoutes(tickets),
        ticketFollowUpRoutes(tickets),
        ticketCollabRoutes(tickets),
        ticketAttachmentRoutes(attachments),
        mailRoutes(mail),
        liveRoutes(live, { tickets: 'tickets.read', alerts: 'alerts.read' }),
        rosterRoutes(roster, clock),
        solverProductRoutes(solverProduct),
        alertsRoutes(alerts),
        alertsSetupRoutes(alertsSetup),
        magicLinkRoutes({
          links: magicLinks,
          users,
          secureCookies: config.publicUrl.startsWith('https://'),
        }),
      ],
    });
    if (opts.listen !== false) {
      url = await app.listen({ port: config.port, host: config.host });
    } else {
      await app.ready();
    }
  }

  let smtp: SmtpListener | undefined;
  if (config.roles.api && config.mail.smtp) {
    smtp = await startSmtpListener({
      host: config.mail.smtp.host,
      port: config.mail.smtp.port,
      maxBytes: config.mail.maxBytes,
      serverName: config.mail.domains[0] ?? 'localhost',
      ...(config.mail.smtp.tls ? { tls: config.mail.smtp.tls } : {}),
      mail,
      log,
    });
  }

  let closed = false;
  return {
    config,
    database,
    app,
    jobs,
    url,
    firstAdmin,
    smtpPort: smtp?.port,
    services: { inbox, tickets, roster, alerts, mail, magicLinks },
    async close() {
      if (closed) return;
      closed = true;
      await smtp?.close();
      await app?.close();
      await jobs?.stop();
      alertsLive.close();
      await live.close();
      roster.close();
      await database.close();
    },
  };
}
