import { inTransaction } from '../../db/database.js';
import { retryOnUniqueViolation } from '../../db/dialect.js';
import { audit, integrationDetails, integrationEntry } from '../../lib/audit.js';
import { newId, nowIso } from '../../lib/clock.js';
/** Creates or updates the car park of this code; nothing when it is already so. */
export async function putCarPark(db, clock, code, next, actor) {
    const attempt = () => inTransaction(db, async (trx) => {
        const before = await trx.selectFrom('car_parks').selectAll().where('code', '=', code).executeTakeFirst();
        if (!before) {
            const id = newId();
            await trx.insertInto('car_parks').values({ id, code, ...next, created_at: nowIso(clock) }).execute();
            await audit(trx, clock, { ...integrationEntry(actor), action: 'car_park.create', outcome: 'success', target_type: 'car_park', target_id: id, details: { ...integrationDetails(actor), code } });
            return { outcome: 'created', carParkId: id, fields: Object.keys(next) };
        }
        const fields = Object.keys(next).filter((k) => before[k] !== next[k]);
        if (fields.length === 0)
            return { outcome: 'unchanged', carParkId: before.id, fields };
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
//# sourceMappingURL=car-parks.integration.service.js.map