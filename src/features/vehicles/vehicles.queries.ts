import type { Db } from '../../db/database.ts';
import { customerNameColumns } from '../customers/customers.service.ts';
import type { VehicleChangeStatus } from '../../db/schema.ts';
import type { ContractVehicle, VehicleSituation } from './vehicles.rules.ts';

/*
 * What the vehicle pages read: a customer's contract with its vehicles in force or to come and
 * its requests (always selected by the customer's id), and the back office's queue.
 */

/** The customer's contract of this number with what its vehicle requests are checked against; undefined when it is not theirs. */
export async function contractVehicles(db: Db, customerId: string, number: string, today: string) {
  const contract = await db
    .selectFrom('contracts')
    .select(['id', 'number', 'status', 'max_vehicles'])
    .where('customer_id', '=', customerId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!contract) return undefined;
  return { contract, ...(await vehicleSituation(db, contract.id, contract.max_vehicles, today)) };
}

/** A contract's vehicles in force on `today` or to come, its requests pending, and those refused (latest first, five). */
export async function vehicleSituation(db: Db, contractId: string, max: number, today: string) {
  const rows = await db
    .selectFrom('contract_vehicles')
    .select(['id', 'plate', 'country', 'description', 'valid_from', 'valid_to'])
    .where('contract_id', '=', contractId)
    .where((w) => w.or([w('valid_to', 'is', null), w('valid_to', '>=', today)]))
    .orderBy('valid_from')
    .orderBy('plate')
    .execute();
  const vehicles: (ContractVehicle & { description: string | null })[] = rows.map((r) => ({ id: r.id, plate: r.plate, country: r.country, description: r.description, validFrom: r.valid_from, validTo: r.valid_to }));
  const requests = await db
    .selectFrom('vehicle_changes as r')
    .leftJoin('contract_vehicles as old', 'old.id', 'r.replaces_vehicle_id')
    .select(['r.id', 'r.status', 'r.replaces_vehicle_id', 'r.plate', 'r.country', 'r.make', 'r.model', 'r.valid_from', 'r.refusal_reason', 'r.created_at', 'old.plate as replaced_plate'])
    .where('r.contract_id', '=', contractId)
    .where('r.status', 'in', ['pending', 'refused'])
    .orderBy('r.created_at', 'desc')
    .execute();
  const pending = requests.filter((r) => r.status === 'pending');
  const refused = requests.filter((r) => r.status === 'refused').slice(0, 5);
  const situation: VehicleSituation = { max, vehicles, pending: pending.map((p) => ({ replacesId: p.replaces_vehicle_id })) };
  return { vehicles, pending, refused, situation };
}

export type ContractVehiclesPage = NonNullable<Awaited<ReturnType<typeof contractVehicles>>>;

// ---------------------------------------------------------------- the back office

export const CHANGE_STATES = ['pending', 'approved', 'refused'] as const satisfies readonly VehicleChangeStatus[];

const staffQuery = (db: Db) =>
  db
    .selectFrom('vehicle_changes as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('contracts as k', 'k.id', 'r.contract_id')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .leftJoin('contract_vehicles as old', 'old.id', 'r.replaces_vehicle_id')
    .leftJoin('staff_members as s', 's.id', 'r.decided_by')
    .selectAll('r')
    .select([
      ...customerNameColumns,
      'k.number as contract_number',
      'p.name as car_park_name',
      'p.code as car_park_code',
      'old.plate as replaced_plate',
      'old.country as replaced_country',
      's.display_name as decided_by_name',
    ]);

/** The requests of a state: those pending oldest first (a queue), the others latest decided first. */
export async function listVehicleChanges(db: Db, status: VehicleChangeStatus, page: number, size: number) {
  let q = staffQuery(db).where('r.status', '=', status);
  q = status === 'pending' ? q.orderBy('r.created_at').orderBy('r.id') : q.orderBy('r.decided_at', 'desc').orderBy('r.id');
  const rows = await q.limit(size).offset((page - 1) * size).execute();
  const { n } = await db.selectFrom('vehicle_changes').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}

/** How many requests in each state. */
export async function vehicleChangeCounts(db: Db): Promise<Record<VehicleChangeStatus, number>> {
  const rows = await db.selectFrom('vehicle_changes').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const counts = { pending: 0, approved: 0, refused: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export const staffVehicleChange = (db: Db, id: string) => staffQuery(db).where('r.id', '=', id).executeTakeFirst();
export type StaffVehicleChange = NonNullable<Awaited<ReturnType<typeof staffVehicleChange>>>;
