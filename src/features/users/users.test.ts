import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInBrowser } from '../../../tests/support/app.ts';
import { activeSubscriber, activeUser, createCarPark, createContract, emailColumns } from '../../../tests/support/factories.ts';
import { fieldError } from '../../../tests/support/forms.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { loginKey } from '../auth/throttle.ts';
import { invitationResendKey } from './users.service.ts';
import { createHash } from 'node:crypto';
import { insertDocument } from '../../../tests/support/documents.ts';
import { DAY } from '../../lib/clock.ts';
import { publishDocumentPdf } from '../documents/documents.service.ts';
import { hashToken } from '../../lib/tokens.ts';

/*
 * The users of a business account (issue 14), through the pages: the owner invites a colleague,
 * who gets the link by e-mail (a real SMTP server), chooses a password, logs in with their address
 * and sees the account's data; the login's throttle holds an address as it holds a number; the
 * owner changes a role, removes a user (their session ends at once); another account's user is
 * a 404, audited; the audit log names the user who acted.
 */

const OWNER_PASSWORD = 'violet tramway cerise';
const USER_PASSWORD = 'girafe lanterne ardoise';

describe.each(databaseKinds())('users of a business account (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let ipSeq = 0;
  const nextIp = () => `198.51.100.${++ipSeq}`;
  let seq = 0;

  /** A business customer (verified address, a contract) and its owner logged in. */
  async function businessOwner() {
    const n = ++seq;
    const { customer } = await activeSubscriber(t.db, t.clock, OWNER_PASSWORD, {
      kind: 'business',
      company_name: `ENTREPRISE ${n} SAS`,
      paperless: 1,
      paperless_changed_at: '2026-01-01T00:00:00.000Z',
      ...emailColumns(`compta.${n}@entreprise.example`, null, t.clock.now().toISOString()),
    });
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { product: 'business' });
    const owner = await loggedInBrowser(t.app, nextIp(), customer.number, OWNER_PASSWORD);
    return { customer, contract, owner };
  }

  const invite = (b: Browser, fields: { email: string; name: string; role: string }) => b.submit('/profil/utilisateurs', '/profil/utilisateurs', fields);

  /** The token of the last link to `/utilisateur/` mailed to `address`. */
  async function mailedLink(address: string) {
    await mb.deliver();
    const mail = mb.last(address);
    expect(mail, `a mail to ${address}`).toBeDefined();
    const link = mb.link(mail!.text, t.config.PUBLIC_URL)!;
    const m = /\/utilisateur\/([A-Za-z0-9_-]{43})$/.exec(link);
    expect(m, link).not.toBeNull();
    return { path: new URL(link).pathname, token: m![1]!, mail: mail! };
  }

  /** Customer service's resends of this account's invitations (audited under the member of staff). */
  const staffResends = (customerId: string) =>
    t.db.selectFrom('audit_log').selectAll().where('target_id', '=', customerId).where('action', '=', 'customer.user.invitation_resend').where('actor_type', '=', 'staff').execute();

  const auditOf = (customerId: string, action: string) =>
    t.db.selectFrom('audit_log').selectAll().where('actor_id', '=', customerId).where('action', '=', action).orderBy('at').orderBy('id').execute();

  it('invites a colleague by e-mail, who chooses a password and logs in with their address', async () => {
    const { customer, owner } = await businessOwner();
    const profile = await owner.get('/profil');
    expect(profile.body).toContain('<a href="/profil/utilisateurs">Gérer les utilisateurs du compte</a>');

    const address = `marie.${seq}@entreprise.example`;
    const sent = await invite(owner, { email: ` Marie.${seq}@Entreprise.example `, name: 'Marie Dupont', role: 'accountant' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/profil/utilisateurs?fait=invitation');
    const page = await owner.get('/profil/utilisateurs?fait=invitation');
    expect(page.body).toContain('Invitation envoyée');
    expect(page.body).toContain('Marie Dupont');
    expect(page.body).toContain(address);
    expect(page.body).toContain('Invitation envoyée (valable jusqu’au 04/12/2026)</td>');

    const { path, token, mail } = await mailedLink(address);
    expect(mail.subject).toBe(`Invitation à l’espace client de ENTREPRISE ${seq} SAS`);
    expect(mail.text).toContain('Bonjour Marie Dupont');
    expect(mail.text).toContain('Comptable');
    const row = await t.db.selectFrom('customer_users').selectAll().where('email', '=', address).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token)); // only its hash is kept
    expect(Date.parse(row.token_expires_at!) - t.clock.now().getTime()).toBe(7 * DAY);

    const invitee = new Browser(t.app, nextIp());
    const form = await invitee.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(customer.number);
    expect(form.body).toContain(address);
    // The customers' password rules: too short, then the account's name in it, then a mismatch.
    const short = await invitee.post('/utilisateur', { _csrf: csrfToken(form.body), token, password: 'court', password_confirm: 'court' });
    expect(short.statusCode).toBe(422);
    expect(fieldError(short.body, 'password')).toContain('au moins 12 caractères');
    const mismatch = await invitee.post('/utilisateur', { _csrf: csrfToken(short.body), token, password: USER_PASSWORD, password_confirm: `${USER_PASSWORD}x` });
    expect(fieldError(mismatch.body, 'password_confirm')).toBeDefined();
    const set = await invitee.post('/utilisateur', { _csrf: csrfToken(mismatch.body), token, password: USER_PASSWORD, password_confirm: USER_PASSWORD });
    expect(set.statusCode).toBe(303);
    expect(set.headers.location).toBe('/connexion?acces-active');
    expect((await invitee.get('/connexion?acces-active')).body).toContain('Votre mot de passe est enregistré');
    // The link works once; a first password is no change to be told of.
    expect((await new Browser(t.app, nextIp()).get(path)).statusCode).toBe(410);
    await mb.deliver();
    expect(mb.last(address)!.subject).toBe(mail.subject);

    // The login by address, typed in any case; the account's number and data on every page.
    const user = await loggedInBrowser(t.app, nextIp(), address.toUpperCase(), USER_PASSWORD);
    const account = await user.get('/mon-compte');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Bienvenue Marie Dupont');
    const me = await user.get('/profil');
    expect(me.body).toContain(customer.number);
    expect(me.body).not.toContain('/profil/utilisateurs'); // not for an accountant
    expect(me.body).not.toContain('action="/profil/documents-par-email"');
    expect(me.body).toContain('<a href="/profil/mot-de-passe">Changer mon mot de passe</a>'); // their own password

    const listed = await owner.get('/profil/utilisateurs');
    expect(listed.body).toContain('Actif</td>');

    // Audited: the invitation by the owner; the activation and the login by the user, named.
    const [invited] = await auditOf(customer.id, 'customer.user.invite');
    expect(invited).toMatchObject({ outcome: 'success', user_id: null, user_name: null });
    expect(JSON.parse(invited!.details!)).toMatchObject({ email: address, name: 'Marie Dupont', role: 'accountant' });
    const [activated] = await auditOf(customer.id, 'customer.user.activate');
    expect(activated).toMatchObject({ user_id: row.id, user_name: 'Marie Dupont' });
    const logins = await auditOf(customer.id, 'auth.login');
    expect(logins.at(-1)).toMatchObject({ outcome: 'success', user_id: row.id, user_name: 'Marie Dupont' });
    const stored = await t.db.selectFrom('customer_users').select(['state', 'last_login_at', 'token_hash']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ state: 'active', token_hash: null, last_login_at: t.clock.now().toISOString() });
  });

  it('lets an accountant download the account’s documents and pay, and shows contracts without their actions', async () => {
    const { customer, contract } = await businessOwner();
    const doc = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `26FVU${seq}001`, issueDate: '2026-11-01', htCents: 21667 });
    const { sha256 } = await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, doc.id);
    const u = await activeUser(t.db, t.clock, customer.id, 'accountant');
    const b = await loggedInBrowser(t.app, nextIp(), u.email, u.password);

    const account = await b.get('/mon-compte');
    expect(account.body).toContain(`href="/mon-compte/documents/26FVU${seq}001.pdf"`);
    const pdf = await b.get(`/mon-compte/documents/26FVU${seq}001.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(sha256);

    const pay = await b.get('/mon-compte/paiement');
    expect(pay.statusCode).toBe(200);
    const started = await b.post('/mon-compte/paiement', { _csrf: csrfToken(pay.body), facture: doc.id });
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toMatch(/\/sandbox-paiement\/sbx_/);
    const [attempt] = await auditOf(customer.id, 'payment.start');
    expect(attempt).toMatchObject({ outcome: 'success', user_id: u.id, user_name: u.name });

    const contracts = await b.get('/contrats');
    expect(contracts.statusCode).toBe(200);
    expect(contracts.body).toContain(contract.number);
    expect(contracts.body).not.toContain('/resiliation');
    expect(contracts.body).not.toContain('/vehicules');
    const one = await b.get(`/contrats/${contract.number}`);
    expect(one.body).toContain('lecture seule');
    expect(one.body).not.toContain('/resiliation');
    expect((await b.get(`/contrats/${contract.number}/resiliation`)).statusCode).toBe(403);
  });

  it('keeps what was typed and says what is wrong with an invitation, in French', async () => {
    const { owner } = await businessOwner();
    const empty = await invite(owner, { email: 'pas-une-adresse', name: ' ', role: 'directeur' });
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'email')).toBeDefined();
    expect(fieldError(empty.body, 'name')).toBe('Saisissez le nom de votre collègue.');
    expect(fieldError(empty.body, 'role')).toBe('Choisissez un rôle.');
    expect(empty.body).toContain('value="pas-une-adresse"');

    const taken = await activeUser(t.db, t.clock, (await businessOwner()).customer.id, 'manager');
    const again = await invite(owner, { email: taken.email, name: 'Paul Durand', role: 'manager' });
    expect(again.statusCode).toBe(422);
    expect(fieldError(again.body, 'email')).toBe('Cette adresse est déjà celle d’un utilisateur.');
    expect(again.body).toContain('value="Paul Durand"');
    expect(again.body).toMatch(/<option value="manager" selected/);
  });

  it('holds an e-mail address after five wrong passwords, with the message a number gets', async () => {
    const { customer } = await businessOwner();
    const user = await activeUser(t.db, t.clock, customer.id, 'manager');
    const b = new Browser(t.app, nextIp());
    const unknown = await b.submit('/connexion', '/connexion', { identifiant: 'personne@entreprise.example', password: 'mauvais mot de passe' });
    expect(unknown.statusCode).toBe(401);
    for (let i = 0; i < 5; i++) {
      const wrong = await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: user.email, password: 'mauvais mot de passe' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain('Identifiant ou mot de passe incorrect.');
    }
    // Held: even the right password waits, from another IP.
    const held = await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: user.email, password: user.password });
    expect(held.statusCode).toBe(429);
    expect(held.headers['retry-after']).toBeDefined();
    expect(held.body).toContain('Trop de tentatives de connexion');
    const throttle = await t.db.selectFrom('login_throttle').selectAll().where('key', '=', `login:${user.email}`).executeTakeFirstOrThrow();
    expect(throttle.failures).toBe(5);
    t.clock.advance(2 * 60_000);
    expect((await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: user.email, password: user.password })).statusCode).toBe(303);
  });

  it('refuses the users page to a manager, and logs in neither an invited nor a removed user', async () => {
    const { customer } = await businessOwner();
    const manager = await activeUser(t.db, t.clock, customer.id, 'manager');
    const b = await loggedInBrowser(t.app, nextIp(), manager.email, manager.password);
    const page = await b.get('/profil/utilisateurs');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Votre rôle ne donne pas accès à cette page.');
    const token = csrfToken((await b.get('/profil')).body);
    const posted = await b.post('/profil/utilisateurs', { _csrf: token, email: 'x@entreprise.example', name: 'X', role: 'manager' });
    expect(posted.statusCode).toBe(403);
    expect(await t.db.selectFrom('customer_users').select('id').where('email', '=', 'x@entreprise.example').execute()).toEqual([]);
    const denied = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.user.denied').where('user_id', '=', manager.id).execute();
    expect(denied.map((d) => JSON.parse(d.details!).path)).toEqual(['/profil/utilisateurs', '/profil/utilisateurs']);
    expect(denied[0]).toMatchObject({ outcome: 'denied', actor_id: customer.id, user_name: manager.name });
    // A manager does what the owner does with the account: the paperless consent, say.
    const consent = await b.post('/profil/documents-par-email', { _csrf: token, paperless: 'no' });
    expect(consent.statusCode).toBe(303);
    const [given] = await auditOf(customer.id, 'customer.paperless');
    expect(given).toMatchObject({ user_id: manager.id, user_name: manager.name });

    // Invited, not yet activated: no password works.
    const { owner } = await businessOwner();
    await invite(owner, { email: `invite.${seq}@entreprise.example`, name: 'Jean Invité', role: 'manager' });
    const pending = await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: `invite.${seq}@entreprise.example`, password: USER_PASSWORD });
    expect(pending.statusCode).toBe(401);
  });

  it('lets a manager change the account’s addresses with their own password, a wrong one counted against their address', async () => {
    const { customer } = await businessOwner();
    const m = await activeUser(t.db, t.clock, customer.id, 'manager');
    const b = await loggedInBrowser(t.app, nextIp(), m.email, m.password);
    const fields = { email_primary: `nouvelle.${seq}@entreprise.example`, email_secondary: '' };
    const wrong = await b.submit('/profil/adresses-email', '/profil/adresses-email', { ...fields, current_password: OWNER_PASSWORD.replace('violet', 'rouge') });
    expect(wrong.statusCode).toBe(422);
    expect(fieldError(wrong.body, 'current_password')).toBeDefined();
    expect(wrong.body).toContain(`value="nouvelle.${seq}@entreprise.example"`);
    const counted = await t.db.selectFrom('login_throttle').select('failures').where('key', '=', `login:${m.email}`).executeTakeFirstOrThrow();
    expect(counted.failures).toBe(1);
    const done = await b.submit('/profil/adresses-email', '/profil/adresses-email', { ...fields, current_password: m.password });
    expect(done.statusCode).toBe(303);
    const row = await t.db.selectFrom('customers').select('email_primary').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.email_primary).toBe(`nouvelle.${seq}@entreprise.example`);
    const [changed] = await auditOf(customer.id, 'customer.email_change');
    expect(changed).toMatchObject({ user_id: m.id, user_name: m.name });
  });

  it('removes a user at once: their session ends at their next request, their login fails', async () => {
    const { customer, owner } = await businessOwner();
    const accountant = await activeUser(t.db, t.clock, customer.id, 'accountant');
    const user = await loggedInBrowser(t.app, nextIp(), accountant.email, accountant.password);
    expect((await user.get('/mon-compte')).statusCode).toBe(200);

    const page = await owner.get('/profil/utilisateurs');
    expect(page.body).toContain(accountant.name);
    const removed = await owner.post(`/profil/utilisateurs/${accountant.id}/suppression`, { _csrf: csrfToken(page.body) });
    expect(removed.statusCode).toBe(303);
    expect((await owner.get('/profil/utilisateurs?fait=retrait')).body).toContain('L’accès est retiré');

    const next = await user.get('/mon-compte');
    expect(next.statusCode).toBe(302);
    expect(next.headers.location).toBe('/connexion?suite=/mon-compte'); // logged out: their session is gone
    expect(await t.db.selectFrom('sessions').select('token_hash').where('user_id', '=', accountant.id).execute()).toEqual([]);
    const again = await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: accountant.email, password: accountant.password });
    expect(again.statusCode).toBe(401);
    const [entry] = await auditOf(customer.id, 'customer.user.remove');
    expect(JSON.parse(entry!.details!)).toMatchObject({ user_id: accountant.id, name: accountant.name, sessions_ended: 'all' });
    // The owner still works.
    expect((await owner.get('/mon-compte')).statusCode).toBe(200);
  });

  it('changes a role, which applies from the next page', async () => {
    const { customer, owner, contract } = await businessOwner();
    const u = await activeUser(t.db, t.clock, customer.id, 'manager');
    const user = await loggedInBrowser(t.app, nextIp(), u.email, u.password);
    expect((await user.get(`/contrats/${contract.number}/resiliation`)).statusCode).not.toBe(403);
    const page = await owner.get('/profil/utilisateurs');
    const changed = await owner.post(`/profil/utilisateurs/${u.id}/role`, { _csrf: csrfToken(page.body), role: 'accountant' });
    expect(changed.statusCode).toBe(303);
    expect((await user.get(`/contrats/${contract.number}/resiliation`)).statusCode).toBe(403);
    const [entry] = await auditOf(customer.id, 'customer.user.role');
    expect(JSON.parse(entry!.details!)).toMatchObject({ user_id: u.id, from: 'manager', to: 'accountant' });
  });

  it('answers another account’s user as what does not exist, and audits it', async () => {
    const { owner } = await businessOwner();
    const other = await businessOwner();
    const theirs = await activeUser(t.db, t.clock, other.customer.id, 'accountant');
    const token = csrfToken((await owner.get('/profil/utilisateurs')).body);
    for (const action of ['suppression', 'role']) {
      const res = await owner.post(`/profil/utilisateurs/${theirs.id}/${action}`, { _csrf: token, role: 'manager' });
      expect(res.statusCode, action).toBe(404);
    }
    const malformed = await owner.post('/profil/utilisateurs/pas-un-id/suppression', { _csrf: token });
    expect(malformed.statusCode).toBe(404);
    const denied = await t.db.selectFrom('audit_log').select(['target_type', 'target_id']).where('action', '=', 'authz.denied').where('target_type', '=', 'customer_user').where('target_id', 'in', [theirs.id, 'pas-un-id']).execute();
    expect(denied).toHaveLength(3);
    const still = await t.db.selectFrom('customer_users').select(['state', 'role']).where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(still).toEqual({ state: 'active', role: 'accountant' });
    // A consumer has no users page at all.
    const { b: consumer } = await (async () => {
      const { customer } = await activeSubscriber(t.db, t.clock, OWNER_PASSWORD);
      return { b: await loggedInBrowser(t.app, nextIp(), customer.number, OWNER_PASSWORD) };
    })();
    expect((await consumer.get('/profil/utilisateurs')).statusCode).toBe(404);
    expect((await consumer.get('/profil')).body).not.toContain('/profil/utilisateurs');
  });

  it('sends a user who forgot their password a new link to their address', async () => {
    const { customer } = await businessOwner();
    const u = await activeUser(t.db, t.clock, customer.id, 'accountant');
    const asked = await new Browser(t.app, nextIp()).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { identifiant: u.email });
    expect(asked.statusCode).toBe(200);
    const { path, token, mail } = await mailedLink(u.email);
    expect(mail.subject).toBe('Votre nouveau mot de passe');
    const b = new Browser(t.app, nextIp());
    const form = await b.get(path);
    const done = await b.post('/utilisateur', { _csrf: csrfToken(form.body), token, password: USER_PASSWORD, password_confirm: USER_PASSWORD });
    expect(done.statusCode).toBe(303);
    await loggedInBrowser(t.app, nextIp(), u.email, USER_PASSWORD);
    // Told, as the owner is after a reset.
    await mb.deliver();
    expect(mb.last(u.email)!.subject).toBe('Votre mot de passe a été modifié');
    const [reset] = await auditOf(customer.id, 'customer.user.password_reset');
    expect(reset).toMatchObject({ user_id: u.id, user_name: u.name });
  });

  it('shows the back office the users of an account, and lets staff remove one', async () => {
    const { customer } = await businessOwner();
    const u = await activeUser(t.db, t.clock, customer.id, 'manager', { name: 'Louise Bernard' });
    const session = await loggedInBrowser(t.app, nextIp(), u.email, u.password);
    const { b: staff } = await loggedInStaff(t, nextIp());
    const page = await staff.get(`/gestion/clients/${customer.number}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Utilisateurs du compte');
    expect(page.body).toContain('Louise Bernard');
    expect(page.body).toContain(u.email);
    expect(page.body).toContain('Gestionnaire');
    const removed = await staff.post(`/gestion/clients/${customer.number}/utilisateurs/${u.id}/suppression`, { _csrf: csrfToken(page.body) });
    expect(removed.statusCode).toBe(303);
    expect((await staff.get(`/gestion/clients/${customer.number}`)).body).toContain('Retiré');
    expect((await session.get('/profil')).statusCode).toBe(302);
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.user.remove').where('target_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(entry.actor_type).toBe('staff');
    // The journal (admins) names the user who acted: her login, by name.
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const journal = await admin.get(`/gestion/journal?client=${customer.number}&action=auth.login`);
    expect(journal.statusCode).toBe(200);
    expect(journal.body).toContain('par Louise Bernard');
  });
  it('lets customer service send an invitation again from the back office: a new link, audited as staff, within the same daily limit', async () => {
    const { customer, owner } = await businessOwner();
    const address = `guichet.${seq}@entreprise.example`;
    await invite(owner, { email: address, name: 'Nina Guichet', role: 'manager' });
    const first = await mailedLink(address);
    const id = (await t.db.selectFrom('customer_users').select('id').where('email', '=', address).executeTakeFirstOrThrow()).id;
    const { b: staff } = await loggedInStaff(t, nextIp());
    const page = await staff.get(`/gestion/clients/${customer.number}`);
    expect(page.body).toContain('aria-label="Renvoyer l’invitation à Nina Guichet">Renvoyer l’invitation</button>');
    const path = `/gestion/clients/${customer.number}/utilisateurs/${id}/invitation`;
    const resent = await staff.post(path, { _csrf: csrfToken(page.body) });
    expect([resent.statusCode, resent.headers.location]).toEqual([303, `/gestion/clients/${customer.number}?fait=invitation-renvoyee#actions`]);
    expect((await staff.get(String(resent.headers.location))).body).toContain('Invitation renvoyée à l’utilisateur : le lien précédent ne fonctionne plus, le nouveau est valable 7 jours.');
    const second = await mailedLink(address);
    expect(second.token).not.toBe(first.token);
    expect((await new Browser(t.app, nextIp()).get(second.path)).statusCode).toBe(200);
    expect((await new Browser(t.app, nextIp()).get(first.path)).statusCode).toBe(410);
    const [entry] = await staffResends(customer.id);
    expect(entry).toMatchObject({ actor_type: 'staff', outcome: 'success' });
    // The owner's sends and customer service's count together: two more, then held.
    for (let i = 0; i < 2; i++) expect((await staff.post(path, { _csrf: csrfToken(page.body) })).headers.location).toContain('fait=invitation-renvoyee');
    const held = await staff.post(path, { _csrf: csrfToken(page.body) });
    expect(held.headers.location).toBe(`/gestion/clients/${customer.number}?fait=invitation-attendre#actions`);
    expect((await staff.get(String(held.headers.location))).body).toContain('rien n’a été envoyé, réessayez demain.');
    expect(await staffResends(customer.id)).toHaveLength(3);
    // Another account's user, through this customer's URL: not found.
    const other = await businessOwner();
    const stranger = await activeUser(t.db, t.clock, other.customer.id, 'manager');
    expect((await staff.post(`/gestion/clients/${customer.number}/utilisateurs/${stranger.id}/invitation`, { _csrf: csrfToken(page.body) })).statusCode).toBe(404);
  });

  it('lets a user change their own password with the owner’s form and rules, in French and English', async () => {
    const { customer } = await businessOwner();
    const own = 'ardoise lanterne girafe';
    const u = await activeUser(t.db, t.clock, customer.id, 'accountant', { name: 'Louis Garnier', password: own });
    const b = await loggedInBrowser(t.app, nextIp(), u.email, own);
    const change = (fields: Record<string, string>) => b.submit('/profil/mot-de-passe', '/profil/mot-de-passe', fields);
    const hash = async () => (await t.db.selectFrom('customer_users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow()).password_hash;
    const before = await hash();

    const form = await b.get('/profil/mot-de-passe');
    expect(form.statusCode).toBe(200);
    for (const text of ['<h1>Changer mon mot de passe</h1>', 'MOT DE PASSE ACTUEL', 'NOUVEAU MOT DE PASSE', 'autocomplete="current-password"', 'name="_csrf"']) expect(form.body).toContain(text);

    // Their own password is asked, not the owner's: a wrong one counted against their address, the new one kept.
    const missing = await change({ password: USER_PASSWORD, password_confirm: USER_PASSWORD });
    expect(missing.statusCode).toBe(422);
    expect(fieldError(missing.body, 'current_password')).toBe('Saisissez votre mot de passe actuel.');
    const wrong = await change({ current_password: OWNER_PASSWORD, password: USER_PASSWORD, password_confirm: USER_PASSWORD });
    expect(wrong.statusCode).toBe(422);
    expect(fieldError(wrong.body, 'current_password')).toBe('Mot de passe incorrect.');
    expect(wrong.body).not.toContain(`value="${OWNER_PASSWORD}"`);
    expect(wrong.body).toContain(`value="${USER_PASSWORD}"`); // the new one, as the owner's form keeps it
    const counted = await t.db.selectFrom('login_throttle').select('failures').where('key', '=', loginKey(u.email)).executeTakeFirstOrThrow();
    expect(counted.failures).toBe(1);

    // The customers' policy, with the user's name and address against it.
    const short = await change({ current_password: own, password: 'court', password_confirm: 'court' });
    expect(short.statusCode).toBe(422);
    expect(fieldError(short.body, 'password')).toBe('Le mot de passe doit contenir au moins 12 caractères.');
    expect(short.body).not.toContain('value="court"');
    const named = await change({ current_password: own, password: 'garnier louis tramway', password_confirm: 'garnier louis tramway' });
    expect(fieldError(named.body, 'password')).toMatch(/^Le mot de passe ne doit contenir ni votre identifiant/);
    const same = await change({ current_password: own, password: own, password_confirm: own });
    expect(fieldError(same.body, 'password')).toBe('Le nouveau mot de passe doit être différent du mot de passe actuel.');
    const mismatch = await change({ current_password: own, password: USER_PASSWORD, password_confirm: `${USER_PASSWORD}!` });
    expect(fieldError(mismatch.body, 'password_confirm')).toBe('Les deux mots de passe ne sont pas identiques.');
    expect(await hash()).toBe(before);

    // CSRF: a post without the form's token changes nothing.
    const forged = await b.post('/profil/mot-de-passe', { current_password: own, password: USER_PASSWORD, password_confirm: USER_PASSWORD });
    expect(forged.statusCode).toBe(403);
    expect(await hash()).toBe(before);

    await t.db.updateTable('customers').set({ language: 'en' }).where('id', '=', customer.id).execute();
    const en = await loggedInBrowser(t.app, nextIp(), u.email, own);
    const english = await en.submit('/profil/mot-de-passe', '/profil/mot-de-passe', { current_password: 'not mine at all', password: 'short', password_confirm: 'short' });
    expect(english.body).toContain('<html lang="en"');
    expect(fieldError(english.body, 'current_password')).toBe('Incorrect password.');
    expect(fieldError(english.body, 'password')).toBe('The password must be at least 12 characters long.');
    expect(await hash()).toBe(before);
  });

  it('sets a user’s new password: their other sessions end, the owner’s and the other users’ go on, told by e-mail, audited under their name', async () => {
    const { customer, owner } = await businessOwner();
    const own = 'ardoise lanterne girafe';
    const u = await activeUser(t.db, t.clock, customer.id, 'manager', { name: 'Nadia Perrin', password: own });
    const colleague = await activeUser(t.db, t.clock, customer.id, 'accountant');
    const b = await loggedInBrowser(t.app, nextIp(), u.email, own);
    const elsewhere = await loggedInBrowser(t.app, nextIp(), u.email, own);
    const other = await loggedInBrowser(t.app, nextIp(), colleague.email, colleague.password);
    const cookie = b.cookies.get('portal_session');
    const ownerLogin = () => t.db.selectFrom('customer_logins').select(['password_hash', 'password_changed_at']).where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    const ownerBefore = await ownerLogin();

    const done = await b.submit('/profil/mot-de-passe', '/profil/mot-de-passe', { current_password: own, password: USER_PASSWORD, password_confirm: USER_PASSWORD });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/profil?mot-de-passe=modifie#mot-de-passe']);
    expect(b.cookies.get('portal_session')).not.toBe(cookie);
    const profile = await b.get('/profil?mot-de-passe=modifie');
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('Votre mot de passe a été modifié. Vos sessions ouvertes ailleurs ont été fermées.');
    expect(profile.body).toContain('Bienvenue Nadia Perrin'); // still her, in a new session of hers
    expect(await t.db.selectFrom('sessions').select('token_hash').where('user_id', '=', u.id).execute()).toHaveLength(1);

    // Her other session ends; the owner's and her colleague's go on.
    expect((await elsewhere.get('/profil')).headers.location).toBe('/connexion?suite=/profil');
    expect((await owner.get('/profil')).statusCode).toBe(200);
    expect((await other.get('/mon-compte')).statusCode).toBe(200);
    // The old password no longer logs her in; the new one does; the owner's is the same.
    expect((await new Browser(t.app, nextIp()).submit('/connexion', '/connexion', { identifiant: u.email, password: own })).statusCode).toBe(401);
    await loggedInBrowser(t.app, nextIp(), u.email, USER_PASSWORD);
    await loggedInBrowser(t.app, nextIp(), customer.number, OWNER_PASSWORD);
    expect(await ownerLogin()).toEqual(ownerBefore);

    // Told at her address (not the account's), with whom to call.
    await mb.deliver();
    const notice = mb.last(u.email)!;
    expect(notice.subject).toBe('Votre mot de passe a été modifié');
    expect(notice.text).toContain('Bonjour Nadia Perrin');
    expect(notice.text).toContain(`(n° client ${customer.number}) avec l’adresse ${u.email} a été modifié le`);
    expect(notice.text).toContain('contactez sans attendre le service client');
    expect(notice.text).not.toContain(USER_PASSWORD);
    expect(mb.last(`compta.${seq}@entreprise.example`)?.subject).not.toBe('Votre mot de passe a été modifié');

    const entries = await auditOf(customer.id, 'customer.password_change');
    expect(entries.map((e) => [e.outcome, e.user_id, e.user_name])).toEqual([['success', u.id, 'Nadia Perrin']]);
    expect(JSON.parse(entries[0]!.details!)).toEqual({ sessions_ended: 'all', new_session: true });
  });

  it('changes only the password of whoever is logged in: nothing in the form names another user', async () => {
    const { customer } = await businessOwner();
    const own = 'ardoise lanterne girafe';
    const u = await activeUser(t.db, t.clock, customer.id, 'manager', { password: own });
    const colleague = await activeUser(t.db, t.clock, customer.id, 'accountant');
    const theirHash = async () => (await t.db.selectFrom('customer_users').select('password_hash').where('id', '=', colleague.id).executeTakeFirstOrThrow()).password_hash;
    const ownerHash = async () => (await t.db.selectFrom('customer_logins').select('password_hash').where('customer_id', '=', customer.id).executeTakeFirstOrThrow()).password_hash;
    const [colleagueBefore, ownerBefore] = [await theirHash(), await ownerHash()];
    const b = await loggedInBrowser(t.app, nextIp(), u.email, own);
    // Extra fields naming the colleague or the owner are ignored: the session says whose password it is.
    const done = await b.submit('/profil/mot-de-passe', '/profil/mot-de-passe', { current_password: own, password: USER_PASSWORD, password_confirm: USER_PASSWORD, user_id: colleague.id, id: colleague.id, identifiant: customer.number });
    expect(done.statusCode).toBe(303);
    expect(await theirHash()).toBe(colleagueBefore);
    expect(await ownerHash()).toBe(ownerBefore);
    await loggedInBrowser(t.app, nextIp(), u.email, USER_PASSWORD);
    await loggedInBrowser(t.app, nextIp(), colleague.email, colleague.password);
    // The colleague's own password does not confirm a change of hers either.
    const c = await loggedInBrowser(t.app, nextIp(), colleague.email, colleague.password);
    const refused = await c.submit('/profil/mot-de-passe', '/profil/mot-de-passe', { current_password: USER_PASSWORD, password: 'cerise ardoise tramway', password_confirm: 'cerise ardoise tramway' });
    expect(fieldError(refused.body, 'current_password')).toBe('Mot de passe incorrect.');
    expect(await theirHash()).toBe(colleagueBefore);
  });

  it('sends an expired invitation again: a new 7-day link that works, the old one dead, audited', async () => {
    const { customer, owner: first0 } = await businessOwner();
    let owner = first0;
    const address = `retard.${seq}@entreprise.example`;
    await invite(owner, { email: address, name: 'Émile Retard', role: 'manager' });
    const first = await mailedLink(address);
    const id = (await t.db.selectFrom('customer_users').select('id').where('email', '=', address).executeTakeFirstOrThrow()).id;

    // Eight days later the link is dead, and both lists say so.
    t.clock.advance(8 * DAY);
    expect((await new Browser(t.app, nextIp()).get(first.path)).statusCode).toBe(410);
    owner = await loggedInBrowser(t.app, nextIp(), customer.number, OWNER_PASSWORD); // the earlier session has run out
    const page = await owner.get('/profil/utilisateurs');
    expect(page.body).toMatch(/Invitation expirée \(depuis le \d\d\/\d\d\/\d{4}\)<\/td>/);
    expect(page.body).toContain('aria-label="Renvoyer l’invitation à Émile Retard">Renvoyer l’invitation</button>');
    const { b: staff } = await loggedInStaff(t, nextIp());
    expect((await staff.get(`/gestion/clients/${customer.number}`)).body).toContain('Invitation expirée (depuis le');

    const resent = await owner.post(`/profil/utilisateurs/${id}/invitation`, { _csrf: csrfToken(page.body) });
    expect([resent.statusCode, resent.headers.location]).toEqual([303, '/profil/utilisateurs?fait=renvoi']);
    const after = await owner.get('/profil/utilisateurs?fait=renvoi');
    expect(after.body).toContain('Invitation renvoyée : le lien précédent ne fonctionne plus, le nouveau est valable 7 jours.');
    expect(after.body).toMatch(/Invitation envoyée \(valable jusqu’au \d\d\/\d\d\/\d{4}\)<\/td>/);
    expect((await staff.get(`/gestion/clients/${customer.number}`)).body).toContain('Invitation envoyée (valable jusqu’au');

    const second = await mailedLink(address);
    expect(second.token).not.toBe(first.token);
    expect(second.mail.subject).toBe(`Invitation à l’espace client de ENTREPRISE ${seq} SAS`);
    expect(second.mail.text).toContain('Bonjour Émile Retard');
    const row = await t.db.selectFrom('customer_users').select(['token_hash', 'token_expires_at', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(second.token));
    expect(Date.parse(row.token_expires_at!) - t.clock.now().getTime()).toBe(7 * DAY);
    const [entry] = await auditOf(customer.id, 'customer.user.invitation_resend');
    expect(entry).toMatchObject({ outcome: 'success', user_id: null });
    expect(JSON.parse(entry!.details!)).toMatchObject({ user_id: id, email: address, name: 'Émile Retard', expires_at: row.token_expires_at });

    // The new link sets the password; the old one stays dead.
    const invitee = new Browser(t.app, nextIp());
    const form = await invitee.get(second.path);
    expect(form.statusCode).toBe(200);
    expect((await invitee.post('/utilisateur', { _csrf: csrfToken(form.body), token: first.token, password: USER_PASSWORD, password_confirm: USER_PASSWORD })).statusCode).toBe(410);
    const set = await invitee.post('/utilisateur', { _csrf: csrfToken(form.body), token: second.token, password: USER_PASSWORD, password_confirm: USER_PASSWORD });
    expect(set.headers.location).toBe('/connexion?acces-active');
    await loggedInBrowser(t.app, nextIp(), address, USER_PASSWORD);
    // Active now: no button, and a resend posted anyway sends nothing.
    const listed = await owner.get('/profil/utilisateurs');
    expect(listed.body).not.toContain('Renvoyer l’invitation');
    const late = await owner.post(`/profil/utilisateurs/${id}/invitation`, { _csrf: csrfToken(listed.body) });
    expect(late.headers.location).toBe('/profil/utilisateurs?fait=active');
    expect(await auditOf(customer.id, 'customer.user.invitation_resend')).toHaveLength(1);
  });

  it('holds a user’s invitation after three sends in a day, and answers another account’s user with an audited 404', async () => {
    const { customer, owner } = await businessOwner();
    const address = `souvent.${seq}@entreprise.example`;
    await invite(owner, { email: address, name: 'Paul Souvent', role: 'accountant' });
    const id = (await t.db.selectFrom('customer_users').select('id').where('email', '=', address).executeTakeFirstOrThrow()).id;
    const token = csrfToken((await owner.get('/profil/utilisateurs')).body);
    for (let i = 0; i < 3; i++) {
      const sent = await owner.post(`/profil/utilisateurs/${id}/invitation`, { _csrf: token });
      expect([sent.statusCode, sent.headers.location]).toEqual([303, '/profil/utilisateurs?fait=renvoi']);
    }
    const before = await t.db.selectFrom('customer_users').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
    const held = await owner.post(`/profil/utilisateurs/${id}/invitation`, { _csrf: token });
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(held.body).toMatch(/role="alert">Vous avez déjà renvoyé cette invitation 3 fois aujourd’hui : réessayez dans \d+ h\./);
    expect((await t.db.selectFrom('customer_users').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow()).token_hash).toBe(before.token_hash);
    expect(await auditOf(customer.id, 'customer.user.invitation_resend')).toHaveLength(3);
    const counter = await t.db.selectFrom('login_throttle').select('failures').where('key', '=', invitationResendKey(id)).executeTakeFirstOrThrow();
    expect(counter.failures).toBe(3);
    // A day later (a new session: the earlier one has run out), again.
    t.clock.advance(DAY);
    const owner2 = await loggedInBrowser(t.app, nextIp(), customer.number, OWNER_PASSWORD);
    const token2 = csrfToken((await owner2.get('/profil/utilisateurs')).body);
    expect((await owner2.post(`/profil/utilisateurs/${id}/invitation`, { _csrf: token2 })).headers.location).toBe('/profil/utilisateurs?fait=renvoi');

    // Another account's invited user: 404, audited, nothing sent; nor by a manager (the owner's page).
    const other = await businessOwner();
    await invite(other.owner, { email: `autre.${seq}@entreprise.example`, name: 'Autre Compte', role: 'manager' });
    const theirs = (await t.db.selectFrom('customer_users').select(['id', 'token_hash']).where('email', '=', `autre.${seq}@entreprise.example`).executeTakeFirstOrThrow());
    expect((await owner2.post(`/profil/utilisateurs/${theirs.id}/invitation`, { _csrf: token2 })).statusCode).toBe(404);
    const denied = await t.db.selectFrom('audit_log').select('target_id').where('action', '=', 'authz.denied').where('target_type', '=', 'customer_user').where('target_id', '=', theirs.id).execute();
    expect(denied).toHaveLength(1);
    expect((await t.db.selectFrom('customer_users').select('token_hash').where('id', '=', theirs.id).executeTakeFirstOrThrow()).token_hash).toBe(theirs.token_hash);
    const m = await activeUser(t.db, t.clock, customer.id, 'manager');
    const mb2 = await loggedInBrowser(t.app, nextIp(), m.email, m.password);
    const refused = await mb2.post(`/profil/utilisateurs/${id}/invitation`, { _csrf: csrfToken((await mb2.get('/profil')).body) });
    expect(refused.statusCode).toBe(403);
    // CSRF: without the token, refused.
    expect((await owner2.post(`/profil/utilisateurs/${id}/invitation`, {})).statusCode).toBe(403);
  });
});
