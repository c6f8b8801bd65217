import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract, emailColumns } from '../../../tests/support/factories.ts';
import { nowIso } from '../../lib/clock.ts';

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

  it('says first, after the first connection, where the verification link went, with the button that sends it again', async () => {
    const { b, customer } = await loggedInCustomer(t, '10.0.0.5', emailColumns('durand@example.fr', 'bureau@example.fr'));
    const res = await b.get('/profil?active=1');
    const body = res.body;
    const notice = body.indexOf('Vérifiez votre adresse e-mail');
    expect(notice).toBeGreaterThan(body.indexOf('Votre espace client est activé'));
    // Above everything else on the page: the personal information comes after.
    expect(notice).toBeLessThan(body.indexOf('Informations personnelles'));
    const top = body.slice(notice, body.indexOf('Informations personnelles'));
    expect(top).toContain('Un lien de vérification a été envoyé à durand@example.fr ; il est valable 48 heures.');
    expect(top).toContain('Un lien de vérification a été envoyé à bureau@example.fr');
    expect(top).toContain('le prélèvement automatique ne peut pas être signé en ligne');
    expect(top).toMatch(/<form method="post" action="\/profil\/adresses-email\/verification"[^>]*>.*?name="slot" value="primary".*?<button type="submit" class="button">Renvoyer le lien de vérification à durand@example.fr<\/button>/s);
    expect(top).toContain('Renvoyer le lien de vérification à bureau@example.fr</button>');

    // The button sends the link.
    const sent = await b.post('/profil/adresses-email/verification', { _csrf: csrfToken(body), slot: 'primary' });
    expect(sent.headers.location).toBe('/profil?verification=envoyee#adresses-email');
    expect(await t.db.selectFrom('email_verifications').select('address').where('customer_id', '=', customer.id).execute()).toEqual([{ address: 'durand@example.fr' }]);

    // Said once, on arrival: not on later visits, nor for an address already verified.
    expect((await b.get('/profil')).body).not.toContain('Vérifiez votre adresse e-mail');
    const verified = await loggedInCustomer(t, '10.0.0.6', emailColumns('martin@example.fr', null, nowIso(t.clock)));
    expect((await verified.b.get('/profil?active=1')).body).not.toContain('Vérifiez votre adresse e-mail');
  });

  it('says it in English too', async () => {
    const { b } = await loggedInCustomer(t, '10.0.0.7', { language: 'en', ...emailColumns('smith@example.co.uk') });
    const body = (await b.get('/profil?active=1')).body;
    expect(body).toContain('Verify your e-mail address');
    expect(body).toContain('A verification link has been sent to smith@example.co.uk; it is valid for 48 hours.');
    expect(body).toContain('Send the verification link to smith@example.co.uk again</button>');
  });
});
