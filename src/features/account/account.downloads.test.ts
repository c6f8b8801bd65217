import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Browser, databaseKinds, loggedInBrowser, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { hasPdftotext, pdfText } from '../../../tests/support/pdf.ts';
import { zipEntries, zipEntry } from '../../../tests/support/zip.ts';
import { DEMO_ACTIVE_PASSWORD, seedDemo } from '../demo/demo.seed.ts';
import { newId } from '../../lib/clock.ts';
import { publishDocumentPdf } from '../documents/documents.service.ts';
import { historySince } from './account.rules.ts';
import { pdfHref } from './account.views.tsx';

/*
 * Every document at once (issue 14), on the demo's business customer (4 contracts, 130
 * documents): the ZIP of the history's list, each entry the single download's bytes; its CSV
 * read back as a French spreadsheet would; the account statement, whose closing balance is
 * "Reste à payer". Another customer's documents never in them.
 */

const BUSINESS = 'CLT013263';
const OTHER = 'CLT013262';

/** A CSV read back: the byte-order mark, `;` between fields (none quoted here), CRLF line ends. */
function readCsv(body: Buffer): string[][] {
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = body.subarray(3).toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((l) => l.split(';'));
}
/** `-1234,56` → -123456 cents. */
const cents = (s: string) => {
  expect(s).toMatch(/^-?\d+,\d\d$/);
  return Math.round(Number(s.replace(',', '.')) * 100) + 0;
};
/** Without the sign of a zero. */
const z = (n: number) => n + 0;
/** `1 234,56` in a PDF → cents. */
const pdfCents = (s: string) => Math.round(Number(s.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')) * 100);

describe.each(databaseKinds())('Mon compte, every document at once (%s)', (kind) => {
  const t = useTestApp(kind);
  let business: Browser;
  let other: Browser;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    await seedDemo(t.db, t.clock, { tempPasswordDays: 120 });
    const docs = await t.db
      .selectFrom('financial_documents as d')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['d.id', 'c.number as customer', 'c.id as customer_id'])
      .where('c.number', 'in', [BUSINESS, OTHER])
      .where('d.published_at', 'is not', null)
      .execute();
    for (const d of docs) {
      ids.set(d.customer, d.customer_id);
      await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, d.id);
    }
    business = await loggedInBrowser(t.app, kind === 'sqlite' ? '10.14.1.1' : '10.14.2.1', BUSINESS, DEMO_ACTIVE_PASSWORD);
    other = await loggedInBrowser(t.app, kind === 'sqlite' ? '10.14.1.2' : '10.14.2.2', OTHER, DEMO_ACTIVE_PASSWORD);
  }, 240_000);

  /** The customer's published documents in their history (5 years: both have paperless consent), from the database. */
  const documentsOf = (customer: string) =>
    t.db
      .selectFrom('financial_documents as d')
      .leftJoin('contracts as k', 'k.id', 'd.contract_id')
      .select(['d.number', 'd.kind', 'd.issue_date', 'd.due_date', 'd.total_ht_cents', 'd.total_vat_cents', 'd.total_ttc_cents', 'd.settled_cents', 'k.number as contract'])
      .where('d.customer_id', '=', ids.get(customer)!)
      .where('d.published_at', 'is not', null)
      .where('d.issue_date', '>=', historySince(t.clock.now(), true))
      .orderBy('d.issue_date', 'desc')
      .orderBy('d.number', 'desc')
      .execute();

  const entryOf = (d: { kind: string; number: string; issue_date: string }) => `${d.issue_date.slice(0, 4)}/${d.kind === 'invoice' ? 'Facture' : 'Avoir'} ${d.number}.pdf`;

  it('zips every document of the business customer’s history, each entry byte for byte the single download', async () => {
    const docs = await documentsOf(BUSINESS);
    expect(docs.length).toBeGreaterThanOrEqual(100);
    const res = await business.get('/mon-compte/documents.zip');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="documents-${BUSINESS}.zip"`);
    const zip = res.rawPayload;
    const names = zipEntries(zip);
    expect(names).toEqual(docs.map(entryOf));
    for (const d of docs) {
      const single = await business.get(pdfHref(d.number));
      expect(single.statusCode).toBe(200);
      expect(zipEntry(zip, entryOf(d)).equals(single.rawPayload), d.number).toBe(true);
    }
    // The same list gives the same archive.
    expect((await business.get('/mon-compte/documents.zip')).rawPayload.equals(zip)).toBe(true);
  });

  it('honours the period and the filters, as the history does', async () => {
    const docs = await documentsOf(BUSINESS);
    const year = Number(docs[20]!.issue_date.slice(0, 4));
    const ofYear = docs.filter((d) => d.issue_date.startsWith(`${year}-`));
    expect(ofYear.length).toBeGreaterThan(0);
    const res = await business.get(`/mon-compte/documents.zip?annee=${year}`);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="documents-${BUSINESS}-${year}.zip"`);
    expect(zipEntries(res.rawPayload)).toEqual(ofYear.map(entryOf));

    const contract = docs.find((d) => d.kind === 'credit_note' && d.contract)!.contract!;
    const credits = docs.filter((d) => d.kind === 'credit_note' && d.contract === contract);
    const filtered = await business.get(`/mon-compte/documents.zip?type=credit_note&contrat=${encodeURIComponent(contract)}`);
    expect(zipEntries(filtered.rawPayload)).toEqual(credits.map(entryOf));
    // What the page lists with the same filters.
    const page = (await business.get(`/mon-compte?type=credit_note&contrat=${encodeURIComponent(contract)}`)).body;
    for (const d of credits) expect(page).toContain(`>${d.number}<`);

    // "À régler": in the CSV (the business customer under mandate may have nothing left, and a ZIP of nothing has no entry to list).
    const open = docs.filter((d) => d.total_ttc_cents > d.settled_cents);
    expect(readCsv((await business.get('/mon-compte/documents.csv?etat=a-regler')).rawPayload).slice(1).map((r) => r[1])).toEqual(open.map((d) => d.number));
    if (open.length > 0) expect(zipEntries((await business.get('/mon-compte/documents.zip?etat=a-regler')).rawPayload)).toEqual(open.map(entryOf));
  });

  it('never holds another customer’s documents, whatever the filters name', async () => {
    const mine = new Set((await documentsOf(OTHER)).map(entryOf));
    const theirs = await documentsOf(BUSINESS);
    const names = zipEntries((await other.get('/mon-compte/documents.zip')).rawPayload);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => mine.has(n))).toBe(true);
    // A contract of the business customer's: not one of this customer's, so not applied.
    const contract = theirs.find((d) => d.contract)!.contract!;
    expect(zipEntries((await other.get(`/mon-compte/documents.zip?contrat=${contract}`)).rawPayload)).toEqual(names);
    const csv = readCsv((await other.get(`/mon-compte/documents.csv?contrat=${contract}`)).rawPayload);
    const numbers = new Set(theirs.map((d) => d.number));
    expect(csv.slice(1).some((r) => numbers.has(r[1]!))).toBe(false);
    // Without a session: the login page, nothing else.
    const anonymous = await t.app.inject({ method: 'GET', url: '/mon-compte/documents.zip' });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/connexion/);
  });

  it('exports the list as a CSV a French spreadsheet opens: its columns, dates and amounts', async () => {
    const docs = await documentsOf(BUSINESS);
    const res = await business.get('/mon-compte/documents.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="documents-${BUSINESS}.csv"`);
    const [header, ...rows] = readCsv(res.rawPayload);
    expect(header).toEqual(['Type', 'Numéro', 'Date', 'Échéance', 'Contrat', 'Montant HT', 'TVA', 'Montant TTC', 'Payé', 'Reste à payer', 'Statut']);
    expect(rows).toHaveLength(docs.length);
    const statuses = new Set<string>();
    rows.forEach((r, i) => {
      const d = docs[i]!;
      const sign = d.kind === 'invoice' ? 1 : -1;
      expect(r[0]).toBe(d.kind === 'invoice' ? 'Facture' : 'Avoir');
      expect(r[1]).toBe(d.number);
      expect(r[2]).toBe(d.issue_date.split('-').reverse().join('/'));
      expect(r[3]).toBe(d.due_date ? d.due_date.split('-').reverse().join('/') : '');
      expect(r[4]).toBe(d.contract ?? '');
      expect(cents(r[5]!)).toBe(z(sign * d.total_ht_cents));
      expect(cents(r[6]!)).toBe(z(sign * d.total_vat_cents));
      expect(cents(r[7]!)).toBe(z(sign * d.total_ttc_cents));
      expect(cents(r[5]!) + cents(r[6]!)).toBe(cents(r[7]!));
      expect(cents(r[8]!)).toBe(z(sign * d.settled_cents));
      expect(cents(r[9]!)).toBe(z(sign * (d.total_ttc_cents - d.settled_cents)));
      statuses.add(r[10]!);
    });
    expect([...statuses].every((s) => ['Payée', 'Partiellement payée', 'À payer', 'En retard', 'Utilisé', 'Partiellement utilisé', 'À utiliser'].includes(s))).toBe(true);
    // What is left to pay, summed over the documents, is what the account's documents owe.
    const total = rows.reduce((s, r) => s + cents(r[9]!), 0);
    expect(total).toBe(docs.reduce((s, d) => s + (d.kind === 'invoice' ? 1 : -1) * (d.total_ttc_cents - d.settled_cents), 0));
    // Filtered as the history.
    const year = docs[0]!.issue_date.slice(0, 4);
    const ofYear = readCsv((await business.get(`/mon-compte/documents.csv?annee=${year}`)).rawPayload).slice(1);
    expect(ofYear.map((r) => r[1])).toEqual(docs.filter((d) => d.issue_date.startsWith(year)).map((d) => d.number));
  });

  it.skipIf(!hasPdftotext)('draws the account statement: its closing balance today is “Reste à payer”, opening + movements = closing', async () => {
    const page = (await business.get('/mon-compte')).body;
    const shown = /Reste à payer : ([\d\s\u00a0\u202f]+,\d\d)\u00a0€/.exec(page)?.[1];
    const balance = (await t.db.selectFrom('customers').select('balance_cents').where('number', '=', BUSINESS).executeTakeFirstOrThrow()).balance_cents;
    expect(pdfCents(shown!)).toBe(Math.max(0, balance));

    // From before the first document to today: opening 0, closing the balance.
    const all = await business.get('/mon-compte/releve?du=2015-01-01&au=2026-11-27');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('application/pdf');
    const text = pdfText(all.rawPayload);
    expect(text).toContain('Relevé de compte du 01/01/2015 au 27/11/2026');
    expect(text).toContain(`Client n° ${BUSINESS}`);
    const amount = (label: RegExp) => pdfCents(new RegExp(`${label.source}\\s+(-?[\\d\\s]*\\d,\\d\\d) €`).exec(text)![1]!);
    expect(amount(/Solde au début du 01\/01\/2015/)).toBe(0);
    expect(amount(/Solde à la fin du 27\/11\/2026/)).toBe(balance);

    // The same for a customer with something to pay (CLT013272 owes an invoice): not just zero.
    const owing = await loggedInBrowser(t.app, kind === 'sqlite' ? '10.14.1.3' : '10.14.2.3', 'CLT013272', DEMO_ACTIVE_PASSWORD);
    const owed = (await t.db.selectFrom('customers').select('balance_cents').where('number', '=', 'CLT013272').executeTakeFirstOrThrow()).balance_cents;
    expect(owed).toBeGreaterThan(0);
    const theirs = pdfText((await owing.get('/mon-compte/releve?du=2015-01-01&au=2026-11-27')).rawPayload);
    expect(pdfCents(/Solde à la fin du 27\/11\/2026\s+(-?[\d\s]*\d,\d\d) €/.exec(theirs)![1]!)).toBe(owed);
    expect(pdfCents(/Reste à payer : ([\d\s\u00a0\u202f]+,\d\d)\u00a0€/.exec((await owing.get('/mon-compte')).body)![1]!)).toBe(owed);

    // A period in the middle: the opening plus every line's debit, less its credit, is the closing.
    const mid = pdfText((await business.get('/mon-compte/releve?du=01/01/2025&au=30/06/2025')).rawPayload);
    const opening = pdfCents(/Solde au début du 01\/01\/2025\s+(-?[\d\s]*\d,\d\d)/.exec(mid)![1]!);
    const closing = pdfCents(/Solde à la fin du 30\/06\/2025\s+(-?[\d\s]*\d,\d\d)/.exec(mid)![1]!);
    const totals = /Total des opérations de la période\s+(-?[\d\s]*\d,\d\d) €\s+(-?[\d\s]*\d,\d\d) €/.exec(mid)!;
    expect(opening + pdfCents(totals[1]!) - pdfCents(totals[2]!)).toBe(closing);
    // Each line's balance follows from the one before it.
    const lines = [...mid.matchAll(/^\s*(\d\d\/\d\d\/\d{4})\s+(Facture|Avoir|Paiement)\b.*?\s(-?\d[\d ]*,\d\d) €$/gm)];
    expect(lines.length).toBeGreaterThan(3);
    expect(pdfCents(lines.at(-1)![3]!)).toBe(closing);
    // The documents of the period are all there.
    const docs = (await documentsOf(BUSINESS)).filter((d) => d.issue_date >= '2025-01-01' && d.issue_date <= '2025-06-30');
    for (const d of docs) expect(mid).toContain(`${d.kind === 'invoice' ? 'Facture' : 'Avoir'} ${d.number}`);
    // The operator's mentions, as on its invoices.
    expect(mid).toMatch(/SIREN \d{9}/);
  });

  it('checks the statement’s days as forms are: the errors in French, what was typed kept', async () => {
    const res = await business.get('/mon-compte/releve?du=2026-06-30&au=2026-01-01');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Le relevé n’a pas été établi : le formulaire contient 1 erreur(s).');
    expect(res.body).toContain('Saisissez un dernier jour égal ou postérieur au premier, le 30/06/2026.');
    expect(res.body).toMatch(/<input id="du" name="du" type="date" value="2026-06-30"/);
    expect(res.body).toMatch(/<input id="au" name="au" type="date" value="2026-01-01"[^>]*aria-invalid="true"/);

    const wrong = await business.get('/mon-compte/releve?du=31/02/2026&au=2027-01-01');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Saisissez une date valide, par exemple 15/12/2026.');
    expect(wrong.body).toContain('Saisissez une date comprise entre le 01/01/2000 et le 27/11/2026.');
    expect(wrong.body).toContain('value="31/02/2026"');

    const empty = await business.get('/mon-compte/releve?du=&au=');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Saisissez le premier jour du relevé.');
    expect(empty.body).toContain('Saisissez le dernier jour du relevé.');

    // Asked for directly: the form, this year until today.
    const form = await business.get('/mon-compte/releve');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="2026-01-01"');
    expect(form.body).toContain('value="2026-11-27"');
  });

  it('never gives a whole-looking archive when a stored file was altered: the download breaks off', async () => {
    const park = await createCarPark(t.db, t.clock);
    const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, { paperless: 1, paperless_changed_at: '2026-01-01T00:00:00.000Z' });
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    const shas: string[] = [];
    for (const day of ['2026-09-01', '2026-10-01']) {
      const d = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `ZC${newId().slice(-8)}`, issueDate: day, htCents: 10000 });
      shas.push((await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, d.id)).sha256);
    }
    const b = await loggedInBrowser(t.app, kind === 'sqlite' ? '10.14.1.4' : '10.14.2.4', customer.number, password);
    expect(zipEntries((await b.get('/mon-compte/documents.zip')).rawPayload)).toHaveLength(2);
    // The older file altered where it is stored: the archive reaches it last (newest first).
    const storage = t.config.storage;
    if (storage.kind !== 'local') throw new Error('local storage expected');
    const file = join(storage.dir, 'documents', shas[0]!.slice(0, 2), `${shas[0]}.pdf`);
    const original = readFileSync(file);
    writeFileSync(file, Buffer.concat([original.subarray(0, 100), Buffer.from('altered'), original.subarray(107)]));
    try {
      const broken = await b.get('/mon-compte/documents.zip').then(
        (r) => r.rawPayload,
        () => null,
      );
      // Either no answer at all, or an archive cut short that no reader takes for whole.
      if (broken !== null) expect(() => zipEntries(broken)).toThrow();
    } finally {
      writeFileSync(file, original);
    }
  });

  it('offers the list’s ZIP and CSV with the current filters, and the statement form, on Mon compte', async () => {
    const docs = await documentsOf(BUSINESS);
    const year = docs[0]!.issue_date.slice(0, 4);
    const page = (await business.get(`/mon-compte?annee=${year}&type=invoice`)).body;
    expect(page).toContain(`href="/mon-compte/documents.zip?type=invoice&amp;annee=${year}"`);
    expect(page).toContain(`href="/mon-compte/documents.csv?type=invoice&amp;annee=${year}"`);
    expect(page).toContain('Télécharger tout (ZIP)');
    expect(page).toContain('Exporter la liste (CSV)');
    expect(page).toContain('<form method="get" action="/mon-compte/releve"');
  });
});
