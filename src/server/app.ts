import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { type Locale, pickLocale, t } from '../i18n/i18n.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { safeEqual } from '../lib/crypto.js';
import type { Actor } from '../modules/audit/audit.service.js';
import type { AuthService, Principal } from '../modules/users/auth.service.js';
import { handleError, sendError } from './http-errors.js';
import { type Permission, type RouteAccess, isPermission, rolesAllow } from './permissions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: a permission key of the table, `signedIn` or `public`. */
    access?: RouteAccess;
    /** The route answers with a stream that stays open (SSE). */
    stream?: boolean;
  }
  interface FastifyRequest {
    locale: Locale;
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'dd_session';

export interface AccessRule {
  method: string;
  url: string;
  access: RouteAccess;
  stream: boolean;
}
export const LANG_COOKIE = 'dd_lang';

/** A route plugin of a module: registers its routes on the typed app. */
export type RoutePlugin = (app: TypedApp) => void | Promise<void>;
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
const typed = (app: FastifyInstance): TypedApp => app.withTypeProvider<ZodTypeProvider>();

export interface AppOptions {
  config: Config;
  database: Database;
  clock: Clock;
  log: Logger;
  auth: AuthService;
  routes: RoutePlugin[];
  webRoot?: string;
  version: string;
}

/** The signed-in user as the audit log and services see them. */
export function actorOf(request: FastifyRequest): Actor {
  return {
    userId: request.principal?.userId ?? null,
    name: request.principal?.username ?? null,
    ip: request.ip,
    requestId: request.id,
  };
}

/** The principal of a route that requires sign-in (the hook has already checked). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf called on a public route');
  return request.principal;
}

/** Whether the signed-in person (or API token, within its scopes) holds this permission: the
 * route check, and for a route that does more for some callers than for others. */
export function principalMay(principal: Principal, permission: Permission): boolean {
  return (
    rolesAllow(principal.roles, permission) &&
    (principal.scopes === undefined || principal.scopes.includes(permission))
  );
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // Widen pino's Logger so the app is the plain FastifyInstance every module's routes expect.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: opts.log as FastifyBaseLogger,
    bodyLimit: opts.config.bodyLimitBytes,
    // Live (SSE) streams stay open: close them on shutdown instead of waiting forever.
    forceCloseConnections: true,
    trustProxy: opts.config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : newId();
    },
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('locale', 'zh');
  app.decorateRequest('principal', null);
  app.setErrorHandler(handleError);

  // Every route must say who may call it; a route without a rule cannot exist.
  const routes: AccessRule[] = [];
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (
      route.url.startsWith('/api/docs') ||
      route.url === '/*' ||
      route.url.startsWith('/assets')
    ) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    if (!access)
      throw new Error(`Route ${methods.join(',')} ${route.url} has no access rule (config.access)`);
    if (access !== 'public' && access !== 'signedIn' && !isPermission(access))
      throw new Error(`Route ${route.url}: unknown permission ${String(access)}`);
    for (const m of methods)
      if (m !== 'HEAD')
        routes.push({ method: m, url: route.url, access, stream: route.config?.stream === true });
  });
  app.decorate('accessRules', () => routes);

  await app.register(fastifyCookie);

  app.addHook('onRequest', async (request, reply) => {
    request.locale = pickLocale(request.cookies[LANG_COOKIE], request.headers['accept-language']);
    reply.header('x-request-id', request.id);
    const access = request.routeOptions.config.access ?? 'public';
    // Public routes (sign-in, alert intake, static files) never look at who is calling:
    // no session lookup on the hot paths.
    if (access === 'public') return;
    const principal = await authenticate(request, opts.auth);
    request.principal = principal;
    if (!principal)
      return sendError(reply, 401, {
        code: 'unauthorized',
        message: t(request.locale, 'errors.unauthorized'),
      });
    if (principal.via === 'session' && UNSAFE.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (
        typeof sent !== 'string' ||
        !principal.csrfToken ||
        !safeEqual(sent, principal.csrfToken)
      ) {
        return sendError(reply, 403, { code: 'csrf', message: t(request.locale, 'errors.csrf') });
      }
    }
    if (access === 'signedIn') return;
    const allowed = principalMay(principal, access);
    if (!allowed)
      return sendError(reply, 403, {
        code: 'forbidden',
        message: t(request.locale, 'errors.forbidden'),
      });
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Dutydesk API',
        version: opts.version,
        description: 'Every route of Dutydesk. Errors: {code, message, field?}.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  for (const plugin of opts.routes) await plugin(typed(app));

  const webRoot = opts.webRoot;
  const hasWeb = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      // Only reply.sendFile: the one route below serves files, under an access rule.
      serve: false,
      index: false,
      cacheControl: false,
    });
    app.get(
      '/*',
      { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const path = request.url.split('?')[0] ?? '/';
        // The web app owns every other path; an unknown API path is an API error, not a page.
        if (path.startsWith('/api/') || path === '/api') return routeNotFound(request, reply);
        if (path.startsWith('/assets/') && existsSync(join(webRoot, path))) {
          return reply
            .header('cache-control', 'public, max-age=31536000, immutable')
            .sendFile(path.slice(1));
        }
        if (path !== '/' && /\.[a-z0-9]+$/i.test(path) && existsSync(join(webRoot, path)))
          return reply.sendFile(path.slice(1));
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      },
    );
  }

  app.setNotFoundHandler(routeNotFound);

  return app;
}

function routeNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendError(reply, 404, {
    code: 'route_not_found',
    message: t(request.locale, 'errors.routeNotFound', {
      method: request.method,
      url: request.url.split('?')[0] ?? '',
    }),
  });
}

async function authenticate(request: FastifyRequest, auth: AuthService): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return auth.authenticateToken(header.slice(7).trim());
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return auth.authenticateSession(cookie);
  return null;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessRules(): AccessRule[];
  }
}
