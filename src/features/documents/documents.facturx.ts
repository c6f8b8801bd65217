import type { Invoice } from '@e-invoice-eu/core';
import type { PDFDict, PDFDocument } from 'pdf-lib';
import { translator } from '../../lib/i18n.ts';
import { type DocumentPdfInput, renderDocumentPdf } from './documents.pdf.ts';

/*
 * Factur-X (decision 017): the invoice or credit note of a business customer (one with a SIREN)
 * is a PDF/A-3 carrying its structured data as `factur-x.xml`, profile EN 16931. The page is the
 * one `documents.pdf.ts` draws (with the e-invoice's mentions); the XML (UN/CEFACT CII D16B) and
 * the PDF/A-3 embedding (XMP metadata, output intent, the attachment and its relationship) are
 * made by `@e-invoice-eu/core`, which first validates the invoice's data against its own JSON
 * schema of EN 16931 — written here in its input format (UBL's names), never as XML by hand.
 *
 * The library stamps the time of making into the file's metadata: a Factur-X is not the same
 * bytes twice, unlike a plain PDF. It is rendered once at publication and stored by its hash
 * (decision 008), so what the customer downloads and what the ERP fetches are the same file.
 */

const t = translator('fr');

/** An address as the e-invoice states it. */
export interface EInvoiceAddress {
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
}

/** What a Factur-X states beyond the page of a plain PDF. */
export interface EInvoiceFacts {
  operatorAddress: EInvoiceAddress;
  /** The operator opted to pay VAT on debits (`operator_settings.vat_on_debits`). */
  vatOnDebits: boolean;
  customerVatNumber: string | null;
  customerAddress: EInvoiceAddress;
  /** The customer's billing e-mail, else its primary address; null: none. */
  customerEmail: string | null;
  /** The contract's purchase-order reference. */
  purchaseOrder: string | null;
  /** The place of the service — the car park — when it is not the customer's address. */
  serviceAddress: (EInvoiceAddress & { name: string }) | null;
}

/** The file name Factur-X gives its XML. */
export const FACTUR_X_XML = 'factur-x.xml';

/** `12.34` from cents: the XML's amounts, without floating point. */
export function decimalAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`Amount is not an integer number of cents: ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** `1.5` from thousandths. */
function decimalQuantity(milli: number): string {
  const abs = Math.abs(milli);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${milli < 0 ? '-' : ''}${Math.trunc(abs / 1000)}${frac ? `.${frac}` : ''}`;
}

/** `20`, `5.5` from basis points. */
function decimalRate(bp: number): string {
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return `${Math.trunc(bp / 100)}${frac ? `.${frac}` : ''}`;
}

const COUNTRIES: Record<string, string> = {
  france: 'FR',
  belgique: 'BE',
  luxembourg: 'LU',
  allemagne: 'DE',
  suisse: 'CH',
  espagne: 'ES',
  italie: 'IT',
  monaco: 'MC',
  'pays-bas': 'NL',
  'royaume-uni': 'GB',
};

/** The ISO code of a country as the customer's address writes it (`France`, `FR`); France when not known. */
export function countryCode(country: string): string {
  const c = country.trim();
  if (/^[A-Za-z]{2}$/.test(c)) return c.toUpperCase();
  const key = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, '-');
  return COUNTRIES[key] ?? 'FR';
}

/**
 * The operator's address as its settings write it on one line (`10 rue de l’Exemple, 75001 Paris`):
 * the street, then the postal code and city after the last comma.
 */
export function splitOneLineAddress(address: string): EInvoiceAddress {
  const m = /^(.*),\s*(\d{5})\s+(.+)$/.exec(address.trim());
  if (!m) return { line1: address.trim(), line2: null, postalCode: '', city: '', countryCode: 'FR' };
  return { line1: (m[1] as string).trim(), line2: null, postalCode: m[2] as string, city: (m[3] as string).trim(), countryCode: 'FR' };
}

const sameAddress = (a: EInvoiceAddress, b: EInvoiceAddress) => {
  const n = (s: string | null) => (s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return n(a.line1) === n(b.line1) && a.postalCode === b.postalCode && n(a.city) === n(b.city);
};

/** The car park as the place of the service, unless it is the customer's own address. */
export function serviceAddressOf(park: (EInvoiceAddress & { name: string }) | null, customer: EInvoiceAddress): EInvoiceFacts['serviceAddress'] {
  return park && !sameAddress(park, customer) ? park : null;
}

function postal(a: EInvoiceAddress) {
  return {
    'cbc:StreetName': a.line1,
    ...(a.line2 ? { 'cbc:AdditionalStreetName': a.line2 } : {}),
    ...(a.city ? { 'cbc:CityName': a.city } : {}),
    ...(a.postalCode ? { 'cbc:PostalZone': a.postalCode } : {}),
    'cac:Country': { 'cbc:IdentificationCode': a.countryCode },
  } as const;
}

/** The notes every Factur-X carries: the category of operation, VAT on debits, payment terms and penalties. */
export function eInvoiceNotes(input: DocumentPdfInput, facts: EInvoiceFacts): string[] {
  const notes = [t('documents.pdf.einvoice.category')];
  const corrected = input.correctedInvoice;
  if (input.document.kind === 'credit_note' && corrected) {
    notes.push(t('documents.pdf.corrects', { number: corrected.number, date: corrected.issueDate.split('-').reverse().join('/') }));
  }
  if (facts.vatOnDebits) notes.push(t('documents.pdf.einvoice.vatOnDebits'));
  if (input.document.kind === 'invoice') {
    notes.push(t('documents.pdf.penalties', { penalty: input.latePaymentPenalty }));
    notes.push(t('documents.pdf.indemnity'));
  }
  return notes;
}

/** The payment terms (BT-20): the due date, penalties and the fixed indemnity — or a credit note's settlement. */
function paymentTerms(input: DocumentPdfInput): string {
  const d = input.document;
  if (d.kind === 'credit_note') return t('documents.pdf.creditNote');
  const due = d.dueDate ? `${t('documents.pdf.due', { date: d.dueDate.split('-').reverse().join('/') })}. ` : '';
  return `${due}${t('documents.pdf.penalties', { penalty: input.latePaymentPenalty })} ${t('documents.pdf.indemnity')}`;
}

/** The invoice's data in the library's input format (EN 16931's business terms under UBL's names). */
export function eInvoiceData(input: DocumentPdfInput, facts: EInvoiceFacts): Invoice {
  const d = input.document;
  const c = input.customer;
  if (!c.siren) throw new Error(`Customer ${c.number} has no SIREN: no Factur-X`);
  const eur = 'EUR' as const;
  const lines = d.lines.map((l, i) => {
    // EN 16931 (BR-27): a price is never negative; a discount line is a negative quantity.
    const negative = l.unit_price_ht_cents < 0;
    return {
      'cbc:ID': String(i + 1),
      'cbc:InvoicedQuantity': decimalQuantity(negative ? -l.quantity_milli : l.quantity_milli),
      'cbc:InvoicedQuantity@unitCode': 'C62',
      'cbc:LineExtensionAmount': decimalAmount(l.total_ht_cents),
      'cbc:LineExtensionAmount@currencyID': eur,
      'cac:Item': {
        'cbc:Name': l.label,
        'cac:ClassifiedTaxCategory': {
          'cbc:ID': l.vat_rate_bp === 0 ? 'E' : 'S',
          'cbc:Percent': decimalRate(l.vat_rate_bp),
          'cac:TaxScheme': { 'cbc:ID': 'VAT' },
        },
      },
      'cac:Price': { 'cbc:PriceAmount': decimalAmount(Math.abs(l.unit_price_ht_cents)), 'cbc:PriceAmount@currencyID': eur },
    };
  });
  const data = {
    'ubl:Invoice': {
      'cbc:ID': d.number,
      'cbc:IssueDate': d.issueDate,
      ...(d.kind === 'invoice' && d.dueDate ? { 'cbc:DueDate': d.dueDate } : {}),
      // 380 commercial invoice, 381 credit note.
      'cbc:InvoiceTypeCode': d.kind === 'invoice' ? '380' : '381',
      // One note (BT-22): the library writes the notes of a list as several contents of one note.
      'cbc:Note': [eInvoiceNotes(input, facts).join('\n')],
      'cbc:DocumentCurrencyCode': eur,
      // BT-10. @e-invoice-eu/core 2.3 writes the purchase order (BT-13, below) only in the
      // EXTENDED profile and the preceding invoice (BT-25) nowhere in CII: the purchase order is
      // stated here too, the corrected invoice in the note (both kept below for a fixed version).
      'cbc:BuyerReference': facts.purchaseOrder ?? c.number,
      ...(d.periodStart || d.periodEnd
        ? { 'cac:InvoicePeriod': { ...(d.periodStart ? { 'cbc:StartDate': d.periodStart } : {}), ...(d.periodEnd ? { 'cbc:EndDate': d.periodEnd } : {}) } }
        : {}),
      ...(facts.purchaseOrder ? { 'cac:OrderReference': { 'cbc:ID': facts.purchaseOrder } } : {}),
      ...(input.correctedInvoice
        ? { 'cac:BillingReference': [{ 'cac:InvoiceDocumentReference': { 'cbc:ID': input.correctedInvoice.number, 'cbc:IssueDate': input.correctedInvoice.issueDate } }] }
        : {}),
      ...(input.contractNumber ? { 'cac:ContractDocumentReference': { 'cbc:ID': input.contractNumber } } : {}),
      'cac:AccountingSupplierParty': {
        'cac:Party': {
          // The electronic address: the SIREN (EAS 0002, SIRENE).
          'cbc:EndpointID': input.operator.siren,
          'cbc:EndpointID@schemeID': '0002',
          'cac:PostalAddress': postal(facts.operatorAddress),
          'cac:PartyTaxScheme': [{ 'cbc:CompanyID': input.operator.vatNumber, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }],
          'cac:PartyLegalEntity': {
            'cbc:RegistrationName': input.operator.name,
            'cbc:CompanyID': input.operator.siren,
            'cbc:CompanyID@schemeID': '0002',
            'cbc:CompanyLegalForm': input.operator.legalForm,
          },
          'cac:Contact': { 'cbc:Telephone': input.operator.phone, 'cbc:ElectronicMail': input.operator.email },
        },
      },
      'cac:AccountingCustomerParty': {
        'cac:Party': {
          'cbc:EndpointID': c.siren,
          'cbc:EndpointID@schemeID': '0002',
          'cac:PartyIdentification': { 'cbc:ID': c.number },
          'cac:PostalAddress': postal(facts.customerAddress),
          ...(facts.customerVatNumber ? { 'cac:PartyTaxScheme': { 'cbc:CompanyID': facts.customerVatNumber, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } } : {}),
          'cac:PartyLegalEntity': { 'cbc:RegistrationName': c.companyName ?? c.lastName, 'cbc:CompanyID': c.siren, 'cbc:CompanyID@schemeID': '0002' },
          ...(facts.customerEmail ? { 'cac:Contact': { 'cbc:ElectronicMail': facts.customerEmail } } : {}),
        },
      },
      ...(facts.serviceAddress
        ? {
            'cac:Delivery': {
              'cac:DeliveryLocation': { 'cac:Address': postal(facts.serviceAddress) },
              'cac:DeliveryParty': { 'cac:PartyName': { 'cbc:Name': facts.serviceAddress.name } },
            },
          }
        : {}),
      'cac:PaymentTerms': { 'cbc:Note': paymentTerms(input) },
      'cac:TaxTotal': [
        {
          'cbc:TaxAmount': decimalAmount(d.totalVatCents),
          'cbc:TaxAmount@currencyID': eur,
          'cac:TaxSubtotal': d.vatBreakdown.map((r) => ({
            'cbc:TaxableAmount': decimalAmount(r.ht_cents),
            'cbc:TaxableAmount@currencyID': eur,
            'cbc:TaxAmount': decimalAmount(r.vat_cents),
            'cbc:TaxAmount@currencyID': eur,
            'cac:TaxCategory': {
              'cbc:ID': r.rate_bp === 0 ? 'E' : 'S',
              'cbc:Percent': decimalRate(r.rate_bp),
              ...(r.rate_bp === 0 ? { 'cbc:TaxExemptionReason': t('documents.pdf.einvoice.exempt') } : {}),
              'cac:TaxScheme': { 'cbc:ID': 'VAT' },
            },
          })),
        },
      ],
      'cac:LegalMonetaryTotal': {
        'cbc:LineExtensionAmount': decimalAmount(d.totalHtCents),
        'cbc:LineExtensionAmount@currencyID': eur,
        'cbc:TaxExclusiveAmount': decimalAmount(d.totalHtCents),
        'cbc:TaxExclusiveAmount@currencyID': eur,
        'cbc:TaxInclusiveAmount': decimalAmount(d.totalTtcCents),
        'cbc:TaxInclusiveAmount@currencyID': eur,
        'cbc:PayableAmount': decimalAmount(d.totalTtcCents),
        'cbc:PayableAmount@currencyID': eur,
      },
      'cac:InvoiceLine': lines,
    },
  };
  return data as unknown as Invoice;
}

type EInvoiceLib = typeof import('@e-invoice-eu/core');
let libLoaded: EInvoiceLib | undefined;
/** The library and what it brings (ajv, its schemas, pdf-lib), loaded by the first Factur-X made. */
const eInvoiceLib = async (): Promise<EInvoiceLib> => (libLoaded ??= await import('@e-invoice-eu/core'));

/** Its messages go nowhere but errors: a refusal is thrown, with what is wrong. */
const quiet = { log() {}, warn() {}, error() {} };

/**
 * The Factur-X (EN 16931) of a document: the page drawn as for a plain PDF, with the
 * e-invoice's mentions, then made PDF/A-3 with `factur-x.xml` by the library, which refuses
 * data its schema does not accept (a thrown `ValidationError`).
 */
export async function renderFacturX(input: DocumentPdfInput & { eInvoice: EInvoiceFacts }): Promise<Buffer> {
  // PDF/A-3: the page carries its fonts.
  const page = await renderDocumentPdf(input, 'embedded');
  const maker = await facturXMaker();
  const out = await maker.generate(eInvoiceData(input, input.eInvoice), {
    format: FACTUR_X,
    lang: 'fr-fr',
    pdf: { buffer: page, filename: `${input.document.number}.pdf`, mimetype: 'application/pdf' },
    noWarnings: true,
  });
  if (typeof out === 'string') throw new Error('Factur-X: the library answered XML, not a PDF');
  return Buffer.from(out);
}

const FACTUR_X = 'Factur-X-EN16931';
type Generate = (invoice: Invoice, options: Parameters<InstanceType<EInvoiceLib['InvoiceService']>['generate']>[1]) => Promise<string | Uint8Array>;
let makerLoaded: { generate: Generate } | undefined;

/**
 * The library's `InvoiceService.generate`, with its schema compiled once per process: the
 * service compiles the whole EN 16931 JSON schema with ajv on every call (about 150 ms). The
 * same steps, through the library's own exports: the format's patch of the schema, ajv as the
 * library configures it, its validation (a refusal thrown), its defaults, its generator.
 */
async function facturXMaker(): Promise<{ generate: Generate }> {
  if (makerLoaded) return makerLoaded;
  const lib = await eInvoiceLib();
  const { Ajv2019 } = await import('ajv/dist/2019.js');
  const factory = new lib.FormatFactoryService();
  const schema = structuredClone(lib.invoiceSchema);
  factory.createFormatService(FACTUR_X, quiet).patchSchema(schema);
  const validator = new Ajv2019({ strict: true, allErrors: true, useDefaults: true }).compile(schema);
  const validation = new lib.ValidationService(quiet);
  makerLoaded = {
    async generate(data, options) {
      const formatter = factory.createFormatService(FACTUR_X, quiet);
      const invoice = validation.validate('invoice data', validator, structuredClone(data)) as Invoice;
      formatter.fillInvoiceDefaults(invoice);
      return formatter.generate(invoice, { ...options, format: factory.normalizeFormat(FACTUR_X) });
    },
  };
  return makerLoaded;
}

/** The names of the files a PDF embeds (its `EmbeddedFiles` name tree); none when it cannot be read. */
export async function embeddedFileNames(bytes: Uint8Array): Promise<string[]> {
  // Loaded by the first upload looked at: a page-serving process never needs it.
  const { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } = await import('pdf-lib');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return [];
  }
  const names: string[] = [];
  const text = (o: unknown) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : null);
  const walk = (node: PDFDict | undefined, depth: number) => {
    if (!node || depth > 32) return;
    const pairs = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (pairs) for (let i = 0; i + 1 < pairs.size(); i += 2) {
      const name = text(pairs.lookup(i));
      if (name !== null) names.push(name);
    }
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i++) walk(kids.lookupMaybe(i, PDFDict), depth + 1);
  };
  try {
    const catalogNames = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
    walk(catalogNames?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict), 0);
  } catch {
    return names;
  }
  return names;
}

/** Whether a PDF is a Factur-X: it embeds a `factur-x.xml`. */
export async function isFacturX(bytes: Uint8Array): Promise<boolean> {
  return (await embeddedFileNames(bytes)).some((n) => n.toLowerCase() === FACTUR_X_XML);
}
