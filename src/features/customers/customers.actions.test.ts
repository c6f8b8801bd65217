import { describe, expect, it } from 'vitest';
import { Browser, type TestApp, csrfToken, databaseKinds, loggedInCustomer, useTestApp, withoutCsrfTokens } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer, emailColumns, newSubscriber } from '../../../tests/support/factories.ts';
import { hasPdftotext, pdfText, pdfWords } from '../../../tests/support/pdf.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { staffAreaRoutes } from '../../areas/staff-area.ts';
import { MINUTE, newId } from '../../lib/clock.ts';
import { verifyPassword } from '../../lib/passwords.ts';

/** What the audit log holds of one action on one customer. */
const audited = (t: TestApp, customerId: string, action: string) =>
  t.db.selectFrom('audit_log').selectAll().where('target_id', '=', customerId).where('action', '=', action).orderBy('at').execute();

const outboxTo = (t: TestApp, address: string) => t.db.selectFrom('outbox').selectAll().where('recipient', '=', address).orderBy('created_at').execute();

/** A staff page to take a CSRF token from, then the post. */
const act = (b: Browser, url: string, fields: Record<string, string> = {}) => b.submit('/gestion/courriers', url, fields);

const loginAs = (t: TestApp, ip: string, number: string, password: string) => new Browser(t.app, ip).submit('/connexion', '/connexion', { identifiant: number, password });

const VERIFIED = '2026-01-05T10:00:00.000Z';

describe.each(databaseKinds())('customer service’s actions on a customer (%s)', (kind) => {
  const t = useTestApp(kind);

  it('are for staff only: a visitor and a customer go to the staff login, agents and admins act, on every route', async () => {
    const customer = await createCustomer(t.db, t.clock, { ...emailColumns('four@example.test') });
    const base = `/gestion/clients/${customer.number}`;
    const routes = staffAreaRoutes(t.app)
      .filter((r) => r.url.startsWith('/gestion/clients/:number/') && !r.url.startsWith('/gestion/clients/:number/documents'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(routes).toEqual(
      [
        'GET /gestion/clients/:number/coordonnees',
        'GET /gestion/clients/:number/facturation',
        'GET /gestion/clients/:number/immatriculation',
        'POST /gestion/clients/:number/coordonnees',
        'POST /gestion/clients/:number/courrier-mot-de-passe',
        'POST /gestion/clients/:number/deverrouillage',
        'POST /gestion/clients/:number/facturation',
        'POST /gestion/clients/:number/fin-des-sessions',
        'POST /gestion/clients/:number/immatriculation',
        'POST /gestion/clients/:number/verification-email',
        'POST /gestion/clients/:number/vue-client',
        // A user of a business account removed (issue 14, `features/users`: its own tests).
        'POST /gestion/clients/:number/utilisateurs/:id/suppression',
        'POST /gestion/clients/:number/utilisateurs/:id/invitation',
      ].sort(),
    );
    expect(staffAreaRoutes(t.app).filter((r) => routes.includes(`${r.method} ${r.url}`)).every((r) => r.access === 'agent')).toBe(true);

    const visitor = new Browser(t.app, '203.0.113.1');
    const { b: asCustomer } = await loggedInCustomer(t, '203.0.113.2');
    for (const b of [visitor, asCustomer]) {
      for (const route of routes) {
        const [method, url] = route.split(' ') as [string, string];
        const path = url.replace(':number', customer.number);
        const res = method === 'GET' ? await b.get(path) : await b.post(path, { _csrf: 'x', slot: 'primary' });
        expect(res.statusCode, route).toBe(302);
        expect(res.headers.location, route).toMatch(/^\/gestion\/connexion/);
      }
    }

    for (const role of ['agent', 'admin'] as const) {
      const { b } = await loggedInStaff(t, role === 'agent' ? '203.0.113.3' : '203.0.113.4', role);
      for (const path of [`${base}/coordonnees`, `${base}/immatriculation`]) expect((await b.get(path)).statusCode, path).toBe(200);
      const expected: [string, Record<string, string>, number, RegExp | null][] = [
        ['/deverrouillage', {}, 303, /fait=deverrouille/],
        ['/fin-des-sessions', {}, 303, /fait=aucune-session/],
        ['/verification-email', { slot: 'secondary' }, 303, /fait=verification-aucune/],
        ['/coordonnees', {}, 400, null],
        ['/immatriculation', {}, 400, null],
        ['/courrier-mot-de-passe', {}, 200, null],
        ['/vue-client', {}, 303, /^\/profil$/],
      ];
      for (const [rest, fields, status, location] of expected) {
        const res = await act(b, `${base}${rest}`, fields);
        expect(res.statusCode, `${role} ${rest}`).toBe(status);
        if (location) expect(res.headers.location, `${role} ${rest}`).toMatch(location);
      }
    }
  });

  it('answers 404 for a number no customer has', async () => {
    const { b } = await loggedInStaff(t, '203.0.113.5');
    expect((await b.get('/gestion/clients/CLT000000/coordonnees')).statusCode).toBe(404);
    expect((await act(b, '/gestion/clients/CLT000000/deverrouillage')).statusCode).toBe(404);
  });

  it.skipIf(!hasPdftotext)('issues a new temporary password on a letter for a window envelope: it logs in, the previous one does not, and it is kept nowhere', async () => {
    const { customer, tempPassword: previous } = await newSubscriber(t.db, t.clock, { ...emailColumns('letter@example.test', null, VERIFIED) });
    const { b, staff } = await loggedInStaff(t, '203.0.113.10');

    const res = await act(b, `/gestion/clients/${customer.number}/courrier-mot-de-passe`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="courrier-${customer.number}.pdf"`);
    const pdf = res.rawPayload;
    const text = pdfText(pdf);
    expect(text).toContain(customer.number);
    const password = /Mot de passe provisoire :\s+(\S+)/.exec(text)?.[1];
    expect(password).toMatch(/^[2-9A-HJ-NP-Za-km-z]{12}$/);
    expect(password).not.toBe(previous);
    expect(text).toContain('Valable jusqu’au :');
    expect(text).toContain('27/03/2027'); // 120 days after 27 November 2026
    expect(text).toContain(`${t.config.PUBLIC_URL}/connexion`);
    expect(text).toContain(t.config.OPERATOR_NAME);
    expect(text.split('\f').filter((p) => p.trim()).length).toBe(1);

    // The address block sits in the window of a DL envelope: from 100 mm left, 45 to 90 mm down.
    const words = pdfWords(pdf);
    const block = words.filter((w) => ['Monsieur', 'DURAND', 'FRANCOIS', 'RUE', 'PAIX', '75008', 'PARIS'].includes(w.text) && w.yMin < 99);
    expect(block.length).toBeGreaterThanOrEqual(7);
    for (const w of block) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(100);
      expect(w.xMax, w.text).toBeLessThanOrEqual(200);
      expect(w.yMin, w.text).toBeGreaterThanOrEqual(45);
      expect(w.yMax, w.text).toBeLessThanOrEqual(90);
    }
    // Nothing of the sender's block in the window.
    const sender = words.filter((w) => w.yMin < 45 || w.yMax > 90 || w.xMin < 100);
    expect(sender.some((w) => w.text === 'Parkings')).toBe(true);
    expect(words.filter((w) => w.text === 'Parkings' && w.xMin >= 100 && w.yMin >= 45 && w.yMax <= 90)).toEqual([]);

    expect((await loginAs(t, '203.0.113.11', customer.number, previous)).statusCode).toBe(401);
    const login = await loginAs(t, '203.0.113.12', customer.number, password!);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/premiere-connexion');

    const row = await t.db.selectFrom('customer_logins').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(row.temp_password_hash!, password!)).toBe(true);
    const entries = await audited(t, customer.id, 'customer.issue_temporary_password');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_type: 'staff', actor_id: staff.id, outcome: 'success', target_type: 'customer', ip: '203.0.113.10' });
    const mails = await outboxTo(t, 'letter@example.test');
    expect(mails.map((m) => m.template)).toEqual(['temporary-password']);
    expect(mails[0]!.subject).toBe('Un nouveau mot de passe provisoire vous est envoyé par courrier');
    const everything = JSON.stringify([row, await t.db.selectFrom('audit_log').selectAll().execute(), await t.db.selectFrom('outbox').selectAll().execute()]);
    expect(everything).not.toContain(password);
  });

  it('writes the letter in the customer’s language, the address as La Poste asks, and tells them in English', async () => {
    const customer = await createCustomer(t.db, t.clock, { language: 'en', ...emailColumns('english@example.test', null, VERIFIED) });
    await t.db.updateTable('customers').set({ address_line1: '5 HIGH STREET', postal_code: 'SW1A 1AA', city: 'LONDON', country: 'Royaume-Uni' }).where('id', '=', customer.id).execute();
    const { b } = await loggedInStaff(t, '203.0.113.13');
    const res = await act(b, `/gestion/clients/${customer.number}/courrier-mot-de-passe`);
    expect(res.statusCode).toBe(200);
    if (hasPdftotext) {
      const text = pdfText(res.rawPayload);
      expect(text).toMatch(/Temporary password:\s+\S{12}/);
      expect(text).toContain('To log in for the first time:');
      expect(text).toMatch(/SW1A 1AA LONDON\s+ROYAUME-UNI/);
    }
    const [mail] = await outboxTo(t, 'english@example.test');
    expect(mail!.subject).toBe('A new temporary password is on its way by post');
  });

  it('unlocks a login held by the throttle, and an account locked', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    for (let i = 0; i < t.config.LOGIN_MAX_FAILURES_PER_ACCOUNT; i++) await loginAs(t, `203.0.113.${20 + i}`, customer.number, 'wrong password again');
    expect((await loginAs(t, '203.0.113.26', customer.number, password)).statusCode).toBe(429);

    const { b, staff } = await loggedInStaff(t, '203.0.113.27');
    const res = await act(b, `/gestion/clients/${customer.number}/deverrouillage`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/clients/${customer.number}?fait=deverrouille#actions`);
    expect(await t.db.selectFrom('login_throttle').select('key').where('key', '=', `login:${customer.number}`).executeTakeFirst()).toBeUndefined();
    expect((await loginAs(t, '203.0.113.28', customer.number, password)).statusCode).toBe(303);
    const [entry] = await audited(t, customer.id, 'customer.unlock');
    expect(entry).toMatchObject({ actor_type: 'staff', actor_id: staff.id, outcome: 'success' });
    expect(JSON.parse(entry!.details!)).toMatchObject({ failures: t.config.LOGIN_MAX_FAILURES_PER_ACCOUNT, was_locked: false });

    await t.db.updateTable('customer_logins').set({ state: 'locked' }).where('customer_id', '=', customer.id).execute();
    expect((await loginAs(t, '203.0.113.29', customer.number, password)).statusCode).toBe(401);
    await act(b, `/gestion/clients/${customer.number}/deverrouillage`);
    const login = await t.db.selectFrom('customer_logins').select('state').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(login.state).toBe('active');
    expect((await loginAs(t, '203.0.113.30', customer.number, password)).statusCode).toBe(303);
  });

  it('ends every session of the customer, who is told by e-mail', async () => {
    const { b: customerBrowser, customer } = await loggedInCustomer(t, '203.0.113.40', emailColumns('sessions@example.test', null, VERIFIED));
    const { b, staff } = await loggedInStaff(t, '203.0.113.41');
    const res = await act(b, `/gestion/clients/${customer.number}/fin-des-sessions`);
    expect(res.headers.location).toBe(`/gestion/clients/${customer.number}?fait=sessions-fermees#actions`);
    const page = await customerBrowser.get('/profil');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toMatch(/^\/connexion/);
    expect(await t.db.selectFrom('sessions').select('token_hash').where('customer_id', '=', customer.id).execute()).toEqual([]);
    const mails = await outboxTo(t, 'sessions@example.test');
    expect(mails.map((m) => [m.template, m.subject])).toEqual([['sessions-ended', 'Vos sessions ont été fermées']]);
    const [entry] = await audited(t, customer.id, 'customer.end_sessions');
    expect(entry).toMatchObject({ actor_type: 'staff', actor_id: staff.id });
    expect(JSON.parse(entry!.details!)).toEqual({ sessions_ended: 1, notices_sent: 1 });
  });

  it('sends a verification e-mail again to an unverified address, at most one per five minutes', async () => {
    const customer = await createCustomer(t.db, t.clock, emailColumns('unverified@example.test', 'other@example.test'));
    await t.db.updateTable('customers').set({ email_secondary_verified_at: VERIFIED }).where('id', '=', customer.id).execute();
    const { b, staff } = await loggedInStaff(t, '203.0.113.50');
    const url = `/gestion/clients/${customer.number}/verification-email`;
    // A second between the three (well within the five minutes): their audit lines sort by instant.
    expect((await act(b, url, { slot: 'primary' })).headers.location).toContain('?fait=verification-envoyee');
    t.clock.advance(1000);
    expect((await act(b, url, { slot: 'primary' })).headers.location).toContain('?fait=verification-attendre');
    t.clock.advance(1000);
    expect((await act(b, url, { slot: 'secondary' })).headers.location).toContain('?fait=verification-deja');
    const mails = await outboxTo(t, 'unverified@example.test');
    expect(mails.map((m) => m.template)).toEqual(['verify']);
    expect(await t.db.selectFrom('email_verifications').select('address').where('customer_id', '=', customer.id).execute()).toEqual([{ address: 'unverified@example.test' }]);
    const entries = await audited(t, customer.id, 'customer.email_verification_resend');
    expect(entries.map((e) => [e.actor_id, e.outcome, JSON.parse(e.details!).outcome])).toEqual([
      [staff.id, 'success', 'sent'],
      [staff.id, 'failure', 'wait'],
      [staff.id, 'failure', 'verified'],
    ]);
  });

  it('corrects contact details with a reason: what was typed stays when something is wrong, and nothing is written', async () => {
    const customer = await createCustomer(t.db, t.clock, emailColumns('before@example.test', null, VERIFIED));
    const { b } = await loggedInStaff(t, '203.0.113.60');
    const url = `/gestion/clients/${customer.number}/coordonnees`;
    const form = await b.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="1 RUE DE LA PAIX"');
    expect(form.body).toContain('value="before@example.test"');

    const res = await b.post(url, {
      _csrf: csrfToken(form.body),
      address_line1: '12 AVENUE DES TERNES',
      address_line2: '',
      postal_code: '750',
      city: 'PARIS',
      country: 'France',
      phone: 'call me',
      mobile_phone: '',
      email_primary: 'not an address',
      email_secondary: '',
      reason: '  ',
    });
    expect(res.statusCode).toBe(400);
    const page = withoutCsrfTokens(res.body);
    expect(page).toContain('value="12 AVENUE DES TERNES"');
    expect(page).toContain('value="750"');
    expect(page).toContain('value="not an address"');
    expect(page).toContain('Le formulaire contient 4 erreur(s)');
    for (const message of [
      'Saisissez un code postal de 5 chiffres en France',
      'Saisissez un numéro de téléphone valide',
      'Saisissez une adresse e-mail valide',
      'Saisissez le motif de la correction.',
    ]) {
      expect(page).toContain(message);
    }
    const unchanged = await t.db.selectFrom('customers').selectAll().where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(unchanged.address_line1).toBe('1 RUE DE LA PAIX');
    expect(await audited(t, customer.id, 'customer.contact_details_correct')).toEqual([]);
  });

  it('records the correction: each field from → to and the reason audited, a new address unverified and sent its link, the customer told', async () => {
    const customer = await createCustomer(t.db, t.clock, emailColumns('old@example.test', null, VERIFIED));
    const { b, staff } = await loggedInStaff(t, '203.0.113.61');
    const url = `/gestion/clients/${customer.number}/coordonnees`;
    const res = await b.submit(url, url, {
      address_line1: '12 AVENUE DES TERNES',
      address_line2: 'BATIMENT B',
      postal_code: '75017',
      city: 'PARIS',
      country: 'France',
      phone: '01 23 45 67 89',
      mobile_phone: '06 12 34 56 78',
      email_primary: 'New@Example.test ',
      email_secondary: '',
      reason: 'Déménagement signalé par téléphone le 26/11',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/clients/${customer.number}?fait=coordonnees-corrigees#actions`);

    const after = await t.db.selectFrom('customers').selectAll().where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      address_line1: '12 AVENUE DES TERNES',
      address_line2: 'BATIMENT B',
      postal_code: '75017',
      mobile_phone: '06 12 34 56 78',
      email_primary: 'new@example.test',
      email_primary_verified_at: null,
    });
    expect((await outboxTo(t, 'new@example.test')).map((m) => m.template)).toEqual(['verify']);
    const told = await outboxTo(t, 'old@example.test');
    expect(told.map((m) => m.template).sort()).toEqual(['details-corrected', 'email-changed']);
    const notice = told.find((m) => m.template === 'details-corrected')!;
    expect(notice.subject).toBe('Vos coordonnées ont été mises à jour');
    expect(notice.text_body).toContain('Adresse : 12 AVENUE DES TERNES, BATIMENT B, 75017 PARIS, France');
    expect(notice.text_body).toContain('Téléphone mobile : 06 12 34 56 78');

    const [entry] = await audited(t, customer.id, 'customer.contact_details_correct');
    expect(entry).toMatchObject({ actor_type: 'staff', actor_id: staff.id, outcome: 'success' });
    const details = JSON.parse(entry!.details!);
    expect(details.reason).toBe('Déménagement signalé par téléphone le 26/11');
    expect(details.changes).toEqual({
      address_line1: { from: '1 RUE DE LA PAIX', to: '12 AVENUE DES TERNES' },
      address_line2: { from: null, to: 'BATIMENT B' },
      postal_code: { from: '75008', to: '75017' },
      mobile_phone: { from: null, to: '06 12 34 56 78' },
      email_primary: { from: 'old@example.test', to: 'new@example.test' },
    });

    // The same again: nothing changes, nothing is written.
    const again = await b.submit(url, url, { ...Object.fromEntries(Object.entries(after).map(([k, v]) => [k, String(v ?? '')])), reason: 'Vérification' });
    expect(again.headers.location).toContain('?fait=coordonnees-inchangees');
    expect(await audited(t, customer.id, 'customer.contact_details_correct')).toHaveLength(1);
  });

  it('records a change of plate from its effective date: Contrats shows the plate in force, the customer is told', async () => {
    const { b: customerBrowser, customer } = await loggedInCustomer(t, '203.0.113.70', emailColumns('plate@example.test', null, VERIFIED));
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    const vehicleId = newId();
    await t.db.insertInto('contract_vehicles').values({ id: vehicleId, contract_id: contract.id, plate: 'AB-123-CD', plate_key: 'AB123CD', description: 'Peugeot 308 grise' }).execute();
    const { b, staff } = await loggedInStaff(t, '203.0.113.71');
    const url = `/gestion/clients/${customer.number}/immatriculation`;

    const form = await b.get(url);
    expect(form.body).toContain(`AB-123-CD — contrat ${contract.number}`);
    const wrong = await b.submit(url, url, { vehicle: vehicleId, new_plate: 'nope', effective_date: '2021-12-01', description: '' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Saisissez une immatriculation au format AB-123-CD');
    expect(wrong.body).toContain('Saisissez une date comprise entre');
    expect(wrong.body).toContain('value="nope"');

    const res = await b.submit(url, url, { vehicle: vehicleId, new_plate: 'ef 456 gh', effective_date: '15/12/2026', description: 'Renault Clio bleue' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/clients/${customer.number}?fait=immatriculation#actions`);
    const rows = await t.db.selectFrom('contract_vehicles').select(['plate', 'valid_from', 'valid_to']).where('contract_id', '=', contract.id).orderBy('plate').execute();
    expect(rows).toEqual([
      { plate: 'AB-123-CD', valid_from: null, valid_to: '2026-12-14' },
      { plate: 'EF-456-GH', valid_from: '2026-12-15', valid_to: null },
    ]);

    const today = await customerBrowser.get(`/contrats/${contract.number}`);
    expect(today.body).toContain('AB-123-CD');
    expect(today.body).not.toContain('EF-456-GH');
    t.clock.set(new Date('2026-12-15T08:00:00.000Z'));
    const onTheDay = await (await loggedInAgain(t, '203.0.113.74', customer.number)).get('/contrats');
    expect(onTheDay.body).toContain('EF-456-GH');
    expect(onTheDay.body).not.toContain('AB-123-CD');

    const [mail] = await outboxTo(t, 'plate@example.test');
    expect(mail).toMatchObject({ template: 'plate-changed', subject: 'Changement d’immatriculation enregistré' });
    expect(mail!.text_body).toContain('Ancienne immatriculation : AB-123-CD');
    expect(mail!.text_body).toContain('Nouvelle immatriculation : EF-456-GH');
    expect(mail!.text_body).toContain('Date d’effet : 15/12/2026');
    const [entry] = await audited(t, customer.id, 'customer.plate_change');
    expect(entry).toMatchObject({ actor_type: 'staff', actor_id: staff.id });
    expect(JSON.parse(entry!.details!)).toMatchObject({ contract: contract.number, old_plate: 'AB-123-CD', new_plate: 'EF-456-GH', effective_date: '2026-12-15' });

    // The old plate is no longer one to replace; a date before the new plate's first day is refused.
    const { b: later } = await loggedInStaff(t, '203.0.113.75');
    const next = await later.get(url);
    expect(next.body).toContain('EF-456-GH — contrat');
    expect(next.body).not.toContain('AB-123-CD — contrat');
    const rows2 = await t.db.selectFrom('contract_vehicles').select('id').where('plate', '=', 'EF-456-GH').where('contract_id', '=', contract.id).executeTakeFirstOrThrow();
    const early = await later.submit(url, url, { vehicle: rows2.id, new_plate: 'GH-789-IJ', effective_date: '2026-12-15', description: '' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Saisissez une date postérieure au 15/12/2026');
  });
});

/** A browser logged in anew as this customer (with the factories' password). */
async function loggedInAgain(t: TestApp, ip: string, number: string) {
  const b = new Browser(t.app, ip);
  const res = await b.submit('/connexion', '/connexion', { identifiant: number, password: 'violet tramway cerise' });
  expect(res.statusCode).toBe(303);
  return b;
}

describe.each(databaseKinds())('“voir comme le client”: a staff member’s read-only view of the customer’s pages (%s)', (kind) => {
  const t = useTestApp(kind);

  /** A customer with a contract, and an agent who opened the view of their pages. */
  async function viewing(ip: string) {
    const { customer } = await activeSubscriber(t.db, t.clock, undefined, emailColumns(`view-${ip}@example.test`, null, VERIFIED));
    const park = await createCarPark(t.db, t.clock);
    await createContract(t.db, t.clock, customer.id, park.id);
    const { b, staff } = await loggedInStaff(t, ip);
    const res = await act(b, `/gestion/clients/${customer.number}/vue-client`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/profil');
    return { b, staff, customer };
  }

  it('shows the customer’s pages with the banner on each, every page viewed audited, nothing of theirs written', async () => {
    const { b, staff, customer } = await viewing('203.0.113.80');
    for (const path of ['/profil', '/contrats', '/mon-compte', '/contact', '/prelevement', '/profil/adresses-email']) {
      const page = await b.get(path);
      expect(page.statusCode, path).toBe(200);
      expect(page.body, path).toContain('Vue du conseiller — lecture seule.');
      expect(page.body, path).toContain(`${staff.display_name} consulte l’espace de DURAND FRANCOIS (${customer.number})`);
      expect(page.body, path).toContain('Quitter la vue client');
      expect(page.body, path).not.toContain('action="/deconnexion"');
    }
    expect((await b.get('/profil')).body).toContain('Bienvenue DURAND FRANCOIS');
    const login = await t.db.selectFrom('customer_logins').select('last_login_at').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(login.last_login_at).toBeNull();
    expect(await audited(t, customer.id, 'customer.staff_view.start')).toMatchObject([{ actor_type: 'staff', actor_id: staff.id, outcome: 'success' }]);
    const pages = await audited(t, customer.id, 'customer.staff_view.page');
    expect(pages.map((p) => JSON.parse(p.details!).path)).toEqual(['/profil', '/contrats', '/mon-compte', '/prelevement', '/profil/adresses-email', '/profil']);
    expect(pages.every((p) => p.actor_type === 'staff' && p.actor_id === staff.id)).toBe(true);
  });

  it('refuses every form of the customer’s pages with the 403 page, audited, and writes nothing', async () => {
    const { b, staff, customer } = await viewing('203.0.113.81');
    const profile = await b.get('/profil');
    const token = csrfToken(profile.body);
    const forms: [string, Record<string, string>][] = [
      ['/profil/documents-par-email', { paperless: 'yes' }],
      ['/profil/adresses-email', { email_primary: 'thief@example.test', email_secondary: '', current_password: 'x' }],
      ['/profil/adresses-email/verification', { slot: 'primary' }],
      ['/profil/mot-de-passe', { current_password: 'x', password: 'a much longer password', password_confirm: 'a much longer password' }],
      ['/contact', { category: 'other', message: 'Bonjour' }],
      ['/mon-compte/paiement', {}],
      ['/prelevement/mandat', { iban: 'FR7630006000011234567890189' }],
    ];
    for (const [action, fields] of forms) {
      const res = await b.post(action, { _csrf: token, ...fields });
      expect(res.statusCode, action).toBe(403);
      expect(res.body, action).toContain('Vue du conseiller — lecture seule');
      expect(res.body, action).toContain('rien ne peut être fait au nom du client');
    }
    const after = await t.db.selectFrom('customers').select(['paperless', 'email_primary']).where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ paperless: 0, email_primary: `view-203.0.113.81@example.test` });
    expect(await t.db.selectFrom('contact_requests').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('payment_attempts').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('paperless_consents').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
    const refused = await audited(t, customer.id, 'customer.staff_view.write');
    expect(refused.map((r) => [r.actor_id, r.outcome, JSON.parse(r.details!).path])).toEqual(forms.map(([action]) => [staff.id, 'denied', action]));
    // The view itself goes on.
    expect((await b.get('/profil')).statusCode).toBe(200);
  });

  it('is left by its button, back to the customer’s record; it lasts 30 minutes at most, and not past the member’s account', async () => {
    const { b, staff, customer } = await viewing('203.0.113.82');
    const res = await b.submit('/profil', '/vue-client/fin', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/clients/${customer.number}?fait=vue-terminee#actions`);
    expect(await t.db.selectFrom('sessions').select('kind').where('customer_id', '=', customer.id).execute()).toEqual([]);
    expect(await audited(t, customer.id, 'customer.staff_view.end')).toMatchObject([{ actor_type: 'staff', actor_id: staff.id }]);
    expect((await b.get('/profil')).headers.location).toMatch(/^\/connexion/);

    const second = await viewing('203.0.113.83');
    t.clock.advance(29 * MINUTE);
    expect((await second.b.get('/contrats')).statusCode).toBe(200);
    t.clock.advance(2 * MINUTE);
    expect((await second.b.get('/contrats')).headers.location).toMatch(/^\/connexion\?expire/);

    const third = await viewing('203.0.113.84');
    await t.db.updateTable('staff_members').set({ state: 'disabled' }).where('id', '=', third.staff.id).execute();
    expect((await third.b.get('/profil')).headers.location).toMatch(/^\/connexion/);
  });

  it('does not open for a customer’s own session, and leaves a customer’s own session alone', async () => {
    const { b, customer } = await loggedInCustomer(t, '203.0.113.85');
    const res = await b.submit('/profil', '/vue-client/fin', {});
    expect(res.headers.location).toBe('/');
    expect((await b.get('/profil')).statusCode).toBe(200);
    expect(await audited(t, customer.id, 'customer.staff_view.end')).toEqual([]);
    const page = await b.get('/profil');
    expect(page.body).not.toContain('Vue du conseiller');
    expect(page.body).toContain('action="/deconnexion"');
  });
});
