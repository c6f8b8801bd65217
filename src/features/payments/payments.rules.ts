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
