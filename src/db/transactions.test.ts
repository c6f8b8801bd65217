import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../tests/support/app.ts';
import { createCustomer } from '../../tests/support/factories.ts';
import { systemClock } from '../lib/clock.ts';

/*
 * Two processes on one SQLite file (`serve` beside `portal worker`, docs/operations.md). A
 * transaction that reads, then writes, must not fail because another process wrote in
 * between: with SQLite's deferred `begin` it did (SQLITE_BUSY at its first write, whatever
 * the busy timeout); the portal's transactions take the write lock at their start instead
 * (`dialect.ts`), and the other process's write waits for them.
 */

/** Another process's write, as a second portal process makes it: one statement, with the portal's busy timeout. */
const WRITER = `
const SQLite = require('better-sqlite3');
const db = new SQLite(process.env.FILE);
db.pragma('busy_timeout = 5000');
db.prepare('update customers set city = ? where id = ?').run('LYON', process.env.CUSTOMER);
db.close();
`;

describe('SQLite transactions beside another process writing', () => {
  it('a transaction that reads, then writes after the other process wrote, succeeds, and so does the other write', async () => {
    const { db, url } = await freshDatabase('sqlite');
    try {
      const read = await createCustomer(db, systemClock);
      const written = await createCustomer(db, systemClock);
      let exited: Promise<number | null> | undefined;
      await db.transaction().execute(async (trx) => {
        const { phone } = await trx.selectFrom('customers').select('phone').where('id', '=', read.id).executeTakeFirstOrThrow();
        const writer = spawn(process.execPath, ['-e', WRITER], { env: { PATH: process.env.PATH ?? '', FILE: url.slice('sqlite:'.length), CUSTOMER: read.id }, stdio: 'inherit' });
        exited = new Promise((resolve) => writer.on('exit', resolve));
        // The other process writes now, or (holding no lock) waits for this transaction to end.
        await Promise.race([exited, new Promise((r) => setTimeout(r, 1500))]);
        await trx.updateTable('customers').set({ mobile_phone: phone }).where('id', '=', written.id).execute();
      });
      expect(await exited, 'the other process wrote').toBe(0);
      const rows = await db.selectFrom('customers').select(['id', 'city', 'mobile_phone']).where('id', 'in', [read.id, written.id]).execute();
      expect(rows.find((r) => r.id === read.id)?.city).toBe('LYON');
      expect(rows.find((r) => r.id === written.id)?.mobile_phone).toBe(read.phone);
    } finally {
      await db.destroy();
    }
  }, 30_000);
});
