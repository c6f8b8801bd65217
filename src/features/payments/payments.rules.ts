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
