import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Browser, type TestApp, createTestApp, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, emailColumns } from '../../../tests/support/factories.ts';
import { fieldError, summaryTargets } from '../../../tests/support/forms.ts';
import { hasPdftotext, pdfFlatText, pngImage } from '../../../tests/support/pdf.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { staffAreaRoutes } from '../../areas/staff-area.ts';
import { contentStore, localContentStore } from '../../lib/content-store.ts';
import { publishDocumentPdf } from '../documents/documents.service.ts';
import { storedHours } from '../public/public.rules.ts';
import { operatorSettings } from './settings.queries.ts';
import { MAX_LOGO_BYTES, settingsFromEnvironment, settingsValues } from './settings.rules.ts';

/*
 * The operator's settings through the admin pages: what is saved is what the customer pages,
 * the e-mails queued and the invoices' PDFs then say; the environment is only the first start's.
 */

const withPdftotext = it.skipIf(!hasPdftotext);

/** A real 1×1 PNG (pdfkit reads it). */
const tinyPng = (rgb: [number, number, number] = [11, 79, 138]): Buffer => pngImage({ width: 1, height: 1, colorType: 2, pixel: () => rgb });

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; type: string };
function multipartBody(parts: Part[]) {
  const boundary = `----settings${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('filename' in p) chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`), p.content);
    else chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}`));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The settings form's fields as they are stored now, with `over` changed: what an admin posts. */
async function formOf(t: TestApp, over: Record<string, string> = {}): Promise<Record<string, string>> {
  const { hours, vat_on_debits, ...values } = settingsValues(await operatorSettings(t.db, t.config));
  const fields: Record<string, string> = { ...values, ...(vat_on_debits ? { vat_on_debits: '1' } : {}) };
  hours.forEach((r, i) => {
    for (const [part, v] of Object.entries(r)) fields[`hours_${i}_${part}`] = v;
  });
  return { ...fields, ...over };
}

let ipCounter = 0;
const nextIp = () => `198.51.100.${(++ipCounter % 250) + 1}`;

describe.each(databaseKinds())('operator settings (%s)', (kind) => {
  const t = useTestApp(kind);

  it('are admins’ only: an agent is refused every page and post (403), a visitor and a customer go to the staff login', async () => {
    const mine = staffAreaRoutes(t.app).filter((r) => r.url.startsWith('/gestion/parametres'));
    expect(mine.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /gestion/parametres',
      'GET /gestion/parametres/parkings',
      'GET /gestion/parametres/parkings/:code',
      'POST /gestion/parametres',
      'POST /gestion/parametres/logo',
      'POST /gestion/parametres/logo/suppression',
      'POST /gestion/parametres/parkings/:code',
    ]);
    const park = await createCarPark(t.db, t.clock);
    const { b: agent } = await loggedInStaff(t, nextIp(), 'agent');
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const { b: customer } = await loggedInCustomer(t, nextIp());
    const visitor = new Browser(t.app, nextIp());
    for (const r of mine) {
      const url = r.url.replace(':code', park.code);
      const as = (b: Browser) => (r.method === 'GET' ? b.get(url) : b.post(url, {}));
      expect((await as(agent)).statusCode, `${r.method} ${url} as an agent`).toBe(403);
      for (const b of [visitor, customer]) {
        const res = await as(b);
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
      }
      if (r.method === 'GET') expect((await admin.get(url)).statusCode, `${url} as an admin`).toBe(200);
    }
    // The admin's navigation leads there.
    expect((await admin.get('/gestion/parametres')).body).toContain('<a href="/gestion/parametres" aria-current="page">Paramètres</a>');
  });

  it('saved are what the pages, the e-mails queued and the invoices then say; every save audited with what changed', async () => {
    const before = await operatorSettings(t.db, t.config);
    const { b: admin, staff } = await loggedInStaff(t, nextIp(), 'admin');
    const fields = await formOf(t, {
      name: 'Parcs du Levant',
      legal_form: 'SAS',
      phone: '01 23 45 67 89',
      email: 'Accueil@Parcs-Levant.example',
      share_capital: '250 000 €',
      mediator_name: 'Médiateur du stationnement',
      mediator_website: 'https://mediateur.example',
      hours_0_for: 'everyone',
      hours_0_first: '1',
      hours_0_last: '6',
      hours_0_open: '08:30',
      hours_0_close: '19:00',
    });
    const saved = await admin.submit('/gestion/parametres', '/gestion/parametres', fields);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/gestion/parametres?enregistre=8');
    expect((await admin.get(saved.headers.location!)).body).toContain('Paramètres enregistrés : 8 champ(s) modifié(s).');

    // Audited: who, what changed from what to what.
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.update').where('actor_id', '=', staff.id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_type: 'staff', outcome: 'success', target_type: 'operator_settings' });
    const changes = JSON.parse(entry.details!).changes;
    expect(changes.name).toEqual([before.name, 'Parcs du Levant']);
    expect(changes.phone).toEqual([before.phone, '01 23 45 67 89']);
    expect(changes.email).toEqual([before.email, 'accueil@parcs-levant.example']);
    expect(Object.keys(changes).sort()).toEqual(['email', 'legal_form', 'mediator_name', 'mediator_website', 'name', 'opening_hours', 'phone', 'share_capital']);

    // The customer pages: the legal notice, the footer, the contact page, in both languages.
    const fr = await new Browser(t.app, nextIp()).get('/mentions-legales');
    expect(fr.body).toContain('<strong>Parcs du Levant</strong>, SAS au capital de 250 000 €');
    expect(fr.body).toContain('<a href="tel:0123456789">01 23 45 67 89</a>');
    expect(fr.body).toContain('médiateur de la consommation\u00a0: Médiateur du stationnement, https://mediateur.example.');
    expect(fr.body).toContain('Parcs du Levant — SAS au capital de 250 000 €, SIREN 123456782');
    const en = new Browser(t.app, nextIp());
    en.cookies.set('lang', 'en');
    expect((await en.get('/mentions-legales')).body).toContain('<strong>Parcs du Levant</strong>, SAS with a share capital of 250 000 €');
    const contact = await new Browser(t.app, nextIp()).get('/contact');
    expect(contact.body).toContain('du lundi au samedi de 8h30 à 19h');
    expect(contact.body).toContain('accueil@parcs-levant.example');
    expect((await new Browser(t.app, nextIp()).get('/faq')).body).toContain('01 23 45 67 89</a> (du lundi au samedi de 8h30 à 19h)');

    // An e-mail queued now is signed with them.
    const address = `levant.${ipCounter}@example.fr`;
    const { customer } = await activeSubscriber(t.db, t.clock, undefined, emailColumns(address, null, t.clock.now().toISOString()));
    await new Browser(t.app, nextIp()).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { identifiant: customer.number });
    const mail = await t.db.selectFrom('outbox').select(['text_body', 'html_body']).where('recipient', '=', address).executeTakeFirstOrThrow();
    expect(mail.text_body).toContain('Parcs du Levant — Mon espace client');
    expect(mail.text_body).toContain('Service client : 01 23 45 67 89 — accueil@parcs-levant.example');
    expect(mail.html_body).toContain('Parcs du Levant');
  });

  withPdftotext('saved are what an invoice published afterwards says, with the logo', async () => {
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { name: 'Parcs Factures', phone: '01 98 76 54 32', late_payment_penalty: 'dix fois rien' }));
    await uploadLogo(admin, tinyPng());
    const { customer } = await activeSubscriber(t.db, t.clock);
    const doc = await insertDocument(t.db, { customerId: customer.id, number: `FS${customer.number}`, issueDate: '2026-11-01', htCents: 10000 });
    const storage = localContentStore(mkdtempSync(join(tmpdir(), 'settings-docs-')));
    const { sha256 } = await publishDocumentPdf(t.db, storage, t.clock, t.config, doc.id);
    const bytes = (await storage.get(sha256))!;
    const text = pdfFlatText(bytes);
    expect(text).toContain('Parcs Factures');
    expect(text).toContain('01 98 76 54 32');
    expect(text).toContain('dix fois rien');
    expect(bytes.includes(Buffer.from('/Subtype /Image'))).toBe(true);
  });

  it('refuses an invalid SIREN, VAT number, ICS or colour: 400, each field named, what was typed kept, nothing saved', async () => {
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const before = await t.db.selectFrom('operator_settings').selectAll().executeTakeFirstOrThrow();
    const audits = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'settings.update').execute();
    const res = await admin.submit(
      '/gestion/parametres',
      '/gestion/parametres',
      await formOf(t, { name: 'Nom <gardé>', siren: '123456789', vat_number: 'FR99123456782', creditor_id: 'FR12ZZZ123456', brand_colour: '#ffdd00', hours_0_close: '07:00', hours_0_open: '09:00' }),
    );
    expect(res.statusCode).toBe(400);
    expect(summaryTargets(res.body)).toEqual(['siren', 'vat_number', 'creditor_id', 'brand_colour', 'hours']);
    expect(res.body).toContain('SIREN : Un SIREN compte 9 chiffres dont le dernier est une clé : vérifiez-le.');
    expect(fieldError(res.body, 'vat_number')).toBe('La clé du numéro de TVA (les 2 chiffres après FR) ne correspond pas au SIREN qui la suit.');
    expect(fieldError(res.body, 'brand_colour')).toBe('Couleur trop claire : contraste de 1,09:1 seulement, il faut au moins 4,5:1 pour que le texte reste lisible.');
    expect(fieldError(res.body, 'creditor_id')).toContain('identifiant créancier SEPA n’est pas valide');
    expect(res.body).toContain('Ligne 1 : l’ouverture doit précéder la fermeture.');
    for (const [name, value] of [
      ['name', 'Nom &lt;gardé>'],
      ['siren', '123456789'],
      ['vat_number', 'FR99123456782'],
      ['brand_colour', '#ffdd00'],
    ]) {
      expect(res.body).toMatch(new RegExp(`id="${name}" name="${name}"[^>]*value="${value}"`));
    }
    expect(res.body).toContain('id="hours_0_open" name="hours_0_open" type="time" value="09:00"');
    expect(res.body).toMatch(/id="siren"[^>]*aria-invalid="true"/);
    expect(await t.db.selectFrom('operator_settings').selectAll().executeTakeFirstOrThrow()).toEqual(before);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'settings.update').execute()).toHaveLength(audits.length);
  });

  it('set the unpaid-invoice reminders’ schedule: whole days, the second after the first; bad input kept and named', async () => {
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const bad = await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { reminder_first_days: 'dix', reminder_second_days: '0' }));
    expect(bad.statusCode).toBe(400);
    expect(summaryTargets(bad.body)).toEqual(['reminder_first_days', 'reminder_second_days']);
    expect(fieldError(bad.body, 'reminder_first_days')).toBe('Indiquez un nombre entier de jours, de 1 à 365.');
    expect(bad.body).toMatch(/id="reminder_first_days" name="reminder_first_days"[^>]*value="dix"/);
    const order = await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { reminder_first_days: '20', reminder_second_days: '15' }));
    expect(order.statusCode).toBe(400);
    expect(fieldError(order.body, 'reminder_second_days')).toBe('La seconde relance doit venir après la première (20 jours).');
    expect(order.body).toMatch(/id="reminder_second_days" name="reminder_second_days"[^>]*value="15"/);

    const saved = await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { reminder_first_days: '7', reminder_second_days: '21' }));
    expect(saved.statusCode).toBe(303);
    expect(await t.db.selectFrom('operator_settings').select(['reminder_first_days', 'reminder_second_days']).executeTakeFirstOrThrow()).toEqual({ reminder_first_days: 7, reminder_second_days: 21 });
    await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { reminder_first_days: '10', reminder_second_days: '25' }));
  });

  it('says so when nothing changed, and writes nothing', async () => {
    const { b: admin, staff } = await loggedInStaff(t, nextIp(), 'admin');
    const res = await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t));
    expect(res.headers.location).toBe('/gestion/parametres?inchange');
    expect((await admin.get('/gestion/parametres?inchange')).body).toContain('Aucune modification : rien n’a été enregistré.');
    expect(await t.db.selectFrom('audit_log').select('id').where('actor_id', '=', staff.id).where('action', 'like', 'settings.%').execute()).toEqual([]);
  });

  it('apply a main colour through a stylesheet of its own, when white text stays readable on it', async () => {
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const res = await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { brand_colour: '#1A5E20' }));
    expect(res.statusCode).toBe(303);
    const page = await new Browser(t.app, nextIp()).get('/parkings');
    expect(page.body).toContain('<link rel="stylesheet" href="/theme.css?v=1a5e20"/>');
    const css = await new Browser(t.app, nextIp()).get('/theme.css?v=1a5e20');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toBe(':root { --brand: #1a5e20; --brand-dark: #144718; }\n');
    expect((await new Browser(t.app, nextIp()).get('/theme.css?v=zzz')).statusCode).toBe(404);
    // Back to the portal's own: no stylesheet to fetch.
    await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { brand_colour: '#0b4f8a' }));
    expect((await new Browser(t.app, nextIp()).get('/parkings')).body).not.toContain('theme.css');
  });

  async function uploadLogo(b: Browser, content: Buffer, type = 'image/png', filename = 'logo.png') {
    const page = await b.get('/gestion/parametres');
    const { payload, contentType } = multipartBody([
      { name: '_csrf', value: csrfToken(page.body) },
      { name: 'logo', filename, content, type },
    ]);
    return t.app.inject({
      method: 'POST',
      url: '/gestion/parametres/logo',
      remoteAddress: '198.51.100.250',
      payload,
      headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
  }

  it('take a logo, PNG or JPEG by its bytes and small, served from a cacheable address and shown in the header', async () => {
    const { b: admin, staff } = await loggedInStaff(t, nextIp(), 'admin');
    const pdfNamedPng = await uploadLogo(admin, Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1'));
    expect(pdfNamedPng.statusCode).toBe(400);
    expect(fieldError(pdfNamedPng.body, 'logo')).toBe('Le logo doit être une image PNG ou JPEG.');
    const big = await uploadLogo(admin, Buffer.concat([tinyPng(), randomBytes(MAX_LOGO_BYTES)]));
    expect(big.statusCode).toBe(400);
    expect(fieldError(big.body, 'logo')).toBe('Le logo ne doit pas dépasser 200 Ko.');

    const png = tinyPng([200, 16, 46]);
    const ok = await uploadLogo(admin, png);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/gestion/parametres?logo=enregistre#logo-panel');
    const { logo_sha256 } = await operatorSettings(t.db, t.config);
    const url = `/logo/${logo_sha256}.png`;
    const home = await new Browser(t.app, nextIp()).get('/parkings');
    expect(home.body).toContain(`<img class="brand-logo" src="${url}" alt/>`); // alt="": the name follows
    const served = await new Browser(t.app, nextIp()).get(url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.rawPayload.equals(png)).toBe(true);
    expect((await new Browser(t.app, nextIp()).get(`/logo/${logo_sha256}.jpg`)).statusCode).toBe(404);
    expect((await new Browser(t.app, nextIp()).get(`/logo/${'0'.repeat(64)}.png`)).statusCode).toBe(404);
    expect(await t.db.selectFrom('audit_log').select('action').where('actor_id', '=', staff.id).execute()).toEqual([{ action: 'settings.logo' }]);

    // Replaced: the former logo leaves the store (no stored file named by no row: `verify`).
    expect((await uploadLogo(admin, tinyPng([16, 46, 200]))).statusCode).toBe(303);
    const replaced = (await operatorSettings(t.db, t.config)).logo_sha256!;
    expect(replaced).not.toBe(logo_sha256);
    expect(await contentStore(t.config, 'assets').get(logo_sha256!)).toBeNull();
    expect((await new Browser(t.app, nextIp()).get(url)).statusCode).toBe(404);

    const removed = await admin.submit('/gestion/parametres', '/gestion/parametres/logo/suppression', {});
    expect(removed.headers.location).toBe('/gestion/parametres?logo=retire#logo-panel');
    expect((await new Browser(t.app, nextIp()).get('/parkings')).body).not.toContain('brand-logo');
    expect(await contentStore(t.config, 'assets').get(replaced)).toBeNull();
  });

  it('edit a car park, which the public page then shows, with its petit-rouleur variant', async () => {
    const park = await createCarPark(t.db, t.clock, { name: 'PARC AVANT' });
    const { b: admin, staff } = await loggedInStaff(t, nextIp(), 'admin');
    const list = await admin.get('/gestion/parametres/parkings');
    expect(list.body).toContain(`<a href="/gestion/parametres/parkings/${park.code}" aria-label="Modifier le parking PARC AVANT">Modifier</a>`);
    const form = await admin.get(`/gestion/parametres/parkings/${park.code}`);
    expect(form.body).toContain('value="PARC AVANT"');
    expect(form.body).toContain('>Places moto</textarea>'); // a service stored as text stays, as text

    const fields = {
      name: 'PARC APRÈS',
      address_line: '3 place Neuve',
      postal_code: '75011',
      city: 'PARIS',
      phone: '01 44 55 66 77',
      email: 'parc.apres@example.fr',
      services: 'ev_charging',
      other_services: 'Navette gratuite',
      petit_rouleur_30: '1',
      hours_0_for: 'everyone',
      hours_1_for: 'reception',
      hours_1_first: '1',
      hours_1_last: '5',
      hours_1_open: '08:00',
      hours_1_close: '18:00',
    };
    const bad = await admin.submit(`/gestion/parametres/parkings/${park.code}`, `/gestion/parametres/parkings/${park.code}`, { ...fields, postal_code: '7501', phone: 'non' });
    expect(bad.statusCode).toBe(400);
    expect(summaryTargets(bad.body)).toEqual(['postal_code', 'phone']);
    expect(bad.body).toContain('value="PARC APRÈS"');

    const saved = await admin.submit(`/gestion/parametres/parkings/${park.code}`, `/gestion/parametres/parkings/${park.code}`, fields);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/gestion/parametres/parkings/${park.code}?enregistre=8`);
    const row = await t.db.selectFrom('car_parks').selectAll().where('id', '=', park.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'PARC APRÈS', petit_rouleur_30: 1, services: '["ev_charging","Navette gratuite"]', email: 'parc.apres@example.fr' });
    expect(row.opening_hours).toBe(storedHours([{ for: 'everyone' }, { for: 'reception', days: [1, 5], hours: ['08:00', '18:00'] }]));

    const pub = await new Browser(t.app, nextIp()).get('/parkings');
    expect(pub.body).toContain('PARC APRÈS');
    expect(pub.body).not.toContain('PARC AVANT');
    expect(pub.body).toContain('3 place Neuve');
    expect(pub.body).toContain('<a href="tel:0144556677">01 44 55 66 77</a>');
    expect(pub.body).toContain('24h/24, 7j/7 ; accueil : du lundi au vendredi de 8h à 18h');
    expect(pub.body).toContain('Recharge électrique, Navette gratuite');

    const entry = await t.db.selectFrom('audit_log').selectAll().where('actor_id', '=', staff.id).where('action', '=', 'car_park.update').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ target_type: 'car_park', target_id: park.id });
    expect(JSON.parse(entry.details!).changes.petit_rouleur_30).toEqual([0, 1]);
    expect((await admin.get(`/gestion/parametres/parkings/NOPE`)).statusCode).toBe(404);
  });

  it('send the staff notice of a contact request to the address saved', async () => {
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { staff_notification_email: 'Demandes.Nouvelles@operateur.example' }));
    const { b } = await loggedInCustomer(t, nextIp());
    const page = await b.get('/contact');
    const submission = /name="submission" value="([^"]+)"/.exec(page.body)![1]!;
    const sent = await b.post('/contact', { _csrf: csrfToken(page.body), category: 'other', message: 'Une question', submission });
    expect(sent.statusCode).toBe(303);
    const notices = await t.db.selectFrom('outbox').select('recipient').where('template', '=', 'contact-staff').where('recipient', '=', 'demandes.nouvelles@operateur.example').execute();
    expect(notices).toHaveLength(1);
  });
  it('sets the option for VAT on debits (issue 14): a box, saved and audited, unticked again', async () => {
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    expect((await admin.get('/gestion/parametres')).body).toContain('Option pour le paiement de la TVA d’après les débits');
    expect((await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(t, { vat_on_debits: '1' }))).statusCode).toBe(303);
    expect((await operatorSettings(t.db, t.config)).vat_on_debits).toBe(1);
    const page = (await admin.get('/gestion/parametres')).body;
    expect(page).toMatch(/<input type="checkbox" id="vat_on_debits" name="vat_on_debits" value="1" checked/);
    const entry = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'settings.update').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details as string).changes).toMatchObject({ vat_on_debits: [0, 1] });
    const { vat_on_debits: _ticked, ...unticked } = await formOf(t);
    expect((await admin.submit('/gestion/parametres', '/gestion/parametres', unticked)).statusCode).toBe(303);
    expect((await operatorSettings(t.db, t.config)).vat_on_debits).toBe(0);
  });
});

describe.each(databaseKinds())('operator settings at the first start (%s)', (kind) => {
  it('are the environment’s, and stay what an admin saved when the environment changes', async () => {
    const env = { OPERATOR_NAME: 'Parcs de l’Environnement', OPERATOR_PHONE: '04 11 22 33 44', STAFF_NOTIFICATION_EMAIL: 'equipe@env.example', SEPA_CREDITOR_ID: 'FR72ZZZ123456' };
    const first = await createTestApp(kind, env);
    try {
      const row = await first.db.selectFrom('operator_settings').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ id: 1, name: 'Parcs de l’Environnement', phone: '04 11 22 33 44', staff_notification_email: 'equipe@env.example', updated_by: null });
      expect(first.app.operator).toEqual(settingsFromEnvironment(first.config));
      expect((await new Browser(first.app, '192.0.2.10').get('/mentions-legales')).body).toContain('<strong>Parcs de l’Environnement</strong>');

      const { b: admin } = await loggedInStaff(first, '192.0.2.11', 'admin');
      await admin.submit('/gestion/parametres', '/gestion/parametres', await formOf(first, { name: 'Parcs Enregistrés' }));
      // The next start, with another environment: the settings saved stay.
      const second = await createTestApp(kind, { ...env, OPERATOR_NAME: 'Autre Nom' }, first.db);
      expect(second.app.operator.name).toBe('Parcs Enregistrés');
      expect((await new Browser(second.app, '192.0.2.12').get('/mentions-legales')).body).toContain('<strong>Parcs Enregistrés</strong>');
      await second.app.close();
    } finally {
      await first.close();
    }
  });
});
