import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract, createCustomer, emailColumns } from '../../../tests/support/factories.ts';
import { renewalNotices } from '../../jobs/renewal-notices.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { newId } from '../../lib/clock.ts';

/*
 * The job `renewal-notices` on a manual clock. TEST_START is 27 November 2026 (10:00 UTC): a
 * contract renewing on 1 March 2027 has its deadline on 28 February, its window from
 * 28 November 2026 to 28 January 2027.
 */
describe.each(databaseKinds())('renewal notices, loi Chatel (%s)', (kind) => {
  const t = useTestApp(kind);

  /** One round of a runner of the job alone (a new runner each time: the hourly schedule never skips it). */
  const runJob = () => createJobRunner(t.db, t.clock, t.config, undefined, [renewalNotices]).runOnce();

  /** A contract renewed tacitly on `renewal` of a new customer (a consumer with a verified address unless told). */
  async function renewing(renewal: string, o: { kind?: 'individual' | 'business'; verified?: boolean; language?: 'fr' | 'en'; status?: 'active' | 'ended'; endDate?: string } = {}) {
    const email = `chatel-${newId().slice(-10)}@example.test`;
    const customer = await createCustomer(t.db, t.clock, {
      kind: o.kind ?? 'individual',
      company_name: o.kind === 'business' ? 'GARAGE SA' : null,
      language: o.language ?? 'fr',
      ...emailColumns(email, null, o.verified === false ? null : '2026-01-01T00:00:00.000Z'),
    });
    const park = await createCarPark(t.db, t.clock, { name: 'PARC CHATEL' });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { status: o.status ?? 'active' });
    await t.db.updateTable('contracts').set({ renewal_date: renewal, end_date: o.endDate ?? null }).where('id', '=', contract.id).execute();
    return { customer, contract, park, email };
  }

  const notices = (contractId: string) => t.db.selectFrom('renewal_notices').selectAll().where('contract_id', '=', contractId).execute();
  const mails = (to: string) => t.db.selectFrom('outbox').select(['subject', 'text_body', 'html_body', 'template']).where('recipient', '=', to).execute();
  const events = (customerId: string) => t.db.selectFrom('integration_events').select(['feed', 'type', 'origin', 'payload', 'subject_id']).where('customer_id', '=', customerId).execute();

  it('sends nothing the day before the window, once on its first day (midnight in Paris), never twice', async () => {
    const { contract, customer, email, park } = await renewing('2027-03-01');
    t.clock.set(new Date('2026-11-27T22:59:59.000Z')); // 23:59:59 on the 27th in Paris
    await runJob();
    expect(await notices(contract.id)).toEqual([]);
    expect(await mails(email)).toEqual([]);

    t.clock.set(new Date('2026-11-27T23:00:00.000Z')); // 28 November, 00:00 in Paris
    await runJob();
    await runJob();
    t.clock.set(new Date('2026-12-15T09:00:00.000Z'));
    await runJob();
    const sent = await notices(contract.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ customer_id: customer.id, renewal_date: '2027-03-01', deadline: '2027-02-28', channel: 'email', late: 0, sent_at: '2026-11-27T23:00:00.000Z' });
    const m = await mails(email);
    expect(m).toHaveLength(1);
    expect(m[0]!.template).toBe('renewal');

    // The ERP reads it in the terminations feed; the system's act is audited.
    const ev = await events(customer.id);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ feed: 'terminations', type: 'contract.renewal_notice_sent', origin: 'system', subject_id: sent[0]!.id });
    expect(JSON.parse(ev[0]!.payload)).toEqual({ contract_number: contract.number, car_park: park.code, renewal_date: '2027-03-01', deadline: '2027-02-28', channel: 'email', late: false });
    const audited = await t.db.selectFrom('audit_log').select(['actor_type', 'outcome']).where('action', '=', 'contract.renewal_notice_sent').where('target_id', '=', customer.id).execute();
    expect(audited).toEqual([{ actor_type: 'system', outcome: 'success' }]);
  });

  it('two workers at the same instant send it once', async () => {
    const { contract, email } = await renewing('2027-03-01');
    t.clock.set(new Date('2026-12-02T08:00:00.000Z'));
    await Promise.all([runJob(), runJob(), runJob()]);
    expect(await notices(contract.id)).toHaveLength(1);
    expect(await mails(email)).toHaveLength(1);
  });

  it('the e-mail names the contract, the renewal and the deadline, the right not to renew, and links to Contrats and /resilier', async () => {
    const { contract, email } = await renewing('2027-03-01');
    t.clock.set(new Date('2026-12-01T08:00:00.000Z'));
    await runJob();
    const [m] = await mails(email);
    expect(m!.subject).toBe(`Contrat ${contract.number} : reconduction le 1 mars 2027, vous pouvez la refuser`);
    for (const body of [m!.text_body, m!.html_body]) {
      expect(body).toContain(`Votre contrat ${contract.number} (parking PARC CHATEL) sera reconduit tacitement le 1 mars 2027`);
      expect(body).toContain('jusqu’au 28 février 2027 inclus (article L215-1 du Code de la consommation)');
      expect(body).toContain(`${t.config.PUBLIC_URL}/contrats`);
      expect(body).toContain(`${t.config.PUBLIC_URL}/resilier`);
      expect(body).toContain('Résilier votre contrat');
      expect(body).not.toContain('moins d’un mois');
    }
  });

  it('in English for an English-speaking customer', async () => {
    const { contract, email } = await renewing('2027-03-01', { language: 'en' });
    t.clock.set(new Date('2026-12-01T08:00:00.000Z'));
    await runJob();
    const [m] = await mails(email);
    expect(m!.subject).toBe(`Contract ${contract.number}: renewed on 1 March 2027, you may refuse`);
    expect(m!.text_body).toContain('until 28 February 2027 included');
    expect(m!.text_body).toContain(`without logging in: ${t.config.PUBLIC_URL}/resilier`);
    expect(m!.text_body).toContain(`from Contracts: ${t.config.PUBLIC_URL}/contrats`);
  });

  it('after the window’s last day: sent at once and recorded late, with the late right in the e-mail; after the deadline: nothing', async () => {
    const late = await renewing('2027-01-01'); // deadline 31 December, window closed on 30 November
    const past = await renewing('2026-12-01');
    t.clock.set(new Date('2026-12-01T08:00:00.000Z'));
    await runJob();
    expect(await notices(late.contract.id)).toMatchObject([{ deadline: '2026-12-31', late: 1, channel: 'email' }]);
    expect((await mails(late.email))[0]!.text_body).toContain('Cet avis vous parvient moins d’un mois avant cette date');
    expect(JSON.parse((await events(late.customer.id))[0]!.payload)).toMatchObject({ late: true });
    expect(await notices(past.contract.id)).toEqual([]); // renews today: the deadline was yesterday
  });

  it('a business customer, an ended contract, one with an end date or without a renewal date: never', async () => {
    const business = await renewing('2027-03-01', { kind: 'business' });
    const ended = await renewing('2027-03-01', { status: 'ended' });
    const fixed = await renewing('2027-03-01', { endDate: '2027-02-28' });
    const open = await renewing('2027-03-01');
    await t.db.updateTable('contracts').set({ renewal_date: null }).where('id', '=', open.contract.id).execute();
    t.clock.set(new Date('2026-12-15T09:00:00.000Z'));
    await runJob();
    for (const k of [business, ended, fixed, open]) {
      expect(await notices(k.contract.id)).toEqual([]);
      expect(await mails(k.email)).toEqual([]);
      expect(await events(k.customer.id)).toEqual([]);
    }
  });

  it('no verified address: no e-mail, a letter to post recorded (and told to the ERP)', async () => {
    const { contract, customer, email } = await renewing('2027-03-01', { verified: false });
    t.clock.set(new Date('2026-12-15T09:00:00.000Z'));
    await runJob();
    expect(await notices(contract.id)).toMatchObject([{ channel: 'letter', late: 0 }]);
    expect(await mails(email)).toEqual([]);
    expect(JSON.parse((await events(customer.id))[0]!.payload)).toMatchObject({ channel: 'letter' });
  });

  it('the next term gets its own notice when the ERP moves the renewal date', async () => {
    const { contract, email } = await renewing('2027-03-01');
    t.clock.set(new Date('2026-12-15T09:00:00.000Z'));
    await runJob();
    await t.db.updateTable('contracts').set({ renewal_date: '2028-03-01' }).where('id', '=', contract.id).execute();
    t.clock.set(new Date('2027-12-01T09:00:00.000Z'));
    await runJob();
    expect((await notices(contract.id)).map((n) => n.deadline).sort()).toEqual(['2027-02-28', '2028-02-29']);
    expect(await mails(email)).toHaveLength(2);
  });
});
