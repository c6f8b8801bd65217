import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInBrowser, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument, insertPayment } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { createHash } from 'node:crypto';
import { publishDocumentPdf } from '../documents/documents.service.ts';
import { historySince } from './account.rules.ts';

/** The text of each row of the documents table, cells joined by " | ". */
function rows(html: string): string[] {
  const body = /<table class="stack documents">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/\u00a0/g, ' ').trim()).join(' | '),
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
    const res = await b.get('/mon-compte');
    const numbers = rows(res.body).map((r) => r.split(' | ')[1]);
    expect(numbers).toEqual(['IN-4Y', 'EDGE-5Y']);
    expect(res.body).toContain('Documents des 5 dernières années.');
    expect(res.body).toContain('Vos documents plus anciens (1) sont conservés');
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

  it('uses English formats in English', async () => {
    const { b, customer, contract } = await customerWithDocuments('10.2.0.5', { lang: 'en' });
    await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '21FVEN0001', issueDate: '2021-12-09', periodStart: '2021-12-09', periodEnd: '2021-12-31', htCents: 17733 });
    const res = await b.get('/mon-compte');
    expect(res.body).toContain('Balance due: €212.80');
    expect(rows(res.body)[0]).toBe(`Invoice | 21FVEN0001 | ${contract.number} | 9 Dec 2021 | from 9 Dec 2021 to 31 Dec 2021 | 212.80 | 212.80 | Not available`);
  });
});
