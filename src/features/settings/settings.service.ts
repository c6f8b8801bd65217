import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { LogoType } from '../../db/schema.ts';
import { type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, nowIso } from '../../lib/clock.ts';
import { contentStore } from '../../lib/content-store.ts';
import { operatorSettings } from './settings.queries.ts';
import { type CarParkDetails, type OperatorSettings, changesBetween, settingsFromEnvironment } from './settings.rules.ts';

/*
 * Changes to the operator's settings and car parks, each audited with what changed (old → new).
 * Readers use `operatorSettings` (settings.queries.ts).
 */

/**
 * The first start: writes the environment's settings (`settingsFromEnvironment`) when none
 * are stored; afterwards the environment is no longer read for them. Two processes starting
 * at once write one row.
 */
export async function seedOperatorSettings(db: Db, clock: Clock, config: Config): Promise<void> {
  await db
    .insertInto('operator_settings')
    .values({ id: 1, ...settingsFromEnvironment(config), updated_at: nowIso(clock), updated_by: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Saves the settings an admin typed; returns the fields changed (none: nothing written nor audited). */
export async function saveOperatorSettings(
  db: Db,
  clock: Clock,
  config: Config,
  next: Partial<OperatorSettings>,
  actor: StaffActor,
  action = 'settings.update',
): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const before = await operatorSettings(trx, config);
    const changes = changesBetween(before, next);
    const fields = Object.keys(changes);
    if (fields.length === 0) return [];
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

/**
 * The logo: PNG or JPEG bytes, already checked, put in the asset store; its digest in the
 * settings (null: no logo). The logo replaced or removed is deleted from the store once the
 * settings name it no more (pages and invoices hold no link to it: invoices embed the bytes),
 * so that no stored file is orphaned (`verify`).
 */
export async function saveLogo(
  db: Db,
  clock: Clock,
  config: Config,
  logo: { bytes: Buffer; type: LogoType } | null,
  actor: StaffActor,
): Promise<string[]> {
  const store = contentStore(config, 'assets');
  const before = (await operatorSettings(db, config)).logo_sha256;
  const sha256 = logo ? await store.put(logo.bytes) : null;
  const changed = await saveOperatorSettings(db, clock, config, { logo_sha256: sha256, logo_type: logo?.type ?? null }, actor, logo ? 'settings.logo' : 'settings.logo_removed');
  if (before && before !== sha256 && (await operatorSettings(db, config)).logo_sha256 !== before) await store.delete(before);
  return changed;
}

/** Saves a car park's details; returns the columns changed (none: nothing written nor audited). */
export async function saveCarPark(
  db: Db,
  clock: Clock,
  code: string,
  next: CarParkDetails,
  actor: StaffActor,
): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('car_parks').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
    const changes = changesBetween(before, next);
    const fields = Object.keys(changes);
    if (fields.length === 0) return [];
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
