import { describe, expect, it } from 'vitest';
import { api, apiClientWith } from '../../../tests/support/api.ts';
import { type Browser, csrfToken, databaseKinds, loggedInCustomer } from '../../../tests/support/app.ts';
import { createCarPark, createContract, emailColumns } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { nowIso } from '../../lib/clock.ts';
import { accountBalance } from '../account/balance.queries.ts';
import { deliverSandboxWebhooks } from '../payments/sandbox.provider.ts';
import { payerWithTwoInvoices } from '../../../tests/support/documents.ts';
import { reportBadge } from './badges.service.ts';

describe.each(databaseKinds())('badges lost, stolen or broken (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);

  let n = 0;
  /** A logged-in customer with a verified address and a contract holding badge `B-<n>`, from an IP of its own. */
  async function subscriber(over: { badge?: string | null; product?: 'resident' | 'moto' } = {}) {
    n++;
    const email = `badge${n}-${kind}@example.fr`;
    const park = await createCarPark(t.db, t.clock, { code: `BDG${n}`, name: `PARC${n}` });
    const { b, customer } = await loggedInCustomer(t, `10.13.${kind === 'sqlite' ? 1 : 2}.${n}`, emailColumns(email, null, nowIso(t.clock)));
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { product: over.product ?? 'resident' });
    const badge = over.badge === undefined ? `B-${n}00` : over.badge;
    await t.db.updateTable('contracts').set({ badge_number: badge }).where('id', '=', contract.id).execute();
    return { b, customer, contract, park, email, badge: badge ?? '', page: `/contrats/${contract.number}/badge` };
  }

  const report = (b: Browser, page: string, reason?: string) => b.submit(page, `${page}/signalement`, reason ? { reason } : {});
  const replacementsOf = (contractId: string) => t.db.selectFrom('badge_replacements').selectAll().where('contract_id', '=', contractId).execute();
  const eventsOf = async (customerId: string, type: string) =>
    (await t.db.selectFrom('integration_events').select(['feed', 'type', 'payload', 'origin']).where('customer_id', '=', customerId).where('type', '=', type).execute()).map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }));
  const send = async (payload: string, headers: Record<string, string>) => (await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload, headers })).statusCode;

  /** Orders the replacement and pays it on the sandbox's hosted page; the webhook is delivered. The attempt. */
  async function orderAndPay(b: Browser, page: string, action: 'pay' | 'cancel' = 'pay') {
    const order = await b.submit(page, `${page}/commande`, {});
    expect(order.statusCode).toBe(303);
    const session = /\/sandbox-paiement\/(sbx_[0-9a-f]{32})$/.exec(String(order.headers.location))![1]!;
    const hosted = await b.get(`/sandbox-paiement/${session}`);
    const back = await b.post(`/sandbox-paiement/${session}`, { _csrf: csrfToken(hosted.body), action });
    expect(back.statusCode).toBe(303);
    expect(await deliverSandboxWebhooks(t.db, t.clock, t.config, send)).toBeGreaterThanOrEqual(1);
    return { attempt: await t.db.selectFrom('payment_attempts').selectAll().where('provider_session_id', '=', session).executeTakeFirstOrThrow(), back: String(back.headers.location), hosted };
  }

  it('blocks the badge at once, says so on Contrats, tells the access feed and confirms by e-mail', async () => {
    const { b, customer, contract, park, email, badge, page } = await subscriber();
    const contracts = await b.get('/contrats');
    expect(contracts.body).toContain(`href="${page}"`);
    expect(contracts.body).toContain('Signaler un badge perdu, volé ou abîmé');

    const form = await b.get(page);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`Bloquer le badge ${badge}`);
    const res = await report(b, page, 'lost');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page}?ok=bloque`);

    const [r] = await replacementsOf(contract.id);
    expect(r).toMatchObject({ badge_number: badge, reason: 'lost', status: 'blocked', customer_id: customer.id });
    const after = await b.get(res.headers.location as string);
    expect(after.body).toContain('Votre badge est bloqué');
    expect(after.body).toContain('Bloqué : remplacement à commander');
    expect((await b.get('/contrats')).body).toContain('Bloqué');
    expect((await b.get(`/contrats/${contract.number}`)).body).toContain('Suivre le remplacement du badge');

    const events = await eventsOf(customer.id, 'access.badge_blocked');
    expect(events).toEqual([
      {
        feed: 'access',
        type: 'access.badge_blocked',
        origin: 'customer',
        payload: { customer_number: customer.number, contract_number: contract.number, car_park_code: park.code, badge_number: badge, reason: 'lost', applies_from: '2026-11-27' },
      },
    ]);
    // The ERP reads it with access:read, and only with it.
    const { key } = await apiClientWith(t, ['access:read']);
    const feed = await api(t, key, 'GET', '/api/v1/feeds/access?limit=500');
    expect(feed.statusCode).toBe(200);
    expect((feed.json() as { items: { type: string; badge_number: string }[] }).items).toContainEqual(expect.objectContaining({ type: 'access.badge_blocked', badge_number: badge, customer_number: customer.number }));
    const { key: other } = await apiClientWith(t, ['payments:read']);
    expect((await api(t, other, 'GET', '/api/v1/feeds/access')).statusCode).toBe(403);

    await mb.deliver();
    const mail = mb.last(email)!;
    expect(mail.subject).toBe(`Votre badge ${badge} est bloqué`);
    expect(mail.text).toContain('Il est bloqué');
    expect(mail.text.replace(/\u00a0/g, ' ')).toContain('15,00 € TTC');
    expect(mail.text).not.toContain('rapporter');
    expect(mail.text).toContain(`${t.config.PUBLIC_URL}${page}`);
  });

  it('refuses to block the same badge twice, a contract without a badge, and a report without its reason', async () => {
    const { b, customer, contract, page } = await subscriber();
    expect((await report(b, page, 'stolen')).statusCode).toBe(303);
    const again = await report(b, page, 'lost');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Ce badge est déjà bloqué.');
    expect(await replacementsOf(contract.id)).toHaveLength(1);
    expect(await eventsOf(customer.id, 'access.badge_blocked')).toHaveLength(1);

    const none = await subscriber({ badge: null });
    const page2 = await none.b.get(none.page);
    expect(page2.body).toContain('Ce contrat n’a pas de badge à signaler.');
    expect(page2.body).not.toContain('signalement');
    const refused = await none.b.post(`${none.page}/signalement`, { _csrf: csrfToken(page2.body), reason: 'lost' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Ce contrat n’a pas de badge à bloquer.');
    expect(await replacementsOf(none.contract.id)).toEqual([]);
    expect((await none.b.get('/contrats')).body).not.toContain('Signaler un badge');

    const other = await subscriber();
    const missing = await report(other.b, other.page);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choisissez ce qui est arrivé au badge.');
    expect(missing.body).toContain('aria-describedby="reason-error"');
    expect(await replacementsOf(other.contract.id)).toEqual([]);

    const en = await other.b.post('/langue', { _csrf: csrfToken((await other.b.get(other.page)).body), lang: 'en', next: other.page });
    expect(en.statusCode).toBe(303);
    expect((await report(other.b, other.page)).body).toContain('Choose what happened to the badge.');
  });

  it('two reports of one badge at the same instant: one blocks it, the other is refused', async () => {
    const { customer, contract } = await subscriber();
    const meta = { ip: '10.13.8.1', user_agent: 'test' };
    const outcomes = await Promise.all([0, 1, 2].map(() => reportBadge(t.db, t.clock, t.config, customer, contract.number, 'lost', meta)));
    expect(outcomes.filter((o) => o?.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => o && !o.ok && o.refusal === 'already_blocked')).toHaveLength(2);
    expect(await replacementsOf(contract.id)).toHaveLength(1);
    expect(await eventsOf(customer.id, 'access.badge_blocked')).toHaveLength(1);
  });

  it('answers another customer’s contract 404, and a staff page to a customer never', async () => {
    const a = await subscriber();
    const other = await subscriber();
    expect((await a.b.get(other.page)).statusCode).toBe(404);
    const page = await a.b.get(a.page);
    expect((await a.b.post(`${other.page}/signalement`, { _csrf: csrfToken(page.body), reason: 'lost' })).statusCode).toBe(404);
    expect((await a.b.post(`${other.page}/commande`, { _csrf: csrfToken(page.body) })).statusCode).toBe(404);
    expect(await replacementsOf(other.contract.id)).toEqual([]);
    const staffPage = await a.b.get('/gestion/badges');
    expect(staffPage.statusCode).toBe(302);
    expect(staffPage.headers.location).toMatch(/^\/gestion\/connexion/);
  });

  it('shows the product’s fee before ordering, and charges exactly it through the sandbox; the webhook marks it paid', async () => {
    await t.db.updateTable('product_fees').set({ badge_replacement_fee_cents: 1850 }).where('product', '=', 'moto').execute();
    const { b, customer, contract, email, badge, page } = await subscriber({ product: 'moto' });
    expect((await b.get(page)).body.replace(/\u00a0/g, ' ')).toContain('au prix de 18,50 € TTC');
    await report(b, page, 'broken');
    const shown = (await b.get(page)).body.replace(/\u00a0/g, ' ');
    expect(shown).toContain('18,50 € TTC');
    expect(shown).toContain('Commander et payer 18,50 €');
    expect(shown).toContain('Rapportez le badge abîmé');
    expect((await replacementsOf(contract.id))[0]!.status).toBe('blocked'); // nothing ordered by looking

    // A cancelled payment leaves it to pay; a second order pays it.
    const cancelled = await orderAndPay(b, page, 'cancel');
    expect(cancelled.attempt).toMatchObject({ amount_cents: 1850, status: 'cancelled', badge_replacement_id: (await replacementsOf(contract.id))[0]!.id, invoice_ids: '[]' });
    expect(cancelled.back).toBe(`${t.config.PUBLIC_URL}${page}?annule=1`);
    expect((await replacementsOf(contract.id))[0]!.status).toBe('awaiting_payment');
    expect((await b.get(`${page}?annule=1`)).body).toContain('Le paiement n’a pas abouti');

    const { attempt, back, hosted } = await orderAndPay(b, page);
    expect(hosted.body.replace(/\u00a0/g, ' ')).toContain('18,50');
    expect(attempt).toMatchObject({ amount_cents: 1850, status: 'succeeded', payment_id: null });
    expect(back).toBe(`${t.config.PUBLIC_URL}${page}?paiement=${attempt.id}`);
    const [r] = await replacementsOf(contract.id);
    expect(r).toMatchObject({ status: 'paid', fee_cents: 1850, paid_at: nowIso(t.clock) });
    expect((await b.get(page)).body).toContain('Payé : nouveau badge en préparation');
    // Not a payment of the balance: no credit appears on the account.
    expect(await accountBalance(t.db, customer.id)).toBe(0);
    expect(await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);

    const paid = await eventsOf(customer.id, 'badge.replacement_paid');
    expect(paid).toEqual([
      {
        feed: 'payments',
        type: 'badge.replacement_paid',
        origin: 'customer',
        payload: { replacement_id: r!.id, attempt_id: attempt.id, amount_cents: 1850, currency: 'EUR', method: 'card', provider: 'sandbox', received_at: nowIso(t.clock), contract_number: contract.number, badge_number: badge },
      },
    ]);
    const { key } = await apiClientWith(t, ['payments:read']);
    const feed = (await api(t, key, 'GET', '/api/v1/feeds/payments?limit=500')).json() as { items: { type: string; replacement_id?: string }[] };
    expect(feed.items).toContainEqual(expect.objectContaining({ type: 'badge.replacement_paid', replacement_id: r!.id, customer_number: customer.number }));

    // Nothing more to order once paid.
    const again = await b.submit(page, `${page}/commande`, {});
    expect(again.headers.location).toBe(page);

    await mb.deliver();
    const mail = mb.last(email)!;
    expect(mail.subject).toBe('Votre badge de remplacement est payé');
    expect(mail.text.replace(/\u00a0/g, ' ')).toContain('18,50 €');
    expect(mail.text).toContain('merci de le rapporter');
    await t.db.updateTable('product_fees').set({ badge_replacement_fee_cents: 1500 }).where('product', '=', 'moto').execute();
  });

  it('keeps a badge’s checkout and a balance’s apart: neither supersedes the other', async () => {
    const { b, customer } = await payerWithTwoInvoices(t, `10.13.${kind === 'sqlite' ? 3 : 4}.1`, `badge-payer-${kind}@example.fr`);
    const contract = await t.db.selectFrom('contracts').select(['id', 'number']).where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    await t.db.updateTable('contracts').set({ badge_number: 'B-PAYER' }).where('id', '=', contract.id).execute();
    const page = `/contrats/${contract.number}/badge`;
    await report(b, page, 'lost');
    expect((await b.submit(page, `${page}/commande`, {})).statusCode).toBe(303);
    const badgeAttempt = () => t.db.selectFrom('payment_attempts').select(['status', 'amount_cents']).where('customer_id', '=', customer.id).where('badge_replacement_id', 'is not', null).executeTakeFirstOrThrow();
    expect(await badgeAttempt()).toEqual({ status: 'pending', amount_cents: 1500 });

    const pay = await b.get('/mon-compte/paiement');
    const balance = await b.post('/mon-compte/paiement', { _csrf: csrfToken(pay.body), facture: /name="facture" value="([^"]+)"/.exec(pay.body)![1]! });
    expect(balance.statusCode).toBe(303);
    expect((await badgeAttempt()).status).toBe('pending');
    // And a second order of the badge supersedes only the badge's own checkout.
    expect((await b.submit(page, `${page}/commande`, {})).statusCode).toBe(303);
    const statuses = await t.db.selectFrom('payment_attempts').select(['status', 'badge_replacement_id']).where('customer_id', '=', customer.id).execute();
    expect(statuses.map((s) => `${s.status} ${s.badge_replacement_id ? 'badge' : 'balance'}`).sort()).toEqual(['pending badge', 'pending balance', 'superseded badge']);
  });

  it('the back office prepares the paid replacements: the new badge is the contract’s, the customer told, the access feed told', async () => {
    const { b, customer, contract, park, email, badge, page } = await subscriber();
    await report(b, page, 'stolen');
    const { b: agent, staff } = await loggedInStaff(t, '10.13.9.1', 'agent');
    const before = await agent.get('/gestion/badges');
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain(`Contrat ${contract.number}`); // not paid: not to prepare yet
    await orderAndPay(b, page);

    const queue = await agent.get('/gestion/badges');
    expect(queue.body).toContain(`Contrat ${contract.number} — badge ${badge}`);
    const [r] = await replacementsOf(contract.id);
    const wrong = await agent.post(`/gestion/badges/${r!.id}`, { _csrf: csrfToken(queue.body), badge: 'no good!', delivery: 'handed_over' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Saisissez le numéro du nouveau badge');
    expect(wrong.body).toContain('value="no good!"');
    const same = await agent.post(`/gestion/badges/${r!.id}`, { _csrf: csrfToken(queue.body), badge, delivery: 'posted' });
    expect(same.statusCode).toBe(422);
    expect((await replacementsOf(contract.id))[0]!.status).toBe('paid');

    const done = await agent.post(`/gestion/badges/${r!.id}`, { _csrf: csrfToken(queue.body), badge: ' b-777 ', delivery: 'posted' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/gestion/badges?ok=envoye');
    expect((await agent.get('/gestion/badges?ok=envoye')).body).toContain('Badge envoyé : le client est prévenu.');
    expect((await replacementsOf(contract.id))[0]).toMatchObject({ status: 'posted', new_badge_number: 'B-777', completed_by: staff.id });
    expect((await t.db.selectFrom('contracts').select('badge_number').where('id', '=', contract.id).executeTakeFirstOrThrow()).badge_number).toBe('B-777');
    // Twice is once.
    expect((await agent.post(`/gestion/badges/${r!.id}`, { _csrf: csrfToken(queue.body), badge: 'B-778', delivery: 'handed_over' })).headers.location).toBe('/gestion/badges?deja');

    expect(await eventsOf(customer.id, 'access.badge_issued')).toEqual([
      {
        feed: 'access',
        type: 'access.badge_issued',
        origin: 'staff',
        payload: { customer_number: customer.number, contract_number: contract.number, car_park_code: park.code, badge_number: 'B-777', replaces_badge_number: badge, delivery: 'posted', applies_from: '2026-11-27' },
      },
    ]);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'badge.posted').where('target_id', '=', customer.id).execute();
    expect(audit).toEqual([{ action: 'badge.posted', actor_id: staff.id }]);

    // The customer sees the new badge, can report it in turn, and the history.
    const after = (await b.get(page)).body;
    expect(after).toContain('B-777');
    expect(after).toContain(`Badge ${badge} remplacé par le badge B-777, envoyé le 27/11/2026`);
    expect(after).toContain('Bloquer le badge B-777');
    expect((await b.get('/contrats')).body).not.toContain('Suivre le remplacement');

    await mb.deliver();
    const mail = mb.last(email)!;
    expect(mail.subject).toBe('Votre nouveau badge B-777');
    expect(mail.text).toContain('envoyé par la poste');
  });

  it('sets each product’s fee in the back office, admins only', async () => {
    const { b: agent } = await loggedInStaff(t, '10.13.9.2', 'agent');
    expect((await agent.get('/gestion/badges/tarifs')).statusCode).toBe(403);
    const { b: admin } = await loggedInStaff(t, '10.13.9.3', 'admin');
    expect((await admin.get('/gestion/parametres')).body).toContain('href="/gestion/badges/tarifs"');
    const page = await admin.get('/gestion/badges/tarifs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="15,00"');
    const fields = { resident: '15', resident_petit_rouleur: '15', non_resident: '15', moto: '15', business: '15' };
    const bad = await admin.post('/gestion/badges/tarifs', { _csrf: csrfToken(page.body), ...fields, business: 'douze' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="douze"');
    const ok = await admin.post('/gestion/badges/tarifs', { _csrf: csrfToken(page.body), ...fields, business: '22,50' });
    expect(ok.statusCode).toBe(303);
    expect((await t.db.selectFrom('product_fees').select('badge_replacement_fee_cents').where('product', '=', 'business').executeTakeFirstOrThrow()).badge_replacement_fee_cents).toBe(2250);
    await admin.post('/gestion/badges/tarifs', { _csrf: csrfToken(page.body), ...fields });
  });
});
