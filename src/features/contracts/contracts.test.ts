import { describe, expect, it } from 'vitest';
import { databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { newId } from '../../lib/clock.ts';

describe.each(databaseKinds())('contracts (%s)', (kind) => {
  const t = useTestApp(kind);

  it('details every current contract, and keeps ended ones apart', async () => {
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET', phone: '01.44.82.99.99' });
    const { b, customer } = await loggedInCustomer(t, '10.1.0.1');
    const current = await createContract(t.db, t.clock, customer.id, park.id, { number: '15CTCARD125' });
    await t.db.updateTable('contracts').set({ direct_debit: 1, badge_number: 'B-4471', space_label: 'Niveau -2, place 114', renewal_date: '2026-12-09' }).where('id', '=', current.id).execute();
    await t.db.insertInto('contract_vehicles').values([
      { id: newId(), contract_id: current.id, plate: 'AB-123-CD', description: 'Renault Clio' },
      { id: newId(), contract_id: current.id, plate: 'EF-456-GH', description: null },
    ]).execute();
    const ended = await createContract(t.db, t.clock, customer.id, park.id, { number: '12CTCARD007', status: 'ended', product: 'moto' });
    await t.db.updateTable('contracts').set({ end_date: '2020-06-30' }).where('id', '=', ended.id).execute();

    const res = await b.get('/contrats');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    for (const text of [
      'Contrats en cours',
      'Contrat n° 15CTCARD125',
      'CARDINET',
      '01.44.82.99.99',
      '24h/24, 7j/7',
      'Résident',
      '09/12/2021',
      '09/12/2026', // renewal
      '260,00\u00a0€ TTC par mois (216,67\u00a0€ HT + TVA 20\u00a0% : 43,33\u00a0€)',
      'Mensuelle',
      'Prélèvement automatique',
      'AB-123-CD',
      'Renault Clio',
      'EF-456-GH',
      'B-4471',
      'Niveau -2, place 114',
      'Contrats terminés',
      '30/06/2020',
    ]) {
      expect(body, text).toContain(text);
    }
    // Ended contracts come after the current ones, in their own section.
    expect(body.indexOf('12CTCARD007')).toBeGreaterThan(body.indexOf('Contrats terminés'));
    expect(body.indexOf('15CTCARD125')).toBeLessThan(body.indexOf('Contrats terminés'));
    expect(body).toContain('href="/contrats/15CTCARD125"');
  });

  it('opens a contract’s own page, from Profil and Contrats', async () => {
    const park = await createCarPark(t.db, t.clock);
    const { b, customer } = await loggedInCustomer(t, '10.1.0.2');
    await createContract(t.db, t.clock, customer.id, park.id, { number: '22CTTEST01' });
    expect((await b.get('/profil')).body).toContain('href="/contrats/22CTTEST01"');
    const res = await b.get('/contrats/22CTTEST01');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Contrat n° 22CTTEST01</h1>');
    expect(res.body).toContain('Sans date de fin : reconduction tacite');
  });

  it('answers 404 for another customer’s contract, and audits the attempt (Z1)', async () => {
    const park = await createCarPark(t.db, t.clock);
    const a = await loggedInCustomer(t, '10.1.0.3');
    const other = await activeSubscriber(t.db, t.clock);
    await createContract(t.db, t.clock, other.customer.id, park.id, { number: '22CTOTHER1' });
    const res = await a.b.get('/contrats/22CTOTHER1');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page introuvable');
    expect(res.body).not.toContain('Contrat n° 22CTOTHER1');
    expect(res.body).not.toContain(park.name);
    expect((await a.b.get('/contrats/NOPE')).statusCode).toBe(404);
    const denied = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'authz.denied').where('actor_id', '=', a.customer.id).execute();
    expect(denied.map((d) => d.target_id).sort()).toEqual(['22CTOTHER1', 'NOPE']);
    expect(denied[0]).toMatchObject({ outcome: 'denied', target_type: 'contract', ip: '10.1.0.3' });
  });

  it('is in English with English formats', async () => {
    const park = await createCarPark(t.db, t.clock);
    const { b, customer } = await loggedInCustomer(t, '10.1.0.4', { language: 'en' });
    await createContract(t.db, t.clock, customer.id, park.id, { number: '22CTENG001' });
    const res = await b.get('/contrats');
    expect(res.body).toContain('Current contracts');
    expect(res.body).toContain('€260.00 incl. VAT per month (€216.67 excl. VAT + VAT 20%: €43.33)');
    expect(res.body).toContain('9 Dec 2021');
  });
});
