import type { Language } from '../../db/schema.ts';
import { formatDate, translator } from '../../lib/i18n.ts';
import { formatMoneyPlain } from '../../lib/money.ts';
import { A4, BOLD, GREY, LEFT, LIGHT, RIGHT, RULE, WIDTH, type PdfDoc, drawFooters, put, renderPdf } from '../../lib/pdf.ts';
import { legalMention, type OperatorSettings } from '../settings/settings.rules.ts';
import type { Statement, StatementLine } from './account.rules.ts';

/*
 * The account statement (relevé de compte) as a PDF, in the customer's language: the operator's
 * header and legal mentions as on its invoices, the customer, the balance at the start of the
 * period, every document and payment with the balance after it, the totals and the balance at
 * the end. Drawn when asked for, from `statementOf`; dated by the day it is drawn (`today`), so
 * the same statement on the same day gives the same bytes.
 */

const BODY_BOTTOM = A4.height - 95;
const FOOTER_TOP = A4.height - 78;
const ROW = 15;

/** Date, transaction, debit, credit, balance. */
const COLUMNS = [
  { key: 'date', width: 70, align: 'left' },
  { key: 'movement', width: WIDTH - 70 - 3 * 85, align: 'left' },
  { key: 'debit', width: 85, align: 'right' },
  { key: 'credit', width: 85, align: 'right' },
  { key: 'balance', width: 85, align: 'right' },
] as const;
const PAD = 4;

export interface StatementPdfInput {
  statement: Statement;
  customer: { number: string; displayName: string };
  operator: OperatorSettings;
  /** The Paris day it is drawn. */
  today: string;
  lang: Language;
}

export function statementPdf(input: StatementPdfInput): Promise<Buffer> {
  const { statement: s, customer, operator, lang } = input;
  const t = translator(lang);
  const day = (iso: string) => formatDate(iso, lang);
  const money = (cents: number) => formatMoneyPlain(cents, lang);
  const title = t('account.statement.pdf.title', { from: day(s.from), to: day(s.to) });

  const row = (doc: PdfDoc, y: number, cells: string[], o: { bold?: boolean; fill?: boolean } = {}) => {
    if (o.fill) doc.rect(LEFT, y - 3, WIDTH, ROW).fill(LIGHT);
    let x = LEFT;
    COLUMNS.forEach((c, i) => {
      put(doc, cells[i] ?? '', x + PAD, y, { size: 8.5, font: o.bold ? BOLD : undefined, align: c.align, width: c.width - 2 * PAD });
      x += c.width;
    });
    return y + ROW;
  };
  const header = (doc: PdfDoc, y: number) => row(doc, y, COLUMNS.map((c) => t(`account.statement.pdf.col.${c.key}`)), { bold: true, fill: true });
  const movementOf = (l: StatementLine): string => {
    const m = l.movement;
    if (m.kind === 'payment') {
      const base = t('account.statement.pdf.payment', { method: t(`method.${m.method}`) });
      return m.reference ? t('account.statement.pdf.reference', { movement: base, reference: m.reference }) : base;
    }
    const base = t(`account.statement.pdf.${m.kind}`, { number: m.number });
    return m.contract_number ? t('account.statement.pdf.contract', { movement: base, number: m.contract_number }) : base;
  };

  return renderPdf({ title, subject: title, author: operator.name, lang, createdAt: new Date(`${input.today}T00:00:00.000Z`) }, (doc) => {
    let y = put(doc, operator.name, LEFT, 45, { font: BOLD, size: 14 });
    y = put(doc, operator.address, LEFT, y, { size: 9, color: GREY });
    y = put(doc, `${operator.phone} – ${operator.email}`, LEFT, y, { size: 9, color: GREY }) + 24;
    y = put(doc, customer.displayName, LEFT, y, { font: BOLD, size: 11 });
    y = put(doc, t('account.statement.pdf.customer', { number: customer.number }), LEFT, y, { size: 10 }) + 18;
    y = put(doc, title, LEFT, y, { font: BOLD, size: 15 });
    y = put(doc, t('account.statement.pdf.issued', { date: day(input.today) }), LEFT, y + 2, { size: 9.5, color: GREY }) + 14;

    y = header(doc, y);
    y = row(doc, y, [day(s.from), t('account.statement.pdf.opening', { date: day(s.from) }), '', '', money(s.opening)], { bold: true });
    if (s.lines.length === 0) y = row(doc, y, ['', t('account.statement.pdf.none'), '', '', '']);
    for (const l of s.lines) {
      if (y + ROW > BODY_BOTTOM) {
        doc.addPage();
        y = put(doc, t('account.statement.pdf.continued', { from: day(s.from), to: day(s.to), number: customer.number }), LEFT, 45, { font: BOLD, size: 10 }) + 10;
        y = header(doc, y);
      }
      y = row(doc, y, [day(l.day), movementOf(l), l.debit ? money(l.debit) : '', l.credit ? money(l.credit) : '', money(l.balance)]);
      doc.moveTo(LEFT, y - 3).lineTo(RIGHT, y - 3).lineWidth(0.3).strokeColor(RULE).stroke();
    }
    if (y + 3 * ROW + 30 > BODY_BOTTOM) {
      doc.addPage();
      y = put(doc, t('account.statement.pdf.continued', { from: day(s.from), to: day(s.to), number: customer.number }), LEFT, 45, { font: BOLD, size: 10 }) + 10;
    }
    y = row(doc, y + 4, ['', t('account.statement.pdf.totals'), money(s.totalDebit), money(s.totalCredit), ''], { bold: true });
    y = row(doc, y, [day(s.to), t('account.statement.pdf.closing', { date: day(s.to) }), '', '', money(s.closing)], { bold: true, fill: true });
    put(doc, t('account.statement.pdf.sign'), LEFT, y + 8, { size: 8.5, color: GREY });

    drawFooters(
      doc,
      FOOTER_TOP,
      [
        t('documents.pdf.footer.identity', { name: operator.name, legalForm: legalMention(operator, t), headOffice: operator.address }),
        t('documents.pdf.footer.registration', { siren: operator.siren, rcs: operator.rcs, vatNumber: operator.vat_number }),
        t('documents.pdf.footer.service', { phone: operator.phone, email: operator.email, website: operator.website }),
      ],
      (page, pages) => t('account.statement.pdf.page', { page, pages }),
      3,
    );
  });
}
