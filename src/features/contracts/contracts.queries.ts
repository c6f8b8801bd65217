import type { Db } from '../../db/database.ts';
import { jsonArrayFor, parseJsonArray } from '../../db/dialect.ts';

/**
 * A customer's contracts with their car park and vehicles, in one query: the vehicles in force
 * on `today` (`YYYY-MM-DD`) — a change of plate ends the old plate the day before the new one
 * starts. `number` narrows to one contract — still only among this customer's.
 */
export async function findContracts(db: Db, customerId: string, today: string, number?: string) {
  const vehicles = jsonArrayFor(db);
  let q = db
    .selectFrom('contracts as k')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .selectAll('k')
    .select((eb) => [
      'p.name as car_park_name',
      'p.address_line as car_park_address',
      'p.postal_code as car_park_postal_code',
      'p.city as car_park_city',
      'p.phone as car_park_phone',
      'p.opening_hours as car_park_hours',
      vehicles(
        eb
          .selectFrom('contract_vehicles as v')
          .select(['v.plate', 'v.description'])
          .whereRef('v.contract_id', '=', 'k.id')
          .where((w) => w.or([w('v.valid_from', 'is', null), w('v.valid_from', '<=', today)]))
          .where((w) => w.or([w('v.valid_to', 'is', null), w('v.valid_to', '>=', today)]))
          .orderBy('v.plate'),
      ).as('vehicles'),
    ])
    .where('k.customer_id', '=', customerId);
  if (number !== undefined) q = q.where('k.number', '=', number);
  const rows = await q.orderBy('k.start_date', 'desc').orderBy('k.number').execute();
  return rows.map((r) => ({
    ...r,
    vehicles: parseJsonArray<{ plate: string; description: string | null }>(r.vehicles),
  }));
}

export type ContractDetails = Awaited<ReturnType<typeof findContracts>>[number];
