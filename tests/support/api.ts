import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ApiScope } from '../../src/features/api-clients/api-clients.rules.ts';
import { createApiClient } from '../../src/features/api-clients/api-clients.service.ts';
import type { TestApp } from './app.ts';

let serial = 0;

/** A new API client holding these scopes, and its key (made the command line's way). */
export async function apiClientWith(t: TestApp, scopes: ApiScope[], rateLimit = 1000) {
  const created = await createApiClient(t.db, t.clock, { name: `erp-${++serial}-${Math.random().toString(36).slice(2, 8)}`, scopes, rateLimit: String(rateLimit) }, { kind: 'cli' });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return { client: created.client, key: created.key.key, prefix: created.key.prefix };
}

/** A request to the API with this key (none: no Authorization header), from `ip`; JSON in and out. */
export async function api(t: TestApp, key: string | null, method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH', url: string, body?: unknown, ip = '192.0.2.200', headers: Record<string, string> = {}) {
  return t.app.inject({
    method,
    url,
    remoteAddress: ip,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

/** The problem+json of a refusal, checked for its status and code. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const problem = res.json() as { code: string; status: number; errors?: { field: string; in: string; code: string; message: string }[]; required_scope?: string };
  expect(problem.code).toBe(code);
  expect(problem.status).toBe(status);
  return problem;
}
