import { describe, expect, it } from 'vitest';
import { databaseKinds, loggedInBrowser } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract, insertMandateRow } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { DAY, newId, nowIso } from '../../lib/clock.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { debitNotices } from '../../jobs/debit-notices.ts';
import { lapseUnusedMandates, sendPreNotifications } from './direct-debit.notices.ts';
import { mandateLapsed, preNotificationDue } from './direct-debit.rules.ts';

describe('pre-notification and lapse: the rules at their boundaries', () => {
  it('announces a debit from 14 days before it (or the mandate’s delay) until the day before', () => {
    expect(preNotificationDue('2026-12-15', 14, '2026-11-30')).toBe(false);
    expect(preNotificationDue('2026-12-15', 14, '2026-12-01')).toBe(true);
    expect(preNotificationDue('2026-12-15', 14, '2026-12-14')).toBe(true);
    expect(preNotificationDue('2026-12-15', 14, '2026-12-15')).toBe(false);
    expect(preNotificationDue('2026-12-15', 5, '2026-12-09')).toBe(false);
    expect(preNotificationDue('2026-12-15', 5, '2026-12-10')).toBe(true);
    // Across a year's end and a month of 28 days.
    expect(preNotificationDue('2027-01-05', 14, '2026-12-22')).toBe(true);
    expect(preNotificationDue('2027-03-01', 14, '2027-02-14')).toBe(false);
    expect(preNotificationDue('2027-03-01', 14, '2027-02-15')).toBe(true);
  });

  it('lapses a mandate after 36 full months without a debit', () => {
    expect(mandateLapsed('2023-11-30', '2026-11-30')).toBe(false);
    expect(mandateLapsed('2023-11-30', '2026-12-01')).toBe(true);
    expect(mandateLapsed('2023-11-29', '2026-11-30')).toBe(true);
    // The 29th of February: 36 months later is the 28th (last day of the shorter month).
    expect(mandateLapsed('2024-02-29', '2027-02-28')).toBe(false);
    expect(mandateLapsed('2024-02-29', '2027-03-01')).toBe(true);
  });
});

describe.each(databaseKinds())('pre-notification and lapse jobs (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);

  /** A customer with a verified address, a contract paid by direct debit under an active mandate signed at `signedAt`. */
  async function debited(signedAt = '2026-01-10T09:00:00.000Z', lang: 'fr' | 'en' = 'fr') {
    const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, { language: lang });
    const email = `pn-${customer.number.toLowerCase()}@example.test`;
    await t.db.updateTable('customers').set({ email_primary: email, email_primary_verified_at: nowIso(t.clock) }).where('id', '=', customer.id).execute();
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    await t.db.updateTable('contracts').set({ direct_debit: 1 }).where('id', '=', contract.id).execute();
    const mandateId = await insertMandateRow(t.db, customer.id, signedAt, { status: 'active', signed_at: signedAt });
    await t.db.insertInto('sepa_mandate_contracts').values({ mandate_id: mandateId, contract_id: contract.id }).execute();
    return { customer, password, email, contract, mandateId };
  }

  async function invoiceDue(who: Awaited<ReturnType<typeof debited>>, number: string, dueDate: string, contractId: string | null = who.contract.id) {
    const doc = await insertDocument(t.db, { customerId: who.customer.id, contractId, number, issueDate: '2026-11-20', htCents: 10000 });
    await t.db.updateTable('financial_documents').set({ due_date: dueDate }).where('id', '=', doc.id).execute();
    return doc;
  }

  const subjectsTo = async (email: string) => {
    await mb.deliver();
    return mb.smtp.to(email).map((m) => m.subject);
  };

  it('sends the pre-notification 14 days before the due date, once, with the amount and the date', async () => {
    const who = await debited();
    // TEST_START is 27 November 2026 (Paris): 14 days before 11 December.
    await invoiceDue(who, 'PN-11DEC', '2026-12-11');
    await invoiceDue(who, 'PN-12DEC', '2026-12-12');
    expect(await sendPreNotifications(t.db, t.clock, t.config)).toBe(1);
    expect(await sendPreNotifications(t.db, t.clock, t.config)).toBe(0);
    const mails = mb.smtp.to(who.email);
    await mb.deliver();
    const pn = mb.smtp.to(who.email).filter((m) => m.subject.startsWith('Prélèvement à venir'));
    expect(pn).toHaveLength(1);
    expect(pn[0]!.subject.replace(/\s/g, ' ')).toBe('Prélèvement à venir : 120,00 € le 11 décembre 2026');
    expect(pn[0]!.text).toContain('PN-11DEC');
    expect(pn[0]!.text).toContain('RUM-TEST-');
    expect(mails.length).toBeGreaterThanOrEqual(0);
    expect(pn[0]!.text).toContain('Identifiant créancier SEPA');

    // The next day, the second invoice's turn; the job does it.
    t.clock.advance(DAY);
    const run = (await createJobRunner(t.db, t.clock, t.config, () => undefined, [debitNotices]).runOnce());
    expect(run.counts['debit-notices']).toMatchObject({ pre_notified: 1, lapsed: 0 });
    const notices = await t.db.selectFrom('payment_notices').select(['kind', 'amount_cents', 'mandate_id']).where('mandate_id', '=', who.mandateId).execute();
    expect(notices).toEqual([
      { kind: 'pre_notification', amount_cents: 12000, mandate_id: who.mandateId },
      { kind: 'pre_notification', amount_cents: 12000, mandate_id: who.mandateId },
    ]);
  });

  it('follows the mandate’s own delay; nothing for a paid invoice, one not on direct debit, or a revoked mandate', async () => {
    const who = await debited();
    await t.db.updateTable('sepa_mandates').set({ pre_notification_days: 5 }).where('id', '=', who.mandateId).execute();
    const noticed = async (docId: string) => (await t.db.selectFrom('payment_notices').select('kind').where('document_id', '=', docId).execute()).length;
    const delayed = await invoiceDue(who, 'PN-DELAY', '2026-12-03'); // 6 days ahead: not yet
    await sendPreNotifications(t.db, t.clock, t.config);
    expect(await noticed(delayed.id)).toBe(0);
    t.clock.advance(DAY); // 5 days ahead
    await sendPreNotifications(t.db, t.clock, t.config);
    expect(await noticed(delayed.id)).toBe(1);

    const paid = await debited();
    const doc = await invoiceDue(paid, 'PN-PAID', '2026-12-05');
    const payment = newId();
    await t.db.insertInto('payments').values({ id: payment, customer_id: paid.customer.id, method: 'direct_debit', provider: 'erp', provider_reference: payment, status: 'succeeded', amount_cents: doc.total_ttc_cents, received_at: nowIso(t.clock), created_at: nowIso(t.clock) }).execute();
    await t.db.insertInto('allocations').values({ id: newId(), invoice_id: doc.id, payment_id: payment, credit_note_id: null, amount_cents: doc.total_ttc_cents, created_at: nowIso(t.clock) }).execute();
    const noContract = await debited();
    const loose = await invoiceDue(noContract, 'PN-NOCONTRACT', '2026-12-05', null);
    const revoked = await debited();
    const orphan = await invoiceDue(revoked, 'PN-REVOKED', '2026-12-05');
    await t.db.updateTable('sepa_mandates').set({ status: 'revoked' }).where('id', '=', revoked.mandateId).execute();
    const offDebit = await debited();
    const manual = await invoiceDue(offDebit, 'PN-OFF', '2026-12-05');
    await t.db.updateTable('contracts').set({ direct_debit: 0 }).where('id', '=', offDebit.contract.id).execute();
    await sendPreNotifications(t.db, t.clock, t.config);
    for (const d of [doc, loose, orphan, manual]) expect(await noticed(d.id)).toBe(0);
  });

  it('lapses a mandate unused for 36 months — the day after, not before — and tells the customer and the ERP', async () => {
    // Signed on 26 November 2023 (Paris); TEST_START is 27 November 2026: 36 full months passed the day before.
    const old = await debited('2023-11-26T10:00:00.000Z', 'en');
    const edge = await debited('2023-11-27T10:00:00.000Z');
    // Signed long ago, but debited on 1 December 2023: not lapsed until 2 December 2026.
    const used = await debited('2020-05-04T10:00:00.000Z');
    const pay = newId();
    await t.db.insertInto('payments').values({ id: pay, customer_id: used.customer.id, method: 'direct_debit', provider: 'erp', provider_reference: pay, status: 'succeeded', amount_cents: 100, received_at: '2023-12-01T10:00:00.000Z', created_at: '2023-12-01T10:00:00.000Z' }).execute();

    expect(await lapseUnusedMandates(t.db, t.clock, t.config)).toBe(1);
    const row = (id: string) => t.db.selectFrom('sepa_mandates').select(['status', 'end_reason', 'revoked_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await row(old.mandateId)).toEqual({ status: 'revoked', end_reason: 'lapsed', revoked_at: nowIso(t.clock) });
    expect((await row(edge.mandateId)).status).toBe('active');
    expect((await row(used.mandateId)).status).toBe('active');
    expect((await t.db.selectFrom('contracts').select('direct_debit').where('id', '=', old.contract.id).executeTakeFirstOrThrow()).direct_debit).toBe(0);
    const ev = await t.db.selectFrom('integration_events').select(['type', 'origin', 'payload']).where('subject_id', '=', old.mandateId).execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ type: 'mandate.revoked', origin: 'system' });
    expect(JSON.parse(ev[0]!.payload)).toMatchObject({ status: 'revoked', end_reason: 'lapsed', previous_status: 'active' });
    expect(await subjectsTo(old.email)).toContain(`Your direct debit mandate ${(await t.db.selectFrom('sepa_mandates').select('rum').where('id', '=', old.mandateId).executeTakeFirstOrThrow()).rum} has lapsed`);
    expect(await lapseUnusedMandates(t.db, t.clock, t.config)).toBe(0);
    // The customer sees it lapsed, and may sign a new one.
    const b = await loggedInBrowser(t.app, '10.79.0.1', old.customer.number, old.password);
    const page = await b.get('/prelevement');
    expect(page.body).toContain('Your last mandate has lapsed');
    expect(page.body).toContain('no debit was presented under it for 36 months');
    expect(page.body).toContain('href="/prelevement/mandat"');

    t.clock.advance(DAY);
    expect(await lapseUnusedMandates(t.db, t.clock, t.config)).toBe(1);
    expect((await row(edge.mandateId)).end_reason).toBe('lapsed');
    t.clock.advance(5 * DAY);
    expect(await lapseUnusedMandates(t.db, t.clock, t.config)).toBe(1);
    expect((await row(used.mandateId)).end_reason).toBe('lapsed');
  });
});
