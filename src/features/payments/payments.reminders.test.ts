import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { DAY, newId, nowIso } from '../../lib/clock.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { paymentReminders } from '../../jobs/payment-reminders.ts';
import { sendPaymentReminders } from './payments.reminders.ts';
import { type ReminderKind, reminderDue } from './payments.rules.ts';

describe('reminders: the rule at its boundaries', () => {
  const schedule = { first: 10, second: 25 };
  const none = new Set<ReminderKind>();
  it('sends the first from the 10th day after the due date, the second from the 25th, each once', () => {
    expect(reminderDue('2026-11-20', schedule, '2026-11-29', none)).toBeNull();
    expect(reminderDue('2026-11-20', schedule, '2026-11-30', none)).toBe('reminder_1');
    expect(reminderDue('2026-11-20', schedule, '2026-12-14', new Set(['reminder_1']))).toBeNull();
    expect(reminderDue('2026-11-20', schedule, '2026-12-15', new Set(['reminder_1']))).toBe('reminder_2');
    expect(reminderDue('2026-11-20', schedule, '2026-12-20', new Set(['reminder_1', 'reminder_2']))).toBeNull();
    // Both due and none sent (the worker was stopped): only the second.
    expect(reminderDue('2026-11-20', schedule, '2026-12-16', none)).toBe('reminder_2');
    expect(reminderDue('2026-11-20', schedule, '2026-12-16', new Set(['reminder_2']))).toBeNull();
  });
});

describe.each(databaseKinds())('reminders of unpaid invoices (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);

  async function payer(lang: 'fr' | 'en' = 'fr') {
    const { customer } = await activeSubscriber(t.db, t.clock, undefined, { language: lang });
    const email = `rm-${customer.number.toLowerCase()}@example.test`;
    await t.db.updateTable('customers').set({ email_primary: email, email_primary_verified_at: nowIso(t.clock) }).where('id', '=', customer.id).execute();
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    return { customer, email, contract };
  }

  async function invoice(who: Awaited<ReturnType<typeof payer>>, number: string, dueDate: string) {
    const doc = await insertDocument(t.db, { customerId: who.customer.id, contractId: who.contract.id, number, issueDate: '2026-10-01', htCents: 5000 });
    await t.db.updateTable('financial_documents').set({ due_date: dueDate }).where('id', '=', doc.id).execute();
    return doc;
  }

  const sent = async (docId: string) =>
    (await t.db.selectFrom('payment_notices').select('kind').where('document_id', '=', docId).orderBy('kind').execute()).map((r) => r.kind);

  it('sends the first reminder 10 days after the due date and the second 25 days after, once each, with the link to pay', async () => {
    const who = await payer();
    // TEST_START: 27 November 2026 (Paris). Due 17 November: the 10th day is today.
    const due = await invoice(who, 'RM-17NOV', '2026-11-17');
    const notYet = await invoice(who, 'RM-18NOV', '2026-11-18');
    await sendPaymentReminders(t.db, t.clock, t.config);
    expect(await sent(due.id)).toEqual(['reminder_1']);
    expect(await sent(notYet.id)).toEqual([]);
    await sendPaymentReminders(t.db, t.clock, t.config);
    expect(await sent(due.id)).toEqual(['reminder_1']);
    await mb.deliver();
    const first = mb.smtp.to(who.email).filter((m) => m.subject === 'Rappel : facture RM-17NOV à régler');
    expect(first).toHaveLength(1);
    expect(first[0]!.text).toContain('/mon-compte/paiement');
    expect(first[0]!.text.replace(/\s/g, ' ')).toContain('il reste 60,00 € à payer');

    // 14 days later: the 24th day, no second yet; the 25th, the second (through the job).
    t.clock.advance(14 * DAY);
    await sendPaymentReminders(t.db, t.clock, t.config);
    expect(await sent(due.id)).toEqual(['reminder_1']);
    t.clock.advance(DAY);
    const run = (await createJobRunner(t.db, t.clock, t.config, () => undefined, [paymentReminders]).runOnce());
    expect(run.counts['payment-reminders']).toMatchObject({ reminder_2: 1 });
    expect(await sent(due.id)).toEqual(['reminder_1', 'reminder_2']);
    t.clock.advance(10 * DAY);
    await sendPaymentReminders(t.db, t.clock, t.config);
    expect(await sent(due.id)).toEqual(['reminder_1', 'reminder_2']);
    await mb.deliver();
    expect(mb.smtp.to(who.email).filter((m) => m.subject === 'Second rappel : facture RM-17NOV impayée')).toHaveLength(1);
  });

  it('follows the schedule the back office set; English for an English customer', async () => {
    await t.db.updateTable('operator_settings').set({ reminder_first_days: 3, reminder_second_days: 8 }).execute();
    try {
      const who = await payer('en');
      const doc = await invoice(who, 'RM-EN', '2026-11-24');
      await sendPaymentReminders(t.db, t.clock, t.config);
      expect(await sent(doc.id)).toEqual(['reminder_1']);
      await mb.deliver();
      expect(mb.smtp.to(who.email).map((m) => m.subject)).toContain('Reminder: invoice RM-EN to pay');
    } finally {
      await t.db.updateTable('operator_settings').set({ reminder_first_days: 10, reminder_second_days: 25 }).execute();
    }
  });

  it('reminds nothing for a paid or credited invoice, one paid by direct debit, or one not yet due', async () => {
    const who = await payer();
    const paid = await invoice(who, 'RM-PAID', '2026-11-10');
    const pay = newId();
    await t.db.insertInto('payments').values({ id: pay, customer_id: who.customer.id, method: 'transfer', provider: 'erp', provider_reference: pay, status: 'succeeded', amount_cents: paid.total_ttc_cents, received_at: nowIso(t.clock), created_at: nowIso(t.clock) }).execute();
    await t.db.insertInto('allocations').values({ id: newId(), invoice_id: paid.id, payment_id: pay, credit_note_id: null, amount_cents: paid.total_ttc_cents, created_at: nowIso(t.clock) }).execute();

    const credited = await invoice(who, 'RM-CREDITED', '2026-11-10');
    const note = await insertDocument(t.db, { customerId: who.customer.id, contractId: who.contract.id, kind: 'credit_note', number: 'RM-AV', issueDate: '2026-11-12', htCents: 5000, corrects: credited.id });
    await t.db.insertInto('allocations').values({ id: newId(), invoice_id: credited.id, payment_id: null, credit_note_id: note.id, amount_cents: credited.total_ttc_cents, created_at: nowIso(t.clock) }).execute();

    const debited = await payer();
    await t.db.updateTable('contracts').set({ direct_debit: 1 }).where('id', '=', debited.contract.id).execute();
    const byDebit = await invoice(debited, 'RM-DEBIT', '2026-11-10');
    const future = await invoice(who, 'RM-FUTURE', '2026-12-10');

    await sendPaymentReminders(t.db, t.clock, t.config);
    for (const d of [paid, credited, byDebit, future]) expect(await sent(d.id)).toEqual([]);
  });
});
