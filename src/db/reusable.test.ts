import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../tests/support/app.ts';
import { createCustomer } from '../../tests/support/factories.ts';
import type { Db } from './database.ts';
import { reusableQuery } from './reusable.ts';

describe.each(databaseKinds())('a reusable query (%s)', (kind) => {
  const t = useTestApp(kind);

  it('runs the query built once with each call’s values, as the fresh query would', async () => {
    const a = await createCustomer(t.db, t.clock, { last_name: 'Reusable-A' });
    const b = await createCustomer(t.db, t.clock, { last_name: 'Reusable-B' });
    const names = reusableQuery((db: Db, q: { first: string; second: string; limit: number }) =>
      db
        .selectFrom('customers')
        .select('last_name')
        .where('id', 'in', [q.first, q.second])
        .orderBy('last_name')
        .limit(sql.lit(q.limit)),
      // Written into the SQL, and kept once per value.
      { literals: ['limit'] },
    );
    const byFresh = (ids: string[], limit: number) => t.db.selectFrom('customers').select('last_name').where('id', 'in', ids).orderBy('last_name').limit(limit).execute();
    expect(await names(t.db, { first: a.id, second: b.id, limit: 5 })).toEqual(await byFresh([a.id, b.id], 5));
    expect(await names(t.db, { first: b.id, second: b.id, limit: 5 })).toEqual([{ last_name: 'Reusable-B' }]);
    expect(await names(t.db, { first: a.id, second: b.id, limit: 1 })).toEqual([{ last_name: 'Reusable-A' }]);
  });

  it('refuses an argument computed with, and under the tests a query whose shape depends on its values', async () => {
    const c = await createCustomer(t.db, t.clock);
    const computed = reusableQuery((db: Db, q: { year: number }) => db.selectFrom('customers').select('id').where('created_at', '>=', `${q.year}-01-01`));
    await expect(computed(t.db, { year: 2026 })).rejects.toThrow(/computed with/);
    const written = reusableQuery((db: Db, q: { limit: number }) => db.selectFrom('customers').select('id').limit(sql.lit(q.limit)));
    await expect(written(t.db, { limit: 5 })).rejects.toThrow(/written into the SQL/);
    const optional = reusableQuery((db: Db, q: { id?: string }) => db.selectFrom('customers').select('id').where('id', '=', q.id ?? ''));
    await optional(t.db, { id: c.id });
    await expect(optional(t.db, {})).rejects.toThrow(/called with the arguments/);

    const branching = reusableQuery((db: Db, q: { id: string | null }) => {
      let query = db.selectFrom('customers').select('id');
      if (q.id) query = query.where('id', '=', q.id);
      return query;
    });
    // Built with a marker (a value), the query filters; called without one, it must not.
    await expect(branching(t.db, { id: null })).rejects.toThrow(/shape depends on its arguments/);
    expect(await branching(t.db, { id: c.id })).toEqual([{ id: c.id }]);
  });

  it.runIf(kind === 'postgres')('is prepared once per PostgreSQL connection, under its name, and gives the same rows', async () => {
    const c = await createCustomer(t.db, t.clock, { last_name: 'Prepared' });
    const byId = reusableQuery((db: Db, q: { id: string }) => db.selectFrom('customers').select('last_name').where('id', '=', q.id));
    await t.db.transaction().execute(async (trx) => {
      expect(await byId(trx, { id: c.id })).toEqual([{ last_name: 'Prepared' }]);
      expect(await byId(trx, { id: c.id })).toEqual([{ last_name: 'Prepared' }]);
      const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements where name like 'portal\_%'`.execute(trx);
      expect(prepared.rows.some((r) => r.statement.includes('"last_name"') && r.statement.includes('"customers"'))).toBe(true);
    });
  });
});

describe('a reusable query on SQLite', () => {
  const t = useTestApp('sqlite');

  it('reads the last committed state without waiting for a transaction in progress, and its own writes inside one', async () => {
    const c = await createCustomer(t.db, t.clock, { last_name: 'Committed' });
    const nameOf = reusableQuery((db: Db, q: { id: string }) => db.selectFrom('customers').select('last_name').where('id', '=', q.id));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const transaction = t.db.transaction().execute(async (trx) => {
      await trx.updateTable('customers').set({ last_name: 'Uncommitted' }).where('id', '=', c.id).execute();
      // Inside the transaction, its own write.
      expect(await nameOf(trx, { id: c.id })).toEqual([{ last_name: 'Uncommitted' }]);
      inside();
      await held;
    });
    await started;
    // Outside, while the transaction holds the connection: at once, and what was committed.
    expect(await nameOf(t.db, { id: c.id })).toEqual([{ last_name: 'Committed' }]);
    release();
    await transaction;
    expect(await nameOf(t.db, { id: c.id })).toEqual([{ last_name: 'Uncommitted' }]);
  });

  it('only reads on its connection', async () => {
    const c = await createCustomer(t.db, t.clock);
    const rename = reusableQuery((db: Db, q: { id: string }) => db.updateTable('customers').set({ last_name: 'Written' }).where('id', '=', q.id).returning('id'));
    await expect(rename(t.db, { id: c.id })).rejects.toThrow(/readonly|query_only|attempt to write/i);
  });
});
