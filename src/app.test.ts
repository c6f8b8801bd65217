import { describe, expect, it } from 'vitest';
import { Browser, createTestApp, csrfToken, databaseKinds, useTestApp, withoutCsrfTokens } from '../tests/support/app.ts';
import { activeSubscriber } from '../tests/support/factories.ts';

describe.each(databaseKinds())('HTTP hardening (%s)', (kind) => {
  const t = useTestApp(kind);

  it('sends the security headers on every page (S2)', async () => {
    const res = await new Browser(t.app).get('/connexion');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  });

  it('answers requests that arrive while shutting down with the 503 page and the security headers (R3, L2)', async () => {
    t.app.lifecycle.state = 'closing';
    try {
      const res = await new Browser(t.app).get('/connexion');
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
      expect(res.headers.connection).toBe('close');
      expect(res.body).toContain('<html lang="fr"');
    } finally {
      t.app.lifecycle.state = 'serving';
    }
  });

  it('sets HttpOnly, SameSite=Lax cookies, `__Host-` and Secure when served over https (S2)', async () => {
    const secure = await createTestApp(kind, { PUBLIC_URL: 'https://portal.example' });
    try {
      const { customer, password } = await activeSubscriber(secure.db, secure.clock);
      const page = await secure.app.inject({ method: 'GET', url: '/connexion' });
      const csrfCookie = page.cookies.find((c) => c.name === '__Host-csrf');
      expect(csrfCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      const login = await secure.app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-csrf=${csrfCookie!.value}` },
        payload: new URLSearchParams({ _csrf: csrfToken(page.body), identifiant: customer.number, password }).toString(),
      });
      expect(login.statusCode).toBe(303);
      const session = login.cookies.find((c) => c.name === '__Host-portal_session');
      expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      expect(session).not.toHaveProperty('domain');
    } finally {
      await secure.close();
    }
    const plain = await new Browser(t.app).get('/connexion');
    expect(plain.cookies.find((c) => c.name === 'csrf')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('refuses a forged cross-site POST: no token, or a token from another browser (S2)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const victim = new Browser(t.app, '198.51.100.1');
    await victim.submit('/connexion', '/connexion', { identifiant: customer.number, password });

    const noToken = await victim.post('/deconnexion', {});
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('Action refusée');
    const attacker = new Browser(t.app, '198.51.100.2');
    const foreignToken = csrfToken((await attacker.get('/connexion')).body);
    const forged = await victim.post('/deconnexion', { _csrf: foreignToken });
    expect(forged.statusCode).toBe(403);
    // Still logged in: nothing changed.
    expect((await victim.get('/profil')).statusCode).toBe(200);

    // Login CSRF is refused too.
    const anonymous = await new Browser(t.app, '198.51.100.3').post('/connexion', { identifiant: customer.number, password });
    expect(anonymous.statusCode).toBe(403);
  });

  it('binds the CSRF token to the session: a token and CSRF cookie from another browser are refused (S2)', async () => {
    const a = await activeSubscriber(t.db, t.clock);
    const b = await activeSubscriber(t.db, t.clock);
    const browserA = new Browser(t.app, '198.51.100.21');
    const browserB = new Browser(t.app, '198.51.100.22');
    expect((await browserA.submit('/connexion', '/connexion', { identifiant: a.customer.number, password: a.password })).statusCode).toBe(303);
    expect((await browserB.submit('/connexion', '/connexion', { identifiant: b.customer.number, password: b.password })).statusCode).toBe(303);
    const tokenA = csrfToken((await browserA.get('/profil')).body);
    const visitor = new Browser(t.app, '198.51.100.23');
    const visitorToken = csrfToken((await visitor.get('/connexion')).body);

    /** A language switch posted with this CSRF cookie and token, and B's session cookie. */
    const postAsB = (csrfCookie: string, token: string) =>
      t.app.inject({
        method: 'POST',
        url: '/langue',
        remoteAddress: '198.51.100.22',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `csrf=${csrfCookie}; portal_session=${browserB.cookies.get('portal_session')}` },
        payload: new URLSearchParams({ _csrf: token, lang: 'en', next: '/profil' }).toString(),
      });
    const stolen = await postAsB(browserA.cookies.get('csrf')!, tokenA);
    expect(stolen.statusCode).toBe(403);
    expect(stolen.body).toContain('Action refusée');
    expect((await postAsB(visitor.cookies.get('csrf')!, visitorToken)).statusCode).toBe(403);
    const language = async (id: string) => (await t.db.selectFrom('customers').select('language').where('id', '=', id).executeTakeFirstOrThrow()).language;
    expect(await language(b.customer.id)).toBe('fr');

    // Each browser's own token is accepted.
    const own = await browserA.post('/langue', { _csrf: tokenA, lang: 'en', next: '/profil' });
    expect(own.statusCode).toBe(303);
    expect(await language(a.customer.id)).toBe('en');
    expect((await browserB.submit('/profil', '/langue', { lang: 'en', next: '/profil' })).statusCode).toBe(303);
    expect(await language(b.customer.id)).toBe('en');
  });

  it('still takes a form posted just after its session ran out: the customer area asks to log in again, logout goes through (S2)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '198.51.100.24');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    const token = csrfToken((await b.get('/profil')).body);
    t.clock.advance(31 * 60_000);
    const consent = await b.post('/profil/documents-par-email', { _csrf: token, paperless: 'yes' });
    expect(consent.statusCode).toBe(302);
    expect(consent.headers.location).toBe('/connexion?expire');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    const token2 = csrfToken((await b.get('/profil')).body);
    t.clock.advance(31 * 60_000);
    const logout = await b.post('/deconnexion', { _csrf: token2 });
    expect(logout.statusCode).toBe(303);
    expect(logout.headers.location).toBe('/connexion?deconnecte');
  });

  it('changes nothing on GET (S2)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '198.51.100.4');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    expect((await b.get('/deconnexion')).statusCode).toBe(404);
    expect((await b.get('/langue?lang=en')).statusCode).toBe(404);
    expect((await b.get('/profil')).body).toContain('Bienvenue');
  });

  it('refuses TRACE (L2)', async () => {
    const res = await t.app.inject({ method: 'TRACE', url: '/connexion' });
    expect(res.statusCode).toBe(405);
  });

  it('answers unknown pages with a 404 page in the portal frame', async () => {
    const res = await new Browser(t.app).get('/nulle-part');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page introuvable');
  });

  it('switches language on every page and remembers the choice, only to local paths', async () => {
    const b = new Browser(t.app, '198.51.100.5');
    const page = await b.get('/parkings');
    expect(page.body).toContain('action="/langue"');
    const res = await b.post('/langue', { _csrf: csrfToken(page.body), lang: 'en', next: '/parkings' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/parkings');
    const english = await b.get('/connexion');
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toContain('LOGIN (customer no.)');
    expect(english.body).toContain('Français');

    const evil = await b.post('/langue', { _csrf: csrfToken(english.body), lang: 'fr', next: '//evil.example/x' });
    expect(evil.headers.location).toBe('/');
  });

  it('stores the language of a logged-in customer', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '198.51.100.6');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    await b.submit('/profil', '/langue', { lang: 'en', next: '/profil' });
    const row = await t.db.selectFrom('customers').select('language').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.language).toBe('en');
    // The next login, from another device without the cookie, is in English.
    const other = new Browser(t.app, '198.51.100.7');
    await other.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    const profile = await other.get('/profil');
    expect(profile.body).toContain('Welcome DURAND FRANCOIS');
    expect(profile.body).toContain('Log out');
  });

  it('shows a generic error page, never internals, when something breaks (L2)', async () => {
    const broken = await createTestApp(kind);
    await broken.db.schema.alterTable('car_parks').renameTo('car_parks_gone').execute();
    const res = await broken.app.inject({ method: 'GET', url: '/parkings' });
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Une erreur inattendue est survenue');
    expect(withoutCsrfTokens(res.body)).not.toMatch(/at .*\.ts:\d+|Error:|driver|kysely|sqlite|postgres/i);
    await broken.close();
  });
});

describe('behind a proxy', () => {
  it('takes the client IP from X-Forwarded-For only through the configured proxies', async () => {
    const t = await createTestApp('sqlite', { TRUST_PROXY: '10.0.0.0/8' });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/connexion', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.9' } });
      expect(res.statusCode).toBe(200);
      // Only the trusted proxy is skipped: the address it saw, not what the client wrote before it.
      const seen: string[] = [];
      const page = await t.app.inject({ method: 'GET', url: '/connexion', remoteAddress: '10.0.0.2' });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      await t.app.inject({
        method: 'POST',
        url: '/connexion',
        remoteAddress: '10.0.0.2',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': '6.6.6.6, 198.51.100.9' },
        payload: new URLSearchParams({ _csrf: token, identifiant: 'CLT000001', password: 'nope nope nope' }).toString(),
      });
      const entry = await t.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login').executeTakeFirstOrThrow();
      seen.push(entry.ip!);
      expect(seen).toEqual(['198.51.100.9']);
      // A client that is not a trusted proxy cannot choose its address.
      await t.app.inject({
        method: 'POST',
        url: '/connexion',
        remoteAddress: '203.0.113.77',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': '6.6.6.6' },
        payload: new URLSearchParams({ _csrf: token, identifiant: 'CLT000001', password: 'nope nope nope' }).toString(),
      });
      const ips = await t.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login').execute();
      expect(ips.map((i) => i.ip).sort()).toEqual(['198.51.100.9', '203.0.113.77']);
    } finally {
      await t.close();
    }
  });
});
