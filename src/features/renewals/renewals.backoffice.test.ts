import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract, createCustomer, emailColumns } from '../../../tests/support/factories.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { newId } from '../../lib/clock.ts';
import { sendRenewalNotices } from './renewals.service.ts';

describe.each(databaseKinds())('"Renouvellements" in the back office (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.94.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

  /** A consumer's contract renewed tacitly on `renewal`; verified address unless told. */
  async function renewing(renewal: string, verified = true) {
    const customer = await createCustomer(t.db, t.clock, { last_name: 'CHATELAIN', ...emailColumns(`bo-${newId().slice(-10)}@example.test`, null, verified ? '2026-01-01T00:00:00.000Z' : null) });
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    await t.db.updateTable('contracts').set({ renewal_date: renewal }).where('id', '=', contract.id).execute();
    return { customer, contract };
  }

  /** The table row of a contract on the page, or null. */
  const rowOf = (html: string, contractNumber: string) => new RegExp(`<tr>(?:(?!</tr>).)*${contractNumber}(?:(?!</tr>).)*</tr>`, 's').exec(html)?.[0] ?? null;

  it('is for staff only: a visitor or a customer goes to the staff login', async () => {
    const visitor = new Browser(t.app, ip());
    const { b: customer } = await loggedInCustomer(t, ip());
    for (const b of [visitor, customer]) {
      const res = await b.get('/gestion/renouvellements');
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
    }
  });

  it('lists the notices sent — contract, customer, renewal, deadline, sent at, by e-mail or letter, late or not — filtered by the Paris month sent', async () => {
    const november = await renewing('2027-03-01'); // window opens 28 November
    t.clock.set(new Date('2026-11-28T09:00:00.000Z'));
    await sendRenewalNotices(t.db, t.clock, t.config);
    const lateOne = await renewing('2027-01-01', false); // its window closed on 30 November: late; no verified address
    // 30 November at 23:30 UTC is 1 December in Paris.
    t.clock.set(new Date('2026-11-30T23:30:00.000Z'));
    await sendRenewalNotices(t.db, t.clock, t.config);

    const { b } = await loggedInStaff(t, ip());
    const all = await b.get('/gestion/renouvellements');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<h1>Avis de renouvellement envoyés (loi Chatel)</h1>');
    const onTime = rowOf(all.body, november.contract.number)!;
    expect(onTime).toContain(`href="/gestion/clients/${november.customer.number}"`);
    expect(onTime).toContain('CHATELAIN FRANCOIS');
    expect(onTime).toContain('01/03/2027');
    expect(onTime).toContain('28/02/2027');
    expect(onTime).toContain('28/11/2026 à 10:00');
    expect(onTime).toContain('E-mail');
    expect(onTime).toContain('Dans les délais');
    const late = rowOf(all.body, lateOne.contract.number)!;
    expect(late).toContain('31/12/2026');
    expect(late).toContain('01/12/2026 à 00:30');
    expect(late).toContain('Courrier à envoyer');
    expect(late).toContain('En retard');

    const nov = await b.get('/gestion/renouvellements?mois=2026-11');
    expect(rowOf(nov.body, november.contract.number)).not.toBeNull();
    expect(rowOf(nov.body, lateOne.contract.number)).toBeNull();
    expect(nov.body).toMatch(/<option value="2026-11" selected="">novembre 2026<\/option>|<option value="2026-11" selected>novembre 2026<\/option>/);
    const dec = await b.get('/gestion/renouvellements?mois=2026-12');
    expect(rowOf(dec.body, november.contract.number)).toBeNull();
    expect(rowOf(dec.body, lateOne.contract.number)).not.toBeNull();
    const empty = await b.get('/gestion/renouvellements?mois=2025-01');
    expect(empty.body).toContain('Aucun avis ne correspond.');
    // A month not well formed is no filter.
    expect(rowOf((await b.get('/gestion/renouvellements?mois=2026-13')).body, november.contract.number)).not.toBeNull();
  });

  it('is in the back office’s navigation', async () => {
    const { b } = await loggedInStaff(t, ip());
    expect((await b.get('/gestion')).body).toContain('href="/gestion/renouvellements"');
  });
});
