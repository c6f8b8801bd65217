/*
 * Every query here is scoped by the session's customer id (security bar Z1): a contract
 * number or a month from the URL only narrows what the customer already owns.
 */
/** The customer's petit-rouleur contracts with their car park, current ones first. */
export function findPetitRouleurContracts(db, customerId) {
    return db
        .selectFrom('contracts as k')
        .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
        .select([
        'k.id',
        'k.number',
        'k.status',
        'k.start_date',
        'k.billing_period',
        'k.price_ht_cents',
        'k.vat_rate_bp',
        'p.name as car_park_name',
        'p.petit_rouleur_30',
    ])
        .where('k.customer_id', '=', customerId)
        .where('k.product', '=', 'resident_petit_rouleur')
        .orderBy((eb) => eb.case().when('k.status', '=', 'ended').then(1).else(0).end())
        .orderBy('k.start_date', 'desc')
        .orderBy('k.number')
        .execute();
}
/** A statement's row with its carrying document (left-joined columns) as one value, or null. */
function withDocument(r) {
    const { document_number: number, document_kind: kind, document_issue_date: issue_date, document_pdf_sha256: pdf_sha256, ...rest } = r;
    const document = number !== null && kind !== null && issue_date !== null ? { number, kind, issue_date, pdf_sha256 } : null;
    return { ...rest, document };
}
/**
 * In one query, the statements of all the customer's petit-rouleur contracts up to `lastMonth`,
 * with the published document carrying each discount and how many exits are
 * detailed. Newest month first.
 */
export async function findStatements(db, customerId, lastMonth) {
    const rows = await db
        .selectFrom('exit_statements as s')
        .innerJoin('contracts as k', 'k.id', 's.contract_id')
        .leftJoin('financial_documents as d', (join) => join
        .onRef('d.id', '=', 's.document_id')
        .onRef('d.customer_id', '=', 'k.customer_id')
        .on('d.published_at', 'is not', null))
        .select((eb) => [
        's.id',
        's.contract_id',
        's.month',
        's.exit_count',
        's.discount_ht_cents',
        'd.number as document_number',
        'd.kind as document_kind',
        'd.issue_date as document_issue_date',
        'd.pdf_sha256 as document_pdf_sha256',
        eb
            .selectFrom('exits as e')
            .select((e) => e.fn.countAll().as('n'))
            .whereRef('e.statement_id', '=', 's.id')
            .as('detailed_exits'),
    ])
        .where('k.customer_id', '=', customerId)
        .where('k.product', '=', 'resident_petit_rouleur')
        .where('s.month', '<=', lastMonth)
        .orderBy('s.contract_id')
        .orderBy('s.month', 'desc')
        .execute();
    return rows.map(withDocument);
}
/** One month's statement of one of the customer's petit-rouleur contracts, or undefined. */
export async function findStatement(db, customerId, contractNumber, month) {
    const row = await db
        .selectFrom('exit_statements as s')
        .innerJoin('contracts as k', 'k.id', 's.contract_id')
        .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
        .leftJoin('financial_documents as d', (join) => join
        .onRef('d.id', '=', 's.document_id')
        .onRef('d.customer_id', '=', 'k.customer_id')
        .on('d.published_at', 'is not', null))
        .select([
        's.id',
        's.month',
        's.exit_count',
        's.discount_ht_cents',
        'k.number as contract_number',
        'k.billing_period',
        'k.price_ht_cents',
        'k.vat_rate_bp',
        'p.name as car_park_name',
        'p.petit_rouleur_30',
        'd.number as document_number',
        'd.kind as document_kind',
        'd.issue_date as document_issue_date',
        'd.pdf_sha256 as document_pdf_sha256',
    ])
        .where('k.customer_id', '=', customerId)
        .where('k.product', '=', 'resident_petit_rouleur')
        .where('k.number', '=', contractNumber)
        .where('s.month', '=', month)
        .executeTakeFirst();
    return row && withDocument(row);
}
/** The exits of one statement, in order. */
export function findExits(db, statementId) {
    return db.selectFrom('exits').select(['id', 'exited_at']).where('statement_id', '=', statementId).orderBy('exited_at').orderBy('id').execute();
}
//# sourceMappingURL=statements.queries.js.map