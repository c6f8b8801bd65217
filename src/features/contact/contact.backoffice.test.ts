import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract } from '../../../tests/support/factories.ts';
import { type Part, file, multipartBody } from '../../../tests/support/multipart.ts';
import { createStaffMember, loggedInStaff } from '../../../tests/support/staff.ts';
import { staffAreaRoutes } from '../../areas/staff-area.ts';
import type { ContactCategory, ContactStatus } from '../../db/schema.ts';
import { DAY, newId } from '../../lib/clock.ts';

/*
 * The contact requests in the back office (issue 10): the inbox and its filters, a request's
 * page and what an agent does with it (assign, note, reply, state), the attachments opened
 * safely, and the customer's side of the conversation in "Mes demandes" — through the real
 * routes, on each database.
 */

const STAFF = 'accueil.demandes@parkings-demo.example';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really an image')]);

let seq = 0;
/** Where each customer's browser browses from, for the multipart posts made beside it. */
const ips = new WeakMap<Browser, string>();
/** A fresh address for one test's browsers. */
const nextIp = () => `10.12.${Math.floor(++seq / 200)}.${seq % 200}`;

describe.each(databaseKinds())('contact requests in the back office (%s)', (kind) => {
  let dataDir = '';
  const t = useTestApp(kind, () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portal-inbox-'));
    return { DATA_DIR: dataDir, STAFF_NOTIFICATION_EMAIL: STAFF, PUBLIC_URL: 'https://monespaceclient.example' };
  });
  /** Every file stored under DATA_DIR/attachments. */
  const storedFiles = () => (existsSync(join(dataDir, 'attachments')) ? readdirSync(join(dataDir, 'attachments'), { recursive: true }).map(String).filter((f) => f.endsWith('.pdf')) : []);

  /** A customer with a verified address, a contract of their own, logged in. */
  async function customerWithContract(over: { language?: 'fr' | 'en'; email?: string | null } = {}) {
    const park = await createCarPark(t.db, t.clock);
    const email = over.email === undefined ? `client-${newId().slice(-8)}@example.fr` : over.email;
    const ip = nextIp();
    const { b, customer } = await loggedInCustomer(t, ip, {
      ...(over.language ? { language: over.language } : {}),
      email_primary: email,
      email_primary_verified_at: email ? t.clock.now().toISOString() : null,
    });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { number: `77CT${newId().slice(-6).toUpperCase()}` });
    ips.set(b, ip);
    return { b, customer, contract };
  }

  let refSeq = 0;
  /** A request written as the contact form writes it, received `ageDays` ago (plus `minutes`), in a state. */
  async function request(
    customerId: string,
    o: { contractId?: string | null; category?: ContactCategory; status?: ContactStatus; ageDays?: number; minutes?: number; assignee?: string | null; message?: string } = {},
  ) {
    const created = new Date(t.clock.now().getTime() - (o.ageDays ?? 0) * DAY - (o.minutes ?? 0) * 60_000).toISOString();
    // Another year's numbers than the form's (2026), so the two never take the same one.
    const reference = `DEM-2019-${String(++refSeq + (kind === 'sqlite' ? 0 : 500000)).padStart(6, '0')}`;
    const row = {
      id: newId(),
      reference,
      customer_id: customerId,
      contract_id: o.contractId ?? null,
      category: o.category ?? 'other',
      message: o.message ?? `Message de ${reference}`,
      new_plate: null,
      effective_date: null,
      status: o.status ?? 'received',
      submission_id: null,
      assigned_staff_id: o.assignee ?? null,
      closed_at: o.status === 'closed' ? created : null,
      created_at: created,
      updated_at: created,
    };
    await t.db.insertInto('contact_requests').values(row).execute();
    return row;
  }

  /** The references the inbox lists at `url`, in its order. */
  async function listed(b: Browser, url: string): Promise<string[]> {
    const res = await b.get(url);
    expect(res.statusCode, url).toBe(200);
    return [...res.body.matchAll(/<th scope="row" data-label="Référence"><a href="\/gestion\/demandes\/(DEM-[0-9-]+)">/g)].map((m) => m[1]!);
  }

  const auditOf = (action: string, targetId: string) =>
    t.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', targetId).orderBy('at').execute();
  const outboxTo = (recipient: string) => t.db.selectFrom('outbox').selectAll().where('recipient', '=', recipient).orderBy('created_at').execute();
  const requestRow = (reference: string) => t.db.selectFrom('contact_requests').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();

  /** The customer sends the contact form, with files: the reference it made. */
  async function sendRequest(b: Browser, fields: Record<string, string>, files: Part[] = []) {
    const page = await b.get('/contact');
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: csrfToken(page.body) }, ...Object.entries(fields).map(([name, value]) => ({ name, value })), ...files]);
    const res = await injectAs(b, 'POST', '/contact', payload, contentType);
    expect(res.statusCode).toBe(303);
    return /\/contact\/demandes\/(DEM-\d{4}-\d{6})/.exec(res.headers.location as string)![1]!;
  }

  /** The customer answers back on their request's page: message and files, the token first. */
  async function answer(b: Browser, reference: string, message: string, files: Part[] = [], opts: { page?: string } = {}) {
    const page = await b.get(opts.page ?? `/contact/demandes/${reference}`);
    const token = page.statusCode === 200 ? csrfToken(page.body) : '';
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: token }, { name: 'message', value: message }, ...files]);
    return injectAs(b, 'POST', `/contact/demandes/${reference}/reponse`, payload, contentType);
  }

  function injectAs(b: Browser, method: 'POST', url: string, payload: Buffer, contentType: string) {
    return t.app.inject({
      method,
      url,
      remoteAddress: ips.get(b),
      payload,
      headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
  }

  it('lets agents and admins in on every route it adds, and sends visitors and customers to the staff login', async () => {
    const { b: owner, customer } = await customerWithContract();
    const reference = await sendRequest(owner, { category: 'other', message: 'Avec pièce jointe' }, [file('piece.pdf', PDF)]);
    const attachment = await t.db.selectFrom('contact_attachments as a').innerJoin('contact_requests as r', 'r.id', 'a.request_id').select('a.id').where('r.reference', '=', reference).executeTakeFirstOrThrow();
    const routes = staffAreaRoutes(t.app).filter((r) => r.url.startsWith('/gestion/demandes'));
    const gets = [`/gestion/demandes`, `/gestion/demandes/${reference}`, `/gestion/demandes/${reference}/pieces/${attachment.id}`];
    const posts: [string, Record<string, string>][] = [
      [`/gestion/demandes/${reference}/attribution`, { assignee: '' }],
      [`/gestion/demandes/${reference}/note`, { note: 'Note de contrôle' }],
      [`/gestion/demandes/${reference}/reponse`, { reply: 'Réponse de contrôle' }],
      [`/gestion/demandes/${reference}/etat`, { state: 'in_progress' }],
    ];
    // Every route of this feature is in the lists above.
    expect(routes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
      [
        'GET /gestion/demandes',
        'GET /gestion/demandes/:reference',
        'GET /gestion/demandes/:reference/pieces/:id',
        'POST /gestion/demandes/:reference/attribution',
        'POST /gestion/demandes/:reference/etat',
        'POST /gestion/demandes/:reference/note',
        'POST /gestion/demandes/:reference/reponse',
      ].sort(),
    );
    expect(routes.every((r) => r.access === 'agent')).toBe(true);

    const visitor = new Browser(t.app, nextIp());
    for (const b of [visitor, owner]) {
      for (const url of gets) {
        const res = await b.get(url);
        expect([res.statusCode, res.headers.location], url).toEqual([302, `/gestion/connexion?suite=${encodeURIComponent(url)}`.replace(/%2F/g, '/')]);
      }
      for (const [url, fields] of posts) {
        const res = await b.post(url, fields);
        expect([res.statusCode, res.headers.location], url).toEqual([302, '/gestion/connexion']);
      }
    }
    expect(await t.db.selectFrom('contact_messages').select('id').where('body', 'like', '%de contrôle').execute()).toEqual([]);

    for (const role of ['agent', 'admin'] as const) {
      const { b } = await loggedInStaff(t, nextIp(), role);
      for (const url of gets) expect((await b.get(url)).statusCode, `${role} ${url}`).toBe(200);
      for (const [url, fields] of posts) {
        const res = await b.submit(`/gestion/demandes/${reference}`, url, fields);
        expect([res.statusCode, res.headers.location?.split('?')[0]], `${role} ${url}`).toEqual([303, `/gestion/demandes/${reference}`]);
      }
    }
    expect((await auditOf('contact.reply', customer.id)).length).toBe(2);
  });

  it('lists the oldest waiting first: new and in progress, then waiting for the customer, then closed; each filter narrows it', async () => {
    const { customer, contract } = await customerWithContract();
    const other = await customerWithContract();
    const { b, staff } = await loggedInStaff(t, nextIp());
    const on = { contractId: contract.id };
    const closedOld = await request(customer.id, { ...on, status: 'closed', ageDays: 40 });
    const waitingOld = await request(customer.id, { ...on, status: 'waiting_customer', ageDays: 30, category: 'invoice' });
    const newer = await request(customer.id, { ...on, status: 'received', ageDays: 2, category: 'address' });
    const older = await request(customer.id, { ...on, status: 'in_progress', ageDays: 12, assignee: staff.id, category: 'plate' });
    const oldest = await request(customer.id, { ...on, status: 'received', ageDays: 20, category: 'invoice' });
    const today = await request(customer.id, { ...on, status: 'received', minutes: 5 });
    const elsewhere = await request(other.customer.id, { contractId: other.contract.id, ageDays: 50 });

    const base = `/gestion/demandes?contrat=${contract.number}`;
    // By default, everything not closed; `toutes` adds the closed ones, last.
    expect(await listed(b, base)).toEqual([oldest.reference, older.reference, newer.reference, today.reference, waitingOld.reference]);
    expect(await listed(b, `${base}&etat=toutes`)).toEqual([oldest.reference, older.reference, newer.reference, today.reference, waitingOld.reference, closedOld.reference]);
    // The contract filter, typed in lower case too, keeps only that contract's requests.
    expect(await listed(b, `/gestion/demandes?etat=toutes&contrat=${contract.number.toLowerCase()}`)).not.toContain(elsewhere.reference);
    expect(await listed(b, `/gestion/demandes?contrat=${other.contract.number}`)).toEqual([elsewhere.reference]);
    // State.
    expect(await listed(b, `${base}&etat=received`)).toEqual([oldest.reference, newer.reference, today.reference]);
    expect(await listed(b, `${base}&etat=in_progress`)).toEqual([older.reference]);
    expect(await listed(b, `${base}&etat=waiting_customer`)).toEqual([waitingOld.reference]);
    expect(await listed(b, `${base}&etat=closed`)).toEqual([closedOld.reference]);
    // Category.
    expect(await listed(b, `${base}&objet=invoice`)).toEqual([oldest.reference, waitingOld.reference]);
    // Age: received more than N days ago.
    expect(await listed(b, `${base}&plus_de=10`)).toEqual([oldest.reference, older.reference, waitingOld.reference]);
    expect(await listed(b, `${base}&plus_de=0`)).toEqual([oldest.reference, older.reference, newer.reference, today.reference, waitingOld.reference]);
    // Assignment.
    expect(await listed(b, `${base}&attribution=moi`)).toEqual([older.reference]);
    expect(await listed(b, `${base}&attribution=personne`)).toEqual([oldest.reference, newer.reference, today.reference, waitingOld.reference]);
    // Malformed filters are not applied.
    expect(await listed(b, `${base}&etat=perdue&objet=%3Cb%3E&plus_de=-3&attribution=lui`)).toEqual(await listed(b, base));

    // A row: reference, customer (number, name, link to their page), category, age, state, assignee.
    const page = (await b.get(`${base}&etat=in_progress`)).body;
    expect(page).toContain(`<a href="/gestion/clients/${customer.number}">${customer.number} — DURAND`);
    expect(page).toContain('<td data-label="Objet">Changement d’immatriculation / de véhicule</td>');
    expect(page).toContain('<td data-label="Âge">12 jours</td>');
    expect(page).toContain('<span class="status status-in_progress">En cours</span>');
    expect(page).toContain(`<td data-label="Attribuée à">${staff.display_name}</td>`);
    expect(page).toMatch(/<caption>[^<]*: 1<\/caption>/);
    expect((await b.get(`${base}&etat=received`)).body).toContain('<td data-label="Âge">Aujourd’hui</td>');
  });

  it('pages the inbox, 20 a page, keeping its filters', async () => {
    const { customer, contract } = await customerWithContract();
    const { b } = await loggedInStaff(t, nextIp());
    const made = [];
    for (let i = 0; i < 23; i++) made.push(await request(customer.id, { contractId: contract.id, ageDays: 30, minutes: -i }));
    const first = await listed(b, `/gestion/demandes?contrat=${contract.number}`);
    expect(first).toEqual(made.slice(0, 20).map((r) => r.reference));
    const page = (await b.get(`/gestion/demandes?contrat=${contract.number}`)).body;
    expect(page).toContain(`href="/gestion/demandes?contrat=${contract.number}&amp;page=2"`);
    expect(await listed(b, `/gestion/demandes?contrat=${contract.number}&page=2`)).toEqual(made.slice(20).map((r) => r.reference));
  });

  it('assigns a request to me or to another agent, a new one going in progress, each change audited against the customer', async () => {
    const { customer, contract } = await customerWithContract();
    const { b, staff: me } = await loggedInStaff(t, nextIp());
    const colleague = await createStaffMember(t.db, t.clock, { displayName: 'Camille Martin' });
    const r = await request(customer.id, { contractId: contract.id });
    const path = `/gestion/demandes/${r.reference}`;

    const mine = await b.submit(path, `${path}/attribution`, { assignee: me.id });
    expect([mine.statusCode, mine.headers.location]).toEqual([303, `${path}?fait=attribuee#request-details`]);
    // Reading the request (the page the form came from) is audited, on its customer.
    const read = await t.db.selectFrom('audit_log').select(['target_id', 'details']).where('actor_id', '=', me.id).where('action', '=', 'contact.request_view').execute();
    expect(read).toEqual([{ target_id: customer.id, details: JSON.stringify({ reference: r.reference }) }]);
    expect(await requestRow(r.reference)).toMatchObject({ assigned_staff_id: me.id, status: 'in_progress' });
    expect((await b.get(mine.headers.location as string)).body).toContain(`La demande est attribuée à ${me.display_name}.`);
    expect(await listed(b, `/gestion/demandes?contrat=${contract.number}&attribution=moi`)).toEqual([r.reference]);

    t.clock.advance(1000);
    await b.submit(path, `${path}/attribution`, { assignee: colleague.id });
    expect(await requestRow(r.reference)).toMatchObject({ assigned_staff_id: colleague.id, status: 'in_progress' });
    expect(await listed(b, `/gestion/demandes?contrat=${contract.number}&attribution=moi`)).toEqual([]);
    t.clock.advance(1000);
    await b.submit(path, `${path}/attribution`, { assignee: '' });
    expect(await requestRow(r.reference)).toMatchObject({ assigned_staff_id: null, status: 'in_progress' });
    expect(await listed(b, `/gestion/demandes?contrat=${contract.number}&attribution=personne`)).toEqual([r.reference]);

    // Someone who is not an active member: the form again, with its error; nothing changes.
    const disabled = await createStaffMember(t.db, t.clock);
    await t.db.updateTable('staff_members').set({ state: 'disabled' }).where('id', '=', disabled.id).execute();
    for (const assignee of [disabled.id, 'nobody-at-all']) {
      const refused = await b.submit(path, `${path}/attribution`, { assignee });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('Choisissez un membre de l’équipe dans la liste.');
    }
    expect((await requestRow(r.reference)).assigned_staff_id).toBeNull();

    const entries = await auditOf('contact.assign', customer.id);
    expect(entries.map((e) => [e.actor_type, e.actor_id, e.target_type, JSON.parse(e.details!).assignee])).toEqual([
      ['staff', me.id, 'customer', me.id],
      ['staff', me.id, 'customer', colleague.id],
      ['staff', me.id, 'customer', null],
    ]);
    expect(JSON.parse(entries[0]!.details!)).toMatchObject({ reference: r.reference, from: 'received', to: 'in_progress' });
  });

  it('keeps internal notes for the staff: marked on the staff’s page, never on the customer’s nor in any e-mail', async () => {
    const { b: owner, customer } = await customerWithContract();
    const reference = await sendRequest(owner, { category: 'invoice', message: 'Ma facture est fausse.' });
    const { b, staff } = await loggedInStaff(t, nextIp());
    const path = `/gestion/demandes/${reference}`;
    const note = 'Client déjà relancé trois fois — NOTE-SECRETE-4721';

    const res = await b.submit(path, `${path}/note`, { note });
    expect([res.statusCode, res.headers.location]).toEqual([303, `${path}?fait=note#conversation`]);
    const staffPage = (await b.get(res.headers.location as string)).body;
    expect(staffPage).toContain('La note interne est enregistrée.');
    expect(staffPage).toMatch(/<li class="message message-note"><p class="note-mark">Note interne<\/p><p class="message-meta">[^<]*<\/p><p class="message-text">Client déjà relancé trois fois — NOTE-SECRETE-4721<\/p>/);
    expect(staffPage).toContain(staff.display_name);
    expect((await requestRow(reference)).status).toBe('received'); // a note changes nothing
    expect(await auditOf('contact.note', customer.id)).toHaveLength(1);

    // Then a reply, e-mailed: the note is in neither the customer's page nor any e-mail.
    await b.submit(path, `${path}/reponse`, { reply: 'Nous corrigeons votre facture.' });
    const customerPage = (await owner.get(`/contact/demandes/${reference}`)).body;
    expect(customerPage).toContain('Nous corrigeons votre facture.');
    expect(customerPage).not.toContain('NOTE-SECRETE-4721');
    expect(customerPage).not.toContain('Note interne');
    const mails = await t.db.selectFrom('outbox').select(['recipient', 'subject', 'text_body', 'html_body']).execute();
    expect(mails.some((m) => m.text_body.includes('Nous corrigeons votre facture.'))).toBe(true);
    expect(mails.filter((m) => `${m.subject}${m.text_body}${m.html_body}`.includes('NOTE-SECRETE-4721'))).toEqual([]);
    // An empty note is refused with the form again.
    const empty = await b.submit(path, `${path}/note`, { note: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Saisissez votre message.');
  });

  it('e-mails a reply to the customer in their language, shows it in “Mes demandes”, and waits for them — or closes the request', async () => {
    const email = `english-${newId().slice(-8)}@example.com`;
    const { b: owner, customer } = await customerWithContract({ language: 'en', email });
    const reference = await sendRequest(owner, { category: 'contract', message: 'When does my contract end?' });
    const { b, staff } = await loggedInStaff(t, nextIp());
    const path = `/gestion/demandes/${reference}`;

    const res = await b.submit(path, `${path}/reponse`, { reply: 'Votre contrat se termine le 31/12.\r\nBonne journée.' });
    expect([res.statusCode, res.headers.location]).toEqual([303, `${path}?fait=reponse#conversation`]);
    expect((await b.get(res.headers.location as string)).body).toContain('La réponse est envoyée au client et visible dans « Mes demandes ».');
    expect(await requestRow(reference)).toMatchObject({ status: 'waiting_customer', closed_at: null });
    const [mail] = (await outboxTo(email)).filter((m) => m.template === 'contact-reply');
    expect(mail!.subject).toBe(`Reply to your request ${reference}`);
    expect(mail!.text_body).toContain(`Customer service has replied to your request ${reference}`);
    expect(mail!.text_body).toContain('Votre contrat se termine le 31/12.\n\nBonne journée.');
    expect(mail!.text_body).toContain(`https://monespaceclient.example/contact/demandes/${reference}`);
    expect(mail!.text_body).toContain('“My requests”');
    const entry = (await auditOf('contact.reply', customer.id))[0]!;
    expect([entry.actor_id, JSON.parse(entry.details!)]).toEqual([staff.id, expect.objectContaining({ reference, from: 'received', to: 'waiting_customer', emailed: 1 })]);

    // The customer sees the reply and the state in words, in English.
    const page = (await owner.get(`/contact/demandes/${reference}`)).body;
    expect(page).toContain('<span class="status status-waiting_customer">Waiting for your answer</span>');
    expect(page).toMatch(/<li class="message message-staff"><p class="message-meta">Customer service, [^<]+<\/p><p class="message-text">Votre contrat se termine le 31\/12.\nBonne journée.<\/p>/);
    expect(page).not.toContain(staff.display_name);
    expect((await owner.get('/contact')).body).toContain('Waiting for your answer');

    // A reply that closes the request.
    t.clock.advance(60_000);
    await b.submit(path, `${path}/reponse`, { reply: 'Dossier réglé.', close: '1' });
    expect(await requestRow(reference)).toMatchObject({ status: 'closed', closed_at: t.clock.now().toISOString() });
    const closing = (await outboxTo(email)).filter((m) => m.template === 'contact-reply');
    expect(closing).toHaveLength(2);
    expect(closing[1]!.text_body).toContain('Your request is now closed.');
    expect((await owner.get(`/contact/demandes/${reference}`)).body).toContain('<span class="status status-closed">Closed</span>');

    // The same form sent twice: one reply, one e-mail.
    const form = await b.get(path);
    const submission = /name="submission" value="([^"]+)"/.exec(form.body)![1]!;
    for (let i = 0; i < 2; i++) await b.post(`${path}/reponse`, { _csrf: csrfToken(form.body), reply: 'Une seule fois.', submission });
    expect(await t.db.selectFrom('contact_messages').select('id').where('body', '=', 'Une seule fois.').execute()).toHaveLength(1);
  });

  it('tells the agent when the customer has no verified address: the reply is shown in “Mes demandes” only', async () => {
    const { customer } = await customerWithContract({ email: null });
    const r = await request(customer.id);
    const { b } = await loggedInStaff(t, nextIp());
    const path = `/gestion/demandes/${r.reference}`;
    expect((await b.get(path)).body).toContain('Le client n’a aucune adresse e-mail vérifiée');
    const res = await b.submit(path, `${path}/reponse`, { reply: 'Réponse sans e-mail.' });
    expect(res.headers.location).toBe(`${path}?fait=reponse-sans-email#conversation`);
    expect((await b.get(res.headers.location as string)).body).toContain('le client n’a aucune adresse e-mail vérifiée et n’en est pas prévenu.');
    const empty = await b.submit(path, `${path}/reponse`, { reply: '' });
    expect([empty.statusCode, empty.body.includes('Saisissez votre message.')]).toEqual([400, true]);
  });

  it('lets the customer answer back with a file: the request goes back in progress — a closed one reopens — and the staff are told', async () => {
    const { b: owner, customer } = await customerWithContract();
    const reference = await sendRequest(owner, { category: 'address', message: 'Nouvelle adresse.' });
    // The staff's notice of the new request links to it in the back office.
    const [notice] = (await outboxTo(STAFF)).filter((m) => m.template === 'contact-staff' && m.subject.includes(reference));
    expect(notice!.text_body).toContain(`Ouvrir la demande dans la gestion :\nhttps://monespaceclient.example/gestion/demandes/${reference}`);
    const { b } = await loggedInStaff(t, nextIp());
    const path = `/gestion/demandes/${reference}`;
    await b.submit(path, `${path}/reponse`, { reply: 'Merci d’envoyer un justificatif de domicile.' });
    expect((await requestRow(reference)).status).toBe('waiting_customer');

    const customerPage = (await owner.get(`/contact/demandes/${reference}`)).body;
    expect(customerPage).toContain('Le service client attend votre réponse pour traiter votre demande.');
    expect(customerPage).toContain(`action="/contact/demandes/${reference}/reponse" enctype="multipart/form-data"`);
    const res = await answer(owner, reference, 'Voici mon justificatif.', [file('justificatif.pdf', PDF)]);
    expect([res.statusCode, res.headers.location]).toEqual([303, `/contact/demandes/${reference}?repondu#conversation-title`]);
    expect(await requestRow(reference)).toMatchObject({ status: 'in_progress', closed_at: null });
    const after = (await owner.get(res.headers.location as string)).body;
    expect(after).toContain('Votre réponse a bien été envoyée au service client.');
    expect(after).toMatch(/<li class="message message-customer"><p class="message-meta">Vous, le [^<]+<\/p><p class="message-text">Voici mon justificatif.<\/p><ul class="attachments"><li><a href="\/contact\/demandes\/DEM-[0-9-]+\/pieces\/[0-9a-f-]+" download="justificatif.pdf"/);
    const notices = (await outboxTo(STAFF)).filter((m) => m.template === 'contact-answer-staff');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe(`Réponse du client à la demande ${reference} — client ${customer.number}`);
    expect(notices[0]!.text_body).toContain('Voici mon justificatif.');
    expect(notices[0]!.text_body).toContain('justificatif.pdf (PDF, 1 Ko)');
    expect(notices[0]!.text_body).toContain(`https://monespaceclient.example/gestion/demandes/${reference}`);
    const staffPage = (await b.get(path)).body;
    expect(staffPage).toMatch(/<li class="message message-customer"><p class="message-meta">Client, le [^<]+<\/p><p class="message-text">Voici mon justificatif.<\/p><ul class="attachments"><li><a href="\/gestion\/demandes\/DEM-[0-9-]+\/pieces\/[0-9a-f-]+"/);
    expect(await auditOf('contact.answer', reference)).toHaveLength(1);

    // Closed, then answered: reopened, and the staff's notice says so.
    await b.submit(path, `${path}/etat`, { state: 'closed' });
    expect((await requestRow(reference)).status).toBe('closed');
    expect((await owner.get(`/contact/demandes/${reference}`)).body).toContain('Cette demande est clôturée. Si vous y répondez, elle sera rouverte');
    t.clock.advance(60_000);
    await answer(owner, reference, 'Finalement, une question encore.');
    expect(await requestRow(reference)).toMatchObject({ status: 'in_progress', closed_at: null });
    const reopened = (await outboxTo(STAFF)).filter((m) => m.template === 'contact-answer-staff');
    expect(reopened).toHaveLength(2);
    expect(reopened[1]!.text_body).toContain('La demande était clôturée : elle est rouverte.');
  });

  it('refuses an empty answer or a wrong file with the form again, and another customer’s request as not found', async () => {
    const { b: owner, customer } = await customerWithContract();
    const reference = await sendRequest(owner, { category: 'other', message: 'Question.' });
    const wrong = await answer(owner, reference, '  ', [file('virus.pdf', Buffer.from('MZ\x90\x00not a pdf', 'latin1'))]);
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Votre réponse n’a pas été envoyée : le formulaire contient 2 erreur(s).');
    expect(wrong.body).toContain('« virus.pdf » n’est pas un fichier PDF, PNG ou JPEG.');
    expect(await t.db.selectFrom('contact_messages as m').innerJoin('contact_requests as r', 'r.id', 'm.request_id').select('m.id').where('r.reference', '=', reference).execute()).toEqual([]);

    const { b: stranger, customer: strangerCustomer } = await customerWithContract();
    expect((await stranger.get(`/contact/demandes/${reference}`)).statusCode).toBe(404);
    const res = await answer(stranger, reference, 'Je ne suis pas le client.', [], { page: '/contact' });
    expect(res.statusCode).toBe(404);
    expect(await t.db.selectFrom('audit_log').select('target_id').where('action', '=', 'authz.denied').where('actor_id', '=', strangerCustomer.id).execute()).toEqual([
      { target_id: reference },
      { target_id: reference },
    ]);
    // Without the page's token, or without a session: refused before any file is read (F1), nothing stored.
    const stored = storedFiles();
    const forged = multipartBody([{ name: '_csrf', value: 'forged' }, { name: 'message', value: 'Sans jeton' }, file('forged.pdf', Buffer.concat([PDF, Buffer.from(newId())]))]);
    expect((await injectAs(owner, 'POST', `/contact/demandes/${reference}/reponse`, forged.payload, forged.contentType)).statusCode).toBe(403);
    const visitor = new Browser(t.app, nextIp());
    ips.set(visitor, nextIp());
    const anonymous = await injectAs(visitor, 'POST', `/contact/demandes/${reference}/reponse`, forged.payload, forged.contentType);
    expect([anonymous.statusCode, anonymous.headers.location]).toEqual([302, '/connexion']);
    expect(storedFiles()).toEqual(stored);
    expect(await auditOf('contact.answer', reference)).toEqual([]);
    expect((await requestRow(reference)).customer_id).toBe(customer.id);
  });

  it('downloads an attachment with its real type, as an attachment, never sniffed — to the staff and its owner only', async () => {
    const { b: owner, customer } = await customerWithContract();
    const reference = await sendRequest(owner, { category: 'plate', message: 'Nouvelle voiture.', new_plate: 'AB-123-CD', effective_date: '2026-12-01' }, [
      file('carte grisé (v2) 100%.pdf', PDF),
      file('photo.png', PNG, 'application/octet-stream'),
    ]);
    const files = await t.db
      .selectFrom('contact_attachments as a')
      .innerJoin('contact_requests as r', 'r.id', 'a.request_id')
      .select(['a.id', 'a.original_name', 'a.content_type'])
      .where('r.reference', '=', reference)
      .orderBy('a.original_name')
      .execute();
    expect(files.map((f) => f.content_type)).toEqual(['application/pdf', 'image/png']);
    const { b, staff } = await loggedInStaff(t, nextIp());
    const staffPage = (await b.get(`/gestion/demandes/${reference}`)).body;
    expect(staffPage).toContain('carte grisé (v2) 100%.pdf (PDF, 1 Ko)');
    expect(staffPage).toContain('photo.png (image PNG, 1 Ko)');

    for (const [browser, base] of [
      [b, '/gestion/demandes'],
      [owner, '/contact/demandes'],
    ] as const) {
      const pdf = await browser.get(`${base}/${reference}/pieces/${files[0]!.id}`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toBe(`attachment; filename="carte gris_ (v2) 100_.pdf"; filename*=UTF-8''carte%20gris%C3%A9%20%28v2%29%20100%25.pdf`);
      expect(pdf.headers['x-content-type-options']).toBe('nosniff');
      expect(pdf.headers['cache-control']).toBe('no-store');
      expect(pdf.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(pdf.rawPayload.equals(PDF)).toBe(true);
      t.clock.advance(1000);
      const png = await browser.get(`${base}/${reference}/pieces/${files[1]!.id}`);
      expect([png.headers['content-type'], png.headers['content-disposition']]).toEqual(['image/png', `attachment; filename="photo.png"; filename*=UTF-8''photo.png`]);
      expect(png.headers['x-content-type-options']).toBe('nosniff');
    }
    const downloads = await auditOf('contact.attachment_download', customer.id);
    expect(downloads.map((d) => [d.actor_id, JSON.parse(d.details!).attachment])).toEqual([
      [staff.id, files[0]!.id],
      [staff.id, files[1]!.id],
    ]);

    // Another customer: not found (and audited), whatever the reference; a visitor: the login.
    const { b: stranger } = await customerWithContract();
    expect((await stranger.get(`/contact/demandes/${reference}/pieces/${files[0]!.id}`)).statusCode).toBe(404);
    const visitor = new Browser(t.app, nextIp());
    expect((await visitor.get(`/contact/demandes/${reference}/pieces/${files[0]!.id}`)).headers.location).toBe(`/connexion?suite=/contact/demandes/${reference}/pieces/${files[0]!.id}`);
    // An attachment asked under another request's reference: not found, for the staff too.
    const otherRef = await sendRequest(owner, { category: 'other', message: 'Autre.' });
    expect((await b.get(`/gestion/demandes/${otherRef}/pieces/${files[0]!.id}`)).statusCode).toBe(404);
    expect((await owner.get(`/contact/demandes/${otherRef}/pieces/${files[0]!.id}`)).statusCode).toBe(404);
    expect((await b.get(`/gestion/demandes/${reference}/pieces/not-an-id`)).statusCode).toBe(404);
    expect((await b.get('/gestion/demandes/DEM-2026-999999')).statusCode).toBe(404);
  });

  it('changes a request’s state by hand among in progress, waiting and closed, each change audited', async () => {
    const { customer } = await customerWithContract();
    const r = await request(customer.id);
    const { b } = await loggedInStaff(t, nextIp());
    const path = `/gestion/demandes/${r.reference}`;
    for (const state of ['in_progress', 'waiting_customer', 'closed', 'in_progress'] as const) {
      t.clock.advance(1000); // one change after the other, as the audit log orders them
      const res = await b.submit(path, `${path}/etat`, { state });
      expect([res.statusCode, res.headers.location]).toEqual([303, `${path}?fait=etat#request-details`]);
      expect((await requestRow(r.reference)).status).toBe(state);
    }
    expect((await requestRow(r.reference)).closed_at).toBeNull();
    await b.submit(path, `${path}/etat`, { state: 'in_progress' }); // unchanged: nothing audited
    for (const state of ['received', 'lost']) {
      const refused = await b.submit(path, `${path}/etat`, { state });
      expect([refused.statusCode, refused.body.includes('Choisissez un état dans la liste.')]).toEqual([400, true]);
    }
    const entries = await auditOf('contact.state', customer.id);
    expect(entries.map((e) => JSON.parse(e.details!).to)).toEqual(['in_progress', 'waiting_customer', 'closed', 'in_progress']);
  });

  it('shows the inbox in the back office’s navigation', async () => {
    const { b } = await loggedInStaff(t, nextIp());
    const page = (await b.get('/gestion/demandes')).body;
    expect(page).toContain('<a href="/gestion/demandes" aria-current="page">Demandes</a>');
    expect(page).toContain('<h1>Demandes des clients</h1>');
  });
});

