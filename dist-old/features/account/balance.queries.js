import { reusableQuery } from '../../db/reusable.js';
/** Whether document `d` has something remaining: an invoice not fully settled, a credit note not fully used ("à régler"). Served by the index `financial_documents_open`. */
export function hasRemaining(eb) {
    return eb('d.total_ttc_cents', '>', eb.ref('d.settled_cents'));
}
/** What remains of a document: positive for an invoice, negative for a credit note's unused part. */
export function remainingOf(d) {
    return d.kind === 'invoice' ? d.total_ttc_cents - d.settled_cents : d.settled_cents - d.total_ttc_cents;
}
/** The remaining amount of each of a customer's documents (negative for an unused credit note). */
export async function documentBalances(db, customerId) {
    const rows = await db
        .selectFrom('financial_documents as d')
        .select(['d.id', 'd.kind', 'd.total_ttc_cents', 'd.settled_cents'])
        .where('d.customer_id', '=', customerId)
        .where('d.published_at', 'is not', null)
        .execute();
    return new Map(rows.map((r) => [r.id, remainingOf(r)]));
}
/** The account's "reste à payer" in cents (negative: the customer is in credit). */
export async function accountBalance(db, customerId) {
    const [row] = await balanceOf(db, { customerId });
    return row?.balance_cents ?? 0;
}
const balanceOf = reusableQuery((db, a) => db.selectFrom('customers').select('balance_cents').where('id', '=', a.customerId));
/**
 * What Mon compte's kept page is keyed on from the customer's own row (decision 016): the
 * version the database moves whenever a row the page shows changes (migration 023), the
 * balance, and the paperless choice. One statement, read before anything the page shows.
 */
export async function accountStamp(db, customerId) {
    const [row] = await stampOf(db, { customerId });
    if (!row)
        throw new Error(`No customer ${customerId}`);
    return { version: row.account_version, balance: row.balance_cents, paperless: row.paperless === 1 };
}
const stampOf = reusableQuery((db, a) => db.selectFrom('customers').select(['account_version', 'balance_cents', 'paperless']).where('id', '=', a.customerId));
//# sourceMappingURL=balance.queries.js.map