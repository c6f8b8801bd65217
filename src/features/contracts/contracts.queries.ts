import type { Db } from '../../db/database.ts';
import { jsonArrayFor, parseJsonArray } from '../../db/dialect.ts';
import type { ContractInput } from './contracts.integration.service.ts';

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
    // Its termination under way, if any (at most one not withdrawn: no row is repeated).
    .leftJoin('contract_terminations as r', (j) => j.onRef('r.contract_id', '=', 'k.id').on('r.status', '<>', 'withdrawn'))
    .selectAll('k')
    .select((eb) => [
      'r.effective_date as termination_effective_date',
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

// ---------------------------------------------------------------- as the operator's API shows them

/** A vehicle of a contract as the API shows it. */
export interface VehicleRecord {
  plate: string;
  country: string;
  description: string | null;
  valid_from: string | null;
  valid_to: string | null;
}

/** A termination under way, as the contract's resource shows it (`features/terminations`). */
export interface ContractTerminationRecord {
  reference: string;
  status: 'requested' | 'processed';
  requested_at: string;
  effective_date: string;
}

/** A contract as the API shows it (`GET /contracts/{number}`): the operator's view, every vehicle with its period. */
export type ContractRecord = Omit<ContractInput, 'vehicles' | 'purchase_order_reference'> & {
  purchase_order_reference: string | null;
  number: string;
  vehicles: VehicleRecord[];
  termination: ContractTerminationRecord | null;
  created_at: string;
};

/** Vehicles in the order of their periods (the open start first), then of their plates. */
const byPeriod = (a: VehicleRecord, b: VehicleRecord) =>
  (a.valid_from ?? '').localeCompare(b.valid_from ?? '') || a.plate.localeCompare(b.plate) || (a.valid_to ?? '9999').localeCompare(b.valid_to ?? '9999');

const recordQuery = (db: Db) => {
  const vehicles = jsonArrayFor(db);
  return db
    .selectFrom('contracts as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    // At most one termination not withdrawn per contract (its partial unique index): no row is repeated.
    .leftJoin('contract_terminations as r', (j) => j.onRef('r.contract_id', '=', 'k.id').on('r.status', '<>', 'withdrawn'))
    .selectAll('k')
    .select((eb) => [
      'c.number as customer_number',
      'p.code as car_park_code',
      'r.reference as termination_reference',
      'r.status as termination_status',
      'r.requested_at as termination_requested_at',
      'r.effective_date as termination_effective_date',
      vehicles(
        eb
          .selectFrom('contract_vehicles as v')
          .select(['v.plate', 'v.country', 'v.description', 'v.valid_from', 'v.valid_to'])
          .whereRef('v.contract_id', '=', 'k.id'),
      ).as('vehicles'),
    ]);
};

type RecordRow = Awaited<ReturnType<ReturnType<typeof recordQuery>['executeTakeFirstOrThrow']>>;

function contractRecord(r: RecordRow): ContractRecord {
  return {
    number: r.number,
    customer: r.customer_number,
    car_park: r.car_park_code,
    product: r.product,
    state: r.status,
    start_date: r.start_date,
    end_date: r.end_date,
    renewal_date: r.renewal_date,
    billing_period: r.billing_period,
    price_ht_cents: r.price_ht_cents,
    vat_rate_bp: r.vat_rate_bp,
    direct_debit: r.direct_debit === 1,
    badge_number: r.badge_number,
    space_label: r.space_label,
    max_vehicles: r.max_vehicles,
    purchase_order_reference: r.purchase_order_reference,
    vehicles: parseJsonArray<VehicleRecord>(r.vehicles).sort(byPeriod),
    termination:
      r.termination_reference && r.termination_requested_at && r.termination_effective_date && r.termination_status && r.termination_status !== 'withdrawn'
        ? { reference: r.termination_reference, status: r.termination_status, requested_at: r.termination_requested_at, effective_date: r.termination_effective_date }
        : null,
    created_at: r.created_at,
  };
}

/** The contract of this number as the API shows it; undefined when there is none. */
export async function contractRecordByNumber(db: Db, number: string): Promise<ContractRecord | undefined> {
  const row = await recordQuery(db).where('k.number', '=', number).executeTakeFirst();
  return row ? contractRecord(row) : undefined;
}

/** Contracts by number after `after` (exclusive), at most `count`; only the customer's of this number when one is given. */
export async function contractRecordsAfter(db: Db, after: string | null, count: number, customerNumber?: string): Promise<ContractRecord[]> {
  let q = recordQuery(db).orderBy('k.number').limit(count);
  if (after !== null) q = q.where('k.number', '>', after);
  if (customerNumber !== undefined) q = q.where('c.number', '=', customerNumber);
  return (await q.execute()).map(contractRecord);
}
