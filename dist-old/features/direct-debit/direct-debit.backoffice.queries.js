import { displayName } from '../customers/customers.service.js';
import { currentContracts, mandateColumns, mandateCustomer, mandateInForce, toView } from './direct-debit.queries.js';
import { maskIban } from './direct-debit.rules.js';
/*
 * Reading mandates for customer service (`/gestion/mandats`): every customer's, by state, the
 * ones to validate oldest signed first. Never the IBAN: its mask (the full IBAN is
 * `revealIban`, for admins, audited).
 */
export const MANDATE_STATES = ['to_validate', 'active', 'rejected', 'revoked', 'awaiting_signature'];
/**
 * One page of the mandates in a state: those to validate oldest signed first (the queue), the
 * others the latest changed first. With the total, for paging.
 */
export async function listMandates(db, status, page, pageSize) {
    const base = db.selectFrom('sepa_mandates as m').innerJoin('customers as c', 'c.id', 'm.customer_id').where('m.status', '=', status);
    const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    let q = base.select([
        'm.id',
        'm.rum',
        'm.status',
        'm.source',
        'm.holder_name',
        'm.iban_country',
        'm.iban_last4',
        'm.signed_at',
        'm.updated_at',
        'c.number',
        'c.kind',
        'c.last_name',
        'c.first_name',
        'c.company_name',
    ]);
    q = status === 'to_validate' ? q.orderBy('m.signed_at', 'asc') : q.orderBy('m.updated_at', 'desc');
    const rows = await q
        .orderBy('m.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
    return {
        total: Number(n),
        rows: rows.map((r) => ({
            id: r.id,
            rum: r.rum,
            status: r.status,
            source: r.source,
            customerNumber: r.number,
            customerName: displayName(r),
            holderName: r.holder_name,
            maskedIban: maskIban(r.iban_country, r.iban_last4),
            ibanCountry: r.iban_country,
            ibanLast4: r.iban_last4,
            signedAt: r.signed_at,
            updatedAt: r.updated_at,
        })),
    };
}
/** How many mandates are in each state (the filter says it). */
export async function mandateCounts(db) {
    const rows = await db
        .selectFrom('sepa_mandates')
        .select(['status', (eb) => eb.fn.countAll().as('n')])
        .groupBy('status')
        .execute();
    const counts = Object.fromEntries(MANDATE_STATES.map((s) => [s, 0]));
    for (const r of rows)
        counts[r.status] = Number(r.n);
    return counts;
}
export async function staffMandate(db, mandateId) {
    const row = await db
        .selectFrom('sepa_mandates as m')
        .innerJoin('customers as c', 'c.id', 'm.customer_id')
        .leftJoin('staff_members as s', 's.id', 'm.decided_by')
        .select(mandateColumns)
        .select(['m.source', 'm.decided_at', 's.display_name as decided_by_name', 'c.id as customer_id', 'c.number', 'c.kind', 'c.last_name', 'c.first_name', 'c.company_name'])
        .where('m.id', '=', mandateId)
        .executeTakeFirst();
    if (!row)
        return undefined;
    return {
        ...(await toView(db, row)),
        source: row.source,
        customer: { id: row.customer_id, number: row.number, name: displayName(row) },
        decidedBy: row.decided_by_name,
        decidedAt: row.decided_at,
    };
}
/** The steps of a mandate's life, as the audit log recorded them (`target_id` is its RUM). */
export const MANDATE_HISTORY_ACTIONS = ['mandate.create', 'mandate.sign', 'mandate.validate', 'mandate.reject', 'mandate.revoke', 'mandate.paper_record'];
/** A mandate's changes of state, oldest first: who did what, when. */
export async function mandateHistory(db, rum) {
    const rows = await db
        .selectFrom('audit_log as a')
        .leftJoin('staff_members as s', (j) => j.onRef('s.id', '=', 'a.actor_id').on('a.actor_type', '=', 'staff'))
        .select(['a.at', 'a.action', 'a.actor_type', 's.display_name'])
        .where('a.target_type', '=', 'mandate')
        .where('a.target_id', '=', rum)
        .where('a.outcome', '=', 'success')
        .where('a.action', 'in', MANDATE_HISTORY_ACTIONS)
        .orderBy('a.at')
        .orderBy('a.id')
        .execute();
    return rows.map((r) => ({
        at: r.at,
        action: r.action,
        actor: r.actor_type === 'customer' ? { type: 'customer' } : r.actor_type === 'staff' && r.display_name ? { type: 'staff', name: r.display_name } : { type: 'other' },
    }));
}
/** The customer a paper mandate is recorded for, found by number: the form's defaults and choices. */
export async function paperMandateCustomer(db, number) {
    const found = await db.selectFrom('customers').select('id').where('number', '=', number).executeTakeFirst();
    if (!found)
        return undefined;
    const [customer, contracts, inForce] = await Promise.all([
        mandateCustomer(db, found.id),
        currentContracts(db, found.id),
        mandateInForce(db, found.id),
    ]);
    return { customer, contracts: contracts, inForce };
}
//# sourceMappingURL=direct-debit.backoffice.queries.js.map