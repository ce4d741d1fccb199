import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { generatePassword } from '../../lib/crypto.js';
import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Role, isRole, permissionsOf } from '../../server/permissions.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { hashPassword, verifyPassword } from './password.js';
import type {
  CreateTeamInput,
  CreateUserInput,
  Me,
  Team,
  UpdateProfileInput,
  UpdateTeamInput,
  UpdateUserInput,
  User,
} from './users.schema.js';
import * as store from './users.store.js';

export interface UsersDeps {
  db: Kysely<DB>;
  clock: Clock;
}

function toRoles(raw: readonly string[] | undefined): Role[] {
  return (raw ?? []).filter(isRole);
}

function presentUser(
  row: store.UserRow,
  roles: readonly string[] | undefined,
  teams: { id: string; name: string }[] | undefined,
): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    phone: row.phone,
    locale: row.locale === 'en' ? 'en' : 'zh',
    roles: toRoles(roles),
    disabled: row.disabled === 1,
    teams: teams ?? [],
    createdAt: row.created_at,
  };
}

/** What an audit entry keeps of a user: never the password hash. */
function auditView(u: User) {
  const { id, username, displayName, email, phone, locale, roles, disabled } = u;
  return { id, username, displayName, email, phone, locale, roles, disabled };
}

export function createUsersService({ db, clock }: UsersDeps) {
  async function loadUsers(rows: store.UserRow[], trx: Kysely<DB> = db): Promise<User[]> {
    const ids = rows.map((r) => r.id);
    const [roles, teams] = await Promise.all([
      store.rolesByUser(trx, ids),
      store.teamsByUser(trx, ids),
    ]);
    return rows.map((r) => presentUser(r, roles.get(r.id), teams.get(r.id)));
  }

  async function getUser(id: string, trx: Kysely<DB> = db): Promise<User> {
    const row = await store.findUserById(trx, id);
    if (!row) throw notFound('user', id);
    const [user] = await loadUsers([row], trx);
    return user!;
  }

  async function getMe(id: string): Promise<Me> {
    const row = await store.findUserById(db, id);
    if (!row) throw notFound('user', id);
    const u = (await loadUsers([row]))[0]!;
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      email: u.email,
      phone: u.phone,
      locale: u.locale,
      roles: u.roles,
      teams: u.teams,
      mustChangePassword: row.must_change_password === 1,
      permissions: permissionsOf(u.roles),
    };
  }

  async function createUser(
    actor: Actor,
    input: CreateUserInput,
  ): Promise<{ user: User; initialPassword?: string }> {
    const initialPassword = input.password ? undefined : generatePassword();
    const passwordHash = await hashPassword(input.password ?? initialPassword!);
    const roles = [...new Set(input.roles)];
    return db.transaction().execute(async (trx) => {
      if (await store.findUserByUsername(trx, input.username)) {
        throw conflict(
          'username_taken',
          'users.errors.usernameTaken',
          { username: input.username },
          'username',
        );
      }
      const now = clock.now();
      const id = newId();
      await store.insertUser(
        trx,
        {
          id,
          username: input.username,
          display_name: input.displayName,
          email: input.email ?? null,
          phone: input.phone ?? null,
          password_hash: passwordHash,
          locale: input.locale ?? 'zh',
          disabled: 0,
          must_change_password: initialPassword ? 1 : 0,
          created_at: now,
          updated_at: now,
        },
        roles,
      );
      const user = await getUser(id, trx);
      await recordAudit(trx, actor, now, {
        action: 'user.create',
        entityType: 'user',
        entityId: id,
        after: auditView(user),
      });
      return initialPassword ? { user, initialPassword } : { user };
    });
  }

  async function updateUser(actor: Actor, id: string, patch: UpdateUserInput): Promise<User> {
    return db.transaction().execute(async (trx) => {
      const before = await getUser(id, trx);
      if (
        actor.userId === id &&
        (patch.disabled === true ||
          (patch.roles && !patch.roles.includes('admin') && before.roles.includes('admin')))
      ) {
        // An admin locking themselves out is almost always a slip at 3 a.m.
        throw invalid(patch.disabled === true ? 'disabled' : 'roles', 'users.errors.selfLockout');
      }
      const now = clock.now();
      await store.updateUserRow(trx, id, {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
        updated_at: now,
      });
      if (patch.roles) await store.replaceRoles(trx, id, [...new Set(patch.roles)]);
      if (patch.disabled === true) await store.deleteSessionsOfUser(trx, id);
      const after = await getUser(id, trx);
      await recordAudit(trx, actor, now, {
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return after;
    });
  }

  async function updateProfile(
    actor: Actor & { userId: string },
    patch: UpdateProfileInput,
  ): Promise<Me> {
    await updateUserSelf(actor, patch);
    return getMe(actor.userId);
  }

  async function updateUserSelf(
    actor: Actor & { userId: string },
    patch: UpdateProfileInput,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const before = await getUser(actor.userId, trx);
      const now = clock.now();
      await store.updateUserRow(trx, actor.userId, {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        updated_at: now,
      });
      const after = await getUser(actor.userId, trx);
      await recordAudit(trx, actor, now, {
        action: 'profile.update',
        entityType: 'user',
        entityId: actor.userId,
        before: auditView(before),
        after: auditView(after),
      });
    });
  }

  async function changePassword(
    actor: Actor & { userId: string },
    current: string,
    next: string,
    keepSessionId?: string,
  ): Promise<void> {
    const row = await store.findUserById(db, actor.userId);
    if (!row) throw notFound('user', actor.userId);
    if (!(await verifyPassword(row.password_hash, current)))
      throw invalid('currentPassword', 'users.errors.wrongPassword');
    if (current === next) throw invalid('newPassword', 'users.errors.samePassword');
    const passwordHash = await hashPassword(next);
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      await store.updateUserRow(trx, actor.userId, {
        password_hash: passwordHash,
        must_change_password: 0,
        updated_at: now,
      });
      // Other sessions end: whoever else held the old password is signed out.
      await store.deleteSessionsOfUser(trx, actor.userId, keepSessionId);
      await recordAudit(trx, actor, now, {
        action: 'user.password.change',
        entityType: 'user',
        entityId: actor.userId,
      });
    });
  }

  async function resetPassword(actor: Actor, id: string): Promise<string> {
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await db.transaction().execute(async (trx) => {
      if (!(await store.findUserById(trx, id))) throw notFound('user', id);
      const now = clock.now();
      await store.updateUserRow(trx, id, {
        password_hash: passwordHash,
        must_change_password: 1,
        updated_at: now,
      });
      await store.deleteSessionsOfUser(trx, id);
      await recordAudit(trx, actor, now, {
        action: 'user.password.reset',
        entityType: 'user',
        entityId: id,
      });
    });
    return password;
  }

  async function listUsers(filter: store.UserListFilter): Promise<User[]> {
    return loadUsers(await store.listUserRows(db, filter));
  }

  /** Used by other modules: the active users holding `role` (e.g. whom to tell about a major emergency). */
  async function listUsersWithRole(role: Role): Promise<User[]> {
    return listUsers({ role, includeDisabled: false });
  }

  /** Create the first administrator when the database has no user at all. */
  async function ensureFirstAdmin(
    actor: Actor,
    password?: string,
  ): Promise<{ username: string; password: string } | null> {
    if ((await store.countUsers(db)) > 0) return null;
    const given = password && password.length >= 10 ? password : undefined;
    const { initialPassword } = await createUser(actor, {
      username: 'admin',
      displayName: '系统管理员 Administrator',
      roles: ['admin'],
      ...(given ? { password: given } : {}),
    });
    return { username: 'admin', password: given ?? initialPassword! };
  }

  // ---- teams -------------------------------------------------------------------------------

  async function loadTeams(rows: DB['team'][], trx: Kysely<DB> = db): Promise<Team[]> {
    const members = await store.membersByTeam(
      trx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      timeZone: r.time_zone,
      description: r.description,
      members: members.get(r.id) ?? [],
      createdAt: r.created_at,
    }));
  }

  async function getTeam(id: string, trx: Kysely<DB> = db): Promise<Team> {
    const row = await store.findTeamById(trx, id);
    if (!row) throw notFound('team', id);
    return (await loadTeams([row], trx))[0]!;
  }

  async function listTeams(): Promise<Team[]> {
    return loadTeams(await store.listTeamRows(db));
  }

  async function createTeam(actor: Actor, input: CreateTeamInput): Promise<Team> {
    return db.transaction().execute(async (trx) => {
      if (await store.findTeamByName(trx, input.name))
        throw conflict(
          'team_name_taken',
          'users.errors.teamNameTaken',
          { name: input.name },
          'name',
        );
      const now = clock.now();
      const id = newId();
      await store.insertTeam(trx, {
        id,
        name: input.name,
        time_zone: input.timeZone,
        description: input.description ?? null,
        created_at: now,
        updated_at: now,
      });
      const team = await getTeam(id, trx);
      await recordAudit(trx, actor, now, {
        action: 'team.create',
        entityType: 'team',
        entityId: id,
        after: team,
      });
      return team;
    });
  }

  async function updateTeam(actor: Actor, id: string, patch: UpdateTeamInput): Promise<Team> {
    return db.transaction().execute(async (trx) => {
      const before = await getTeam(id, trx);
      if (
        patch.name !== undefined &&
        patch.name !== before.name &&
        (await store.findTeamByName(trx, patch.name))
      ) {
        throw conflict(
          'team_name_taken',
          'users.errors.teamNameTaken',
          { name: patch.name },
          'name',
        );
      }
      const now = clock.now();
      await store.updateTeamRow(trx, id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        updated_at: now,
      });
      const after = await getTeam(id, trx);
      await recordAudit(trx, actor, now, {
        action: 'team.update',
        entityType: 'team',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async function setTeamMembers(
    actor: Actor,
    id: string,
    userIds: readonly string[],
  ): Promise<Team> {
    const unique = [...new Set(userIds)];
    return db.transaction().execute(async (trx) => {
      const before = await getTeam(id, trx);
      const existing = await store.existingUserIds(trx, unique);
      const missing = unique.findIndex((u) => !existing.has(u));
      if (missing >= 0)
        throw invalid(`userIds.${missing}`, 'users.errors.unknownUser', { id: unique[missing]! });
      const now = clock.now();
      await store.replaceMembers(trx, id, unique);
      await store.updateTeamRow(trx, id, { updated_at: now });
      const after = await getTeam(id, trx);
      await recordAudit(trx, actor, now, {
        action: 'team.members.set',
        entityType: 'team',
        entityId: id,
        before: before.members.map((m) => m.id),
        after: after.members.map((m) => m.id),
      });
      return after;
    });
  }

  return {
    getUser,
    getMe,
    listUsers,
    listUsersWithRole,
    createUser,
    updateUser,
    updateProfile,
    changePassword,
    resetPassword,
    ensureFirstAdmin,
    getTeam,
    listTeams,
    createTeam,
    updateTeam,
    setTeamMembers,
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
