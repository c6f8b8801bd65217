import { describe, expect, it } from 'vitest';
import { Browser, createTestApp, csrfToken, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, newSubscriber } from '../../../tests/support/factories.ts';

describe.each(databaseKinds())('login and forms under pressure (%s)', (kind) => {
  const t = useTestApp(kind);

  it('counts concurrent wrong passwords on one account before letting more through (A4)', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const browsers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const b = new Browser(t.app, `198.18.0.${i + 1}`);
        const token = csrfToken((await b.get('/connexion')).body);
        return { b, token };
      }),
    );
    const statuses = await Promise.all(browsers.map(({ b, token }) => b.post('/connexion', { _csrf: token, identifiant: customer.number, password: 'wrong wrong wrong' }).then((r) => r.statusCode)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('clears the __Host- session cookie with its Secure attribute at logout (S2)', async () => {
    const secure = await createTestApp(kind, { PUBLIC_URL: 'https://portal.example' });
    try {
      const { customer, password } = await activeSubscriber(secure.db, secure.clock);
      const page = await secure.app.inject({ method: 'GET', url: '/connexion' });
      const csrf = page.cookies.find((c) => c.name === '__Host-csrf')!;
      const login = await secure.app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-csrf=${csrf.value}` },
        payload: new URLSearchParams({ _csrf: csrfToken(page.body), identifiant: customer.number, password }).toString(),
      });
      const session = login.cookies.find((c) => c.name === '__Host-portal_session')!;
      const cookie = `__Host-csrf=${csrf.value}; __Host-portal_session=${session.value}`;
      const profile = await secure.app.inject({ method: 'GET', url: '/profil', headers: { cookie } });
      const out = await secure.app.inject({
        method: 'POST',
        url: '/deconnexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ _csrf: csrfToken(profile.body) }).toString(),
      });
      const cleared = out.cookies.find((c) => c.name === '__Host-portal_session')!;
      expect(cleared.value).toBe('');
      expect(cleared).toMatchObject({ secure: true, httpOnly: true, path: '/' });
    } finally {
      await secure.close();
    }
  });

  it('answers malformed forms with 400, never 500', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '198.18.1.1');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    const token = csrfToken((await b.get('/premiere-connexion')).body);
    const repeated = await t.app.inject({
      method: 'POST',
      url: '/premiere-connexion',
      remoteAddress: '198.18.1.1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: `_csrf=${encodeURIComponent(token)}&password=a&password=b`,
    });
    expect(repeated.statusCode).toBe(400);
    const lang = await b.post('/langue', { _csrf: token, lang: 'en', next: '/€' });
    expect(lang.statusCode).toBe(303);
    expect(lang.headers.location).toBe('/');
  });

  it('activates once, even when the form is submitted twice at the same moment', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '198.18.2.1');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    const token = csrfToken((await b.get('/premiere-connexion')).body);
    const fields = { _csrf: token, password: 'cheval agrafe batterie', password_confirm: 'cheval agrafe batterie', email_primary: 'twice@example.fr', email_secondary: '', paperless: 'yes' };
    const results = await Promise.all([b.post('/premiere-connexion', fields), b.post('/premiere-connexion', fields)]);
    expect(results.map((r) => r.statusCode)).toEqual([303, 303]);
    const consents = await t.db.selectFrom('paperless_consents').select('id').where('customer_id', '=', customer.id).execute();
    expect(consents).toHaveLength(1);
    const sessions = await t.db.selectFrom('sessions').select('kind').where('customer_id', '=', customer.id).execute();
    expect(sessions).toEqual([{ kind: 'customer' }]);
  });

  it('ties the login error to both fields', async () => {
    const res = await new Browser(t.app, '198.18.3.1').submit('/connexion', '/connexion', { identifiant: 'CLT000000', password: 'nothing here' });
    expect(res.body).toMatch(/id="identifiant"[^>]*aria-invalid="true"[^>]*aria-describedby="identifiant-hint login-error"/);
    expect(res.body).toMatch(/id="password"[^>]*aria-invalid="true"[^>]*aria-describedby="login-error"/);
  });
});
