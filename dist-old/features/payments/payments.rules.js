import { PAYMENT_CURRENCY } from './payments.provider.js';
/**
 * What paying the chosen invoices asks: what remains on them, less any credit the account
 * holds (money received and not yet allocated, when the balance is below their total).
 * `credit` is how much that credit lowered the amount.
 */
export function payableAmount(due, selected, balance) {
    const total = due.filter((d) => selected.has(d.id)).reduce((sum, d) => sum + d.remaining, 0);
    const available = Math.max(balance, 0);
    return { amount: Math.min(total, available), credit: Math.max(0, total - available) };
}
/**
 * Whether a provider's event says exactly what the attempt asked: its amount, in the portal's
 * currency. A success that says anything else is never booked (not even for the attempt's own
 * amount): the event is refused.
 */
export function paidAsAsked(ev, attempt) {
    return ev.amountCents === attempt.amount_cents && ev.currency === PAYMENT_CURRENCY;
}
/** The provider of payments received outside the portal (transfer, cheque, direct debit, cash, card at the desk), as the ERP says them: their reference is the ERP's. */
export const ERP_PROVIDER = 'erp';
/** How the ERP says a payment was received outside the portal. */
export const RECEIVED_METHODS = ['transfer', 'cheque', 'direct_debit', 'cash', 'card'];
/**
 * What is wrong with how a payment received outside the portal settles invoices, before the
 * database is read: an invoice named twice, more allocated than received. Each with its path.
 */
export function allocationProblems(p) {
    const problems = [];
    const seen = new Map();
    p.allocations.forEach((a, i) => {
        const first = seen.get(a.invoice);
        if (first !== undefined)
            problems.push({ path: ['allocations', i, 'invoice'], code: 'duplicate', key: 'api.field.payment.invoiceTwice', params: { index: first } });
        else
            seen.set(a.invoice, i);
    });
    const total = p.allocations.reduce((sum, a) => sum + a.amount_cents, 0);
    if (total > p.amount_cents)
        problems.push({ path: ['allocations'], code: 'sum', key: 'api.field.payment.allocatedTooMuch', params: { total, amount: p.amount_cents } });
    return problems;
}
//# sourceMappingURL=payments.rules.js.map