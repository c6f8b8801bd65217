import { findStaffSession } from '../features/staff/staff.sessions.js';
import { audit, requestMeta } from '../lib/audit.js';
import { AppError } from '../lib/errors.js';
import { withSuite } from '../lib/links.js';
import { localPath } from '../lib/validation.js';
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
export const isStaffUrl = (url) => url === STAFF_PREFIX || url.startsWith(`${STAFF_PREFIX}/`) || url.startsWith(`${STAFF_PREFIX}?`);
const principals = new WeakMap();
const routesOf = new WeakMap();
/** Every route of the staff area of this app, with who it is for, for tests and docs. */
export const staffAreaRoutes = (app) => routesOf.get(app.server) ?? [];
/** The member logged in, for the layout; null on the public pages and outside the area. */
export const staffOf = (req) => principals.get(req) ?? null;
const askedPage = (req) => (req.method === 'GET' && localPath.safeParse(req.url).success ? req.url : null);
async function guard(req, reply) {
    const app = req.server;
    req.lang = 'fr';
    const token = req.cookies[app.staffCookie.name];
    let expired = false;
    if (token) {
        const found = await findStaffSession(app.db, app.clock, app.staffSessionPolicy, token);
        if (found && 'session' in found)
            req.staffSession = found.session;
        else {
            expired = found !== null;
            reply.clearCookie(app.staffCookie.name, app.staffCookie.options);
        }
    }
    const access = req.routeOptions.config.staffAccess ?? 'agent';
    if (access === 'public')
        return;
    const session = req.staffSession;
    if (!session)
        return reply.redirect(withSuite(`${STAFF_PREFIX}/connexion${expired ? '?expire' : ''}`, askedPage(req)));
    if (session.stage === 'second_factor') {
        if (access !== 'second_factor')
            return reply.redirect(`${STAFF_PREFIX}/verification`);
        return;
    }
    if (access === 'second_factor')
        return reply.redirect(STAFF_PREFIX);
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
const staffArea = async (area, { routes }) => {
    area.decorateRequest('staff', {
        getter() {
            const principal = principals.get(this);
            if (!principal)
                throw new Error('req.staff read outside a logged-in staff route');
            return principal;
        },
    });
    area.addHook('onRequest', guard);
    const listed = [];
    routesOf.set(area.server, listed);
    area.addHook('onRoute', (route) => {
        const access = route.config?.staffAccess ?? 'agent';
        for (const method of [route.method].flat())
            if (method !== 'HEAD')
                listed.push({ method, url: route.url, access });
    });
    for (const plugin of routes)
        await area.register(plugin);
};
export default staffArea;
//# sourceMappingURL=staff-area.js.map