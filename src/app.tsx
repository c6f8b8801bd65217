import { hkdfSync, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import cookie, { type CookieSerializeOptions } from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { compile as compileProxyTrust } from '@fastify/proxy-addr';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { Language } from './db/schema.ts';
import customerArea from './areas/customer-area.ts';
import staffArea, { STAFF_PREFIX, isStaffUrl } from './areas/staff-area.ts';
import apiArea, { API_ROOT, isApiUrl } from './areas/api-area.ts';
import apiClientsRoutes from './features/api-clients/api-clients.routes.tsx';
import customersApiRoutes from './features/customers/customers.api.ts';
import carParksApiRoutes from './features/settings/car-parks.api.ts';
import contractsApiRoutes from './features/contracts/contracts.api.ts';
import exitsApiRoutes from './features/statements/exits.api.ts';
import documentsApiRoutes from './features/documents/documents.api.ts';
import paymentsApiRoutes from './features/payments/payments.api.ts';
import feedsApiRoutes from './features/feeds/feeds.api.ts';
import staffRoutes from './features/staff/staff.routes.tsx';
import directDebitBackofficeRoutes from './features/direct-debit/direct-debit.backoffice.routes.tsx';
import documentsBackofficeRoutes from './features/documents/documents.backoffice.routes.tsx';
import mailBackofficeRoutes from './features/mail/mail.backoffice.routes.tsx';
import renewalsBackofficeRoutes from './features/renewals/renewals.backoffice.routes.tsx';
import customerActionsRoutes, { staffViewExitRoutes } from './features/customers/customers.actions.routes.tsx';
import lettersRoutes from './features/letters/letters.routes.tsx';
import customersBackOfficeRoutes from './features/customers/customers.backoffice.routes.tsx';
import activationRoutes from './features/auth/activation.routes.tsx';
import authRoutes from './features/auth/auth.routes.tsx';
import passwordResetRoutes from './features/auth/reset.routes.tsx';
import emailVerificationRoutes from './features/auth/verify.routes.tsx';
import usersRoutes, { userLinkRoutes, usersBackofficeRoutes } from './features/users/users.routes.tsx';
import contactRoutes, { contactPageRoutes } from './features/contact/contact.routes.tsx';
import contactBackofficeRoutes from './features/contact/contact.backoffice.routes.tsx';
import directDebitRoutes from './features/direct-debit/direct-debit.routes.tsx';
import badgesRoutes, { badgesBackofficeRoutes } from './features/badges/badges.routes.tsx';
import newsletterRoutes from './features/newsletter/newsletter.routes.tsx';
import pagesRoutes from './features/pages/pages.routes.tsx';
import { providerFromConfig } from './features/payments/payments.providers.ts';
import type { PaymentProvider } from './features/payments/payments.provider.ts';
import paymentsRoutes, { paymentWebhookRoutes, sandboxRoutes } from './features/payments/payments.routes.tsx';
import { type Session, type SessionPolicy, csrfBindingOfPost, findSession, sessionPolicy } from './features/auth/sessions.ts';
import type { ThrottlePolicy } from './features/auth/throttle.ts';
import accountRoutes from './features/account/account.routes.tsx';
import contractsRoutes from './features/contracts/contracts.routes.tsx';
import terminationsRoutes, { terminationPageRoutes } from './features/terminations/terminations.routes.tsx';
import terminationsBackofficeRoutes from './features/terminations/terminations.backoffice.routes.tsx';
import profileRoutes from './features/profile/profile.routes.tsx';
import mydataRoutes from './features/mydata/mydata.routes.tsx';
import statementsRoutes from './features/statements/statements.routes.tsx';
import publicRoutes from './features/public/public.routes.tsx';
import opsRoutes from './features/ops/ops.routes.ts';
import { type Metrics, UNMATCHED_ROUTE, createMetrics } from './features/ops/ops.metrics.ts';
import settingsRoutes, { themeRoutes } from './features/settings/settings.routes.tsx';
import auditRoutes from './features/audit/audit.routes.tsx';
import vehiclesRoutes from './features/vehicles/vehicles.routes.tsx';
import vehiclesBackofficeRoutes from './features/vehicles/vehicles.backoffice.routes.tsx';
import { operatorSettings } from './features/settings/settings.queries.ts';
import type { OperatorSettings } from './features/settings/settings.rules.ts';
import { seedOperatorSettings } from './features/settings/settings.service.ts';
import { type Clock, MINUTE, systemClock } from './lib/clock.ts';
import { errorHandling, frameworkErrors } from './lib/error-handler.tsx';
import { AppError } from './lib/errors.ts';
import { type ContentStore, contentStore } from './lib/content-store.ts';
import { isLanguage } from './lib/i18n.ts';
import { csrfField } from './lib/validation.ts';
import { RenderedCache } from './lib/rendered-cache.ts';
import { withoutTokens } from './lib/tokens.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    clock: Clock;
    sessionPolicy: SessionPolicy;
    throttlePolicy: ThrottlePolicy;
    sessionCookie: { name: string; options: CookieSerializeOptions };
    staffSessionPolicy: SessionPolicy;
    staffCookie: { name: string; options: CookieSerializeOptions };
    storage: ContentStore;
    paymentProvider: PaymentProvider;
    /** The operator's settings (`features/settings`), as read for the request in hand. */
    operator: OperatorSettings;
    /**
     * `draining` from SIGTERM for SHUTDOWN_DRAIN_SECONDS: `/readyz` answers 503 so that the load
     * balancer stops sending, every other request is still served; then `closing`: what is in
     * flight finishes, anything new is refused and each response closes its connection.
     */
    lifecycle: { state: 'serving' | 'draining' | 'closing' };
    /** Rendered pages kept under keys naming what they show (PAGE_CACHE_MB; decision 016). */
    renderedPages: RenderedCache;
    /** This app's Prometheus metrics (`features/ops/`). */
    metrics: Metrics;
  }
  interface FastifyRequest {
    lang: Language;
    session: Session | null;
    sessionExpired: boolean;
  }
  interface FastifyContextConfig {
    /** `false`: the route does not take the form's CSRF token (signed webhooks, the key-authenticated API). */
    csrf?: boolean;
  }
}

export interface AppDeps {
  config: Config;
  db: Db;
  clock?: Clock;
  /** Where document PDFs (and signed mandates) live; by default `contentStore(config, 'documents')`. */
  storage?: ContentStore;
  /** By default the one PAYMENT_PROVIDER names. */
  paymentProvider?: PaymentProvider;
  /** Where the log's lines go (standard output by default): tests read them. */
  logStream?: { write(line: string): void };
}

/** An incoming `X-Request-Id` kept as the request's id: a proxy's or a load balancer's, of a sane shape. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

/**
 * The request's id (`req.id`, `reqId` on each of its log lines, the `X-Request-Id` answered):
 * the one it came with if well-formed and sent by a proxy TRUST_PROXY names (a client could
 * otherwise give another customer's reference to its own requests), else a new UUID.
 */
function requestIds(trustProxy: false | string[]): (raw: IncomingMessage) => string {
  const trusted = trustProxy ? compileProxyTrust(trustProxy) : () => false;
  return (raw) => {
    const header = raw.headers['x-request-id'];
    return typeof header === 'string' && REQUEST_ID.test(header) && trusted(raw.socket.remoteAddress ?? '', 0) ? header : randomUUID();
  };
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp({ config, db, clock = systemClock, storage = contentStore(config, 'documents'), paymentProvider, logStream }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Request logs carry method, URL and status: never bodies, cookies or passwords (L1).
    // A URL is written without the tokens it may hold (an e-mailed link's, or one in `?suite=`).
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.LOG_LEVEL,
            ...(logStream ? { stream: logStream } : {}),
            serializers: {
              req: (req: FastifyRequest) => ({ method: req.method, url: withoutTokens(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
            },
          },
    // Every line of a request's log carries its id (`reqId`), shown to the user with any error.
    requestIdHeader: false,
    genReqId: requestIds(config.TRUST_PROXY),
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    // While closing, requests still arriving on open connections get the table's 503 page
    // (the hook below), with the security headers, not Fastify's bare JSON.
    return503OnClosing: false,
    // A URL Fastify cannot decode gets the portal's 400 page, not Fastify's JSON.
    frameworkErrors,
  });

  // ---- infrastructure: configuration, database, clock, policies
  app.decorate('config', config);
  app.decorate('db', db);
  app.decorate('clock', clock);
  app.decorate('storage', storage);
  app.decorate('lifecycle', { state: 'serving' });
  app.decorate('renderedPages', new RenderedCache(config.PAGE_CACHE_MB * 2 ** 20));
  // ---- operations (`features/ops/`): the request's id answered, the metrics of each answer
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.decorate('metrics', createMetrics(db, clock));
  app.addHook('onResponse', async (req, reply) => {
    if (!req.routeOptions.config?.probe) app.metrics.httpRequest(req.routeOptions.url ?? UNMATCHED_ROUTE, req.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => app.metrics.close());
  // The operator's settings are data: the environment's at the first start, then an admin's.
  // Read once per request (one row by its key), so that a change saved by any process shows
  // at once; the last read serves what is answered before the hooks run (a URL that does not
  // decode) and when the read fails.
  await seedOperatorSettings(db, clock, config);
  let operator = await operatorSettings(db, config);
  app.decorate('operator', { getter: () => operator });
  // While shutting down, each response closes its keep-alive connection, so that the server
  // can finish as soon as the requests in flight are answered (R3).
  app.addHook('onSend', async (_req, reply) => {
    if (app.lifecycle.state === 'closing') reply.header('connection', 'close');
  });
  app.decorate('paymentProvider', paymentProvider ?? providerFromConfig(db, clock, config));
  app.decorate('sessionPolicy', sessionPolicy(config.SESSION_IDLE_MINUTES, config.SESSION_ABSOLUTE_HOURS));
  app.decorate('throttlePolicy', {
    maxPerLogin: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
    windowMs: config.LOGIN_WINDOW_MINUTES * MINUTE,
    maxLockMs: config.LOGIN_LOCK_MAX_MINUTES * MINUTE,
  });
  const cookieBase: CookieSerializeOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: config.cookieSecure };
  // `__Host-` pins the cookie to this host and path / and requires Secure (S2).
  const cookieName = (name: string) => (config.cookieSecure ? `__Host-${name}` : name);
  app.decorate('sessionCookie', { name: cookieName('portal_session'), options: cookieBase });
  // The back office's own cookie: never sent on a request another site starts.
  app.decorate('staffSessionPolicy', sessionPolicy(config.STAFF_SESSION_IDLE_MINUTES, config.STAFF_SESSION_ABSOLUTE_HOURS));
  app.decorate('staffCookie', { name: cookieName('portal_staff'), options: { ...cookieBase, sameSite: 'strict' } });

  // ---- HTTP hardening (S2, L2)
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: { maxAge: 63072000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/static/')) reply.header('cache-control', 'no-store');
  });
  // Refused once the request is known (cookies, language), so the refusal is the table's page.
  app.addHook('preHandler', async (req) => {
    if (req.method === 'TRACE' || req.method === 'TRACK') throw new AppError('method_not_allowed', { headers: { allow: 'GET, HEAD, POST' } });
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(csrf, {
    cookieKey: cookieName('csrf'),
    cookieOpts: { ...cookieBase },
    getToken: (req) => csrfField.parse(req.body)._csrf,
    // Bound to the session when there is one (S2, `features/auth/sessions.ts`).
    getUserInfo: csrfBindingOfPost,
    csrfOpts: { hmacKey: Buffer.from(hkdfSync('sha256', config.mandateKey, Buffer.alloc(0), 'csrf-token', 32)) },
  });
  // Every state-changing request carries the form's CSRF token; a route can opt out only
  // explicitly (signed webhooks, the key-authenticated API), with `config: { csrf: false }`.
  app.addHook('preHandler', (req, reply, done) => {
    if (STATE_CHANGING.has(req.method) && req.routeOptions.config?.csrf !== false) return app.csrfProtection(req, reply, done);
    done();
  });

  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('../public/', import.meta.url)),
    prefix: '/static/',
    maxAge: '1h',
  });

  // ---- session and language, resolved once per request
  app.decorateRequest('session', null);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('staffSession', null);
  app.decorateRequest('lang', 'fr');
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/static/') || req.routeOptions.config?.probe) return;
    // The API (`/api/v1`) is programs': no session is looked up there, its words are English,
    // and none of its answers shows the operator's settings. The back office (`/gestion`) has
    // its own session (its area's guard): a customer's is not looked up there either.
    const api = isApiUrl(req.url);
    const token = api || isStaffUrl(req.url) ? undefined : req.cookies[app.sessionCookie.name];
    if (token) {
      const found = await findSession(db, clock, app.sessionPolicy, token);
      if (found && 'session' in found) req.session = found.session;
      else {
        req.sessionExpired = found !== null;
        reply.clearCookie(app.sessionCookie.name, app.sessionCookie.options);
      }
    }
    if (!api) {
      operator = await operatorSettings(db, config).catch((e: unknown) => {
        req.log.warn({ err: e }, 'operator settings not read: the last ones read serve');
        return operator;
      });
    }
    const chosen = req.cookies.lang;
    req.lang = api ? 'en' : isLanguage(chosen) ? chosen : (req.session?.customer.language ?? 'fr');
  });

  // While shutting down (R3): what is in flight finishes, anything new is refused — but the
  // probes, which say it themselves (`/readyz` 503, `/healthz` still alive).
  app.addHook('onRequest', async (req) => {
    if (app.lifecycle.state === 'closing' && !req.routeOptions.config?.probe) throw new AppError('unavailable');
  });

  // ---- one place where errors become pages or problem+json (`lib/errors.ts` is the table)
  errorHandling(app);

  // ---- operations: the probes and /metrics, for machines (`features/ops/`)
  await app.register(opsRoutes);

  // ---- public pages: anyone, logged in or not
  await app.register(publicRoutes);
  await app.register(pagesRoutes);
  await app.register(newsletterRoutes);
  await app.register(authRoutes);
  await app.register(passwordResetRoutes);
  await app.register(emailVerificationRoutes);
  await app.register(userLinkRoutes);
  await app.register(contactPageRoutes);
  await app.register(terminationPageRoutes);
  await app.register(sandboxRoutes);
  await app.register(staffViewExitRoutes);
  await app.register(themeRoutes);

  // ---- the customer area: one guard, a typed `req.customer` (areas/customer-area.ts)
  await app.register(customerArea, {
    routes: [activationRoutes, profileRoutes, contractsRoutes, terminationsRoutes, accountRoutes, statementsRoutes, contactRoutes, paymentsRoutes, directDebitRoutes, vehiclesRoutes, badgesRoutes, mydataRoutes, usersRoutes],
  });

  // ---- the back office: its own login and session, a typed `req.staff` (areas/staff-area.ts)
  await app.register(staffArea, {
    prefix: STAFF_PREFIX,
    routes: [
      staffRoutes,
      customersBackOfficeRoutes,
      customerActionsRoutes,
      lettersRoutes,
      contactBackofficeRoutes,
      directDebitBackofficeRoutes,
      terminationsBackofficeRoutes,
      vehiclesBackofficeRoutes,
      badgesBackofficeRoutes,
      documentsBackofficeRoutes,
      mailBackofficeRoutes,
      renewalsBackofficeRoutes,
      settingsRoutes,
      auditRoutes,
      apiClientsRoutes,
      usersBackofficeRoutes,
    ],
  });

  // ---- the operator's API: a key per request, a typed `req.apiClient` (areas/api-area.ts);
  // `/api/openapi.json` and `/api/docs` beside it, public
  await app.register(apiArea, {
    prefix: API_ROOT,
    routes: [customersApiRoutes, carParksApiRoutes, contractsApiRoutes, exitsApiRoutes, documentsApiRoutes, paymentsApiRoutes, feedsApiRoutes],
  });

  // ---- webhooks: signed by their sender, outside every area
  await app.register(paymentWebhookRoutes);

  return app;
}
