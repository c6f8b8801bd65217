import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { api, apiClientWith, expectProblem } from '../../tests/support/api.ts';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../tests/support/app.ts';
import { loggedInStaff } from '../../tests/support/staff.ts';
import { addApiKey, disableApiClient, revokeApiKey } from '../features/api-clients/api-clients.service.ts';
import { MINUTE } from '../lib/clock.ts';
import { hashToken } from '../lib/tokens.ts';
import { apiAreaRoutes } from './api-area.ts';

/*
 * The API area's guarantees, once for every resource: who gets in (a key in the
 * Authorization header, and nothing else — neither a key in the URL nor a customer's or a
 * staff member's session), what a key may do (its client's scopes), how often (the client's
 * rate limit), and the document that describes it all (OpenAPI 3.1, every route in it).
 */

const CUSTOMERS = '/api/v1/customers';

describe.each(databaseKinds())('the API area (%s)', (kind) => {
  const t = useTestApp(kind);

  const auditCount = async (action: string, actorId?: string) => {
    let q = t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action);
    if (actorId) q = q.where('actor_id', '=', actorId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  it('answers 401 with WWW-Authenticate to a request without a key, with a malformed one, or with a key nobody holds', async () => {
    const { key } = await apiClientWith(t, ['customers:read']);
    const missing = await api(t, null, 'GET', CUSTOMERS);
    expectProblem(missing, 401, 'api_unauthorized');
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="api"');
    for (const authorization of [`Basic ${Buffer.from(`x:${key}`).toString('base64')}`, 'Bearer', `Bearer ${key.slice(0, -1)}`, `Bearer ${key}x`, `Token ${key}`]) {
      const res = await t.app.inject({ method: 'GET', url: CUSTOMERS, headers: { authorization } });
      expectProblem(res, 401, 'api_unauthorized');
      expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer realm="api"/);
    }
    const unknown = await api(t, `pk_live_${'A'.repeat(43)}`, 'GET', CUSTOMERS);
    expectProblem(unknown, 401, 'api_unauthorized');
    expect(unknown.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect((await api(t, key, 'GET', CUSTOMERS)).statusCode).toBe(200);
  });

  it('keeps only the hash of a key and its prefix', async () => {
    const { key, client, prefix } = await apiClientWith(t, ['customers:read']);
    const row = await t.db.selectFrom('api_keys').selectAll().where('client_id', '=', client.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(hashToken(key));
    expect(row.prefix).toBe(prefix);
    expect(prefix).toBe(key.slice(0, 16));
    expect(key).toMatch(/^pk_live_[A-Za-z0-9_-]{43}$/);
    const audited = await t.db.selectFrom('audit_log').select('details').where('target_id', '=', client.id).execute();
    expect(JSON.stringify(audited)).not.toContain(key);
  });

  it('rotates a key without downtime: both work, then the revoked one is refused (401, audited) and the new one goes on', async () => {
    const { key: first, client, prefix } = await apiClientWith(t, ['customers:read']);
    const added = await addApiKey(t.db, t.clock, client.id, { kind: 'cli' });
    expect(added.ok).toBe(true);
    const second = (added as { key: { key: string } }).key.key;
    expect((await api(t, first, 'GET', CUSTOMERS)).statusCode).toBe(200);
    expect((await api(t, second, 'GET', CUSTOMERS)).statusCode).toBe(200);
    // A third key is refused: two at most, the one in use and its replacement.
    expect(await addApiKey(t.db, t.clock, client.id, { kind: 'cli' })).toEqual({ ok: false, refusal: 'api.bo.error.twoKeys' });

    expect((await revokeApiKey(t.db, t.clock, { prefix }, { kind: 'cli' })).ok).toBe(true);
    const refused = await api(t, first, 'GET', CUSTOMERS);
    expectProblem(refused, 401, 'api_key_revoked');
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect((await api(t, second, 'GET', CUSTOMERS)).statusCode).toBe(200);
    expect(await auditCount('api.key_revoked', client.id)).toBe(1);
  });

  it('refuses every key of a disabled client (401, audited)', async () => {
    const { key, client } = await apiClientWith(t, ['customers:read']);
    await disableApiClient(t.db, t.clock, client.id, { kind: 'cli' });
    expectProblem(await api(t, key, 'GET', CUSTOMERS), 401, 'api_client_disabled');
    expect(await auditCount('api.client_disabled', client.id)).toBe(1);
  });

  it('refuses a key in the URL (400, audited without the key), even beside a valid header', async () => {
    const { key } = await apiClientWith(t, ['customers:read']);
    const before = await auditCount('api.key_in_url');
    for (const param of ['key', 'api_key', 'access_token', 'token', 'API_KEY']) {
      expectProblem(await api(t, null, 'GET', `${CUSTOMERS}?${param}=${key}`), 400, 'api_key_in_url');
      expectProblem(await api(t, key, 'GET', `${CUSTOMERS}?limit=5&${param}=${key}`), 400, 'api_key_in_url');
    }
    expect(await auditCount('api.key_in_url')).toBe(before + 10);
    const details = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'api.key_in_url').execute();
    expect(JSON.stringify(details)).not.toContain(key);
  });

  it('refuses an operation outside the client’s scopes (403, naming the scope, audited)', async () => {
    const { key, client } = await apiClientWith(t, ['customers:read']);
    const res = await api(t, key, 'PUT', `${CUSTOMERS}/CLT-SCOPE`, { kind: 'individual' });
    const problem = expectProblem(res, 403, 'api_scope_missing');
    expect(problem.required_scope).toBe('customers:write');
    expect(await auditCount('api.scope_denied', client.id)).toBe(1);
    expect(await t.db.selectFrom('customers').select('id').where('number', '=', 'CLT-SCOPE').executeTakeFirst()).toBeUndefined();
  });

  it('limits each client to its rate per minute (429 with Retry-After), the next minute open again, other clients unaffected', async () => {
    const { key } = await apiClientWith(t, ['customers:read'], 3);
    const { key: other } = await apiClientWith(t, ['customers:read'], 3);
    for (let i = 0; i < 3; i++) {
      const ok = await api(t, key, 'GET', `${CUSTOMERS}?limit=1`);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    t.clock.advance(20_000);
    const limited = await api(t, key, 'GET', `${CUSTOMERS}?limit=1`);
    expectProblem(limited, 429, 'api_rate_limited');
    expect(limited.headers['retry-after']).toBe('40');
    expect((await api(t, other, 'GET', `${CUSTOMERS}?limit=1`)).statusCode).toBe(200);
    t.clock.advance(40_000);
    expect((await api(t, key, 'GET', `${CUSTOMERS}?limit=1`)).statusCode).toBe(200);
  });

  it('marks a key used at most once a minute', async () => {
    const { key, client } = await apiClientWith(t, ['customers:read']);
    const lastUsed = async () => (await t.db.selectFrom('api_keys').select('last_used_at').where('client_id', '=', client.id).executeTakeFirstOrThrow()).last_used_at;
    expect(await lastUsed()).toBeNull();
    await api(t, key, 'GET', `${CUSTOMERS}?limit=1`);
    const first = await lastUsed();
    expect(first).toBe(t.clock.now().toISOString());
    t.clock.advance(30_000);
    await api(t, key, 'GET', `${CUSTOMERS}?limit=1`);
    expect(await lastUsed()).toBe(first);
    t.clock.advance(MINUTE);
    await api(t, key, 'GET', `${CUSTOMERS}?limit=1`);
    expect(await lastUsed()).toBe(t.clock.now().toISOString());
  });

  it('is nobody’s with a customer’s or a staff member’s session, which is not even looked up', async () => {
    const { b: customer, customer: who } = await loggedInCustomer(t, '198.51.100.61');
    const { b: staff } = await loggedInStaff(t, '198.51.100.62', 'admin');
    for (const b of [customer, staff, new Browser(t.app, '198.51.100.63')]) {
      expectProblem(await b.get(CUSTOMERS), 401, 'api_unauthorized');
      expectProblem(await b.get(`${CUSTOMERS}/${who.number}`), 401, 'api_unauthorized');
      const page = await b.get('/contact');
      const posted = await b.post(`${CUSTOMERS}/${who.number}/temporary-password`, { _csrf: csrfToken(page.body) });
      expectProblem(posted, 401, 'api_unauthorized');
    }
    // A key and a customer's cookie: the key speaks; the session is not read (nor kept alive).
    const { key } = await apiClientWith(t, ['customers:read']);
    const seen = async () =>
      (await t.db.selectFrom('sessions').select('last_seen_at').where('customer_id', '=', who.id).executeTakeFirstOrThrow()).last_seen_at;
    const before = await seen();
    t.clock.advance(5 * MINUTE);
    const res = await customer.get(`${CUSTOMERS}/${who.number}`, { authorization: `Bearer ${key}` });
    expect(res.statusCode).toBe(200);
    expect(await seen()).toBe(before);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('takes a write without a CSRF token: the key authenticates it, no cookie does', async () => {
    const { key } = await apiClientWith(t, ['customers:write']);
    const res = await api(t, key, 'PUT', `${CUSTOMERS}/CLT-NOCSRF`, { kind: 'individual', last_name: 'MARTIN', address: { line1: '2 RUE DU BAC', postal_code: '75007', city: 'PARIS' } });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('answers an unknown URL, an unreadable body and a wrong content type as problems', async () => {
    const { key } = await apiClientWith(t, ['customers:write']);
    expectProblem(await api(t, key, 'GET', '/api/v1/nothing-here'), 404, 'api_not_found');
    expectProblem(await api(t, null, 'GET', '/api/v1/nothing-here'), 401, 'api_unauthorized');
    const broken = await t.app.inject({ method: 'PUT', url: `${CUSTOMERS}/CLT-X`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: '{"kind":' });
    expectProblem(broken, 400, 'bad_request');
    const form = await t.app.inject({ method: 'PUT', url: `${CUSTOMERS}/CLT-X`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'kind=individual' });
    expect(form.statusCode).toBeGreaterThanOrEqual(400);
    expect(form.headers['content-type']).toContain('application/problem+json');
  });

  it('serves a valid OpenAPI 3.1 document, public, with every route of the area and its scope, and the Bearer scheme', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const document = res.json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    await SwaggerParser.validate(structuredClone(document));

    const routes = apiAreaRoutes(t.app);
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const paths = document.paths as Record<string, Record<string, { 'x-scope': string; security: unknown; responses: Record<string, unknown> }>>;
    const documented = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    const expected = routes.map((r) => `${r.method} ${r.url.replace(/^\/api\/v1/, '').replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(expected.sort());
    for (const r of routes) {
      const op = paths[r.url.replace(/^\/api\/v1/, '').replace(/:([A-Za-z_]+)/g, '{$1}')]![r.method.toLowerCase()]!;
      expect(op['x-scope'], `${r.method} ${r.url}`).toBe(r.scope);
      expect(op.security).toEqual([{ bearer: [r.scope] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '422']));
    }
  });

  it('renders the reference page from the document, every operation with its scope, no script', async () => {
    const res = await new Browser(t.app, '198.51.100.64').get('/api/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).not.toContain('<script');
    for (const r of apiAreaRoutes(t.app)) {
      expect(res.body).toContain(`>${r.method} `);
      expect(res.body).toContain(`<code>${r.scope}</code>`);
    }
    expect(res.body).toContain('<code>address.postal_code</code>');
    expect(res.body).toContain('href="/api/openapi.json"');
    // In English too (its words are checked after the test, as every page's).
    const english = await new Browser(t.app, '198.51.100.65').get('/api/docs', { cookie: 'lang=en' });
    expect(english.body).toContain('<h1>Operator API reference</h1>');
  });
});
