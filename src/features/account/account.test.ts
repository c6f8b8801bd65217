import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInBrowser, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument, insertPayment } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { createHash } from 'node:crypto';
import { newId } from '../../lib/clock.ts';
import { publishDocumentPdf } from '../documents/documents.service.ts';
import { historySince } from './account.rules.ts';

/** The text of each row of the documents table, cells joined by " | ". */
function rows(html: string): string[] {
  const body = /<table class="stack documents">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/\u00a0/g, ' ').trim()).join(' | '),
  );
}

/** The due list under "Reste à payer": each item's text, tags removed, spaces plain. */
function dueItems(html: string): string[] {
  const list = /<ul class="due-list"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, ' ').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim(),
  );
}

describe('history window', () => {
  it('is five years with paperless consent, twelve months without', () => {
    const today = new Date('2026-11-27T10:00:00Z');
    expect(historySince(today, true)).toBe('2021-11-27');
    expect(historySince(today, false)).toBe('2025-11-27');
  });

  it('counts in Paris days: at 00:30 in Paris it is already the next day', () => {
    expect(historySince(new Date('2026-11-27T23:30:00Z'), false)).toBe('2025-11-28');
    expect(historySince(new Date('2026-07-01T22:30:00Z'), true)).toBe('2021-07-02'); // summer time, UTC+2
  });
});

describe.each(databaseKinds())('Mon compte (%s)', (kind) => {
  const t = useTestApp(kind);

  async function customerWithDocuments(ip: string, { paperless = true, lang = 'fr' as 'fr' | 'en' } = {}) {
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const consent = paperless ? { paperless: 1, paperless_changed_at: '2026-01-01T00:00:00.000Z' } : {};
    const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, { language: lang, ...consent });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { number: `15CT${ip.replace(/\D/g, '')}` });
    const b = await loggedInBrowser(t.app, ip, customer.number, password);
    return { b, customer, contract };
  }

  it('shows the balance and the manual’s table, newest first, in French formats', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.1');
    const first = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '15FV25832', issueDate: '2021-12-09', periodStart: '2021-12-09', periodEnd: '2021-12-31', htCents: 17733, pdfSha256: 'a'.repeat(64) });
    const paid = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '22FV00001', issueDate: '2022-01-01', periodStart: '2022-01-01', periodEnd: '2022-01-31', htCents: 21667 });
    await insertPayment(t.db, customer.id, paid.total_ttc_cents, [[paid.id, paid.total_ttc_cents]]);
    const partly = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '22FV00002', issueDate: '2022-02-01', periodStart: '2022-02-01', periodEnd: '2022-02-28', htCents: 21667 });
    await insertPayment(t.db, customer.id, 10000, [[partly.id, 10000]]);
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, kind: 'credit_note', number: '22AV00001', issueDate: '2022-03-15', htCents: 1000, corrects: partly.id });
    expect(first.total_ttc_cents).toBe(21280);

    const res = await b.get('/mon-compte');
    expect(res.statusCode).toBe(200);
    // 212,80 + 160,00 (partly paid) − 12,00 (unused credit note)
    expect(res.body).toContain('Reste à payer : 360,80\u00a0€');
    expect(res.body).toContain('Historique des documents financiers');
    for (const col of ['TYPE DE DOCUMENT', 'NUMÉRO', 'N° DU CONTRAT', 'DATE', 'PÉRIODE', 'MONTANT TTC', 'RESTE À PAYER', 'PDF']) expect(res.body).toContain(`>${col}</th>`);
    expect(rows(res.body)).toEqual([
      `Avoir | 22AV00001 | ${contract.number} | 15/03/2022 | — | -12,00 | -12,00 | Non disponible`,
      `Facture | 22FV00002 | ${contract.number} | 01/02/2022 | du 01/02/2022 au 28/02/2022 | 260,00 | 160,00 | Non disponible`,
      `Facture | 22FV00001 | ${contract.number} | 01/01/2022 | du 01/01/2022 au 31/01/2022 | 260,00 | 0,00 | Non disponible`,
      `Facture | 15FV25832 | ${contract.number} | 09/12/2021 | du 09/12/2021 au 31/12/2021 | 212,80 | 212,80 | PDF`,
    ]);
    expect(res.body).toContain('href="/mon-compte/documents/15FV25832.pdf"');
    expect(res.body).toContain('aria-label="PDF — télécharger la facture 15FV25832"');
    // The manual's sentence on automatic payment, and no payment button before online payment exists.
    expect(res.body).toContain('souscrivez au prélèvement automatique');
    // Paperless and something due: the way to pay it.
    expect(res.body).toContain('href="/mon-compte/paiement"');
    expect(res.body).toContain('Historique des paiements');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('shows five years with consent and says older documents are available on request', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.2');
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: 'OLD-6Y', issueDate: '2020-11-01', htCents: 1000 });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: 'IN-4Y', issueDate: '2022-12-01', htCents: 1000 });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: 'EDGE-5Y', issueDate: '2021-11-27', htCents: 1000 });
    // Older than the window, in the same year as a document inside it.
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: 'OLD-2021', issueDate: '2021-11-26', htCents: 1000 });
    const res = await b.get('/mon-compte');
    const numbers = rows(res.body).map((r) => r.split(' | ')[1]);
    expect(numbers).toEqual(['IN-4Y', 'EDGE-5Y']);
    expect(res.body).toContain('Documents des 5 dernières années.');
    expect(res.body).toContain('Vos documents plus anciens (2) sont conservés');
    // The year filter offers the years shown, newest first: not 2020, whose only document is older.
    const years = [...(/<select id="f-annee"[^]*?<\/select>/.exec(res.body)?.[0] ?? '').matchAll(/<option value="(\d{4})"/g)].map((m) => m[1]);
    expect(years).toEqual(['2022', '2021']);
  });

  it('shows only twelve months without paperless consent, and explains what consent brings', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.3', { paperless: false });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: 'M-13', issueDate: '2025-10-27', htCents: 1000 });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: 'M-11', issueDate: '2025-12-27', htCents: 1000 });
    const res = await b.get('/mon-compte');
    expect(rows(res.body).map((r) => r.split(' | ')[1])).toEqual(['M-11']);
    expect(res.body).toContain('Documents des 12 derniers mois. En acceptant de recevoir vos documents par e-mail, vous accédez à 5 ans d’historique.');
    expect(res.body).toContain('Le paiement en ligne du solde est réservé aux clients qui acceptent de recevoir leurs documents par e-mail');
    expect(res.body).toContain('href="/profil#documents-par-email"');

    // Giving consent from the profile opens the five-year history, and is dated in its history.
    const given = await b.submit('/profil', '/profil/documents-par-email', { paperless: 'yes' });
    expect(given.statusCode).toBe(303);
    expect((await b.get('/profil?papier=oui')).body).toContain('vous recevez désormais vos documents par e-mail');
    expect(rows((await b.get('/mon-compte')).body).map((r) => r.split(' | ')[1])).toEqual(['M-11', 'M-13']);
    await b.submit('/profil', '/profil/documents-par-email', { paperless: 'no' });
    const history = await t.db.selectFrom('paperless_consents').select(['given', 'source']).where('customer_id', '=', customer.id).orderBy('at').orderBy('given', 'desc').execute();
    expect(history).toEqual([
      { given: 1, source: 'profile' },
      { given: 0, source: 'profile' },
    ]);
  });

  it('filters by contract, type and year, and pages keeping the filters', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.4');
    const park = await createCarPark(t.db, t.clock);
    const second = await createContract(t.db, t.clock, customer.id, park.id, { number: '24CTSECOND' });
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, '0');
      await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `24FA${mm}`, issueDate: `2024-${mm}-01`, htCents: 21667 });
      await insertDocument(t.db, { customerId: customer.id, contractId: second.id, number: `24FB${mm}`, issueDate: `2024-${mm}-02`, htCents: 10000 });
      await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `25FA${mm}`, issueDate: `2025-${mm}-01`, htCents: 21667 });
    }
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, kind: 'credit_note', number: '24AV01', issueDate: '2024-06-15', htCents: 500 });

    const page1 = await b.get('/mon-compte');
    expect(rows(page1.body)).toHaveLength(20);
    expect(page1.body).toContain('Page 1 sur 2 (37 documents)');

    const byContract = await b.get(`/mon-compte?contrat=${contract.number}&annee=2024`);
    const numbers = rows(byContract.body).map((r) => r.split(' | ')[1]);
    expect(numbers).toEqual(['24FA12', '24FA11', '24FA10', '24FA09', '24FA08', '24FA07', '24AV01', '24FA06', '24FA05', '24FA04', '24FA03', '24FA02', '24FA01']);
    expect(byContract.body).toMatch(/<option value="2024" selected/);

    const creditNotes = await b.get('/mon-compte?type=credit_note');
    expect(rows(creditNotes.body).map((r) => r.split(' | ')[1])).toEqual(['24AV01']);

    const paged = await b.get(`/mon-compte?contrat=${contract.number}`);
    expect(paged.body).toContain('Page 1 sur 2 (25 documents)');
    const next = /href="([^"]+)" rel="next"/.exec(paged.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBe(`/mon-compte?contrat=${contract.number}&page=2#historique`);
    const page2 = await b.get(next!.replace('#historique', ''));
    expect(rows(page2.body).map((r) => r.split(' | ')[1])).toEqual(['24FA05', '24FA04', '24FA03', '24FA02', '24FA01']);
    expect(page2.body).toMatch(/href="\/mon-compte\?contrat=[^"]+#historique" rel="prev"/);

    // A contract that is not the customer's filters nothing in and shows nothing of it.
    const other = await activeSubscriber(t.db, t.clock);
    const theirs = await createContract(t.db, t.clock, other.customer.id, park.id, { number: '24CTTHEIRS' });
    await insertDocument(t.db, { customerId: other.customer.id, contractId: theirs.id, number: '24FTHEIRS', issueDate: '2024-05-01', htCents: 1000 });
    const foreign = await b.get('/mon-compte?contrat=24CTTHEIRS');
    expect(foreign.body).not.toContain('24FTHEIRS');
    // Garbage parameters are ignored, not errors.
    expect((await b.get('/mon-compte?annee=abc&type=x&page=-3')).statusCode).toBe(200);
  });

  it('downloads exactly the stored PDF, to its owner only (Z1)', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.6');
    const doc = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '26FVPDF001', issueDate: '2026-11-01', periodStart: '2026-11-01', periodEnd: '2026-11-30', htCents: 21667 });
    const { sha256 } = await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, doc.id);
    const page = await b.get('/mon-compte');
    expect(page.body).toContain('href="/mon-compte/documents/26FVPDF001.pdf"');

    const res = await b.get('/mon-compte/documents/26FVPDF001.pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="26FVPDF001.pdf"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(sha256);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // Outside the window shown (12 months without consent) or not yet published: 404, like the history.
    await t.db.updateTable('customers').set({ paperless: 0 }).where('id', '=', customer.id).execute();
    const old = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '24FVOLD001', issueDate: '2024-01-01', htCents: 1000 });
    await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, old.id);
    expect((await b.get('/mon-compte/documents/24FVOLD001.pdf')).statusCode).toBe(404);
    const draft = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '26FVDRAFT1', issueDate: '2026-11-20', htCents: 1000 });
    await t.db.updateTable('financial_documents').set({ published_at: null }).where('id', '=', draft.id).execute();
    expect((await b.get('/mon-compte')).body).not.toContain('26FVDRAFT1');
    await t.db.updateTable('customers').set({ paperless: 1 }).where('id', '=', customer.id).execute();

    // Another customer gets 404 by number, and the attempt is audited.
    const other = await customerWithDocuments('10.2.0.7');
    const denied = await other.b.get('/mon-compte/documents/26FVPDF001.pdf');
    expect(denied.statusCode).toBe(404);
    expect(denied.headers['content-type']).toContain('text/html');
    for (const bad of ['/mon-compte/documents/..%2F..%2Fetc%2Fpasswd.pdf', '/mon-compte/documents/NOPE.pdf', '/mon-compte/documents/26FVPDF001.txt']) {
      expect((await other.b.get(bad)).statusCode, bad).toBe(404);
    }
    const audited = await t.db.selectFrom('audit_log').select(['target_type', 'target_id']).where('action', '=', 'authz.denied').where('actor_id', '=', other.customer.id).execute();
    expect(audited).toContainEqual({ target_type: 'document', target_id: '26FVPDF001' });
    expect(audited).toHaveLength(4);
    // Not logged in: to the login page.
    expect((await new Browser(t.app).get('/mon-compte/documents/26FVPDF001.pdf')).statusCode).toBe(302);
  });

  it('lists what is due first, under the balance: oldest first, each with its PDF and what remains', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.8');
    // Mr Durand: his first invoice, 212,80 €, unpaid, and 45 later invoices paid — it is on page 3 of the history.
    const first = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '21FV25832', issueDate: '2021-12-09', periodStart: '2021-12-09', periodEnd: '2021-12-31', htCents: 17733, pdfSha256: 'b'.repeat(64) });
    for (let i = 0; i < 45; i++) {
      const month = new Date(Date.UTC(2022, i, 1)).toISOString().slice(0, 10);
      const paid = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `PAID${String(i).padStart(3, '0')}`, issueDate: month, htCents: 21667, pdfSha256: 'c'.repeat(64) });
      await insertPayment(t.db, customer.id, paid.total_ttc_cents, [[paid.id, paid.total_ttc_cents]]);
    }
    const partly = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '26FV00002', issueDate: '2026-10-01', htCents: 21667 });
    await insertPayment(t.db, customer.id, 10000, [[partly.id, 10000]]);
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, kind: 'credit_note', number: '26AV00001', issueDate: '2026-10-15', htCents: 1000, pdfSha256: 'd'.repeat(64), corrects: partly.id });
    await insertPayment(t.db, customer.id, 5000, []); // received, set against nothing yet
    expect(first.total_ttc_cents).toBe(21280);

    const res = await b.get('/mon-compte');
    // 212,80 + 160,00 − 12,00 − 50,00
    expect(res.body).toContain('Reste à payer : 310,80\u00a0€');
    expect(res.body).toContain('<h2 id="a-regler" class="due-title">Documents à régler</h2>');
    expect(dueItems(res.body)).toEqual([
      `Facture 21FV25832 du 09/12/2021 · contrat ${contract.number} Reste à payer : 212,80 €`,
      `Facture 26FV00002 du 01/10/2026 · contrat ${contract.number} Reste à payer : 160,00 €`,
      `Avoir 26AV00001 du 15/10/2026 · contrat ${contract.number} Crédit à utiliser : 12,00 €`,
      'Paiements reçus, pas encore affectés à une facture Crédit à utiliser : 50,00 €',
    ]);
    // Each number is the link to its PDF, when there is one; the one without says why.
    expect(res.body).toContain('<a href="/mon-compte/documents/21FV25832.pdf" aria-label="PDF — télécharger la facture 21FV25832">21FV25832</a>');
    expect(res.body).toContain('<a href="/mon-compte/documents/26AV00001.pdf" aria-label="PDF — télécharger l’avoir 26AV00001">26AV00001</a>');
    expect(res.body).not.toContain('href="/mon-compte/documents/26FV00002.pdf"');
    expect(res.body).toContain('Un numéro sans lien désigne un document dont le PDF ne se consulte pas ici');
    // First comes the balance, then the pay button, then what is due, then the history.
    const at = (s: string) => res.body.indexOf(s);
    expect(at('id="balance"')).toBeGreaterThan(0);
    expect(at('href="/mon-compte/paiement"')).toBeGreaterThan(at('id="balance"'));
    expect(at('class="due-list"')).toBeGreaterThan(at('href="/mon-compte/paiement"'));
    expect(at('id="historique"')).toBeGreaterThan(at('class="due-list"'));
    // The history itself still pages newest first: the first invoice is on page 3.
    expect(rows(res.body).map((r) => r.split(' | ')[1])).not.toContain('21FV25832');
    expect(res.body).toContain('Page 1 sur 3 (48 documents)');

    // Nothing due, nothing listed.
    const { b: settled } = await customerWithDocuments('10.2.0.9');
    expect((await settled.get('/mon-compte')).body).not.toContain('due-list');
  });

  it('links a due document’s PDF only when the PDF route serves it (inside the history window)', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.10', { paperless: false });
    const old = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '25FVOLD', issueDate: '2025-06-01', htCents: 1000 });
    const recent = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '26FVNEW', issueDate: '2026-06-01', htCents: 1000 });
    for (const d of [old, recent]) await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, d.id);
    const res = await b.get('/mon-compte');
    // Older than the 12 months shown without paperless consent: listed as due, but not a link, and explained.
    expect(dueItems(res.body).map((i) => i.split(' ')[1])).toEqual(['25FVOLD', '26FVNEW']);
    expect(res.body).not.toContain('href="/mon-compte/documents/25FVOLD.pdf"');
    expect(res.body).toContain('href="/mon-compte/documents/26FVNEW.pdf"');
    expect(res.body).toContain('Un numéro sans lien désigne un document dont le PDF ne se consulte pas ici');
    expect((await b.get('/mon-compte/documents/25FVOLD.pdf')).statusCode).toBe(404);
    expect((await b.get('/mon-compte/documents/26FVNEW.pdf')).statusCode).toBe(200);
  });

  it('filters the history to what is "à régler", keeping the other filters and paging', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.11');
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, '0');
      const due = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `25FD${mm}`, issueDate: `2025-${mm}-01`, htCents: 1000 });
      await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `24FD${mm}`, issueDate: `2024-${mm}-01`, htCents: 1000 });
      await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `23FD${mm}`, issueDate: `2023-${mm}-01`, htCents: 1000 });
      if (m % 2 === 0) await insertPayment(t.db, customer.id, due.total_ttc_cents, [[due.id, due.total_ttc_cents]]);
      const paid = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `24FP${mm}`, issueDate: `2024-${mm}-02`, htCents: 1000 });
      await insertPayment(t.db, customer.id, paid.total_ttc_cents, [[paid.id, paid.total_ttc_cents]]);
    }
    const used = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, kind: 'credit_note', number: '24AVUSED', issueDate: '2024-03-15', htCents: 500 });
    const settledByCredit = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '24FSETTLED', issueDate: '2024-03-16', htCents: 500 });
    await t.db.insertInto('allocations').values({ id: newId(), invoice_id: settledByCredit.id, payment_id: null, credit_note_id: used.id, amount_cents: used.total_ttc_cents, created_at: '2026-01-01T00:00:00.000Z' }).execute();
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, kind: 'credit_note', number: '24AVOPEN', issueDate: '2024-04-15', htCents: 500 });

    const page = await b.get('/mon-compte');
    expect(page.body).toMatch(/<label for="f-etat">Reste à payer<\/label><select id="f-etat" name="etat"><option value(="")?>Tous<\/option><option value="a-regler">À régler<\/option>/);
    // Under the balance, the five oldest due, and the way to all of them: the history filtered.
    expect(dueItems(page.body).map((i) => i.split(' ')[1])).toEqual(['23FD01', '23FD02', '23FD03', '23FD04', '23FD05']);
    expect(page.body).toContain('Les 5 plus anciens sur 31. <a href="/mon-compte?etat=a-regler#historique">Voir tous les documents à régler (31)</a>');

    // 6 of 2025, 12 of 2024, 12 of 2023 still due, and the unused credit note; not what is paid or used.
    const open = await b.get('/mon-compte?etat=a-regler');
    expect(open.body).toContain('Page 1 sur 2 (31 documents)');
    expect(open.body).toMatch(/<option value="a-regler" selected/);
    const next = /href="([^"]+)" rel="next"/.exec(open.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBe('/mon-compte?etat=a-regler&page=2#historique');
    const page2 = rows((await b.get(next!.replace('#historique', ''))).body).map((r) => r.split(' | ')[1]);
    expect(page2).toEqual(['23FD11', '23FD10', '23FD09', '23FD08', '23FD07', '23FD06', '23FD05', '23FD04', '23FD03', '23FD02', '23FD01']);
    const all = [...rows(open.body), ...rows((await b.get(next!.replace('#historique', ''))).body)];
    expect(all.every((r) => !/\| 0,00 \|/.test(r))).toBe(true);

    // With the other filters.
    const invoices2024 = rows((await b.get('/mon-compte?etat=a-regler&type=invoice&annee=2024')).body).map((r) => r.split(' | ')[1]);
    // (24FSETTLED is settled by the credit note 24AVUSED: neither is left to settle.)
    expect(invoices2024).toEqual(['24FD12', '24FD11', '24FD10', '24FD09', '24FD08', '24FD07', '24FD06', '24FD05', '24FD04', '24FD03', '24FD02', '24FD01']);
    expect(rows((await b.get('/mon-compte?etat=a-regler&type=credit_note')).body).map((r) => r.split(' | ')[1])).toEqual(['24AVOPEN']);
    const withContract = await b.get(`/mon-compte?contrat=${contract.number}&etat=a-regler&annee=2025`);
    expect(rows(withContract.body).map((r) => r.split(' | ')[1])).toEqual(['25FD11', '25FD09', '25FD07', '25FD05', '25FD03', '25FD01']);
    // An unknown state filters nothing.
    expect(rows((await b.get('/mon-compte?etat=x')).body)).toHaveLength(20);
  });

  it('uses English formats in English', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.5', { lang: 'en' });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '21FVEN0001', issueDate: '2021-12-09', periodStart: '2021-12-09', periodEnd: '2021-12-31', htCents: 17733 });
    const res = await b.get('/mon-compte');
    expect(res.body).toContain('Balance due: €212.80');
    expect(rows(res.body)[0]).toBe(`Invoice | 21FVEN0001 | ${contract.number} | 9 Dec 2021 | from 9 Dec 2021 to 31 Dec 2021 | 212.80 | 212.80 | Not available`);
    expect(res.body).toContain('<h2 id="a-regler" class="due-title">Documents to pay</h2>');
    expect(dueItems(res.body)).toEqual([`Invoice 21FVEN0001 of 9 Dec 2021 · contract ${contract.number} Balance due: €212.80`]);
    expect(res.body).toContain('<option value="a-regler">To pay</option>');
  });
});
