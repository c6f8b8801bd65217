import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, freshDatabase, TEST_START, useTestApp } from '../../../tests/support/app.ts';
import { payerWithTwoInvoices } from '../../../tests/support/documents.ts';
import { freePort } from '../../../tests/support/net.ts';
import { enrolledStaffMember, staffLoginThroughForms } from '../../../tests/support/staff.ts';
import { buildApp } from '../../app.tsx';
import { testConfig } from '../../config.ts';
import { observeQueries } from '../../db/dialect.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { sandboxWebhooks } from '../../jobs/sandbox-webhooks.ts';
import type { Job } from '../../jobs/job.ts';
import { manualClock } from '../../lib/clock.ts';
import { newToken } from '../../lib/tokens.ts';
import { createMetrics } from './ops.metrics.ts';
import { scrapeOf, startMetricsServer } from './ops.server.ts';

const TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';

/** The value of one series of a scrape (`name{labels}`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(databaseKinds())('health probes (%s)', (kind) => {
  const t = useTestApp(kind);

  it('/healthz answers without asking the database; /readyz asks it; neither sets a cookie nor opens a session', async () => {
    const sessions = async () => Number((await t.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await sessions();
    let statements = 0;
    const stop = observeQueries(t.db, () => statements++);
    try {
      const live = await t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.15.0.1' });
      expect(live.statusCode).toBe(200);
      expect(live.body).toBe('ok');
      expect(statements).toBe(0);
      const ready = await t.app.inject({ method: 'GET', url: '/readyz', remoteAddress: '10.15.0.1' });
      expect(ready.statusCode, ready.body).toBe(200);
      expect(ready.body).toBe('ready');
      expect(statements).toBeGreaterThan(0); // the migrations' table read (one statement: migrationState)
      expect(statements).toBeLessThan(4);
      for (const res of [live, ready]) {
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      stop();
    }
    expect(await sessions()).toBe(before);
  });

  it('/readyz answers 503 while draining (SHUTDOWN_DRAIN_SECONDS), when every other request is still served', async () => {
    t.app.lifecycle.state = 'draining';
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.body).toBe('not ready: shutting down');
      const page = await t.app.inject({ method: 'GET', url: '/parkings' });
      expect(page.statusCode).toBe(200);
      expect(page.headers.connection).not.toBe('close');
    } finally {
      t.app.lifecycle.state = 'serving';
    }
  });

  it('/readyz answers 503 once shutdown began, while /healthz still answers (the process is alive)', async () => {
    t.app.lifecycle.state = 'closing';
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.body).toBe('not ready: shutting down');
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      // Every other request is refused as before.
      expect((await t.app.inject({ method: 'GET', url: '/parkings' })).statusCode).toBe(503);
    } finally {
      t.app.lifecycle.state = 'serving';
    }
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('/readyz answers 503 naming a migration not applied', async () => {
    const row = await t.db.selectFrom('kysely_migration' as never).selectAll().where('name' as never, '=', '032_data_exports' as never).executeTakeFirstOrThrow();
    await sql`delete from kysely_migration where name = '032_data_exports'`.execute(t.db);
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.body).toBe('not ready: migrations not applied: 032_data_exports');
    } finally {
      await t.db.insertInto('kysely_migration' as never).values(row as never).execute();
    }
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('/metrics on the web port is not there without a METRICS_TOKEN', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(404);
  });
});

describe.each(databaseKinds())('metrics (%s)', (kind) => {
  // The sandbox's job sends its webhooks to PUBLIC_URL: the app listens there.
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
  });
  const t = useTestApp(kind, () => ({ METRICS_TOKEN: TOKEN, PORT: String(port) }));
  const scrape = (authorization?: string) => t.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  it('/metrics refuses a scraper without the token (401, WWW-Authenticate: Bearer)', async () => {
    for (const authorization of [undefined, 'Bearer not-the-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await scrape(authorization);
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.body).not.toContain('portal_');
    }
    expect((await scrape(`Bearer ${TOKEN}`)).statusCode).toBe(200);
  });

  it('counts real traffic: pages by route, statements, the outbox, job runs, logins, a payment booked', async () => {
    // A page, a URL no route knows, a failed and a successful login of a customer and of staff.
    expect((await t.app.inject({ method: 'GET', url: '/parkings' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/no-such-page-4711' })).statusCode).toBe(404);
    const stranger = new Browser(t.app, '10.15.1.1');
    expect((await stranger.submit('/connexion', '/connexion', { identifiant: 'CLT999999', password: 'not the password' })).statusCode).toBe(401);
    const member = await enrolledStaffMember(t);
    const wrong = await new Browser(t.app, '10.15.1.2').submit('/gestion/connexion', '/gestion/connexion', { email: member.staff.email, password: 'not the password at all' });
    expect(wrong.statusCode).toBe(401);
    await staffLoginThroughForms(t, '10.15.1.3', member);
    const { b, older, newer } = await payerWithTwoInvoices(t, '10.15.1.4', 'metrics.payer@example.fr');

    // A payment of both invoices through the sandbox, booked by the job that sends its webhook over HTTP.
    const page = await b.get('/mon-compte/paiement');
    const form = new URLSearchParams([['_csrf', csrfToken(page.body)], ['facture', older.id], ['facture', newer.id]]);
    const start = await t.app.inject({
      method: 'POST',
      url: '/mon-compte/paiement',
      remoteAddress: '10.15.1.4',
      payload: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(start.statusCode, start.body).toBe(303);
    const session = /\/sandbox-paiement\/(sbx_[0-9a-f]{32})$/.exec(String(start.headers.location))![1]!;
    const hosted = await b.get(`/sandbox-paiement/${session}`);
    expect((await b.post(`/sandbox-paiement/${session}`, { _csrf: csrfToken(hosted.body), action: 'pay' })).statusCode).toBe(303);
    await t.app.listen({ host: '127.0.0.1', port });
    const failing: Job = { name: 'always-fails', schedule: 'every round', run: async () => Promise.reject(new Error('fails on purpose')) };
    const runner = createJobRunner(t.db, t.clock, t.config, () => undefined, [sandboxWebhooks, failing]);
    runner.observe(t.app.metrics.jobRun);
    expect((await runner.runOnce()).counts['sandbox-webhooks']).toEqual({ delivered: 1 });
    // The receipt waits in the outbox; two minutes later it is two minutes old.
    t.clock.advance(120_000);

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    const figures = {
      parkings: sample(text, 'portal_http_request_duration_seconds_count{route="/parkings",method="GET",status="200"}'),
      unmatched: sample(text, 'portal_http_request_duration_seconds_count{route="(unmatched)",method="GET",status="404"}'),
      loginPosts: sample(text, 'portal_http_request_duration_seconds_count{route="/connexion",method="POST",status="401"}'),
      selects: sample(text, 'portal_db_query_duration_seconds_count{statement="select",outcome="ok"}'),
      inserts: sample(text, 'portal_db_query_duration_seconds_count{statement="insert",outcome="ok"}'),
      selectSeconds: sample(text, 'portal_db_query_duration_seconds_sum{statement="select",outcome="ok"}'),
      outboxPending: sample(text, 'portal_outbox_pending'),
      outboxOldest: sample(text, 'portal_outbox_oldest_pending_age_seconds'),
      webhookJob: sample(text, 'portal_job_runs_total{job="sandbox-webhooks",outcome="success"}'),
      failingJob: sample(text, 'portal_job_runs_total{job="always-fails",outcome="failure"}'),
      customerLogins: sample(text, 'portal_logins_total{area="customer",outcome="success"}'),
      customerFailures: sample(text, 'portal_logins_total{area="customer",outcome="failure"}'),
      staffLogins: sample(text, 'portal_logins_total{area="staff",outcome="success"}'),
      staffFailures: sample(text, 'portal_logins_total{area="staff",outcome="failure"}'),
      payments: sample(text, 'portal_payments_booked_total{kind="balance"}'),
      paidCents: sample(text, 'portal_payments_booked_cents_total{kind="balance"}'),
    };
    console.log('metrics scraped', kind, JSON.stringify(figures));
    expect(figures).toMatchObject({
      parkings: 1,
      unmatched: 1,
      loginPosts: 1,
      outboxPending: 1,
      outboxOldest: 120,
      webhookJob: 1,
      failingJob: 1,
      customerLogins: 1,
      customerFailures: 1,
      staffLogins: 1,
      staffFailures: 1,
      payments: 1,
      paidCents: 47280,
    });
    expect(figures.selects).toBeGreaterThan(10);
    expect(figures.inserts).toBeGreaterThan(3);
    expect(figures.selectSeconds).toBeGreaterThan(0);
    expect(figures.selectSeconds).toBeLessThan(60);
    // The webhook went through HTTP: its route, by its pattern.
    expect(text).toContain('portal_http_request_duration_seconds_count{route="/paiement/webhook/:provider",method="POST",status="200"} 1');
    // Routes by pattern, never the URL; the probes and the scrape itself not counted.
    expect(text).toContain(`route="/sandbox-paiement/:id"`);
    expect(text).not.toContain(session);
    expect(text).not.toContain('no-such-page-4711');
    expect(text).not.toMatch(/route="\/(metrics|healthz|readyz)"/);
    expect(text).toContain('process_resident_memory_bytes');
  });
});

describe('metrics on a port of their own (METRICS_PORT)', () => {
  it('serves /metrics there, asking for the token when one is set; nothing else', async () => {
    const { db } = await freshDatabase('sqlite');
    const config = testConfig({ METRICS_PORT: String(await freePort()), METRICS_TOKEN: TOKEN });
    const metrics = createMetrics(db, manualClock(TEST_START));
    const server = await startMetricsServer(config, scrapeOf(metrics), () => undefined);
    try {
      const base = `http://127.0.0.1:${config.METRICS_PORT}`;
      const refused = await fetch(`${base}/metrics`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      const text = await ok.text();
      expect(sample(text, 'portal_outbox_pending')).toBe(0);
      expect(sample(text, 'portal_logins_total{area="customer",outcome="failure"}')).toBe(0);
      expect((await fetch(`${base}/`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      // A second process on the same port (a worker started with the web process's environment) is told why it cannot start.
      await expect(startMetricsServer(config, scrapeOf(metrics), () => undefined)).rejects.toThrow(`METRICS_PORT=${config.METRICS_PORT} is already in use`);
    } finally {
      server.close();
      metrics.close();
      await db.destroy();
    }
  });
});

describe('the request id', () => {
  it('is the X-Request-Id answered, shown on the error page and on every log line of the request; a malformed one, or one not from the proxy, is replaced', async () => {
    const { db } = await freshDatabase('sqlite');
    const lines: Record<string, unknown>[] = [];
    // The reverse proxy is 127.0.0.1, where `inject` comes from unless told.
    const config = testConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-data-')), LOG_LEVEL: 'info', TRUST_PROXY: '127.0.0.1' });
    const app = await buildApp({ config, db, clock: manualClock(TEST_START), logStream: { write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    try {
      // The probes write nothing.
      await app.inject({ method: 'GET', url: '/healthz' });
      await app.inject({ method: 'GET', url: '/readyz' });
      expect(lines).toEqual([]);
      // Not ready: said once in the log, not at every probe; and once when ready again. A
      // database whose migrations' table is missing (never migrated) has every migration pending.
      await sql`alter table kysely_migration rename to kysely_migration_away`.execute(db);
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ method: 'GET', url: '/readyz' });
        expect(res.statusCode).toBe(503);
        expect(res.body).toMatch(/^not ready: migrations not applied: 001_[a-z_]+, 002_/);
      }
      await sql`alter table kysely_migration_away rename to kysely_migration`.execute(db);
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect(lines.map((l) => [l.level, l.msg])).toEqual([
        [40, expect.stringMatching(/^not ready: migrations not applied: 001_/)],
        [30, 'ready again'],
      ]);
      lines.length = 0;

      // A page that fails (its table gone): the user sees the reference, the log has it on every line.
      await sql`drop table car_parks`.execute(db);
      const id = 'lb-7f3a9c2e-0001';
      const failed = await app.inject({ method: 'GET', url: '/parkings', headers: { 'x-request-id': id } });
      expect(failed.statusCode).toBe(500);
      expect(failed.headers['x-request-id']).toBe(id);
      expect(failed.body).toContain(`Référence de la requête, à donner au service client : ${id}`);
      const ofRequest = lines.filter((l) => l.reqId === id);
      expect(ofRequest.map((l) => l.msg)).toEqual(['incoming request', 'request failed', 'request completed']);
      expect(ofRequest[1]).toMatchObject({ level: 50, code: 'internal' });
      expect(lines.every((l) => typeof l.reqId === 'string')).toBe(true);

      // In English too, and for a refusal (404).
      const missing = await app.inject({ method: 'GET', url: '/no-such-page', headers: { cookie: 'lang=en' } });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain(`Request reference, to give customer service: ${String(missing.headers['x-request-id'])}`);

      // An id of another shape is not taken: a new one is made.
      for (const bad of ['short', 'has space in it', '<script>alert(1)</script>', 'x'.repeat(200)]) {
        const res = await app.inject({ method: 'GET', url: '/no-such-page', headers: { 'x-request-id': bad } });
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(res.body).not.toContain(bad);
      }
      // A well-formed id from a client rather than the proxy: not taken either (it could be another customer's reference).
      const direct = await app.inject({ method: 'GET', url: '/no-such-page', headers: { 'x-request-id': id }, remoteAddress: '203.0.113.9' });
      expect(direct.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(direct.body).not.toContain(id);

      // A database that no longer answers.
      await db.destroy();
      const gone = await app.inject({ method: 'GET', url: '/readyz' });
      expect(gone.statusCode).toBe(503);
      expect(gone.body).toBe('not ready: the database does not answer');
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});

describe('the request log and the links’ tokens (L1)', () => {
  it('writes every request, token routes included, with each token of its URL as [token], a ?suite= one too', async () => {
    const { db } = await freshDatabase('sqlite');
    const lines: string[] = [];
    const config = testConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-data-')), LOG_LEVEL: 'info' });
    const app = await buildApp({ config, db, clock: manualClock(TEST_START), logStream: { write: (line) => void lines.push(line) } });
    try {
      const token = newToken();
      // A logged-out customer following the data export's e-mailed link is sent to log in first.
      const archive = await app.inject({ method: 'GET', url: `/profil/mes-donnees/archive/${token}` });
      expect(archive.statusCode).toBe(302);
      const login = String(archive.headers.location);
      expect(login).toContain(token);
      await app.inject({ method: 'GET', url: login });
      for (const url of [`/reinitialiser/${token}`, `/verification-email/${token}`, `/newsletter/desabonnement/${token}`, `/inscription/${token}`, `/utilisateur/${token}`, `/resilier/retrait/${token}`]) {
        await app.inject({ method: 'GET', url });
      }
      const urls = lines.map((l) => JSON.parse(l) as { msg: string; req?: { url: string } }).filter((l) => l.msg === 'incoming request').map((l) => l.req!.url);
      expect(urls).toEqual([
        '/profil/mes-donnees/archive/[token]',
        login.replace(token, '[token]'),
        '/reinitialiser/[token]',
        '/verification-email/[token]',
        '/newsletter/desabonnement/[token]',
        '/inscription/[token]',
        '/utilisateur/[token]',
        '/resilier/retrait/[token]',
      ]);
      expect(lines.filter((l) => l.includes(token))).toEqual([]);
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
