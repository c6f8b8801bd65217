import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, freshDatabase } from '../../tests/support/app.ts';
import { buildApp } from '../app.tsx';
import { testConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Language } from '../db/schema.ts';
import { manualClock } from './clock.ts';
import { problemType } from './error-handler.tsx';
import { AppError, type ErrorCode, codeForStatus, errorCodes, tooManyRequests } from './errors.ts';
import { translator } from './i18n.ts';
import { localContentStore } from './content-store.ts';

const codes = Object.keys(errorCodes) as ErrorCode[];
const languages: Language[] = ['fr', 'en'];
// What a thrown error says for the log; no answer may show it.
const DETAIL = 'select * from customers failed at /srv/portal/src/x.ts:12';

/** Text as the page renders it (preact escapes these in text nodes). */
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function expectSecurityHeaders(res: LightMyRequestResponse) {
  expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('same-origin');
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('the error table', () => {
  it('names only error statuses, and each status-only error finds its code', () => {
    for (const code of codes) expect(errorCodes[code].status, code).toBeGreaterThanOrEqual(400);
    for (const code of codes) expect(errorCodes[code].status, code).toBeLessThan(600);
    expect(codeForStatus(403)).toBe('forbidden');
    expect(codeForStatus(413)).toBe('payload_too_large');
    expect(codeForStatus(418)).toBe('bad_request');
    expect(codeForStatus(502)).toBe('internal');
    expect(codeForStatus(undefined)).toBe('internal');
    expect(new AppError('nothing_to_pay', { detail: 'balance already settled' })).toMatchObject({ code: 'nothing_to_pay', status: 409, message: 'balance already settled' });
  });
});

describe('the error handler', () => {
  let app: FastifyInstance;
  let db: Db;
  beforeAll(async () => {
    db = (await freshDatabase('sqlite')).db;
    const storage = localContentStore(mkdtempSync(join(tmpdir(), 'portal-docs-')));
    app = await buildApp({ config: testConfig(), db, clock: manualClock(new Date('2026-11-27T10:00:00.000Z')), storage });
    // A page and an API route that fail with the code they are given.
    const fail = (code: string) => {
      if (code === 'too_many_requests') throw tooManyRequests(30);
      throw new AppError(code as ErrorCode, { detail: DETAIL });
    };
    app.get('/test/erreur/:code', async (req) => fail((req.params as { code: string }).code));
    app.get('/test/api/erreur/:code', { config: { api: true } }, async (req) => fail((req.params as { code: string }).code));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  const get = (url: string, lang: Language, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { cookie: `lang=${lang}`, accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers } });

  describe.each(languages)('in %s', (lang) => {
    const t = translator(lang);

    it.each(codes)('renders %s as the portal’s error page', async (code) => {
      const { status, title, message } = errorCodes[code];
      const res = await get(`/test/erreur/${code}`, lang);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain(`<html lang="${lang}"`);
      expect(res.body).toContain(`<h1>${html(t(title))}</h1>`);
      expect(res.body).toContain(`<p>${html(t(message))}</p>`);
      expect(res.body).not.toContain(DETAIL);
      expectSecurityHeaders(res);
      if (code === 'too_many_requests') expect(res.headers['retry-after']).toBe('30');
    });

    it.each(codes)('answers %s as application/problem+json to an API route, or to a client asking for JSON', async (code) => {
      const { status, title, message } = errorCodes[code];
      const problem = { type: problemType(code), title: t(title), status, detail: t(message), code };
      for (const res of [await get(`/test/api/erreur/${code}`, lang), await get(`/test/erreur/${code}`, lang, { accept: 'application/json' })]) {
        expect(res.statusCode).toBe(status);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toEqual(problem);
        expect(res.body).not.toContain(DETAIL);
        expectSecurityHeaders(res);
        if (code === 'too_many_requests') expect(res.headers['retry-after']).toBe('30');
      }
    });
  });

  it('answers a URL Fastify cannot decode with the portal’s 400 page, its headers, and without echoing it', async () => {
    for (const url of ['/%', '/%zz-echo-me?x=<b>', '/contrats/%E0%A4%A']) {
      const res = await get(url, 'fr');
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<h1>Requête invalide</h1>');
      expect(res.body).not.toContain('echo-me');
      expect(res.body).not.toContain('FST_ERR');
      expect(res.body).not.toContain('%');
      expectSecurityHeaders(res);
      // In the portal's frame: the session and CSRF hooks ran (the language switch carries its token).
      expect(csrfToken(res.body)).toBeTruthy();
    }
    expect((await get('/%', 'en')).body).toContain('<h1>Invalid request</h1>');
    const json = await get('/%zz-echo-me', 'en', { accept: 'application/json' });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'bad_request', status: 400, title: 'Invalid request' });
    expect(json.body).not.toContain('echo-me');
  });

  it('answers a path parameter too long for the router with the 414 page', async () => {
    const res = await get(`/contrats/${'x'.repeat(200)}`, 'fr');
    expect(res.statusCode).toBe(414);
    expect(res.body).toContain('<h1>Requête invalide</h1>');
    expect(res.body).not.toContain('xxxxxxxxxx');
    expectSecurityHeaders(res);
  });

  it('refuses TRACE with the 405 page and an Allow header, without echoing the request', async () => {
    const res = await app.inject({ method: 'TRACE', url: '/connexion', headers: { cookie: 'lang=en', 'x-echo': 'echo-me' } });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.body).toContain('<h1>Method not allowed</h1>');
    expect(res.body).not.toContain('echo-me');
    expectSecurityHeaders(res);
  });

  it('answers an unknown page from the table too: the page, or problem+json', async () => {
    const page = await get('/nulle-part', 'en');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('<h1>Page not found</h1>');
    // (Under `/api/v1` an unknown URL is the API's: a key first, then `api_not_found`, `areas/api-area.test.ts`.)
    const api = await get('/donnees/nulle-part', 'fr', { accept: 'application/problem+json' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.json()).toEqual({ type: problemType('not_found'), title: 'Page introuvable', status: 404, detail: 'La page demandée n’existe pas ou n’est pas accessible.', code: 'not_found' });
  });

  it('maps a framework error to its code: a body over the limit is the 413 page', async () => {
    const page = await get('/connexion', 'fr');
    const res = await app.inject({
      method: 'POST',
      url: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.headers['set-cookie']?.toString().split(';')[0] ?? '' },
      payload: `_csrf=${csrfToken(page.body)}&x=${'a'.repeat(70 * 1024)}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('<h1>Requête invalide</h1>');
    expectSecurityHeaders(res);
  });

  it('answers the payment webhooks in problem+json whatever the client accepts', async () => {
    const unsigned = await app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', headers: { 'content-type': 'application/json', accept: 'text/html' }, payload: '{}' });
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unsigned.json()).toMatchObject({ code: 'webhook_rejected', status: 400, type: problemType('webhook_rejected') });
    // The reason stays in the audit log.
    expect(unsigned.body).not.toContain('malformed');
    const unknown = await app.inject({ method: 'POST', url: '/paiement/webhook/autre', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not_found', status: 404 });
  });
});
