import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting comes from an environment variable with a default; README lists them all. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().positive().default(587),
  SMTP_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Dutydesk <dutydesk@localhost>'),
  JOB_POLL_MS: z.coerce.number().int().positive().default(500),
  JOB_CONCURRENCY: z.coerce.number().int().positive().default(64),
  JOB_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  ROLES: z.string().default('api,worker'),
  WEBHOOK_ALLOW_PRIVATE: z.string().default(''),
  ALERTS_MINUTE_MS: z.coerce.number().int().positive().default(60_000),
  // Mail in (service desk and alerts by email) and attachments; see README "Email".
  MAIL_ADDRESS: z.string().optional(),
  MAIL_DOMAINS: z.string().optional(),
  MAIL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MAIL_SMTP_HOST: z.string().default('0.0.0.0'),
  MAIL_SMTP_TLS_KEY: z.string().optional(),
  MAIL_SMTP_TLS_CERT: z.string().optional(),
  MAIL_MAX_BYTES: z.coerce.number().int().positive().default(26_214_400),
  MAIL_MAX_PER_SENDER_PER_HOUR: z.coerce.number().int().positive().default(30),
  MAIL_IMAP_HOST: z.string().optional(),
  MAIL_IMAP_PORT: z.coerce.number().int().positive().max(65535).default(993),
  MAIL_IMAP_SECURE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  MAIL_IMAP_USER: z.string().optional(),
  MAIL_IMAP_PASSWORD: z.string().optional(),
  MAIL_IMAP_MAILBOX: z.string().default('INBOX'),
  MAIL_IMAP_MOVE_TO: z.string().optional(),
  MAIL_IMAP_POLL_SECONDS: z.coerce.number().int().positive().default(60),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(20_971_520),
  ATTACHMENT_TYPES: z.string().optional(),
});

/** The bare address of "Name <a@b>" or "a@b", lower-cased. */
function bareAddress(value: string): string {
  return (/<([^<>]+)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  publicUrl: string;
  logLevel: string;
  bodyLimitBytes: number;
  sessionTtlMs: number;
  trustProxy: boolean;
  smtp: {
    host?: string;
    port: number;
    secure: boolean;
    user?: string;
    password?: string;
    from: string;
  };
  jobPollMs: number;
  jobConcurrency: number;
  /** How long a claimed job is held; a dead process's jobs are taken over after this. */
  jobLeaseMs: number;
  roles: { api: boolean; worker: boolean };
  /** CIDRs, addresses or host names that webhooks may reach although private (SSRF allow-list). */
  webhookAllowPrivate: string[];
  /** Length of an escalation-policy minute: 60 000 except in tests and drills. */
  alertsMinuteMs: number;
  mail: {
    /** The service desk's own address: Reply-To of ticket mail, never answered (loops). */
    address: string;
    /** Domains whose addresses the listener accepts (desk, and alert+<key>@ for alerts). */
    domains: string[];
    maxBytes: number;
    maxPerSenderPerHour: number;
    smtp?: { port: number; host: string; tls?: { keyFile: string; certFile: string } };
    imap?: {
      host: string;
      port: number;
      secure: boolean;
      user: string;
      password: string;
      mailbox: string;
      moveTo?: string;
      pollMs: number;
    };
  };
  attachments: {
    maxBytes: number;
    /** Allowed content types; undefined = the ticket module's default list. */
    types?: string[];
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Bad configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const roles = new Set(e.ROLES.split(',').map((r) => r.trim()));
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'dutydesk.db')}`,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    trustProxy: e.TRUST_PROXY,
    smtp: {
      ...(e.SMTP_HOST ? { host: e.SMTP_HOST } : {}),
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      ...(e.SMTP_USER ? { user: e.SMTP_USER } : {}),
      ...(e.SMTP_PASSWORD ? { password: e.SMTP_PASSWORD } : {}),
      from: e.SMTP_FROM,
    },
    jobPollMs: e.JOB_POLL_MS,
    jobConcurrency: e.JOB_CONCURRENCY,
    jobLeaseMs: e.JOB_LEASE_MS,
    roles: { api: roles.has('api'), worker: roles.has('worker') },
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE.split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    alertsMinuteMs: e.ALERTS_MINUTE_MS,
    mail: mailConfig(e),
    attachments: {
      maxBytes: e.ATTACHMENT_MAX_BYTES,
      ...(e.ATTACHMENT_TYPES
        ? {
            types: e.ATTACHMENT_TYPES.split(',')
              .map((v) => v.trim().toLowerCase())
              .filter((v) => v !== ''),
          }
        : {}),
    },
  };
}

function mailConfig(e: z.infer<typeof EnvSchema>): Config['mail'] {
  const address = bareAddress(e.MAIL_ADDRESS ?? e.SMTP_FROM);
  const domains = (e.MAIL_DOMAINS ?? address.split('@')[1] ?? 'localhost')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '');
  if ((e.MAIL_SMTP_TLS_KEY === undefined) !== (e.MAIL_SMTP_TLS_CERT === undefined))
    throw new Error('Bad configuration: MAIL_SMTP_TLS_KEY and MAIL_SMTP_TLS_CERT go together');
  if (e.MAIL_IMAP_HOST && (!e.MAIL_IMAP_USER || !e.MAIL_IMAP_PASSWORD))
    throw new Error(
      'Bad configuration: MAIL_IMAP_HOST needs MAIL_IMAP_USER and MAIL_IMAP_PASSWORD',
    );
  return {
    address,
    domains,
    maxBytes: e.MAIL_MAX_BYTES,
    maxPerSenderPerHour: e.MAIL_MAX_PER_SENDER_PER_HOUR,
    ...(e.MAIL_SMTP_PORT !== undefined
      ? {
          smtp: {
            port: e.MAIL_SMTP_PORT,
            host: e.MAIL_SMTP_HOST,
            ...(e.MAIL_SMTP_TLS_KEY && e.MAIL_SMTP_TLS_CERT
              ? { tls: { keyFile: e.MAIL_SMTP_TLS_KEY, certFile: e.MAIL_SMTP_TLS_CERT } }
              : {}),
          },
        }
      : {}),
    ...(e.MAIL_IMAP_HOST && e.MAIL_IMAP_USER && e.MAIL_IMAP_PASSWORD
      ? {
          imap: {
            host: e.MAIL_IMAP_HOST,
            port: e.MAIL_IMAP_PORT,
            secure: e.MAIL_IMAP_SECURE,
            user: e.MAIL_IMAP_USER,
            password: e.MAIL_IMAP_PASSWORD,
            mailbox: e.MAIL_IMAP_MAILBOX,
            ...(e.MAIL_IMAP_MOVE_TO ? { moveTo: e.MAIL_IMAP_MOVE_TO } : {}),
            pollMs: e.MAIL_IMAP_POLL_SECONDS * 1000,
          },
        }
      : {}),
  };
}
