import { describe, expect, it } from 'vitest';
import { api, apiClientWith } from '../../../tests/support/api.ts';
import { Browser, TEST_START, databaseKinds, loggedInCustomer, withoutCsrfTokens } from '../../../tests/support/app.ts';
import { createCarPark, createContract, emailColumns } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { DAY } from '../../lib/clock.ts';

describe.each(databaseKinds())('terminating a contract online (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.113.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
  let mailSeq = 0;
  const address = () => `resiliation.${kind}.${++mailSeq}@example.fr`;

  /** A logged-in customer with a verified address and an active monthly contract. */
  async function subscriber(over: Parameters<typeof loggedInCustomer>[2] = {}) {
    const email = address();
    const { b, customer } = await loggedInCustomer(t, ip(), { ...emailColumns(email, null, TEST_START.toISOString()), ...over });
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    await t.db.updateTable('contracts').set({ badge_number: 'B-7781' }).where('id', '=', contract.id).execute();
    return { b, customer, contract, email };
  }

  const terminationOf = (contractId: string) => t.db.selectFrom('contract_terminations').selectAll().where('contract_id', '=', contractId).where('status', '<>', 'withdrawn').executeTakeFirst().then(async (r) => r ?? (await t.db.selectFrom('contract_terminations').selectAll().where('contract_id', '=', contractId).executeTakeFirstOrThrow()));

  it('from Contrats: a clearly labelled link, the summary with the effective date, confirmed, acknowledged by e-mail and as a PDF', async () => {
    const { b, contract, email } = await subscriber();
    const list = await b.get('/contrats');
    expect(list.body).toContain(`href="/contrats/${contract.number}/resiliation"`);
    expect(list.body).toContain('Résilier votre contrat');

    // 27 November: a month's notice runs to 27 December, the billing period ends on the 31st.
    const summary = await b.get(`/contrats/${contract.number}/resiliation`);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('Récapitulatif de votre demande de résiliation');
    expect(summary.body).toContain('<strong>31/12/2026</strong>');
    expect(summary.body).toContain('Confirmer la résiliation');
    expect(summary.body).not.toContain('name="date" type="date"'); // an individual is asked nothing
    expect(await t.db.selectFrom('contract_terminations').select('id').where('contract_id', '=', contract.id).execute()).toHaveLength(0);

    const done = await b.submit(`/contrats/${contract.number}/resiliation`, `/contrats/${contract.number}/resiliation`, { date: '' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/contrats/${contract.number}/resiliation/enregistree`);
    const row = await terminationOf(contract.id);
    expect(row).toMatchObject({ status: 'requested', channel: 'customer_area', effective_date: '2026-12-31', acknowledgement_to: email });
    const page = await b.get(done.headers.location as string);
    expect(page.body).toContain(row.reference);
    expect(page.body).toContain('31/12/2026');

    await mb.deliver();
    const ack = mb.last(email)!;
    expect(ack.subject).toBe(`Accusé de réception : résiliation du contrat n° ${contract.number}`);
    for (const text of ['31/12/2026', row.reference, contract.number, 'CARDINET', 'Demande reçue le 27/11/2026']) expect(ack.text, text).toContain(text);

    // Contrats shows it under way, with its PDF; a second request is refused.
    const after = await b.get('/contrats');
    expect(after.body).toContain(`Résiliation demandée le 27/11/2026 : le contrat prend fin le 31/12/2026 (référence ${row.reference})`);
    const pdf = await b.get(`/contrats/${contract.number}/resiliation/accuse.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await b.get(`/contrats/${contract.number}/resiliation`)).statusCode).toBe(409);

    // Another customer reaches neither the contract nor its PDF.
    const other = await subscriber();
    expect((await other.b.get(`/contrats/${contract.number}/resiliation`)).statusCode).toBe(404);
    expect((await other.b.get(`/contrats/${contract.number}/resiliation/accuse.pdf`)).statusCode).toBe(404);
  });

  it('a business customer may choose a later date, never an earlier one; the typed date is kept with the error', async () => {
    const { b, contract, email } = await subscriber({ kind: 'business', company_name: 'ACME SAS' });
    const form = await b.get(`/contrats/${contract.number}/resiliation`);
    expect(form.body).toContain('name="date"');
    expect(form.body).toContain('Au plus tôt le 31/12/2026');
    const early = await b.get(`/contrats/${contract.number}/resiliation/recapitulatif?date=2026-12-30`);
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('La résiliation ne peut pas prendre effet avant le 31/12/2026.');
    expect(early.body).toContain('value="2026-12-30"');
    const later = await b.get(`/contrats/${contract.number}/resiliation/recapitulatif?date=2027-03-15`);
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('<strong>15/03/2027</strong>');
    const done = await b.submit(`/contrats/${contract.number}/resiliation/recapitulatif?date=2027-03-15`, `/contrats/${contract.number}/resiliation`, { date: '2027-03-15' });
    expect(done.statusCode).toBe(303);
    expect(await terminationOf(contract.id)).toMatchObject({ effective_date: '2027-03-15', chosen_date: 1 });
    await mb.deliver();
    expect(mb.last(email)!.text).toContain('15/03/2027');
  });

  it('records one termination of two confirmations sent at once', async () => {
    const { b, contract } = await subscriber();
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await b.get(`/contrats/${contract.number}/resiliation`)).body)![1]!;
    const answers = await Promise.all([0, 1].map(() => b.post(`/contrats/${contract.number}/resiliation`, { _csrf: csrf, date: '' })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([303, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.body).toContain('déjà en cours');
    expect(await t.db.selectFrom('contract_terminations').select('id').where('contract_id', '=', contract.id).execute()).toHaveLength(1);
  });

  it('refuses a contract already ended', async () => {
    const { b, contract } = await subscriber();
    await t.db.updateTable('contracts').set({ status: 'ended', end_date: '2026-10-31' }).where('id', '=', contract.id).execute();
    const res = await b.get(`/contrats/${contract.number}/resiliation`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Ce contrat est déjà terminé');
    expect((await b.get('/contrats')).body).not.toContain(`href="/contrats/${contract.number}/resiliation"`);
  });

  it('is withdrawn from Contrats until its effective date, and the customer is told', async () => {
    const { b, contract, email } = await subscriber();
    await b.submit(`/contrats/${contract.number}/resiliation`, `/contrats/${contract.number}/resiliation`, { date: '' });
    const withdrawn = await b.submit('/contrats', `/contrats/${contract.number}/resiliation/retrait`, {});
    expect(withdrawn.statusCode).toBe(303);
    expect((await b.get(withdrawn.headers.location as string)).body).toContain('Votre demande de résiliation est retirée');
    expect(await terminationOf(contract.id)).toMatchObject({ status: 'withdrawn' });
    const trail = await t.db.selectFrom('audit_log').select(['action', 'actor_type', 'target_id']).where('action', 'like', 'termination.%').where('target_id', '=', contract.customer_id).orderBy('at').orderBy('id').execute();
    expect(trail.map((a) => [a.action, a.actor_type])).toEqual([
      ['termination.request', 'customer'],
      ['termination.withdraw', 'customer'],
    ]);
    await mb.deliver();
    // The acknowledgement and the notice leave in the same delivery, in either order.
    expect(mb.smtp.to(email).map((m) => m.subject)).toEqual(
      expect.arrayContaining([`Accusé de réception : résiliation du contrat n° ${contract.number}`, `Demande de résiliation retirée : contrat n° ${contract.number}`]),
    );
    expect((await b.get('/contrats')).body).toContain(`href="/contrats/${contract.number}/resiliation"`);

    // Asked again, then past its effective date: no longer withdrawn (the session has ended by then: the e-mail's link).
    await b.submit(`/contrats/${contract.number}/resiliation`, `/contrats/${contract.number}/resiliation`, { date: '' });
    await mb.deliver();
    const path = new URL(mb.link(mb.last(email)!.text, `${t.config.PUBLIC_URL}/resilier/retrait/`)!).pathname;
    t.clock.set(new Date('2026-12-31T23:00:00Z')); // midnight in Paris: 1 January
    const visitor = new Browser(t.app, ip());
    const page = await visitor.get(path);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('ne peut plus être retirée');
    const late = await visitor.submit('/resilier', '/resilier/retrait', { token: path.split('/').pop()! });
    expect(late.statusCode).toBe(409);
    expect(await terminationOf(contract.id)).toMatchObject({ status: 'requested' });
  });

  it('is withdrawn from the link in the acknowledgement, on its last day still', async () => {
    const { b, contract, email } = await subscriber();
    await b.submit(`/contrats/${contract.number}/resiliation`, `/contrats/${contract.number}/resiliation`, { date: '' });
    await mb.deliver();
    const link = mb.link(mb.last(email)!.text, `${t.config.PUBLIC_URL}/resilier/retrait/`)!;
    expect(link).toBeTruthy();
    t.clock.set(new Date('2026-12-31T22:00:00Z')); // 23:00 in Paris on the 31st
    const visitor = new Browser(t.app, ip());
    const path = new URL(link).pathname;
    const page = await visitor.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Retirer ma demande de résiliation');
    const token = path.split('/').pop()!;
    const res = await visitor.submit(path, '/resilier/retrait', { token });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Votre demande de résiliation est retirée');
    expect(await terminationOf(contract.id)).toMatchObject({ status: 'withdrawn' });
  });

  it('without logging in: the footer link, one answer whether the details match or not, a link to the summary, the acknowledgement', async () => {
    const { customer, contract, email } = await subscriber();
    const visitor = new Browser(t.app, ip());
    // The footer links to it on a public page and a logged-in one.
    expect((await visitor.get('/faq')).body).toContain('<a href="/resilier">Résilier votre contrat</a>');
    const other = await subscriber();
    expect((await other.b.get('/contrats')).body).toContain('<a href="/resilier">Résilier votre contrat</a>');

    const form = await visitor.get('/resilier');
    expect(form.statusCode).toBe(200);
    for (const name of ['numero_client', 'nom', 'numero_contrat', 'email']) expect(form.body).toContain(`name="${name}"`);

    const typed = address();
    const wrongAddress = address();
    const wrong = await visitor.submit('/resilier', '/resilier', { numero_client: customer.number, nom: 'MARTIN', numero_contrat: contract.number, email: wrongAddress });
    const right = await visitor.submit('/resilier', '/resilier', { numero_client: customer.number.toLowerCase(), nom: 'durand', numero_contrat: contract.number, email: typed });
    expect(right.statusCode).toBe(wrong.statusCode);
    expect(withoutCsrfTokens(right.body)).toBe(withoutCsrfTokens(wrong.body));
    expect(right.body).toContain('Vérifiez votre messagerie');
    await mb.deliver();
    expect(mb.smtp.to(wrongAddress)).toHaveLength(0);
    const mail = mb.last(typed)!;
    const link = mb.link(mail.text, `${t.config.PUBLIC_URL}/resilier/confirmation/`)!;
    expect(await t.db.selectFrom('contract_terminations').select('id').where('contract_id', '=', contract.id).execute()).toHaveLength(0);

    const path = new URL(link).pathname;
    const summary = await visitor.get(path);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('<strong>31/12/2026</strong>');
    expect(summary.body).toContain(typed);
    const done = await visitor.submit(path, '/resilier/confirmation', { token: path.split('/').pop()!, date: '' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Votre demande de résiliation est enregistrée');
    const row = await terminationOf(contract.id);
    expect(row).toMatchObject({ status: 'requested', channel: 'public_page', effective_date: '2026-12-31' });
    await mb.deliver();
    // The acknowledgement to the address typed and to the holder's own.
    for (const to of [typed, email]) expect(mb.last(to)!.text, to).toContain('31/12/2026');
    // The link is spent.
    expect((await visitor.get(path)).statusCode).toBe(410);
  });

  it('the public page says what is missing, keeps what was typed, and is throttled per customer number', async () => {
    const visitor = new Browser(t.app, ip());
    const empty = await visitor.submit('/resilier', '/resilier', { numero_client: 'CLT1', nom: '', numero_contrat: '', email: 'pas-une-adresse' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('value="CLT1"');
    expect(empty.body).toContain('value="pas-une-adresse"');
    expect(empty.body).toContain('Ce champ est obligatoire.');
    expect(empty.body).toContain('Saisissez une adresse e-mail valide');

    const fields = { numero_client: 'CLT777777', nom: 'X', numero_contrat: '99CT1', email: address() };
    for (let i = 0; i < 3; i++) expect((await visitor.submit('/resilier', '/resilier', fields)).statusCode).toBe(200);
    const held = await visitor.submit('/resilier', '/resilier', fields);
    expect(held.statusCode).toBe(429);
    expect(held.headers['retry-after']).toBeTruthy();
    t.clock.set(new Date(TEST_START.getTime() + DAY));
    expect((await visitor.submit('/resilier', '/resilier', fields)).statusCode).toBe(200);
  });

  it('speaks English on the public page and in an English customer’s acknowledgement', async () => {
    const { b, contract, email } = await subscriber({ language: 'en' });
    const page = await b.get(`/contrats/${contract.number}/resiliation`);
    expect(page.body).toContain('Summary of your termination request');
    await b.submit(`/contrats/${contract.number}/resiliation`, `/contrats/${contract.number}/resiliation`, { date: '' });
    await mb.deliver();
    const ack = mb.last(email)!;
    expect(ack.subject).toBe(`Acknowledgement: termination of contract no. ${contract.number}`);
    expect(ack.text).toContain('It takes effect on 31 Dec 2026');
    const visitor = new Browser(t.app, ip());
    await visitor.submit('/faq', '/langue', { lang: 'en', next: '/resilier' });
    const form = await visitor.get('/resilier');
    expect(form.body).toContain('Terminate your contract');
    expect((await visitor.get('/faq')).body).toContain('<a href="/resilier">Terminate your contract</a>');
  });

  it('lands in the back office’s queue with the badge to get back, processed there; the ERP reads it all in its feed', async () => {
    const { key } = await apiClientWith(t, ['terminations:read']);
    const start = (await api(t, key, 'GET', '/api/v1/feeds/terminations?limit=500')).json() as { next_cursor: string };
    const { b, customer, contract } = await subscriber();
    await b.submit(`/contrats/${contract.number}/resiliation`, `/contrats/${contract.number}/resiliation`, { date: '' });
    const row = await terminationOf(contract.id);

    const { b: staff } = await loggedInStaff(t, ip());
    const queue = await staff.get('/gestion/resiliations');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(row.reference);
    expect(queue.body).toContain('Badge B-7781 à récupérer');
    expect(queue.body).toContain('href="/gestion/resiliations"');
    expect((await staff.get(`/gestion/clients/${customer.number}`)).body).toContain('résiliation demandée, fin le 31/12/2026');
    const processed = await staff.submit('/gestion/resiliations', `/gestion/resiliations/${row.id}/traitee`, {});
    expect(processed.statusCode).toBe(303);
    expect((await staff.get(processed.headers.location as string)).body).toContain(`La résiliation ${row.reference} est marquée traitée.`);
    expect(await terminationOf(contract.id)).toMatchObject({ status: 'processed' });
    expect((await b.get('/contrats')).body).toContain('Résiliation traitée par le service client');
    // The contract's resource shows it while it is under way.
    const { key: contracts } = await apiClientWith(t, ['contracts:read']);
    expect((await api(t, contracts, 'GET', `/api/v1/contracts/${contract.number}`)).json()).toMatchObject({
      termination: { reference: row.reference, status: 'processed', requested_at: row.requested_at, effective_date: '2026-12-31' },
    });
    await b.submit('/contrats', `/contrats/${contract.number}/resiliation/retrait`, {});
    expect((await api(t, contracts, 'GET', `/api/v1/contracts/${contract.number}`)).json()).toMatchObject({ termination: null });

    const feed = await api(t, key, 'GET', `/api/v1/feeds/terminations?cursor=${start.next_cursor}`);
    expect(feed.statusCode).toBe(200);
    const items = (feed.json() as { items: Record<string, unknown>[] }).items.filter((i) => i.customer_number === customer.number);
    expect(items.map((i) => [i.type, i.origin, i.status])).toEqual([
      ['contract.termination_requested', 'customer', 'requested'],
      ['contract.termination_processed', 'staff', 'processed'],
      ['contract.termination_withdrawn', 'customer', 'withdrawn'],
    ]);
    expect(items[0]).toMatchObject({ reference: row.reference, contract_number: contract.number, effective_date: '2026-12-31', badge_number: 'B-7781', channel: 'customer_area' });

    const { key: other } = await apiClientWith(t, ['contracts:read']);
    expect((await api(t, other, 'GET', '/api/v1/feeds/terminations')).statusCode).toBe(403);
  });
});
