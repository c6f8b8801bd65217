import { describe, expect, it } from 'vitest';
import { Browser, loggedInBrowser, loggedInCustomer, useTestApp } from '../../tests/support/app.ts';
import { customerAreaRoutes } from './customer-area.ts';
import { newSubscriber } from '../../tests/support/factories.ts';

/** Every customer page, one URL each (ids that exist or not: the guard answers before the route). */
const customerPages = [
  '/profil',
  '/profil/adresses-email',
  '/contrats',
  '/contrats/15CTCARD125',
  '/mon-compte',
  '/mon-compte/documents/15FV25832.pdf',
  '/mon-compte/paiement',
  '/mon-compte/paiement/retour/00000000-0000-4000-8000-000000000000',
  '/mon-compte/paiements',
  '/decomptes',
  '/decomptes/15CTCARD125/2026-01',
  '/contact/demandes/DEM-2026-000001',
  '/prelevement',
  '/prelevement/formulaire.pdf',
  '/prelevement/mandat',
  '/prelevement/mandat/00000000-0000-4000-8000-000000000000/signature',
];

describe('the customer area (A1, S1)', () => {
  const t = useTestApp('sqlite');

  it('guards every route registered in the area, whatever its method', async () => {
    const routes = customerAreaRoutes(t.app);
    // The list is the area's own record of its routes: the pages below and every form they post to.
    expect(routes.length).toBeGreaterThanOrEqual(25);
    for (const p of customerPages) expect(routes.some((r) => r.method === 'GET' && new RegExp(`^${r.url.replace(/:[^/.]+/g, '[^/]+')}$`).test(p)), p).toBe(true);
    const visitor = new Browser(t.app, '203.0.113.64');
    for (const { method, url } of routes) {
      const path = url.replace(/:[^/.]+/g, 'x1');
      const res = method === 'GET' ? await visitor.get(path) : await visitor.post(path, {});
      // A page asked for is carried through the login (a local path); a form post is not.
      const expected = method === 'GET' && url !== '/premiere-connexion' ? `/connexion?suite=${path}` : '/connexion';
      expect([res.statusCode, res.headers.location], `${method} ${url}`).toEqual([302, expected]);
    }
  });

  it('sends a visitor to the login page from every customer page, with the page asked for, and from every form it posts to', async () => {
    const visitor = new Browser(t.app, '203.0.113.60');
    for (const url of customerPages) {
      const res = await visitor.get(url);
      expect([res.statusCode, res.headers.location], url).toEqual([302, `/connexion?suite=${url}`]);
    }
    // A query is kept, encoded; the first-login form, where a login leads anyway, is not carried.
    const filtered = await visitor.get('/mon-compte?type=invoice&annee=2025');
    expect(filtered.headers.location).toBe('/connexion?suite=/mon-compte%3Ftype%3Dinvoice%26annee%3D2025');
    expect((await visitor.get('/premiere-connexion')).headers.location).toBe('/connexion');
    // Before the body is read: a visitor's upload is never parsed, whatever its CSRF token.
    const posted = await visitor.post('/contact', { message: 'x' });
    expect([posted.statusCode, posted.headers.location]).toEqual([302, '/connexion']);
  });

  it('keeps an activation session (temporary password) on the first-login form', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = await loggedInBrowser(t.app, '203.0.113.61', customer.number, tempPassword);
    for (const url of customerPages) {
      const res = await b.get(url);
      expect([res.statusCode, res.headers.location], url).toEqual([302, `/premiere-connexion?suite=${url}`]);
    }
    const form = await b.get('/premiere-connexion');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(customer.number);
  });

  it('gives a full session every customer page but the first-login form', async () => {
    const { b } = await loggedInCustomer(t, '203.0.113.62');
    expect((await b.get('/profil')).statusCode).toBe(200);
    const res = await b.get('/premiere-connexion');
    expect([res.statusCode, res.headers.location]).toEqual([302, '/profil']);
  });

  it('says when the session has just expired', async () => {
    const { b } = await loggedInCustomer(t, '203.0.113.63');
    t.clock.advance(t.config.SESSION_IDLE_MINUTES * 60_000 + 1);
    const res = await b.get('/contrats');
    expect([res.statusCode, res.headers.location]).toEqual([302, '/connexion?expire&suite=/contrats']);
  });
});
