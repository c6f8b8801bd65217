import { audit, requestMeta } from '../lib/audit.js';
import { AppError } from '../lib/errors.js';
import { withSuite } from '../lib/links.js';
import { localPath } from '../lib/validation.js';
const principals = new WeakMap();
const routesOf = new WeakMap(); // by the app's HTTP server
/** Every route inside the customer area of this app (method and URL pattern), for tests and docs. */
export const customerAreaRoutes = (app) => routesOf.get(app.server) ?? [];
/**
 * The page a GET asked for, to go on to after logging in: not a form posted (it is not
 * replayed), nor the first-login form (where a login leads anyway).
 */
const askedPage = (req) => req.method === 'GET' && !req.routeOptions.config.customerLogin && localPath.safeParse(req.url).success ? req.url : null;
async function guard(req, reply) {
    const session = req.session;
    if (!session)
        return reply.redirect(withSuite(req.sessionExpired ? '/connexion?expire' : '/connexion', askedPage(req)));
    const wanted = req.routeOptions.config.customerLogin ?? 'active';
    const login = session.kind === 'activation' ? 'activation' : 'active';
    if (login !== wanted)
        return reply.redirect(login === 'activation' ? withSuite('/premiere-connexion', askedPage(req)) : '/profil');
    if (session.viewedBy)
        await staffViewing(req, session.customer.id, session.viewedBy);
    principals.set(req, { ...session.customer, login, sessionTokenHash: session.tokenHash, viewedBy: session.viewedBy });
}
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A staff member's read-only view: each page audited; anything else refused (403) and audited. */
async function staffViewing(req, customerId, viewer) {
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
    if (!read)
        throw new AppError('read_only_view');
}
const customerArea = async (area, { routes }) => {
    // Decorated in this scope only: outside the area, a request has no customer at all.
    area.decorateRequest('customer', {
        getter() {
            const principal = principals.get(this);
            if (!principal)
                throw new Error('req.customer read before the customer-area guard');
            return principal;
        },
    });
    area.addHook('onRequest', guard);
    const listed = [];
    routesOf.set(area.server, listed);
    area.addHook('onRoute', (route) => {
        for (const method of [route.method].flat())
            if (method !== 'HEAD')
                listed.push({ method, url: route.url });
    });
    for (const plugin of routes)
        await area.register(plugin);
};
export default customerArea;
//# sourceMappingURL=customer-area.js.map