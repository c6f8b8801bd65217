import { describe, expect, it } from 'vitest';
import { allPages, api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { createCustomer, emailColumns } from '../../../tests/support/factories.ts';

/*
 * Customers in the API: PUT by number (created, updated, unchanged — nothing written nor
 * audited), every bad field named, unknown fields refused, reading one and paging through
 * all, and a temporary password issued once.
 */

const base = '/api/v1/customers';
let serial = 0;
/** A number of this test run's own. */
const newNumber = () => `API${process.pid % 1000}${Date.now() % 100000}${++serial}`;

const body = (over: Record<string, unknown> = {}) => ({
  kind: 'individual',
  civility: 'Mme',
  last_name: 'LEFEBVRE',
  first_name: 'Claire',
  address: { line1: '12 RUE DES LILAS', postal_code: '75019', city: 'PARIS' },
  emails: { primary: 'claire.lefebvre@example.org' },
  phones: { mobile: '06 12 34 56 78' },
  language: 'fr',
  paper_required: true,
  ...over,
});

describe.each(databaseKinds())('customers in the API (%s)', (kind) => {
  const t = useTestApp(kind);

  const audits = async (customerId: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_type', 'actor_id', 'details']).where('target_id', '=', customerId).orderBy('at').orderBy('id').execute();
  const row = (number: string) => t.db.selectFrom('customers').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

  it('creates a customer (201, Location), then says a repeat changed nothing and writes nothing, then updates (200)', async () => {
    const { key, client } = await apiClientWith(t, ['customers:write', 'customers:read']);
    const number = newNumber();
    const created = await api(t, key, 'PUT', `${base}/${number}`, body());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`${base}/${number}`);
    expect(created.json()).toMatchObject({
      number,
      kind: 'individual',
      last_name: 'LEFEBVRE',
      address: { line1: '12 RUE DES LILAS', line2: null, postal_code: '75019', city: 'PARIS', country: 'France' },
      emails: { primary: 'claire.lefebvre@example.org', secondary: null },
      phones: { landline: null, mobile: '06 12 34 56 78' },
      paper_required: true,
      portal: { login: 'none', paperless: false, primary_email_verified: false },
      unchanged: false,
    });
    const stored = await row(number);
    expect(stored.paper_required).toBe(1);
    // Found by the back office's search like any customer.
    const keys = await t.db.selectFrom('customer_search_keys').select(['field', 'key']).where('customer_id', '=', stored.id).execute();
    expect(keys).toEqual(expect.arrayContaining([{ field: 'name', key: 'lefebvre' }, { field: 'phone', key: '0612345678' }]));
    expect(await audits(stored.id)).toEqual([{ action: 'customer.create', actor_type: 'api', actor_id: client.id, details: JSON.stringify({ client: client.name, number }) }]);

    t.clock.advance(60_000);
    const again = await api(t, key, 'PUT', `${base}/${number}`, body());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ unchanged: true, updated_at: stored.updated_at });
    expect(await audits(stored.id)).toHaveLength(1);
    expect((await row(number)).updated_at).toBe(stored.updated_at);

    const changed = await api(t, key, 'PUT', `${base}/${number}`, body({ last_name: 'MOREAU', address: { line1: '12 RUE DES LILAS', postal_code: '69003', city: 'LYON' } }));
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ unchanged: false, last_name: 'MOREAU', address: { city: 'LYON' } });
    const trail = await audits(stored.id);
    expect(trail.map((a) => a.action)).toEqual(['customer.create', 'customer.update']);
    expect(JSON.parse(trail[1]!.details!)).toEqual({ client: client.name, number, fields: ['last_name', 'postal_code', 'city'] });
    const names = await t.db.selectFrom('customer_search_keys').select('key').where('customer_id', '=', stored.id).where('field', '=', 'name').execute();
    expect(names.map((n) => n.key).sort()).toEqual(['claire', 'moreau']);

    const read = await api(t, key, 'GET', `${base}/${number}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ number, last_name: 'MOREAU' });
    expect(read.json()).not.toHaveProperty('unchanged');
  });

  it('names every bad field of a body, refuses unknown ones, and writes nothing', async () => {
    const { key } = await apiClientWith(t, ['customers:write']);
    const number = newNumber();
    const res = await api(t, key, 'PUT', `${base}/${number}`, {
      last_name: 42,
      address: { line1: '1 RUE', postal_code: '75001', city: 'X'.repeat(39), floor: 3 },
      emails: { primary: 'not-an-address' },
      phones: { mobile: 'call me' },
      language: 'de',
      paper_required: 'yes',
      loyalty: 'gold',
    });
    const problem = expectProblem(res, 422, 'validation_failed');
    const named = Object.fromEntries(problem.errors!.map((e) => [e.field, e.code]));
    expect(named).toEqual({
      kind: 'required',
      last_name: 'type',
      'address.city': 'too_long',
      'address.floor': 'unknown',
      'emails.primary': 'format',
      'phones.mobile': 'invalid',
      language: 'enum',
      paper_required: 'type',
      loyalty: 'unknown',
    });
    expect(problem.errors!.every((e) => e.in === 'body' && e.message.length > 0)).toBe(true);
    expect(problem.errors!.find((e) => e.field === 'address.city')?.message).toBe('At most 38 characters.');
    expect(problem.errors!.find((e) => e.field === 'loyalty')?.message).toBe('Unknown field for this resource.');
    expect(await t.db.selectFrom('customers').select('id').where('number', '=', number).executeTakeFirst()).toBeUndefined();
  });

  it('applies the rules across fields: a business has a name, a French postal code has 5 digits, two different addresses', async () => {
    const { key } = await apiClientWith(t, ['customers:write']);
    const res = await api(t, key, 'PUT', `${base}/${newNumber()}`, body({ kind: 'business', address: { line1: '1 RUE', postal_code: '7500', city: 'PARIS' }, emails: { primary: 'a@b.example', secondary: 'A@b.example' } }));
    const problem = expectProblem(res, 422, 'validation_failed');
    expect(problem.errors!.map((e) => [e.field, e.message])).toEqual([
      ['company_name', 'Required for a business customer.'],
      ['address.postal_code', 'Expected a French postal code (5 digits).'],
      ['emails.secondary', 'The secondary address must differ from the main address.'],
    ]);
    expectProblem(await api(t, key, 'PUT', `${base}/not a number`, body()), 422, 'validation_failed');
    const abroad = await api(t, key, 'PUT', `${base}/${newNumber()}`, body({ address: { line1: 'RUE HAUTE 1', postal_code: '1000', city: 'BRUXELLES', country: 'Belgique' } }));
    expect(abroad.statusCode, abroad.body).toBe(201);
  });

  it('keeps the e-mail addresses the portal holds when they are left out, and changes them the portal’s way when sent', async () => {
    const { key } = await apiClientWith(t, ['customers:write']);
    const verifiedAt = t.clock.now().toISOString();
    const customer = await createCustomer(t.db, t.clock, { number: newNumber(), ...emailColumns('held@example.org', null, verifiedAt) });
    const { emails: _omitted, ...withoutEmails } = body();
    expect((await api(t, key, 'PUT', `${base}/${customer.number}`, withoutEmails)).json()).toMatchObject({
      emails: { primary: 'held@example.org' },
      portal: { primary_email_verified: true },
    });
    // The same address sent again: still verified, no mail.
    const same = await api(t, key, 'PUT', `${base}/${customer.number}`, { ...withoutEmails, emails: { primary: 'HELD@example.org' } });
    expect(same.json()).toMatchObject({ unchanged: true, portal: { primary_email_verified: true } });
    // A new one: not verified until its link is used, which is sent; the old address is told.
    const moved = await api(t, key, 'PUT', `${base}/${customer.number}`, { ...withoutEmails, emails: { primary: 'new@example.org' } });
    expect(moved.json()).toMatchObject({ unchanged: false, emails: { primary: 'new@example.org' }, portal: { primary_email_verified: false } });
    const mail = await t.db.selectFrom('outbox').select(['recipient', 'template']).where('recipient', 'in', ['new@example.org', 'held@example.org']).execute();
    expect(mail).toEqual(expect.arrayContaining([{ recipient: 'new@example.org', template: 'verify' }, expect.objectContaining({ recipient: 'held@example.org' })]));
  });

  it('pages through every customer to the end, each once, in number order', async () => {
    const { key } = await apiClientWith(t, ['customers:write', 'customers:read']);
    const mine = Array.from({ length: 5 }, () => newNumber());
    for (const number of mine) expect((await api(t, key, 'PUT', `${base}/${number}`, body())).statusCode).toBe(201);
    const seen = (await allPages<{ number: string }>(t, key, base)).map((i) => i.number);
    const total = Number((await t.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual(expect.arrayContaining(mine));
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]! < seen[i]! || kind === 'postgres').toBe(true);

    expectProblem(await api(t, key, 'GET', `${base}?cursor=nonsense`), 422, 'validation_failed');
    const badLimit = expectProblem(await api(t, key, 'GET', `${base}?limit=0&page=2`), 422, 'validation_failed');
    expect(badLimit.errors!.map((e) => [e.field, e.in, e.code])).toEqual([
      ['limit', 'query', 'too_small'],
      ['page', 'query', 'unknown'],
    ]);
  });

  it('answers 404 for a number nobody holds', async () => {
    const { key } = await apiClientWith(t, ['customers:read', 'credentials:write']);
    expectProblem(await api(t, key, 'GET', `${base}/NOBODY1`), 404, 'api_not_found');
    expectProblem(await api(t, key, 'POST', `${base}/NOBODY1/temporary-password`), 404, 'api_not_found');
  });

  it('issues a temporary password once, which opens the first login; audited without it; only with credentials:write', async () => {
    const { key, client } = await apiClientWith(t, ['customers:write', 'credentials:write']);
    const { key: writer } = await apiClientWith(t, ['customers:write', 'customers:read']);
    const number = newNumber();
    await api(t, key, 'PUT', `${base}/${number}`, body());
    expectProblem(await api(t, writer, 'POST', `${base}/${number}/temporary-password`), 403, 'api_scope_missing');

    const res = await api(t, key, 'POST', `${base}/${number}/temporary-password`);
    expect(res.statusCode, res.body).toBe(200);
    const { password, expires_at } = res.json() as { password: string; expires_at: string };
    expect(password).toMatch(/^[2-9A-HJ-NP-Za-km-z]{12}$/);
    expect(Date.parse(expires_at)).toBe(t.clock.now().getTime() + t.config.TEMP_PASSWORD_DAYS * 86_400_000);
    expect((await api(t, writer, 'GET', `${base}/${number}`)).json()).toMatchObject({ portal: { login: 'not_activated' } });

    const b = new Browser(t.app, '198.51.100.71');
    const login = await b.submit('/connexion', '/connexion', { identifiant: number, password });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toContain('/premiere-connexion');

    const customer = await row(number);
    const entry = (await audits(customer.id)).find((a) => a.action === 'customer.issue_temporary_password');
    expect(entry).toMatchObject({ actor_type: 'api', actor_id: client.id });
    expect(JSON.parse(entry!.details!)).toMatchObject({ client: client.name, number });
    const everything = await t.db.selectFrom('audit_log').select('details').execute();
    expect(JSON.stringify(everything)).not.toContain(password);
  });
});
