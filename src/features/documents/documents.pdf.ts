import type { CustomerKind, DocumentKind } from '../../db/schema.ts';
import { translator } from '../../lib/i18n.ts';
import {
  A4,
  BOLD,
  LEFT,
  LIGHT,
  MONO,
  type PdfDoc,
  REGULAR,
  RIGHT,
  RULE,
  WIDTH,
  drawFooters as drawFooterLines,
  drawImage,
  type PdfImage,
  paragraph,
  pdfImage,
  paragraphHeight,
  put,
  renderPdf,
  winAnsi,
} from '../../lib/pdf.ts';
import type { EInvoiceFacts } from './documents.facturx.ts';
import type { DocumentLine } from './documents.rules.ts';

/*
 * The PDF of an invoice or a credit note, in French, with the mentions French law requires
 * (docs: shared domain.md, "Invoices and credit notes"). Rendered once at issue and stored
 * content-addressed, so the same input must give the same bytes (`lib/pdf.ts`): the PDF's
 * creation date is the issue date. Its words are the French catalogue's (`documents.pdf.*`).
 */

const t = translator('fr');

/** A line as the PDF prints it: the document's line (quantity in thousandths: 1000 = 1). */
export type DocumentPdfLine = DocumentLine;

/** The customer as a printed document or letter addresses them. */
export interface PrintedCustomer {
  number: string;
  kind: CustomerKind;
  civility: string | null;
  lastName: string;
  firstName: string | null;
  companyName: string | null;
  /** Street lines, then `postal code city country`, as printed. */
  addressLines: string[];
}

export interface DocumentPdfInput {
  operator: {
    name: string;
    /** Legal form and share capital, e.g. `SAS au capital de 100 000 €`. */
    legalForm: string;
    headOffice: string;
    siren: string;
    /** e.g. `RCS Paris 123 456 789`. */
    rcs: string;
    vatNumber: string;
    phone: string;
    email: string;
    website: string;
  };
  /** The car park of the contract; null for a document without a contract. */
  carPark: { name: string; phone: string; email: string | null } | null;
  customer: PrintedCustomer & { siren: string | null };
  document: {
    kind: DocumentKind;
    number: string;
    /** `YYYY-MM-DD`. */
    issueDate: string;
    periodStart: string | null;
    periodEnd: string | null;
    dueDate: string | null;
    lines: DocumentPdfLine[];
    totalHtCents: number;
    totalVatCents: number;
    totalTtcCents: number;
    /** VAT per rate, from `documentTotals`. */
    vatBreakdown: { rate_bp: number; ht_cents: number; vat_cents: number }[];
  };
  contractNumber: string | null;
  /** For a credit note: the invoice it corrects. */
  correctedInvoice: { number: string; issueDate: string } | null;
  /** Printed (boxed, top left) only when given: the login of a customer not yet activated. */
  credentials?: { number: string; temporaryPassword: string };
  /** The portal's public address, e.g. `https://monespaceclient.example`. */
  portalUrl: string;
  /** e.g. `trois fois le taux d’intérêt légal`. */
  latePaymentPenalty: string;
  /** The operator's logo (PNG or JPEG), top right; none: the name alone. */
  logo?: Buffer | null;
  /** A business customer's Factur-X (`documents.facturx.ts`): its mentions, printed too. Never given for a plain PDF. */
  eInvoice?: EInvoiceFacts;
}

// ---------------------------------------------------------------- French formatting

/** `1 234,56 €` from integer cents, with ordinary spaces (never U+202F), no floating point. */
export function formatEuros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`Amount is not an integer number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${units},${String(abs % 100).padStart(2, '0')} €`;
}

/** `09/12/2021` from `2021-12-09`. */
export function formatDateFr(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`Not a YYYY-MM-DD date: ${isoDate}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** `20 %`, `5,5 %` from basis points. */
export function formatRate(bp: number): string {
  return `${decimalFr(bp, 100)} %`;
}

/** `1`, `0,742`, `2,5` from thousandths. */
export function formatQuantity(milli: number): string {
  return decimalFr(milli, 1000);
}

function decimalFr(value: number, scale: 100 | 1000): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Not an integer: ${value}`);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const whole = Math.trunc(abs / scale);
  const frac = String(abs % scale)
    .padStart(scale === 100 ? 2 : 3, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${frac ? `,${frac}` : ''}`;
}

const CIVILITIES: Record<string, string> = {
  'M.': t('documents.pdf.civility.mr'),
  M: t('documents.pdf.civility.mr'),
  Mme: t('documents.pdf.civility.mrs'),
  'Mme.': t('documents.pdf.civility.mrs'),
};

/** `Monsieur DURAND FRANCOIS`. */
export function personName(c: Pick<DocumentPdfInput['customer'], 'civility' | 'lastName' | 'firstName'>): string {
  const civility = c.civility ? (CIVILITIES[c.civility.trim()] ?? c.civility.trim()) : null;
  return [civility, c.lastName, c.firstName].filter(Boolean).join(' ');
}

// ---------------------------------------------------------------- layout

/** Body content stops here; the footer lives below. */
const BODY_BOTTOM = A4.height - 95;
const FOOTER_TOP = A4.height - 78;
/** Left edge of the addressee block (window envelope). */
const ADDRESS_X = 325;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

const LINE_COLUMNS: Column[] = [
  { title: t('documents.pdf.col.label'), width: WIDTH - 270, align: 'left' },
  { title: t('documents.pdf.col.quantity'), width: 52, align: 'right' },
  { title: t('documents.pdf.col.unitPrice'), width: 80, align: 'right' },
  { title: t('documents.pdf.col.vatRate'), width: 55, align: 'right' },
  { title: t('documents.pdf.col.amount'), width: 83, align: 'right' },
];
const CELL_PAD = 4;

// ---------------------------------------------------------------- rendering

/** Renders the document; the same input gives the same bytes. A Factur-X's page embeds its fonts (PDF/A). */
export async function renderDocumentPdf(input: DocumentPdfInput, fonts: 'standard' | 'embedded' = 'standard'): Promise<Buffer> {
  const d = input.document;
  const isInvoice = d.kind === 'invoice';
  const title = t(isInvoice ? 'documents.pdf.title.invoice' : 'documents.pdf.title.credit_note', { number: d.number });
  const issuedAt = new Date(`${d.issueDate}T00:00:00.000Z`);
  if (Number.isNaN(issuedAt.getTime())) throw new Error(`Invalid issue date: ${d.issueDate}`);
  const meta = { title, subject: t('documents.pdf.subject', { title, number: input.customer.number }), author: input.operator.name, lang: 'fr' as const, createdAt: issuedAt, fonts };
  const logo = input.logo ? await pdfImage(input.logo) : null;
  return renderPdf(meta, (doc) => {
    // Further pages start with the document's title, so that each page says what it belongs to.
    const newPage = () => {
      doc.addPage();
      return put(doc, t('documents.pdf.continued', { title, number: input.customer.number }), LEFT, 45, { font: BOLD, size: 10 }) + 10;
    };
    let y = drawHeader(doc, input, title, logo);
    y = drawLines(doc, input, y + 14, newPage);
    y = drawTotals(doc, input, y + 14, newPage);
    drawTerms(doc, input, y + 16, newPage);
    drawFooters(doc, input);
  });
}

/** Top left: operator, car park, credentials; top right: the addressee; then the title block. */
function drawHeader(doc: PdfDoc, input: DocumentPdfInput, title: string, logo: PdfImage | null): number {
  const { operator, carPark, customer, document: d } = input;

  // Above the addressee's window; an image pdfkit cannot read is left out, never a reason not to publish.
  if (logo) drawImage(doc, logo, RIGHT - 150, 40, { fit: [150, 60], align: 'right' });
  let y = 45;
  y = put(doc, operator.name, LEFT, y, { font: BOLD, size: 14 });
  y += 2;
  if (carPark) y = put(doc, t('documents.pdf.carPark', { name: carPark.name }), LEFT, y, { font: BOLD, size: 10 });
  y = put(doc, t('documents.pdf.phone', { phone: carPark?.phone || operator.phone }), LEFT, y);
  y = put(doc, t('documents.pdf.email', { email: carPark?.email || operator.email }), LEFT, y);

  if (input.credentials) {
    // Boxed, as on the manual's invoice: the customer number and the temporary password
    // (in Courier, where 0/O and 1/l/I differ), and where to use them.
    const inner = LEFT + 8;
    const maxBox = ADDRESS_X - 15 - LEFT;
    const idLabel = t('documents.pdf.login');
    const pwLabel = t('documents.pdf.password');
    const url = t('documents.pdf.firstLogin', { url: `${input.portalUrl.replace(/\/+$/, '')}/connexion` });
    const idLabelW = doc.font(BOLD).fontSize(10).widthOfString(idLabel);
    const pwLabelW = doc.font(BOLD).fontSize(10).widthOfString(pwLabel);
    const idW = idLabelW + doc.font(BOLD).fontSize(10).widthOfString(winAnsi(input.credentials.number));
    const pwW = pwLabelW + doc.font(MONO).fontSize(11.5).widthOfString(winAnsi(input.credentials.temporaryPassword));
    let urlSize = 8.5;
    while (urlSize > 6 && doc.font(REGULAR).fontSize(urlSize).widthOfString(winAnsi(url)) > maxBox - 16) urlSize -= 0.5;
    const urlW = doc.font(REGULAR).fontSize(urlSize).widthOfString(winAnsi(url));
    const boxWidth = Math.min(maxBox, Math.max(idW, pwW, urlW) + 16);

    y += 10;
    const boxTop = y;
    y += 7;
    put(doc, idLabel, inner, y, { font: BOLD, size: 10 });
    y = put(doc, input.credentials.number, inner + idLabelW, y, { font: BOLD, size: 10 });
    y += 2;
    put(doc, pwLabel, inner, y + 0.5, { font: BOLD, size: 10 });
    y = put(doc, input.credentials.temporaryPassword, inner + pwLabelW, y, { font: MONO, size: 11.5 });
    y += 3;
    y = put(doc, url, inner, y, { size: urlSize });
    y += 5;
    doc.lineWidth(1.2).strokeColor('black').rect(LEFT, boxTop, boxWidth, y - boxTop).stroke();
  }
  const leftBottom = y;

  // The addressee, in the window of a C5/6 envelope.
  const addrX = ADDRESS_X;
  let ay = 120;
  if (customer.kind === 'business' && customer.companyName) {
    ay = put(doc, customer.companyName, addrX, ay, { font: BOLD, size: 10.5 });
    ay = put(doc, t('documents.pdf.attention', { name: personName(customer) }), addrX, ay, { size: 10.5 });
  } else {
    ay = put(doc, personName(customer), addrX, ay, { font: BOLD, size: 10.5 });
  }
  for (const line of customer.addressLines) ay = put(doc, line, addrX, ay, { size: 10.5 });
  if (customer.kind === 'business' && customer.siren) {
    ay += 4;
    ay = put(doc, t('documents.pdf.customerSiren', { siren: customer.siren }), addrX, ay, { size: 9.5 });
  }
  if (input.eInvoice?.customerVatNumber) ay = put(doc, t('documents.pdf.customerVat', { vatNumber: input.eInvoice.customerVatNumber }), addrX, ay, { size: 9.5 });

  y = Math.max(leftBottom, ay) + 24;
  y = put(doc, title, LEFT, y, { font: BOLD, size: 16 });
  y += 4;
  const facts: string[] = [t('documents.pdf.date', { date: formatDateFr(d.issueDate) })];
  if (d.periodStart && d.periodEnd) {
    facts.push(t('documents.pdf.period', { start: formatDateFr(d.periodStart), end: formatDateFr(d.periodEnd) }));
  }
  facts.push(t('documents.pdf.customer', { number: customer.number }));
  if (input.contractNumber) facts.push(t('documents.pdf.contract', { number: input.contractNumber }));
  if (input.eInvoice?.purchaseOrder) facts.push(t('documents.pdf.purchaseOrder', { reference: input.eInvoice.purchaseOrder }));
  const place = input.eInvoice?.serviceAddress;
  if (place) {
    const address = [place.line1, place.line2, [place.postalCode, place.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    facts.push(t('documents.pdf.serviceAddress', { name: place.name, address }));
  }
  for (const f of facts) y = put(doc, f, LEFT, y, { size: 10 });
  if (d.kind === 'credit_note' && input.correctedInvoice) {
    y += 2;
    y = put(
      doc,
      t('documents.pdf.corrects', { number: input.correctedInvoice.number, date: formatDateFr(input.correctedInvoice.issueDate) }),
      LEFT,
      y,
      { font: BOLD, size: 10 },
    );
  }
  return y;
}

function tableHeader(doc: PdfDoc, y: number): number {
  const h = 18;
  doc.rect(LEFT, y, WIDTH, h).fill(LIGHT);
  let x = LEFT;
  for (const c of LINE_COLUMNS) {
    put(doc, c.title, x + CELL_PAD, y + 5, { font: BOLD, size: 8.5, align: c.align, width: c.width - 2 * CELL_PAD });
    x += c.width;
  }
  return y + h;
}

function drawLines(doc: PdfDoc, input: DocumentPdfInput, top: number, newPage: () => number): number {
  let y = tableHeader(doc, top);
  const labelWidth = (LINE_COLUMNS[0] as Column).width - 2 * CELL_PAD;
  for (const line of input.document.lines) {
    const labelHeight = paragraphHeight(doc, line.label, labelWidth, { size: 9 });
    const rowHeight = Math.max(labelHeight, 11) + 8;
    if (y + rowHeight > BODY_BOTTOM) y = tableHeader(doc, newPage());
    paragraph(doc, line.label, LEFT + CELL_PAD, y + 4, labelWidth, { size: 9 });
    const cells = [
      formatQuantity(line.quantity_milli),
      formatEuros(line.unit_price_ht_cents),
      formatRate(line.vat_rate_bp),
      formatEuros(line.total_ht_cents),
    ];
    let x = LEFT + (LINE_COLUMNS[0] as Column).width;
    cells.forEach((text, i) => {
      const c = LINE_COLUMNS[i + 1] as Column;
      put(doc, text, x + CELL_PAD, y + 4, { size: 9, align: 'right', width: c.width - 2 * CELL_PAD });
      x += c.width;
    });
    y += rowHeight;
    doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.5).strokeColor(RULE).stroke();
  }
  return y;
}

/** Left: VAT per rate; right: totals HT, TVA, TTC. */
function drawTotals(doc: PdfDoc, input: DocumentPdfInput, top: number, newPage: () => number): number {
  const d = input.document;
  const rows = d.vatBreakdown.length;
  const needed = 18 + 15 * Math.max(rows, 3) + 10;
  if (top + needed > BODY_BOTTOM) top = newPage();

  // VAT breakdown
  const vatCols: Column[] = [
    { title: t('documents.pdf.vat.rate'), width: 60, align: 'right' },
    { title: t('documents.pdf.vat.base'), width: 95, align: 'right' },
    { title: t('documents.pdf.vat.amount'), width: 85, align: 'right' },
  ];
  const vatWidth = vatCols.reduce((s, c) => s + c.width, 0);
  doc.rect(LEFT, top, vatWidth, 18).fill(LIGHT);
  let x = LEFT;
  for (const c of vatCols) {
    put(doc, c.title, x + CELL_PAD, top + 5, { font: BOLD, size: 8.5, align: c.align, width: c.width - 2 * CELL_PAD });
    x += c.width;
  }
  let vy = top + 18;
  for (const r of d.vatBreakdown) {
    const cells = [formatRate(r.rate_bp), formatEuros(r.ht_cents), formatEuros(r.vat_cents)];
    x = LEFT;
    cells.forEach((text, i) => {
      const c = vatCols[i] as Column;
      put(doc, text, x + CELL_PAD, vy + 4, { size: 9, align: 'right', width: c.width - 2 * CELL_PAD });
      x += c.width;
    });
    vy += 15;
  }
  doc.moveTo(LEFT, vy).lineTo(LEFT + vatWidth, vy).lineWidth(0.5).strokeColor(RULE).stroke();

  // Totals
  const tx = RIGHT - 210;
  const labelW = 110;
  const valueW = 100;
  const totals: [string, number, boolean][] = [
    [t('documents.pdf.total.ht'), d.totalHtCents, false],
    [t('documents.pdf.total.vat'), d.totalVatCents, false],
    [t('documents.pdf.total.ttc'), d.totalTtcCents, true],
  ];
  let ty = top;
  for (const [label, cents, strong] of totals) {
    if (strong) doc.rect(tx, ty, labelW + valueW, 18).fill(LIGHT);
    const font = strong ? BOLD : REGULAR;
    put(doc, label, tx + CELL_PAD, ty + 5, { font, size: strong ? 10.5 : 9.5 });
    put(doc, formatEuros(cents), tx + labelW, ty + 5, {
      font,
      size: strong ? 10.5 : 9.5,
      align: 'right',
      width: valueW - CELL_PAD,
    });
    ty += 18;
  }
  return Math.max(vy, ty);
}

/** Due date and payment terms (invoices), the recovery indemnity (business customers). */
function drawTerms(doc: PdfDoc, input: DocumentPdfInput, top: number, newPage: () => number): number {
  const d = input.document;
  const blocks: { text: string; font: string; size: number }[] = [];
  if (d.kind === 'invoice') {
    if (d.dueDate) blocks.push({ text: t('documents.pdf.due', { date: formatDateFr(d.dueDate) }), font: BOLD, size: 10.5 });
    blocks.push({
      text: t('documents.pdf.penalties', { penalty: input.latePaymentPenalty }),
      font: REGULAR,
      size: 8.5,
    });
    if (input.customer.kind === 'business') {
      blocks.push({
        text: t('documents.pdf.indemnity'),
        font: REGULAR,
        size: 8.5,
      });
    }
  } else {
    blocks.push({
      text: t('documents.pdf.creditNote'),
      font: REGULAR,
      size: 8.5,
    });
  }
  if (input.eInvoice) {
    blocks.push({ text: t('documents.pdf.einvoice.category'), font: REGULAR, size: 8.5 });
    if (input.eInvoice.vatOnDebits) blocks.push({ text: t('documents.pdf.einvoice.vatOnDebits'), font: REGULAR, size: 8.5 });
    blocks.push({ text: t('documents.pdf.einvoice.notice'), font: REGULAR, size: 8.5 });
  }
  const height = blocks.reduce((s, b) => s + paragraphHeight(doc, b.text, WIDTH, b) + 4, 0);
  let y = top;
  if (y + height > BODY_BOTTOM) y = newPage();
  for (const b of blocks) y = paragraph(doc, b.text, LEFT, y, WIDTH, b) + 4;
  return y;
}

/** The seller's legal mentions and the page number, on every page. */
function drawFooters(doc: PdfDoc, input: DocumentPdfInput): void {
  const o = input.operator;
  const lines = [
    t('documents.pdf.footer.identity', { name: o.name, legalForm: o.legalForm, headOffice: o.headOffice }),
    t('documents.pdf.footer.registration', { siren: o.siren, rcs: o.rcs, vatNumber: o.vatNumber }),
    t('documents.pdf.footer.service', { phone: o.phone, email: o.email, website: o.website }),
  ];
  drawFooterLines(doc, FOOTER_TOP, lines, (page, pages) => t('documents.pdf.page', { page, pages }), 3);
}
