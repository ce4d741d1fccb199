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
  JOB_CONCURRENCY: z.coerce.number().int().positive().default(4),
  ROLES: z.string().default('api,worker'),
  WEBHOOK_ALLOW_PRIVATE: z.string().default(''),
  ALERTS_MINUTE_MS: z.coerce.number().int().positive().default(60_000),
});

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
  roles: { api: boolean; worker: boolean };
  /** CIDRs, addresses or host names that webhooks may reach although private (SSRF allow-list). */
  webhookAllowPrivate: string[];
  /** Length of an escalation-policy minute: 60 000 except in tests and drills. */
  alertsMinuteMs: number;
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
    roles: { api: roles.has('api'), worker: roles.has('worker') },
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE.split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    alertsMinuteMs: e.ALERTS_MINUTE_MS,
  };
}
