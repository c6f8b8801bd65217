import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../tests/support/app.ts';
import { createCustomer } from '../../tests/support/factories.ts';
import { lineAmounts } from '../lib/money.ts';
import { newId } from '../lib/clock.ts';
import { type Db, migrator } from './database.ts';
import { createRowTrigger, dropRowTrigger } from './dialect.ts';
import { BALANCE_OF_CUSTOMER } from './migrations/020_settled_amounts.ts';

/*
 * Migration 022: a draft's write runs none of the balance's triggers (an import of drafts
 * writes no customer row), and the balance stays what its definition says through a draft's
 * whole life — written, changed, published, unpublished, moved, deleted.
 */

/** Every write of a customer's balance, recorded by a trigger of the test's own. */
const WATCH = {
  name: 'test_balance_writes',
  table: 'customers',
  event: 'update of balance_cents',
  statements: ['insert into test_balance_writes (customer_id) values (new.id)'],
};

async function watchBalanceWrites(db: Db) {
  await sql`create table test_balance_writes (customer_id text not null)`.execute(db);
  await createRowTrigger(db, WATCH);
  return {
    count: async (customerId: string) =>
      Number((await sql<{ n: number }>`select count(*) as n from test_balance_writes where customer_id = ${customerId}`.execute(db)).rows[0]!.n),
    stop: async () => {
      await dropRowTrigger(db, WATCH);
      await sql`drop table test_balance_writes`.execute(db);
    },
  };
}

/** The kept balance, checked against its definition. */
async function balance(db: Db, customerId: string) {
  const row = (await sql<{ kept: number; derived: number }>`
    select balance_cents as kept, ${sql.raw(BALANCE_OF_CUSTOMER)} as derived from customers where id = ${customerId}`.execute(db)).rows[0]!;
  expect(Number(row.kept)).toBe(Number(row.derived));
  return Number(row.kept);
}

let n = 0;
/** A draft invoice (or credit note) of `ttc` cents, as the ERP's write inserts it. */
async function insertDraft(db: Db, customerId: string, ttc: number, kind: 'invoice' | 'credit_note' = 'invoice') {
  const id = newId();
  const a = lineAmounts(Math.round(ttc / 1.2), 1000, 2000);
  await db
    .insertInto('financial_documents')
    .values({
      id,
      number: `DRAFT${++n}`,
      kind,
      customer_id: customerId,
      contract_id: null,
      corrects_document_id: null,
      issue_date: '2026-11-01',
      period_start: null,
      period_end: null,
      due_date: null,
      ...a,
      pdf_sha256: null,
      published_at: null,
      created_at: '2026-11-01T08:00:00.000Z',
    })
    .execute();
  expect(a.total_ttc_cents).toBe(ttc);
  return id;
}

const publish = (db: Db, id: string) => db.updateTable('financial_documents').set({ published_at: '2026-11-02T08:00:00.000Z' }).where('id', '=', id).execute();

describe.each(databaseKinds())('a draft and its customer’s balance (%s)', (kind) => {
  const t = useTestApp(kind);

  it('writes no customer row for a draft inserted, changed or deleted', async () => {
    const c = await createCustomer(t.db, t.clock);
    const watch = await watchBalanceWrites(t.db);
    try {
      const draft = await insertDraft(t.db, c.id, 12000);
      await t.db.updateTable('financial_documents').set({ total_ttc_cents: 13000, total_ht_cents: 10833, total_vat_cents: 2167 }).where('id', '=', draft).execute();
      await t.db.deleteFrom('financial_documents').where('id', '=', draft).execute();
      expect(await watch.count(c.id)).toBe(0);
      expect(await balance(t.db, c.id)).toBe(0);

      // Published, it counts: the update moves the balance (its part before out, after in).
      const invoice = await insertDraft(t.db, c.id, 6000);
      await publish(t.db, invoice);
      expect(await watch.count(c.id)).toBe(2);
      expect(await balance(t.db, c.id)).toBe(6000);
    } finally {
      await watch.stop();
    }
  });

  it('keeps the balance through a draft’s life: changed, published, unpublished, moved, deleted', async () => {
    const c = await createCustomer(t.db, t.clock);
    const other = await createCustomer(t.db, t.clock);
    const invoice = await insertDraft(t.db, c.id, 12000);
    const credit = await insertDraft(t.db, c.id, 3000, 'credit_note');
    expect(await balance(t.db, c.id)).toBe(0);

    // A draft changed, then published: its amount as published counts.
    await t.db.updateTable('financial_documents').set({ total_ttc_cents: 24000, total_ht_cents: 20000, total_vat_cents: 4000 }).where('id', '=', invoice).execute();
    expect(await balance(t.db, c.id)).toBe(0);
    await publish(t.db, invoice);
    expect(await balance(t.db, c.id)).toBe(24000);
    await publish(t.db, credit);
    expect(await balance(t.db, c.id)).toBe(21000);

    // Back to a draft, changed and moved as a draft, published again at the other customer.
    await t.db.updateTable('financial_documents').set({ published_at: null }).where('id', '=', credit).execute();
    expect(await balance(t.db, c.id)).toBe(24000);
    await t.db.updateTable('financial_documents').set({ customer_id: other.id, total_ttc_cents: 6000, total_ht_cents: 5000, total_vat_cents: 1000 }).where('id', '=', credit).execute();
    expect(await balance(t.db, other.id)).toBe(0);
    await publish(t.db, credit);
    expect(await balance(t.db, other.id)).toBe(-6000);
    expect(await balance(t.db, c.id)).toBe(24000);

    // Published documents deleted: their part goes; a draft deleted changes nothing.
    const draft = await insertDraft(t.db, c.id, 500);
    await t.db.deleteFrom('financial_documents').where('id', 'in', [invoice, draft]).execute();
    expect(await balance(t.db, c.id)).toBe(0);
    await t.db.deleteFrom('financial_documents').where('id', '=', credit).execute();
    expect(await balance(t.db, other.id)).toBe(0);
  });

  it('022 down writes the customer for a draft again, as 020 did; up again, no more', async () => {
    const c = await createCustomer(t.db, t.clock);
    const watch = await watchBalanceWrites(t.db);
    try {
      expect((await migrator(t.db).migrateTo('021_history_indexes')).error).toBeUndefined();
      await insertDraft(t.db, c.id, 1200);
      expect(await watch.count(c.id)).toBe(1);
      expect((await migrator(t.db).migrateToLatest()).error).toBeUndefined();
      await insertDraft(t.db, c.id, 1200);
      expect(await watch.count(c.id)).toBe(1);
      expect(await balance(t.db, c.id)).toBe(0);
    } finally {
      await watch.stop();
    }
  });
});
