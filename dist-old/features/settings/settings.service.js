import { audit } from '../../lib/audit.js';
import { nowIso } from '../../lib/clock.js';
import { contentStore } from '../../lib/content-store.js';
import { operatorSettings } from './settings.queries.js';
import { changesBetween, settingsFromEnvironment } from './settings.rules.js';
/*
 * Changes to the operator's settings and car parks, each audited with what changed (old → new).
 * Readers use `operatorSettings` (settings.queries.ts).
 */
/**
 * The first start: writes the environment's settings (`settingsFromEnvironment`) when none
 * are stored; afterwards the environment is no longer read for them. Two processes starting
 * at once write one row.
 */
export async function seedOperatorSettings(db, clock, config) {
    await db
        .insertInto('operator_settings')
        .values({ id: 1, ...settingsFromEnvironment(config), updated_at: nowIso(clock), updated_by: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
}
/** Saves the settings an admin typed; returns the fields changed (none: nothing written nor audited). */
export async function saveOperatorSettings(db, clock, config, next, actor, action = 'settings.update') {
    return db.transaction().execute(async (trx) => {
        const before = await operatorSettings(trx, config);
        const changes = changesBetween(before, next);
        const fields = Object.keys(changes);
        if (fields.length === 0)
            return [];
        await seedOperatorSettings(trx, clock, config);
        await trx
            .updateTable('operator_settings')
            .set({ ...next, updated_at: nowIso(clock), updated_by: actor.staffId })
            .where('id', '=', 1)
            .execute();
        await audit(trx, clock, {
            actor_type: 'staff',
            actor_id: actor.staffId,
            action,
            outcome: 'success',
            target_type: 'operator_settings',
            target_id: '1',
            ...actor.meta,
            details: { changes },
        });
        return fields;
    });
}
/** Where the logo is kept: content-addressed, apart from documents and attachments, under `DATA_DIR/assets/`. */
/** The logo: PNG or JPEG bytes, already checked, put in the asset store; its digest in the settings (null: no logo). */
export async function saveLogo(db, clock, config, logo, actor) {
    const sha256 = logo ? await contentStore(config, 'assets').put(logo.bytes) : null;
    return saveOperatorSettings(db, clock, config, { logo_sha256: sha256, logo_type: logo?.type ?? null }, actor, logo ? 'settings.logo' : 'settings.logo_removed');
}
/** Saves a car park's details; returns the columns changed (none: nothing written nor audited). */
export async function saveCarPark(db, clock, code, next, actor) {
    return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('car_parks').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
        const changes = changesBetween(before, next);
        const fields = Object.keys(changes);
        if (fields.length === 0)
            return [];
        await trx.updateTable('car_parks').set(next).where('id', '=', before.id).execute();
        await audit(trx, clock, {
            actor_type: 'staff',
            actor_id: actor.staffId,
            action: 'car_park.update',
            outcome: 'success',
            target_type: 'car_park',
            target_id: before.id,
            ...actor.meta,
            details: { code, changes },
        });
        return fields;
    });
}
//# sourceMappingURL=settings.service.js.map