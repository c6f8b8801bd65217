import { addDays } from '../../lib/clock.ts';
import type { PaymentMethod } from '../../db/schema.ts';
import type { MessageKey } from '../../lib/i18n.ts';
import { PAYMENT_CURRENCY, type ProviderEvent } from './payments.provider.ts';
import type { DueInvoice } from './payments.queries.ts';

/**
 * What paying the chosen invoices asks: what remains on them, less any credit the account
 * holds (money received and not yet allocated, when the balance is below their total).
 * `credit` is how much that credit lowered the amount.
 */
export function payableAmount(due: DueInvoice[], selected: ReadonlySet<string>, balance: number): { amount: number; credit: number } {
  const total = due.filter((d) => selected.has(d.id)).reduce((sum, d) => sum + d.remaining, 0);
  const available = Math.max(balance, 0);
  return { amount: Math.min(total, available), credit: Math.max(0, total - available) };
}

/**
 * Whether a provider's event says exactly what the attempt asked: its amount, in the portal's
 * currency. A success that says anything else is never booked (not even for the attempt's own
 * amount): the event is refused.
 */
export function paidAsAsked(ev: Pick<ProviderEvent, 'amountCents' | 'currency'>, attempt: { amount_cents: number }): boolean {
  return ev.amountCents === attempt.amount_cents && ev.currency === PAYMENT_CURRENCY;
}

/** The provider of payments received outside the portal (transfer, cheque, direct debit, cash, card at the desk), as the ERP says them: their reference is the ERP's. */
export const ERP_PROVIDER = 'erp';

/** How the ERP says a payment was received outside the portal. */
export const RECEIVED_METHODS = ['transfer', 'cheque', 'direct_debit', 'cash', 'card'] as const satisfies readonly PaymentMethod[];

/**
 * What is wrong with how a payment received outside the portal settles invoices, before the
 * database is read: an invoice named twice, more allocated than received. Each with its path.
 */
export function allocationProblems(p: { amount_cents: number; allocations: { invoice: string; amount_cents: number }[] }): { path: (string | number)[]; code: string; key: MessageKey; params?: Record<string, string | number> }[] {
  const problems: ReturnType<typeof allocationProblems> = [];
  const seen = new Map<string, number>();
  p.allocations.forEach((a, i) => {
    const first = seen.get(a.invoice);
    if (first !== undefined) problems.push({ path: ['allocations', i, 'invoice'], code: 'duplicate', key: 'api.field.payment.invoiceTwice', params: { index: first } });
    else seen.set(a.invoice, i);
  });
  const total = p.allocations.reduce((sum, a) => sum + a.amount_cents, 0);
  if (total > p.amount_cents) problems.push({ path: ['allocations'], code: 'sum', key: 'api.field.payment.allocatedTooMuch', params: { total, amount: p.amount_cents } });
  return problems;
}

// ---------------------------------------------------------------- reminders of unpaid invoices

export type ReminderKind = 'reminder_1' | 'reminder_2';

/**
 * The reminder an unpaid invoice is due on `today` (Paris days, `YYYY-MM-DD`), given the
 * schedule (days after the due date, `operator_settings`) and the reminders already sent; null
 * when none. The first from `first` days after the due date, the second from `second` days
 * after; each once. When both are due and neither was sent (the worker was stopped), only the
 * second goes: a customer never gets two reminders of one invoice at once.
 */
export function reminderDue(dueDay: string, schedule: { first: number; second: number }, today: string, sent: ReadonlySet<ReminderKind>): ReminderKind | null {
  if (sent.has('reminder_2')) return null;
  if (today >= addDays(dueDay, schedule.second)) return 'reminder_2';
  if (!sent.has('reminder_1') && today >= addDays(dueDay, schedule.first)) return 'reminder_1';
  return null;
}

/** Reminders are sent for invoices due at most this many days after the second reminder's day (none for old debts at the first run). */
export const REMINDER_WINDOW_DAYS = 30;
