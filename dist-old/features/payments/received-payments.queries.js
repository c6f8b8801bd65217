import { ERP_PROVIDER } from './payments.rules.js';
const headQuery = (db) => db
    .selectFrom('payments as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select(['p.id', 'p.provider_reference', 'c.number as customer', 'p.method', 'p.amount_cents', 'p.received_at', 'p.created_at'])
    .where('p.provider', '=', ERP_PROVIDER);
async function withAllocations(db, heads) {
    if (heads.length === 0)
        return [];
    const allocations = await db
        .selectFrom('allocations as a')
        .innerJoin('financial_documents as d', 'd.id', 'a.invoice_id')
        .select(['a.payment_id', 'd.number as invoice', 'a.amount_cents'])
        .where('a.payment_id', 'in', heads.map((h) => h.id))
        .orderBy('d.number')
        .execute();
    const byPayment = new Map();
    for (const { payment_id, ...a } of allocations)
        byPayment.set(payment_id, [...(byPayment.get(payment_id) ?? []), a]);
    return heads.map((h) => {
        const settled = byPayment.get(h.id) ?? [];
        return {
            reference: h.provider_reference,
            customer: h.customer,
            method: h.method,
            amount_cents: h.amount_cents,
            received_on: h.received_at?.slice(0, 10) ?? null,
            allocations: settled,
            unallocated_cents: h.amount_cents - settled.reduce((sum, a) => sum + a.amount_cents, 0),
            created_at: h.created_at,
        };
    });
}
/** The payment of this ERP reference as the API shows it; undefined when there is none. */
export async function receivedPaymentByReference(db, reference) {
    const [record] = await withAllocations(db, await headQuery(db).where('p.provider_reference', '=', reference).execute());
    return record;
}
/** Payments received outside the portal by reference after `after` (exclusive), at most `count`. */
export async function receivedPaymentsAfter(db, after, count) {
    let q = headQuery(db).orderBy('p.provider_reference').limit(count);
    if (after !== null)
        q = q.where('p.provider_reference', '>', after);
    return withAllocations(db, await q.execute());
}
//# sourceMappingURL=received-payments.queries.js.map