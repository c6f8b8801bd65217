import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../tests/support/app.ts';
import { createStaffMember, loggedInStaff, staffLoginThroughForms } from '../../tests/support/staff.ts';
import { createStaffSession } from '../features/staff/staff.sessions.ts';
import { MINUTE } from '../lib/clock.ts';
import { staffAreaRoutes } from './staff-area.ts';

describe.each(databaseKinds())('the staff area (%s)', (kind) => {
  const t = useTestApp(kind);

  /** Every route of the area with this access, as a request: parameters filled with an id. */
  const routes = (access: (a: string) => boolean) =>
    staffAreaRoutes(t.app)
      .filter((r) => access(r.access))
      .map((r) => ({ ...r, path: r.url.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000') }));
  const call = (b: Browser, r: { method: string; path: string }) => (r.method === 'GET' ? b.get(r.path) : b.post(r.path, {}));

  it('sends a visitor and a customer to the staff login from every route that is not public: a customer session never reaches /gestion', async () => {
    const visitor = new Browser(t.app, '198.51.100.201');
    const { b: customer } = await loggedInCustomer(t, '198.51.100.202');
    const guarded = routes((a) => a !== 'public');
    expect(guarded.length).toBeGreaterThan(8);
    for (const r of guarded) {
      for (const b of [visitor, customer]) {
        const res = await call(b, r);
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(302);
        expect(res.headers.location, `${r.method} ${r.url}`).toMatch(/^\/gestion\/connexion(\?|$)/);
      }
    }
    // On the public pages a customer is a visitor: the login form, nobody logged in.
    const login = await customer.get('/gestion/connexion');
    expect(login.statusCode).toBe(200);
    expect(login.body).not.toContain('/gestion/deconnexion');
    expect(login.body).not.toContain('/deconnexion');
  });

  it('lets a half-open session (password right, code to come) reach the code page only', async () => {
    const member = await createStaffMember(t.db, t.clock, { role: 'admin' });
    const token = await createStaffSession(t.db, t.clock, t.app.staffSessionPolicy, member.id, 'second_factor', { ip: '198.51.100.205', user_agent: 'test' });
    const b = new Browser(t.app, '198.51.100.205');
    b.cookies.set(t.app.staffCookie.name, token);
    for (const r of routes((a) => a === 'agent' || a === 'admin')) {
      const res = await call(b, r);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(302);
      expect(res.headers.location, `${r.method} ${r.url}`).toBe('/gestion/verification');
    }
    expect(routes((a) => a === 'second_factor').map((r) => `${r.method} ${r.url}`)).toEqual(['GET /gestion/verification', 'POST /gestion/verification']);
    expect((await b.get('/gestion/verification')).statusCode).toBe(200);
    // And a full session has nothing to do there.
    const { b: full } = await loggedInStaff(t, '198.51.100.206', 'agent');
    expect((await full.get('/gestion/verification')).headers.location).toBe('/gestion');
  });

  it('ends a staff session idle for STAFF_SESSION_IDLE_MINUTES, while the customer session of the same browser, on its own timeout, lives on', async () => {
    expect(t.config.STAFF_SESSION_IDLE_MINUTES).toBeLessThan(t.config.SESSION_IDLE_MINUTES);
    const { b: customer } = await loggedInCustomer(t, '198.51.100.207');
    const { b } = await staffLoginThroughForms(t, '198.51.100.207', 'admin');
    for (const [name, value] of customer.cookies) b.cookies.set(name, value);
    expect((await b.get('/gestion/equipe')).statusCode).toBe(200);
    expect((await b.get('/profil')).statusCode).toBe(200);

    // Busy: each request keeps it alive.
    t.clock.advance((t.config.STAFF_SESSION_IDLE_MINUTES - 1) * MINUTE);
    expect((await b.get('/gestion/equipe')).statusCode).toBe(200);
    t.clock.advance((t.config.STAFF_SESSION_IDLE_MINUTES - 1) * MINUTE);
    expect((await b.get('/gestion/equipe')).statusCode).toBe(200);
    expect((await b.get('/profil')).statusCode).toBe(200);

    // Idle for its timeout: the staff session is over; the customer's, idle as long, is not.
    t.clock.advance(t.config.STAFF_SESSION_IDLE_MINUTES * MINUTE);
    const expired = await b.get('/gestion/equipe');
    expect(expired.statusCode).toBe(302);
    expect(expired.headers.location).toBe('/gestion/connexion?expire&suite=/gestion/equipe');
    expect(b.cookies.has(t.app.staffCookie.name)).toBe(false);
    expect((await b.get(String(expired.headers.location))).body).toContain('Votre session a expiré');
    expect((await b.get('/profil')).statusCode).toBe(200);
  });

  it('keeps the staff session in a cookie of its own: HttpOnly, SameSite=Strict, not the customers’', async () => {
    const { b: customer } = await loggedInCustomer(t, '198.51.100.208');
    const customerCookie = [...customer.cookies.keys()].find((n) => n.includes('portal_session'));
    expect(customerCookie).toBe(t.app.sessionCookie.name);

    const member = await staffLoginThroughForms(t, '198.51.100.209', 'agent');
    // The cookie the login sets, as a browser receives it.
    const again = new Browser(t.app, '198.51.100.210');
    const res = await again.submit('/gestion/connexion', '/gestion/connexion', { email: member.staff.email, password: member.password });
    const set = res.cookies.find((c) => c.name === t.app.staffCookie.name)!;
    expect(set.name).not.toBe(t.app.sessionCookie.name);
    expect(set.httpOnly).toBe(true);
    expect(set.sameSite).toBe('Strict');
    expect(set.path).toBe('/');
    // A staff token in the customers' cookie opens nothing, neither here nor there.
    const swapped = new Browser(t.app, '198.51.100.211');
    swapped.cookies.set(t.app.sessionCookie.name, member.b.cookies.get(t.app.staffCookie.name)!);
    expect((await swapped.get('/gestion/equipe')).headers.location).toMatch(/^\/gestion\/connexion/);
    expect((await swapped.get('/profil')).headers.location).toMatch(/^\/connexion/);
  });
});
