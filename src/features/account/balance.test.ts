import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { createCustomer } from '../../../tests/support/factories.ts';
import type { Db } from '../../db/database.ts';
import type { PaymentStatus } from '../../db/schema.ts';
import { newId } from '../../lib/clock.ts';
import { insertDocument, insertPayment } from '../../../tests/support/documents.ts';
import { accountBalance, documentBalances } from './balance.queries.ts';

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
});
