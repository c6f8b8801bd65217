import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../tests/support/app.ts';
import { loggedInStaff } from '../../tests/support/staff.ts';
import { staffAreaRoutes } from './staff-area.ts';

/*
 * Security bar S3: every back-office route, as each audience — a visitor, a customer, an
 * agent, an admin. The route list is the staff area's own (`staffAreaRoutes`), so a route
 * added later is walked too. Path parameters get a value that names nothing: what is checked
 * is who gets past the guard, not what the page then finds.
 */

const sample = (url: string) => url.replace(/:[A-Za-z_]+/g, 'X0000000');
const isLoginRedirect = (status: number, location: unknown) => status === 302 && typeof location === 'string' && location.startsWith('/gestion/connexion');

describe.each(databaseKinds())('who reaches each back-office route (%s)', (kind) => {
  const t = useTestApp(kind);

  it('has routes for every audience, public pages apart', () => {
    const routes = staffAreaRoutes(t.app);
    expect(routes.filter((r) => r.access === 'agent').length).toBeGreaterThan(0);
  });

  it('sends a visitor and a customer to the staff login on every route but the public ones', async () => {
    const visitor = new Browser(t.app, '198.51.100.211');
    const { b: customer } = await loggedInCustomer(t, '198.51.100.212');
    for (const route of staffAreaRoutes(t.app).filter((r) => r.access !== 'public')) {
      for (const b of [visitor, customer]) {
        const res = route.method === 'GET' ? await b.get(sample(route.url)) : await b.post(sample(route.url), {});
        expect(isLoginRedirect(res.statusCode, res.headers.location), `${route.method} ${route.url}: ${res.statusCode} ${res.headers.location}`).toBe(true);
      }
    }
  });

  it('refuses every admin route to an agent (403, audited) and lets an admin past the guard', async () => {
    const { b: agent, staff } = await loggedInStaff(t, '198.51.100.213', 'agent');
    const { b: admin } = await loggedInStaff(t, '198.51.100.214', 'admin');
    const adminRoutes = staffAreaRoutes(t.app).filter((r) => r.access === 'admin');
    for (const route of adminRoutes) {
      const url = sample(route.url);
      const refused = route.method === 'GET' ? await agent.get(url) : await agent.post(url, {});
      expect(refused.statusCode, `${route.method} ${route.url} as an agent`).toBe(403);
      // Refused in the staff frame, with its way out.
      expect(refused.body).toContain('action="/gestion/deconnexion"');
      if (route.method === 'GET') {
        const allowed = await admin.get(url);
        expect([200, 302, 303, 404], `${route.method} ${route.url} as an admin`).toContain(allowed.statusCode);
        expect(isLoginRedirect(allowed.statusCode, allowed.headers.location)).toBe(false);
      }
    }
    const denials = await t.db.selectFrom('audit_log').select('action').where('actor_id', '=', staff.id).where('outcome', '=', 'denied').execute();
    expect(denials.length).toBe(adminRoutes.length);
  });

  it('lets an agent past the guard on every agent route', async () => {
    const { b: agent } = await loggedInStaff(t, '198.51.100.215', 'agent');
    for (const route of staffAreaRoutes(t.app).filter((r) => r.access === 'agent' && r.method === 'GET')) {
      const res = await agent.get(sample(route.url));
      expect([200, 302, 303, 404], `${route.method} ${route.url}: ${res.statusCode}`).toContain(res.statusCode);
      expect(isLoginRedirect(res.statusCode, res.headers.location), `${route.url} sent an agent to the login`).toBe(false);
    }
  });
});
