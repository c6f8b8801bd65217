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
});
