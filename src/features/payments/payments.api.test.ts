import { describe, expect, it } from 'vitest';
import { allPages, api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { databaseKinds, loggedInBrowser, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCustomer } from '../../../tests/support/factories.ts';
import { formatMoney } from '../../lib/money.ts';
import { accountBalance, documentBalances } from '../account/balance.queries.ts';

/*
 * Payments received outside the portal in the API: PUT by the ERP's reference (created,
 * replaced, unchanged — nothing written nor audited), the invoices each settles checked
 * against what remains on them (the portal's one balance code), the customer's "Reste à payer"
 * moving, paging, and batches of up to 1,000 applied all or nothing.
 */

const base = '/api/v1/payments';
const batches = '/api/v1/batches/payments';
let serial = 0;
/** A reference of this test run's own. */
const newReference = () => `VIR-${process.pid % 1000}${Date.now() % 100000}-${++serial}`;

const body = (customer: string, over: Record<string, unknown> = {}) => ({
  customer,
  method: 'cheque',
  amount_cents: 10000,
  received_on: '2026-11-20',
  allocations: [],
  ...over,
});

describe.each(databaseKinds())('payments received outside the portal, in the API (%s)', (kind) => {
  const t = useTestApp(kind);

  /** A customer with two published invoices of 260,00 € (`<number>-A`, `<number>-B`) and a draft. */
  async function owing(active = false) {
    const customer = active ? (await activeSubscriber(t.db, t.clock)).customer : await createCustomer(t.db, t.clock);
    const n = customer.number;
    const a = await insertDocument(t.db, { customerId: customer.id, number: `${n}-A`, issueDate: '2026-10-01', htCents: 21667 });
    const b = await insertDocument(t.db, { customerId: customer.id, number: `${n}-B`, issueDate: '2026-11-01', htCents: 21667 });
    const draft = await insertDocument(t.db, { customerId: customer.id, number: `${n}-D`, issueDate: '2026-11-02', htCents: 1000 });
    await t.db.updateTable('financial_documents').set({ published_at: null }).where('id', '=', draft.id).execute();
    return { customer, a, b, draft };
  }
  const audits = (customerId: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_type', 'actor_id', 'details']).where('target_id', '=', customerId).where('action', 'like', 'payment.%').orderBy('at').orderBy('id').execute();

  it('asks for a key, and for the payments scopes', async () => {
    const { key } = await apiClientWith(t, ['documents:read', 'documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    const reference = newReference();
    for (const [method, url, payload] of [
      ['PUT', `${base}/${reference}`, body(customer.number)],
      ['GET', `${base}/${reference}`, undefined],
      ['GET', base, undefined],
      ['POST', batches, { items: [{ reference, ...body(customer.number) }] }],
    ] as const) {
      expectProblem(await api(t, null, method, url, payload), 401, 'api_unauthorized');
      expect(expectProblem(await api(t, key, method, url, payload), 403, 'api_scope_missing').required_scope).toBe(method === 'GET' ? 'payments:read' : 'payments:write');
    }
    expect(await t.db.selectFrom('payments').select('id').where('provider_reference', '=', reference).executeTakeFirst()).toBeUndefined();
  });

  it('records a cheque that settles invoices: the balance moves; a repeat changes nothing; a new split replaces the old', async () => {
    const { key, client } = await apiClientWith(t, ['payments:write', 'payments:read', 'documents:read']);
    const { customer, a, b } = await owing(true);
    const n = customer.number;
    const browser = await loggedInBrowser(t.app, '198.51.100.130', n, 'violet tramway cerise');
    const shownBalance = async () => /id="balance"[^>]*>([^<]*)</.exec((await browser.get('/mon-compte')).body)?.[1];
    expect(await shownBalance()).toContain(formatMoney(52000, 'fr'));

    const reference = newReference();
    const created = await api(t, key, 'PUT', `${base}/${reference}`, body(n, { amount_cents: 30000, allocations: [{ invoice: `${n}-A`, amount_cents: 26000 }, { invoice: `${n}-B`, amount_cents: 4000 }] }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`${base}/${reference}`);
    expect(created.json()).toMatchObject({
      reference,
      customer: n,
      method: 'cheque',
      amount_cents: 30000,
      received_on: '2026-11-20',
      allocations: [
        { invoice: `${n}-A`, amount_cents: 26000 },
        { invoice: `${n}-B`, amount_cents: 4000 },
      ],
      unallocated_cents: 0,
      unchanged: false,
    });
    // "Reste à payer" moves: the account's, each invoice's, and the customer's page.
    expect(await accountBalance(t.db, customer.id)).toBe(52000 - 30000);
    expect(await documentBalances(t.db, customer.id)).toEqual(new Map([[a.id, 0], [b.id, 22000]]));
    expect(await shownBalance()).toContain(formatMoney(22000, 'fr'));
    expect((await api(t, key, 'GET', `/api/v1/documents/${n}-B`)).json()).toMatchObject({ portal: { remaining_cents: 22000 } });
    const row = await t.db.selectFrom('payments').selectAll().where('provider_reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ provider: 'erp', status: 'succeeded', method: 'cheque', customer_id: customer.id });
    expect(await audits(customer.id)).toEqual([{ action: 'payment.create', actor_type: 'api', actor_id: client.id, details: expect.stringContaining(`"client":"${client.name}"`) }]);

    // The same, allocations in another order: nothing written, nothing audited.
    t.clock.advance(60_000);
    const again = await api(t, key, 'PUT', `${base}/${reference}`, body(n, { amount_cents: 30000, allocations: [{ invoice: `${n}-B`, amount_cents: 4000 }, { invoice: `${n}-A`, amount_cents: 26000 }] }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ unchanged: true });
    expect(await audits(customer.id)).toHaveLength(1);

    // Replaced: all of it on B now (what it settled on A counted back), the rest a credit.
    const moved = await api(t, key, 'PUT', `${base}/${reference}`, body(n, { method: 'transfer', amount_cents: 30000, allocations: [{ invoice: `${n}-B`, amount_cents: 26000 }] }));
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ method: 'transfer', allocations: [{ invoice: `${n}-B`, amount_cents: 26000 }], unallocated_cents: 4000, unchanged: false });
    expect(await documentBalances(t.db, customer.id)).toEqual(new Map([[a.id, 26000], [b.id, 0]]));
    expect(await accountBalance(t.db, customer.id)).toBe(22000);
    const trail = await audits(customer.id);
    expect(trail.map((x) => x.action)).toEqual(['payment.create', 'payment.update']);
    expect(JSON.parse(trail[1]!.details!)).toMatchObject({ client: client.name, reference, fields: ['method', 'allocations'] });

    const read = await api(t, key, 'GET', `${base}/${reference}`);
    expect(read.json()).toMatchObject({ reference, unallocated_cents: 4000 });
    expect(read.json()).not.toHaveProperty('unchanged');
    expectProblem(await api(t, key, 'GET', `${base}/NOPE-${reference}`), 404, 'api_not_found');
  });

  it('refuses more than remains on an invoice, another customer’s invoice, a draft, an invoice twice, more allocated than received — and writes nothing', async () => {
    const { key } = await apiClientWith(t, ['payments:write']);
    const { customer } = await owing();
    const other = await owing();
    const n = customer.number;
    const reference = newReference();
    // Half of A settled already, online.
    const a = await t.db.selectFrom('financial_documents').select('id').where('number', '=', `${n}-A`).executeTakeFirstOrThrow();
    const online = `online-${reference}`;
    await t.db.insertInto('payments').values({ id: online, customer_id: customer.id, method: 'card', provider: 'sandbox', provider_reference: online, status: 'succeeded', amount_cents: 13000, received_at: null, created_at: '2026-11-02T00:00:00.000Z' }).execute();
    await t.db.insertInto('allocations').values({ id: `al-${online}`, invoice_id: a.id, payment_id: online, credit_note_id: null, amount_cents: 13000, created_at: '2026-11-02T00:00:00.000Z' }).execute();

    const refused = await api(
      t,
      key,
      'PUT',
      `${base}/${reference}`,
      body(n, {
        amount_cents: 60000,
        allocations: [
          { invoice: `${n}-A`, amount_cents: 13001 },
          { invoice: `${other.customer.number}-A`, amount_cents: 100 },
          { invoice: `${n}-D`, amount_cents: 100 },
          { invoice: `${n}-NOPE`, amount_cents: 100 },
        ],
      }),
    );
    expect(expectProblem(refused, 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([
      ['allocations[1].invoice', 'unknown'],
      ['allocations[2].invoice', 'not_published'],
      ['allocations[3].invoice', 'unknown'],
    ]);
    const over = await api(t, key, 'PUT', `${base}/${reference}`, body(n, { amount_cents: 60000, allocations: [{ invoice: `${n}-A`, amount_cents: 13001 }] }));
    expect(expectProblem(over, 422, 'validation_failed').errors).toEqual([
      { field: 'allocations[0].amount_cents', in: 'body', code: 'too_big', message: 'More than what remains to pay on this invoice (13000).' },
    ]);
    const fields = await api(t, key, 'PUT', `${base}/${reference}`, body(n, { method: 'bitcoin', note: 'x' }));
    expect(expectProblem(fields, 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([
      ['method', 'enum'],
      ['note', 'unknown'],
    ]);
    const rules = await api(t, key, 'PUT', `${base}/${reference}`, body(n, { amount_cents: 500, allocations: [{ invoice: `${n}-A`, amount_cents: 300 }, { invoice: `${n}-A`, amount_cents: 300 }] }));
    expect(expectProblem(rules, 422, 'validation_failed').errors!.map((e) => [e.field, e.code, e.message])).toEqual([
      ['allocations[1].invoice', 'duplicate', 'This invoice is already allocated above (allocation 0).'],
      ['allocations', 'sum', 'The allocations add up to 600, more than the payment’s 500.'],
    ]);
    expectProblem(await api(t, key, 'PUT', `${base}/${reference}`, body('NOBODY42')), 422, 'validation_failed');
    expectProblem(await api(t, key, 'PUT', `${base}/${reference}`, body(n, { amount_cents: 0, received_on: '2026-13-01' })), 422, 'validation_failed');
    expect(await t.db.selectFrom('payments').select('id').where('provider_reference', '=', reference).executeTakeFirst()).toBeUndefined();
    expect(await accountBalance(t.db, customer.id)).toBe(52000 - 13000);
  });

  it('pages through every payment received outside the portal to the end, each once', async () => {
    const { key } = await apiClientWith(t, ['payments:write', 'payments:read']);
    const customer = await createCustomer(t.db, t.clock);
    const mine = Array.from({ length: 5 }, () => newReference());
    for (const reference of mine) expect((await api(t, key, 'PUT', `${base}/${reference}`, body(customer.number))).statusCode).toBe(201);
    const seen = (await allPages<{ reference: string }>(t, key, base)).map((i) => i.reference);
    const total = Number((await t.db.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).where('provider', '=', 'erp').executeTakeFirstOrThrow()).n);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual(expect.arrayContaining(mine));
    expectProblem(await api(t, key, 'GET', `${base}?cursor=nonsense`), 422, 'validation_failed');
  });

  it('writes nothing from a batch of 1,000 with bad items, naming each; a good batch writes all, once; payments of a batch share what remains', async () => {
    const { key } = await apiClientWith(t, ['payments:write']);
    const { customer, a, b } = await owing();
    const n = customer.number;
    const items = Array.from({ length: 1000 }, (_, i) => ({
      reference: newReference(),
      ...body(n, { amount_cents: 100, allocations: i < 2 ? [{ invoice: `${n}-A`, amount_cents: 100 }] : [] }),
    }));
    const references = items.map((i) => i.reference);
    const written = () =>
      t.db
        .selectFrom('payments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('provider_reference', 'in', references)
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));

    const bad = items.map((item, i) =>
      i === 17 ? { ...item, method: 'bitcoin' } : i === 998 ? { ...item, amount_cents: 30000, allocations: [{ invoice: `${n}-B`, amount_cents: 26001 }] } : item,
    );
    const refused = expectProblem(await api(t, key, 'POST', batches, { items: bad }), 422, 'validation_failed');
    expect(refused.errors!.map((e) => [e.field, e.code])).toEqual([
      ['items[17].method', 'enum'],
      ['items[998].allocations[0].amount_cents', 'too_big'],
    ]);
    expect(await written()).toBe(0);
    expect(await accountBalance(t.db, customer.id)).toBe(52000);

    const good = await api(t, key, 'POST', batches, { items });
    expect(good.statusCode, good.body.slice(0, 500)).toBe(200);
    expect(good.json()).toMatchObject({ summary: { created: 1000, updated: 0, unchanged: 0 } });
    expect(await written()).toBe(1000);
    expect(await accountBalance(t.db, customer.id)).toBe(52000 - 100000);
    expect(await documentBalances(t.db, customer.id)).toEqual(new Map([[a.id, 25800], [b.id, 26000]]));
    expect((await api(t, key, 'POST', batches, { items })).json()).toMatchObject({ summary: { created: 0, updated: 0, unchanged: 1000 } });

    // Two payments of one batch cannot together take more than remains on an invoice.
    const [x, y] = [newReference(), newReference()];
    const shared = await api(t, key, 'POST', batches, {
      items: [
        { reference: x, ...body(n, { amount_cents: 20000, allocations: [{ invoice: `${n}-B`, amount_cents: 20000 }] }) },
        { reference: y, ...body(n, { amount_cents: 20000, allocations: [{ invoice: `${n}-B`, amount_cents: 20000 }] }) },
        { reference: x, ...body(n) },
      ],
    });
    expect(expectProblem(shared, 422, 'validation_failed').errors!.map((e) => [e.field, e.code, e.message])).toEqual([
      ['items[1].allocations[0].amount_cents', 'too_big', 'More than what remains to pay on this invoice (6000).'],
      ['items[2].reference', 'duplicate', 'Already in this batch (item 0).'],
    ]);
  });
});
