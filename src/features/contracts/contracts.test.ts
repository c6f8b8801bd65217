import { describe, expect, it } from 'vitest';
import { csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { newId } from '../../lib/clock.ts';
import { plateKey } from '../customers/customers.rules.ts';

describe.each(databaseKinds())('contracts (%s)', (kind) => {
  const t = useTestApp(kind);

  it('details every current contract, and keeps ended ones apart', async () => {
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET', phone: '01.44.82.99.99' });
    const { b, customer } = await loggedInCustomer(t, '10.1.0.1');
    const current = await createContract(t.db, t.clock, customer.id, park.id, { number: '15CTCARD125' });
    await t.db.updateTable('contracts').set({ direct_debit: 1, badge_number: 'B-4471', space_label: 'Niveau -2, place 114', renewal_date: '2026-12-09' }).where('id', '=', current.id).execute();
    await t.db.insertInto('contract_vehicles').values([
      { id: newId(), contract_id: current.id, plate: 'AB-123-CD', plate_key: plateKey('AB-123-CD'), description: 'Renault Clio' },
      { id: newId(), contract_id: current.id, plate: 'EF-456-GH', plate_key: plateKey('EF-456-GH'), description: null },
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

  it('is in English with English formats, and the car park’s hours in English', async () => {
    const park = await createCarPark(t.db, t.clock, { hours: [{ for: 'everyone', days: [1, 6], hours: ['07:00', '22:00'] }, { for: 'subscribers' }] });
    const { b, customer } = await loggedInCustomer(t, '10.1.0.4', { language: 'en' });
    await createContract(t.db, t.clock, customer.id, park.id, { number: '22CTENG001' });
    const res = await b.get('/contrats');
    expect(res.body).toContain('Current contracts');
    expect(res.body).toContain('€260.00 incl. VAT per month (€216.67 excl. VAT + VAT 20%: €43.33)');
    expect(res.body).toContain('9 Dec 2021');
    expect(res.body).toContain('<dt>Opening hours</dt><dd>Monday to Saturday, 7:00 to 22:00; subscribers: open 24/7</dd>');
    const one = await b.get('/contrats/22CTENG001');
    expect(one.body).toContain('<dd>Monday to Saturday, 7:00 to 22:00; subscribers: open 24/7</dd>');
    const fr = await b.post('/langue', { _csrf: csrfToken(one.body), lang: 'fr', next: '/contrats/22CTENG001' });
    expect(fr.statusCode).toBe(303);
    expect((await b.get('/contrats/22CTENG001')).body).toContain('<dd>du lundi au samedi de 7h à 22h ; abonnés : 24h/24, 7j/7</dd>');
  });

  it('does not invite to sign up for direct debit a customer whose contracts are paid by it (a paper mandate)', async () => {
    const park = await createCarPark(t.db, t.clock);
    const { b, customer } = await loggedInCustomer(t, '10.1.0.5');
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '22CTPRLV01' });
    await t.db.updateTable('contracts').set({ direct_debit: 1 }).where('id', '=', k.id).execute();
    // An ended contract paid otherwise does not count.
    await createContract(t.db, t.clock, customer.id, park.id, { number: '12CTPRLV00', status: 'ended' });

    for (const page of ['/contrats', '/contrats/22CTPRLV01', '/mon-compte', '/prelevement']) {
      const body = (await b.get(page)).body;
      expect(body, page).not.toContain('souscrivez');
      expect(body, page).not.toContain('Demander le prélèvement automatique');
    }
    const list = (await b.get('/contrats')).body;
    expect(list).toContain('<dt>Mode de paiement</dt><dd>Prélèvement automatique</dd>');
    expect(list).toContain('Vos contrats en cours sont déjà réglés par prélèvement automatique.');
    expect((await b.get('/contrats/22CTPRLV01')).body).toContain('<dt>Mode de paiement</dt><dd>Prélèvement automatique</dd>');
    expect((await b.get('/mon-compte')).body).toContain('Vos contrats en cours sont déjà réglés par prélèvement automatique.');
    expect((await b.get('/prelevement')).body).toContain('Vos contrats en cours sont déjà réglés par prélèvement automatique.');

    // A second contract paid on receipt of the invoice: the invitation is for it alone.
    await createContract(t.db, t.clock, customer.id, park.id, { number: '22CTPRLV02' });
    const both = (await b.get('/contrats')).body;
    expect(both).toContain('Contrats déjà réglés par prélèvement automatique : 22CTPRLV01. Pour régler aussi les autres');
    expect(both).toContain('Demander le prélèvement automatique');
  });
});
