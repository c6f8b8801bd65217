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

/**
 * Every item of a list, read page by page (`limit=2`) following `next_cursor` to its end: each
 * page answers 200 with at most two items, and the walk ends (a null cursor) within 1000 pages.
 * `url` may already hold a query (`?customer=…`).
 */
export async function allPages<T>(t: TestApp, key: string, url: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await api(t, key, 'GET', `${url}${url.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: T[]; next_cursor: string | null };
    expect(page.items.length).toBeLessThanOrEqual(2);
    items.push(...page.items);
    cursor = page.next_cursor;
    pages++;
  } while (cursor && pages < 1000);
  expect(cursor).toBeNull();
  return items;
}
