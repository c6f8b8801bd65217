import PDFDocument from 'pdfkit';
import type { Language } from '../../db/schema.ts';
import { formatDate } from '../../lib/i18n.ts';
import { winAnsi } from '../documents/documents.pdf.ts';
import { directDebitTranslator } from './direct-debit.messages.ts';
import { friendlyIban } from './direct-debit.rules.ts';

/*
 * The two PDFs of a SEPA mandate, with every mention the rulebook requires (shared
 * domain.md, "SEPA direct debit (Core) mandate"): title, RUM, creditor's name, address and
 * ICS, debtor's name and address, IBAN, BIC, recurrent payment, place and date of signature,
 * the authorisation and refund-rights text.
 *
 * - the signed mandate: the customer's own legal copy. It prints the FULL IBAN — a mandate
 *   without the debtor's account is not a mandate, and the creditor must be able to produce
 *   it. It is a document, not a log: the service stores it encrypted with the mandate key
 *   (the IBAN stays encrypted at rest) and gives it to its owner only;
 * - the paper form: pre-filled with the customer's name, address and paper RUM, with empty
 *   boxes for the IBAN and BIC, to post with a RIB.
 *
 * As for invoices: the standard fonts (WinAnsi, through `winAnsi`), no clock and no
 * randomness — the same input gives the same bytes.
 */

export interface MandateParties {
  creditor: { name: string; address: string; ics: string };
  operator: { name: string; legalForm: string; address: string; siren: string; phone: string; email: string; website: string };
}

export interface SignedMandatePdfInput extends MandateParties {
  lang: Language;
  customerNumber: string;
  rum: string;
  holderName: string;
  holderAddress: string[];
  /** In full: this is the mandate itself. */
  iban: string;
  bic: string | null;
  contracts: { number: string; carPark: string }[];
  place: string;
  /** ISO timestamps. */
  signedAt: string;
  evidence: { sentTo: string; sentAt: string; confirmedAt: string; ip: string | null };
}

export interface PaperMandatePdfInput extends MandateParties {
  lang: Language;
  customerNumber: string;
  rum: string;
  holderName: string;
  holderAddress: string[];
  contracts: { number: string; carPark: string }[];
  /** `YYYY-MM-DD`: the day it is printed (the PDF's date, nothing else). */
  date: string;
}

const A4 = { width: 595.28, height: 841.89 };
const LEFT = 50;
const RIGHT = A4.width - 50;
const WIDTH = RIGHT - LEFT;
const BODY_BOTTOM = A4.height - 80;
const FOOTER_TOP = A4.height - 62;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MONO = 'Courier-Bold';
const GREY = '#555555';
const LIGHT = '#eeeeee';
const RULE = '#999999';

type Doc = PDFKit.PDFDocument;

function line(doc: Doc, text: string, x: number, y: number, o: { font?: string; size?: number; width?: number; align?: 'left' | 'right' | 'center'; color?: string } = {}): number {
  const s = winAnsi(text);
  doc.font(o.font ?? REGULAR).fontSize(o.size ?? 9.5).fillColor(o.color ?? 'black');
  let at = x;
  if (o.align && o.align !== 'left' && o.width !== undefined) {
    const w = doc.widthOfString(s);
    at = o.align === 'right' ? x + o.width - w : x + (o.width - w) / 2;
  }
  doc.text(s, at, y, { lineBreak: false });
  return y + doc.currentLineHeight(true);
}

/** `winAnsi` line by line: a line break stays one. */
const drawable = (text: string) => text.split('\n').map(winAnsi).join('\n');

function para(doc: Doc, text: string, x: number, y: number, width: number, font = REGULAR, size = 9.5, color = 'black'): number {
  const s = drawable(text);
  doc.font(font).fontSize(size).fillColor(color);
  const h = doc.heightOfString(s, { width });
  doc.text(s, x, y, { width });
  return y + h;
}

const paraHeight = (doc: Doc, text: string, width: number, font = REGULAR, size = 9.5) => doc.font(font).fontSize(size).heightOfString(drawable(text), { width });

const timeInParis = (iso: string, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(iso));

const dateTime = (iso: string, lang: Language) => `${formatDate(iso, lang)} ${lang === 'fr' ? 'à' : 'at'} ${timeInParis(iso, lang)}`;

function startDocument(title: string, lang: Language, author: string, created: Date): { doc: Doc; done: Promise<Buffer> } {
  if (Number.isNaN(created.getTime())) throw new Error('Invalid PDF date');
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margins: { top: 45, left: LEFT, right: A4.width - RIGHT, bottom: 20 },
    bufferPages: true,
    lang: lang === 'fr' ? 'fr-FR' : 'en-GB',
    displayTitle: true,
    info: { Title: winAnsi(title), Author: winAnsi(author), Subject: winAnsi(title), Creator: 'Mon espace client', Producer: 'PDFKit', CreationDate: created },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

async function finish(doc: Doc, done: Promise<Buffer>, draw: () => void): Promise<Buffer> {
  try {
    draw();
    doc.end();
  } catch (e) {
    doc.end();
    await done.catch(() => undefined);
    throw e;
  }
  return done;
}

/** A titled, boxed block of `label: value` rows; returns the y below it. */
function block(doc: Doc, title: string, rows: Array<[string, string, { mono?: boolean }?]>, top: number): number {
  const labelW = 150;
  const valueW = WIDTH - labelW - 16;
  const heights = rows.map(([label, value, o]) =>
    Math.max(paraHeight(doc, label, labelW - 6, BOLD, 9), paraHeight(doc, value, valueW, o?.mono ? MONO : REGULAR, o?.mono ? 10.5 : 9.5)),
  );
  doc.rect(LEFT, top, WIDTH, 18).fill(LIGHT);
  line(doc, title, LEFT + 8, top + 5, { font: BOLD, size: 10 });
  let y = top + 24;
  rows.forEach(([label, value, o], i) => {
    para(doc, label, LEFT + 8, y, labelW - 6, BOLD, 9);
    para(doc, value, LEFT + 8 + labelW, y, valueW, o?.mono ? MONO : REGULAR, o?.mono ? 10.5 : 9.5);
    y += (heights[i] ?? 12) + 5;
  });
  doc.lineWidth(0.8).strokeColor(RULE).rect(LEFT, top, WIDTH, y - top).stroke();
  return y;
}

function blockHeight(doc: Doc, rows: Array<[string, string, { mono?: boolean }?]>): number {
  const labelW = 150;
  const valueW = WIDTH - labelW - 16;
  return (
    24 +
    rows.reduce(
      (s, [label, value, o]) =>
        s + Math.max(paraHeight(doc, label, labelW - 6, BOLD, 9), paraHeight(doc, value, valueW, o?.mono ? MONO : REGULAR, o?.mono ? 10.5 : 9.5)) + 5,
      0,
    )
  );
}

function header(doc: Doc, p: MandateParties & { lang: Language; customerNumber: string; rum: string }): number {
  const d = directDebitTranslator(p.lang);
  line(doc, p.operator.name, LEFT, 45, { font: BOLD, size: 12 });
  line(doc, d('directDebit.pdf.customer', { number: p.customerNumber }), LEFT, 45, { size: 9.5, align: 'right', width: WIDTH });
  let y = 80;
  y = line(doc, d('directDebit.text.title'), LEFT, y, { font: BOLD, size: 18 });
  if (p.lang !== 'fr') y = line(doc, 'Mandat de prélèvement SEPA', LEFT, y, { size: 10, color: GREY });
  y += 6;
  const sep = p.lang === 'fr' ? ' : ' : ': ';
  y = para(doc, `${d('directDebit.text.rum')}${sep}${p.rum}`, LEFT, y, WIDTH, BOLD, 11);
  y += 2;
  y = para(doc, `${d('directDebit.text.paymentType')}${sep}${d('directDebit.text.recurrent')}`, LEFT, y, WIDTH, REGULAR, 10);
  y += 8;
  y = para(doc, d('directDebit.text.authorisation', { creditor: p.creditor.name }), LEFT, y, WIDTH, REGULAR, 9.5);
  return y + 10;
}

function creditorRows(p: MandateParties, lang: Language): Array<[string, string]> {
  const d = directDebitTranslator(lang);
  return [
    [d('directDebit.text.creditorName'), p.creditor.name],
    [d('directDebit.text.creditorAddress'), p.creditor.address],
    [d('directDebit.text.ics'), p.creditor.ics],
  ];
}

function footers(doc: Doc, p: MandateParties, lang: Language): void {
  const d = directDebitTranslator(lang);
  const o = p.operator;
  const lines = [`${o.name} – ${o.legalForm} – ${o.address} – SIREN ${o.siren}`, `${o.phone} – ${o.email} – ${o.website}`];
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.moveTo(LEFT, FOOTER_TOP).lineTo(RIGHT, FOOTER_TOP).lineWidth(0.5).strokeColor(RULE).stroke();
    let y = FOOTER_TOP + 6;
    for (const l of lines) {
      let size = 7.5;
      while (size > 5 && doc.font(REGULAR).fontSize(size).widthOfString(winAnsi(l)) > WIDTH) size -= 0.5;
      y = line(doc, l, LEFT, y, { size, align: 'center', width: WIDTH, color: GREY });
    }
    line(doc, d('directDebit.pdf.page', { page: i - range.start + 1, pages: range.count }), LEFT, y + 2, { size: 7.5, align: 'right', width: WIDTH, color: GREY });
  }
}

/** Starts a new page when `needed` points do not fit below `y`. */
function room(doc: Doc, y: number, needed: number): number {
  if (y + needed <= BODY_BOTTOM) return y;
  doc.addPage();
  return 45;
}

/** The signed mandate, as the customer signed it (in their language), with the full IBAN. */
export function renderSignedMandatePdf(input: SignedMandatePdfInput): Promise<Buffer> {
  const d = directDebitTranslator(input.lang);
  const { doc, done } = startDocument(`${d('directDebit.text.title')} ${input.rum}`, input.lang, input.creditor.name, new Date(input.signedAt));
  return finish(doc, done, () => {
    let y = header(doc, input);
    y = block(doc, d('directDebit.text.creditor'), creditorRows(input, input.lang), y) + 10;
    const debtor: Array<[string, string, { mono?: boolean }?]> = [
      [d('directDebit.pdf.debtorName'), input.holderName],
      [d('directDebit.pdf.debtorAddress'), input.holderAddress.join('\n')],
      [d('directDebit.pdf.iban'), friendlyIban(input.iban), { mono: true }],
      [d('directDebit.pdf.bic'), input.bic ?? d('directDebit.none'), { mono: input.bic !== null }],
    ];
    y = room(doc, y, blockHeight(doc, debtor));
    y = block(doc, d('directDebit.pdf.debtor'), debtor, y) + 10;

    const contracts = input.contracts.map((c) => d('directDebit.contract', { number: c.number, carPark: c.carPark })).join('\n');
    const signature: Array<[string, string]> = [
      [d('directDebit.pdf.contracts'), contracts],
      [d('directDebit.field.place'), input.place],
      [d('directDebit.field.signed'), dateTime(input.signedAt, input.lang)],
    ];
    y = room(doc, y, blockHeight(doc, signature));
    y = block(doc, d('directDebit.pdf.signature'), signature, y) + 8;

    const notes = [
      { text: d('directDebit.pdf.signedAt', { place: input.place, date: formatDate(input.signedAt, input.lang), time: timeInParis(input.signedAt, input.lang) }), font: BOLD, size: 9.5 },
      {
        text: d('directDebit.pdf.evidence', {
          sentAt: dateTime(input.evidence.sentAt, input.lang),
          address: input.evidence.sentTo,
          confirmedAt: dateTime(input.evidence.confirmedAt, input.lang),
          ip: input.evidence.ip ?? '—',
        }),
        font: REGULAR,
        size: 9,
      },
      { text: d('directDebit.pdf.status'), font: REGULAR, size: 9 },
      { text: d('directDebit.text.rights'), font: REGULAR, size: 8.5 },
      { text: d('directDebit.text.privacy', { creditor: input.creditor.name }), font: REGULAR, size: 8.5 },
    ];
    for (const n of notes) {
      y = room(doc, y, paraHeight(doc, n.text, WIDTH, n.font, n.size) + 4);
      y = para(doc, n.text, LEFT, y, WIDTH, n.font, n.size) + 4;
    }
    footers(doc, input, input.lang);
  });
}

/** Rows of empty character boxes, in groups of the given sizes; returns the y below. */
function boxes(doc: Doc, groups: number[], x: number, y: number): number {
  const size = 12.5;
  const gap = 5;
  let at = x;
  doc.lineWidth(0.8).strokeColor('black');
  for (const count of groups) {
    for (let i = 0; i < count; i++) {
      doc.rect(at, y, size, size + 3).stroke();
      at += size;
    }
    at += gap;
  }
  return y + size + 3;
}

/** The paper form: the customer's name, address and paper RUM pre-filled; IBAN, BIC, place, date and signature to fill in by hand. */
export function renderPaperMandatePdf(input: PaperMandatePdfInput): Promise<Buffer> {
  const d = directDebitTranslator(input.lang);
  const { doc, done } = startDocument(`${d('directDebit.text.title')} ${input.rum}`, input.lang, input.creditor.name, new Date(`${input.date}T00:00:00.000Z`));
  return finish(doc, done, () => {
    let y = header(doc, input);
    y = block(doc, d('directDebit.text.creditor'), creditorRows(input, input.lang), y) + 10;

    // The debtor: printed name and address, then the boxes.
    const debtorTop = y;
    doc.rect(LEFT, y, WIDTH, 18).fill(LIGHT);
    line(doc, d('directDebit.pdf.debtor'), LEFT + 8, y + 5, { font: BOLD, size: 10 });
    y += 24;
    y = line(doc, d('directDebit.pdf.debtorName'), LEFT + 8, y, { font: BOLD, size: 9 });
    y = para(doc, input.holderName, LEFT + 8, y + 1, WIDTH - 16, REGULAR, 10) + 4;
    y = line(doc, d('directDebit.pdf.debtorAddress'), LEFT + 8, y, { font: BOLD, size: 9 });
    y = para(doc, input.holderAddress.join('\n'), LEFT + 8, y + 1, WIDTH - 16, REGULAR, 10) + 6;
    y = line(doc, d('directDebit.pdf.iban'), LEFT + 8, y, { font: BOLD, size: 9 });
    y = boxes(doc, [4, 4, 4, 4, 4, 4, 4, 4, 2], LEFT + 8, y + 2) + 4;
    y = line(doc, d('directDebit.paper.ibanHint'), LEFT + 8, y, { size: 8, color: GREY }) + 4;
    y = line(doc, d('directDebit.pdf.bic'), LEFT + 8, y, { font: BOLD, size: 9 });
    y = boxes(doc, [11], LEFT + 8, y + 2) + 4;
    y = line(doc, d('directDebit.paper.bicHint'), LEFT + 8, y, { size: 8, color: GREY }) + 6;
    doc.lineWidth(0.8).strokeColor(RULE).rect(LEFT, debtorTop, WIDTH, y - debtorTop).stroke();
    y += 10;

    // The contracts to pay this way, with a box to tick.
    if (input.contracts.length > 0) {
      y = room(doc, y, 30 + 16 * input.contracts.length);
      y = line(doc, d('directDebit.pdf.contracts'), LEFT, y, { font: BOLD, size: 10 });
      y = line(doc, d('directDebit.paper.contractsHint'), LEFT, y, { size: 8.5, color: GREY }) + 3;
      for (const c of input.contracts) {
        doc.lineWidth(0.8).strokeColor('black').rect(LEFT, y, 10, 10).stroke();
        y = line(doc, d('directDebit.contract', { number: c.number, carPark: c.carPark }), LEFT + 16, y, { size: 9.5 }) + 3;
      }
      y += 8;
    }

    // Place, date, signature.
    y = room(doc, y, 120);
    const colon = input.lang === 'fr' ? ' :' : ':';
    line(doc, `${d('directDebit.paper.place')}${colon}`, LEFT, y + 4, { font: BOLD, size: 10 });
    doc.lineWidth(0.8).strokeColor('black').moveTo(LEFT + 50, y + 16).lineTo(LEFT + 230, y + 16).stroke();
    line(doc, `${d('directDebit.paper.date')}${colon}`, LEFT + 260, y + 4, { font: BOLD, size: 10 });
    boxes(doc, [2, 2, 4], LEFT + 300, y);
    y += 28;
    y = line(doc, d('directDebit.paper.signature'), LEFT, y, { font: BOLD, size: 10 }) + 2;
    doc.lineWidth(0.8).strokeColor('black').rect(LEFT, y, 260, 60).stroke();
    y += 70;

    const notes = [
      { text: d('directDebit.paper.return', { name: input.operator.name, address: input.operator.address }), font: BOLD, size: 10 },
      { text: d('directDebit.paper.validation'), font: REGULAR, size: 9 },
      { text: d('directDebit.text.rights'), font: REGULAR, size: 8.5 },
      { text: d('directDebit.text.privacy', { creditor: input.creditor.name }), font: REGULAR, size: 8.5 },
    ];
    for (const n of notes) {
      y = room(doc, y, paraHeight(doc, n.text, WIDTH, n.font, n.size) + 4);
      y = para(doc, n.text, LEFT, y, WIDTH, n.font, n.size) + 4;
    }
    footers(doc, input, input.lang);
  });
}
