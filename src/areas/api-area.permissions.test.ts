import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../tests/support/app.ts';
import { api, apiClientWith, expectProblem } from '../../tests/support/api.ts';
import { API_SCOPES } from '../features/api-clients/api-clients.rules.ts';
import { addApiKey, revokeApiKey } from '../features/api-clients/api-clients.service.ts';
import { apiAreaRoutes } from './api-area.ts';

/*
 * Security bar K1, on every operation of the API (the area's own list, so an operation added
 * later is walked too): no key, a revoked key, a rotated key (the new one passes the guard),
 * a key holding every scope but the operation's own. Path parameters get values that name
 * nothing: what is checked is who gets past the guard.
 */

const sample = (url: string) => url.replace(':month', '2026-01').replace(/:[A-Za-z_]+/g, 'NOBODY-0');
const bodyFor = (method: string) => (method === 'GET' ? undefined : {});

describe.each(databaseKinds())('who reaches each operation of the API (%s)', (kind) => {
  const t = useTestApp(kind);

  it('walks every operation', () => {
    expect(apiAreaRoutes(t.app).length).toBeGreaterThanOrEqual(20);
  });

  it('refuses every operation without a key, and with a revoked key (401)', async () => {
    const { client, key: revoked, prefix } = await apiClientWith(t, [...API_SCOPES]);
    const added = await addApiKey(t.db, t.clock, client.id, { kind: 'cli' });
    const rotated = (added as { key: { key: string } }).key.key;
    expect((await revokeApiKey(t.db, t.clock, { prefix }, { kind: 'cli' })).ok).toBe(true);
    for (const r of apiAreaRoutes(t.app)) {
      const url = sample(r.url);
      expectProblem(await api(t, null, r.method as 'GET', url, bodyFor(r.method), '192.0.2.231'), 401, 'api_unauthorized');
      expectProblem(await api(t, revoked, r.method as 'GET', url, bodyFor(r.method), '192.0.2.231'), 401, 'api_key_revoked');
      // The key that replaced it passes the guard: whatever the answer, not a refusal of the key.
      const passed = await api(t, rotated, r.method as 'GET', url, bodyFor(r.method), '192.0.2.231');
      expect([401, 403, 429], `${r.method} ${r.url} with the rotated key: ${passed.body}`).not.toContain(passed.statusCode);
    }
  });

  it('refuses every operation to a key holding every scope but its own (403 naming it)', async () => {
    for (const r of apiAreaRoutes(t.app)) {
      const { key } = await apiClientWith(t, API_SCOPES.filter((s) => s !== r.scope));
      const refused = expectProblem(await api(t, key, r.method as 'GET', sample(r.url), bodyFor(r.method), '192.0.2.232'), 403, 'api_scope_missing');
      expect(refused.required_scope, `${r.method} ${r.url}`).toBe(r.scope);
    }
  });
});
