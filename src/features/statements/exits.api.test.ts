import { describe, expect, it } from 'vitest';
import { api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract } from '../../../tests/support/factories.ts';
import type { Product } from '../../db/schema.ts';
import { newId, nowIso } from '../../lib/clock.ts';

/*
 * Petit-rouleur exit counts in the API: PUT by contract and month (created, updated,
 * unchanged — nothing written nor audited), the individual exits as many as the count and in
 * the month, only for a petit-rouleur contract, a billed month's count kept (409), every bad
 * field named, unknown fields refused, the scopes, paging to the end; and the customer sees
 * the month on their Décomptes page.
 */

let serial = 0;
const newNumber = () => `PR${process.pid % 1000}${Date.now() % 100000}${++serial}`;

/** Six exits of October 2026, Paris time (the first at 00:30 on 1 October, Paris). */
const sixExits = ['2026-09-30T22:30:00Z', '2026-10-05T16:40:00+02:00', '2026-10-09T07:10:00Z', '2026-10-14T18:00:00Z', '2026-10-20T08:15:00Z', '2026-10-28T12:00:00Z'];

describe.each(databaseKinds())('exit counts in the API (%s)', (kind) => {
  const t = useTestApp(kind);
  let ip = 0;

  /** A logged-in customer's contract (21 667 HT a month, since 2021-12-09). */
  async function contract(product: Product = 'resident_petit_rouleur') {
    const { b, customer } = await loggedInCustomer(t, `10.0.17.${++ip}`);
    const park = await createCarPark(t.db, t.clock);
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: newNumber(), product });
    return { b, customer, k, url: `/api/v1/contracts/${k.number}/exits` };
  }

  const audits = (customerId: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_type', 'actor_id', 'details']).where('target_id', '=', customerId).where('action', 'like', 'exit_count.%').orderBy('at').orderBy('id').execute();

  it('creates a month with its exits (201), says a repeat changed nothing, updates it (200); the customer sees it on Décomptes', async () => {
    const { key, client } = await apiClientWith(t, ['exits:write', 'exits:read']);
    const { b, customer, k, url } = await contract();

    const created = await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: 6, exits: sixExits });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`${url}/2026-10`);
    // 21 667 HT a month, 6 exits: 22.5 % → 4 875 HT + 975 VAT (the statements' rule).
    expect(created.json()).toEqual({
      contract: k.number,
      month: '2026-10',
      exit_count: 6,
      exits: sixExits.map((e) => new Date(e).toISOString()).sort(),
      discount: { rate_bp: 2250, ht_cents: 4875, vat_cents: 975, ttc_cents: 5850 },
      billed_by: null,
      created_at: t.clock.now().toISOString(),
      unchanged: false,
    });
    expect(await audits(customer.id)).toEqual([
      { action: 'exit_count.create', actor_type: 'api', actor_id: client.id, details: JSON.stringify({ client: client.name, contract: k.number, month: '2026-10', exit_count: 6, exits_detailed: true }) },
    ]);

    // The same exits again, in another order and other offsets: nothing written, nothing audited.
    t.clock.advance(60_000);
    const again = await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: 6, exits: [...sixExits].reverse().map((e) => new Date(e).toISOString()) });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ unchanged: true });
    expect(await audits(customer.id)).toHaveLength(1);

    // The customer's Décomptes: the month, its rate, and the link to its exits.
    const page = await b.get('/decomptes');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Contrat n° ${k.number}`);
    expect(page.body).toContain(`<a href="/decomptes/${k.number}/2026-10">octobre 2026</a>`);
    const month = await b.get(`/decomptes/${k.number}/2026-10`);
    expect(month.statusCode).toBe(200);
    expect(month.body).toContain('01/10/2026'); // the first exit, 00:30 in Paris

    // Only the number now: the exits listed are gone, the discount follows the count.
    const changed = await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: 2 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ unchanged: false, exit_count: 2, exits: null, discount: { rate_bp: 2500 } });
    expect(JSON.parse((await audits(customer.id)).at(-1)!.details!)).toEqual({ client: client.name, contract: k.number, month: '2026-10', fields: ['exit_count', 'exits'], exit_count: [6, 2], exits_detailed: false });
    expect((await api(t, key, 'GET', `${url}/2026-10`)).json()).toMatchObject({ exit_count: 2, exits: null });
  });

  it('refuses a contract that is not petit rouleur, a month outside the contract or to come, an exit outside its month', async () => {
    const { key } = await apiClientWith(t, ['exits:write']);
    const resident = await contract('resident');
    const notPr = expectProblem(await api(t, key, 'PUT', `${resident.url}/2026-10`, { exit_count: 3 }), 422, 'validation_failed');
    expect(notPr.errors!.map((e) => [e.field, e.in, e.code, e.message])).toEqual([['number', 'path', 'product', 'Not a resident_petit_rouleur contract: it has no exit counts.']]);

    const { k, url } = await contract();
    const early = expectProblem(await api(t, key, 'PUT', `${url}/2021-11`, { exit_count: 3 }), 422, 'validation_failed');
    expect(early.errors!.map((e) => [e.field, e.in, e.code])).toEqual([['month', 'path', 'outside_contract']]);
    expectProblem(await api(t, key, 'PUT', `${url}/2026-12`, { exit_count: 3 }), 422, 'validation_failed');
    const stray = expectProblem(await api(t, key, 'PUT', `${url}/2026-09`, { exit_count: 2, exits: ['2026-09-15T10:00:00Z', '2026-09-30T22:30:00Z'] }), 422, 'validation_failed');
    expect(stray.errors!.map((e) => [e.field, e.in, e.code, e.message])).toEqual([['exits[1]', 'body', 'month', 'This exit is not in 2026-09 (Paris time).']]);
    expect(await t.db.selectFrom('exit_statements').select('id').where('contract_id', '=', k.id).execute()).toEqual([]);
    expectProblem(await api(t, key, 'PUT', '/api/v1/contracts/NOCONTRACT1/exits/2026-10', { exit_count: 3 }), 404, 'api_not_found');
  });

  it('names every bad field of a body, refuses unknown ones, and writes nothing', async () => {
    const { key } = await apiClientWith(t, ['exits:write']);
    const { k, url } = await contract();
    const bad = expectProblem(await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: -1, exits: ['yesterday', 12], gate: 'north' }), 422, 'validation_failed');
    expect(bad.errors!.map((e) => [e.field, e.code])).toEqual([
      ['exit_count', 'too_small'],
      ['exits[0]', 'format'],
      ['exits[1]', 'type'],
      ['gate', 'unknown'],
    ]);
    const count = expectProblem(await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: 3, exits: ['2026-10-02T08:00:00Z', '2026-10-02T10:00:00+02:00'] }), 422, 'validation_failed');
    expect(count.errors!.map((e) => [e.field, e.code, e.message])).toEqual([
      ['exits', 'count', 'Expected as many exits as exit_count (2 listed).'],
      ['exits[1]', 'duplicate', 'This exit is already in the list.'],
    ]);
    const path = expectProblem(await api(t, key, 'PUT', `${url}/2026-13`, { exit_count: 3 }), 422, 'validation_failed');
    expect(path.errors!.map((e) => [e.field, e.in, e.code])).toEqual([['month', 'path', 'format']]);
    expect(expectProblem(await api(t, key, 'PUT', `${url}/2026-10`, {}), 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([['exit_count', 'required']]);
    expect(await t.db.selectFrom('exit_statements').select('id').where('contract_id', '=', k.id).execute()).toEqual([]);
  });

  it('keeps the count of a month already billed (409 naming why), while its exits may be corrected', async () => {
    const { key } = await apiClientWith(t, ['exits:write', 'exits:read']);
    const { customer, k, url } = await contract();
    expect((await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: 6, exits: sixExits })).statusCode).toBe(201);
    // The ERP bills October: its invoice carries the month's discount.
    const invoice = newId();
    await t.db
      .insertInto('financial_documents')
      .values({ id: invoice, number: `FV${k.number}`, kind: 'invoice', customer_id: customer.id, contract_id: k.id, corrects_document_id: null, issue_date: '2026-11-01', period_start: '2026-11-01', period_end: '2026-11-30', due_date: '2026-11-15', total_ht_cents: 16792, total_vat_cents: 3358, total_ttc_cents: 20150, pdf_sha256: null, published_at: nowIso(t.clock), created_at: nowIso(t.clock) })
      .execute();
    await t.db.updateTable('exit_statements').set({ document_id: invoice, discount_ht_cents: 4875 }).where('contract_id', '=', k.id).execute();

    const refused = expectProblem(await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: 7 }), 409, 'api_conflict');
    expect(refused.errors!.map((e) => [e.field, e.code, e.message])).toEqual([['exit_count', 'billed', `This month is already billed (document FV${k.number}): its exit count can no longer change.`]]);
    expect((await api(t, key, 'GET', `${url}/2026-10`)).json()).toMatchObject({ exit_count: 6, billed_by: `FV${k.number}`, discount: { ht_cents: 4875 } });

    // The same count, one exit's time corrected: written.
    const corrected = await api(t, key, 'PUT', `${url}/2026-10`, { exit_count: 6, exits: [...sixExits.slice(0, 5), '2026-10-28T13:00:00Z'] });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json()).toMatchObject({ unchanged: false, exits: expect.arrayContaining(['2026-10-28T13:00:00.000Z']) });
  });

  it('answers no key with 401 and a key without the scope with 403, reading or writing', async () => {
    const { key: reader } = await apiClientWith(t, ['exits:read', 'contracts:write']);
    const { key: writer } = await apiClientWith(t, ['exits:write', 'contracts:read']);
    const { k, url } = await contract();
    expectProblem(await api(t, null, 'PUT', `${url}/2026-10`, { exit_count: 3 }), 401, 'api_unauthorized');
    expectProblem(await api(t, null, 'GET', url), 401, 'api_unauthorized');
    expect(expectProblem(await api(t, reader, 'PUT', `${url}/2026-10`, { exit_count: 3 }), 403, 'api_scope_missing').required_scope).toBe('exits:write');
    expect(expectProblem(await api(t, writer, 'GET', `${url}/2026-10`), 403, 'api_scope_missing').required_scope).toBe('exits:read');
    expectProblem(await api(t, writer, 'GET', url), 403, 'api_scope_missing');
    expect(await t.db.selectFrom('exit_statements').select('id').where('contract_id', '=', k.id).execute()).toEqual([]);
    expectProblem(await api(t, reader, 'GET', `${url}/2026-10`), 404, 'api_not_found');
  });

  it('pages through every month of a contract to the end, in order', async () => {
    const { key } = await apiClientWith(t, ['exits:write', 'exits:read']);
    const { url } = await contract();
    const months = ['2026-03', '2026-01', '2025-12', '2026-02', '2026-11'];
    for (const [i, m] of months.entries()) expect((await api(t, key, 'PUT', `${url}/${m}`, { exit_count: i })).statusCode).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(t, key, 'GET', `${url}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: { month: string }[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.month));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    expect(pages).toBe(3);
    expect(seen).toEqual([...months].sort());
    expectProblem(await api(t, key, 'GET', '/api/v1/contracts/NOCONTRACT1/exits'), 404, 'api_not_found');
    expectProblem(await api(t, key, 'GET', `${url}?cursor=nonsense`), 422, 'validation_failed');
  });
});
