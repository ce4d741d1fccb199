import { z } from 'zod';
import {
  LANG_COOKIE,
  type RoutePlugin,
  SESSION_COOKIE,
  actorOf,
  principalOf,
} from '../../server/app.js';
import type { AuthService } from './auth.service.js';
import {
  ApiTokenSchema,
  ChangePasswordBody,
  CreateTeamBody,
  CreateTokenBody,
  CreateUserBody,
  IdParams,
  ListUsersQuery,
  MeSchema,
  SetMembersBody,
  SignInBody,
  TeamSchema,
  UpdateProfileBody,
  UpdateTeamBody,
  UpdateUserBody,
  UserSchema,
} from './users.schema.js';
import type { UsersService } from './users.service.js';

const Empty = z.null().describe('No content');

export function usersRoutes(deps: {
  users: UsersService;
  auth: AuthService;
  sessionTtlMs: number;
  secureCookies: boolean;
}): RoutePlugin {
  const { users, auth } = deps;
  return (app) => {
    // ---- sign-in and the session -------------------------------------------------------------
    app.post(
      '/api/auth/sign-in',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          body: SignInBody,
          response: { 200: z.object({ user: MeSchema, csrfToken: z.string() }) },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        const s = await auth.signIn(username, password, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        void reply.setCookie(SESSION_COOKIE, s.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.secureCookies || request.protocol === 'https',
        });
        const me = await users.getMe(s.userId);
        void reply.setCookie(LANG_COOKIE, me.locale, { path: '/', sameSite: 'lax' });
        return { user: me, csrfToken: s.csrfToken };
      },
    );

    app.post(
      '/api/auth/sign-out',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['auth'], response: { 204: Empty } },
      },
      async (request, reply) => {
        const p = principalOf(request);
        if (p.sessionId) await auth.signOut(actorOf(request), p.sessionId);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['auth'],
          response: { 200: z.object({ user: MeSchema, csrfToken: z.string().nullable() }) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        return { user: await users.getMe(p.userId), csrfToken: p.csrfToken ?? null };
      },
    );

    // ---- the signed-in user's own profile and tokens --------------------------------------------
    app.patch(
      '/api/profile',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['profile'],
          body: UpdateProfileBody,
          response: { 200: z.object({ user: MeSchema }) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const user = await users.updateProfile(
          { ...actorOf(request), userId: p.userId },
          request.body,
        );
        if (request.body.locale)
          void reply.setCookie(LANG_COOKIE, request.body.locale, { path: '/', sameSite: 'lax' });
        return { user };
      },
    );

    app.post(
      '/api/profile/password',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['profile'], body: ChangePasswordBody, response: { 204: Empty } },
      },
      async (request, reply) => {
        const p = principalOf(request);
        await users.changePassword(
          { ...actorOf(request), userId: p.userId },
          request.body.currentPassword,
          request.body.newPassword,
          p.sessionId,
        );
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/profile/tokens',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['profile'],
          response: { 200: z.object({ items: z.array(ApiTokenSchema) }) },
        },
      },
      async (request) => ({ items: await auth.listApiTokens(principalOf(request).userId) }),
    );

    app.post(
      '/api/profile/tokens',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['profile'],
          body: CreateTokenBody,
          response: { 201: z.object({ token: ApiTokenSchema, secret: z.string() }) },
        },
      },
      async (request, reply) => {
        const created = await auth.createApiToken(
          actorOf(request),
          principalOf(request),
          request.body,
        );
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/api/profile/tokens/:id',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['profile'], params: IdParams, response: { 204: Empty } },
      },
      async (request, reply) => {
        await auth.revokeApiToken(actorOf(request), principalOf(request).userId, request.params.id);
        return reply.status(204).send(null);
      },
    );

    // ---- users ---------------------------------------------------------------------------------
    app.get(
      '/api/users',
      {
        config: { access: 'users.read' },
        schema: {
          tags: ['users'],
          querystring: ListUsersQuery,
          response: { 200: z.object({ items: z.array(UserSchema) }) },
        },
      },
      async (request) => {
        const q = request.query;
        return {
          items: await users.listUsers({
            ...(q.q ? { q: q.q } : {}),
            ...(q.role ? { role: q.role } : {}),
            ...(q.teamId ? { teamId: q.teamId } : {}),
            includeDisabled: q.includeDisabled === 'true',
          }),
        };
      },
    );

    app.post(
      '/api/users',
      {
        config: { access: 'users.manage' },
        schema: {
          tags: ['users'],
          body: CreateUserBody,
          response: { 201: z.object({ user: UserSchema, initialPassword: z.string().optional() }) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await users.createUser(actorOf(request), request.body)),
    );

    app.get(
      '/api/users/:id',
      {
        config: { access: 'users.read' },
        schema: {
          tags: ['users'],
          params: IdParams,
          response: { 200: z.object({ user: UserSchema }) },
        },
      },
      async (request) => ({ user: await users.getUser(request.params.id) }),
    );

    app.patch(
      '/api/users/:id',
      {
        config: { access: 'users.manage' },
        schema: {
          tags: ['users'],
          params: IdParams,
          body: UpdateUserBody,
          response: { 200: z.object({ user: UserSchema }) },
        },
      },
      async (request) => ({
        user: await users.updateUser(actorOf(request), request.params.id, request.body),
      }),
    );

    app.post(
      '/api/users/:id/reset-password',
      {
        config: { access: 'users.manage' },
        schema: {
          tags: ['users'],
          params: IdParams,
          response: { 200: z.object({ password: z.string() }) },
        },
      },
      async (request) => ({
        password: await users.resetPassword(actorOf(request), request.params.id),
      }),
    );

    // ---- teams ---------------------------------------------------------------------------------
    app.get(
      '/api/teams',
      {
        config: { access: 'teams.read' },
        schema: { tags: ['teams'], response: { 200: z.object({ items: z.array(TeamSchema) }) } },
      },
      async () => ({ items: await users.listTeams() }),
    );

    app.post(
      '/api/teams',
      {
        config: { access: 'teams.manage' },
        schema: {
          tags: ['teams'],
          body: CreateTeamBody,
          response: { 201: z.object({ team: TeamSchema }) },
        },
      },
      async (request, reply) =>
        reply.status(201).send({ team: await users.createTeam(actorOf(request), request.body) }),
    );

    app.get(
      '/api/teams/:id',
      {
        config: { access: 'teams.read' },
        schema: {
          tags: ['teams'],
          params: IdParams,
          response: { 200: z.object({ team: TeamSchema }) },
        },
      },
      async (request) => ({ team: await users.getTeam(request.params.id) }),
    );

    app.patch(
      '/api/teams/:id',
      {
        config: { access: 'teams.manage' },
        schema: {
          tags: ['teams'],
          params: IdParams,
          body: UpdateTeamBody,
          response: { 200: z.object({ team: TeamSchema }) },
        },
      },
      async (request) => ({
        team: await users.updateTeam(actorOf(request), request.params.id, request.body),
      }),
    );

    app.put(
      '/api/teams/:id/members',
      {
        config: { access: 'teams.manage' },
        schema: {
          tags: ['teams'],
          params: IdParams,
          body: SetMembersBody,
          response: { 200: z.object({ team: TeamSchema }) },
        },
      },
      async (request) => ({
        team: await users.setTeamMembers(actorOf(request), request.params.id, request.body.userIds),
      }),
    );
  };
}
