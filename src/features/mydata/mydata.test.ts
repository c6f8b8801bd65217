import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csrfToken, databaseKinds, loggedInBrowser, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { emailColumns } from '../../../tests/support/factories.ts';
import { seedEveryKind } from '../../../tests/support/mydata.ts';
import { zipEntries, zipEntry } from '../../../tests/support/zip.ts';
import { DAY } from '../../lib/clock.ts';
import { contentStore } from '../../lib/content-store.ts';
import { exportedMailText, exportState } from './mydata.rules.ts';
import { prepareDataExports, purgeExpiredExports } from './mydata.service.ts';

const SECOND = 1000;

describe.each(databaseKinds())('Mes données (%s)', (kind) => {
  const t = useTestApp(kind);

  /** A logged-in customer with data of every kind, and their export asked for and prepared. */
  async function preparedExport(ip: string, tag: string) {
    const address = `mydata-${tag.toLowerCase()}-${kind}@example.test`;
    const { b, customer, password } = await loggedInCustomer(t, ip, { ...emailColumns(address, null, '2025-01-10T09:30:00.000Z'), paperless: 1, paperless_changed_at: '2025-09-10T09:00:00.000Z' });
    const seeded = await seedEveryKind(t.db, t.clock, t.config, customer, tag);
    const asked = await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {});
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/profil/mes-donnees?demande=enregistree');
    expect((await prepareDataExports(t.db, t.clock, t.config, `test-${tag}`)).prepared).toBeGreaterThanOrEqual(1);
    const mail = await t.db.selectFrom('outbox').selectAll().where('recipient', '=', address).where('template', '=', 'mydata-ready').executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/profil\/mes-donnees\/archive\/[A-Za-z0-9_-]{43}/.exec(mail.text_body)?.[0];
    expect(link, 'the e-mail carries the link').toBeDefined();
    const path = new URL(link!).pathname;
    /** Logged in again (sessions end long before 7 days). */
    const again = () => loggedInBrowser(t.app, ip, customer.number, password);
    return { b, customer, seeded, address, mail, path, again };
  }

  it('asks for an export from Profil: one in preparation at a time, the state shown, the page explains what it holds', async () => {
    const { b, customer } = await loggedInCustomer(t, '10.140.0.1', emailColumns('mydata-ask@example.test', null, '2025-01-01T00:00:00.000Z'));
    const profile = await b.get('/profil');
    expect(profile.body).toContain('Mes données personnelles');
    expect(profile.body).toContain('Vous n’avez pas encore demandé d’export.');
    const page = await b.get('/profil/mes-donnees');
    expect(page.statusCode).toBe(200);
    for (const words of ['articles 15 et 20', 'vos contrats', 'vos connexions', 'README.txt', '7 jours', 'Demander l’export de mes données']) expect(page.body).toContain(words);

    expect((await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {})).headers.location).toBe('/profil/mes-donnees?demande=enregistree');
    const again = await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {});
    expect(again.headers.location).toBe('/profil/mes-donnees?demande=en-cours');
    const pending = await b.get('/profil/mes-donnees?demande=en-cours');
    expect(pending.body).toContain('Un export est déjà en préparation');
    expect(pending.body).toContain('Export en préparation');
    expect(pending.body).not.toContain('Demander l’export de mes données'); // no button while one is prepared
    expect((await b.get('/profil')).body).toContain('Export en préparation');
    const rows = await t.db.selectFrom('data_exports').selectAll().where('customer_id', '=', customer.id).execute();
    expect(rows).toHaveLength(1);
    const audits = await t.db.selectFrom('audit_log').select(['action', 'ip']).where('target_id', '=', customer.id).where('action', 'like', 'mydata.%').execute();
    expect(audits).toEqual([{ action: 'mydata.requested', ip: '10.140.0.1' }]);
  });

  it('speaks the customer’s language: the page and the e-mail in English', async () => {
    const address = `mydata-en-${kind}@example.test`;
    const { b, customer } = await loggedInCustomer(t, '10.140.0.12', { ...emailColumns(address, null, '2025-01-01T00:00:00.000Z'), language: 'en' });
    const page = await b.get('/profil/mes-donnees');
    expect(page.body).toContain('My personal data');
    expect(page.body).toContain('Request an export of my data');
    expect((await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {})).headers.location).toBe('/profil/mes-donnees?demande=enregistree');
    expect((await b.get('/profil/mes-donnees?demande=enregistree')).body).toContain('Your request is recorded');
    await prepareDataExports(t.db, t.clock, t.config, 'test-en');
    const mail = await t.db.selectFrom('outbox').selectAll().where('recipient', '=', address).where('template', '=', 'mydata-ready').executeTakeFirstOrThrow();
    expect(mail.subject).toBe('Your personal data is ready');
    expect(mail.text_body).toContain('Download it once logged in to your customer area.');
    expect((await b.get('/profil')).body).toContain('Export ready, available for download until');
    expect(customer.language).toBe('en');
  });

  it('refuses a request without its CSRF token', async () => {
    const { b, customer } = await loggedInCustomer(t, '10.140.0.2');
    const res = await b.post('/profil/mes-donnees', {});
    expect(res.statusCode).toBe(403);
    expect(await t.db.selectFrom('data_exports').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
  });

  it('throttles the requests: three a day, then the customer is told when to try again', async () => {
    const { b, customer, password } = await loggedInCustomer(t, '10.140.0.3', emailColumns('mydata-throttle@example.test', null, '2025-01-01T00:00:00.000Z'));
    for (let i = 0; i < 3; i++) {
      expect((await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {})).headers.location).toBe('/profil/mes-donnees?demande=enregistree');
      await prepareDataExports(t.db, t.clock, t.config, 'test-throttle');
      t.clock.advance(60 * SECOND);
    }
    const fourth = await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {});
    expect(fourth.statusCode).toBe(429);
    expect(fourth.body).toContain('Vous avez demandé plusieurs exports aujourd’hui. Réessayez dans 24 h.');
    expect(await t.db.selectFrom('data_exports').select('id').where('customer_id', '=', customer.id).execute()).toHaveLength(3);
    t.clock.advance(DAY);
    const later = await loggedInBrowser(t.app, '10.140.0.3', customer.number, password);
    expect((await later.submit('/profil/mes-donnees', '/profil/mes-donnees', {})).headers.location).toBe('/profil/mes-donnees?demande=enregistree');
  });

  it('prepares a ZIP holding every kind of data, each matching the database, with no secret; e-mails its link; audits each step', async () => {
    const { b, customer, seeded, address, mail, path } = await preparedExport('10.140.0.4', 'M4');
    expect(mail.subject).toBe('Vos données personnelles sont prêtes');
    expect(mail.text_body).toContain('valable jusqu’au 04/12/2026 à 11:00'); // 7 days, in Paris time
    const row = await t.db.selectFrom('data_exports').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('ready');
    expect(row.expires_at).toBe('2026-12-04T10:00:00.000Z');
    const token = path.split('/').at(-1)!;
    expect(row.token_hash).not.toBe(token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const res = await b.get(path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="mes-donnees-${customer.number}-2026-11-27.zip"`);
    const zip = res.rawPayload;
    expect(zip.length).toBe(row.archive_bytes);
    const entries = zipEntries(zip);
    for (const name of ['README.txt', 'index.json', 'identite.json', 'utilisateurs.json', 'contrats.json', 'consentements.json', 'connexions.json', 'demandes.json', 'emails.json', 'documents.json', 'paiements.json', 'mandats.json', 'decomptes.json', 'journal.json']) {
      expect(entries, name).toContain(name);
    }
    const read = (name: string) => JSON.parse(zipEntry(zip, name).toString('utf8'));

    const readme = zipEntry(zip, 'README.txt').toString('utf8');
    expect(readme).toContain('Vos données personnelles');
    for (const name of ['identite.json', 'emails.json', 'journal.json']) expect(readme).toContain(`${name} : `);
    const index = read('index.json');
    expect(index.customer_number).toBe(customer.number);
    expect(index.files.map((f: { name: string }) => f.name)).toContain('contrats.json');

    const identity = read('identite.json');
    const dbCustomer = await t.db.selectFrom('customers').selectAll().where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(identity.customer).toMatchObject({ number: customer.number, last_name: dbCustomer.last_name, email_primary: address, address_line1: dbCustomer.address_line1, balance_cents: dbCustomer.balance_cents });
    expect(identity.login.state).toBe('active');
    expect(JSON.stringify(identity)).not.toMatch(/password_hash|\$argon2/);

    const [contract] = read('contrats.json');
    expect(contract.number).toBe(seeded.contract.number);
    expect(contract.car_park_name).toBe(seeded.carPark.name);
    expect(contract.vehicles.map((v: { plate: string; valid_to: string | null }) => [v.plate, v.valid_to])).toEqual([
      [seeded.oldPlate, '2025-04-30'],
      [seeded.newPlate, null],
    ]);
    expect(contract.vehicle_changes[0]).toMatchObject({ plate: seeded.newPlate, make: 'Renault', status: 'approved' });
    expect(zipEntry(zip, contract.vehicle_changes[0].certificate_file).equals(seeded.certificate)).toBe(true);
    expect(contract.badge_replacements[0]).toMatchObject({ reason: 'lost', new_badge_number: 'NEWM4', fee_cents: 1500 });
    expect(contract.terminations[0]).toMatchObject({ status: 'withdrawn', effective_date: '2025-09-30' });
    expect(contract.terminations[0]).not.toHaveProperty('withdraw_token_hash');
    expect(contract.renewal_notices[0]).toMatchObject({ deadline: '2026-12-08', channel: 'email' });

    const consents = read('consentements.json');
    expect(consents.paperless).toEqual({ given: 1, changed_at: '2025-09-10T09:00:00.000Z' });
    expect(consents.paperless_history.map((c: { given: number; source: string }) => [c.given, c.source])).toEqual([
      [1, 'activation'],
      [0, 'profile'],
      [1, 'profile'],
    ]);
    expect(consents.newsletter).toEqual([{ email: address, language: 'fr', status: 'confirmed', created_at: '2025-02-01T10:00:00.000Z', confirmed_at: '2025-02-01T10:05:00.000Z', unsubscribed_at: null }]);
    expect(consents.email_verifications).toEqual([{ address, created_at: '2025-01-10T09:00:00.000Z', expires_at: '2025-01-12T09:00:00.000Z', used_at: '2025-01-10T09:30:00.000Z' }]);

    const logins = read('connexions.json');
    const sessions = await t.db.selectFrom('sessions').select(['created_at', 'ip', 'user_agent']).where('customer_id', '=', customer.id).execute();
    expect(logins.sessions.map((s: { created_at: string; ip: string }) => [s.created_at, s.ip])).toEqual(sessions.map((s) => [s.created_at, s.ip]));
    expect(logins.sessions[0].ip).toBe('10.140.0.4');
    expect(JSON.stringify(logins)).not.toContain('token_hash');
    expect(logins.login_audit.some((a: { action: string; outcome: string; ip: string }) => a.action === 'auth.login' && a.outcome === 'success' && a.ip === '10.140.0.4')).toBe(true);

    const [request] = read('demandes.json');
    expect(request).toMatchObject({ reference: seeded.reference, message: 'Question sur ma facture M4', contract_number: seeded.contract.number });
    expect(request.messages.map((m: { body: string }) => m.body)).toEqual(['Réponse du service M4']);
    expect(zip.toString('latin1')).not.toContain('NOTE INTERNE');
    expect(request.attachments[0]).toMatchObject({ original_name: 'photo ticket.png', content_type: 'image/png' });
    expect(zipEntry(zip, request.attachments[0].file).equals(seeded.attachment)).toBe(true);

    const mails = read('emails.json') as { template: string; subject: string; text: string | null; text_absent: string | null; recipient: string }[];
    const byTemplate = (template: string) => mails.find((m) => m.template === template)!;
    expect(byTemplate('receipt')).toMatchObject({ subject: 'Reçu M4', recipient: address, text_absent: null });
    expect(byTemplate('receipt').text).toContain('Merci pour votre paiement M4.');
    expect(byTemplate('receipt').text).toContain('https://portail.example/suivi/[retiré]');
    expect(byTemplate('reset')).toMatchObject({ subject: 'Réinitialisation', text: null, text_absent: 'secret' });
    expect(byTemplate('temporary-password')).toMatchObject({ text: null, text_absent: 'secret' });
    expect(byTemplate('paperless')).toMatchObject({ text: null, text_absent: 'forgotten' });
    // No secret anywhere in the archive: neither the reset link, nor the temporary password, nor any token.
    const everything = entries.filter((e) => e.endsWith('.json') || e.endsWith('.txt')).map((e) => zipEntry(zip, e).toString('utf8')).join('\n');
    for (const secret of [seeded.resetToken, seeded.tempPassword, seeded.sneakyToken, token, 'not-a-real-ciphertext', 'withdraw-M4', 'verif-M4', 'hash-M4', seeded.user.passwordHash, seeded.user.tokenHash]) expect(everything).not.toContain(secret);

    // The account's users, as the database holds them, without their password or link.
    const user = await t.db.selectFrom('customer_users').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(read('utilisateurs.json')).toEqual([
      { email: seeded.user.email, name: seeded.user.name, role: 'accountant', state: 'active', invited_at: user.invited_at, activated_at: user.activated_at, last_login_at: null, removed_at: null },
    ]);

    const [doc] = read('documents.json');
    expect(doc).toMatchObject({ number: '26FM4', kind: 'invoice', total_ttc_cents: seeded.doc.total_ttc_cents, contract_number: seeded.contract.number, file: 'documents/26FM4.pdf' });
    expect(doc.lines[0]).toMatchObject({ label: 'Abonnement', total_ht_cents: 10000 });
    const pdf = zipEntry(zip, 'documents/26FM4.pdf');
    expect(pdf.equals((await contentStore(t.config, 'documents').get(seeded.pdfSha))!)).toBe(true);
    expect(pdf.equals((await b.get('/mon-compte/documents/26FM4.pdf')).rawPayload)).toBe(true); // what the PDF download serves

    const [payment] = read('paiements.json');
    expect(payment).toMatchObject({ amount_cents: 6000, status: 'succeeded', allocations: [{ invoice_number: '26FM4', amount_cents: 6000 }] });
    const [mandate] = read('mandats.json');
    expect(mandate).toMatchObject({ status: 'active', iban: 'FR•• •••• •••• 0189', signature_place: 'Paris' });
    expect(mandate).not.toHaveProperty('iban_encrypted');
    const [statement] = read('decomptes.json');
    expect(statement).toMatchObject({ contract_number: seeded.contract.number, month: '2026-09', exit_count: 2, discount_ht_cents: 500, document_number: '26FM4', exits: ['2026-09-03T07:00:00.000Z', '2026-09-17T07:00:00.000Z'] });

    const journal = read('journal.json') as { action: string; actor_type: string }[];
    expect(journal.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.login', 'mydata.requested']));

    const audits = await t.db.selectFrom('audit_log').select(['action', 'actor_type', 'outcome', 'details']).where('target_id', '=', customer.id).where('action', 'like', 'mydata.%').orderBy('at').orderBy('id').execute();
    // Lines written at one instant have no order among them: compared as a set.
    expect(audits.map((a) => [a.action, a.actor_type, a.outcome]).sort()).toEqual([
      ['mydata.downloaded', 'customer', 'success'],
      ['mydata.prepared', 'system', 'success'],
      ['mydata.requested', 'customer', 'success'],
      ['mydata.sent', 'system', 'success'],
    ]);
    expect(JSON.parse(audits.find((a) => a.action === 'mydata.downloaded')!.details!)).toMatchObject({ via: 'link' });
    expect(JSON.parse(audits.find((a) => a.action === 'mydata.sent')!.details!)).toMatchObject({ addresses: 1 });
    for (const a of audits) expect(a.details ?? '').not.toContain(token);
  });

  it('keeps the link for 7 days to the second: then the page says it has expired, the job deletes the archive, audited', async () => {
    const { b: first, customer, path, again } = await preparedExport('10.140.0.5', 'M5');
    const row = await t.db.selectFrom('data_exports').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    const stored = join(t.config.DATA_DIR, 'exports', row.archive_sha256!.slice(0, 2), `${row.archive_sha256}.pdf`);
    expect(existsSync(stored)).toBe(true);
    expect((await first.get('/profil')).body).toContain('Export prêt, téléchargeable jusqu’au 04/12/2026');

    t.clock.advance(7 * DAY - SECOND);
    let b = await again();
    expect((await b.get(path)).statusCode).toBe(200);
    expect((await b.get('/profil/mes-donnees/archive.zip')).statusCode).toBe(200);
    expect(await purgeExpiredExports(t.db, t.clock, t.config)).toBe(0);

    t.clock.advance(2 * SECOND);
    b = await again();
    const expired = await b.get(path);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Ce lien a expiré');
    expect((await b.get('/profil/mes-donnees/archive.zip')).statusCode).toBe(404);
    expect((await b.get('/profil')).body).toContain('Le dernier export a expiré le 04/12/2026');

    expect(await purgeExpiredExports(t.db, t.clock, t.config)).toBeGreaterThanOrEqual(1);
    expect(existsSync(stored)).toBe(false);
    const after = await t.db.selectFrom('data_exports').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('expired');
    expect(after.purged_at).toBe(t.clock.now().toISOString());
    expect((await b.get(path)).statusCode).toBe(410);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('target_id', '=', customer.id).where('action', 'like', 'mydata.%').orderBy('at').orderBy('id').execute()).map((a) => a.action);
    expect(actions.sort()).toEqual(['mydata.downloaded', 'mydata.downloaded', 'mydata.prepared', 'mydata.purged', 'mydata.requested', 'mydata.sent']);
    // A new export may be asked for.
    expect((await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {})).headers.location).toBe('/profil/mes-donnees?demande=enregistree');
  });

  it('answers another customer’s link with 404, audited, and a visitor with the login page', async () => {
    const { path } = await preparedExport('10.140.0.6', 'M6');
    const other = await loggedInCustomer(t, '10.140.0.7');
    const res = await other.b.get(path);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).not.toBe('application/zip');
    const denied = await t.db.selectFrom('audit_log').selectAll().where('actor_id', '=', other.customer.id).where('action', '=', 'authz.denied').executeTakeFirstOrThrow();
    expect(denied).toMatchObject({ target_type: 'data_export', outcome: 'denied' });
    expect((await other.b.get('/profil/mes-donnees/archive.zip')).statusCode).toBe(404);
    expect((await other.b.get('/profil/mes-donnees/archive/not-a-token')).statusCode).toBe(404);
    const visitor = await t.app.inject({ method: 'GET', url: path, remoteAddress: '10.140.0.8' });
    expect(visitor.statusCode).toBe(302);
    expect(visitor.headers.location).toMatch(/^\/connexion/);
  });

  it('shows a staff member viewing the customer’s pages the state, never the archive, and refuses the request', async () => {
    const { customer } = await preparedExport('10.140.0.10', 'M10');
    const { b } = await loggedInStaff(t, '10.140.0.11');
    expect((await b.submit('/gestion/courriers', `/gestion/clients/${customer.number}/vue-client`, {})).headers.location).toBe('/profil');
    const page = await b.get('/profil/mes-donnees');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Export prêt, téléchargeable jusqu’au');
    const archive = await b.get('/profil/mes-donnees/archive.zip');
    expect(archive.statusCode).toBe(403);
    expect(archive.headers['content-type']).not.toBe('application/zip');
    expect((await b.post('/profil/mes-donnees', { _csrf: csrfToken(page.body) })).statusCode).toBe(403);
    expect(await t.db.selectFrom('data_exports').select('id').where('customer_id', '=', customer.id).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('audit_log').select('id').where('target_id', '=', customer.id).where('action', '=', 'mydata.downloaded').execute()).toEqual([]);
  });

  it('tries an archive whose file cannot be read again one lease later, then gives it up so that the customer may ask again', async () => {
    const address = `mydata-broken-${kind}@example.test`;
    const { b, customer } = await loggedInCustomer(t, '10.140.0.13', { ...emailColumns(address, null, '2025-01-01T00:00:00.000Z'), paperless: 1 });
    const seeded = await seedEveryKind(t.db, t.clock, t.config, customer, 'M13');
    rmSync(join(t.config.DATA_DIR, 'documents', seeded.pdfSha.slice(0, 2), `${seeded.pdfSha}.pdf`));
    // What other tests left pending prepared first: this one alone is then due.
    await prepareDataExports(t.db, t.clock, t.config, 'test-drain', { limit: 1000 });
    await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {});
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await prepareDataExports(t.db, t.clock, t.config, 'test-broken')).prepared).toBe(0);
      // Held by its lease: nothing more is due (the runner does not spin on it).
      expect(await prepareDataExports(t.db, t.clock, t.config, 'test-broken')).toEqual({ prepared: 0, more: false });
      t.clock.advance(16 * 60 * SECOND);
    }
    const row = await t.db.selectFrom('data_exports').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'expired', attempts: 3, archive_sha256: null, token_hash: null });
    const failures = await t.db.selectFrom('audit_log').select(['outcome', 'details']).where('target_id', '=', customer.id).where('action', '=', 'mydata.prepared').execute();
    expect(failures.map((f) => [f.outcome, JSON.parse(f.details!).given_up]).sort()).toEqual([
      ['failure', false],
      ['failure', false],
      ['failure', true],
    ]);
    expect(await t.db.selectFrom('outbox').select('id').where('recipient', '=', address).where('template', '=', 'mydata-ready').execute()).toEqual([]);
    expect(readdirSync(join(t.config.DATA_DIR, 'exports'), { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
  });

  it('never reaches a pending export twice: two workers, one archive, one e-mail', async () => {
    const { b, customer } = await loggedInCustomer(t, '10.140.0.9', emailColumns('mydata-race@example.test', null, '2025-01-01T00:00:00.000Z'));
    await b.submit('/profil/mes-donnees', '/profil/mes-donnees', {});
    const [one, two] = await Promise.all([prepareDataExports(t.db, t.clock, t.config, 'worker-a'), prepareDataExports(t.db, t.clock, t.config, 'worker-b')]);
    expect(one.prepared + two.prepared).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom('outbox').select('id').where('recipient', '=', 'mydata-race@example.test').where('template', '=', 'mydata-ready').execute()).toHaveLength(1);
    expect(await t.db.selectFrom('audit_log').select('id').where('target_id', '=', customer.id).where('action', '=', 'mydata.prepared').execute()).toHaveLength(1);
  });
});

describe('what an e-mail shows in the export', () => {
  it('drops the kinds that carry a secret, and cuts tokens, codes and long link segments out of the others', () => {
    expect(exportedMailText('reset', 'https://x.test/reinitialiser/abc')).toBeNull();
    expect(exportedMailText('mandate-code', 'Votre code : 123456')).toBeNull();
    expect(exportedMailText('receipt', '')).toBeNull();
    const token = 'A'.repeat(43);
    expect(exportedMailText('receipt', `Lien https://x.test/a/${token} code 654321 client CLT013261`)).toBe('Lien https://x.test/a/[retiré] code [retiré] client CLT013261');
    expect(exportedMailText('receipt', 'https://x.test/newsletter/desabonnement/abcdefghijklmnopqrstuvwxyz.123')).toBe('https://x.test/newsletter/desabonnement/[retiré]');
  });

  it('says the state of the latest export at a given instant', () => {
    const now = new Date('2026-11-27T10:00:00.000Z');
    expect(exportState(undefined, now)).toEqual({ state: 'none' });
    expect(exportState({ status: 'pending', requested_at: '2026-11-27T09:00:00.000Z', expires_at: null }, now).state).toBe('pending');
    expect(exportState({ status: 'ready', requested_at: '2026-11-20T09:00:00.000Z', expires_at: '2026-11-27T10:00:01.000Z' }, now).state).toBe('ready');
    expect(exportState({ status: 'ready', requested_at: '2026-11-20T09:00:00.000Z', expires_at: '2026-11-27T10:00:00.000Z' }, now).state).toBe('expired');
  });
});
