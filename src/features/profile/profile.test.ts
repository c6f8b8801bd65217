import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract } from '../../../tests/support/factories.ts';

describe.each(databaseKinds())('profile (%s)', (kind) => {
  const t = useTestApp(kind);

  it('redirects to the login page without a session', async () => {
    const res = await new Browser(t.app).get('/profil');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/connexion?suite=/profil');
  });

  it('lists the customer’s contracts, current first, with car park, product, status and start date', async () => {
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const other = await createCarPark(t.db, t.clock, { name: 'WAGRAM' });
    const { b, customer } = await loggedInCustomer(t, '10.0.0.1', { last_name: 'MARTIN', first_name: 'CLAIRE' });
    await createContract(t.db, t.clock, customer.id, other.id, { number: '20CTWAG001', status: 'ended', product: 'moto' });
    await createContract(t.db, t.clock, customer.id, park.id, { number: '21CTCARD002', product: 'resident_petit_rouleur' });
    const res = await b.get('/profil');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Bienvenue MARTIN CLAIRE');
    const current = res.body.indexOf('21CTCARD002');
    const ended = res.body.indexOf('20CTWAG001');
    expect(current).toBeGreaterThan(0);
    expect(ended).toBeGreaterThan(current);
    expect(res.body).toContain('Résident petit rouleur');
    expect(res.body).toContain('Terminé');
    expect(res.body).toContain('Non : vous recevez vos documents par courrier');
  });

  it('shows nothing of another customer (Z1)', async () => {
    const park = await createCarPark(t.db, t.clock);
    const a = await loggedInCustomer(t, '10.0.0.2', { last_name: 'ALPHA' });
    const bee = await loggedInCustomer(t, '10.0.0.3', { last_name: 'BRAVO' });
    await createContract(t.db, t.clock, a.customer.id, park.id, { number: '26CTALPHA1' });
    await createContract(t.db, t.clock, bee.customer.id, park.id, { number: '26CTBRAVO1' });
    const pageA = await a.b.get('/profil');
    expect(pageA.body).toContain('26CTALPHA1');
    expect(pageA.body).not.toContain('26CTBRAVO1');
    expect(pageA.body).not.toContain(bee.customer.number);
    // Parameters naming another customer are ignored: the session decides whose data it is.
    const tricked = await a.b.get(`/profil?customer=${bee.customer.id}&number=${bee.customer.number}`);
    expect(tricked.body).not.toContain('26CTBRAVO1');
    expect(tricked.body).toContain(a.customer.number);
    const contacts = await a.b.get('/contact');
    expect(contacts.body).toContain(park.name);
  });

  it('is in English for an English-speaking customer, with English dates', async () => {
    const park = await createCarPark(t.db, t.clock);
    const { b, customer } = await loggedInCustomer(t, '10.0.0.4', { language: 'en' });
    await createContract(t.db, t.clock, customer.id, park.id);
    const res = await b.get('/profil');
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toContain('Personal information');
    expect(res.body).toContain('9 Dec 2021');
  });
});
