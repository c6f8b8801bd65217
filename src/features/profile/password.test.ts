import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInBrowser, loggedInCustomer } from '../../../tests/support/app.ts';
import { emailColumns } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { HOUR, newId } from '../../lib/clock.ts';
import { hashToken } from '../../lib/tokens.ts';
import { loginKey } from '../auth/throttle.ts';

const PASSWORD = 'violet tramway cerise';
const NEW_PASSWORD = 'girafe lanterne ardoise';

describe.each(databaseKinds())('changing the password from Profil (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let seq = 0;
  const nextIp = () => `198.51.101.${++seq}`;

  /** A logged-in customer whose primary address is verified. */
  async function loggedIn(over: { last_name?: string; first_name?: string } = {}) {
    const address = `motdepasse.${++seq}@example.fr`;
    const { b, customer } = await loggedInCustomer(t, nextIp(), { ...over, ...emailColumns(address, null, t.clock.now().toISOString()) }, PASSWORD);
    return { b, customer, address };
  }

  const change = (b: Browser, fields: Record<string, string>) => b.submit('/profil/mot-de-passe', '/profil/mot-de-passe', fields);
  const passwordHash = async (customerId: string) =>
    (await t.db.selectFrom('customer_logins').select('password_hash').where('customer_id', '=', customerId).executeTakeFirstOrThrow()).password_hash;
  const audited = (customerId: string) =>
    t.db
      .selectFrom('audit_log')
      .select(['outcome', 'details'])
      .where('target_id', '=', customerId)
      .where('action', '=', 'customer.password_change')
      .execute()
      .then((rows) => rows.map((r) => [r.outcome, JSON.parse(r.details ?? '{}').reason ?? null]));

  it('is reached from Profil, with the fields of the first login, and needs a session', async () => {
    const { b } = await loggedIn();
    const profile = await b.get('/profil');
    expect(profile.body).toContain('<h2 id="mot-de-passe" tabindex="-1">Mot de passe</h2>');
    expect(profile.body).toContain('<a href="/profil/mot-de-passe">Changer mon mot de passe</a>');
    const form = await b.get('/profil/mot-de-passe');
    expect(form.statusCode).toBe(200);
    for (const text of ['<h1>Changer mon mot de passe</h1>', 'MOT DE PASSE ACTUEL', 'NOUVEAU MOT DE PASSE', 'CONFIRMER LE NOUVEAU MOT DE PASSE', 'Au moins 12 caractères', 'autocomplete="current-password"', 'autocomplete="new-password"']) {
      expect(form.body).toContain(text);
    }
    const anonymous = await new Browser(t.app, nextIp()).get('/profil/mot-de-passe');
    expect([anonymous.statusCode, anonymous.headers.location]).toEqual([302, '/connexion?suite=/profil/mot-de-passe']);
  });

  it('refuses a missing or wrong current password, counted by the login throttle and audited, until the account is held', async () => {
    const { b, customer } = await loggedIn();
    const before = await passwordHash(customer.id);

    const without = await change(b, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(without.statusCode).toBe(422);
    expect(without.body).toMatch(/id="current_password-error"[^>]*>Saisissez votre mot de passe actuel\./);
    const wrong = await change(b, { current_password: 'not my password at all', password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toMatch(/id="current_password-error"[^>]*>Mot de passe incorrect\./);
    expect(wrong.body).not.toContain('not my password at all');
    // The error summary lists it first, as the page does.
    expect(wrong.body).toMatch(/class="error-summary"[\s\S]*href="#current_password"/);

    expect(await passwordHash(customer.id)).toBe(before);
    const throttle = await t.db.selectFrom('login_throttle').select('failures').where('key', '=', loginKey(customer.number)).executeTakeFirstOrThrow();
    expect(throttle.failures).toBe(1); // a missing password is no guess
    expect(await audited(customer.id)).toEqual([
      ['failure', 'password_missing'],
      ['failure', 'wrong_password'],
    ]);

    // Wrong guesses here add up with the login's: the account is held, even for the right password.
    for (let i = 0; i < 4; i++) await change(b, { current_password: `guess number ${i}`, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    const held = await change(b, { current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(held.statusCode).toBe(429);
    expect(held.body).toContain('Trop de tentatives. Par sécurité, réessayez dans');
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(await passwordHash(customer.id)).toBe(before);
  });

  it('holds the new password to the rules of the first login, in French and English', async () => {
    const { b, customer } = await loggedIn({ last_name: 'REGLES', first_name: 'ANNE' });
    const short = await change(b, { current_password: PASSWORD, password: 'court', password_confirm: 'court' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toMatch(/id="password-error"[^>]*>Le mot de passe doit contenir au moins 12 caractères\./);
    const weak = await change(b, { current_password: PASSWORD, password: 'azertyuiop123', password_confirm: 'azertyuiop123' });
    expect(weak.body).toMatch(/id="password-error"[^>]*>[^<]*(trop facile|trop courant)/);
    const named = await change(b, { current_password: PASSWORD, password: 'anne regles parking demo', password_confirm: 'anne regles parking demo' });
    expect(named.body).toMatch(/id="password-error"[^>]*>Le mot de passe ne doit contenir ni votre identifiant/);
    const same = await change(b, { current_password: PASSWORD, password: PASSWORD, password_confirm: PASSWORD });
    expect(same.body).toMatch(/id="password-error"[^>]*>Le nouveau mot de passe doit être différent du mot de passe actuel\./);
    const mismatch = await change(b, { current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: `${NEW_PASSWORD}!` });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toMatch(/id="password_confirm-error"[^>]*>Les deux mots de passe ne sont pas identiques\./);
    expect(mismatch.body).not.toContain(`value="${PASSWORD}"`);
    expect(await audited(customer.id)).toEqual([]);

    await t.db.updateTable('customers').set({ language: 'en' }).where('id', '=', customer.id).execute();
    const en = await loggedInBrowser(t.app, nextIp(), customer.number, PASSWORD);
    const english = await change(en, { current_password: PASSWORD, password: 'short', password_confirm: 'short' });
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toMatch(/id="password-error"[^>]*>The password must be at least 12 characters long\./);
    expect((await change(en, { current_password: PASSWORD, password: PASSWORD, password_confirm: PASSWORD })).body).toContain('The new password must be different from the current one.');
  });

  it('sets the new password: every other session ends, this browser goes on with a new one, the customer is told, audited', async () => {
    const { b, customer, address } = await loggedIn({ last_name: 'NOUVEAU', first_name: 'PAUL' });
    const other = await loggedInBrowser(t.app, nextIp(), customer.number, PASSWORD);
    // A reset link asked for before: the new password ends it.
    const token = 'resetTokenAskedBeforeThePasswordChange00000';
    await t.db
      .insertInto('password_resets')
      .values({ id: newId(), customer_id: customer.id, token_hash: hashToken(token), expires_at: new Date(t.clock.now().getTime() + HOUR).toISOString(), used_at: null, created_at: t.clock.now().toISOString() })
      .execute();
    const cookie = b.cookies.get('portal_session');

    const res = await change(b, { current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/profil?mot-de-passe=modifie#mot-de-passe']);
    expect(b.cookies.get('portal_session')).toBeDefined();
    expect(b.cookies.get('portal_session')).not.toBe(cookie);
    const profile = await b.get('/profil?mot-de-passe=modifie');
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('Votre mot de passe a été modifié. Vos sessions ouvertes ailleurs ont été fermées.');
    expect(await t.db.selectFrom('sessions').select('token_hash').where('customer_id', '=', customer.id).execute()).toHaveLength(1);

    expect((await other.get('/profil')).headers.location).toBe('/connexion?suite=/profil');
    expect((await new Browser(t.app, nextIp()).get(`/reinitialiser/${token}`)).statusCode).toBe(410);
    expect((await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: customer.number, password: PASSWORD })).statusCode).toBe(401);
    await loggedInBrowser(t.app, nextIp(), customer.number, NEW_PASSWORD);

    await mb.deliver();
    const notice = mb.last(address)!;
    expect(notice.subject).toBe('Votre mot de passe a été modifié');
    expect(notice.text).toContain('Bonjour NOUVEAU PAUL,');
    expect(notice.text).toContain(`Le mot de passe de votre espace client (n° client ${customer.number}) a été modifié le`);
    expect(notice.text).toContain('contactez sans attendre le service client');
    expect(notice.text).not.toContain(NEW_PASSWORD);

    expect(await audited(customer.id)).toEqual([['success', null]]);
    const row = await t.db.selectFrom('audit_log').select('details').where('target_id', '=', customer.id).where('action', '=', 'customer.password_change').executeTakeFirstOrThrow();
    expect(row.details).not.toContain(NEW_PASSWORD);
  });
});
