import { describe, expect, it } from 'vitest';
import { api, expectProblem } from '../../../tests/support/api.ts';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp, withoutCsrfTokens } from '../../../tests/support/app.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';

/*
 * The API's clients in the back office (`/gestion/api`, admins): a client created with its
 * scopes and its key shown once, a second key for a rotation (two at most), a key revoked, a
 * client disabled — each audited, each taking effect on the API at once.
 */

let serial = 0;
const newName = () => `erp-bo-${process.pid % 1000}-${Date.now() % 100000}-${++serial}`;
const keyIn = (html: string) => /pk_live_[A-Za-z0-9_-]{43}/.exec(html)?.[0];

describe.each(databaseKinds())('API clients in the back office (%s)', (kind) => {
  const t = useTestApp(kind);

  /** Creates a client through the form, as an admin; returns its key (read from the page) and id. */
  async function createThroughForm(b: Browser, name: string, scopes: string[]) {
    const page = await b.get('/gestion/api');
    const res = await t.app.inject({
      method: 'POST',
      url: '/gestion/api',
      remoteAddress: '198.51.100.90',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: new URLSearchParams([['_csrf', csrfToken(page.body)], ['name', name], ...scopes.map((s) => ['scopes', s]), ['rate_limit', '']]).toString(),
    });
    const client = await t.db.selectFrom('api_clients').select('id').where('name', '=', name).executeTakeFirst();
    return { res, key: keyIn(res.body), id: client?.id };
  }

  it('is for admins: a visitor and a customer go to the staff login, an agent gets 403, an admin the page', async () => {
    const visitor = new Browser(t.app, '198.51.100.91');
    const { b: customer } = await loggedInCustomer(t, '198.51.100.92');
    const { b: agent } = await loggedInStaff(t, '198.51.100.93', 'agent');
    const { b: admin } = await loggedInStaff(t, '198.51.100.94', 'admin');
    for (const b of [visitor, customer]) {
      const res = await b.get('/gestion/api');
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
    }
    expect((await agent.get('/gestion/api')).statusCode).toBe(403);
    expect((await agent.get('/gestion')).body).not.toContain('href="/gestion/api"');
    const page = await admin.get('/gestion/api');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/gestion/api"');
    expect(page.body).toContain('<h1>Clients de l’API</h1>');
  });

  it('creates a client with its scopes, shows its key once, and the key works at once on the API', async () => {
    const { b, staff } = await loggedInStaff(t, '198.51.100.95', 'admin');
    const name = newName();
    const { res, key, id } = await createThroughForm(b, name, ['customers:read', 'credentials:write']);
    expect(res.statusCode).toBe(200);
    expect(key).toBeDefined();
    expect((await api(t, key!, 'GET', '/api/v1/customers?limit=1')).statusCode).toBe(200);
    expectProblem(await api(t, key!, 'PUT', '/api/v1/customers/CLT-BO', {}), 403, 'api_scope_missing');
    // Never shown again: the list and the client's page name it by its prefix only.
    const list = await b.get('/gestion/api');
    expect(list.body).toContain(name);
    expect(keyIn(list.body)).toBeUndefined();
    const own = await b.get(`/gestion/api/${id}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain(`${key!.slice(0, 16)}…`);
    expect(keyIn(own.body)).toBeUndefined();
    const entry = await t.db.selectFrom('audit_log').select(['actor_type', 'actor_id', 'details']).where('action', '=', 'api_client.create').where('target_id', '=', id!).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_type: 'staff', actor_id: staff.id });
    expect(entry.details).not.toContain(key!);
  });

  it('answers a wrong form with its errors and what was typed, and a name taken', async () => {
    const { b } = await loggedInStaff(t, '198.51.100.96', 'admin');
    const wrong = await createThroughForm(b, 'ERP Compta!', []);
    expect(wrong.res.statusCode).toBe(422);
    expect(wrong.key).toBeUndefined();
    const body = withoutCsrfTokens(wrong.res.body);
    expect(body).toContain('value="ERP Compta!"');
    expect(body).toContain('Nom attendu : lettres minuscules');
    expect(body).toContain('Choisissez au moins une autorisation.');
    const name = newName();
    await createThroughForm(b, name, ['customers:read']);
    const taken = await createThroughForm(b, name, ['customers:read']);
    expect(taken.res.statusCode).toBe(422);
    expect(taken.res.body).toContain('Un client porte déjà ce nom.');
  });

  it('rotates keys: a second one shown once, no third, the first revoked; then disables the client — all audited', async () => {
    const { b } = await loggedInStaff(t, '198.51.100.97', 'admin');
    const { key: first, id } = await createThroughForm(b, newName(), ['customers:read']);
    const page = `/gestion/api/${id}`;
    const added = await b.submit(page, `${page}/cles`, {});
    expect(added.statusCode).toBe(200);
    const second = keyIn(added.body);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const third = await b.submit(page, `${page}/cles`, {});
    expect(third.statusCode).toBe(409);
    expect(third.body).toContain('deux clés actives');

    const firstKey = await t.db.selectFrom('api_keys').select('id').where('prefix', '=', first!.slice(0, 16)).executeTakeFirstOrThrow();
    const revoked = await b.submit(page, `${page}/cles/${firstKey.id}/revocation`, {});
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe(`${page}?fait=revoquee`);
    expect((await b.get(revoked.headers.location as string)).body).toContain('La clé est révoquée');
    expectProblem(await api(t, first!, 'GET', '/api/v1/customers?limit=1'), 401, 'api_key_revoked');
    expect((await api(t, second!, 'GET', '/api/v1/customers?limit=1')).statusCode).toBe(200);

    const disabled = await b.submit(page, `${page}/desactivation`, {});
    expect(disabled.statusCode).toBe(303);
    expectProblem(await api(t, second!, 'GET', '/api/v1/customers?limit=1'), 401, 'api_client_disabled');
    const actions = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', id!).orderBy('at').orderBy('id').execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['api_client.create', 'api_client.disable', 'api_client.key_create', 'api_client.key_revoke']);
  });

  it('answers 404 for a client or a key that is not there', async () => {
    const { b } = await loggedInStaff(t, '198.51.100.98', 'admin');
    const { id } = await createThroughForm(b, newName(), ['customers:read']);
    const other = await createThroughForm(b, newName(), ['customers:read']);
    const otherKey = await t.db.selectFrom('api_keys').select('id').where('client_id', '=', other.id!).executeTakeFirstOrThrow();
    expect((await b.get('/gestion/api/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    // Another client's key is not revoked through this one's page.
    const res = await b.submit(`/gestion/api/${id}`, `/gestion/api/${id}/cles/${otherKey.id}/revocation`, {});
    expect(res.statusCode).toBe(404);
    expect((await t.db.selectFrom('api_keys').select('revoked_at').where('id', '=', otherKey.id).executeTakeFirstOrThrow()).revoked_at).toBeNull();
  });
});
