import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../db/schema.ts';
import { type StaffSession, findStaffSession } from '../features/staff/staff.sessions.ts';
import { audit, requestMeta } from '../lib/audit.ts';
import { AppError } from '../lib/errors.ts';
import { withSuite } from '../lib/links.ts';
import { localPath } from '../lib/validation.ts';

/*
 * The back office (`/gestion`): every staff page is registered inside this area, and only
 * there. It is the customer area's pattern with its own session, cookie and principal: its
 * one guard turns the staff cookie's session into a typed `req.staff` before the body is read.
 * A customer's session means nothing here (a customer is a visitor of the back office).
 *
 * Routes say who they are for with `config: { staffAccess }`:
 * - `public`: the login and enrolment pages (anyone; no principal);
 * - `second_factor`: the code page, for a session whose password was right and whose code
 *   is still to come;
 * - `agent` (the default): any logged-in member — agents and admins;
 * - `admin`: admins only; an agent gets the 403 page, and the refusal is audited.
 *
 * Routes inside read `req.staff` (never the session); the back office is in French.
 */

export const STAFF_PREFIX = '/gestion';

/** Whether a URL is the back office's: its CSRF tokens are bound to the staff session. */
export const isStaffUrl = (url: string) => url === STAFF_PREFIX || url.startsWith(`${STAFF_PREFIX}/`) || url.startsWith(`${STAFF_PREFIX}?`);

export type StaffAccess = 'public' | 'second_factor' | 'agent' | 'admin';

/** Who is asking, as the staff area knows them. */
export interface StaffPrincipal {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  /** The session's token hash, to end it. */
  sessionTokenHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The staff member of a request inside the staff area (set by its guard; absent elsewhere). */
    staff: StaffPrincipal;
    /** The staff session a back-office request carries, at any stage (null outside `/gestion`). */
    staffSession: StaffSession | null;
  }
  interface FastifyContextConfig {
    /** Who a staff-area route is for (`agent` when not said). */
    staffAccess?: StaffAccess;
  }
}

export interface StaffAreaOptions {
  /** The feature plugins whose routes are back-office pages (registered under `/gestion`). */
  routes: FastifyPluginAsync[];
}

const principals = new WeakMap<FastifyRequest, StaffPrincipal>();
const routesOf = new WeakMap<object, { method: string; url: string; access: StaffAccess }[]>();

/** Every route of the staff area of this app, with who it is for, for tests and docs. */
export const staffAreaRoutes = (app: FastifyInstance) => routesOf.get(app.server) ?? [];

/** The member logged in, for the layout; null on the public pages and outside the area. */
export const staffOf = (req: FastifyRequest): StaffPrincipal | null => principals.get(req) ?? null;

const askedPage = (req: FastifyRequest) => (req.method === 'GET' && localPath.safeParse(req.url).success ? req.url : null);

async function guard(req: FastifyRequest, reply: FastifyReply) {
  const app = req.server;
  req.lang = 'fr';
  const token = req.cookies[app.staffCookie.name];
  let expired = false;
  if (token) {
    const found = await findStaffSession(app.db, app.clock, app.staffSessionPolicy, token);
    if (found && 'session' in found) req.staffSession = found.session;
    else {
      expired = found !== null;
      reply.clearCookie(app.staffCookie.name, app.staffCookie.options);
    }
  }
  const access: StaffAccess = req.routeOptions.config.staffAccess ?? 'agent';
  if (access === 'public') return;
  const session = req.staffSession;
  if (!session) return reply.redirect(withSuite(`${STAFF_PREFIX}/connexion${expired ? '?expire' : ''}`, askedPage(req)));
  if (session.stage === 'second_factor') {
    if (access !== 'second_factor') return reply.redirect(`${STAFF_PREFIX}/verification`);
    return;
  }
  if (access === 'second_factor') return reply.redirect(STAFF_PREFIX);
  // Known before the role is checked: a refusal is shown in the staff frame, with its way out.
  principals.set(req, { ...session.staff, sessionTokenHash: session.tokenHash });
  if (access === 'admin' && session.staff.role !== 'admin') {
    await audit(app.db, app.clock, {
      actor_type: 'staff',
      actor_id: session.staff.id,
      action: 'staff.admin_page',
      outcome: 'denied',
      ...requestMeta(req),
      details: { method: req.method, route: req.routeOptions.url },
    });
    throw new AppError('forbidden');
  }
}

const staffArea: FastifyPluginAsync<StaffAreaOptions> = async (area, { routes }) => {
  area.decorateRequest('staff', {
    getter(this: FastifyRequest) {
      const principal = principals.get(this);
      if (!principal) throw new Error('req.staff read outside a logged-in staff route');
      return principal;
    },
  });
  area.addHook('onRequest', guard);
  const listed: { method: string; url: string; access: StaffAccess }[] = [];
  routesOf.set(area.server, listed);
  area.addHook('onRoute', (route) => {
    const access = (route.config as { staffAccess?: StaffAccess } | undefined)?.staffAccess ?? 'agent';
    for (const method of [route.method].flat()) if (method !== 'HEAD') listed.push({ method, url: route.url, access });
  });
  for (const plugin of routes) await area.register(plugin);
};

export default staffArea;
