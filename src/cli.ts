import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from './config.js';
import { openDatabase, sqlitePathFromUrl } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { systemClock } from './lib/clock.js';
import { SYSTEM_ACTOR } from './modules/audit/audit.service.js';
import { createUsersService } from './modules/users/users.service.js';
import { isRole, type Role } from './server/permissions.js';
import { startDutydesk, version } from './main.js';

const program = new Command('dutydesk')
  .description('Dutydesk: the platform for 24x7 duty teams')
  .version(version());

const CLI_ACTOR = { ...SYSTEM_ACTOR, name: 'cli' };

function printFirstAdmin(admin: { username: string; password: string }, url: string): void {
  const line = '─'.repeat(64);
  console.log(
    `\n${line}\n  Dutydesk is ready at ${url}\n  首次登录 / First sign-in:\n    用户名 username: ${admin.username}\n    密码   password: ${admin.password}\n  登录后请立即修改密码 / Change this password after signing in.\n${line}\n`,
  );
}

program
  .command('serve')
  .description('run the server (HTTP API, web app and background workers)')
  .option('--roles <roles>', 'comma-separated: api, worker (default from ROLES or both)')
  .action(async (opts: { roles?: string }) => {
    const config = loadConfig(opts.roles ? { ...process.env, ROLES: opts.roles } : process.env);
    const dd = await startDutydesk(config);
    const shownUrl = config.publicUrl;
    if (dd.firstAdmin) printFirstAdmin(dd.firstAdmin, shownUrl);
    else if (dd.url) console.log(`Dutydesk is listening on ${dd.url} (public URL ${shownUrl})`);
    else console.log('Dutydesk worker started (no HTTP role)');
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: shutting down…`);
      dd.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const database = openDatabase(loadConfig().databaseUrl);
    try {
      const applied = await migrateToLatest(database);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    } finally {
      await database.close();
    }
  });

function parseRoles(value: string): Role[] {
  const roles = value.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !isRole(r));
  if (bad.length) throw new InvalidArgumentError(`unknown role(s): ${bad.join(', ')}`);
  return roles as Role[];
}

const user = program.command('user').description('manage user accounts');

user
  .command('create')
  .description('create a user; prints the generated password unless --password is given')
  .requiredOption('--username <username>')
  .requiredOption('--name <displayName>', 'display name')
  .option('--roles <roles>', 'comma-separated roles', parseRoles, ['technician'] as Role[])
  .option('--email <email>')
  .option('--password <password>', 'at least 10 characters')
  .action(
    async (opts: {
      username: string;
      name: string;
      roles: Role[];
      email?: string;
      password?: string;
    }) => {
      const database = openDatabase(loadConfig().databaseUrl);
      try {
        await migrateToLatest(database);
        const users = createUsersService({ db: database.db, clock: systemClock });
        const { CreateUserBody } = await import('./modules/users/users.schema.js');
        const input = CreateUserBody.parse({
          username: opts.username,
          displayName: opts.name,
          roles: opts.roles,
          ...(opts.email ? { email: opts.email } : {}),
          ...(opts.password ? { password: opts.password } : {}),
        });
        const created = await users.createUser(CLI_ACTOR, input);
        console.log(`Created ${created.user.username} (${created.user.roles.join(', ')})`);
        if (created.initialPassword)
          console.log(`Password: ${created.initialPassword}  (must be changed at first sign-in)`);
      } finally {
        await database.close();
      }
    },
  );

user
  .command('reset-password')
  .description('set a new generated password for a user and sign them out everywhere')
  .argument('<username>')
  .action(async (username: string) => {
    const database = openDatabase(loadConfig().databaseUrl);
    try {
      await migrateToLatest(database);
      const users = createUsersService({ db: database.db, clock: systemClock });
      const found = (await users.listUsers({ q: username, includeDisabled: true })).find(
        (u) => u.username === username.toLowerCase(),
      );
      if (!found) throw new Error(`No user named ${username}`);
      const password = await users.resetPassword(CLI_ACTOR, found.id);
      console.log(
        `New password for ${found.username}: ${password}  (must be changed at next sign-in)`,
      );
    } finally {
      await database.close();
    }
  });

function pgDumpHint(url: string): string {
  return `This Dutydesk runs on PostgreSQL. Back it up and restore it with PostgreSQL's own tools:\n  pg_dump --format=custom --file=dutydesk.dump "${url.replace(/:[^:@/]+@/, ':***@')}"\n  pg_restore --clean --if-exists --dbname="<DATABASE_URL>" dutydesk.dump`;
}

program
  .command('backup')
  .description(
    'write a consistent copy of the SQLite database to <file> (safe while the server runs)',
  )
  .argument('<file>')
  .action(async (file: string) => {
    const url = loadConfig().databaseUrl;
    const path = sqlitePathFromUrl(url);
    if (path === undefined) {
      console.log(pgDumpHint(url));
      return;
    }
    if (!existsSync(path)) throw new Error(`No database at ${path}`);
    const source = new SQLite(path, { readonly: true, fileMustExist: true });
    try {
      await source.backup(resolve(file));
    } finally {
      source.close();
    }
    console.log(`Backed up ${path} to ${resolve(file)}`);
  });

program
  .command('restore')
  .description('replace the SQLite database with a backup <file> (stop the server first)')
  .argument('<file>')
  .action(async (file: string) => {
    const url = loadConfig().databaseUrl;
    const path = sqlitePathFromUrl(url);
    if (path === undefined) {
      console.log(pgDumpHint(url));
      return;
    }
    const src = resolve(file);
    const check = new SQLite(src, { readonly: true, fileMustExist: true });
    try {
      const ok = check
        .prepare(
          "SELECT name FROM sqlite_master WHERE type='table' AND name IN ('user','kysely_migration')",
        )
        .all();
      if (ok.length < 2)
        throw new Error(`${src} is not a Dutydesk backup (tables user / kysely_migration missing)`);
      const integrity = check.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok')
        throw new Error(`${src} failed the integrity check: ${String(integrity)}`);
    } finally {
      check.close();
    }
    for (const suffix of ['-wal', '-shm']) rmSync(path + suffix, { force: true });
    copyFileSync(src, path);
    console.log(`Restored ${path} from ${src}. Start the server again.`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
