import { remainingOf } from '../account/balance.queries.js';
const headQuery = (db) => db
    .selectFrom('financial_documents as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .leftJoin('financial_documents as inv', 'inv.id', 'd.corrects_document_id')
    .select([
    'd.id',
    'd.number',
    'd.kind',
    'c.number as customer',
    'k.number as contract',
    'inv.number as corrects',
    'd.issue_date',
    'd.period_start',
    'd.period_end',
    'd.due_date',
    'd.total_ht_cents',
    'd.total_vat_cents',
    'd.total_ttc_cents',
    'd.published_at',
    'd.pdf_sha256',
    'd.created_at',
    'd.settled_cents',
]);
async function withLines(db, heads) {
    if (heads.length === 0)
        return [];
    const lines = await db
        .selectFrom('document_lines')
        .select(['document_id', 'label', 'quantity_milli', 'unit_price_ht_cents', 'vat_rate_bp', 'total_ht_cents', 'total_vat_cents', 'total_ttc_cents'])
        .where('document_id', 'in', heads.map((h) => h.id))
        .orderBy('document_id')
        .orderBy('position')
        .execute();
    const byDocument = new Map();
    for (const { document_id, ...line } of lines)
        byDocument.set(document_id, [...(byDocument.get(document_id) ?? []), line]);
    return heads.map(({ id, settled_cents, published_at, pdf_sha256, created_at, ...h }) => ({
        ...h,
        lines: byDocument.get(id) ?? [],
        published: published_at !== null,
        portal: { published_at, pdf_sha256, remaining_cents: published_at === null ? null : remainingOf({ ...h, settled_cents }) },
        created_at,
    }));
}
/** The document of this number as the API shows it; undefined when there is none. */
export async function documentRecordByNumber(db, number) {
    const [record] = await withLines(db, await headQuery(db).where('d.number', '=', number).execute());
    return record;
}
/** Documents by number after `after` (exclusive), at most `count`; only this customer's when one is named. */
export async function documentRecordsAfter(db, after, count, customer) {
    let q = headQuery(db).orderBy('d.number').limit(count);
    if (after !== null)
        q = q.where('d.number', '>', after);
    if (customer !== undefined)
        q = q.where('c.number', '=', customer);
    return withLines(db, await q.execute());
}
//# sourceMappingURL=documents.queries.js.map