import { type Db, inTransaction } from '../../db/database.ts';
import { retryOnUniqueViolation } from '../../db/dialect.ts';
import type { CarPark, CarParkTable } from '../../db/schema.ts';
import type { PutOutcome } from '../../lib/api.ts';
import { type IntegrationActor, audit, integrationDetails, integrationEntry } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';

/*
 * A car park as the operator's systems write it — through the API (`car-parks.api.ts`) or the
 * bulk import — by its code: created when the code is new, updated when something differs,
 * left alone (nothing written, nothing audited) when it is already as sent. Admins edit the
 * same columns at `/gestion/parametres/parkings` (`saveCarPark`).
 */

/** The columns of a car park the ERP writes: as stored (hours and services as their JSON). */
export type CarParkColumns = Omit<CarParkTable, 'id' | 'code' | 'created_at'>;

export interface PutCarParkResult {
  outcome: PutOutcome;
  carParkId: string;
  fields: string[];
}

/** Creates or updates the car park of this code; nothing when it is already so. */
export async function putCarPark(db: Db, clock: Clock, code: string, next: CarParkColumns, actor: IntegrationActor): Promise<PutCarParkResult> {
  const attempt = () =>
    inTransaction(db, async (trx): Promise<PutCarParkResult> => {
      const before = await trx.selectFrom('car_parks').selectAll().where('code', '=', code).executeTakeFirst();
      if (!before) {
        const id = newId();
        await trx.insertInto('car_parks').values({ id, code, ...next, created_at: nowIso(clock) }).execute();
        await audit(trx, clock, { ...integrationEntry(actor), action: 'car_park.create', outcome: 'success', target_type: 'car_park', target_id: id, details: { ...integrationDetails(actor), code } });
        return { outcome: 'created', carParkId: id, fields: Object.keys(next) };
      }
      const fields = (Object.keys(next) as (keyof CarParkColumns)[]).filter((k) => (before as CarPark)[k] !== next[k]);
      if (fields.length === 0) return { outcome: 'unchanged', carParkId: before.id, fields };
      await trx.updateTable('car_parks').set(next).where('id', '=', before.id).execute();
      await audit(trx, clock, {
        ...integrationEntry(actor),
        action: 'car_park.update',
        outcome: 'success',
        target_type: 'car_park',
        target_id: before.id,
        details: { ...integrationDetails(actor), code, changes: Object.fromEntries(fields.map((f) => [f, [before[f], next[f]]])) },
      });
      return { outcome: 'updated', carParkId: before.id, fields };
    });
  return retryOnUniqueViolation(db, attempt);
}
