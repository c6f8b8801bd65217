import { hkdfSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookie, {} from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, {} from 'fastify';
import customerArea from './areas/customer-area.js';
import staffArea, { STAFF_PREFIX, isStaffUrl } from './areas/staff-area.js';
import apiArea, { API_ROOT, isApiUrl } from './areas/api-area.js';
import apiClientsRoutes from './features/api-clients/api-clients.routes.js';
import customersApiRoutes from './features/customers/customers.api.js';
import carParksApiRoutes from './features/settings/car-parks.api.js';
import contractsApiRoutes from './features/contracts/contracts.api.js';
import exitsApiRoutes from './features/statements/exits.api.js';
import documentsApiRoutes from './features/documents/documents.api.js';
import paymentsApiRoutes from './features/payments/payments.api.js';
import feedsApiRoutes from './features/feeds/feeds.api.js';
import staffRoutes from './features/staff/staff.routes.js';
import directDebitBackofficeRoutes from './features/direct-debit/direct-debit.backoffice.routes.js';
import documentsBackofficeRoutes from './features/documents/documents.backoffice.routes.js';
import mailBackofficeRoutes from './features/mail/mail.backoffice.routes.js';
import customerActionsRoutes, { staffViewExitRoutes } from './features/customers/customers.actions.routes.js';
import lettersRoutes from './features/letters/letters.routes.js';
import customersBackOfficeRoutes from './features/customers/customers.backoffice.routes.js';
import activationRoutes from './features/auth/activation.routes.js';
import authRoutes from './features/auth/auth.routes.js';
import passwordResetRoutes from './features/auth/reset.routes.js';
import emailVerificationRoutes from './features/auth/verify.routes.js';
import contactRoutes, { contactPageRoutes } from './features/contact/contact.routes.js';
import contactBackofficeRoutes from './features/contact/contact.backoffice.routes.js';
import directDebitRoutes from './features/direct-debit/direct-debit.routes.js';
import newsletterRoutes from './features/newsletter/newsletter.routes.js';
import pagesRoutes from './features/pages/pages.routes.js';
import { providerFromConfig } from './features/payments/payments.providers.js';
import paymentsRoutes, { paymentWebhookRoutes, sandboxRoutes } from './features/payments/payments.routes.js';
import { csrfBindingOfPost, findSession, sessionPolicy } from './features/auth/sessions.js';
import accountRoutes from './features/account/account.routes.js';
import contractsRoutes from './features/contracts/contracts.routes.js';
import profileRoutes from './features/profile/profile.routes.js';
import statementsRoutes from './features/statements/statements.routes.js';
import publicRoutes from './features/public/public.routes.js';
import settingsRoutes, { themeRoutes } from './features/settings/settings.routes.js';
import auditRoutes from './features/audit/audit.routes.js';
import { operatorSettings } from './features/settings/settings.queries.js';
import { seedOperatorSettings } from './features/settings/settings.service.js';
import { MINUTE, systemClock } from './lib/clock.js';
import { errorHandling, frameworkErrors } from './lib/error-handler.js';
import { AppError } from './lib/errors.js';
import { contentStore } from './lib/content-store.js';
import { isLanguage } from './lib/i18n.js';
import { csrfField } from './lib/validation.js';
import { RenderedCache } from './lib/rendered-cache.js';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export async function buildApp({ config, db, clock = systemClock, storage = contentStore(config, 'documents'), paymentProvider }) {
    const app = Fastify({
        // Request logs carry method, URL and status: never bodies, cookies or passwords (L1).
        logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
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
    app.decorate('lifecycle', { closing: false });
    app.decorate('renderedPages', new RenderedCache(config.PAGE_CACHE_MB * 2 ** 20));
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
        if (app.lifecycle.closing)
            reply.header('connection', 'close');
    });
    app.decorate('paymentProvider', paymentProvider ?? providerFromConfig(db, clock, config));
    app.decorate('sessionPolicy', sessionPolicy(config.SESSION_IDLE_MINUTES, config.SESSION_ABSOLUTE_HOURS));
    app.decorate('throttlePolicy', {
        maxPerLogin: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
        windowMs: config.LOGIN_WINDOW_MINUTES * MINUTE,
        maxLockMs: config.LOGIN_LOCK_MAX_MINUTES * MINUTE,
    });
    const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax', secure: config.cookieSecure };
    // `__Host-` pins the cookie to this host and path / and requires Secure (S2).
    const cookieName = (name) => (config.cookieSecure ? `__Host-${name}` : name);
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
        if (!req.url.startsWith('/static/'))
            reply.header('cache-control', 'no-store');
    });
    // Refused once the request is known (cookies, language), so the refusal is the table's page.
    app.addHook('preHandler', async (req) => {
        if (req.method === 'TRACE' || req.method === 'TRACK')
            throw new AppError('method_not_allowed', { headers: { allow: 'GET, HEAD, POST' } });
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
        if (STATE_CHANGING.has(req.method) && req.routeOptions.config?.csrf !== false)
            return app.csrfProtection(req, reply, done);
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
        if (req.url.startsWith('/static/'))
            return;
        // The API (`/api/v1`) is programs': no session is looked up there, its words are English,
        // and none of its answers shows the operator's settings. The back office (`/gestion`) has
        // its own session (its area's guard): a customer's is not looked up there either.
        const api = isApiUrl(req.url);
        const token = api || isStaffUrl(req.url) ? undefined : req.cookies[app.sessionCookie.name];
        if (token) {
            const found = await findSession(db, clock, app.sessionPolicy, token);
            if (found && 'session' in found)
                req.session = found.session;
            else {
                req.sessionExpired = found !== null;
                reply.clearCookie(app.sessionCookie.name, app.sessionCookie.options);
            }
        }
        if (!api) {
            operator = await operatorSettings(db, config).catch((e) => {
                req.log.warn({ err: e }, 'operator settings not read: the last ones read serve');
                return operator;
            });
        }
        const chosen = req.cookies.lang;
        req.lang = api ? 'en' : isLanguage(chosen) ? chosen : (req.session?.customer.language ?? 'fr');
    });
    // While shutting down (R3): what is in flight finishes, anything new is refused.
    app.addHook('onRequest', async () => {
        if (app.lifecycle.closing)
            throw new AppError('unavailable');
    });
    // ---- one place where errors become pages or problem+json (`lib/errors.ts` is the table)
    errorHandling(app);
    // ---- public pages: anyone, logged in or not
    await app.register(publicRoutes);
    await app.register(pagesRoutes);
    await app.register(newsletterRoutes);
    await app.register(authRoutes);
    await app.register(passwordResetRoutes);
    await app.register(emailVerificationRoutes);
    await app.register(contactPageRoutes);
    await app.register(sandboxRoutes);
    await app.register(staffViewExitRoutes);
    await app.register(themeRoutes);
    // ---- the customer area: one guard, a typed `req.customer` (areas/customer-area.ts)
    await app.register(customerArea, {
        routes: [activationRoutes, profileRoutes, contractsRoutes, accountRoutes, statementsRoutes, contactRoutes, paymentsRoutes, directDebitRoutes],
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
            documentsBackofficeRoutes,
            mailBackofficeRoutes,
            settingsRoutes,
            auditRoutes,
            apiClientsRoutes,
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
//# sourceMappingURL=app.js.map