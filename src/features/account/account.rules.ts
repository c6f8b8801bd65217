import type { PaymentMethod } from '../../db/schema.ts';
import { isoDate, parisDate } from '../../lib/clock.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { parseDate } from '../contact/contact.rules.ts';

/** The history a customer sees: 5 years with paperless consent, 12 months without (the manual). */
export function historySince(now: Date, paperless: boolean): string {
  // The customer's calendar day is Paris's, not UTC's.
  const d = new Date(`${parisDate(now)}T12:00:00Z`);
  if (paperless) d.setUTCFullYear(d.getUTCFullYear() - 5);
  else d.setUTCMonth(d.getUTCMonth() - 12);
  return isoDate(d);
}

/**
 * Whether the PDF route serves a document: its PDF is stored and it is inside the customer's
 * history (issued on or after `since`). A document's number is a link to its PDF only then.
 */
export function pdfServed<D extends { pdf_sha256: string | null; issue_date: string }>(doc: D, since: string): doc is D & { pdf_sha256: string } {
  return doc.pdf_sha256 !== null && doc.issue_date >= since;
}

/** Where a document stands, as the CSV of the list says it: an invoice paid or to pay (late past its due date), a credit note used or to use. */
export type DocumentStatus = 'paid' | 'partly_paid' | 'to_pay' | 'late' | 'used' | 'partly_used' | 'to_use';

export function documentStatus(d: { kind: 'invoice' | 'credit_note'; total_ttc_cents: number; settled_cents: number; due_date: string | null }, today: string): DocumentStatus {
  if (d.kind === 'credit_note') return d.settled_cents >= d.total_ttc_cents ? 'used' : d.settled_cents > 0 ? 'partly_used' : 'to_use';
  if (d.settled_cents >= d.total_ttc_cents) return 'paid';
  if (d.due_date !== null && d.due_date < today) return 'late';
  return d.settled_cents > 0 ? 'partly_paid' : 'to_pay';
}

// ---------------------------------------------------------------- the account statement

/** The statement form's fields, as typed (kept to fill the form again). */
export interface StatementValues {
  du: string;
  au: string;
}
export type StatementErrors = FormErrors<keyof StatementValues>;

/** The earliest first day a statement may start on: before it, the portal holds nothing. */
export const STATEMENT_FIRST_DAY = '2000-01-01';

/** The statement's period: two days (`parseDate`: 15/12/2026 or 2026-12-15), the first not after the last, the last not after today (Paris). */
export function checkStatementPeriod(
  values: StatementValues,
  today: string,
  formatDay: (isoDay: string) => string,
): { ok: true; from: string; to: string } | { ok: false; errors: StatementErrors } {
  const errors: StatementErrors = {};
  const day = (field: keyof StatementValues): string | null => {
    if (values[field].trim() === '') return addError(errors, field, field === 'du' ? 'account.statement.error.fromRequired' : 'account.statement.error.toRequired'), null;
    const date = parseDate(values[field]);
    if (!date) return addError(errors, field, 'contact.error.date.invalid'), null;
    if (date < STATEMENT_FIRST_DAY || date > today) return addError(errors, field, 'contact.error.date.range', { min: formatDay(STATEMENT_FIRST_DAY), max: formatDay(today) }), null;
    return date;
  };
  const from = day('du');
  const to = day('au');
  if (from && to && from > to) addError(errors, 'au', 'account.statement.error.order', { from: formatDay(from) });
  return from && to && !errors.au && !errors.du ? { ok: true, from, to } : { ok: false, errors };
}

/** A published document or a succeeded payment, as the statement reads them. */
export interface StatementDocument {
  kind: 'invoice' | 'credit_note';
  number: string;
  issue_date: string;
  total_ttc_cents: number;
  contract_number: string | null;
}
export interface StatementPayment {
  method: PaymentMethod;
  amount_cents: number;
  /** The Paris day it was received. */
  day: string;
  provider_reference: string | null;
}

/** One line of the statement: what is owed more (`debit`: an invoice) or less (`credit`: a credit note, a payment), and the balance after it. */
export interface StatementLine {
  day: string;
  movement: { kind: 'invoice' | 'credit_note'; number: string; contract_number: string | null } | { kind: 'payment'; method: PaymentMethod; reference: string | null };
  debit: number;
  credit: number;
  balance: number;
}

export interface Statement {
  from: string;
  to: string;
  /** What was owed at the start of `from` (negative: a credit). */
  opening: number;
  lines: StatementLine[];
  totalDebit: number;
  totalCredit: number;
  /** What was owed at the end of `to`: `opening + totalDebit − totalCredit`, the last line's balance. */
  closing: number;
}

/**
 * The account between two days, by the balance's own definition (decision 004): published
 * invoices − published credit notes − succeeded payments. Before `from`, summed into the opening
 * balance; from `from` to `to`, each a line in date order (on one day, the documents before the
 * payments), with the balance after it. Up to today, its closing balance is "Reste à payer".
 */
export function statementOf(docs: StatementDocument[], payments: StatementPayment[], from: string, to: string): Statement {
  const signed = (d: StatementDocument) => (d.kind === 'invoice' ? d.total_ttc_cents : -d.total_ttc_cents);
  let opening = 0;
  for (const d of docs) if (d.issue_date < from) opening += signed(d);
  for (const p of payments) if (p.day < from) opening -= p.amount_cents;
  const moves: Omit<StatementLine, 'balance'>[] = [
    ...docs
      .filter((d) => d.issue_date >= from && d.issue_date <= to)
      .sort((a, b) => a.issue_date.localeCompare(b.issue_date) || a.number.localeCompare(b.number))
      .map((d) => ({
        day: d.issue_date,
        movement: { kind: d.kind, number: d.number, contract_number: d.contract_number },
        debit: d.kind === 'invoice' ? d.total_ttc_cents : 0,
        credit: d.kind === 'invoice' ? 0 : d.total_ttc_cents,
      })),
    ...payments
      .filter((p) => p.day >= from && p.day <= to)
      .map((p) => ({ day: p.day, movement: { kind: 'payment' as const, method: p.method, reference: p.provider_reference }, debit: 0, credit: p.amount_cents })),
  ];
  // Stable: on one day, documents (in number order) before payments (in the order given).
  moves.sort((a, b) => a.day.localeCompare(b.day));
  let balance = opening;
  let totalDebit = 0;
  let totalCredit = 0;
  const lines = moves.map((m) => {
    balance += m.debit - m.credit;
    totalDebit += m.debit;
    totalCredit += m.credit;
    return { ...m, balance };
  });
  return { from, to, opening, lines, totalDebit, totalCredit, closing: balance };
}
