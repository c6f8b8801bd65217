import { jsonArrayFor, parseJsonArray } from '../../db/dialect.js';
import { discountRateBp, statementDiscount } from './statements.rules.js';
/** The contract of this number with what its exit counts need; undefined when there is none. */
export function exitsContract(db, number) {
    return db
        .selectFrom('contracts as k')
        .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
        .select(['k.id', 'k.number', 'k.customer_id', 'k.product', 'k.start_date', 'k.end_date', 'k.billing_period', 'k.price_ht_cents', 'k.vat_rate_bp', 'p.petit_rouleur_30'])
        .where('k.number', '=', number)
        .executeTakeFirst();
}
const recordQuery = (db, contractId) => {
    const exits = jsonArrayFor(db);
    return db
        .selectFrom('exit_statements as s')
        .leftJoin('financial_documents as d', 'd.id', 's.document_id')
        .select((eb) => [
        's.month',
        's.exit_count',
        's.discount_ht_cents',
        's.created_at',
        'd.number as document_number',
        exits(eb.selectFrom('exits as e').select('e.exited_at').whereRef('e.statement_id', '=', 's.id')).as('exits'),
    ])
        .where('s.contract_id', '=', contractId);
};
function exitCountRecord(contract, r) {
    const rateBp = discountRateBp(r.exit_count, contract.petit_rouleur_30 === 1);
    const discount = statementDiscount(contract, rateBp, r.discount_ht_cents);
    const exits = parseJsonArray(r.exits)
        .map((e) => e.exited_at)
        .sort();
    return {
        contract: contract.number,
        month: r.month,
        exit_count: r.exit_count,
        exits: exits.length > 0 ? exits : null,
        discount: { rate_bp: rateBp, ht_cents: discount.ht, vat_cents: discount.vat, ttc_cents: discount.ttc },
        billed_by: r.document_number,
        created_at: r.created_at,
    };
}
/** One month of the contract as the API shows it; undefined when it has no count for that month. */
export async function exitCountRecordOf(db, contract, month) {
    const row = await recordQuery(db, contract.id).where('s.month', '=', month).executeTakeFirst();
    return row ? exitCountRecord(contract, row) : undefined;
}
/** The contract's months after `after` (exclusive), in order, at most `count`. */
export async function exitCountRecordsAfter(db, contract, after, count) {
    let q = recordQuery(db, contract.id).orderBy('s.month').limit(count);
    if (after !== null)
        q = q.where('s.month', '>', after);
    return (await q.execute()).map((r) => exitCountRecord(contract, r));
}
//# sourceMappingURL=exits.queries.js.map