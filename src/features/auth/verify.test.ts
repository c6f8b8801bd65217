import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, withoutCsrfTokens } from '../../../tests/support/app.ts';
import { activeSubscriber, newSubscriber } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { HOUR, MINUTE } from '../../lib/clock.ts';
import { hashToken } from '../../lib/tokens.ts';

const NEW_PASSWORD = 'cheval agrafe batterie';

describe.each(databaseKinds())('e-mail verification (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let ipSeq = 0;
  const nextIp = () => `198.51.100.${++ipSeq}`;

  /** The path and token of the verification link in the last mail to `address`. */
  const linkTo = (address: string) => {
    const mail = mb.last(address);
    expect(mail, `a mail to ${address}`).toBeDefined();
    const link = mb.link(mail!.text, t.config.PUBLIC_URL)!;
    const m = /\/verification-email\/([A-Za-z0-9_-]{43})$/.exec(link);
    expect(m, link).not.toBeNull();
    return { path: new URL(link).pathname, token: m![1]!, mail: mail! };
  };

  /** Activates a new subscriber through the first-login form with these addresses. */
  async function firstConnection(primary: string, secondary = '', over: Parameters<typeof newSubscriber>[2] = {}) {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock, over);
    const b = new Browser(t.app, nextIp());
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    const done = await b.submit('/premiere-connexion', '/premiere-connexion', {
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
      email_primary: primary,
      email_secondary: secondary,
    });
    expect(done.statusCode).toBe(303);
    return { customer, b };
  }

  const verifiedAt = (customerId: string) =>
    t.db
      .selectFrom('customers')
      .select(['email_primary_verified_at', 'email_secondary_verified_at'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();

  it('sends each address a link after the first connection; the link opens a page, its button verifies once', async () => {
    const { customer, b } = await firstConnection('verif.one@example.fr', 'verif.two@example.org', { last_name: 'VERIF', first_name: 'ALICE' });
    await mb.deliver();
    const one = linkTo('verif.one@example.fr');
    const two = linkTo('verif.two@example.org');
    expect(one.token).not.toBe(two.token);
    expect(one.mail.subject).toBe('Vérifiez votre adresse e-mail');
    expect(one.mail.text).toContain('Bonjour VERIF ALICE,');
    expect(one.mail.text).toContain('valable 48 heures');
    expect(one.mail.html).toContain(`href="${t.config.PUBLIC_URL}${one.path}"`);

    // Only the SHA-256 of each token is stored, valid 48 h.
    const rows = await t.db.selectFrom('email_verifications').selectAll().where('customer_id', '=', customer.id).orderBy('address').execute();
    expect(rows.map((r) => r.address)).toEqual(['verif.one@example.fr', 'verif.two@example.org']);
    expect(rows[0]!.token_hash).toBe(hashToken(one.token));
    expect(JSON.stringify(rows)).not.toContain(one.token);
    expect(Date.parse(rows[0]!.expires_at) - Date.parse(rows[0]!.created_at)).toBe(48 * HOUR);

    const before = await b.get('/profil');
    expect(before.body).toContain('verif.one@example.fr (en attente de vérification)');
    expect(before.body).toContain('verif.two@example.org (en attente de vérification)');
    expect(before.body).toContain('Renvoyer le lien de vérification à verif.one@example.fr');

    // Opened from the mail, on another device, without a session: a GET changes nothing.
    const phone = new Browser(t.app, nextIp());
    const page = await phone.get(one.path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('verif.one@example.fr');
    expect(page.body).toContain('Confirmer mon adresse e-mail');
    expect((await verifiedAt(customer.id)).email_primary_verified_at).toBeNull();

    const confirmed = await phone.post('/verification-email', { _csrf: csrfToken(page.body), token: one.token });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Adresse e-mail vérifiée');
    expect(await verifiedAt(customer.id)).toEqual({ email_primary_verified_at: t.clock.now().toISOString(), email_secondary_verified_at: null });

    // Single use.
    const again = await phone.get(one.path);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('Lien déjà utilisé');
    expect(again.body).not.toContain('Confirmer mon adresse e-mail');
    const replay = await phone.post('/verification-email', { _csrf: csrfToken(page.body), token: one.token });
    expect(replay.statusCode).toBe(410);

    // Without the CSRF token, nothing happens.
    const forged = await new Browser(t.app, nextIp()).post('/verification-email', { token: two.token });
    expect(forged.statusCode).toBe(403);
    expect((await verifiedAt(customer.id)).email_secondary_verified_at).toBeNull();

    const after = await b.get('/profil');
    expect(after.body).toContain('verif.one@example.fr (vérifiée)');
    expect(after.body).toContain('verif.two@example.org (en attente de vérification)');
    expect(after.body).not.toContain('Renvoyer le lien de vérification à verif.one@example.fr');
    expect(after.body).toContain('Renvoyer le lien de vérification à verif.two@example.org');
  });

  it('refuses an expired link (48 h) and an unknown one, with a page that says so', async () => {
    const { customer } = await firstConnection('verif.late@example.fr');
    await mb.deliver();
    const { path, token } = linkTo('verif.late@example.fr');
    t.clock.advance(47 * HOUR);
    const b = new Browser(t.app, nextIp());
    const stillValid = await b.get(path);
    expect(stillValid.statusCode).toBe(200);
    t.clock.advance(HOUR + MINUTE);
    const expired = await b.get(path);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Lien expiré');
    expect(expired.body).toContain('demander un nouveau lien');
    const post = await b.post('/verification-email', { _csrf: csrfToken(stillValid.body), token });
    expect(post.statusCode).toBe(410);
    expect((await verifiedAt(customer.id)).email_primary_verified_at).toBeNull();

    for (const bad of [`/verification-email/${'A'.repeat(43)}`, '/verification-email/short', `/verification-email/${token.slice(0, 42)}%27`]) {
      const res = await b.get(bad);
      expect(res.statusCode, bad).toBe(404);
      expect(res.body).toContain('Lien non valable');
      expect(withoutCsrfTokens(res.body)).not.toMatch(/error|exception|sql/i);
    }
  });

  it('refuses a link whose address left the account', async () => {
    const { customer } = await firstConnection('verif.gone@example.fr');
    await mb.deliver();
    const { path } = linkTo('verif.gone@example.fr');
    await t.db.updateTable('customers').set({ email_primary: 'verif.other@example.fr' }).where('id', '=', customer.id).execute();
    const res = await new Browser(t.app, nextIp()).get(path);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('n’est plus enregistrée');
  });

  it('sends the link again from Profil, at most once per 5 minutes per address', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, { last_name: 'RENVOI' });
    await t.db
      .updateTable('customers')
      .set({ email_primary: 'renvoi.one@example.fr', email_secondary: 'renvoi.two@example.fr', email_secondary_verified_at: t.clock.now().toISOString() })
      .where('id', '=', customer.id)
      .execute();
    const b = new Browser(t.app, nextIp());
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    const count = async () =>
      (await t.db.selectFrom('email_verifications').select('id').where('customer_id', '=', customer.id).execute()).length;

    const first = await b.submit('/profil', '/profil/adresses-email/verification', { slot: 'primary' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/profil?verification=envoyee#adresses-email');
    expect((await b.get('/profil?verification=envoyee')).body).toContain('Un nouveau lien de vérification vient d’être envoyé');
    const second = await b.submit('/profil', '/profil/adresses-email/verification', { slot: 'primary' });
    expect(second.headers.location).toBe('/profil?verification=attendre#adresses-email');
    expect((await b.get('/profil?verification=attendre')).body).toContain('il y a moins de 5 minutes');
    expect(await count()).toBe(1);

    // A verified address gets no link.
    const verified = await b.submit('/profil', '/profil/adresses-email/verification', { slot: 'secondary' });
    expect(verified.headers.location).toBe('/profil?verification=deja#adresses-email');
    expect(await count()).toBe(1);

    t.clock.advance(5 * MINUTE + 1000);
    const third = await b.submit('/profil', '/profil/adresses-email/verification', { slot: 'primary' });
    expect(third.headers.location).toBe('/profil?verification=envoyee#adresses-email');
    expect(await count()).toBe(2);
    await mb.deliver();
    expect(mb.smtp.to('renvoi.one@example.fr')).toHaveLength(2);
    expect(mb.smtp.to('renvoi.two@example.fr')).toHaveLength(0);

    // The latest link works; so does the earlier one, still within its 48 h.
    const { path, token } = linkTo('renvoi.one@example.fr');
    const page = await b.get(path);
    const ok = await b.post('/verification-email', { _csrf: csrfToken(page.body), token });
    expect(ok.statusCode).toBe(200);
    expect((await b.get('/profil')).body).toContain('renvoi.one@example.fr (vérifiée)');
  });

  it('writes to an English-speaking customer in English, and shows the page in English', async () => {
    await firstConnection('verif.en@example.com', '', { language: 'en', last_name: 'SMITH', first_name: 'JOHN' });
    await mb.deliver();
    const { path, mail } = linkTo('verif.en@example.com');
    expect(mail.subject).toBe('Verify your e-mail address');
    expect(mail.text).toContain('Hello SMITH JOHN,');
    expect(mail.text).toContain('valid for 48 hours');
    expect(mail.html).toContain('<html lang="en">');
    const page = await new Browser(t.app, nextIp()).get(path);
    expect(page.body).toContain('<html lang="en"');
    expect(page.body).toContain('Confirm my e-mail address');
  });

  it('keeps tokens and passwords out of the audit log (L1)', async () => {
    const { customer } = await firstConnection('verif.audit@example.fr');
    await mb.deliver();
    const { path, token } = linkTo('verif.audit@example.fr');
    const b = new Browser(t.app, nextIp());
    const page = await b.get(path);
    await b.post('/verification-email', { _csrf: csrfToken(page.body), token });
    const entries = await t.db.selectFrom('audit_log').selectAll().execute();
    const all = JSON.stringify(entries);
    expect(all).not.toContain(token);
    expect(all).not.toContain(NEW_PASSWORD);
    const mine = entries.filter((e) => e.target_id === customer.id && e.action === 'customer.email_verify');
    expect(mine).toMatchObject([{ outcome: 'success', details: JSON.stringify({ slots: ['primary'] }) }]);
  });
});
