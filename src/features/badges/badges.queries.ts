import type { Db } from '../../db/database.ts';
import type { Product } from '../../db/schema.ts';

/*
 * Badges: what the pages read. Customer data by the customer's id, always.
 */

/** The customer's contract by its number, with its car park's code and name. */
export function ownContract(db: Db, customerId: string, number: string) {
  return db
    .selectFrom('contracts as c')
    .innerJoin('car_parks as p', 'p.id', 'c.car_park_id')
    .select(['c.id', 'c.number', 'c.product', 'c.status', 'c.badge_number', 'p.code as car_park_code', 'p.name as car_park_name'])
    .where('c.customer_id', '=', customerId)
    .where('c.number', '=', number)
    .executeTakeFirst();
}

export type OwnContract = NonNullable<Awaited<ReturnType<typeof ownContract>>>;

/** The replacement of the contract's current badge, if it was reported. */
export function replacementOfBadge(db: Db, contractId: string, badgeNumber: string) {
  return db.selectFrom('badge_replacements').selectAll().where('contract_id', '=', contractId).where('badge_number', '=', badgeNumber).executeTakeFirst();
}

/** The contract's replacements, newest first (the page's history). */
export function replacementsOf(db: Db, contractId: string) {
  return db.selectFrom('badge_replacements').selectAll().where('contract_id', '=', contractId).orderBy('created_at', 'desc').execute();
}

export type Replacement = Awaited<ReturnType<typeof replacementsOf>>[number];

/** The replacement-badge fee of a product, TTC. */
export async function badgeFee(db: Db, product: Product): Promise<number> {
  const row = await db.selectFrom('product_fees').select('badge_replacement_fee_cents').where('product', '=', product).executeTakeFirst();
  return row?.badge_replacement_fee_cents ?? DEFAULT_BADGE_FEE_CENTS;
}

/** What a product charges when no fee was ever set for it (migration 027 sets this for every product). */
export const DEFAULT_BADGE_FEE_CENTS = 1500;

/** Every product's fee, for the settings. */
export function productFees(db: Db) {
  return db.selectFrom('product_fees').select(['product', 'badge_replacement_fee_cents']).execute();
}

/** The customer's contract numbers whose current badge is blocked (reported, not yet replaced): Contrats says so. */
export async function blockedBadges(db: Db, customerId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('badge_replacements as r')
    .innerJoin('contracts as c', 'c.id', 'r.contract_id')
    .select('c.number')
    .where('r.customer_id', '=', customerId)
    .whereRef('r.badge_number', '=', 'c.badge_number')
    .execute();
  return new Set(rows.map((r) => r.number));
}

/** The back office's queue: the paid replacements to prepare, oldest paid first; and how many wait for payment. */
export async function replacementQueue(db: Db) {
  const rows = await db
    .selectFrom('badge_replacements as r')
    .innerJoin('contracts as c', 'c.id', 'r.contract_id')
    .innerJoin('car_parks as p', 'p.id', 'c.car_park_id')
    .innerJoin('customers as u', 'u.id', 'r.customer_id')
    .select(['r.id', 'r.badge_number', 'r.reason', 'r.paid_at', 'r.fee_cents', 'c.number as contract_number', 'p.name as car_park_name', 'u.id as customer_id', 'u.number as customer_number', 'u.last_name', 'u.first_name', 'u.company_name'])
    .where('r.status', '=', 'paid')
    .orderBy('r.paid_at')
    .limit(200)
    .execute();
  const waiting = await db.selectFrom('badge_replacements').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['blocked', 'awaiting_payment']).executeTakeFirstOrThrow();
  return { rows, waiting: Number(waiting.n) };
}

export type QueueRow = Awaited<ReturnType<typeof replacementQueue>>['rows'][number];
