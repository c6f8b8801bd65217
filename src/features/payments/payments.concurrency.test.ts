import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument, insertPayment } from '../../../tests/support/documents.ts';
import { activeSubscriber } from '../../../tests/support/factories.ts';
import { newId } from '../../lib/clock.ts';
import { accountBalance, documentBalances } from '../account/balance.queries.ts';
import { processProviderEvent, startAttempt } from './payments.service.ts';

/* The races a second tab, a double click or a late webhook can make (W2, R2). */
describe.each(databaseKinds())('payments under concurrency (%s)', (kind) => {
  const t = useTestApp(kind);

  let n = 0;
  async function customerWithInvoices() {
    const { customer } = await activeSubscriber(t.db, t.clock);
    await t.db.updateTable('customers').set({ paperless: 1 }).where('id', '=', customer.id).execute();
    const a = await insertDocument(t.db, { customerId: customer.id, number: `CC${++n}-A`, issueDate: '2026-09-01', htCents: 17733 });
    const b = await insertDocument(t.db, { customerId: customer.id, number: `CC${n}-B`, issueDate: '2026-10-01', htCents: 21667 });
    return { customer, a, b };
  }

  it('starts one attempt when four requests start at the same instant', async () => {
    const { customer, a, b } = await customerWithInvoices();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => startAttempt(t.db, t.clock, t.config, t.app.paymentProvider, customer, [a.id, b.id])),
    );
    const pending = await t.db.selectFrom('payment_attempts').select('id').where('customer_id', '=', customer.id).where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(1);
    expect(new Set(results.map((r) => r.attemptId))).toEqual(new Set([pending[0]!.id]));
    const sessions = new Set(results.map((r) => r.redirectUrl));
    expect(sessions.size).toBe(1);
  });

  it('never allocates the same amount twice when two attempts succeed at the same instant', async () => {
    const { customer, a, b } = await customerWithInvoices();
    // Two live attempts for the same invoices (say, one expired but paid late, and a new one).
    const sessions = [`sess_${newId()}`, `sess_${newId()}`];
    for (const s of sessions) {
      await t.db
        .insertInto('payment_attempts')
        .values({
          id: newId(),
          customer_id: customer.id,
          provider: 'sandbox',
          provider_session_id: s,
          status: 'pending',
          amount_cents: 47280,
          invoice_ids: JSON.stringify([a.id, b.id]),
          payment_id: null,
          created_at: t.clock.now().toISOString(),
          expires_at: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
          completed_at: null,
        })
        .execute();
    }
    const outcomes = await Promise.all(
      sessions.map((s) => processProviderEvent(t.db, t.clock, t.config, 'sandbox', { id: `evt_${s}`, outcome: 'succeeded', sessionId: s, amountCents: 47280, currency: 'eur', type: 'checkout.succeeded' })),
    );
    expect(outcomes.sort()).toEqual(['booked', 'credited']);
    const balances = await documentBalances(t.db, customer.id);
    expect(balances.get(a.id)).toBe(0);
    expect(balances.get(b.id)).toBe(0);
    // Paid twice: the second payment is a credit on the account, never lost, never double-allocated.
    expect(await accountBalance(t.db, customer.id)).toBe(-47280);
  });

  it('sets the account’s credit against the chosen invoices, so that nothing stays owed', async () => {
    const { customer, a, b } = await customerWithInvoices();
    await insertPayment(t.db, customer.id, 10000, []); // 100 € received earlier, not yet allocated
    const started = await startAttempt(t.db, t.clock, t.config, t.app.paymentProvider, customer, [a.id, b.id]);
    expect(started.amountCents).toBe(47280 - 10000);
    const attempt = await t.db.selectFrom('payment_attempts').select('provider_session_id').where('id', '=', started.attemptId).executeTakeFirstOrThrow();
    await processProviderEvent(t.db, t.clock, t.config, 'sandbox', { id: `evt_${newId()}`, outcome: 'succeeded', sessionId: attempt.provider_session_id, amountCents: 37280, currency: 'eur', type: 'checkout.succeeded' });
    const balances = await documentBalances(t.db, customer.id);
    expect(balances.get(a.id)).toBe(0);
    expect(balances.get(b.id)).toBe(0);
    expect(await accountBalance(t.db, customer.id)).toBe(0);
  });
});
