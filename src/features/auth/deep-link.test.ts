import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, newSubscriber } from '../../../tests/support/factories.ts';
import { MINUTE } from '../../lib/clock.ts';

/*
 * A page asked for while logged out (a footer link, "Voir ma demande" in an e-mail) is where
 * the login leads, through the first-login form if need be; only a page of this site.
 */

const NEW_PASSWORD = 'cheval agrafe batterie';

/** The page the form on this page leads on to (its hidden `suite` field, unescaped), or null. */
const suiteIn = (html: string) => /<input type="hidden" name="suite" value="([^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null;

describe.each(databaseKinds())('deep links through the login (%s)', (kind) => {
  const t = useTestApp(kind);
  let seq = 0;
  const nextIp = () => `198.18.7.${++seq}`;

  /** Follows the guard's redirect to the login page, then logs in with the form as served (its hidden fields included). */
  async function logInFrom(b: Browser, asked: string, number: string, password: string) {
    const guarded = await b.get(asked);
    expect(guarded.statusCode, asked).toBe(302);
    const loginPage = await b.get(guarded.headers.location as string);
    expect(loginPage.statusCode).toBe(200);
    const suite = suiteIn(loginPage.body);
    const res = await b.post('/connexion', { _csrf: csrfToken(loginPage.body), identifiant: number, password, ...(suite ? { suite } : {}) });
    return { guarded, loginPage, res };
  }

  it('leads a customer logged out to the footer page they asked for, and keeps it through a mistake and a language switch', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, nextIp());
    const guarded = await b.get('/prelevement');
    expect(guarded.headers.location).toBe('/connexion?suite=/prelevement');
    const loginPage = await b.get('/connexion?suite=/prelevement');
    expect(suiteIn(loginPage.body)).toBe('/prelevement');

    // Switching the language comes back to the login page with its `suite`.
    const english = await b.post('/langue', { _csrf: csrfToken(loginPage.body), lang: 'en', next: '/connexion?suite=/prelevement' });
    expect(english.headers.location).toBe('/connexion?suite=/prelevement');
    expect(loginPage.body).toContain('name="next" value="/connexion?suite=/prelevement"');

    const wrong = await b.post('/connexion', { _csrf: csrfToken(loginPage.body), identifiant: customer.number, password: 'not the password at all', suite: '/prelevement' });
    expect(wrong.statusCode).toBe(401);
    expect(suiteIn(wrong.body)).toBe('/prelevement');
    const res = await b.post('/connexion', { _csrf: csrfToken(wrong.body), identifiant: customer.number, password, suite: '/prelevement' });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/prelevement']);
    expect((await b.get('/prelevement')).statusCode).toBe(200);

    // Logged in, the login page sends straight on to the page asked for.
    expect((await b.get('/connexion?suite=/contrats')).headers.location).toBe('/contrats');
    expect((await b.get('/connexion')).headers.location).toBe('/profil');
  });

  it('leads to a request from its e-mail link, query included', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const request = await logInFrom(new Browser(t.app, nextIp()), '/contact/demandes/DEM-2026-000042', customer.number, password);
    expect(request.guarded.headers.location).toBe('/connexion?suite=/contact/demandes/DEM-2026-000042');
    expect(request.res.headers.location).toBe('/contact/demandes/DEM-2026-000042');

    const filtered = await logInFrom(new Browser(t.app, nextIp()), '/mon-compte?annee=2025&type=invoice', customer.number, password);
    expect(suiteIn(filtered.loginPage.body)).toBe('/mon-compte?annee=2025&type=invoice');
    expect(filtered.res.headers.location).toBe('/mon-compte?annee=2025&type=invoice');
  });

  it('leads a new subscriber through the first-login form to the page asked for', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, nextIp());
    const { res } = await logInFrom(b, '/prelevement', customer.number, tempPassword);
    expect([res.statusCode, res.headers.location]).toEqual([303, '/premiere-connexion?suite=/prelevement']);
    // Another customer page asked for meanwhile takes the place of the first.
    expect((await b.get('/contrats')).headers.location).toBe('/premiere-connexion?suite=/contrats');

    const form = await b.get('/premiere-connexion?suite=/prelevement');
    expect(form.statusCode).toBe(200);
    expect(suiteIn(form.body)).toBe('/prelevement');
    const fields = { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD, email_primary: 'nouveau@example.fr', email_secondary: '', paperless: 'yes', suite: '/prelevement' };
    const mismatch = await b.post('/premiere-connexion', { _csrf: csrfToken(form.body), ...fields, password_confirm: 'autre chose encore' });
    expect(mismatch.statusCode).toBe(422);
    expect(suiteIn(mismatch.body)).toBe('/prelevement');
    const done = await b.post('/premiere-connexion', { _csrf: csrfToken(mismatch.body), ...fields });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/prelevement']);
    expect((await b.get('/prelevement')).statusCode).toBe(200);

    // Without a page asked for, the profile welcomes them as before.
    const other = await newSubscriber(t.db, t.clock);
    const c = new Browser(t.app, nextIp());
    const login = await c.submit('/connexion', '/connexion', { identifiant: other.customer.number, password: other.tempPassword });
    expect(login.headers.location).toBe('/premiere-connexion');
    const plain = await c.submit('/premiere-connexion', '/premiere-connexion', { ...fields, email_primary: 'autre@example.fr', suite: '' });
    expect(plain.headers.location).toBe('/profil?active=1');
  });

  it('leads back to the page after an expired session, with the notice', async () => {
    const { b, customer, password } = await loggedInCustomer(t, nextIp());
    t.clock.advance(t.config.SESSION_IDLE_MINUTES * MINUTE + 1);
    const expired = await b.get('/mon-compte/paiement');
    expect(expired.headers.location).toBe('/connexion?expire&suite=/mon-compte/paiement');
    const loginPage = await b.get(expired.headers.location as string);
    expect(loginPage.body).toContain('Votre session a expiré. Merci de vous reconnecter.');
    expect(suiteIn(loginPage.body)).toBe('/mon-compte/paiement');
    const res = await b.post('/connexion', { _csrf: csrfToken(loginPage.body), identifiant: customer.number, password, suite: '/mon-compte/paiement' });
    expect(res.headers.location).toBe('/mon-compte/paiement');
  });

  it('never leads off the site: a hostile `suite` is ignored, at login and at the first login', async () => {
    const hostile = ['//evil.example', 'https://evil.example', '/\\evil', '/\\/evil.example', '\\\\evil.example', 'javascript:alert(1)', 'evil.example', '/ok\r\nSet-Cookie: x=1', `/${'a'.repeat(2048)}`];
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    for (const suite of hostile) {
      const b = new Browser(t.app, nextIp());
      const page = await b.get(`/connexion?suite=${encodeURIComponent(suite)}`);
      expect(page.statusCode, suite).toBe(200);
      expect(suiteIn(page.body), suite).toBeNull();
      const res = await b.post('/connexion', { _csrf: csrfToken(page.body), identifiant: customer.number, password, suite });
      expect([res.statusCode, res.headers.location], suite).toEqual([303, '/profil']);
      // Logged in already: the same.
      expect((await b.get(`/connexion?suite=${encodeURIComponent(suite)}`)).headers.location, suite).toBe('/profil');
    }

    const { customer: fresh, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, nextIp());
    const page = await b.get('/connexion');
    const login = await b.post('/connexion', { _csrf: csrfToken(page.body), identifiant: fresh.number, password: tempPassword, suite: '//evil.example' });
    expect(login.headers.location).toBe('/premiere-connexion');
    const form = await b.get('/premiere-connexion?suite=https://evil.example');
    expect(suiteIn(form.body)).toBeNull();
    const done = await b.post('/premiere-connexion', {
      _csrf: csrfToken(form.body),
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
      email_primary: 'prudent@example.fr',
      suite: '/\\evil.example',
    });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/profil?active=1']);
  });
});
