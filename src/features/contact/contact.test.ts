import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { mailbox } from '../../../tests/support/mail.ts';
import { type Part, file, multipartBody } from '../../../tests/support/multipart.ts';
import { HOUR } from '../../lib/clock.ts';
import { MAX_FILE_BYTES } from './contact.rules.ts';

/*
 * Contact requests through the real routes: the multipart form with its CSRF token, the
 * attachments checked by their bytes (F1), ownership of contracts and requests (Z1), the
 * audit (L1), and the mails queued in the same transaction, delivered through a real SMTP
 * server — even after an outage (R1).
 */

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(64)]);
const STAFF = 'accueil.demandes@parkings-demo.example';

describe.each(databaseKinds())('contact requests (%s)', (kind) => {
  let dataDir: string;
  let ipCounter = 0;
  const t = useTestApp(kind, () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portal-contact-'));
    return { DATA_DIR: dataDir, STAFF_NOTIFICATION_EMAIL: STAFF, PUBLIC_URL: 'https://monespaceclient.example' };
  });

  async function loggedIn(over: { language?: 'fr' | 'en'; last_name?: string } = {}, emails: { primary?: string; secondary?: string; unverified?: string } = {}) {
    const now = t.clock.now().toISOString();
    const ip = `10.9.${Math.floor(++ipCounter / 200)}.${ipCounter % 200}`;
    const { b, customer } = await loggedInCustomer(t, ip, {
      ...over,
      email_primary: emails.primary ?? emails.unverified ?? null,
      email_primary_verified_at: emails.primary ? now : null,
      email_secondary: emails.secondary ?? null,
      email_secondary_verified_at: emails.secondary ? now : null,
    });
    return { b, customer, ip };
  }

  /** Posts the contact form as the browser would: the page's CSRF token, then the fields and files. */
  async function send(b: Browser, ip: string, fields: Record<string, string>, files: Part[] = [], opts: { csrf?: string | null } = {}) {
    const page = await b.get('/contact');
    const token = page.statusCode === 200 && page.body.includes('name="_csrf"') ? csrfToken(page.body) : '';
    const parts: Part[] = [
      ...(opts.csrf === null ? [] : [{ name: '_csrf', value: opts.csrf ?? token }]),
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      ...files,
    ];
    const { payload, contentType } = multipartBody(parts);
    return t.app.inject({
      method: 'POST',
      url: '/contact',
      remoteAddress: ip,
      payload,
      headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
  }

  /**
   * Posts the start of a multipart body over a real connection, announcing the whole of it
   * (`total` bytes), and never sends the rest: the answer, when it comes, came before the
   * body. A server that waits for the body answers nothing, and this rejects after `waitMs`.
   */
  async function answerBeforeBody(cookie: string, contentType: string, start: Buffer, total: number, waitMs = 5000) {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    return new Promise<{ status: number; location: string | undefined; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/contact',
        headers: { 'content-type': contentType, 'content-length': String(total), cookie },
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`no answer within ${waitMs} ms while the body was not all sent: the server waits for the files`));
      }, waitMs);
      req.on('response', (res) => {
        clearTimeout(timer);
        resolve({ status: res.statusCode!, location: res.headers.location, connection: res.headers.connection });
        res.resume();
        req.destroy();
      });
      req.on('error', () => undefined); // the connection is dropped once answered
      req.write(start);
    });
  }

  /** Posts a whole multipart body over a real connection: its answer, and whether the body could all be sent within `waitMs`. */
  async function postWholeBody(cookie: string, contentType: string, payload: Buffer, waitMs = 5000) {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    return new Promise<{ status: number | undefined; allSent: boolean }>((resolve) => {
      let status: number | undefined;
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/contact', headers: { 'content-type': contentType, 'content-length': String(payload.length), cookie } });
      const timer = setTimeout(() => {
        req.destroy();
        resolve({ status, allSent: false });
      }, waitMs);
      req.on('response', (res) => {
        status = res.statusCode;
        res.resume();
      });
      req.on('finish', () => {
        clearTimeout(timer);
        resolve({ status, allSent: true });
      });
      req.on('error', () => undefined);
      req.end(payload);
    });
  }

  /** A form whose first part is `first` (if any), then a field, then a 5 MB PDF: its start (up to 64 KB into the file) and its length. */
  function bigUpload(first: Part[]) {
    const big = Buffer.concat([PDF.subarray(0, 9), randomBytes(MAX_FILE_BYTES - 9)]);
    const { payload, contentType } = multipartBody([...first, { name: 'category', value: 'other' }, { name: 'message', value: 'Gros fichier' }, file('gros.pdf', big)]);
    const start = payload.subarray(0, payload.indexOf(big.subarray(0, 64)) + 64 * 1024);
    return { big, payload, contentType, start };
  }

  /** Every file stored under DATA_DIR/attachments. */
  const storedAttachments = () =>
    existsSync(join(dataDir, 'attachments')) ? readdirSync(join(dataDir, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];

  const requestsOf = (customerId: string) => t.db.selectFrom('contact_requests').selectAll().where('customer_id', '=', customerId).orderBy('reference').execute();
  const attachmentsOf = (requestId: string) => t.db.selectFrom('contact_attachments').selectAll().where('request_id', '=', requestId).orderBy('original_name').execute();
  const storedFile = (hash: string) => join(dataDir, 'attachments', hash.slice(0, 2), `${hash}.pdf`);

  it('shows a visitor the contacts and an invitation to log in, never the form; a post without a session goes to the login', async () => {
    const b = new Browser(t.app, '10.9.250.1');
    const page = await b.get('/contact');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Contacts</h1>');
    expect(page.body).toContain('service.client@parkings-demo.example');
    expect(page.body).toContain('connectez-vous à votre espace client');
    expect(page.body).toContain('href="/connexion"');
    expect(page.body).not.toContain('action="/contact"');
    expect(page.body).not.toContain('Mes demandes');

    const { payload, contentType } = multipartBody([
      { name: '_csrf', value: csrfToken(page.body) },
      { name: 'category', value: 'other' },
      { name: 'message', value: 'Bonjour' },
      file('a.pdf', PDF),
    ]);
    const requests = () => t.db.selectFrom('contact_requests').select('id').execute();
    const before = await requests();
    const res = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: '10.9.250.1', payload, headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/connexion');
    expect((await b.get('/contact/demandes/DEM-2026-000001')).headers.location).toBe('/connexion?suite=/contact/demandes/DEM-2026-000001');
    expect(await requests()).toHaveLength(before.length);
  });

  it('records a request with a PDF and a PNG, shows it, lists it, audits it and queues both mails in the same transaction', async () => {
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const { b, customer, ip } = await loggedIn({}, { primary: 'francois.durand@example.fr' });
    await createContract(t.db, t.clock, customer.id, park.id, { number: '15CTCARD125' });

    const form = await b.get('/contact');
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toContain('<option value="15CTCARD125">15CTCARD125 — CARDINET</option>');
    expect(form.body).toContain('Vous n’avez encore envoyé aucune demande.');

    const res = await send(
      b,
      ip,
      { category: 'address', contract: '15CTCARD125', message: 'Nouvelle adresse :\r\n2 rue de la Paix\r\n75002 Paris' },
      [file('justificatif domicile.pdf', PDF), file('plan.png', PNG, 'image/png')],
    );
    expect(res.statusCode).toBe(303);
    const [request] = await requestsOf(customer.id);
    expect(request).toMatchObject({ category: 'address', status: 'received', message: 'Nouvelle adresse :\n2 rue de la Paix\n75002 Paris', new_plate: null });
    expect(request!.reference).toMatch(/^DEM-2026-\d{6}$/);
    expect(res.headers.location).toBe(`/contact/demandes/${request!.reference}?envoyee`);
    const contract = await t.db.selectFrom('contracts').select('id').where('number', '=', '15CTCARD125').executeTakeFirstOrThrow();
    expect(request!.contract_id).toBe(contract.id);

    // Stored under their SHA-256, exactly the bytes sent; the given names are labels only.
    const files = await attachmentsOf(request!.id);
    expect(files.map((f) => [f.original_name, f.content_type, f.size_bytes, f.sha256])).toEqual([
      ['justificatif domicile.pdf', 'application/pdf', PDF.length, sha256(PDF)],
      ['plan.png', 'image/png', PNG.length, sha256(PNG)],
    ]);
    for (const [f, bytes] of [[files[0]!, PDF], [files[1]!, PNG]] as const) expect(readFileSync(storedFile(f.sha256)).equals(bytes)).toBe(true);

    const page = await b.get(res.headers.location as string);
    expect(page.statusCode).toBe(200);
    for (const text of [
      `Demande ${request!.reference}`,
      `Votre demande ${request!.reference} a bien été enregistrée.`,
      'Un accusé de réception vous est envoyé par e-mail à francois.durand@example.fr.',
      'Changement d’adresse',
      '15CTCARD125 — CARDINET',
      'Reçue',
      '27/11/2026',
      'justificatif domicile.pdf (PDF, 1 Ko)',
      'plan.png (image PNG, 1 Ko)',
      '2 rue de la Paix',
    ]) {
      expect(page.body, text).toContain(text);
    }
    // Without the notice afterwards.
    expect((await b.get(`/contact/demandes/${request!.reference}`)).body).not.toContain('a bien été enregistrée');

    const list = await b.get('/contact');
    expect(list.body).toContain(`<a href="/contact/demandes/${request!.reference}">${request!.reference}</a>`);
    expect(list.body).toMatch(/Changement d’adresse<\/td><td data-label="Contrat">15CTCARD125<\/td><td data-label="Statut"><span class="status status-received">Reçue/);

    const auditRows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'contact.create').where('actor_id', '=', customer.id).execute();
    expect(auditRows).toHaveLength(1);
    expect(auditRows[0]).toMatchObject({ outcome: 'success', target_type: 'contact_request', target_id: request!.reference, ip });
    expect(auditRows[0]!.details).not.toContain('rue de la Paix');

    const queued = await t.db.selectFrom('outbox').select(['recipient', 'dedupe_key', 'created_at']).where('dedupe_key', 'like', `contact-%:${request!.id}%`).orderBy('recipient').execute();
    expect(queued.map((q) => q.recipient)).toEqual([STAFF, 'francois.durand@example.fr'].sort());
    expect(queued.every((q) => q.created_at === request!.created_at)).toBe(true);
  });

  it('records one request when the same form is sent twice (a double click), and keeps its id across a correction', async () => {
    const { b, customer, ip } = await loggedIn({}, { primary: 'twice.contact@example.fr' });
    const form = await b.get('/contact');
    const submission = /name="submission" value="([0-9a-f-]{36})"/.exec(form.body)![1]!;
    // A mistake first: the corrected form keeps the same one-time id.
    const wrong = await send(b, ip, { category: 'other', message: '', submission });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain(`name="submission" value="${submission}"`);
    const fields = { category: 'other', message: 'Une question, une seule fois.', submission };
    const [first, second] = await Promise.all([send(b, ip, fields), send(b, ip, fields)]);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const rows = await requestsOf(customer.id);
    expect(rows.filter((r) => r.message === 'Une question, une seule fois.')).toHaveLength(1);
    // A new form is a new request.
    const next = /name="submission" value="([0-9a-f-]{36})"/.exec((await b.get('/contact')).body)![1]!;
    expect(next).not.toBe(submission);
  });

  it('refuses an .exe renamed .pdf, keeping everything typed', async () => {
    const park = await createCarPark(t.db, t.clock, { name: 'WAGRAM' });
    const { b, customer, ip } = await loggedIn();
    await createContract(t.db, t.clock, customer.id, park.id, { number: '22CTWAGRA1' });
    const storedBefore = storedAttachments();
    const res = await send(b, ip, { category: 'invoice', contract: '22CTWAGRA1', message: 'Ma facture <b>15FV25832</b> & autres' }, [file('facture.pdf', EXE, 'application/pdf')]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('« facture.pdf » n’est pas un fichier PDF, PNG ou JPEG.');
    expect(res.body).toContain('<div class="field-error" id="attachments-error">');
    expect(res.body).toContain('href="#attachments"');
    expect(res.body).toContain('le formulaire contient 1 erreur(s)');
    expect(res.body).toContain('choisissez-les à nouveau');
    // What was typed is all there, escaped.
    expect(res.body).toMatch(/id="category-invoice" name="category" value="invoice" checked/);
    expect(res.body).toContain('<option value="22CTWAGRA1" selected>');
    expect(res.body).toContain('Ma facture &lt;b>15FV25832&lt;/b> &amp; autres</textarea>');
    expect(await requestsOf(customer.id)).toHaveLength(0);
    // Nothing stored: not the file, nor anything else (another test's file may share its folder).
    expect(existsSync(storedFile(sha256(EXE)))).toBe(false);
    expect(storedAttachments()).toEqual(storedBefore);
  });

  it('refuses a file over 5 MB with the form again, not an error page', async () => {
    const { b, customer, ip } = await loggedIn();
    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 + 1 - PDF.length, 0x20)]);
    const res = await send(b, ip, { category: 'other', message: 'Un gros fichier' }, [file('scan.pdf', big), file('petit.pdf', PDF)]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('« scan.pdf » dépasse la taille maximale de 5 Mo.');
    expect(res.body).toContain('Un gros fichier</textarea>');
    expect(await requestsOf(customer.id)).toHaveLength(0);
    // Exactly 5 MB is accepted.
    const max = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 - PDF.length, 0x20)]);
    expect((await send(b, ip, { category: 'other', message: 'Juste 5 Mo' }, [file('scan.pdf', max)])).statusCode).toBe(303);
  });

  it('refuses a fourth file', async () => {
    const { b, customer, ip } = await loggedIn();
    const res = await send(b, ip, { category: 'other', message: 'Quatre fichiers' }, [1, 2, 3, 4].map((n) => file(`p${n}.pdf`, PDF)));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Joignez 3 fichiers au plus.');
    expect(res.body).toContain('Quatre fichiers</textarea>');
    expect(await requestsOf(customer.id)).toHaveLength(0);
    expect((await send(b, ip, { category: 'other', message: 'Trois fichiers' }, [1, 2, 3].map((n) => file(`p${n}.pdf`, PDF)))).statusCode).toBe(303);
  });

  it('stores a file named ../../etc/passwd.pdf under its hash and shows a clean name', async () => {
    const { b, customer, ip } = await loggedIn();
    const bytes = Buffer.concat([PDF, randomBytes(16)]);
    const res = await send(b, ip, { category: 'other', message: 'Chemin' }, [file('../../etc/passwd.pdf', bytes), file('..\\..\\win.ini.pdf', PDF)]);
    expect(res.statusCode).toBe(303);
    const [request] = await requestsOf(customer.id);
    const files = await attachmentsOf(request!.id);
    expect(files.map((f) => f.original_name).sort()).toEqual(['passwd.pdf', 'win.ini.pdf']);
    const passwd = files.find((f) => f.original_name === 'passwd.pdf')!;
    expect(passwd.sha256).toBe(sha256(bytes));
    expect(readFileSync(storedFile(passwd.sha256)).equals(bytes)).toBe(true);
    // Nothing but hash-named files in hash-named folders.
    for (const dir of readdirSync(join(dataDir, 'attachments'))) {
      expect(dir).toMatch(/^[0-9a-f]{2}$/);
      for (const f of readdirSync(join(dataDir, 'attachments', dir))) expect(f).toMatch(/^[0-9a-f]{64}\.pdf$/);
    }
    expect(existsSync(join(dataDir, '..', 'etc'))).toBe(false);
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('passwd.pdf (PDF, 1 Ko)');
    expect(page.body).not.toContain('../');
  });

  it('asks a change of plate for the plate and its date, and normalises the plate', async () => {
    const { b, customer, ip } = await loggedIn();
    const missing = await send(b, ip, { category: 'plate', message: 'Nouveau véhicule', new_plate: '', effective_date: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Saisissez la nouvelle immatriculation.');
    expect(missing.body).toContain('Saisissez la date à partir de laquelle le changement s’applique.');
    expect(missing.body).toContain('href="#new_plate"');
    expect(missing.body).toContain('href="#effective_date"');

    const wrong = await send(b, ip, { category: 'plate', message: 'Nouveau véhicule', new_plate: 'AB-12-C', effective_date: '2026-02-30' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Saisissez une immatriculation au format AB-123-CD');
    expect(wrong.body).toContain('Saisissez une date valide');
    expect(wrong.body).toContain('value="AB-12-C"');
    expect(wrong.body).toContain('value="2026-02-30"');

    const ok = await send(b, ip, { category: 'plate', message: 'Nouveau véhicule', new_plate: 'ab 123 cd', effective_date: '2026-12-15' });
    expect(ok.statusCode).toBe(303);
    const fni = await send(b, ip, { category: 'plate', message: 'Ancienne plaque', new_plate: '123abc75', effective_date: '15/12/2026' });
    expect(fni.statusCode).toBe(303);
    // Plate fields sent with another category are not kept.
    expect((await send(b, ip, { category: 'phone', message: '06 12 34 56 78', new_plate: 'EF-456-GH', effective_date: '2026-12-01' })).statusCode).toBe(303);
    const rows = await requestsOf(customer.id);
    expect(rows.map((r) => [r.category, r.new_plate, r.effective_date])).toEqual([
      ['plate', 'AB-123-CD', '2026-12-15'],
      ['plate', '123 ABC 75', '2026-12-15'],
      ['phone', null, null],
    ]);
    const page = await b.get(ok.headers.location as string);
    expect(page.body).toContain('AB-123-CD');
    expect(page.body).toContain('15/12/2026');
  });

  it('never accepts another customer’s contract, nor fields it has no business setting (Z1, Z2)', async () => {
    const park = await createCarPark(t.db, t.clock);
    const { b, customer, ip } = await loggedIn();
    const other = await activeSubscriber(t.db, t.clock);
    const theirs = await createContract(t.db, t.clock, other.customer.id, park.id, { number: '22CTOTHER9' });
    const res = await send(b, ip, { category: 'contract', contract: '22CTOTHER9', message: 'Question' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Choisissez un de vos contrats dans la liste');
    expect(res.body).not.toContain('<option value="22CTOTHER9"');
    expect(await requestsOf(customer.id)).toHaveLength(0);
    // Its id is no better than its number.
    expect((await send(b, ip, { category: 'contract', contract: theirs.id, message: 'Question' })).statusCode).toBe(422);

    const extra = await send(b, ip, { category: 'other', message: 'Bonjour', status: 'closed', customer_id: other.customer.id, reference: 'DEM-2026-999999', contract_id: theirs.id });
    expect(extra.statusCode).toBe(303);
    const rows = await requestsOf(customer.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'received', contract_id: null });
    expect(rows[0]!.reference).not.toBe('DEM-2026-999999');
    expect(await requestsOf(other.customer.id)).toHaveLength(0);
  });

  it('refuses a post without a valid CSRF token (S2)', async () => {
    const { b, customer, ip } = await loggedIn();
    const none = await send(b, ip, { category: 'other', message: 'Sans jeton' }, [file('a.pdf', PDF)], { csrf: null });
    expect(none.statusCode).toBe(403);
    const forged = await send(b, ip, { category: 'other', message: 'Faux jeton' }, [], { csrf: 'forged-token' });
    expect(forged.statusCode).toBe(403);
    // Another visitor's genuine token is no better.
    const visitor = new Browser(t.app, '10.9.251.1');
    const theirToken = csrfToken((await visitor.get('/contact')).body);
    expect((await send(b, ip, { category: 'other', message: 'Jeton volé' }, [], { csrf: theirToken })).statusCode).toBe(403);
    expect(await requestsOf(customer.id)).toHaveLength(0);
  });

  it('sends a visitor’s upload to the login page before reading any of it', async () => {
    const visitor = new Browser(t.app, '10.9.252.1');
    const token = csrfToken((await visitor.get('/contact')).body);
    const { payload, contentType, start } = bigUpload([{ name: '_csrf', value: token }]);
    const cookie = [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await answerBeforeBody(cookie, contentType, start, payload.length);
    expect(res.status).toBe(302);
    expect(res.location).toBe('/connexion');
  });

  it('checks the CSRF token before reading any file: a wrong or missing token with a 5 MB file is refused at once, nothing stored (S2, F1)', async () => {
    const { b, customer } = await loggedIn();
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const form = (await b.get('/contact')).body;
    // The form sends its token first: its first field is `_csrf`.
    expect(/<form method="post" action="\/contact"[^>]*>\s*<input ([^>]*)>/.exec(form)?.[1]).toMatch(/^type="hidden" name="_csrf"/);
    const token = csrfToken(form);
    const before = storedAttachments();
    const cases: Record<string, Part[]> = {
      wrong: [{ name: '_csrf', value: 'forged-token' }],
      missing: [],
      // The token must come first, as the form puts it: one after the fields is not read.
      late: [{ name: 'category', value: 'other' }, { name: '_csrf', value: token }],
    };
    for (const [name, first] of Object.entries(cases)) {
      const { big, payload, contentType, start } = bigUpload(first);
      // Over a real connection, the answer comes while most of the file is still unsent.
      expect(start.length, name).toBeLessThan(payload.length - 4 * 1024 * 1024);
      const early = await answerBeforeBody(cookie, contentType, start, payload.length);
      expect(early.status, name).toBe(403);
      // The whole body at once: refused the same, and the file stored nowhere.
      const whole = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: '10.9.252.2', payload, headers: { 'content-type': contentType, cookie } });
      expect(whole.statusCode, name).toBe(403);
      expect(whole.body, name).toContain('Action refusée');
      expect(storedAttachments(), name).toEqual(before);
      expect(existsSync(join(dataDir, 'attachments', sha256(big).slice(0, 2), `${sha256(big)}.pdf`)), name).toBe(false);
    }
    expect(await requestsOf(customer.id)).toHaveLength(0);

    // Once refused, the rest of a 15 MB body is discarded unread: the browser can finish
    // sending it, and the connection is not left hanging (nor the server's shutdown).
    const three = multipartBody([{ name: '_csrf', value: 'forged-token' }, ...[1, 2, 3].map((i) => file(`${i}.pdf`, Buffer.concat([PDF.subarray(0, 9), randomBytes(MAX_FILE_BYTES - 9)])))]);
    const drained = await postWholeBody(cookie, three.contentType, three.payload);
    expect(drained).toEqual({ status: 403, allSent: true });
    expect(storedAttachments()).toEqual(before);

    // The form as the portal writes it, token first, goes through with the same file.
    const { payload, contentType } = bigUpload([{ name: '_csrf', value: token }]);
    const ok = await t.app.inject({ method: 'POST', url: '/contact', remoteAddress: '10.9.252.2', payload, headers: { 'content-type': contentType, cookie } });
    expect(ok.statusCode).toBe(303);
    expect(await requestsOf(customer.id)).toHaveLength(1);
  });

  it('answers 404 for another customer’s request, and audits the attempt (Z1)', async () => {
    const a = await loggedIn();
    const bee = await loggedIn();
    expect((await send(bee.b, bee.ip, { category: 'other', message: 'Secret de B', contract: '' })).statusCode).toBe(303);
    const [theirs] = await requestsOf(bee.customer.id);
    const res = await a.b.get(`/contact/demandes/${theirs!.reference}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page introuvable');
    expect(res.body).not.toContain('Secret de B');
    expect((await a.b.get('/contact/demandes/DEM-2026-999999')).statusCode).toBe(404);
    expect((await a.b.get('/contact/demandes/..%2F..%2Fetc')).statusCode).toBe(404);
    expect((await a.b.get('/contact')).body).not.toContain(theirs!.reference);
    const denied = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'authz.denied').where('actor_id', '=', a.customer.id).execute();
    expect(denied.map((d) => d.target_id).sort()).toEqual(['../../etc', 'DEM-2026-999999', theirs!.reference].sort());
    expect(denied.every((d) => d.target_type === 'contact_request' && d.outcome === 'denied')).toBe(true);
    expect((await bee.b.get(`/contact/demandes/${theirs!.reference}`)).statusCode).toBe(200);
  });

  it('speaks English to an English-speaking customer, errors included', async () => {
    const { b, ip } = await loggedIn({ language: 'en' });
    const page = await b.get('/contact');
    expect(page.body).toContain('Send a request');
    expect(page.body).toContain('Change of licence plate / vehicle');
    const res = await send(b, ip, { category: 'plate', message: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Your request was not sent: the form has 3 error(s).');
    expect(res.body).toContain('Enter your message.');
    expect(res.body).toContain('Enter the new licence plate.');
    const far = await send(b, ip, { category: 'plate', message: 'x', new_plate: 'AB123CD', effective_date: '2030-01-01' });
    expect(far.body).toContain('Enter a date between 26 Nov 2025 and 28 Nov 2027.');
  });

  it('sends the acknowledgement to each verified address in the customer’s language, and the staff notice in French, through SMTP', async () => {
    const mb = await mailbox(t);
    try {
      await mb.deliver(); // what earlier tests queued
      mb.smtp.received.length = 0;
      const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
      const fr = await loggedIn({ last_name: 'DURAND' }, { primary: 'durand.1@example.fr', secondary: 'durand.2@example.fr' });
      await createContract(t.db, t.clock, fr.customer.id, park.id, { number: '15CTCARD777' });
      const en = await loggedIn({ language: 'en', last_name: 'SMITH' }, { unverified: 'smith@example.com', secondary: 'smith.verified@example.com' });
      const nobody = await loggedIn({ last_name: 'SANSMAIL' }, { unverified: 'pas.verifiee@example.fr' });

      expect(
        (
          await send(fr.b, fr.ip, { category: 'plate', contract: '15CTCARD777', message: 'Je change de voiture le mois prochain.\nMerci.', new_plate: 'gh-789-jk', effective_date: '2026-12-01' }, [
            file('carte grise.pdf', PDF),
          ])
        ).statusCode,
      ).toBe(303);
      expect((await send(en.b, en.ip, { category: 'invoice', message: 'Why was I charged twice?' })).statusCode).toBe(303);
      const quiet = await send(nobody.b, nobody.ip, { category: 'other', message: 'Pas d’adresse vérifiée' });
      expect(quiet.statusCode).toBe(303);
      expect((await nobody.b.get(quiet.headers.location as string)).body).toContain('vous ne recevrez pas d’accusé de réception par e-mail');

      const [frReq] = await requestsOf(fr.customer.id);
      const [enReq] = await requestsOf(en.customer.id);
      const [quietReq] = await requestsOf(nobody.customer.id);
      expect(await mb.deliver()).toMatchObject({ sent: 6, failed: 0 });

      for (const address of ['durand.1@example.fr', 'durand.2@example.fr']) {
        const m = mb.last(address)!;
        expect(m.subject).toBe(`Votre demande ${frReq!.reference} a bien été reçue`);
        for (const text of [
          'Bonjour DURAND FRANCOIS,',
          'Nous avons bien reçu votre demande du 27/11/2026.',
          `Référence : ${frReq!.reference}`,
          'Objet : Changement d’immatriculation / de véhicule',
          'Contrat : 15CTCARD777',
          'Nouvelle immatriculation : GH-789-JK, à partir du 01/12/2026',
          'Pièces jointes : carte grise.pdf (PDF, 1 Ko)',
          'Votre message : « Je change de voiture le mois prochain. Merci. »',
          `https://monespaceclient.example/contact/demandes/${frReq!.reference}`,
        ]) {
          expect(m.text, text).toContain(text);
        }
        expect(m.html).toContain('<html lang="fr">');
      }
      const enMail = mb.last('smith.verified@example.com')!;
      expect(enMail.subject).toBe(`We have received your request ${enReq!.reference}`);
      expect(enMail.text).toContain('Hello SMITH FRANCOIS,');
      expect(enMail.text).toContain('Subject: Question about an invoice');
      expect(enMail.text).toContain('Your message: “Why was I charged twice?”');
      expect(mb.smtp.to('smith@example.com')).toHaveLength(0);
      expect(mb.smtp.to('pas.verifiee@example.fr')).toHaveLength(0);

      const staff = mb.smtp.to(STAFF);
      expect(staff.map((m) => m.subject).sort()).toEqual(
        [
          `Nouvelle demande ${frReq!.reference} — Changement d’immatriculation / de véhicule — client ${fr.customer.number}`,
          `Nouvelle demande ${enReq!.reference} — Question sur une facture — client ${en.customer.number}`,
          `Nouvelle demande ${quietReq!.reference} — Autre — client ${nobody.customer.number}`,
        ].sort(),
      );
      const frStaff = staff.find((m) => m.subject.includes(frReq!.reference))!;
      for (const text of [
        `Client : ${fr.customer.number} — DURAND FRANCOIS`,
        `Référence : ${frReq!.reference}`,
        'Contrat : 15CTCARD777',
        'Nouvelle immatriculation : GH-789-JK, à partir du 01/12/2026',
        'Pièces jointes : carte grise.pdf (PDF, 1 Ko)',
        'Je change de voiture le mois prochain.',
        'Merci.',
      ]) {
        expect(frStaff.text, text).toContain(text);
      }
      expect(frStaff.text).not.toContain('https://monespaceclient.example/contact');
      expect(staff.find((m) => m.subject.includes(enReq!.reference))!.text).toContain('Why was I charged twice?');
      expect(staff.find((m) => m.subject.includes(quietReq!.reference))!.text).toContain('aucune adresse e-mail vérifiée');

      // The link in the acknowledgement needs a login, then shows the request to its owner.
      const link = mb.link(mb.last('durand.1@example.fr')!.text, 'https://monespaceclient.example')!;
      const path = new URL(link).pathname;
      expect((await new Browser(t.app, '10.9.252.1').get(path)).headers.location).toBe(`/connexion?suite=${path}`);
      expect((await fr.b.get(path)).statusCode).toBe(200);
    } finally {
      await mb.close();
    }
  });

  it('stores 100 requests while the mail server is down, then delivers every mail exactly once (R1)', { timeout: 180_000 }, async () => {
    const mb = await mailbox(t);
    try {
      mb.smtp.refuse(true);
      const customers = await Promise.all([0, 1, 2, 3].map((i) => loggedIn({ last_name: `PANNE${i}` }, { primary: `panne${i}.${kind}@example.fr` })));
      const before = await t.db.selectFrom('contact_requests').select('id').execute();
      // 25 rounds of 4 requests at once, one per customer: references taken concurrently stay unique.
      for (let round = 0; round < 25; round++) {
        const results = await Promise.all(customers.map((c, i) => send(c.b, c.ip, { category: 'other', message: `Demande ${round}-${i} pendant la panne` })));
        for (const r of results) expect(r.statusCode).toBe(303);
      }
      const rows = await t.db
        .selectFrom('contact_requests')
        .select(['id', 'reference', 'customer_id'])
        .where('customer_id', 'in', customers.map((c) => c.customer.id))
        .execute();
      expect(rows).toHaveLength(100);
      expect(new Set(rows.map((r) => r.reference)).size).toBe(100);
      expect((await t.db.selectFrom('contact_requests').select('id').execute()).length).toBe(before.length + 100);

      const down = await mb.deliver();
      expect(down.sent).toBe(0);
      expect(down.failed).toBeGreaterThanOrEqual(200);
      expect(mb.smtp.received).toHaveLength(0);

      mb.smtp.refuse(false);
      t.clock.advance(HOUR);
      const up = await mb.deliver();
      expect(up.failed).toBe(0);
      expect(await mb.deliver()).toEqual({ sent: 0, failed: 0 });

      const refs = new Set(rows.map((r) => r.reference));
      const mine = mb.smtp.received.filter((m) => [...refs].some((ref) => m.subject.includes(ref)));
      const acks = mine.filter((m) => m.subject.startsWith('Votre demande'));
      const notices = mine.filter((m) => m.subject.startsWith('Nouvelle demande'));
      expect(acks).toHaveLength(100);
      expect(notices).toHaveLength(100);
      expect(new Set(mine.map((m) => m.messageId)).size).toBe(200);
      const key = (m: (typeof mine)[number]) => `${m.to.join(',')}|${/DEM-\d{4}-\d{6}/.exec(m.subject)![0]}`;
      expect(new Set(mine.map(key)).size).toBe(200);
      // Each customer got the acknowledgement of each of their 25 requests, the staff all 100.
      for (const [i, c] of customers.entries()) {
        const theirs = rows.filter((r) => r.customer_id === c.customer.id).map((r) => r.reference).sort();
        expect(mb.smtp.to(`panne${i}.${kind}@example.fr`).map((m) => /DEM-\d{4}-\d{6}/.exec(m.subject)![0]).sort()).toEqual(theirs);
      }
      expect(notices.every((m) => m.to.includes(STAFF))).toBe(true);
      const pending = await t.db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
      expect(pending).toHaveLength(0);
    } finally {
      mb.smtp.refuse(false);
      await mb.close();
    }
  });
});
