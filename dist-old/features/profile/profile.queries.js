export function findProfile(db, customerId) {
    return db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
}
/** The customer's contracts with their car park, current ones first. */
export function findContractSummaries(db, customerId) {
    return db
        .selectFrom('contracts as k')
        .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
        .select(['k.id', 'k.number', 'k.product', 'k.status', 'k.start_date', 'k.end_date', 'p.name as car_park_name'])
        .where('k.customer_id', '=', customerId)
        .orderBy((eb) => eb.case().when('k.status', '=', 'ended').then(1).else(0).end())
        .orderBy('k.start_date', 'desc')
        .execute();
}
//# sourceMappingURL=profile.queries.js.map