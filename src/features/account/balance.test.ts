import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { createCustomer } from '../../../tests/support/factories.ts';
import type { Db } from '../../db/database.ts';
import type { PaymentStatus } from '../../db/schema.ts';
import { newId } from '../../lib/clock.ts';
import { insertDocument, insertPayment } from '../../../tests/support/documents.ts';
import { sql } from 'kysely';
import { BALANCE_OF_CUSTOMER, SETTLED_OF_DOCUMENT } from '../../db/migrations/020_settled_amounts.ts';
import { accountBalance, documentBalances } from './balance.queries.ts';

/** Each document's kept `settled_cents` beside what the rows say now (the definition, computed afresh). */
async function keptAndDerived(db: Db, customerId: string) {
  const rows = await sql<{ id: string; kept: number; derived: number }>`
    select id, settled_cents as kept, ${sql.raw(SETTLED_OF_DOCUMENT)} as derived
    from financial_documents where customer_id = ${customerId}`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, kept: Number(r.kept), derived: Number(r.derived) }));
}

/** The customer's kept `balance_cents` beside what the rows say now. */
async function balanceKeptAndDerived(db: Db, customerId: string) {
  const row = await sql<{ kept: number; derived: number }>`
    select balance_cents as kept, ${sql.raw(BALANCE_OF_CUSTOMER)} as derived from customers where id = ${customerId}`.execute(db);
  return { kept: Number(row.rows[0]!.kept), derived: Number(row.rows[0]!.derived) };
}

let n = 0;
const doc = async (db: Db, customerId: string, kind: 'invoice' | 'credit_note', ttc: number, corrects: string | null = null) => {
  const d = await insertDocument(db, { customerId, kind, number: `BAL${++n}`, issueDate: '2026-11-01', htCents: Math.round(ttc / 1.2), corrects });
  expect(d.total_ttc_cents).toBe(ttc);
  return d.id;
};
const pay = (db: Db, customerId: string, amount: number, status: PaymentStatus, to: [string, number][]) =>
  insertPayment(db, customerId, amount, to, status);

describe.each(databaseKinds())('reste à payer (%s)', (kind) => {
  const t = useTestApp(kind);

  it('derives each document’s and the account’s balance from payments and credit notes', async () => {
    const c = await createCustomer(t.db, t.clock);
    const unpaid = await doc(t.db, c.id, 'invoice', 21280);
    const partly = await doc(t.db, c.id, 'invoice', 26000);
    const paid = await doc(t.db, c.id, 'invoice', 26000);
    const credited = await doc(t.db, c.id, 'invoice', 26000);
    const credit = await doc(t.db, c.id, 'credit_note', 6500, credited);
    await pay(t.db, c.id, 10000, 'succeeded', [[partly, 10000]]);
    await pay(t.db, c.id, 26000, 'succeeded', [[paid, 26000]]);
    await pay(t.db, c.id, 21280, 'failed', [[unpaid, 21280]]); // a failed payment settles nothing
    await pay(t.db, c.id, 5000, 'pending', [[credited, 5000]]);
    await t.db.insertInto('allocations').values({ id: newId(), invoice_id: credited, payment_id: null, credit_note_id: credit, amount_cents: 4000, created_at: '2026-11-03T00:00:00.000Z' }).execute();

    const balances = await documentBalances(t.db, c.id);
    expect(balances.get(unpaid)).toBe(21280);
    expect(balances.get(partly)).toBe(16000);
    expect(balances.get(paid)).toBe(0);
    expect(balances.get(credited)).toBe(22000);
    expect(balances.get(credit)).toBe(-2500); // 25,00 € of the credit note not yet used

    // 21280 + 26000·3 − 6500 − (10000 + 26000)
    expect(await accountBalance(t.db, c.id)).toBe(21280 + 78000 - 6500 - 36000);
    const sumOfDocuments = [...balances.values()].reduce((a, b) => a + b, 0);
    expect(sumOfDocuments).toBe(await accountBalance(t.db, c.id));
  });

  it('is zero for a customer with nothing, and counts money received but not yet allocated', async () => {
    const c = await createCustomer(t.db, t.clock);
    expect(await accountBalance(t.db, c.id)).toBe(0);
    await doc(t.db, c.id, 'invoice', 1000);
    await pay(t.db, c.id, 1500, 'succeeded', []);
    expect(await accountBalance(t.db, c.id)).toBe(-500);
  });

  it('shows a fully used credit note as 0, not -0, and ignores documents not yet published', async () => {
    const c = await createCustomer(t.db, t.clock);
    const invoice = await doc(t.db, c.id, 'invoice', 1200);
    const credit = await doc(t.db, c.id, 'credit_note', 1200, invoice);
    await t.db.insertInto('allocations').values({ id: newId(), invoice_id: invoice, payment_id: null, credit_note_id: credit, amount_cents: 1200, created_at: '2026-11-03T00:00:00.000Z' }).execute();
    const balances = await documentBalances(t.db, c.id);
    expect(Object.is(balances.get(credit), 0)).toBe(true);
    const draft = await doc(t.db, c.id, 'invoice', 5000);
    await t.db.updateTable('financial_documents').set({ published_at: null }).where('id', '=', draft).execute();
    expect(await accountBalance(t.db, c.id)).toBe(0);
    expect((await documentBalances(t.db, c.id)).has(draft)).toBe(false);
  });

  it('keeps each document’s settled amount in step with every change of allocations and payments', async () => {
    const c = await createCustomer(t.db, t.clock);
    const a = await doc(t.db, c.id, 'invoice', 12000);
    const b = await doc(t.db, c.id, 'invoice', 6000);
    const credit = await doc(t.db, c.id, 'credit_note', 3000, a);
    const pending = await pay(t.db, c.id, 8000, 'pending', [[a, 5000], [b, 3000]]);
    const settled = async () => new Map((await keptAndDerived(t.db, c.id)).map((r) => [r.id, r.kept]));
    expect(await settled()).toEqual(new Map([[a, 0], [b, 0], [credit, 0]])); // a pending payment settles nothing yet

    await t.db.updateTable('payments').set({ status: 'succeeded' }).where('id', '=', pending).execute();
    expect(await settled()).toEqual(new Map([[a, 5000], [b, 3000], [credit, 0]]));

    const allocation = newId();
    await t.db.insertInto('allocations').values({ id: allocation, invoice_id: a, payment_id: null, credit_note_id: credit, amount_cents: 2000, created_at: '2026-11-03T00:00:00.000Z' }).execute();
    expect(await settled()).toEqual(new Map([[a, 7000], [b, 3000], [credit, 2000]]));

    // Moved to the other invoice, then removed: both invoices follow.
    await t.db.updateTable('allocations').set({ invoice_id: b, amount_cents: 2500 }).where('id', '=', allocation).execute();
    expect(await settled()).toEqual(new Map([[a, 5000], [b, 5500], [credit, 2500]]));
    await t.db.deleteFrom('allocations').where('id', '=', allocation).execute();
    expect(await settled()).toEqual(new Map([[a, 5000], [b, 3000], [credit, 0]]));

    // A payment refused after the fact (a bounced debit) no longer settles anything.
    await t.db.updateTable('payments').set({ status: 'failed' }).where('id', '=', pending).execute();
    expect(await settled()).toEqual(new Map([[a, 0], [b, 0], [credit, 0]]));
    for (const r of await keptAndDerived(t.db, c.id)) expect(r.kept).toBe(r.derived);
  });

  it('keeps the account’s balance in step with every change of documents and payments', async () => {
    const c = await createCustomer(t.db, t.clock);
    const other = await createCustomer(t.db, t.clock);
    const balance = async () => {
      const b = await balanceKeptAndDerived(t.db, c.id);
      expect(b.kept).toBe(b.derived);
      return b.kept;
    };
    const invoice = await doc(t.db, c.id, 'invoice', 12000);
    expect(await balance()).toBe(12000);
    const credit = await doc(t.db, c.id, 'credit_note', 3000, invoice);
    expect(await balance()).toBe(9000);

    // Unpublished, then published again; its amount corrected; moved to another customer and back.
    await t.db.updateTable('financial_documents').set({ published_at: null }).where('id', '=', invoice).execute();
    expect(await balance()).toBe(-3000);
    await t.db.updateTable('financial_documents').set({ published_at: '2026-11-02T00:00:00.000Z', total_ttc_cents: 13000 }).where('id', '=', invoice).execute();
    expect(await balance()).toBe(10000);
    await t.db.updateTable('financial_documents').set({ customer_id: other.id }).where('id', '=', credit).execute();
    expect(await balance()).toBe(13000);
    expect((await balanceKeptAndDerived(t.db, other.id)).kept).toBe(-3000);
    await t.db.updateTable('financial_documents').set({ customer_id: c.id }).where('id', '=', credit).execute();

    // A payment: pending counts nothing, succeeded counts, its amount corrected, refused after the fact, removed.
    const payment = await pay(t.db, c.id, 4000, 'pending', []);
    expect(await balance()).toBe(10000);
    await t.db.updateTable('payments').set({ status: 'succeeded' }).where('id', '=', payment).execute();
    expect(await balance()).toBe(6000);
    await t.db.updateTable('payments').set({ amount_cents: 5000 }).where('id', '=', payment).execute();
    expect(await balance()).toBe(5000);
    await t.db.updateTable('payments').set({ status: 'failed' }).where('id', '=', payment).execute();
    expect(await balance()).toBe(10000);
    await t.db.updateTable('payments').set({ status: 'succeeded' }).where('id', '=', payment).execute();
    await t.db.deleteFrom('payments').where('id', '=', payment).execute();
    expect(await balance()).toBe(10000);
    await t.db.deleteFrom('financial_documents').where('id', '=', credit).execute();
    expect(await balance()).toBe(13000);
    expect(await accountBalance(t.db, c.id)).toBe(13000);
  });
});
