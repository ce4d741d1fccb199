import { z } from 'zod';
import { LANG_COOKIE, type RoutePlugin, SESSION_COOKIE } from '../../server/app.js';
import type { MagicLinkService } from './magic-link.service.js';
import { MeSchema } from './users.schema.js';
import type { UsersService } from './users.service.js';

/** POST /api/auth/magic-link (ask for a link) and /api/auth/magic-link/consume (use it). */
export function magicLinkRoutes(deps: {
  links: MagicLinkService;
  users: UsersService;
  secureCookies: boolean;
}): RoutePlugin {
  return (app) => {
    app.post(
      '/api/auth/magic-link',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          body: z.strictObject({ email: z.email().max(200) }),
          response: { 202: z.object({ accepted: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        await deps.links.request({
          email: request.body.email,
          ip: request.ip,
          locale: request.locale === 'en' ? 'en' : 'zh',
        });
        return reply.status(202).send({ accepted: true });
      },
    );

    app.post(
      '/api/auth/magic-link/consume',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          body: z.strictObject({ token: z.string().min(10).max(200) }),
          response: { 200: z.object({ user: MeSchema, csrfToken: z.string() }) },
        },
      },
      async (request, reply) => {
        const s = await deps.links.consume(request.body.token, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        void reply.setCookie(SESSION_COOKIE, s.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.secureCookies || request.protocol === 'https',
        });
        const me = await deps.users.getMe(s.userId);
        void reply.setCookie(LANG_COOKIE, me.locale, { path: '/', sameSite: 'lax' });
        return { user: me, csrfToken: s.csrfToken };
      },
    );
  };
}
