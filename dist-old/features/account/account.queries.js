import { sql } from 'kysely';
import { reusableQuery } from '../../db/reusable.js';
import { hasRemaining, remainingOf } from './balance.queries.js';
function historyArgs(customerId, f) {
    const from = f.year && `${f.year}-01-01` > f.since ? `${f.year}-01-01` : f.since;
    return { customerId, from, to: f.year ? `${f.year}-12-31` : '9999-12-31', contractId: f.contractId ?? null, kind: f.kind ?? null, open: f.open ? 1 : 0 };
}
function history(db, a) {
    return db
        .selectFrom('financial_documents as d')
        .where('d.customer_id', '=', a.customerId)
        .where('d.published_at', 'is not', null)
        .where('d.issue_date', '>=', a.from)
        .where('d.issue_date', '<=', a.to)
        // Typed, so that PostgreSQL knows what a parameter tested alone is.
        .where((eb) => eb.or([eb(eb.cast(eb.val(a.contractId), 'text'), 'is', null), eb('d.contract_id', '=', a.contractId)]))
        .where((eb) => eb.or([eb(eb.cast(eb.val(a.kind), 'text'), 'is', null), eb('d.kind', '=', a.kind)]))
        .where((eb) => eb.or([eb(eb.cast(eb.val(a.open), 'integer'), '=', 0), hasRemaining(eb)]));
}
/** A document as Mon compte lists it (the history, what is due): with its contract's number (`k`). */
export const DOCUMENT_ROW = [
    'd.id',
    'd.kind',
    'd.number',
    'd.issue_date',
    'd.due_date',
    'd.period_start',
    'd.period_end',
    'd.total_ttc_cents',
    'd.settled_cents',
    'd.pdf_sha256',
    'k.number as contract_number',
];
const documentPage = reusableQuery((db, a) => history(db, a)
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .select(DOCUMENT_ROW)
    .orderBy('d.issue_date', 'desc')
    .orderBy('d.number', 'desc')
    .limit(sql.lit(a.limit))
    .offset(a.offset), { literals: ['limit'] });
const documentCount = reusableQuery((db, a) => history(db, a).select((eb) => eb.fn.countAll().as('n')));
/** One page of the financial-document history, newest first, each with its "reste à payer". */
export async function findDocumentPage(db, customerId, f, page) {
    const a = historyArgs(customerId, f);
    const [rows, [count]] = await Promise.all([documentPage(db, { ...a, ...page }), documentCount(db, a)]);
    return {
        total: Number(count.n),
        rows: rows.map(({ settled_cents, ...r }) => ({ ...r, remaining: remainingOf({ ...r, settled_cents }) })),
    };
}
/**
 * The years that have documents in the window, newest first (for the year filter), and how
 * many documents are older than the window (kept, shown on request). Two statements, each
 * along the history's index: counting by year in one was twice as slow (a sort of the years).
 */
export async function documentYears(db, customerId, since) {
    const [rows, [older]] = await Promise.all([issueYears(db, { customerId, since }), olderCount(db, { customerId, since })]);
    return { years: rows.map((r) => Number(r.year)).sort((a, b) => b - a), older: Number(older.n) };
}
const issueYears = reusableQuery((db, a) => db
    .selectFrom('financial_documents')
    // The year only: a few values to return, not one per document.
    .select(sql `substr(issue_date, 1, 4)`.as('year'))
    .distinct()
    .where('customer_id', '=', a.customerId)
    .where('published_at', 'is not', null)
    .where('issue_date', '>=', a.since));
const olderCount = reusableQuery((db, a) => db
    .selectFrom('financial_documents')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('customer_id', '=', a.customerId)
    .where('published_at', 'is not', null)
    .where('issue_date', '<', a.since));
/** The customer's contracts: the history's contract filter, and which are paid by direct debit (`directDebitCoverage`). */
export function contractOptions(db, customerId) {
    return contractsOf(db, { customerId });
}
const contractsOf = reusableQuery((db, a) => db.selectFrom('contracts').select(['id', 'number', 'status', 'direct_debit']).where('customer_id', '=', a.customerId).orderBy('number'));
/** One of the customer's published documents by its number (whether its PDF is served: `pdfServed`). */
export function findPublishedDocument(db, customerId, number) {
    return db
        .selectFrom('financial_documents')
        .select(['number', 'issue_date', 'pdf_sha256'])
        .where('customer_id', '=', customerId)
        .where('number', '=', number)
        .where('published_at', 'is not', null)
        .executeTakeFirst();
}
//# sourceMappingURL=account.queries.js.map