import { sql } from 'kysely';
export function listCarParks(db) {
    return db.selectFrom('car_parks').selectAll().orderBy('name').execute();
}
/** The car parks of a customer's current contracts, each once. */
export function carParksOfCustomer(db, customerId) {
    return db
        .selectFrom('car_parks as p')
        .selectAll('p')
        .where((eb) => eb.exists(eb
        .selectFrom('contracts as k')
        .select('k.id')
        .whereRef('k.car_park_id', '=', 'p.id')
        .where('k.customer_id', '=', customerId)
        .where('k.status', '!=', 'ended')))
        .orderBy('p.name')
        .execute();
}
/** The health check's query: resolves when the database answers. */
export async function ping(db) {
    await sql `select 1`.execute(db);
}
//# sourceMappingURL=public.queries.js.map