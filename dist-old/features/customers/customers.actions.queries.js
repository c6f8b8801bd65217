/** The customer an action of the back office is about, by their number; undefined when none has it. */
export function findCustomerForAction(db, number) {
    return db.selectFrom('customers').selectAll().where('number', '=', number).executeTakeFirst();
}
/**
 * The vehicles a new plate may replace: those of the customer's contracts not ended whose plate
 * has no end yet (in force, or starting later), with the day each started.
 */
export async function replaceableVehicles(db, customerId) {
    const rows = await db
        .selectFrom('contract_vehicles as v')
        .innerJoin('contracts as k', 'k.id', 'v.contract_id')
        .select(['v.id', 'v.plate', 'v.valid_from', 'k.number', 'k.start_date'])
        .where('k.customer_id', '=', customerId)
        .where('k.status', '!=', 'ended')
        .where('v.valid_to', 'is', null)
        .orderBy('k.number')
        .orderBy('v.plate')
        .execute();
    return rows.map((r) => ({ id: r.id, contractNumber: r.number, plate: r.plate, since: r.valid_from ?? r.start_date }));
}
//# sourceMappingURL=customers.actions.queries.js.map