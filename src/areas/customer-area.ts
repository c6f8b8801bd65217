import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../db/schema.ts';
import type { StaffViewer } from '../features/auth/sessions.ts';
import { audit, requestMeta, setActingUser } from '../lib/audit.ts';
import type { CurrentUser } from '../lib/nav.ts';
import { type CustomerRole, DEFAULT_CUSTOMER_ROLE, roleReaches } from '../features/users/users.rules.ts';
import { AppError } from '../lib/errors.ts';
import { withSuite } from '../lib/links.ts';
import { localPath } from '../lib/validation.ts';

/**
 * The customer area: every page of a logged-in customer is registered inside it, and only
 * there. Its one guard (security bar A1, S1) turns the request's session into a typed
 * principal, `req.customer`, before anything else runs — before the body is even read:
 *
 * - no session → the login page (`?expire` when the session just ran out);
 * - an activation session (opened by a temporary password) reaches the routes that declare
 *   `config: { customerLogin: 'activation' }` — the first-login form — and nothing else;
 * - either way, a page asked for (a GET) goes with the redirect as `?suite=`: the login and
 *   first-login forms lead on to it (a deep link from an e-mail or the footer is not lost);
 * - a full session reaches every other route, never the first-login form;
 * - a staff member's read-only view of the customer (a `staff_view` session, opened from the
 *   back office) reaches the same pages, each view audited, and posts nothing: every
 *   state-changing request is refused with the 403 page (and audited) before its body is read;
 * - a user of a business account (a session with a `user_id`) reaches the routes its role is
 *   allowed: each route names the least role it is for (`config: { customerRole }`: `accountant`,
 *   `manager` — what it is when the route says nothing — or `owner`); any other is refused with
 *   the 403 page (`role_forbidden`) and audited, before its body is read. Every audit entry of a
 *   user's request names them (`requestMeta`).
 *
 * Routes inside read `req.customer` (never `req.session`); customer data is always selected
 * by `req.customer.id`, never by an id from the request. A staff area is the same pattern
 * with its own session and principal.
 */

export type CustomerLogin = 'active' | 'activation';

/** Who is asking, as the customer area knows them. */
export interface CustomerPrincipal {
  id: string;
  number: string;
  displayName: string;
  language: Language;
  hasPetitRouleur: boolean;
  /** `activation`: logged in with a temporary password, which opens the first-login form only. */
  login: CustomerLogin;
  /** The session's token hash, to end it. */
  sessionTokenHash: string;
  /** Set when a staff member is looking at the customer's pages: read-only, nothing posted. */
  viewedBy: StaffViewer | null;
  /** Who is acting: the owner (`id` null, role `owner`; a staff member's view too), or a user of the account. */
  user: CurrentUser;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The customer of a request inside the customer area (set by its guard; absent elsewhere). */
    customer: CustomerPrincipal;
  }
  interface FastifyContextConfig {
    /** Which login a customer-area route is for: `activation` for the first-login form only. */
    customerLogin?: CustomerLogin;
    /** The least role of a business account's users a customer-area route is for (`manager` when absent; `owner`: the owner alone). */
    customerRole?: CustomerRole;
  }
}

export interface CustomerAreaOptions {
  /** The feature plugins whose routes are customer pages. */
  routes: FastifyPluginAsync[];
}

const principals = new WeakMap<FastifyRequest, CustomerPrincipal>();
const routesOf = new WeakMap<object, CustomerAreaRoute[]>(); // by the app's HTTP server

/** A route of the customer area: method, URL pattern and the least role it is for. */
export interface CustomerAreaRoute {
  method: string;
  url: string;
  role: CustomerRole;
}

/** Every route inside the customer area of this app (method and URL pattern), for tests and docs. */
export const customerAreaRoutes = (app: FastifyInstance) => routesOf.get(app.server) ?? [];

/**
 * The page a GET asked for, to go on to after logging in: not a form posted (it is not
 * replayed), nor the first-login form (where a login leads anyway).
 */
const askedPage = (req: FastifyRequest) =>
  req.method === 'GET' && !req.routeOptions.config.customerLogin && localPath.safeParse(req.url).success ? req.url : null;

async function guard(req: FastifyRequest, reply: FastifyReply) {
  const session = req.session;
  if (!session) return reply.redirect(withSuite(req.sessionExpired ? '/connexion?expire' : '/connexion', askedPage(req)));
  const wanted: CustomerLogin = req.routeOptions.config.customerLogin ?? 'active';
  const login: CustomerLogin = session.kind === 'activation' ? 'activation' : 'active';
  if (login !== wanted) return reply.redirect(login === 'activation' ? withSuite('/premiere-connexion', askedPage(req)) : '/profil');
  if (session.viewedBy) await staffViewing(req, session.customer.id, session.viewedBy);
  const { user } = session.customer;
  if (user.id) {
    setActingUser(req, { id: user.id, name: user.name });
    await checkRole(req, session.customer.id, user.role);
  }
  principals.set(req, { ...session.customer, login, sessionTokenHash: session.tokenHash, viewedBy: session.viewedBy });
}

/** The least role a route is for: what it declares, else the default (an accountant is allowed only what is said). */
export const routeRole = (config: { customerRole?: CustomerRole }): CustomerRole => config.customerRole ?? DEFAULT_CUSTOMER_ROLE;

/** A user of a business account asking for what their role does not reach: refused (403) and audited. */
async function checkRole(req: FastifyRequest, customerId: string, role: CustomerRole) {
  const least = routeRole(req.routeOptions.config);
  if (roleReaches(role, least)) return;
  await audit(req.server.db, req.server.clock, {
    actor_type: 'customer',
    actor_id: customerId,
    action: 'customer.user.denied',
    outcome: 'denied',
    target_type: 'customer',
    target_id: customerId,
    ...requestMeta(req),
    details: { method: req.method, path: req.url.split('?')[0], role, required: least },
  });
  throw new AppError('role_forbidden');
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A staff member's read-only view: each page audited; anything else refused (403) and audited. */
async function staffViewing(req: FastifyRequest, customerId: string, viewer: StaffViewer) {
  const read = READS.has(req.method);
  await audit(req.server.db, req.server.clock, {
    actor_type: 'staff',
    actor_id: viewer.staffId,
    action: read ? 'customer.staff_view.page' : 'customer.staff_view.write',
    outcome: read ? 'success' : 'denied',
    target_type: 'customer',
    target_id: customerId,
    ...requestMeta(req),
    details: { method: req.method, path: req.url.split('?')[0] },
  });
  if (!read) throw new AppError('read_only_view');
}

const customerArea: FastifyPluginAsync<CustomerAreaOptions> = async (area, { routes }) => {
  // Decorated in this scope only: outside the area, a request has no customer at all.
  area.decorateRequest('customer', {
    getter(this: FastifyRequest) {
      const principal = principals.get(this);
      if (!principal) throw new Error('req.customer read before the customer-area guard');
      return principal;
    },
  });
  area.addHook('onRequest', guard);
  const listed: CustomerAreaRoute[] = [];
  routesOf.set(area.server, listed);
  area.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') listed.push({ method, url: route.url, role: routeRole(route.config ?? {}) });
  });
  for (const plugin of routes) await area.register(plugin);
};

export default customerArea;
