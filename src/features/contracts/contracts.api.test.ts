import { describe, expect, it } from 'vitest';
import { allPages, api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { databaseKinds, loggedInBrowser, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract, createCustomer } from '../../../tests/support/factories.ts';
import { newId } from '../../lib/clock.ts';

/*
 * Contracts in the API: PUT by number (created, updated, unchanged — nothing written nor
 * audited), their customer and car park named by the operator's identifiers, their vehicles
 * and plates (read the back office's way, written with their search key, replaced keeping
 * history), every bad field named, unknown fields refused, the scopes, paging to the end; and
 * the customer sees what was put on their Contrats page.
 */

const base = '/api/v1/contracts';
let serial = 0;
/** A number of this test run's own. */
const newNumber = () => `K${process.pid % 1000}${Date.now() % 100000}${++serial}`;

describe.each(databaseKinds())('contracts in the API (%s)', (kind) => {
  const t = useTestApp(kind);
  let ip = 0;

  /** A customer (logged in on the portal, from an IP of this test's own) and a car park for a new contract. */
  async function parties() {
    const { b, customer, password } = await loggedInCustomer(t, `10.0.16.${++ip}`);
    const park = await createCarPark(t.db, t.clock);
    return { b, customer, password, park };
  }

  const body = (customer: string, carPark: string, over: Record<string, unknown> = {}) => ({
    customer,
    car_park: carPark,
    product: 'resident',
    state: 'active',
    start_date: '2026-01-01',
    renewal_date: '2027-01-01',
    billing_period: 'monthly',
    price_ht_cents: 12500,
    vat_rate_bp: 2000,
    direct_debit: true,
    badge_number: 'B-0042',
    space_label: 'N2-117',
    vehicles: [
      { plate: 'ab 123 cd', description: 'Clio bleue' },
      { plate: 'm ab 1234', country: 'de', description: 'Golf' },
    ],
    ...over,
  });

  const audits = (customerId: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_type', 'actor_id', 'details']).where('target_id', '=', customerId).where('action', 'like', 'contract.%').orderBy('at').orderBy('id').execute();
  const vehicleRows = (number: string) =>
    t.db
      .selectFrom('contract_vehicles as v')
      .innerJoin('contracts as k', 'k.id', 'v.contract_id')
      .select(['v.plate', 'v.plate_key', 'v.country', 'v.valid_from', 'v.valid_to'])
      .where('k.number', '=', number)
      .orderBy('v.plate')
      .execute();

  it('creates a contract with its plates (201, Location), says a repeat changed nothing and writes nothing, then updates it (200); the customer sees it on Contrats', async () => {
    const { key, client } = await apiClientWith(t, ['contracts:write', 'contracts:read']);
    const { b, customer, park } = await parties();
    const number = newNumber();

    const created = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`${base}/${number}`);
    expect(created.json()).toEqual({
      number,
      customer: customer.number,
      car_park: park.code,
      product: 'resident',
      state: 'active',
      start_date: '2026-01-01',
      end_date: null,
      renewal_date: '2027-01-01',
      billing_period: 'monthly',
      price_ht_cents: 12500,
      vat_rate_bp: 2000,
      direct_debit: true,
      badge_number: 'B-0042',
      space_label: 'N2-117',
      max_vehicles: 1,
      purchase_order_reference: null,
      vehicles: [
        { plate: 'AB-123-CD', country: 'FR', description: 'Clio bleue', valid_from: null, valid_to: null },
        { plate: 'M AB 1234', country: 'DE', description: 'Golf', valid_from: null, valid_to: null },
      ],
      termination: null,
      created_at: t.clock.now().toISOString(),
      unchanged: false,
    });
    // Written with their search keys: the back office finds the contract by either plate.
    expect(await vehicleRows(number)).toEqual([
      { plate: 'AB-123-CD', plate_key: 'AB123CD', country: 'FR', valid_from: null, valid_to: null },
      { plate: 'M AB 1234', plate_key: 'MAB1234', country: 'DE', valid_from: null, valid_to: null },
    ]);
    expect(await audits(customer.id)).toEqual([
      { action: 'contract.create', actor_type: 'api', actor_id: client.id, details: JSON.stringify({ client: client.name, contract: number, vehicles: { added: ['AB-123-CD', 'M AB 1234'] } }) },
    ]);

    // The same body again, the French plate written another way, the foreign one in capitals: nothing written, nothing audited.
    t.clock.advance(60_000);
    const again = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { vehicles: [{ plate: 'AB123-cd', description: 'Clio bleue' }, { plate: 'M AB  1234', country: 'DE', description: 'Golf' }] }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ unchanged: true });
    expect(await audits(customer.id)).toHaveLength(1);

    const changed = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { price_ht_cents: 13000, direct_debit: false }));
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ unchanged: false, price_ht_cents: 13000, direct_debit: false });
    const trail = await audits(customer.id);
    expect(trail.map((a) => a.action)).toEqual(['contract.create', 'contract.update']);
    expect(JSON.parse(trail[1]!.details!)).toEqual({ client: client.name, contract: number, fields: ['price_ht_cents', 'direct_debit'] });

    const read = await api(t, key, 'GET', `${base}/${number}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ number, price_ht_cents: 13000 });
    expect(read.json()).not.toHaveProperty('unchanged');

    const page = await b.get('/contrats');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(number);
    expect(page.body).toContain('AB-123-CD');
    expect(page.body).toContain('M AB 1234');
    expect(page.body).toContain('N2-117');
  });

  it('replaces the vehicles keeping history: a plate no longer sent ends yesterday, one not begun is removed, one ended stays', async () => {
    const { key, client } = await apiClientWith(t, ['contracts:write', 'contracts:read']);
    const { customer, password, park } = await parties();
    const number = newNumber();
    // Today is 2026-11-27 (Paris).
    const first = [
      { plate: 'AA-100-AA', description: 'Ancienne' },
      { plate: 'BB-200-BB', valid_to: '2026-06-30' },
      { plate: 'CC-300-CC', valid_from: '2026-12-15' },
    ];
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { vehicles: first }))).statusCode).toBe(201);
    t.clock.advance(60_000);

    const replaced = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { vehicles: [{ plate: 'dd-400-dd', valid_from: '2026-11-27' }] }));
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect((replaced.json() as { vehicles: unknown[] }).vehicles).toEqual([
      { plate: 'AA-100-AA', country: 'FR', description: 'Ancienne', valid_from: null, valid_to: '2026-11-26' },
      { plate: 'BB-200-BB', country: 'FR', description: null, valid_from: null, valid_to: '2026-06-30' },
      { plate: 'DD-400-DD', country: 'FR', description: null, valid_from: '2026-11-27', valid_to: null },
    ]);
    const trail = await audits(customer.id);
    expect(JSON.parse(trail.at(-1)!.details!)).toEqual({ client: client.name, contract: number, fields: [], vehicles: { added: ['DD-400-DD'], ended: ['AA-100-AA'], removed: ['CC-300-CC'] } });

    // The same list again, and the next day too: the past is kept and nothing is written.
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { vehicles: [{ plate: 'DD-400-DD', valid_from: '2026-11-27' }] }))).json()).toMatchObject({ unchanged: true });
    t.clock.advance(86_400_000);
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { vehicles: [{ plate: 'DD-400-DD', valid_from: '2026-11-27' }] }))).json()).toMatchObject({ unchanged: true });
    expect(await audits(customer.id)).toHaveLength(2);

    // A plate sent again takes what is sent: the ended one is in force again.
    t.clock.advance(60_000);
    const back = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { vehicles: [{ plate: 'DD-400-DD', valid_from: '2026-11-27' }, { plate: 'AA-100-AA', description: 'Ancienne' }] }));
    expect((back.json() as { vehicles: { plate: string; valid_to: string | null }[] }).vehicles.filter((v) => v.valid_to === null).map((v) => v.plate)).toEqual(['AA-100-AA', 'DD-400-DD']);
    expect(JSON.parse((await audits(customer.id)).at(-1)!.details!)).toMatchObject({ fields: [], vehicles: { changed: ['AA-100-AA'] } });

    // The customer's page shows the plates in force today (a day later: logged in again).
    const b = await loggedInBrowser(t.app, `10.0.16.${++ip}`, customer.number, password);
    const page = await b.get(`/contrats/${number}`);
    expect(page.body).toContain('DD-400-DD');
    expect(page.body).toContain('AA-100-AA');
    expect(page.body).not.toContain('BB-200-BB');
  });

  it('names every bad field of a body, refuses unknown ones, and writes nothing', async () => {
    const { key } = await apiClientWith(t, ['contracts:write']);
    const { customer, park } = await parties();
    const number = newNumber();
    const res = await api(t, key, 'PUT', `${base}/${number}`, {
      ...body(customer.number, park.code, {
        product: 'garage',
        start_date: '2026-02-30',
        billing_period: 'weekly',
        price_ht_cents: 12.5,
        vat_rate_bp: 20_001,
        direct_debit: 'yes',
        vehicles: [{ plate: '123', country: 'France', colour: 'blue' }],
      }),
      state: undefined,
      discount: 10,
    });
    const problem = expectProblem(res, 422, 'validation_failed');
    expect(Object.fromEntries(problem.errors!.map((e) => [e.field, e.code]))).toEqual({
      product: 'enum',
      state: 'required',
      start_date: 'format',
      billing_period: 'enum',
      price_ht_cents: 'type',
      vat_rate_bp: 'too_big',
      direct_debit: 'type',
      'vehicles[0].country': 'invalid',
      'vehicles[0].colour': 'unknown',
      discount: 'unknown',
    });
    expect(problem.errors!.every((e) => e.in === 'body' && e.message.length > 0)).toBe(true);

    // The rules across fields: dates in order, plates read the back office's way, a plate once per period.
    const rules = await api(
      t,
      key,
      'PUT',
      `${base}/${number}`,
      body(customer.number, park.code, {
        start_date: '2026-05-01',
        end_date: '2026-04-30',
        renewal_date: '2026-01-01',
        vehicles: [
          { plate: 'AB-12-CD' },
          { plate: 'EF-456-GH', valid_from: '2026-06-01', valid_to: '2026-05-31' },
          { plate: 'ef456gh', valid_from: '2026-01-01' },
          { plate: 'D$1', country: 'DE' },
        ],
      }),
    );
    const refused = expectProblem(rules, 422, 'validation_failed');
    expect(refused.errors!.map((e) => [e.field, e.code, e.message])).toEqual([
      ['vehicles[0].plate', 'invalid', 'Not a plate: for France, SIV (AB-123-CD) or FNI (123 ABC 75); for another country, letters and digits.'],
      ['vehicles[1].valid_to', 'before_start', 'Must not be before the first day (valid_from).'],
      ['vehicles[3].plate', 'invalid', 'Not a plate: for France, SIV (AB-123-CD) or FNI (123 ABC 75); for another country, letters and digits.'],
      ['end_date', 'before_start', 'Must not be before the start date (start_date).'],
      ['renewal_date', 'before_start', 'Must not be before the start date (start_date).'],
      ['vehicles[2].plate', 'duplicate', 'This plate is already sent for a period sharing days with this one.'],
    ]);
    // The same plate twice for periods sharing a day (30 June), or open-ended; never for periods apart.
    const vehicles = [{ plate: 'EF-456-GH', valid_to: '2026-06-30' }, { plate: 'ef456gh', valid_from: '2026-06-30' }, { plate: 'EF 456 GH', valid_from: '2026-07-01' }];
    const overlap = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code, { vehicles }));
    expect(expectProblem(overlap, 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([
      ['vehicles[1].plate', 'duplicate'],
      ['vehicles[2].plate', 'duplicate'],
    ]);

    // A customer and a car park that do not exist: both named.
    const unknown = expectProblem(await api(t, key, 'PUT', `${base}/${number}`, body('NOBODY1', 'NOPARK1')), 422, 'validation_failed');
    expect(unknown.errors!.map((e) => [e.field, e.code, e.message])).toEqual([
      ['customer', 'not_found', 'No customer holds this number.'],
      ['car_park', 'not_found', 'No car park has this code.'],
    ]);
    expectProblem(await api(t, key, 'PUT', `${base}/bad number`, body(customer.number, park.code)), 422, 'validation_failed');
    expect(await t.db.selectFrom('contracts').select('id').where('number', '=', number).executeTakeFirst()).toBeUndefined();
  });

  it('keeps a contract with its customer: another customer is a conflict naming the field', async () => {
    const { key } = await apiClientWith(t, ['contracts:write']);
    const { customer, park } = await parties();
    const other = await createCustomer(t.db, t.clock);
    const number = newNumber();
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code))).statusCode).toBe(201);
    const moved = expectProblem(await api(t, key, 'PUT', `${base}/${number}`, body(other.number, park.code)), 409, 'api_conflict');
    expect(moved.errors!.map((e) => [e.field, e.code])).toEqual([['customer', 'moved']]);
  });

  it('answers no key with 401 and a key without the scope with 403, reading or writing; an unknown number with 404', async () => {
    const { key: reader } = await apiClientWith(t, ['contracts:read']);
    const { key: writer } = await apiClientWith(t, ['contracts:write', 'customers:read']);
    const { customer, park } = await parties();
    const number = newNumber();
    expectProblem(await api(t, null, 'PUT', `${base}/${number}`, body(customer.number, park.code)), 401, 'api_unauthorized');
    expectProblem(await api(t, null, 'GET', `${base}/${number}`), 401, 'api_unauthorized');
    expectProblem(await api(t, null, 'GET', base), 401, 'api_unauthorized');
    expect(expectProblem(await api(t, reader, 'PUT', `${base}/${number}`, body(customer.number, park.code)), 403, 'api_scope_missing').required_scope).toBe('contracts:write');
    expect(expectProblem(await api(t, writer, 'GET', `${base}/${number}`), 403, 'api_scope_missing').required_scope).toBe('contracts:read');
    expectProblem(await api(t, writer, 'GET', base), 403, 'api_scope_missing');
    expect(await t.db.selectFrom('contracts').select('id').where('number', '=', number).executeTakeFirst()).toBeUndefined();
    expectProblem(await api(t, reader, 'GET', `${base}/NOCONTRACT1`), 404, 'api_not_found');
  });

  it('pages through every contract to the end, or through one customer’s', async () => {
    const { key } = await apiClientWith(t, ['contracts:write', 'contracts:read']);
    const { customer, park } = await parties();
    const mine = Array.from({ length: 3 }, () => newNumber());
    for (const number of mine) expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, park.code))).statusCode).toBe(201);
    // One the factories made, with a vehicle written the back office's way: listed like the others.
    const made = await createContract(t.db, t.clock, customer.id, park.id);
    await t.db.insertInto('contract_vehicles').values({ id: newId(), contract_id: made.id, plate: 'XY-987-ZT', plate_key: 'XY987ZT', description: null, valid_from: null, valid_to: null }).execute();

    const walk = (customer?: string) => allPages<{ number: string; vehicles: { plate: string; country: string }[] }>(t, key, customer ? `${base}?customer=${customer}` : base);

    const all = await walk();
    const total = Number((await t.db.selectFrom('contracts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(all).toHaveLength(total);
    expect(new Set(all.map((c) => c.number)).size).toBe(total);
    const theirs = await walk(customer.number);
    expect(theirs.map((c) => c.number).sort()).toEqual([...mine, made.number].sort());
    expect(theirs.find((c) => c.number === made.number)!.vehicles).toEqual([{ plate: 'XY-987-ZT', country: 'FR', description: null, valid_from: null, valid_to: null }]);
    expect((await api(t, key, 'GET', `${base}?customer=NOBODY1`)).json()).toEqual({ items: [], next_cursor: null });

    const bad = expectProblem(await api(t, key, 'GET', `${base}?limit=0&customer=a b&page=2`), 422, 'validation_failed');
    expect(bad.errors!.map((e) => [e.field, e.in, e.code])).toEqual([
      ['limit', 'query', 'too_small'],
      ['customer', 'query', 'format'],
      ['page', 'query', 'unknown'],
    ]);
  });
});
