import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { type ApiScope, isApiScope } from '../features/api-clients/api-clients.rules.ts';
import { type ApiClientPrincipal, authenticateKey } from '../features/api-clients/api-clients.service.ts';
import { ApiDocsPage } from '../features/api-clients/api-docs.views.tsx';
import { API_PREFIX, apiValidatorCompiler, bearerToken } from '../lib/api.ts';
import { audit, requestMeta } from '../lib/audit.ts';
import type { Clock } from '../lib/clock.ts';
import { sendProblem } from '../lib/error-handler.tsx';
import { AppError } from '../lib/errors.ts';
import { publicUrl } from '../lib/links.ts';
import { pageContext, sendPage } from '../lib/page.tsx';

/*
 * The operator's API (`/api/v1`, issue 11): the customer and staff areas' pattern for
 * programs. Its one guard, an `onRequest` hook that runs before the body is read, reads only
 * `Authorization: Bearer <key>` — never a cookie, never a session: a customer's or a staff
 * member's session is nobody here — and turns the key into a typed `req.apiClient` (id, name,
 * scopes). Then, in this order:
 *
 * - a key in the URL (`?key=`, `?api_key=`, `?access_token=`, `?token=`…) → 400, audited, and
 *   the key is never read (it has already been written in every log on its way);
 * - no key, a key of another shape, a key nobody holds → 401 `api_unauthorized`; a revoked
 *   key → 401 `api_key_revoked`; a disabled client → 401 `api_client_disabled` (the last two
 *   audited); each with `WWW-Authenticate: Bearer`;
 * - more requests than the client's limit in the current minute → 429 with `Retry-After`
 *   (a fixed one-minute window per client, counted in this process's memory: with N
 *   processes a client gets up to N times its limit; a restart forgets the counts);
 * - the route's scope (`config: { apiScope: '<resource>:read|write' }`, required on every
 *   route) not among the client's → 403 `api_scope_missing`, naming it (`required_scope`), audited.
 *
 * Every route of the area answers its errors as problem+json (`config.api`, set here), in
 * English, takes no CSRF token (`config.csrf: false`, set here: no cookie authenticates it),
 * reads its input through its zod schemas (`lib/api.ts`: refused input is `validation_failed`
 * naming every field) and is described by the OpenAPI 3.1 document made from those same
 * schemas: `/api/openapi.json` (public, no key), read at `/api/docs`.
 *
 * Resources register their routes through `routes` in `app.tsx`, one plugin per noun, in its
 * feature folder (`customers.api.ts`); `docs/api.md` says how to write one.
 */

export { API_PREFIX, API_ROOT, isApiUrl } from '../lib/api.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API client of a request inside the API area (set by its guard; absent elsewhere). */
    apiClient: ApiClientPrincipal;
  }
  interface FastifyContextConfig {
    /** The scope an API route requires (every route of the API area says one). */
    apiScope?: ApiScope;
  }
}

export interface ApiAreaOptions {
  /** The feature plugins whose routes are the API's resources (registered under `/api/v1`). */
  routes: FastifyPluginAsync[];
}

const principals = new WeakMap<FastifyRequest, ApiClientPrincipal>();
const routesOf = new WeakMap<object, { method: string; url: string; scope: ApiScope }[]>();

/** Every route of the API area of this app, with its scope, for tests and docs. */
export const apiAreaRoutes = (app: FastifyInstance) => routesOf.get(app.server) ?? [];

/** Query parameters a key might be put in: refused whatever their value. */
const KEY_PARAMETERS = new Set(['key', 'api_key', 'apikey', 'api-key', 'access_token', 'token', 'bearer', 'authorization']);

const WWW_AUTHENTICATE = 'Bearer realm="api"';

/** Requests counted per client in fixed one-minute windows, in this process's memory. */
export function rateLimiter(clock: Clock) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts one request; says whether it is allowed, what remains and when the window ends. */
    take(clientId: string, limit: number): { allowed: boolean; remaining: number; resetSeconds: number } {
      const now = clock.now().getTime();
      const start = now - (now % 60_000);
      let w = windows.get(clientId);
      if (!w || w.start !== start) {
        // A new minute: the old windows go (the map holds one entry per client at most).
        if (windows.size > 10_000) windows.clear();
        w = { start, count: 0 };
        windows.set(clientId, w);
      }
      w.count += 1;
      const resetSeconds = Math.max(1, Math.ceil((start + 60_000 - now) / 1000));
      return { allowed: w.count <= limit, remaining: Math.max(0, limit - w.count), resetSeconds };
    },
  };
}

function guardOf(limiter: ReturnType<typeof rateLimiter>) {
  return async function guard(req: FastifyRequest, reply: FastifyReply) {
    const app = req.server;
    req.lang = 'en';
    const route = { method: req.method, route: req.routeOptions.url };

    // A key in the URL: refused before anything is read, and the refusal recorded (never the value).
    const query = (req.query ?? {}) as Record<string, unknown>;
    const inUrl = Object.keys(query).find((name) => KEY_PARAMETERS.has(name.toLowerCase()));
    if (inUrl !== undefined) {
      await audit(app.db, app.clock, { actor_type: 'anonymous', action: 'api.key_in_url', outcome: 'denied', ...requestMeta(req), details: { parameter: inUrl, ...route } });
      throw new AppError('api_key_in_url');
    }

    const bearer = bearerToken(req.headers.authorization);
    if (!bearer) throw new AppError('api_unauthorized', { headers: { 'www-authenticate': WWW_AUTHENTICATE } });
    const check = await authenticateKey(app.db, app.clock, bearer);
    if (!check.ok) {
      const invalid = { 'www-authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"` };
      if (check.reason === 'unknown') throw new AppError('api_unauthorized', { headers: invalid });
      await audit(app.db, app.clock, {
        actor_type: 'api',
        actor_id: check.clientId ?? null,
        action: check.reason === 'revoked' ? 'api.key_revoked' : 'api.client_disabled',
        outcome: 'denied',
        ...requestMeta(req),
        details: { key: check.keyPrefix, ...route },
      });
      throw new AppError(check.reason === 'revoked' ? 'api_key_revoked' : 'api_client_disabled', { headers: invalid });
    }
    const client = check.client;

    const limit = limiter.take(client.id, client.rateLimitPerMinute);
    reply.header('ratelimit-limit', String(client.rateLimitPerMinute));
    reply.header('ratelimit-remaining', String(limit.remaining));
    reply.header('ratelimit-reset', String(limit.resetSeconds));
    if (!limit.allowed) throw new AppError('api_rate_limited', { headers: { 'retry-after': String(limit.resetSeconds) } });

    const scope = req.routeOptions.config.apiScope;
    // No scope: no route here (every route declares one), the answer is the area's 404.
    if (scope && !client.scopes.includes(scope)) {
      await audit(app.db, app.clock, {
        actor_type: 'api',
        actor_id: client.id,
        action: 'api.scope_denied',
        outcome: 'denied',
        ...requestMeta(req),
        details: { client: client.name, required_scope: scope, ...route },
      });
      throw new AppError('api_scope_missing', { extensions: { required_scope: scope } });
    }
    principals.set(req, client);
  };
}

/** The OpenAPI document's opening: what it is, where it lives, how it is authenticated. */
const openapiHead = (server: string) => ({
  openapi: '3.1.0',
  info: {
    title: 'Parking portal: operator API',
    version: '1.0.0',
    description:
      'The operator’s billing system (ERP) feeds the portal and reads back what happens online. ' +
      'Authenticate with `Authorization: Bearer <key>` (never a key in the URL). Errors are `application/problem+json` (RFC 9457). ' +
      'Amounts are integer cents, dates ISO 8601. `PUT` creates or updates by the operator’s identifier: 201 created, 200 updated, ' +
      '200 with `"unchanged": true` when nothing changed. Lists page with `?cursor=&limit=` and answer `{ items, next_cursor }`.',
  },
  servers: [{ url: server }],
  components: { securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer', description: 'An API key, `pk_live_…`, made in the back office.' } } },
  security: [{ bearer: [] }],
});

const apiArea: FastifyPluginAsync<ApiAreaOptions> = async (area, { routes }) => {
  let openapi: (() => unknown) | undefined;

  await area.register(
    async (v1) => {
      await v1.register(swagger, { openapi: openapiHead(publicUrl(area.config, API_PREFIX)), transform: jsonSchemaTransform });
      v1.setValidatorCompiler(apiValidatorCompiler);
      v1.setSerializerCompiler(serializerCompiler);
      v1.decorateRequest('apiClient', {
        getter(this: FastifyRequest) {
          const principal = principals.get(this);
          if (!principal) throw new Error('req.apiClient read outside an API route');
          return principal;
        },
      });
      v1.addHook('onRequest', guardOf(rateLimiter(area.clock)));
      const listed: { method: string; url: string; scope: ApiScope }[] = [];
      routesOf.set(area.server, listed);
      v1.addHook('onRoute', (route) => {
        const scope = route.config?.apiScope;
        if (!scope || !isApiScope(scope)) throw new Error(`API route ${String(route.method)} ${route.url} declares no apiScope`);
        // Problem+json errors, no CSRF token (no cookie authenticates it), the scope in the document.
        route.config = { ...route.config, api: true, csrf: false };
        route.schema = { ...route.schema, security: [{ bearer: [scope] }], 'x-scope': scope } as typeof route.schema;
        for (const method of [route.method].flat()) if (method !== 'HEAD') listed.push({ method, url: route.url, scope });
      });
      v1.setNotFoundHandler((req, reply) => {
        req.lang = 'en';
        return sendProblem(req, reply, new AppError('api_not_found'));
      });
      for (const plugin of routes) await v1.register(plugin);
      openapi = () => v1.swagger();
    },
    { prefix: '/v1' },
  );

  const documentOf = () => {
    if (!openapi) throw new Error('the API document is read before the API area is ready');
    return openapi() as Parameters<typeof ApiDocsPage>[0]['document'];
  };

  // The document, public: integrators read it before they hold a key.
  area.get('/openapi.json', { config: { api: true } }, async (_req, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(documentOf())));

  // The reference page, rendered here from the document (no script: the CSP forbids inline ones).
  area.get('/docs', async (req, reply) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('api.docs.title'), ApiDocsPage({ ctx, document: documentOf() }));
  });
};

export default apiArea;
