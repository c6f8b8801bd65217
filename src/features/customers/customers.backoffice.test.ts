import { describe, expect, it } from 'vitest';
import { Browser, TEST_START, type TestApp, databaseKinds, loggedInBrowser, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument, insertPayment } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer, emailColumns, newSubscriber } from '../../../tests/support/factories.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { staffAreaRoutes } from '../../areas/staff-area.ts';
import { MINUTE, newId, nowIso } from '../../lib/clock.ts';
import { activateLogin } from '../auth/activation.service.ts';
import { changeEmailAddresses } from '../profile/emails.service.ts';
import { plateKey } from './customers.rules.ts';

let serial = 0;
/** A string no other test uses: names, numbers and addresses of this test's customers. */
const unique = () => `${Date.now().toString(36).slice(-4)}${(++serial).toString(36)}`.toUpperCase().replace(/\d/g, (d) => 'QWXZKJVYHB'[Number(d)]!);

/** The customer numbers of the result rows, in order. */
const resultNumbers = (html: string) => [...(html.split('<tbody>')[1] ?? '').matchAll(/<th scope="row"[^>]*><a href="\/gestion\/clients\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));

/** The "found by" cell of a customer's result row. */
const foundBy = (html: string, number: string) => {
  const row = html.split('<tr>').find((r) => r.includes(`href="/gestion/clients/${number}"`)) ?? '';
  return /data-label="Trouvé par"><span>([^<]*)<\/span>/.exec(row)?.[1] ?? null;
};

async function addVehicle(t: TestApp, contractId: string, plate: string) {
  await t.db.insertInto('contract_vehicles').values({ id: newId(), contract_id: contractId, plate, plate_key: plateKey(plate), description: null }).execute();
}

describe.each(databaseKinds())('the back office: finding a customer (%s)', (kind) => {
  const t = useTestApp(kind);

  /** A customer with every key searched, none shared with another test. */
  async function searchable() {
    const u = unique();
    const park = await createCarPark(t.db, t.clock);
    const customer = await createCustomer(t.db, t.clock, {
      number: `CLS${u}`,
      last_name: `LEFÈVRE-${u}`,
      first_name: `FRANÇOIS${u}`,
      phone: `01.47.${u.length}0.${String(serial).padStart(2, '0')}.01`,
      mobile_phone: `+33 7 ${String(serial).padStart(2, '0')} 45 67 89`,
      ...emailColumns(`francois.${u.toLowerCase()}@exemple.fr`, `Perso.${u.toLowerCase()}@Example.com`, nowIso(t.clock)),
    });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { number: `26CT${u}` });
    const plate = `${u.slice(0, 2)}-${String(100 + serial).slice(-3)}-${u.slice(2, 4)}`;
    await addVehicle(t, contract.id, plate);
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `FV${u}`, issueDate: '2026-10-01', htCents: 10000 });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, kind: 'credit_note', number: `AV${u}`, issueDate: '2026-10-15', htCents: 1000 });
    return { u, customer, contract, plate };
  }

  const search = async (b: Browser, q: string) => {
    const res = await b.get(`/gestion/clients?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  it('finds a customer by each key, whatever the case, the accents and the way a phone or plate is typed', async () => {
    const { b } = await loggedInStaff(t, '192.0.2.1');
    const { u, customer, plate } = await searchable();
    const n = customer.number;
    const phone = customer.phone!;
    const cases: [string, string][] = [
      [n.toLowerCase(), 'n° client'],
      [` ${n} `, 'n° client'],
      [`lefevre-${u.toLowerCase()}`, 'nom'],
      [`françois${u.toLowerCase()}`, 'nom'],
      [`Francois${u} Lefèvre`, 'nom'],
      [`LEFEV`, 'nom'],
      [`francois.${u}@EXEMPLE.FR`, 'e-mail'],
      [`perso.${u.toLowerCase()}@`, 'e-mail'],
      [phone, 'téléphone'],
      [phone.replace(/\./g, ''), 'téléphone'],
      [phone.replace(/\./g, ' '), 'téléphone'],
      [`+33 ${phone.slice(1).replace(/\./g, ' ')}`, 'téléphone'],
      [customer.mobile_phone!, 'téléphone'],
      [`07${String(serial).padStart(2, '0')}4567`, 'téléphone'],
      [plate, 'plaque'],
      [plate.replace(/-/g, '').toLowerCase(), 'plaque'],
      [plate.replace(/-/g, ' '), 'plaque'],
      [`26ct${u.toLowerCase()}`, 'n° de contrat'],
      [`fv${u.toLowerCase()}`, 'n° de document'],
      [`AV${u}`, 'n° de document'],
    ];
    for (const [q, by] of cases) {
      const body = await search(b, q);
      expect(resultNumbers(body), q).toContain(n);
      expect(foundBy(body, n), q).toContain(by);
    }
    // What is typed is taken literally: `_` and `%` are no wildcards.
    expect(resultNumbers(await search(b, `perso_${u}`))).not.toContain(n);
    expect(resultNumbers(await search(b, `perso%${u}`))).not.toContain(n);
    // The result row: number, name, city, login state.
    const body = await search(b, n);
    expect(body).toContain(`<a href="/gestion/clients/${n}">${n}</a>`);
    expect(body).toContain(`LEFÈVRE-${u} FRANÇOIS${u}`);
    expect(body).toContain('75008 PARIS');
    expect(body).toContain('Jamais activé');
    expect(foundBy(body, n)).toBe('n° client (correspondance exacte)');
  });

  it('puts exact matches of a number or a plate before the customers found by a prefix', async () => {
    const { b } = await loggedInStaff(t, '192.0.2.2');
    const u = unique();
    const park = await createCarPark(t.db, t.clock);
    // One customer's name starts like the other's number.
    const byName = await createCustomer(t.db, t.clock, { number: `CLA${u}`, last_name: `CLB${u}X` });
    const byNumber = await createCustomer(t.db, t.clock, { number: `CLB${u}`, last_name: 'ZZZ' });
    expect(resultNumbers(await search(b, `clb${u}`))).toEqual([byNumber.number, byName.number]);
    // Two plates, one the other's prefix: the whole plate first.
    const longer = await createContract(t.db, t.clock, byName.id, park.id);
    const exact = await createContract(t.db, t.clock, byNumber.id, park.id);
    await addVehicle(t, longer.id, `${u.slice(0, 2)}-999-${u.slice(2, 4)}Z`);
    await addVehicle(t, exact.id, `${u.slice(0, 2)}-999-${u.slice(2, 4)}`);
    expect(resultNumbers(await search(b, `${u.slice(0, 2)} 999 ${u.slice(2, 4)}`))).toEqual([byNumber.number, byName.number]);
  });

  it('says a query is too short instead of searching, and pages the results by 50', async () => {
    const { b } = await loggedInStaff(t, '192.0.2.3');
    for (const q of ['a', ' é ', '+']) {
      const body = await search(b, q);
      expect(body).toContain('Saisissez au moins 2 caractères');
      expect(body).not.toContain('<tbody>');
    }
    const empty = await search(b, '');
    expect(empty).not.toContain('Saisissez au moins 2 caractères');
    expect(empty).toMatch(/<input type="search" id="q" name="q" value(="")? /);
    expect(empty).not.toContain('<tbody>');

    const u = unique();
    for (let i = 0; i < 53; i++) await createCustomer(t.db, t.clock, { number: `CLP${u}${String(i).padStart(2, '0')}`, last_name: `PAGE${u}`, first_name: `P${String(i).padStart(2, '0')}` });
    const first = await search(b, `page${u}`);
    expect(resultNumbers(first)).toHaveLength(50);
    expect(first).toContain(`Clients trouvés pour « page${u} » : 53`);
    expect(first).toContain('Page 1 sur 2 (53 clients)');
    expect(first).toContain(`href="/gestion/clients?q=page${u}&amp;page=2"`);
    const second = await b.get(`/gestion/clients?q=page${u}&page=2`);
    expect(resultNumbers(second.body)).toEqual([`CLP${u}50`, `CLP${u}51`, `CLP${u}52`]);
    // Past the last page: the last page.
    const past = await b.get(`/gestion/clients?q=page${u}&page=9`);
    expect(past.statusCode).toBe(302);
    expect(past.headers.location).toBe(`/gestion/clients?q=page${u}&page=2`);
    expect(await search(b, `nobody${u}`)).toContain(`Aucun client ne correspond à « nobody${u} »`);
  });

  it('keeps the keys in step when a customer gives or changes their addresses', async () => {
    const { b } = await loggedInStaff(t, '192.0.2.4');
    const u = unique().toLowerCase();
    const { customer } = await newSubscriber(t.db, t.clock);
    const activated = await activateLogin(
      t.db,
      t.clock,
      t.config,
      customer.id,
      { password: 'gaufre luciole trombone', password_confirm: 'gaufre luciole trombone', email_primary: `first.${u}@example.fr`, email_secondary: '', paperless: false },
      { ip: '192.0.2.4', user_agent: null },
    );
    expect(activated).toEqual({ ok: true });
    expect(resultNumbers(await search(b, `first.${u}@example.fr`))).toEqual([customer.number]);
    await changeEmailAddresses(t.db, t.clock, t.config, customer.id, { primary: `second.${u}@example.fr`, secondary: `third.${u}@example.fr` });
    expect(resultNumbers(await search(b, `first.${u}`))).toEqual([]);
    expect(resultNumbers(await search(b, `second.${u}`))).toEqual([customer.number]);
    expect(resultNumbers(await search(b, `third.${u}`))).toEqual([customer.number]);
  });
});

describe.each(databaseKinds())('the back office: a customer’s page (%s)', (kind) => {
  const t = useTestApp(kind);

  it('shows identity, addresses with their verification, contracts, balance, documents, payments, mandates, statements, requests and e-mails', async () => {
    const { b, staff } = await loggedInStaff(t, '192.0.2.20');
    const u = unique();
    const verified = '2026-03-02T09:00:00.000Z';
    const { customer } = await activeSubscriber(t.db, t.clock, undefined, {
      number: `CLV${u}`,
      last_name: 'MARTIN',
      first_name: 'ÉLISE',
      mobile_phone: '06 11 22 33 44',
      paperless: 1,
      paperless_changed_at: '2026-03-01T10:00:00.000Z',
      email_primary: `elise.${u.toLowerCase()}@example.fr`,
      email_primary_verified_at: verified,
      email_secondary: `autre.${u.toLowerCase()}@example.fr`,
      email_secondary_verified_at: null,
    });
    await t.db.insertInto('paperless_consents').values({ id: newId(), customer_id: customer.id, given: 1, at: '2026-03-01T10:00:00.000Z', source: 'first_login', ip: null }).execute();
    const park = await createCarPark(t.db, t.clock, { name: `PARC ${u}` });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { number: `26CV${u}`, product: 'resident_petit_rouleur' });
    await addVehicle(t, contract.id, 'QR-456-ST');
    const pdf = await t.app.storage.put(Buffer.from(`%PDF-1.4 staff copy ${u}`));
    const invoice = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `FV${u}`, issueDate: '2026-10-01', htCents: 10000, pdfSha256: pdf });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `FW${u}`, issueDate: '2026-11-01', htCents: 5000 });
    await insertPayment(t.db, customer.id, 4000, [[invoice.id, 4000]]);
    await t.db
      .insertInto('sepa_mandates')
      .values({
        id: newId(), customer_id: customer.id, rum: `RUM${u}`, holder_name: 'MARTIN ELISE', holder_address: '1 RUE DE LA PAIX', iban_encrypted: 'sealed',
        iban_last4: '0189', iban_country: 'FR', bic: null, status: 'to_validate', signed_at: '2026-11-20T10:00:00.000Z', signature_place: 'Paris',
        signature_evidence: null, pdf_sha256: null, rejection_reason: null, revoked_at: null, source: 'online', decided_by: null, decided_at: null, created_at: '2026-11-20T09:00:00.000Z', updated_at: '2026-11-20T10:00:00.000Z',
      })
      .execute();
    await t.db.insertInto('exit_statements').values({ id: newId(), contract_id: contract.id, month: '2026-10', exit_count: 4, document_id: null, discount_ht_cents: null, created_at: nowIso(t.clock) }).execute();
    await t.db
      .insertInto('contact_requests')
      .values({ id: newId(), reference: `DEM-${u}`, customer_id: customer.id, contract_id: contract.id, category: 'plate', message: 'Nouvelle plaque', new_plate: 'QR-456-ST', effective_date: null, status: 'received', submission_id: null, created_at: '2026-11-25T10:00:00.000Z', updated_at: '2026-11-25T10:00:00.000Z' })
      .execute();
    // A reset e-mail still waiting: its body holds a link's token, which the page never shows.
    await t.db
      .insertInto('outbox')
      .values({
        id: newId(), dedupe_key: `reset:${u}:${customer.email_primary}`, recipient: customer.email_primary!, subject: 'Choisir un nouveau mot de passe', template: 'reset',
        text_body: `https://portail.example/reinitialiser/TOKEN${u}`, html_body: `<a href="https://portail.example/reinitialiser/TOKEN${u}">lien</a>`, headers: '{}',
        message_id: `<${u}@example>`, status: 'pending', attempts: 0, next_attempt_at: nowIso(t.clock), locked_until: null, locked_by: null, last_error: null, created_at: nowIso(t.clock), sent_at: null,
      })
      .execute();

    const res = await b.get(`/gestion/clients/${customer.number}`);
    expect(res.statusCode).toBe(200);
    const page = res.body;
    for (const text of [
      `<h1>MARTIN ÉLISE — ${customer.number}</h1>`,
      // the table of contents and a section per subject
      '<a href="#identite">Identité et coordonnées</a>',
      '<h2 id="connexion" tabindex="-1">Connexion à l’espace client</h2>',
      '<h2 id="actions" tabindex="-1">Actions</h2>',
      // identity and addresses
      'M. MARTIN ÉLISE',
      '1 RUE DE LA PAIX',
      '06 11 22 33 44',
      `elise.${u.toLowerCase()}@example.fr (vérifiée le 02/03/2026)`,
      `autre.${u.toLowerCase()}@example.fr (non vérifiée)`,
      // paperless and its history
      'Oui, depuis le 01/03/2026',
      'première connexion',
      // contracts
      `26CV${u}`,
      'Résident petit rouleur',
      `PARC ${u}`,
      '<span class="plate">QR-456-ST</span>',
      // balance (120 + 60 − 40) and documents, the one with a PDF linked to the staff's download
      'Reste à payer : 140,00',
      `<a href="/gestion/clients/${customer.number}/documents/FV${u}.pdf"`,
      `FW${u}`,
      `<a href="/gestion/clients/${customer.number}/documents">Tous les documents (2)</a>`,
      // payments
      '40,00',
      'Carte bancaire (en ligne)',
      // mandates: the RUM and the masked IBAN only
      `RUM${u}`,
      'À valider',
      'FR•• •••• •••• 0189',
      // statements
      'octobre 2026',
      // requests, linked to the inbox
      `<a href="/gestion/demandes/DEM-${u}">DEM-${u}</a>`,
      'Changement d’immatriculation',
      '<td data-label="Statut">Nouvelle</td>', // the inbox's word for it, not the customer's
      // e-mails: subject, template, status
      'Choisir un nouveau mot de passe',
      '<td data-label="Modèle">reset</td>',
      'En attente',
    ]) {
      expect(page, text).toContain(text.replace(/ /g, ' '));
    }
    expect(page).not.toContain(`TOKEN${u}`);
    expect(page).not.toContain('sealed');
    expect(page).not.toContain('$argon2');

    // Viewing is audited, on the customer.
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.view').where('target_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_type: 'staff', actor_id: staff.id, outcome: 'success', target_type: 'customer', ip: '192.0.2.20' });

    // The documents, all of them, and the staff's download of a PDF: the stored bytes, audited.
    const list = await b.get(`/gestion/clients/${customer.number}/documents`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`FW${u}`);
    const download = await b.get(`/gestion/clients/${customer.number}/documents/FV${u}.pdf`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.toString()).toBe(`%PDF-1.4 staff copy ${u}`);
    const downloaded = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.document_download').where('target_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(downloaded).toMatchObject({ actor_type: 'staff', actor_id: staff.id, target_type: 'customer' });
    expect(JSON.parse(downloaded.details!)).toEqual({ document: `FV${u}` });
    // A document without a PDF, or another customer's, is not there.
    expect((await b.get(`/gestion/clients/${customer.number}/documents/FW${u}.pdf`)).statusCode).toBe(404);
    const other = await createCustomer(t.db, t.clock);
    expect((await b.get(`/gestion/clients/${other.number}/documents/FV${u}.pdf`)).statusCode).toBe(404);
  });

  it('tells each login state: never activated, temporary password, active with its last logins, blocked by the throttle', async () => {
    // A staff session of its own at each look: the clock moves further than a session lasts.
    const page = async (number: string) => {
      const { b } = await loggedInStaff(t, '192.0.2.21');
      const res = await b.get(`/gestion/clients/${number}`);
      expect(res.statusCode).toBe(200);
      return res.body;
    };

    const never = await createCustomer(t.db, t.clock);
    expect(await page(never.number)).toContain('Jamais activé : aucun mot de passe temporaire n’a été émis.');

    const { customer: waiting } = await newSubscriber(t.db, t.clock);
    // Issued at 11:00 Paris time, valid 120 days.
    expect(await page(waiting.number)).toContain('Jamais activé : mot de passe temporaire émis le 27/11/2026 à 11:00, valable jusqu’au 27/03/2027 à 11:00.');
    t.clock.advance(121 * 24 * 60 * MINUTE);
    expect(await page(waiting.number)).toContain('a expiré le 27/03/2027 à 11:00');
    t.clock.set(TEST_START);

    const { customer: active, password } = await activeSubscriber(t.db, t.clock);
    await loggedInBrowser(t.app, '192.0.2.22', active.number, password);
    const activePage = await page(active.number);
    expect(activePage).toContain('Actif depuis le 27/11/2026.');
    expect(activePage).toContain('<dd>27/11/2026 à 11:00</dd>');
    expect(activePage).toContain('<td data-label="Résultat">Réussie</td><td data-label="Détail">mot de passe</td><td data-label="Adresse IP" class="bo-long">192.0.2.22</td>');
    expect(activePage).not.toContain('Bloqué');

    // Five wrong passwords: the throttle holds the number for a minute.
    const guesser = new Browser(t.app, '192.0.2.23');
    for (let i = 0; i < 5; i++) await guesser.submit('/connexion', '/connexion', { identifiant: active.number, password: 'wrong wrong wrong' });
    const held = await page(active.number);
    expect(held).toContain('Bloqué jusqu’au 27/11/2026 à 11:01 après 5 échec(s) de connexion.');
    expect(held).toContain('<td data-label="Résultat">Échouée</td><td data-label="Détail">mauvais mot de passe</td>');
    t.clock.advance(2 * MINUTE);
    expect(await page(active.number)).toContain('5 échec(s) de connexion récent(s), sans blocage en cours.');

    await t.db.updateTable('customer_logins').set({ state: 'locked' }).where('customer_id', '=', active.id).execute();
    expect(await page(active.number)).toContain('Verrouillé par l’exploitant');
  });
});

describe.each(databaseKinds())('the back office’s customer pages, for each audience (%s)', (kind) => {
  const t = useTestApp(kind);

  it('sends visitors and customers to the staff login, and serves agents and admins; an unknown number is 404', async () => {
    const customer = await createCustomer(t.db, t.clock);
    const pdf = await t.app.storage.put(Buffer.from('%PDF-1.4 audiences'));
    await insertDocument(t.db, { customerId: customer.id, number: `FA${customer.number}`, issueDate: '2026-10-01', htCents: 1000, pdfSha256: pdf });
    const urls = [
      '/gestion',
      '/gestion/clients',
      '/gestion/clients?q=durand',
      `/gestion/clients/${customer.number}`,
      `/gestion/clients/${customer.number}/documents?page=1`,
      `/gestion/clients/${customer.number}/documents/FA${customer.number}.pdf`,
    ];
    // The URLs below are every route of this plugin: pages for any member, read only.
    const actions = /\/(coordonnees|immatriculation|courrier-mot-de-passe|deverrouillage|fin-des-sessions|verification-email|vue-client|facturation|utilisateurs\/:id\/(suppression|invitation))$/;
    expect(staffAreaRoutes(t.app).filter((r) => (r.url === '/gestion' || r.url.startsWith('/gestion/clients')) && !actions.test(r.url))).toEqual(
      ['/gestion', '/gestion/clients', '/gestion/clients/:number', '/gestion/clients/:number/documents', '/gestion/clients/:number/documents/:file'].map((url) => ({
        method: 'GET',
        url,
        access: 'agent',
      })),
    );

    const visitor = new Browser(t.app, '192.0.2.40');
    const { b: customerBrowser } = await loggedInCustomer(t, '192.0.2.41');
    const { b: agent } = await loggedInStaff(t, '192.0.2.42', 'agent');
    const { b: admin } = await loggedInStaff(t, '192.0.2.43', 'admin');
    for (const url of urls) {
      for (const b of [visitor, customerBrowser]) {
        const res = await b.get(url);
        expect(res.statusCode, url).toBe(302);
        expect(res.headers.location, url).toMatch(/^\/gestion\/connexion/);
      }
      for (const b of [agent, admin]) expect((await b.get(url)).statusCode, url).toBe(200);
    }
    for (const url of ['/gestion/clients/CLT404404', '/gestion/clients/CLT404404/documents', `/gestion/clients/CLT404404/documents/FA${customer.number}.pdf`]) {
      const res = await agent.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Page introuvable');
    }
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'customer.view').where('target_id', '=', 'CLT404404').execute()).toEqual([]);
  });

  it('puts the search box on the back office’s home and “Clients” in its navigation', async () => {
    const { b } = await loggedInStaff(t, '192.0.2.44');
    const home = await b.get('/gestion');
    expect(home.body).toContain('<form method="get" action="/gestion/clients" role="search"');
    expect(home.body).toContain('<label for="q">Rechercher un client</label>');
    expect(home.body).toMatch(/<a href="\/gestion\/clients">\d+ client\(s\)<\/a>/);
    expect(home.body).toContain('<a href="/gestion/clients">Clients</a>');
  });
});
