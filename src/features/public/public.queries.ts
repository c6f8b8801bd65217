import type { Db } from '../../db/database.ts';

export function listCarParks(db: Db) {
  return db.selectFrom('car_parks').selectAll().orderBy('name').execute();
}

/** The car parks of a customer's current contracts, each once. */
export function carParksOfCustomer(db: Db, customerId: string) {
  return db
    .selectFrom('car_parks as p')
    .selectAll('p')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('contracts as k')
          .select('k.id')
          .whereRef('k.car_park_id', '=', 'p.id')
          .where('k.customer_id', '=', customerId)
          .where('k.status', '!=', 'ended'),
      ),
    )
    .orderBy('p.name')
    .execute();
}
