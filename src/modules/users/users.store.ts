import type { Kysely } from 'kysely';
import type { DB, UserTable } from '../../db/schema.js';

/** The only code that touches the users module's tables. */

export type UserRow = UserTable;

export async function findUserById(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(
  db: Kysely<DB>,
  username: string,
): Promise<UserRow | undefined> {
  return db.selectFrom('user').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function countUsers(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('user')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: Kysely<DB>,
  row: UserRow,
  roles: readonly string[],
): Promise<void> {
  await db.insertInto('user').values(row).execute();
  if (roles.length > 0)
    await db
      .insertInto('user_role')
      .values(roles.map((role) => ({ user_id: row.id, role })))
      .execute();
}

export async function updateUserRow(
  db: Kysely<DB>,
  id: string,
  patch: Partial<Omit<UserRow, 'id'>>,
): Promise<void> {
  await db.updateTable('user').set(patch).where('id', '=', id).execute();
}

export async function replaceRoles(
  db: Kysely<DB>,
  userId: string,
  roles: readonly string[],
): Promise<void> {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  if (roles.length > 0)
    await db
      .insertInto('user_role')
      .values(roles.map((role) => ({ user_id: userId, role })))
      .execute();
}

export async function rolesByUser(
  db: Kysely<DB>,
  userIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('user_role')
    .select(['user_id', 'role'])
    .where('user_id', 'in', userIds)
    .execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role]);
  return out;
}

export async function teamsByUser(
  db: Kysely<DB>,
  userIds: readonly string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('team_member')
    .innerJoin('team', 'team.id', 'team_member.team_id')
    .select(['team_member.user_id', 'team.id', 'team.name'])
    .where('team_member.user_id', 'in', userIds)
    .orderBy('team.name')
    .execute();
  for (const r of rows)
    out.set(r.user_id, [...(out.get(r.user_id) ?? []), { id: r.id, name: r.name }]);
  return out;
}

export interface UserListFilter {
  q?: string;
  role?: string;
  teamId?: string;
  includeDisabled: boolean;
  ids?: readonly string[];
}

export async function listUserRows(db: Kysely<DB>, f: UserListFilter): Promise<UserRow[]> {
  let q = db.selectFrom('user').selectAll('user');
  if (!f.includeDisabled) q = q.where('user.disabled', '=', 0);
  if (f.ids) q = q.where('user.id', 'in', f.ids.length > 0 ? f.ids : ['']);
  if (f.role) {
    const role = f.role;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role')
          .select('user_role.user_id')
          .whereRef('user_role.user_id', '=', 'user.id')
          .where('user_role.role', '=', role),
      ),
    );
  }
  if (f.teamId) {
    const teamId = f.teamId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('team_member')
          .select('team_member.user_id')
          .whereRef('team_member.user_id', '=', 'user.id')
          .where('team_member.team_id', '=', teamId),
      ),
    );
  }
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['user.username']), 'like', eb.val(like)),
        eb(eb.fn('lower', ['user.display_name']), 'like', eb.val(like)),
        eb(eb.fn('lower', ['user.email']), 'like', eb.val(like)),
      ]),
    );
  }
  return q.orderBy('user.username').limit(1000).execute();
}

// ---- teams -------------------------------------------------------------------------------

export async function findTeamById(db: Kysely<DB>, id: string) {
  return db.selectFrom('team').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTeamByName(db: Kysely<DB>, name: string) {
  return db.selectFrom('team').select('id').where('name', '=', name).executeTakeFirst();
}

export async function listTeamRows(db: Kysely<DB>) {
  return db.selectFrom('team').selectAll().orderBy('name').execute();
}

export async function insertTeam(db: Kysely<DB>, row: DB['team']): Promise<void> {
  await db.insertInto('team').values(row).execute();
}

export async function updateTeamRow(
  db: Kysely<DB>,
  id: string,
  patch: Partial<Omit<DB['team'], 'id'>>,
): Promise<void> {
  await db.updateTable('team').set(patch).where('id', '=', id).execute();
}

export async function membersByTeam(db: Kysely<DB>, teamIds: readonly string[]) {
  const out = new Map<string, { id: string; username: string; displayName: string }[]>();
  if (teamIds.length === 0) return out;
  const rows = await db
    .selectFrom('team_member')
    .innerJoin('user', 'user.id', 'team_member.user_id')
    .select(['team_member.team_id', 'user.id', 'user.username', 'user.display_name'])
    .where('team_member.team_id', 'in', teamIds)
    .orderBy('user.username')
    .execute();
  for (const r of rows) {
    out.set(r.team_id, [
      ...(out.get(r.team_id) ?? []),
      { id: r.id, username: r.username, displayName: r.display_name },
    ]);
  }
  return out;
}

export async function replaceMembers(
  db: Kysely<DB>,
  teamId: string,
  userIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('team_member').where('team_id', '=', teamId).execute();
  if (userIds.length > 0)
    await db
      .insertInto('team_member')
      .values(userIds.map((user_id) => ({ team_id: teamId, user_id })))
      .execute();
}

export async function existingUserIds(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('user').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

// ---- sessions, tokens, sign-in attempts -----------------------------------------------------

export async function insertSession(db: Kysely<DB>, row: DB['session']): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

export async function findSession(db: Kysely<DB>, id: string) {
  return db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(
  db: Kysely<DB>,
  id: string,
  at: number,
  expiresAt: number,
): Promise<void> {
  await db
    .updateTable('session')
    .set({ last_seen_at: at, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(
  db: Kysely<DB>,
  userId: string,
  exceptId?: string,
): Promise<void> {
  let q = db.deleteFrom('session').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function deleteExpiredSessions(db: Kysely<DB>, now: number): Promise<void> {
  await db.deleteFrom('session').where('expires_at', '<', now).execute();
}

export async function insertApiToken(db: Kysely<DB>, row: DB['api_token']): Promise<void> {
  await db.insertInto('api_token').values(row).execute();
}

export async function findApiTokenByHash(db: Kysely<DB>, hash: string) {
  return db.selectFrom('api_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function listApiTokens(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findApiToken(db: Kysely<DB>, id: string) {
  return db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeApiToken(db: Kysely<DB>, id: string, at: number): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function markApiTokenUsed(db: Kysely<DB>, id: string, at: number): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function recordLoginAttempt(
  db: Kysely<DB>,
  username: string,
  ip: string,
  at: number,
  success: boolean,
): Promise<void> {
  await db
    .insertInto('login_attempt')
    .values({ username, ip, at, success: success ? 1 : 0 })
    .execute();
}

export async function countFailedLogins(
  db: Kysely<DB>,
  by: { username?: string; ip?: string },
  since: number,
) {
  let q = db
    .selectFrom('login_attempt')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.min<number | null>('at').as('oldest'),
    ])
    .where('success', '=', 0)
    .where('at', '>=', since);
  if (by.username !== undefined) q = q.where('username', '=', by.username);
  if (by.ip !== undefined) q = q.where('ip', '=', by.ip);
  const row = await q.executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
}

export async function deleteLoginAttemptsBefore(db: Kysely<DB>, before: number): Promise<void> {
  await db.deleteFrom('login_attempt').where('at', '<', before).execute();
}
