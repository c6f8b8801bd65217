import { settingsFromEnvironment } from './settings.rules.js';
import { reusableQuery } from '../../db/reusable.js';
/**
 * The operator's settings: the one way every page, e-mail, PDF and job reads the operator's
 * identity, contacts, creditor, logo and colour. The stored row (`operator_settings`); before
 * the first start has written it (a worker started before any server), the environment's.
 * One read of one row by its key: callers read it when they need it — the app once per
 * request (`app.operator`), a job or a service at each run, inside its transaction when it
 * has one — so a change an admin saves is seen at once by every process.
 */
/** Read on every page (the header and footer show it). */
const settingsRow = reusableQuery((db, a) => db.selectFrom('operator_settings').selectAll().where('id', '=', a.id));
export async function operatorSettings(db, config) {
    const [row] = await settingsRow(db, { id: 1 });
    if (!row)
        return settingsFromEnvironment(config);
    const { id: _id, updated_at: _at, updated_by: _by, ...settings } = row;
    return settings;
}
/** When and by whom the settings were last saved (null by: the first start). */
export function settingsLastSaved(db) {
    return db
        .selectFrom('operator_settings as s')
        .leftJoin('staff_members as m', 'm.id', 's.updated_by')
        .select(['s.updated_at', 'm.display_name'])
        .where('s.id', '=', 1)
        .executeTakeFirst();
}
/** One car park by its code, for its settings page. */
export function findCarPark(db, code) {
    return db.selectFrom('car_parks').selectAll().where('code', '=', code).executeTakeFirst();
}
/** Car parks by code after `after` (exclusive), at most `count`: the API's pages. */
export function carParksAfter(db, after, count) {
    let q = db.selectFrom('car_parks').selectAll().orderBy('code').limit(count);
    if (after !== null)
        q = q.where('code', '>', after);
    return q.execute();
}
//# sourceMappingURL=settings.queries.js.map