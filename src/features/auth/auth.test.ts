import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract, newSubscriber } from '../../../tests/support/factories.ts';
import { fieldError, pageOrder, summaryTargets } from '../../../tests/support/forms.ts';
import { DAY, HOUR, MINUTE } from '../../lib/clock.ts';
import { issueTemporaryPassword } from '../customers/customers.service.ts';
import { hashToken } from '../../lib/tokens.ts';

const NEW_PASSWORD = 'cheval agrafe batterie';

describe.each(databaseKinds())('first connection and login (%s)', (kind) => {
  const t = useTestApp(kind);

  const activationFields = (over: Record<string, string> = {}) => ({
    password: NEW_PASSWORD,
    password_confirm: NEW_PASSWORD,
    email_primary: 'francois.durand@example.fr',
    email_secondary: '',
    paperless: 'yes',
    ...over,
  });

  it('shows the login page in French by default', async () => {
    const res = await new Browser(t.app).get('/connexion');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="fr"');
    expect(res.body).toContain('Mon espace client');
    expect(res.body).toContain('IDENTIFIANT (n° client)');
    expect(res.body).toContain('Mot de passe');
  });

  it('goes from the temporary password to an active account and the profile', async () => {
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET', phone: '01.44.82.99.99' });
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock, { last_name: 'DURAND', first_name: 'FRANCOIS' });
    await createContract(t.db, t.clock, customer.id, park.id, { number: '15CTCARD125' });
    const b = new Browser(t.app);

    // The identifier is accepted whatever its case and surrounding spaces.
    const login = await b.submit('/connexion', '/connexion', { identifiant: ` ${customer.number.toLowerCase()} `, password: tempPassword });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/premiere-connexion');

    const form = await b.get('/premiere-connexion');
    expect(form.statusCode).toBe(200);
    for (const label of ['Première connexion', 'IDENTIFIANT (n° client)', customer.number, 'CRÉER UN MOT DE PASSE', 'CONFIRMER LE MOT DE PASSE', 'ADRESSE EMAIL PRINCIPALE', 'ADRESSE EMAIL SECONDAIRE', 'J’accepte de recevoir mes documents par e-mail', '5 ans d’historique']) {
      expect(form.body).toContain(label);
    }

    // A weak password: the error is next to the field, and the e-mails typed are kept.
    const weak = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields({ password: 'azertyuiop123', password_confirm: 'azertyuiop123', email_secondary: 'autre@example.fr' }));
    expect(weak.statusCode).toBe(422);
    expect(weak.body).toMatch(/id="password-error"[^>]*>[^<]*(trop facile|trop courant)/);
    expect(weak.body).toContain('aria-invalid="true"');
    expect(weak.body).toContain('value="francois.durand@example.fr"');
    expect(weak.body).toContain('value="autre@example.fr"');
    expect(weak.body).toMatch(/id="paperless"[^>]*checked/);

    // A bad e-mail keeps the (good) passwords and says what is wrong in French.
    const badEmail = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields({ email_primary: 'francois@' }));
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.body).toContain('Saisissez une adresse e-mail valide');
    expect(badEmail.body).toContain(`value="${NEW_PASSWORD}"`);
    expect(badEmail.body).toContain('value="francois@"');

    const missing = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields({ email_primary: '' }));
    expect(missing.body).toContain('Saisissez votre adresse e-mail principale');

    const mismatch = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields({ password_confirm: 'cheval agrafe batterie!' }));
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('Les deux mots de passe ne sont pas identiques');

    // The temporary password can never become the password (A1).
    const reuse = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields({ password: tempPassword, password_confirm: tempPassword }));
    expect(reuse.statusCode).toBe(422);
    expect(reuse.body).toMatch(/différent du mot de passe temporaire|trop facile|trop courant/);

    const activationCookie = b.cookies.get('portal_session')!;
    const done = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields());
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/profil?active=1');
    // A fresh session: the activation token is dead.
    expect(b.cookies.get('portal_session')).not.toBe(activationCookie);
    expect(await t.db.selectFrom('sessions').select('token_hash').where('token_hash', '=', hashToken(activationCookie)).executeTakeFirst()).toBeUndefined();

    const profile = await b.get('/profil?active=1');
    expect(profile.statusCode).toBe(200);
    for (const text of ['Bienvenue DURAND FRANCOIS', 'Déconnexion', 'Profil', customer.number, '1 RUE DE LA PAIX', '75008 PARIS', 'francois.durand@example.fr', 'Oui, depuis le 27/11/2026', '15CTCARD125', 'CARDINET', 'Résident', 'En cours', '09/12/2021']) {
      expect(profile.body).toContain(text);
    }
    expect(profile.headers['cache-control']).toBe('no-store');

    const account = await t.db.selectFrom('customer_logins').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(account.state).toBe('active');
    expect(account.temp_password_hash).toBeNull();
    expect(account.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/); // A3
    const consents = await t.db.selectFrom('paperless_consents').selectAll().where('customer_id', '=', customer.id).execute();
    expect(consents).toMatchObject([{ given: 1, source: 'first_login', at: '2026-11-27T10:00:00.000Z' }]);

    // The temporary password is dead; the new one opens the portal straight away.
    const other = new Browser(t.app, '203.0.113.11');
    const old = await other.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    expect(old.statusCode).toBe(401);
    const again = await other.submit('/connexion', '/connexion', { identifiant: customer.number, password: NEW_PASSWORD });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/profil');
  });

  it('says the password rule with its length, in French and in English, and sums the errors up in the page’s order', async () => {
    for (const [language, tooShort, summary] of [
      ['fr', 'Le mot de passe doit contenir au moins 12 caractères.', 'CRÉER UN MOT DE PASSE : Le mot de passe doit contenir au moins 12 caractères.'],
      ['en', 'The password must be at least 12 characters long.', 'CREATE A PASSWORD: The password must be at least 12 characters long.'],
    ] as const) {
      const { customer, tempPassword } = await newSubscriber(t.db, t.clock, { language });
      const b = new Browser(t.app, language === 'fr' ? '10.9.11.1' : '10.9.11.2');
      await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
      const res = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields({ password: 'court', password_confirm: 'court', email_primary: 'francois@', email_secondary: 'x@' }));
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(`<html lang="${language}"`);
      expect(fieldError(res.body, 'password')).toBe(tooShort);
      expect(res.body).toContain(summary);
      expect(res.body).not.toMatch(/\{[a-z]+\}/i);
      // Three errors, linked from the summary in the order of the fields on the page.
      const targets = summaryTargets(res.body);
      expect(targets).toEqual(['password', 'email_primary', 'email_secondary']);
      expect(targets).toEqual(pageOrder(res.body, targets));
    }
  });

  it('lets an active customer sent a new temporary password come back in through the first login, which sets their new password', async () => {
    const { customer, password: old } = await activeSubscriber(t.db, t.clock);
    const before = await t.db.selectFrom('customer_logins').select('activated_at').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    t.clock.advance(DAY);
    const { password: temporary } = await issueTemporaryPassword(t.db, t.clock, customer.id, 30);
    const b = new Browser(t.app, '198.51.100.61');
    const login = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: temporary });
    expect(login.headers.location).toBe('/premiere-connexion');
    const done = await b.submit('/premiere-connexion', '/premiere-connexion', activationFields());
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/profil?active=1');
    const after = await t.db.selectFrom('customer_logins').select(['state', 'activated_at', 'temp_password_hash']).where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    // Still the date of the first activation; the temporary password is spent.
    expect(after).toEqual({ state: 'active', activated_at: before.activated_at, temp_password_hash: null });
    const again = new Browser(t.app, '198.51.100.62');
    expect((await again.submit('/connexion', '/connexion', { identifiant: customer.number, password: NEW_PASSWORD })).headers.location).toBe('/profil');
    expect((await new Browser(t.app, '198.51.100.63').submit('/connexion', '/connexion', { identifiant: customer.number, password: temporary })).statusCode).toBe(401);
    expect((await new Browser(t.app, '198.51.100.64').submit('/connexion', '/connexion', { identifiant: customer.number, password: old })).statusCode).toBe(401);
  });

  it('lets a temporary-password session reach nothing but the first-login form (A1)', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '203.0.113.12');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    for (const path of ['/profil', '/', '/contrats', '/mon-compte', '/decomptes']) {
      const res = await b.get(path);
      expect(res.body, path).not.toContain('Bienvenue');
      expect([302, 404], path).toContain(res.statusCode);
      if (res.statusCode === 302) expect(res.headers.location).toBe(path === '/' ? '/premiere-connexion' : `/premiere-connexion?suite=${path}`);
    }
    // Public pages stay public, without the customer frame.
    const contact = await b.get('/contact');
    expect(contact.statusCode).toBe(200);
    expect(contact.body).not.toContain('Déconnexion');
  });

  it('lets a new subscriber leave the first-login form: log out, and come back later with the same temporary password', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '203.0.113.17');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    const form = await b.get('/premiere-connexion');
    expect(form.body).toMatch(/<form method="post" action="\/deconnexion">[\s\S]*?<button type="submit"[^>]*>Déconnexion<\/button>/);
    expect(form.body).toContain('Pas maintenant ? Vous pourrez terminer plus tard avec le même mot de passe temporaire');
    const out = await b.submit('/premiere-connexion', '/deconnexion', {});
    expect([out.statusCode, out.headers.location]).toEqual([303, '/connexion?deconnecte']);
    expect(await t.db.selectFrom('sessions').select('token_hash').where('customer_id', '=', customer.id).execute()).toEqual([]);
    expect((await b.get('/premiere-connexion')).headers.location).toBe('/connexion');
    const again = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    expect(again.headers.location).toBe('/premiere-connexion');
  });

  it('refuses an expired or superseded temporary password (A1)', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const { password: second } = await issueTemporaryPassword(t.db, t.clock, customer.id, 120);
    const b = new Browser(t.app, '203.0.113.13');
    const superseded = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    expect(superseded.statusCode).toBe(401);
    expect(superseded.body).toContain('Identifiant ou mot de passe incorrect.');

    t.clock.advance(121 * DAY);
    const expired = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: second });
    expect(expired.statusCode).toBe(401);
    t.clock.advance(-121 * DAY);
    const valid = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: second });
    expect(valid.statusCode).toBe(303);
  });

  it('ends the session server-side at logout, and the cookie cannot be replayed (S1)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '203.0.113.14');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    const token = b.cookies.get('portal_session')!;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32); // ≥ 128 bits, here 256
    // Only the hash is stored.
    const stored = await t.db.selectFrom('sessions').select('token_hash').where('customer_id', '=', customer.id).execute();
    expect(stored.map((s) => s.token_hash)).toEqual([hashToken(token)]);

    expect((await b.get('/profil')).statusCode).toBe(200);
    const out = await b.submit('/profil', '/deconnexion', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/connexion?deconnecte');
    expect((await b.get('/connexion?deconnecte')).body).toContain('Vous êtes déconnecté.');

    const replay = await t.app.inject({ method: 'GET', url: '/profil', headers: { cookie: `portal_session=${token}` } });
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toBe('/connexion?suite=/profil');
    expect(await t.db.selectFrom('sessions').select('token_hash').where('customer_id', '=', customer.id).execute()).toEqual([]);
  });

  it('enforces the idle (30 min) and absolute (8 h) timeouts server-side (S1)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '203.0.113.15');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    t.clock.advance(29 * MINUTE);
    expect((await b.get('/profil')).statusCode).toBe(200);
    t.clock.advance(31 * MINUTE);
    const idle = await b.get('/profil');
    expect(idle.statusCode).toBe(302);
    expect(idle.headers.location).toBe('/connexion?expire&suite=/profil');

    const c = new Browser(t.app, '203.0.113.16');
    await c.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    const start = t.clock.now();
    for (let i = 0; i < 23; i++) {
      t.clock.advance(20 * MINUTE);
      expect((await c.get('/profil')).statusCode, `after ${(i + 1) * 20} min`).toBe(200);
    }
    t.clock.advance(21 * MINUTE); // 8 h 01 after login, 21 min after the last request
    const absolute = await c.get('/profil');
    expect(absolute.statusCode).toBe(302);
    expect(t.clock.now().getTime() - start.getTime()).toBeGreaterThan(8 * HOUR);
  });

  it('issues a new session token at login, whatever cookie came in (no fixation)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '203.0.113.17');
    b.cookies.set('portal_session', 'attacker-chosen-token');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    expect(b.cookies.get('portal_session')).not.toBe('attacker-chosen-token');
    expect((await b.get('/profil')).statusCode).toBe(200);
  });

  it('ignores fields a form does not offer (Z2)', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '203.0.113.18');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    const res = await b.submit('/premiere-connexion', '/premiere-connexion', {
      ...activationFields(),
      number: 'CLT000001',
      state: 'locked',
      customer_id: 'someone-else',
      email_primary_verified_at: '2020-01-01T00:00:00.000Z',
      language: 'en',
    });
    expect(res.statusCode).toBe(303);
    const row = await t.db.selectFrom('customers').selectAll().where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.number).toBe(customer.number);
    expect(row.email_primary_verified_at).toBeNull();
    expect(row.language).toBe('fr');
    const acc = await t.db.selectFrom('customer_logins').select('state').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(acc.state).toBe('active');
  });

  it('writes every login attempt to the audit log, never the password (L1)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock, 'unique secret phrase for audit');
    const b = new Browser(t.app, '203.0.113.19');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: 'not the password at all' });
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    const entries = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').where('ip', '=', '203.0.113.19').orderBy('at').execute();
    expect(entries.map((e) => e.outcome)).toEqual(['failure', 'success']);
    expect(entries[1]).toMatchObject({ actor_type: 'customer', actor_id: customer.id, at: expect.stringMatching(/Z$/) });
    expect(JSON.parse(entries[0]!.details!)).toMatchObject({ identifier: customer.number, reason: 'wrong_password' });
    const all = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute());
    expect(all).not.toContain(password);
    expect(all).not.toContain('not the password at all');
    expect(all).not.toContain(NEW_PASSWORD);
  });
});
