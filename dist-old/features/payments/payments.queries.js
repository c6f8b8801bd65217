import { sql } from 'kysely';
import { reusableQuery } from '../../db/reusable.js';
import { jsonArrayFor, parseJsonArray } from '../../db/dialect.js';
import { accountBalance, hasRemaining, remainingOf } from '../account/balance.queries.js';
import { DOCUMENT_ROW } from '../account/account.queries.js';
import { isPaperless } from '../customers/customers.queries.js';
/**
 * What is due: the customer's published documents with something remaining, oldest first —
 * invoices still to pay (`remaining` > 0) and credit notes not yet used (`remaining` < 0).
 */
export async function openDocuments(db, customerId) {
    const rows = await openRows(db, { customerId });
    return rows.map(({ settled_cents, ...r }) => ({ ...r, remaining: remainingOf({ ...r, settled_cents }) }));
}
const openRows = reusableQuery((db, a) => db
    .selectFrom('financial_documents as d')
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .select(DOCUMENT_ROW)
    .where('d.customer_id', '=', a.customerId)
    .where('d.published_at', 'is not', null)
    .where((eb) => hasRemaining(eb))
    .orderBy('d.issue_date')
    .orderBy('d.number'));
/** The customer's published invoices with something left to pay, oldest first, with that amount. */
export async function dueInvoices(db, customerId) {
    return (await openDocuments(db, customerId)).filter((d) => d.kind === 'invoice');
}
/** One page of the customer's payments, newest first, each with the documents it settled; and how many there are. */
export async function paymentHistory(db, customerId, page) {
    const [rows, [count]] = await Promise.all([paymentPage(db, { customerId, ...page }), paymentCount(db, { customerId })]);
    return { total: Number(count.n), rows: rows.map(({ documents, ...r }) => ({ ...r, documents: parseJsonArray(documents) })) };
}
// Each payment with the documents it settled, in the same statement: exactly the payments shown.
const paymentPage = reusableQuery((db, a) => db
    .selectFrom('payments as p')
    .select(['p.id', 'p.method', 'p.status', 'p.amount_cents', 'p.received_at', 'p.created_at', 'p.provider_reference'])
    .select((eb) => jsonArrayFor(db)(eb
    .selectFrom('allocations as a')
    .innerJoin('financial_documents as d', 'd.id', 'a.invoice_id')
    .select(['d.number', 'd.kind', 'd.issue_date', 'd.pdf_sha256', 'a.amount_cents'])
    .whereRef('a.payment_id', '=', 'p.id')
    .orderBy('d.issue_date')
    .orderBy('d.number')).as('documents'))
    .where('p.customer_id', '=', a.customerId)
    .orderBy((eb) => eb.fn.coalesce('p.received_at', 'p.created_at'), 'desc')
    .orderBy('p.id', 'desc')
    .limit(sql.lit(a.limit))
    .offset(a.offset), { literals: ['limit'] });
const paymentCount = reusableQuery((db, a) => db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('customer_id', '=', a.customerId));
/** What the payment page offers: the invoices still due, the account's balance, and whether paying online is open (paperless consent). */
export async function paymentOffer(db, customerId) {
    const [paperless, due, balance] = await Promise.all([isPaperless(db, customerId), dueInvoices(db, customerId), accountBalance(db, customerId)]);
    return { paperless, due, balance };
}
/** One of the customer's payment attempts, for its return page. */
export function findOwnAttempt(db, customerId, attemptId) {
    return db.selectFrom('payment_attempts').select(['id', 'status', 'amount_cents']).where('id', '=', attemptId).where('customer_id', '=', customerId).executeTakeFirst();
}
//# sourceMappingURL=payments.queries.js.map