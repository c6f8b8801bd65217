import type { Db } from '../../db/database.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';

export function findProfile(db: Db, customerId: string) {
  return db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
}

/** The customer's contracts with their car park, current ones first. */
export function findContractSummaries(db: Db, customerId: string) {
  return db
    .selectFrom('contracts as k')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select(['k.id', 'k.number', 'k.product', 'k.status', 'k.start_date', 'k.end_date', 'p.name as car_park_name'])
    .where('k.customer_id', '=', customerId)
    .orderBy((eb) => eb.case().when('k.status', '=', 'ended').then(1).else(0).end())
    .orderBy('k.start_date', 'desc')
    .execute();
}

export type ContractSummary = Awaited<ReturnType<typeof findContractSummaries>>[number];

/** Records a paperless choice: the current state on the customer, the dated change in its history. */
export async function setPaperless(db: Db, clock: Clock, customerId: string, given: boolean, source: string, ip: string | null) {
  const now = nowIso(clock);
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('customers').select('paperless').where('id', '=', customerId).executeTakeFirstOrThrow();
    if ((current.paperless === 1) === given) return;
    await trx.updateTable('customers').set({ paperless: given ? 1 : 0, paperless_changed_at: now, updated_at: now }).where('id', '=', customerId).execute();
    await trx.insertInto('paperless_consents').values({ id: newId(), customer_id: customerId, given: given ? 1 : 0, at: now, source, ip }).execute();
  });
}
