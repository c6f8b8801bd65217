import { describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase } from '../../tests/support/app.ts';
import { migrateToLatest, migrator } from './database.ts';

describe.each(databaseKinds())('migrations (%s)', (kind) => {
  it('007 renames the customers’ logins and carries the throttle’s holds over to their new keys', async () => {
    const { db } = await freshDatabase(kind);
    try {
      const down = await migrator(db).migrateTo('006_contact_submission');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.migrationName)).toContain('007_customer_logins');
      // A hold in progress, written by the code before the rename.
      await db
        .insertInto('login_throttle')
        .values({ key: 'account:CLT000042', failures: 7, window_started_at: '2026-11-27T09:50:00.000Z', locked_until: '2026-11-27T10:30:00.000Z' })
        .execute();
      expect(await migrateToLatest(db)).toContain('007_customer_logins');
      const rows = await db.selectFrom('login_throttle').selectAll().execute();
      expect(rows).toEqual([{ key: 'login:CLT000042', failures: 7, window_started_at: '2026-11-27T09:50:00.000Z', locked_until: '2026-11-27T10:30:00.000Z' }]);
      expect(await db.selectFrom('customer_logins').select('customer_id').execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('010 gives the customers and plates already there their search keys', async () => {
    const { db } = await freshDatabase(kind);
    try {
      const down = await migrator(db).migrateTo('009_staff');
      expect(down.error).toBeUndefined();
      const at = '2026-11-27T09:00:00.000Z';
      await db
        .insertInto('customers')
        .values({
          id: 'c1', number: 'CLT000001', kind: 'individual', civility: null, last_name: 'LEFÈVRE', first_name: 'Zoé', company_name: null, siren: null,
          address_line1: '1 RUE X', address_line2: null, postal_code: '75001', city: 'PARIS', country: 'France', phone: '01.23.45.67.89', mobile_phone: null,
          email_primary: 'Zoe@Example.fr', email_primary_verified_at: null, email_secondary: null, email_secondary_verified_at: null,
          paperless: 0, paperless_changed_at: null, language: 'fr', created_at: at, updated_at: at,
        } as never)
        .execute();
      await db.insertInto('car_parks').values({ id: 'p1', code: 'P1', name: 'P1', address_line: 'x', postal_code: '75001', city: 'PARIS', phone: '0', email: null, opening_hours: '[]', services: '[]', petit_rouleur_30: 0, created_at: at }).execute();
      await db
        .insertInto('contracts')
        .values({ id: 'k1', number: 'K1', customer_id: 'c1', car_park_id: 'p1', product: 'resident', status: 'active', start_date: '2026-01-01', end_date: null, renewal_date: null, billing_period: 'monthly', price_ht_cents: 1, vat_rate_bp: 2000, direct_debit: 0, badge_number: null, space_label: null, created_at: at })
        .execute();
      await db.insertInto('contract_vehicles').values({ id: 'v1', contract_id: 'k1', plate: 'ab-123 cd', description: null } as never).execute();
      expect(await migrateToLatest(db)).toContain('010_customer_search');
      const keys = await db.selectFrom('customer_search_keys').select(['customer_id', 'field', 'key']).orderBy('field').orderBy('key').execute();
      expect(keys).toEqual([
        { customer_id: 'c1', field: 'email', key: 'zoe@example.fr' },
        { customer_id: 'c1', field: 'name', key: 'lefevre' },
        { customer_id: 'c1', field: 'name', key: 'zoe' },
        { customer_id: 'c1', field: 'phone', key: '0123456789' },
      ]);
      expect(await db.selectFrom('contract_vehicles').select('plate_key').execute()).toEqual([{ plate_key: 'AB123CD' }]);
    } finally {
      await db.destroy();
    }
  });
});
