import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer } from '../../../tests/support/app.ts';
import { activeSubscriber, emailColumns } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { MINUTE } from '../../lib/clock.ts';
import { loginKey } from '../auth/throttle.ts';

const PASSWORD = 'violet tramway cerise';

describe.each(databaseKinds())('e-mail addresses and paperless confirmation from Profil (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let seq = 0;
  const nextIp = () => `198.51.100.${++seq}`;

  /** A logged-in customer whose primary address is verified (and secondary, if given, verified too). */
  async function loggedIn(over: Parameters<typeof activeSubscriber>[3] & { secondary?: string; paperless?: boolean } = {}) {
    const { secondary, paperless, ...rest } = over;
    const n = ++seq;
    const primary = `profil.${n}@example.fr`;
    const now = t.clock.now().toISOString();
    const { b, customer } = await loggedInCustomer(
      t,
      nextIp(),
      { ...rest, ...emailColumns(primary, secondary ?? null, now), paperless: paperless ? 1 : 0, paperless_changed_at: paperless ? now : null },
      PASSWORD,
    );
    return { b, customer, primary };
  }

  const addresses = (customerId: string) =>
    t.db
      .selectFrom('customers')
      .select(['email_primary', 'email_primary_verified_at', 'email_secondary', 'email_secondary_verified_at'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();

  const change = (b: Browser, fields: Record<string, string>) => b.submit('/profil/adresses-email', '/profil/adresses-email', fields);

  it('is reached from Profil, which shows each address and its state, and needs a session', async () => {
    const { b, primary } = await loggedIn();
    const profile = await b.get('/profil');
    expect(profile.body).toContain(`${primary} (vérifiée)`);
    expect(profile.body).toContain('<a href="/profil/adresses-email">Modifier mes adresses e-mail</a>');
    // Notices come from a fixed list: anything else in the query shows none.
    const odd = await b.get('/profil?papier=__proto__&verification=constructor&adresses=toString');
    expect(odd.statusCode).toBe(200);
    expect(odd.body).not.toContain('class="notice"');
    const form = await b.get('/profil/adresses-email');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${primary}"`);
    expect(form.body).toContain('MOT DE PASSE ACTUEL');
    const anonymous = await new Browser(t.app).get('/profil/adresses-email');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/connexion?suite=/profil/adresses-email');
  });

  it('refuses a change without the password or with a wrong one, counted by the login throttle and audited (A7)', async () => {
    const { b, customer, primary } = await loggedIn();
    const before = await addresses(customer.id);

    const without = await change(b, { email_primary: 'Pirate@Example.NET', email_secondary: '' });
    expect(without.statusCode).toBe(422);
    expect(without.body).toMatch(/id="current_password-error"[^>]*>Saisissez votre mot de passe actuel\./);
    expect(without.body).toContain('value="pirate@example.net"');

    const wrong = await change(b, { email_primary: 'pirate@example.net', email_secondary: 'pirate2@example.net', current_password: 'not my password at all' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toMatch(/id="current_password-error"[^>]*>Mot de passe incorrect\./);
    expect(wrong.body).toContain('value="pirate@example.net"');
    expect(wrong.body).toContain('value="pirate2@example.net"');
    expect(wrong.body).not.toContain('not my password at all');

    expect(await addresses(customer.id)).toEqual(before);
    const throttle = await t.db.selectFrom('login_throttle').select(['failures']).where('key', '=', loginKey(customer.number)).executeTakeFirstOrThrow();
    expect(throttle.failures).toBe(1);
    const audited = await t.db.selectFrom('audit_log').select(['outcome', 'details']).where('target_id', '=', customer.id).where('action', '=', 'customer.email_change').execute();
    expect(audited.map((a) => [a.outcome, JSON.parse(a.details!).reason])).toEqual([
      ['failure', 'password_missing'],
      ['failure', 'wrong_password'],
    ]);
    expect(JSON.stringify(audited)).not.toContain('not my password at all');

    // Wrong passwords here and at the login add up: the account is held, even for the right one.
    for (let i = 0; i < 4; i++) await change(b, { email_primary: 'pirate@example.net', current_password: `guess number ${i}` });
    const held = await change(b, { email_primary: 'pirate@example.net', current_password: PASSWORD });
    expect(held.statusCode).toBe(429);
    expect(held.body).toContain('Trop de tentatives');
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect((await addresses(customer.id)).email_primary).toBe(primary);

    await mb.deliver();
    expect(mb.smtp.to('pirate@example.net')).toHaveLength(0);
    expect(mb.smtp.to(primary)).toHaveLength(0);
  });

  it('keeps what was typed and says what is wrong next to each field, in French and English', async () => {
    const { b, customer } = await loggedIn();
    const bad = await change(b, { email_primary: 'pas-une-adresse', email_secondary: 'x@example.fr', current_password: PASSWORD });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="email_primary-error"[^>]*>Saisissez une adresse e-mail valide/);
    expect(bad.body).toContain('value="pas-une-adresse"');
    expect(bad.body).toContain('value="x@example.fr"');
    const same = await change(b, { email_primary: 'meme@example.fr', email_secondary: 'MEME@example.fr', current_password: PASSWORD });
    expect(same.body).toMatch(/id="email_secondary-error"[^>]*>L’adresse secondaire doit être différente/);
    const missing = await change(b, { email_primary: '', current_password: PASSWORD });
    expect(missing.body).toContain('Saisissez votre adresse e-mail principale');

    await t.db.updateTable('customers').set({ language: 'en' }).where('id', '=', customer.id).execute();
    const en = new Browser(t.app, nextIp());
    await en.submit('/connexion', '/connexion', { identifiant: customer.number, password: PASSWORD });
    const english = await change(en, { email_primary: 'nope', current_password: 'wrong password again' });
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toContain('Enter a valid e-mail address');
    expect(english.body).toContain('Incorrect password.');
  });

  it('accepts the change with the password: new addresses unverified, a link to each, a notice to the old address', async () => {
    const { b, customer, primary } = await loggedIn({ last_name: 'CHANGE', first_name: 'PAUL' });
    const res = await change(b, { email_primary: ' Paul.New@Example.fr ', email_secondary: 'paul.bis@example.org', current_password: PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/profil?adresses=modifiees#adresses-email');
    expect(await addresses(customer.id)).toEqual({
      email_primary: 'paul.new@example.fr',
      email_primary_verified_at: null,
      email_secondary: 'paul.bis@example.org',
      email_secondary_verified_at: null,
    });
    const profile = await b.get('/profil?adresses=modifiees');
    expect(profile.body).toContain('Vos adresses e-mail sont enregistrées');
    expect(profile.body).toContain('paul.new@example.fr (en attente de vérification)');

    await mb.deliver();
    const notice = mb.last(primary)!;
    expect(mb.smtp.to(primary)).toHaveLength(1);
    expect(notice.subject).toBe('Les adresses e-mail de votre espace client ont été modifiées');
    expect(notice.text).toContain('Bonjour CHANGE PAUL,');
    expect(notice.text).toContain('Adresse principale : p•••@example.fr');
    expect(notice.text).toContain('Adresse secondaire : p•••@example.org');
    expect(notice.text).toContain('contactez sans attendre le service client');
    expect(notice.text).not.toContain('/verification-email/');

    for (const address of ['paul.new@example.fr', 'paul.bis@example.org']) {
      const mail = mb.last(address)!;
      expect(mail.subject).toBe('Vérifiez votre adresse e-mail');
    }
    const link = mb.link(mb.last('paul.new@example.fr')!.text, t.config.PUBLIC_URL)!;
    const path = new URL(link).pathname;
    const page = await b.get(path);
    const ok = await b.post('/verification-email', { _csrf: csrfToken(page.body), token: path.split('/').pop()! });
    expect(ok.statusCode).toBe(200);
    expect((await addresses(customer.id)).email_primary_verified_at).not.toBeNull();

    const audited = await t.db.selectFrom('audit_log').select(['outcome', 'details']).where('target_id', '=', customer.id).where('action', '=', 'customer.email_change').execute();
    expect(audited).toMatchObject([{ outcome: 'success' }]);
    expect(JSON.stringify(audited)).not.toContain(PASSWORD);
  });

  it('keeps an address verified when it stays (or moves to the other slot); only new ones get a link', async () => {
    const { b, customer, primary } = await loggedIn({ secondary: 'garde.bis@example.fr' });
    const before = await addresses(customer.id);
    // Swap the two, and nothing new.
    const swapped = await change(b, { email_primary: 'garde.bis@example.fr', email_secondary: primary, current_password: PASSWORD });
    expect(swapped.statusCode).toBe(303);
    expect(await addresses(customer.id)).toEqual({
      email_primary: 'garde.bis@example.fr',
      email_primary_verified_at: before.email_secondary_verified_at,
      email_secondary: primary,
      email_secondary_verified_at: before.email_primary_verified_at,
    });
    expect(await t.db.selectFrom('email_verifications').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);

    // Replace the secondary only: one link, to the new one; notices to the verified addresses as they were.
    await change(b, { email_primary: 'garde.bis@example.fr', email_secondary: 'garde.new@example.fr', current_password: PASSWORD });
    const after = await addresses(customer.id);
    expect(after.email_primary_verified_at).toBe(before.email_secondary_verified_at);
    expect(after.email_secondary_verified_at).toBeNull();
    const links = await t.db.selectFrom('email_verifications').select('address').where('customer_id', '=', customer.id).execute();
    expect(links).toEqual([{ address: 'garde.new@example.fr' }]);

    // Nothing changed: nothing sent.
    const same = await change(b, { email_primary: 'garde.bis@example.fr', email_secondary: 'garde.new@example.fr', current_password: PASSWORD });
    expect(same.headers.location).toBe('/profil?adresses=inchangees#adresses-email');

    await mb.deliver();
    expect(mb.smtp.to('garde.new@example.fr').map((m) => m.subject)).toEqual(['Vérifiez votre adresse e-mail']);
    expect(mb.smtp.to(primary).map((m) => m.subject)).toEqual([
      'Les adresses e-mail de votre espace client ont été modifiées',
      'Les adresses e-mail de votre espace client ont été modifiées',
    ]);
  });

  it('makes the link of a replaced address useless', async () => {
    const { b, customer } = await loggedIn();
    await change(b, { email_primary: 'premier.essai@example.fr', current_password: PASSWORD });
    await mb.deliver();
    const link = mb.link(mb.last('premier.essai@example.fr')!.text, t.config.PUBLIC_URL)!;
    await change(b, { email_primary: 'second.essai@example.fr', current_password: PASSWORD });
    const res = await b.get(new URL(link).pathname);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Adresse modifiée');
    expect((await addresses(customer.id)).email_primary_verified_at).toBeNull();
  });

  it('confirms paperless consent given and withdrawn by e-mail, in French', async () => {
    const { b, customer, primary } = await loggedIn({ last_name: 'PAPIER', first_name: 'LEA', secondary: 'papier.bis@example.fr' });
    await t.db.updateTable('customers').set({ email_secondary_verified_at: null }).where('id', '=', customer.id).execute();

    const given = await b.submit('/profil', '/profil/documents-par-email', { paperless: 'yes' });
    expect(given.statusCode).toBe(303);
    await mb.deliver();
    const on = mb.last(primary)!;
    expect(on.subject).toBe('Confirmation : vos documents par e-mail');
    expect(on.text).toContain('Bonjour PAPIER LEA,');
    expect(on.text).toContain('Vous avez accepté le 27/11/2026 de recevoir vos documents par e-mail');
    expect(on.text).toContain('5 ans d’historique');
    expect(on.text).toContain('vous ne recevez plus vos documents par courrier');
    expect(on.html).toContain('5 ans d’historique');
    // Notices go to verified addresses only.
    expect(mb.smtp.to('papier.bis@example.fr')).toHaveLength(0);

    // The same choice again records and sends nothing.
    await b.submit('/profil', '/profil/documents-par-email', { paperless: 'yes' });
    await mb.deliver();
    expect(mb.smtp.to(primary)).toHaveLength(1);

    t.clock.advance(MINUTE);
    await b.submit('/profil', '/profil/documents-par-email', { paperless: 'no' });
    await mb.deliver();
    const off = mb.last(primary)!;
    expect(mb.smtp.to(primary)).toHaveLength(2);
    expect(off.subject).toBe('Confirmation : retour au courrier papier');
    expect(off.text).toContain('vos prochains documents vous seront envoyés par courrier, gratuitement');
    expect(off.text).toContain('12 derniers mois');
    const consents = await t.db.selectFrom('paperless_consents').select(['given']).where('customer_id', '=', customer.id).orderBy('at').execute();
    expect(consents).toEqual([{ given: 1 }, { given: 0 }]);
  });

  it('confirms paperless consent in English to an English-speaking customer', async () => {
    const { b, primary } = await loggedIn({ language: 'en', last_name: 'BROWN', first_name: 'AMY' });
    await b.submit('/profil', '/profil/documents-par-email', { paperless: 'yes' });
    t.clock.advance(MINUTE);
    await b.submit('/profil', '/profil/documents-par-email', { paperless: 'no' });
    await mb.deliver();
    const [on, off] = mb.smtp.to(primary);
    expect(on!.subject).toBe('Confirmation: your documents by e-mail');
    expect(on!.text).toContain('Hello BROWN AMY,');
    expect(on!.text).toContain('5 years of history');
    expect(on!.html).toContain('<html lang="en">');
    expect(off!.subject).toBe('Confirmation: back to paper documents');
    expect(off!.text).toContain('sent to you by post, free of charge');
  });
});
