import { inTransaction } from '../../db/database.ts';
import type { Db } from '../../db/database.ts';
import { forUpdate, retryOnUniqueViolation } from '../../db/dialect.ts';
import type { BillingPeriod, ContractStatus, Product } from '../../db/schema.ts';
import type { PutOutcome } from '../../lib/api.ts';
import { type IntegrationActor, audit, integrationDetails, integrationEntry } from '../../lib/audit.ts';
import { type Clock, newId, nowIso, parisDate } from '../../lib/clock.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import { plateKey } from '../customers/customers.rules.ts';
import { type HeldVehicle, type SentVehicle, type VehiclePlan, planIsEmpty, planVehicles } from './contracts.rules.ts';

/*
 * A contract as the operator's billing system (ERP) writes it — through the API
 * (`contracts.api.ts`) or the bulk import — by the operator's contract number: created when the
 * number is new, updated when something differs, left alone (nothing written, nothing audited)
 * when it is already as sent. Its customer and car park are named by their own identifiers and
 * must exist (else `validation_failed` naming `customer` / `car_park`); a contract stays with its
 * customer (another one: `api_conflict` naming `customer`).
 *
 * The vehicles sent replace those the portal holds the way `planVehicles` says
 * (`contracts.rules.ts`): matched by plate, history kept — a plate no longer sent ends the day
 * before, one not begun yet is removed, one already ended stays. Every plate is written with
 * its `plate_key` (`plateKey`), what the back office's search finds it by. Audited against the
 * customer (`contract.create`, `contract.update`: the fields and plates changed, not values).
 */

/** What the ERP says of a contract (the API's body, an import's row), read and checked. */
export interface ContractInput {
  /** The customer's number. */
  customer: string;
  /** The car park's code. */
  car_park: string;
  product: Product;
  state: ContractStatus;
  start_date: string;
  end_date: string | null;
  renewal_date: string | null;
  billing_period: BillingPeriod;
  price_ht_cents: number;
  vat_rate_bp: number;
  direct_debit: boolean;
  badge_number: string | null;
  space_label: string | null;
  /** How many vehicles the contract allows at once (the customer's requests are checked against it). */
  max_vehicles: number;
  /** The customer's purchase-order reference; absent: the one held is kept. */
  purchase_order_reference?: string | null | undefined;
  /** Plates already read (`vehiclePlate`). */
  vehicles: SentVehicle[];
}

export interface PutContractResult {
  outcome: PutOutcome;
  contractId: string;
  customerId: string;
  /** The columns written (none when unchanged; every one when created), and `vehicles` when they changed. */
  fields: string[];
}

/** The columns of `contracts` the ERP writes, its customer and car park resolved. */
function columnsOf(input: ContractInput, customerId: string, carParkId: string) {
  return {
    customer_id: customerId,
    car_park_id: carParkId,
    product: input.product,
    status: input.state,
    start_date: input.start_date,
    end_date: input.end_date,
    renewal_date: input.renewal_date,
    billing_period: input.billing_period,
    price_ht_cents: input.price_ht_cents,
    vat_rate_bp: input.vat_rate_bp,
    direct_debit: input.direct_debit ? 1 : 0,
    badge_number: input.badge_number,
    space_label: input.space_label,
    max_vehicles: input.max_vehicles,
    ...(input.purchase_order_reference !== undefined ? { purchase_order_reference: input.purchase_order_reference } : {}),
  };
}

type Columns = ReturnType<typeof columnsOf>;

/** What the audit says of a vehicle plan: the plates, by what happened to them. */
const planDetails = (p: VehiclePlan) =>
  Object.fromEntries(
    Object.entries({
      added: p.insert.map((v) => v.plate),
      changed: p.update.map((u) => u.after.plate),
      ended: p.end.map((e) => e.plate),
      removed: p.remove.map((r) => r.plate),
    }).filter(([, plates]) => plates.length > 0),
  );

/** Writes a vehicle plan for a contract. */
async function applyPlan(trx: Db, contractId: string, plan: VehiclePlan): Promise<void> {
  const row = (v: SentVehicle) => ({ ...v, plate_key: plateKey(v.plate) });
  if (plan.insert.length > 0) await trx.insertInto('contract_vehicles').values(plan.insert.map((v) => ({ id: newId(), contract_id: contractId, ...row(v) }))).execute();
  for (const u of plan.update) await trx.updateTable('contract_vehicles').set(row(u.after)).where('id', '=', u.id).execute();
  for (const e of plan.end) await trx.updateTable('contract_vehicles').set({ valid_to: e.valid_to }).where('id', '=', e.id).execute();
  if (plan.remove.length > 0) await trx.deleteFrom('contract_vehicles').where('id', 'in', plan.remove.map((r) => r.id)).execute();
}

/** The customer's and the car park's ids; every one of them unknown named. */
async function references(trx: Db, input: ContractInput): Promise<{ customerId: string; carParkId: string }> {
  const [customer, park] = await Promise.all([
    trx.selectFrom('customers').select('id').where('number', '=', input.customer).executeTakeFirst(),
    trx.selectFrom('car_parks').select('id').where('code', '=', input.car_park).executeTakeFirst(),
  ]);
  const fields: FieldError[] = [];
  if (!customer) fields.push({ field: 'customer', code: 'not_found', key: 'api.field.customerUnknown' });
  if (!park) fields.push({ field: 'car_park', code: 'not_found', key: 'api.field.carParkUnknown' });
  if (!customer || !park) throw new AppError('validation_failed', { fields, detail: 'contract names an unknown customer or car park' });
  return { customerId: customer.id, carParkId: park.id };
}

/** Creates or updates the contract of this number from what the ERP says; nothing when it is already so. */
export async function putContract(db: Db, clock: Clock, number: string, input: ContractInput, actor: IntegrationActor): Promise<PutContractResult> {
  const attempt = () =>
    inTransaction(db, async (trx): Promise<PutContractResult> => {
      const { customerId, carParkId } = await references(trx, input);
      const next = columnsOf(input, customerId, carParkId);
      const today = parisDate(clock.now());
      // Changes to one contract at the same instant (two PUTs) one after the other.
      const before = await forUpdate(trx, trx.selectFrom('contracts').selectAll().where('number', '=', number)).executeTakeFirst();
      if (!before) {
        const id = newId();
        await trx.insertInto('contracts').values({ id, number, ...next, created_at: nowIso(clock) }).execute();
        const plan = planVehicles([], input.vehicles, today);
        await applyPlan(trx, id, plan);
        await audit(trx, clock, {
          ...integrationEntry(actor),
          action: 'contract.create',
          outcome: 'success',
          target_type: 'customer',
          target_id: customerId,
          details: { ...integrationDetails(actor), contract: number, ...(plan.insert.length > 0 ? { vehicles: planDetails(plan) } : {}) },
        });
        return { outcome: 'created', contractId: id, customerId, fields: [...Object.keys(next), ...(plan.insert.length > 0 ? ['vehicles'] : [])] };
      }

      if (before.customer_id !== customerId) {
        throw new AppError('api_conflict', {
          fields: [{ field: 'customer', code: 'moved', key: 'api.field.contractCustomer' }],
          detail: `contract ${number} belongs to another customer`,
        });
      }
      const held: HeldVehicle[] = await trx
        .selectFrom('contract_vehicles')
        .select(['id', 'plate', 'country', 'description', 'valid_from', 'valid_to'])
        .where('contract_id', '=', before.id)
        .orderBy('id')
        .execute();
      const plan = planVehicles(held, input.vehicles, today);
      const fields: string[] = (Object.keys(next) as (keyof Columns)[]).filter((k) => before[k] !== next[k]);
      if (fields.length === 0 && planIsEmpty(plan)) return { outcome: 'unchanged', contractId: before.id, customerId, fields };
      if (fields.length > 0) await trx.updateTable('contracts').set(next).where('id', '=', before.id).execute();
      await applyPlan(trx, before.id, plan);
      await audit(trx, clock, {
        ...integrationEntry(actor),
        action: 'contract.update',
        outcome: 'success',
        target_type: 'customer',
        target_id: customerId,
        // Which fields and plates, not the values: the record holds those.
        details: { ...integrationDetails(actor), contract: number, fields, ...(planIsEmpty(plan) ? {} : { vehicles: planDetails(plan) }) },
      });
      return { outcome: 'updated', contractId: before.id, customerId, fields: planIsEmpty(plan) ? fields : [...fields, 'vehicles'] };
    });
  return retryOnUniqueViolation(db, attempt);
}
