import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds } from '../../../tests/support/app.ts';
import { activeSubscriber, emailColumns, newSubscriber } from '../../../tests/support/factories.ts';
import { fieldError, summaryTargets } from '../../../tests/support/forms.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { HOUR, MINUTE } from '../../lib/clock.ts';
import { RESET_LIMITS } from './reset.service.ts';
import { hashToken } from '../../lib/tokens.ts';

const OLD_PASSWORD = 'violet tramway cerise';
const NEW_PASSWORD = 'girafe lanterne ardoise';

/** The body without what legitimately differs between two responses: the CSRF token. */
const normalise = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');

describe.each(databaseKinds())('password reset (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let ipSeq = 0;
  const nextIp = () => `198.51.100.${++ipSeq}`;
  let addrSeq = 0;

  /** An active customer whose primary (and, if asked, secondary) address is verified. */
  async function verifiedSubscriber(over: Parameters<typeof activeSubscriber>[3] & { secondary?: boolean; verified?: boolean } = {}) {
    const { secondary, verified = true, ...rest } = over;
    const n = ++addrSeq;
    const primary = `reset.${n}@example.fr`;
    const second = secondary ? `reset.${n}.bis@example.org` : null;
    const emails = emailColumns(primary, second, verified ? t.clock.now().toISOString() : null);
    const { customer, password } = await activeSubscriber(t.db, t.clock, OLD_PASSWORD, { ...rest, ...emails });
    return { customer, password, primary, secondary: second };
  }

  const ask = (number: string, ip = nextIp()) => new Browser(t.app, ip).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { identifiant: number });

  /** The reset link in the last mail to `address`. */
  const resetLink = (address: string) => {
    const mail = mb.last(address);
    expect(mail, `a mail to ${address}`).toBeDefined();
    const link = mb.link(mail!.text, t.config.PUBLIC_URL)!;
    const m = /\/reinitialiser\/([A-Za-z0-9_-]{43})$/.exec(link);
    expect(m, link).not.toBeNull();
    return { path: new URL(link).pathname, token: m![1]!, mail: mail! };
  };

  const setPassword = async (b: Browser, path: string, token: string, password: string, confirm = password) =>
    b.submit(path, '/reinitialiser', { token, password, password_confirm: confirm });

  it('is offered on the login page', async () => {
    const login = await new Browser(t.app).get('/connexion');
    expect(login.body).toContain('<a href="/mot-de-passe-oublie">Mot de passe oublié ?</a>');
    const form = await new Browser(t.app).get('/mot-de-passe-oublie');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('IDENTIFIANT (n° client)');
    expect(form.body).toContain('mot de passe temporaire qui figure sur votre dernière facture');
  });

  it('answers identically for an unknown number, a not-activated account, no verified e-mail and a good customer (A5)', async () => {
    const good = await verifiedSubscriber();
    const unverified = await verifiedSubscriber({ verified: false });
    const notActivated = await newSubscriber(t.db, t.clock);
    await t.db
      .updateTable('customers')
      .set({ email_primary: 'not.activated@example.fr', email_primary_verified_at: t.clock.now().toISOString() })
      .where('id', '=', notActivated.customer.id)
      .execute();
    const locked = await verifiedSubscriber();
    await t.db.updateTable('customer_logins').set({ state: 'locked' }).where('customer_id', '=', locked.customer.id).execute();

    const answers = {
      unknown: await ask('CLT999998'),
      notActivated: await ask(notActivated.customer.number),
      unverified: await ask(unverified.customer.number),
      locked: await ask(locked.customer.number),
      good: await ask(` ${good.customer.number.toLowerCase()} `),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.statusCode, name).toBe(200);
      expect(normalise(res.body), name).toBe(normalise(answers.unknown.body));
      expect(res.headers['set-cookie'] === undefined, name).toBe(answers.unknown.headers['set-cookie'] === undefined);
    }
    expect(answers.good.body).toContain(
      'Si ce numéro client correspond à un compte activé avec une adresse e-mail vérifiée, un e-mail vient d’y être envoyé.',
    );
    expect(answers.good.body).toContain(
      `s’il est activé mais sans adresse e-mail vérifiée, contactez le service client au ${t.config.OPERATOR_PHONE}`,
    );
    expect(answers.good.body).not.toContain(good.customer.number);

    await mb.deliver();
    expect(mb.smtp.to(good.primary)).toHaveLength(1);
    for (const address of [unverified.primary, locked.primary, 'not.activated@example.fr']) expect(mb.smtp.to(address), address).toHaveLength(0);
    const ids = [good, unverified, notActivated, locked].map((c) => c.customer.id);
    expect(await t.db.selectFrom('password_resets').select('customer_id').where('customer_id', 'in', ids).execute()).toEqual([{ customer_id: good.customer.id }]);

    // Each request is audited with what happened; the customer only ever sees the one page.
    const numbers = new Set(['CLT999998', ...[good, unverified, notActivated, locked].map((c) => c.customer.number)]);
    const audited = (await t.db.selectFrom('audit_log').select(['details']).where('action', '=', 'auth.password_reset.request').execute())
      .map((a) => JSON.parse(a.details!) as { identifier: string; result: string })
      .filter((d) => numbers.has(d.identifier));
    expect(audited.map((d) => d.result).sort()).toEqual(['no_verified_email', 'not_active', 'not_active', 'sent', 'unknown_customer']);
  });

  it('sends a single-use link to every verified address; using it sets the password, ends every session, logs nobody in and sends a notice (A6)', async () => {
    const { customer, primary, secondary } = await verifiedSubscriber({ secondary: true, last_name: 'RESET', first_name: 'ROSE' });
    // Two devices logged in before the reset.
    const laptop = new Browser(t.app, nextIp());
    const phone = new Browser(t.app, nextIp());
    for (const b of [laptop, phone]) {
      expect((await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: OLD_PASSWORD })).statusCode).toBe(303);
    }

    await ask(customer.number);
    await mb.deliver();
    const { path, token, mail } = resetLink(primary);
    expect(resetLink(secondary!).token).toBe(token);
    expect(mail.subject).toBe('Choisir un nouveau mot de passe');
    expect(mail.text).toContain('Bonjour RESET ROSE,');
    expect(mail.text).toContain('valable 1 heure');
    const stored = await t.db.selectFrom('password_resets').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(Date.parse(stored.expires_at) - Date.parse(stored.created_at)).toBe(HOUR);

    const visitor = new Browser(t.app, nextIp());
    const form = await visitor.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Choisir un nouveau mot de passe');
    expect(form.body).toContain(customer.number);

    // The password policy of the first login, with the customer's own words.
    const weak = await setPassword(visitor, path, token, 'azertyuiop123');
    expect(weak.statusCode).toBe(422);
    expect(weak.body).toMatch(/id="password-error"[^>]*>[^<]*(trop facile|trop courant)/);
    const short = await setPassword(visitor, path, token, 'court');
    expect(short.body).toContain('au moins 12 caractères');
    const personal = await setPassword(visitor, path, token, 'rose reset lanterne 42');
    expect(personal.body).toContain('ni votre identifiant, ni votre nom');
    const mismatch = await setPassword(visitor, path, token, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('Les deux mots de passe ne sont pas identiques');
    expect(mismatch.body).not.toContain(NEW_PASSWORD);

    const done = await setPassword(visitor, path, token, NEW_PASSWORD);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/connexion?mot-de-passe-modifie');
    // No auto-login.
    expect(visitor.cookies.get('portal_session')).toBeUndefined();
    const login = await visitor.get('/connexion?mot-de-passe-modifie');
    expect(login.body).toContain('Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.');
    expect((await visitor.get('/profil')).headers.location).toBe('/connexion?suite=/profil');

    // Every other session is over.
    for (const b of [laptop, phone]) {
      const res = await b.get('/profil');
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(/^\/connexion/);
    }
    expect(await t.db.selectFrom('sessions').select('token_hash').where('customer_id', '=', customer.id).execute()).toEqual([]);

    // The old password is dead, the new one works (argon2id).
    const account = await t.db.selectFrom('customer_logins').select('password_hash').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(account.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: customer.number, password: OLD_PASSWORD })).statusCode).toBe(401);
    expect((await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: customer.number, password: NEW_PASSWORD })).statusCode).toBe(303);

    // The link is spent.
    const reused = await new Browser(t.app, nextIp()).get(path);
    expect(reused.statusCode).toBe(410);
    expect(reused.body).toContain('Lien non valable');
    expect(reused.body).toContain('<a class="button" href="/mot-de-passe-oublie">Demander un nouveau lien</a>');
    const again = await visitor.post('/reinitialiser', { _csrf: csrfToken((await visitor.get('/connexion')).body), token, password: 'autre phrase tout aussi longue', password_confirm: 'autre phrase tout aussi longue' });
    expect(again.statusCode).toBe(410);
    const unchanged = await t.db.selectFrom('customer_logins').select('password_hash').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(unchanged.password_hash).toBe(account.password_hash);

    // The notice, to every verified address, without any link that logs in or resets.
    await mb.deliver();
    for (const address of [primary, secondary!]) {
      const notice = mb.last(address)!;
      expect(notice.subject).toBe('Votre mot de passe a été modifié');
      expect(notice.text).toContain('Si vous n’êtes pas à l’origine de cette action, contactez sans attendre le service client');
      expect(notice.text).toContain('toutes les sessions ouvertes ont été fermées');
      expect(notice.text).not.toContain(token);
      expect(notice.text).not.toContain(NEW_PASSWORD);
    }
  });

  it('spends every pending link of the customer when one is used', async () => {
    const { customer, primary } = await verifiedSubscriber();
    await ask(customer.number);
    await mb.deliver();
    const first = resetLink(primary);
    await ask(customer.number);
    await mb.deliver();
    const second = resetLink(primary);
    expect(second.token).not.toBe(first.token);
    const b = new Browser(t.app, nextIp());
    expect((await setPassword(b, second.path, second.token, NEW_PASSWORD)).statusCode).toBe(303);
    expect((await b.get(first.path)).statusCode).toBe(410);
  });

  it('ends the earlier links when a newer one is sent: the first is refused, the second works', async () => {
    const { customer, primary } = await verifiedSubscriber();
    await ask(customer.number);
    await mb.deliver();
    const first = resetLink(primary);
    await ask(customer.number);
    await mb.deliver();
    const second = resetLink(primary);
    expect(second.token).not.toBe(first.token);
    const b = new Browser(t.app, nextIp());
    const old = await b.get(first.path);
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('Lien non valable');
    expect((await setPassword(b, first.path, first.token, NEW_PASSWORD)).statusCode).toBe(410);
    expect((await b.get(second.path)).statusCode).toBe(200);
    expect((await setPassword(b, second.path, second.token, NEW_PASSWORD)).statusCode).toBe(303);
    expect((await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: customer.number, password: NEW_PASSWORD })).statusCode).toBe(303);
  });

  it('refuses a link after one hour, and a link of an account locked since', async () => {
    const { customer, primary } = await verifiedSubscriber();
    await ask(customer.number);
    await mb.deliver();
    const { path, token } = resetLink(primary);
    const b = new Browser(t.app, nextIp());
    t.clock.advance(59 * MINUTE);
    const form = await b.get(path);
    expect(form.statusCode).toBe(200);
    t.clock.advance(2 * MINUTE);
    const late = await b.get(path);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('il a expiré');
    const post = await b.post('/reinitialiser', { _csrf: csrfToken(form.body), token, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(post.statusCode).toBe(410);
    expect((await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: customer.number, password: OLD_PASSWORD })).statusCode).toBe(303);

    const other = await verifiedSubscriber();
    await ask(other.customer.number);
    await mb.deliver();
    const link = resetLink(other.primary);
    await t.db.updateTable('customer_logins').set({ state: 'locked' }).where('customer_id', '=', other.customer.id).execute();
    expect((await b.get(link.path)).statusCode).toBe(410);

    const unknown = await b.get(`/reinitialiser/${'x'.repeat(43)}`);
    expect(unknown.statusCode).toBe(410);
    // The same page whatever the link (its own URL aside, kept for the language switch).
    const withoutPath = (body: string) => normalise(body).replace(/name="next" value="[^"]+"/, '');
    expect(withoutPath(unknown.body)).toBe(withoutPath(late.body));
  });

  it('holds requests back per customer number and per IP, the same for every number (no mail flood)', async () => {
    const { customer, primary } = await verifiedSubscriber();
    const statuses: number[] = [];
    const unknownStatuses: number[] = [];
    for (let i = 0; i < RESET_LIMITS.perNumber + 2; i++) {
      const res = await ask(customer.number);
      statuses.push(res.statusCode);
      unknownStatuses.push((await ask('CLT999997')).statusCode);
      if (res.statusCode === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(RESET_LIMITS.windowMs / 1000);
        expect(res.body).toContain('Trop de demandes');
      }
    }
    const expected = [...Array(RESET_LIMITS.perNumber).fill(200), 429, 429];
    expect(statuses).toEqual(expected);
    expect(unknownStatuses).toEqual(expected);
    await mb.deliver();
    expect(mb.smtp.to(primary)).toHaveLength(RESET_LIMITS.perNumber);

    t.clock.advance(RESET_LIMITS.windowMs + 1000);
    expect((await ask(customer.number)).statusCode).toBe(200);

    // One IP, many numbers.
    const ip = nextIp();
    const perIp: number[] = [];
    for (let i = 0; i < RESET_LIMITS.perIp + 1; i++) perIp.push((await ask(`CLT8${String(i).padStart(5, '0')}`, ip)).statusCode);
    expect(perIp.slice(0, RESET_LIMITS.perIp).every((s) => s === 200)).toBe(true);
    expect(perIp[RESET_LIMITS.perIp]).toBe(429);
  });

  it('writes in English to an English-speaking customer and shows the form in English', async () => {
    const { customer, primary } = await verifiedSubscriber({ language: 'en', last_name: 'SMITH', first_name: 'JANE' });
    await ask(customer.number);
    await mb.deliver();
    const { path, token, mail } = resetLink(primary);
    expect(mail.subject).toBe('Choose a new password');
    expect(mail.text).toContain('Hello SMITH JANE,');
    expect(mail.text).toContain('valid for 1 hour');
    const b = new Browser(t.app, nextIp());
    const form = await b.get(path);
    expect(form.body).toContain('<html lang="en"');
    expect(form.body).toContain('NEW PASSWORD');
    const weak = await setPassword(b, path, token, 'password1234');
    expect(weak.body).toMatch(/too common|too easy/);
    expect((await setPassword(b, path, token, NEW_PASSWORD)).statusCode).toBe(303);
    await mb.deliver();
    expect(mb.last(primary)!.subject).toBe('Your password has been changed');
  });

  it('says the password rule with its length, in French and in English', async () => {
    for (const [language, tooShort, summary] of [
      ['fr', 'Le mot de passe doit contenir au moins 12 caractères.', 'NOUVEAU MOT DE PASSE : Le mot de passe doit contenir au moins 12 caractères.'],
      ['en', 'The password must be at least 12 characters long.', 'NEW PASSWORD: The password must be at least 12 characters long.'],
    ] as const) {
      const { customer, primary } = await verifiedSubscriber({ language });
      await ask(customer.number);
      await mb.deliver();
      const { path, token } = resetLink(primary);
      const res = await setPassword(new Browser(t.app, nextIp()), path, token, 'court');
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(`<html lang="${language}"`);
      expect(fieldError(res.body, 'password')).toBe(tooShort);
      expect(res.body).toContain(summary);
      expect(summaryTargets(res.body)).toEqual(['password']);
      expect(res.body).not.toMatch(/\{[a-z]+\}/i);
    }
  });

  it('keeps passwords and tokens out of the audit log (L1)', async () => {
    const { customer, primary } = await verifiedSubscriber();
    await ask(customer.number);
    await mb.deliver();
    const { path, token } = resetLink(primary);
    const b = new Browser(t.app, nextIp());
    await setPassword(b, path, token, 'trop court');
    await setPassword(b, path, token, NEW_PASSWORD);
    const entries = await t.db.selectFrom('audit_log').selectAll().execute();
    const all = JSON.stringify(entries);
    for (const secret of [token, hashToken(token), NEW_PASSWORD, OLD_PASSWORD, 'trop court']) expect(all).not.toContain(secret);
    const mine = entries.filter((e) => e.target_id === customer.id).map((e) => [e.action, e.outcome]);
    expect(mine).toEqual(expect.arrayContaining([['auth.password_reset.request', 'success'], ['auth.password_reset', 'success']]));
  });

  it('keeps no token in the outbox once the reset mail is delivered, only what the back office shows', async () => {
    const { customer, primary } = await verifiedSubscriber();
    await ask(customer.number);
    await mb.deliver();
    const { token, mail } = resetLink(primary);
    const row = await t.db.selectFrom('outbox').selectAll().where('recipient', '=', primary).executeTakeFirstOrThrow();
    for (const [column, value] of Object.entries(row)) {
      for (const secret of [token, encodeURIComponent(token), hashToken(token)]) expect(String(value), column).not.toContain(secret);
    }
    expect(row).toMatchObject({ template: 'reset', subject: mail.subject, status: 'sent', attempts: 1, last_error: null });
    expect(row.sent_at).toBe(t.clock.now().toISOString());
  });
});

describe('the request log (L1)', () => {
  it('never holds the token of a reset, verification or newsletter link, while it logs other URLs', () => {
    const token = 'T0kenT0kenT0kenT0kenT0kenT0kenT0kenT0kenT0k';
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-log-'));
    // The app at LOG_LEVEL=info in a process of its own, whose standard output is the log.
    const code = `
      const { buildApp } = await import('./src/app.tsx');
      const { testConfig } = await import('./src/config.ts');
      const { openDatabase, migrateToLatest } = await import('./src/db/database.ts');
      const db = openDatabase('sqlite::memory:');
      await migrateToLatest(db);
      const app = await buildApp({ config: testConfig({ LOG_LEVEL: 'info', DATA_DIR: ${JSON.stringify(dataDir)}, MAIL_WORKER: 'off' }), db });
      await app.ready();
      for (const url of ['/reinitialiser/${token}', '/verification-email/${token}', '/newsletter/confirmer/${token}', '/newsletter/desabonnement/${token}', '/connexion?log-marker']) await app.inject({ method: 'GET', url });
      await app.inject({ method: 'POST', url: '/newsletter/desabonnement/${token}', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      await app.close();
      await db.destroy();
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 25_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('/connexion?log-marker');
    expect(run.stdout).not.toContain(token);
  });
});
