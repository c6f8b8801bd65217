import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, databaseKinds } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer, newSubscriber } from '../../../tests/support/factories.ts';
import { type DocumentLineDraft, insertDocument } from '../../../tests/support/documents.ts';
import { hasPdftotext, pdfImages, pdfText, pngImage } from '../../../tests/support/pdf.ts';
import type { Db } from '../../db/database.ts';
import { documentTotals, lineAmounts } from '../../lib/money.ts';
import { verifyPassword } from '../../lib/passwords.ts';
import { pdfImage, sharedPdfResources, winAnsi } from '../../lib/pdf.ts';
import { type ContentStore, localContentStore, sha256Hex } from '../../lib/content-store.ts';
import { type DocumentPdfInput, formatDateFr, formatEuros, formatQuantity, formatRate, renderDocumentPdf } from './documents.pdf.ts';
import { type PublishProgress, publishDocumentPdf, publishPendingPdfs, readDocumentPdf } from './documents.service.ts';

if (!hasPdftotext) console.warn(`/usr/bin/pdftotext is missing (apt-get install poppler-utils): the PDF text assertions are skipped.`);
const withPdftotext = it.skipIf(!hasPdftotext);

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Whitespace collapsed, for sentences that wrap. */
const flat = (s: string) => s.replace(/\s+/g, ' ');
/** A table label that may wrap: its words in order, allowing the row's other cells in between. */
const wrapped = (label: string) =>
  new RegExp(
    label
      .split(/\s+/)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+(?:\\S+\\s+){0,8}?'),
  );

/** The manual's first invoice: 23/31 of 216,67 € HT plus the badge, 212,80 € TTC. */
const manualLines: DocumentLineDraft[] = [
  { label: 'Abonnement résident CARDINET du 09/12 au 31/12 (prorata 23/31)', quantity_milli: 742, unit_price_ht_cents: 21667 },
  { label: 'Frais de badge', quantity_milli: 1000, unit_price_ht_cents: 1656 },
];

const tempHash = async (db: Db, customerId: string) =>
  (await db.selectFrom('customer_logins').select('temp_password_hash').where('customer_id', '=', customerId).executeTakeFirstOrThrow())
    .temp_password_hash as string;

// ------------------------------------------------------------------ no database

describe('French formatting for documents', () => {
  it('formats integer cents with an ordinary space, a comma and €', () => {
    expect(formatEuros(21280)).toBe('212,80 €');
    expect(formatEuros(123456789)).toBe('1 234 567,89 €');
    expect(formatEuros(5)).toBe('0,05 €');
    expect(formatEuros(-1667)).toBe('-16,67 €');
    expect(formatEuros(0)).toBe('0,00 €');
    expect(() => formatEuros(12.5)).toThrow();
    expect(formatEuros(123456789)).not.toMatch(/[\u00a0\u202f]/);
  });

  it('formats dates, rates and quantities', () => {
    expect(formatDateFr('2021-12-09')).toBe('09/12/2021');
    expect(() => formatDateFr('9/12/2021')).toThrow();
    expect(formatRate(2000)).toBe('20 %');
    expect(formatRate(550)).toBe('5,5 %');
    expect(formatRate(210)).toBe('2,1 %');
    expect(formatQuantity(1000)).toBe('1');
    expect(formatQuantity(742)).toBe('0,742');
    expect(formatQuantity(2500)).toBe('2,5');
  });

  it('keeps what the standard fonts can draw and replaces the rest', () => {
    expect(winAnsi('Désignation « été » d’hiver – 40 € œuvre')).toBe('Désignation « été » d’hiver – 40 € œuvre');
    expect(winAnsi('1\u202f234,56\u00a0€')).toBe('1 234,56 €');
    expect(winAnsi('Łódź 東')).toBe('Lódz ?');
  });
});

const sampleInput = (over: Partial<DocumentPdfInput> = {}): DocumentPdfInput => {
  const lines = manualLines.map((l) => ({ ...l, vat_rate_bp: 2000, ...lineAmounts(l.unit_price_ht_cents, l.quantity_milli, 2000) }));
  const t = documentTotals(lines);
  return {
    operator: {
      name: 'Parkings Démo',
      legalForm: 'SAS au capital de 100 000 €',
      headOffice: '10 rue de l’Exemple, 75001 Paris',
      siren: '123456789',
      rcs: 'RCS Paris 123 456 789',
      vatNumber: 'FR32123456789',
      phone: '01 00 00 00 00',
      email: 'service.client@parkings-demo.example',
      website: 'https://www.parkings-demo.example',
    },
    carPark: { name: 'CARDINET', phone: '01.44.82.99.99', email: 'info.commercial@parkings-demo.example' },
    customer: {
      number: 'CLT013261',
      kind: 'individual',
      civility: 'M.',
      lastName: 'DURAND',
      firstName: 'FRANCOIS',
      companyName: null,
      siren: null,
      addressLines: ['1 RUE DE LA PAIX', '75008 PARIS France'],
    },
    document: {
      kind: 'invoice',
      number: '21FV25832',
      issueDate: '2021-12-09',
      periodStart: '2021-12-09',
      periodEnd: '2021-12-31',
      dueDate: '2022-01-08',
      lines,
      totalHtCents: t.total_ht_cents,
      totalVatCents: t.total_vat_cents,
      totalTtcCents: t.total_ttc_cents,
      vatBreakdown: t.byRate,
    },
    contractNumber: '21CTCARD125',
    correctedInvoice: null,
    portalUrl: 'https://monespaceclient.example',
    latePaymentPenalty: 'trois fois le taux d’intérêt légal',
    ...over,
  };
};

describe('renderDocumentPdf', () => {
  it('gives the same bytes for the same input, and other bytes for another', async () => {
    const a = await renderDocumentPdf(sampleInput());
    const b = await renderDocumentPdf(sampleInput());
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    const c = await renderDocumentPdf(sampleInput({ credentials: { number: 'CLT013261', temporaryPassword: 'Demo-7Q4K-9XWT' } }));
    expect(c.equals(a)).toBe(false);
  });

  /** The same document with these lines, its totals computed from them. */
  const withLines = (input: DocumentPdfInput, count: number): DocumentPdfInput => {
    const lines = Array.from({ length: count }, (_, i) => ({
      label: `Sortie n° ${i + 1} du mois, une désignation assez longue pour passer à la ligne dans sa colonne`,
      quantity_milli: 1000,
      unit_price_ht_cents: 100 + i,
      vat_rate_bp: i % 3 === 0 ? 550 : 2000,
      ...lineAmounts(100 + i, 1000, i % 3 === 0 ? 550 : 2000),
    }));
    const t = documentTotals(lines);
    return { ...input, document: { ...input.document, lines, totalHtCents: t.total_ht_cents, totalVatCents: t.total_vat_cents, totalTtcCents: t.total_ttc_cents, vatBreakdown: t.byRate } };
  };
  /** Logos of each kind pdfkit embeds its own way: with an alpha channel, plain RGB, a palette with transparency. */
  const logos = {
    rgba: pngImage({ width: 90, height: 30, colorType: 6, pixel: (x, y) => [11, 79 + x, 138, (x + y) % 2 ? 255 : 0] }),
    rgb: pngImage({ width: 40, height: 20, colorType: 2, pixel: (x, y) => [x * 5, y * 10, 200] }),
    palette: pngImage({ width: 16, height: 16, colorType: 3, pixel: (x, y) => [(x + y) % 3], palette: [200, 16, 46, 11, 79, 138, 255, 255, 255], alpha: [255, 128, 0] }),
  };

  it('gives byte for byte what pdfkit alone gives, the fonts and the logo prepared once for every document', async () => {
    const base = sampleInput();
    const credit: DocumentPdfInput = {
      ...base,
      document: { ...base.document, kind: 'credit_note', number: '21AV00012', dueDate: null },
      correctedInvoice: { number: '21FV25832', issueDate: '2021-12-09' },
    };
    const business: DocumentPdfInput = {
      ...base,
      customer: { ...base.customer, kind: 'business', companyName: 'SARL LES LILAS', siren: '123456789' },
      credentials: { number: 'CLT013261', temporaryPassword: 'Demo-7Q4K-9XWT' },
    };
    const inputs = [
      base,
      credit,
      business,
      withLines(base, 45),
      ...Object.values(logos).map((logo) => ({ ...base, logo })),
      { ...withLines(business, 3), logo: logos.rgba },
      { ...base, logo: Buffer.from('not an image') },
    ];
    const render = async (shared: boolean) => {
      sharedPdfResources.enabled = shared;
      try {
        const out: Buffer[] = [];
        for (const input of inputs) out.push(await renderDocumentPdf(input));
        return out;
      } finally {
        sharedPdfResources.enabled = true;
      }
    };
    const alone = await render(false);
    // Twice: the first time prepares the fonts and logos, the second finds them ready.
    for (const shared of [await render(true), await render(true)]) {
      shared.forEach((pdf, i) => expect(pdf.equals(alone[i] as Buffer), `document ${i}`).toBe(true));
    }
    expect(new Set(alone.map((pdf) => sha256Hex(pdf))).size).toBe(inputs.length - 1); // the unreadable logo is left out
  });

  it('prepares an image once, whatever buffer holds its bytes, and none that pdfkit cannot read', async () => {
    const a = await pdfImage(logos.rgba);
    const b = await pdfImage(Buffer.from(logos.rgba));
    expect(a?.prepared).toBeTruthy();
    expect(b?.prepared).toBe(a?.prepared);
    expect(await pdfImage(Buffer.from('not an image'))).toBeNull();
  });

  withPdftotext('draws the logo with its transparency, as a mask beside the image', async () => {
    for (const logo of [logos.rgba, logos.rgba]) {
      expect(pdfImages(await renderDocumentPdf({ ...sampleInput(), logo }))).toEqual([
        { type: 'image', width: 90, height: 30, color: 'rgb' },
        { type: 'smask', width: 90, height: 30, color: 'gray' },
      ]);
    }
    expect(pdfImages(await renderDocumentPdf({ ...sampleInput(), logo: logos.palette }))).toEqual([
      { type: 'image', width: 16, height: 16, color: 'index' },
      { type: 'smask', width: 16, height: 16, color: 'gray' },
    ]);
  });

  withPdftotext('runs onto further pages with the footer on each', async () => {
    const base = sampleInput();
    const lines = Array.from({ length: 45 }, (_, i) => ({
      label: `Sortie n° ${i + 1} du mois, une désignation assez longue pour passer à la ligne dans sa colonne`,
      quantity_milli: 1000,
      unit_price_ht_cents: 100,
      vat_rate_bp: 2000,
      ...lineAmounts(100, 1000, 2000),
    }));
    const t = documentTotals(lines);
    const text = pdfText(
      await renderDocumentPdf({
        ...base,
        document: { ...base.document, lines, totalHtCents: t.total_ht_cents, totalVatCents: t.total_vat_cents, totalTtcCents: t.total_ttc_cents, vatBreakdown: t.byRate },
      }),
    );
    const pages = Number(/Page 1\/(\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toContain(`Page ${pages}/${pages}`);
    expect(text.match(/N° TVA intracommunautaire : FR32123456789/g)).toHaveLength(pages);
    expect(text.match(/Facture n° 21FV25832 \(suite\) – N° client : CLT013261/g)).toHaveLength(pages - 1);
    expect(text).toContain('Sortie n° 45 du mois');
    expect(text).toMatch(/Total TTC\s+54,00 €/);
  });
});

describe('localContentStore', () => {
  it('stores content-addressed, idempotently, and returns exactly the bytes', async () => {
    const dir = tempDir('docs-');
    const storage = localContentStore(dir);
    const bytes = Buffer.from('%PDF-1.3 une facture');
    const sha = await storage.put(bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(readdirSync(join(dir, sha.slice(0, 2)))).toEqual([`${sha}.pdf`]); // no temporary file left
    expect(await storage.put(Buffer.from(bytes))).toBe(sha);
    expect((await storage.get(sha))?.equals(bytes)).toBe(true);
    expect(await storage.get('0'.repeat(64))).toBeNull();
  });

  it('refuses anything but a SHA-256 before building a path', async () => {
    const storage = localContentStore(tempDir('docs-'));
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), `${'a'.repeat(63)}/`, 'a'.repeat(65), '']) {
      await expect(storage.get(bad)).rejects.toThrow(/SHA-256/);
      await expect(readDocumentPdf(storage, bad)).rejects.toThrow(/SHA-256/);
    }
  });
});

// ------------------------------------------------------------------ with a database

describe.each(databaseKinds())('document PDFs (%s)', (kind) => {
  let t: TestApp;
  let dir: string;
  let storage: ContentStore;

  beforeEach(async () => {
    t = await createTestApp(kind);
    dir = tempDir('portal-docs-');
    storage = localContentStore(dir);
  });
  afterEach(() => t.close());

  const pathOf = (sha: string) => join(dir, sha.slice(0, 2), `${sha}.pdf`);
  const shaOf = async (id: string) =>
    (await t.db.selectFrom('financial_documents').select('pdf_sha256').where('id', '=', id).executeTakeFirstOrThrow()).pdf_sha256;

  async function manualCustomer() {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock, { number: 'CLT013261', last_name: 'DURAND', first_name: 'FRANCOIS' });
    const park = await createCarPark(t.db, t.clock, { code: 'CARD', name: 'CARDINET', phone: '01.44.82.99.99' });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { number: '21CTCARD125' });
    const invoiceId = (await insertDocument(t.db, {
      number: '21FV25832',
      customerId: customer.id,
      contractId: contract.id,
      issueDate: '2021-12-09',
      periodStart: '2021-12-09',
      periodEnd: '2021-12-31',
      dueDate: '2022-01-08',
      lines: manualLines,
      published: false,
    })).id;
    return { customer, tempPassword, park, contract, invoiceId };
  }

  it('publishes the manual’s invoice once, stores exactly the bytes of its SHA-256, and refuses a second time', async () => {
    const m = await manualCustomer();
    const r = await publishDocumentPdf(t.db, storage, t.clock, t.config, m.invoiceId);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const row = await t.db.selectFrom('financial_documents').select(['pdf_sha256', 'published_at']).where('id', '=', m.invoiceId).executeTakeFirstOrThrow();
    expect(row.pdf_sha256).toBe(r.sha256);
    expect(row.published_at).toBe(t.clock.now().toISOString());
    const bytes = await readDocumentPdf(storage, r.sha256);
    expect(sha256Hex(bytes)).toBe(r.sha256);
    expect((await storage.get(r.sha256))?.equals(bytes)).toBe(true);

    // Immutable: a second publication is refused and changes nothing, not even the password.
    await expect(publishDocumentPdf(t.db, storage, t.clock, t.config, m.invoiceId)).rejects.toMatchObject({ name: 'AppError', code: 'document_already_published' });
    expect(await shaOf(m.invoiceId)).toBe(r.sha256);
    expect(await verifyPassword(await tempHash(t.db, m.customer.id), r.temporaryPassword as string)).toBe(true);
  });

  withPdftotext('prints every mention of the manual’s invoice, with a new temporary password that works', async () => {
    const m = await manualCustomer();
    const before = await tempHash(t.db, m.customer.id);
    expect(await verifyPassword(before, m.tempPassword)).toBe(true);

    const r = await publishDocumentPdf(t.db, storage, t.clock, t.config, m.invoiceId);
    expect(r.temporaryPassword).toBeTruthy();
    expect(r.temporaryPassword).not.toBe(m.tempPassword);
    const hash = await tempHash(t.db, m.customer.id);
    expect(await verifyPassword(hash, r.temporaryPassword as string)).toBe(true);
    expect(await verifyPassword(hash, m.tempPassword)).toBe(false);

    const text = pdfText(await readDocumentPdf(storage, r.sha256));
    const f = flat(text);
    // top left, as in the manual
    for (const s of ['Parkings Démo', 'Parc : CARDINET', 'Tél : 01.44.82.99.99', '@ : service.client@parkings-demo.example']) {
      expect(text).toContain(s);
    }
    expect(text).toContain('Votre identifiant web : CLT013261');
    expect(text).toMatch(new RegExp(`Votre mot de passe :\\s+${r.temporaryPassword!.replace(/[-]/g, '\\-')}`));
    expect(text).toContain('Première connexion sur http://localhost:3000/connexion');
    // addressee
    for (const s of ['Monsieur DURAND FRANCOIS', '1 RUE DE LA PAIX', '75008 PARIS France']) expect(text).toContain(s);
    // the document
    for (const s of [
      'Facture n° 21FV25832',
      'Date : 09/12/2021',
      'Période : du 09/12/2021 au 31/12/2021',
      'Contrat n° 21CTCARD125',
      'N° client : CLT013261',
      "Date d'échéance : 08/01/2022",
    ]) {
      expect(text).toContain(s);
    }
    // lines
    expect(text).toMatch(/Désignation\s+Quantité\s+Prix unitaire HT\s+Taux TVA\s+Montant HT/);
    expect(text).toMatch(/Abonnement résident CARDINET du 09\/12.*0,742\s+216,67 €\s+20 %\s+160,77 €/);
    expect(text).toMatch(/Frais de badge\s+1\s+16,56 €\s+20 %\s+16,56 €/);
    // VAT per rate and totals
    expect(text).toMatch(/Taux\s+Base HT\s+TVA/);
    expect(text).toMatch(/20 %\s+177,33 €\s+35,47 €/);
    expect(text).toMatch(/Total HT\s+177,33 €/);
    expect(text).toMatch(/TVA\s+35,47 €/);
    expect(text).toMatch(/Total TTC\s+212,80 €/);
    expect(f).toContain(
      'En cas de retard de paiement, des pénalités sont exigibles au taux de trois fois le taux d’intérêt légal ; aucun escompte pour paiement anticipé.',
    );
    // a consumer: no recovery indemnity, no SIREN of theirs
    expect(text).not.toContain('Indemnité forfaitaire');
    expect(text).not.toContain('40 €');
    expect(text).not.toContain('SIREN client');
    // the seller's legal mentions
    for (const s of [
      'Parkings Démo – SAS au capital de 100 000 € – Siège social : 10 rue de l’Exemple, 75001 Paris',
      'SIREN 123456782 – RCS Paris 123 456 782 – N° TVA intracommunautaire : FR11123456782',
    ]) {
      expect(f).toContain(s);
    }
    expect(text).not.toMatch(/[\u00a0\u202f]/);
  });

  withPdftotext('prints the password it is given (the demo’s) for a customer without an account yet', async () => {
    const c = await createCustomer(t.db, t.clock);
    const park = await createCarPark(t.db, t.clock);
    const ct = await createContract(t.db, t.clock, c.id, park.id);
    const id = (await insertDocument(t.db, { number: '26FV00001', customerId: c.id, contractId: ct.id, issueDate: '2026-11-01', dueDate: '2026-11-10', lines: manualLines, published: false })).id;
    const r = await publishDocumentPdf(t.db, storage, t.clock, t.config, id, { temporaryPassword: 'Demo-7Q4K-9XWT' });
    expect(r.temporaryPassword).toBe('Demo-7Q4K-9XWT');
    const account = await t.db.selectFrom('customer_logins').selectAll().where('customer_id', '=', c.id).executeTakeFirstOrThrow();
    expect(account.state).toBe('not_activated');
    expect(await verifyPassword(account.temp_password_hash as string, 'Demo-7Q4K-9XWT')).toBe(true);
    expect(pdfText(await readDocumentPdf(storage, r.sha256))).toMatch(/Votre mot de passe :\s+Demo-7Q4K-9XWT/);
  });

  withPdftotext('prints the recovery indemnity and the customer’s SIREN for a business, and no credentials once active', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    await t.db
      .updateTable('customers')
      .set({ kind: 'business', company_name: 'ACME LOGISTIQUE', siren: '552100554', civility: 'Mme', last_name: 'MARTIN', first_name: 'CLAIRE' })
      .where('id', '=', customer.id)
      .execute();
    const park = await createCarPark(t.db, t.clock, { name: 'WAGRAM', phone: '01.40.00.00.00' });
    const ct = await createContract(t.db, t.clock, customer.id, park.id, { number: '22CTWAGR007', product: 'business' });
    const id = (await insertDocument(t.db, {
      number: '22FV00042',
      customerId: customer.id,
      contractId: ct.id,
      issueDate: '2022-01-01',
      periodStart: '2022-01-01',
      periodEnd: '2022-01-31',
      dueDate: '2022-01-10',
      lines: [
        { label: 'Abonnement entreprise WAGRAM — janvier 2022 (2 places)', quantity_milli: 2000, unit_price_ht_cents: 25000 },
        { label: 'Prestation à 10 %', quantity_milli: 1000, unit_price_ht_cents: 1000, vat_rate_bp: 1000 },
      ],
      published: false,
    })).id;
    const r = await publishDocumentPdf(t.db, storage, t.clock, t.config, id, { temporaryPassword: 'ignored-for-active' });
    expect(r.temporaryPassword).toBeNull();
    expect(await tempHash(t.db, customer.id)).toBeNull();

    const text = pdfText(await readDocumentPdf(storage, r.sha256));
    for (const s of ['ACME LOGISTIQUE', 'À l’attention de Madame MARTIN CLAIRE', 'SIREN client : 552100554', 'Parc : WAGRAM', 'Facture n° 22FV00042']) {
      expect(text).toContain(s);
    }
    expect(flat(text)).toContain('Indemnité forfaitaire pour frais de recouvrement : 40 €');
    expect(text).toMatch(/Abonnement entreprise WAGRAM —[^\n]*\s+2\s+250,00 €\s+20 %\s+500,00 €/);
    expect(text).toMatch(wrapped('Abonnement entreprise WAGRAM — janvier 2022 (2 places)'));
    expect(text).toMatch(/10 %\s+10,00 €\s+1,00 €/);
    expect(text).toMatch(/20 %\s+500,00 €\s+100,00 €/);
    expect(text).toMatch(/Total HT\s+510,00 €/);
    expect(text).toMatch(/Total TTC\s+611,00 €/);
    expect(text).not.toContain('Votre mot de passe');
    expect(text).not.toContain('Votre identifiant web');
    expect(text).not.toContain('ignored-for-active');
  });

  withPdftotext('prints a credit note naming the invoice it corrects, without credentials or due date', async () => {
    const m = await manualCustomer();
    const invoice = await publishDocumentPdf(t.db, storage, t.clock, t.config, m.invoiceId);
    const creditId = (await insertDocument(t.db, {
      kind: 'credit_note',
      number: '21AV00012',
      customerId: m.customer.id,
      contractId: m.contract.id,
      corrects: m.invoiceId,
      issueDate: '2021-12-20',
      periodStart: '2021-12-09',
      periodEnd: '2021-12-31',
      lines: [{ label: 'Geste commercial « travaux » : fermeture d’un niveau (5 jours)', quantity_milli: 1000, unit_price_ht_cents: 3611 }],
      published: false,
    })).id;
    const r = await publishDocumentPdf(t.db, storage, t.clock, t.config, creditId);
    expect(r.temporaryPassword).toBeNull();
    // the invoice's password still works: a credit note issues none
    expect(await verifyPassword(await tempHash(t.db, m.customer.id), invoice.temporaryPassword as string)).toBe(true);

    const text = pdfText(await readDocumentPdf(storage, r.sha256));
    expect(text).toContain('Avoir n° 21AV00012');
    expect(text).toContain('Avoir sur la facture n° 21FV25832 du 09/12/2021');
    expect(text).toContain('Date : 20/12/2021');
    expect(text).toMatch(/Geste commercial « travaux » :[^\n]*\s+1\s+36,11 €\s+20 %\s+36,11 €/);
    expect(text).toMatch(wrapped('Geste commercial « travaux » : fermeture d’un niveau (5 jours)'));
    expect(text).toMatch(/Total TTC\s+43,33 €/);
    expect(text).not.toContain('Votre mot de passe');
    expect(text).not.toContain("Date d'échéance");
    expect(text).not.toContain('Facture n°');
  });

  it('detects a stored PDF that was altered or lost', async () => {
    const m = await manualCustomer();
    const r = await publishDocumentPdf(t.db, storage, t.clock, t.config, m.invoiceId);
    const original = await readDocumentPdf(storage, r.sha256);
    const tampered = Buffer.from(original);
    tampered.write('Total TTC 0,01', tampered.length - 200, 'latin1');
    writeFileSync(pathOf(r.sha256), tampered);
    await expect(readDocumentPdf(storage, r.sha256)).rejects.toMatchObject({ name: 'AppError', code: 'document_pdf_corrupted' });
    // storing the true bytes again repairs it
    expect(await storage.put(original)).toBe(r.sha256);
    expect((await readDocumentPdf(storage, r.sha256)).equals(original)).toBe(true);
    rmSync(pathOf(r.sha256));
    await expect(readDocumentPdf(storage, r.sha256)).rejects.toMatchObject({ name: 'AppError', code: 'document_pdf_missing' });
  });

  it('lets only one of two concurrent publications through', async () => {
    const m = await manualCustomer();
    const results = await Promise.allSettled([
      publishDocumentPdf(t.db, storage, t.clock, t.config, m.invoiceId),
      publishDocumentPdf(t.db, storage, t.clock, t.config, m.invoiceId),
    ]);
    const ok = results.filter((x) => x.status === 'fulfilled');
    const refused = results.filter((x) => x.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ name: 'AppError', code: 'document_already_published' });
    const winner = (ok[0] as PromiseFulfilledResult<{ sha256: string; temporaryPassword: string | null }>).value;
    expect(await shaOf(m.invoiceId)).toBe(winner.sha256);
    // the password on the stored invoice is the one that works
    expect(await verifyPassword(await tempHash(t.db, m.customer.id), winner.temporaryPassword as string)).toBe(true);
  });

  it('reports its progress after each document: how many handled, out of all pending', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const park = await createCarPark(t.db, t.clock);
    const ct = await createContract(t.db, t.clock, customer.id, park.id);
    const line = [{ label: 'Abonnement résident', quantity_milli: 1000, unit_price_ht_cents: 21667 }];
    const months = ['01', '02', '03', '04', '05'];
    const ids = [];
    for (const [i, m] of months.entries()) {
      ids.push((await insertDocument(t.db, { number: `26FV1000${i}`, customerId: customer.id, contractId: ct.id, issueDate: `2026-${m}-01`, dueDate: `2026-${m}-10`, lines: line, published: false })).id);
    }
    await publishDocumentPdf(t.db, storage, t.clock, t.config, ids[0]!); // already published: not pending
    await t.db.updateTable('financial_documents').set({ total_ttc_cents: 1 }).where('id', '=', ids[4]!).execute(); // fails, counted

    const seen: PublishProgress[] = [];
    const r = await publishPendingPdfs(t.db, storage, t.clock, t.config, { chunkSize: 3, onProgress: (p) => seen.push(p) });
    expect(r.published).toBe(3);
    expect(r.failed).toHaveLength(1);
    expect(seen).toEqual([1, 2, 3, 4].map((done) => ({ done, total: 4 })));

    const again: PublishProgress[] = [];
    await publishPendingPdfs(t.db, storage, t.clock, t.config, { onProgress: (p) => again.push(p) });
    expect(again).toEqual([{ done: 1, total: 1 }]); // the one that failed, tried again
  });

  withPdftotext('publishes every pending document in issue-date order; only the latest invoice carries a password, the valid one', async () => {
    const { customer } = await newSubscriber(t.db, t.clock);
    const active = await activeSubscriber(t.db, t.clock);
    const park = await createCarPark(t.db, t.clock);
    const ct = await createContract(t.db, t.clock, customer.id, park.id);
    const ct2 = await createContract(t.db, t.clock, active.customer.id, park.id);
    const line = [{ label: 'Abonnement résident', quantity_milli: 1000, unit_price_ht_cents: 21667 }];
    // inserted out of order on purpose
    const feb = (await insertDocument(t.db, { number: '26FV00003', customerId: customer.id, contractId: ct.id, issueDate: '2026-02-01', dueDate: '2026-02-10', lines: line, published: false })).id;
    const jan = (await insertDocument(t.db, { number: '26FV00001', customerId: customer.id, contractId: ct.id, issueDate: '2026-01-01', dueDate: '2026-01-10', lines: line, published: false })).id;
    const other = (await insertDocument(t.db, { number: '26FV00002', customerId: active.customer.id, contractId: ct2.id, issueDate: '2026-01-01', dueDate: '2026-01-10', lines: line, published: false })).id;
    const broken = (await insertDocument(t.db, { number: '26FV00004', customerId: active.customer.id, contractId: ct2.id, issueDate: '2026-03-01', lines: line, published: false })).id;
    await t.db.updateTable('financial_documents').set({ total_ttc_cents: 1 }).where('id', '=', broken).execute();

    const r = await publishPendingPdfs(t.db, storage, t.clock, t.config, { chunkSize: 2 });
    expect(r.published).toBe(3);
    expect(r.credentialsIssued).toBe(1);
    expect(r.failed).toEqual([{ documentId: broken, number: '26FV00004', error: expect.stringMatching(/totals/) }]);
    expect(await shaOf(broken)).toBeNull();

    const passwordOn = async (id: string) => {
      const text = pdfText(await readDocumentPdf(storage, (await shaOf(id)) as string));
      return /Votre mot de passe :\s+(\S+)/.exec(text)?.[1] ?? null;
    };
    const hash = await tempHash(t.db, customer.id);
    const janPassword = await passwordOn(jan);
    const febPassword = await passwordOn(feb);
    // An older invoice of a catch-up batch prints no password: it would be superseded at once.
    expect(janPassword).toBeNull();
    expect(febPassword).toBeTruthy();
    expect(await verifyPassword(hash, febPassword as string)).toBe(true);
    expect(await passwordOn(other)).toBeNull();

    const again = await publishPendingPdfs(t.db, storage, t.clock, t.config);
    expect(again.published).toBe(0);
    expect(again.failed).toHaveLength(1);
  });
});
