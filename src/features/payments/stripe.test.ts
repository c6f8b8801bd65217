import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { payerWithTwoInvoices } from '../../../tests/support/documents.ts';
import { testConfig } from '../../config.ts';
import { MINUTE, newId } from '../../lib/clock.ts';
import { accountBalance, documentBalances } from '../account/balance.queries.ts';
import { reconcileExpiredAttempts } from './payments.service.ts';
import { signSandboxPayload } from './sandbox.provider.ts';
import { clampExpiry, stripeProvider } from './stripe.provider.ts';

/*
 * Stripe Checkout, tested against a local HTTP server that answers as Stripe's API does
 * (no network here): the official SDK talks to it over HTTP, form-encoded, and the server
 * records every request so the tests can check what was sent.
 */

const SECRET_KEY = 'sk_test_portal_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_portal_test_0123456789abcdef';

type Json = Record<string, unknown>;

interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Json;
}

interface FakeSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string;
  url: string | null;
  locale: string | null;
  expires_at: number;
  created: number;
  livemode: false;
  payment_intent: string | null;
}

/** Decodes Stripe's form encoding (`a[b][0][c]=v`) into nested objects and arrays. */
function decodeForm(raw: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[part] = value;
        return;
      }
      container[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
      node = container[part] as Record<string, unknown>;
    });
  }
  return root;
}

/** A local server answering as Stripe's API does, for the endpoints the provider uses. */
async function fakeStripe() {
  const sessions = new Map<string, FakeSession>();
  const paymentIntents = new Map<string, { id: string; object: 'payment_intent'; status: string }>();
  const requests: RecordedRequest[] = [];
  const replays = new Map<string, { raw: string; status: number; body: string }>();
  let dropNextCreateResponse = false;

  const error = (status: number, type: string, message: string, extra: Json = {}) => ({ status, body: { error: { type, message, ...extra } } });
  const withExpansions = (s: FakeSession, query: URLSearchParams) =>
    [...query.entries()].some(([k, v]) => k.startsWith('expand') && v === 'payment_intent') && s.payment_intent
      ? { ...s, payment_intent: paymentIntents.get(s.payment_intent) ?? s.payment_intent }
      : s;

  function handle(r: RecordedRequest): { status: number; body: unknown } {
    if (r.headers.authorization !== `Bearer ${SECRET_KEY}`) return error(401, 'invalid_request_error', 'Invalid API Key provided');
    if (r.method === 'POST' && r.path === '/v1/checkout/sessions') {
      const b = r.body as {
        mode?: string;
        line_items?: { price_data?: { currency?: string; unit_amount?: string; product_data?: { name?: string } }; quantity?: string }[];
        success_url?: string;
        cancel_url?: string;
        client_reference_id?: string;
        metadata?: Record<string, string>;
        expires_at?: string;
        locale?: string;
      };
      const now = Math.floor(Date.now() / 1000);
      const item = b.line_items?.[0];
      const unit = Number(item?.price_data?.unit_amount);
      if (b.mode !== 'payment') return error(400, 'invalid_request_error', 'Invalid mode', { param: 'mode' });
      if (b.line_items?.length !== 1 || !item?.price_data?.currency || !Number.isInteger(unit) || unit < 50 || !item.price_data.product_data?.name)
        return error(400, 'invalid_request_error', 'Invalid line_items', { param: 'line_items' });
      if (!b.success_url) return error(400, 'invalid_request_error', 'Missing required param: success_url.', { param: 'success_url' });
      const expiresAt = b.expires_at === undefined ? now + 24 * 3600 : Number(b.expires_at);
      if (!Number.isInteger(expiresAt) || expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600)
        return error(400, 'invalid_request_error', 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', { param: 'expires_at' });
      const id = `cs_test_${randomBytes(24).toString('hex')}`;
      const amount = unit * Number(item.quantity ?? 1);
      const session: FakeSession = {
        id,
        object: 'checkout.session',
        mode: 'payment',
        status: 'open',
        payment_status: 'unpaid',
        amount_subtotal: amount,
        amount_total: amount,
        currency: item.price_data.currency,
        client_reference_id: b.client_reference_id ?? null,
        metadata: b.metadata ?? {},
        success_url: b.success_url,
        cancel_url: b.cancel_url ?? '',
        url: `https://checkout.stripe.com/c/pay/${id}`,
        locale: b.locale ?? null,
        expires_at: expiresAt,
        created: now,
        livemode: false,
        payment_intent: null,
      };
      sessions.set(id, session);
      return { status: 200, body: session };
    }
    const one = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(r.path);
    const s = one ? sessions.get(one[1]!) : undefined;
    if (one && !s) return error(404, 'invalid_request_error', `No such checkout.session: '${one[1]}'`, { code: 'resource_missing', param: 'session' });
    if (s && r.method === 'GET' && !one![2]) return { status: 200, body: withExpansions(s, r.query) };
    if (s && r.method === 'POST' && one![2]) {
      if (s.status !== 'open')
        return error(400, 'invalid_request_error', `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`);
      s.status = 'expired';
      s.url = null;
      return { status: 200, body: s };
    }
    return error(404, 'invalid_request_error', `Unrecognized request URL (${r.method}: ${r.path}).`);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const raw = Buffer.concat(chunks).toString('utf8');
      const r: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, raw, body: decodeForm(raw) };
      requests.push(r);
      const key = req.headers['idempotency-key'];
      const replayKey = typeof key === 'string' && r.method === 'POST' ? `${r.path} ${key}` : null;
      const send = (status: number, body: string, replayed: boolean) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(8).toString('hex')}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
        res.end(body);
      };
      const seen = replayKey ? replays.get(replayKey) : undefined;
      if (seen) {
        // As Stripe: the same key replays the first answer; with other parameters it is an error.
        if (seen.raw !== raw)
          return send(400, JSON.stringify({ error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } }), false);
        return send(seen.status, seen.body, true);
      }
      const out = handle(r);
      const body = JSON.stringify(out.body);
      if (replayKey) replays.set(replayKey, { raw, status: out.status, body });
      if (dropNextCreateResponse && r.path === '/v1/checkout/sessions') {
        // The session is created, but the answer is lost on the way back.
        dropNextCreateResponse = false;
        req.socket.destroy();
        return;
      }
      send(out.status, body, false);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sessions,
    /** The API calls about one session (creation found by its attempt id). */
    callsFor(sessionId: string) {
      return requests.filter((r) => r.path.startsWith(`/v1/checkout/sessions/${sessionId}`));
    },
    creations() {
      return requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
    },
    dropNextCreateResponse() {
      dropNextCreateResponse = true;
    },
    /** The customer finishes on Stripe's page. */
    complete(id: string, paymentStatus: FakeSession['payment_status'] = 'paid', intentStatus = paymentStatus === 'paid' ? 'succeeded' : 'processing'): FakeSession {
      const s = sessions.get(id)!;
      const pi = `pi_test_${randomBytes(12).toString('hex')}`;
      paymentIntents.set(pi, { id: pi, object: 'payment_intent', status: intentStatus });
      Object.assign(s, { status: 'complete', payment_status: paymentStatus, url: null, payment_intent: pi });
      return { ...s };
    },
    setIntentStatus(id: string, status: string) {
      const s = sessions.get(id)!;
      paymentIntents.get(s.payment_intent!)!.status = status;
    },
    expire(id: string): FakeSession {
      const s = sessions.get(id)!;
      Object.assign(s, { status: 'expired', url: null });
      return { ...s };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Fake = Awaited<ReturnType<typeof fakeStripe>>;

const stripeConfig = (fake: Fake) => ({
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: SECRET_KEY,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_URL: fake.url,
});

/** An event as Stripe sends it, about a Checkout Session. */
const stripeEvent = (type: string, object: unknown, id = `evt_test_${randomBytes(12).toString('hex')}`) =>
  JSON.stringify({
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });

/** Signed as Stripe signs (`t=…,v1=…` over "<t>.<raw body>"), with the real clock, as Stripe's is. */
const signed = (payload: string, { secret = WEBHOOK_SECRET, timestamp = Math.floor(Date.now() / 1000) } = {}) => ({
  'content-type': 'application/json',
  'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
});

describe.each(databaseKinds())('paying the balance through Stripe Checkout (%s)', (kind) => {
  let fake: Fake;
  beforeAll(async () => {
    fake = await fakeStripe();
  });
  // After hooks run in reverse: the app closes before the fake Stripe it talks to.
  afterAll(() => fake.close());
  const t = useTestApp(kind, () => stripeConfig(fake));

  const webhook = (payload: string, headers: Record<string, string>, remoteAddress?: string) =>
    t.app.inject({ method: 'POST', url: '/paiement/webhook/stripe', payload, headers, ...(remoteAddress ? { remoteAddress } : {}) });

  let ip = 0;
  function payer() {
    ++ip;
    return payerWithTwoInvoices(t, `10.8.0.${ip}`, `stripe${ip}@example.fr`);
  }

  async function startPayment(b: Browser, invoices: string[], extra: Record<string, string> = {}) {
    const page = await b.get('/mon-compte/paiement');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const body = new URLSearchParams({ _csrf: token, ...extra });
    for (const id of invoices) body.append('facture', id);
    return t.app.inject({
      method: 'POST',
      url: '/mon-compte/paiement',
      remoteAddress: '10.8.9.9',
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
  }

  const sessionOf = (location: unknown) => /^https:\/\/checkout\.stripe\.com\/c\/pay\/(cs_test_[0-9a-f]{48})$/.exec(String(location))?.[1];
  const attemptOf = (sessionId: string) => t.db.selectFrom('payment_attempts').selectAll().where('provider_session_id', '=', sessionId).executeTakeFirstOrThrow();

  it('redirects to the session Stripe created, for the amount computed on the server', async () => {
    const { b, customer, older, newer } = await payer();
    // The amount comes from the server: fields in the request change nothing (Z2).
    const start = await startPayment(b, [older.id, newer.id], { amount_cents: '1', amount: '1', unit_amount: '1', currency: 'usd' });
    expect(start.statusCode).toBe(303);
    const sessionId = sessionOf(start.headers.location)!;
    expect(sessionId).toBeTruthy();
    expect(start.headers.location).toBe(fake.sessions.get(sessionId)!.url);
    const attempt = await attemptOf(sessionId);
    expect(attempt).toMatchObject({ provider: 'stripe', amount_cents: 47280, status: 'pending', customer_id: customer.id });

    const created = fake.creations().find((r) => (r.body as { client_reference_id?: string }).client_reference_id === attempt.id)!;
    expect(created.headers['idempotency-key']).toBe(attempt.id);
    expect(created.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = Number((created.body as { expires_at: string }).expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(now + 30 * 60);
    expect(expiresAt).toBeLessThanOrEqual(now + 24 * 3600);
    expect(created.body).toEqual({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'eur', unit_amount: '47280', product_data: { name: `2 factures — ${customer.number}` } }, quantity: '1' }],
      success_url: `${t.config.PUBLIC_URL}/mon-compte/paiement/retour/${attempt.id}`,
      cancel_url: `${t.config.PUBLIC_URL}/mon-compte/paiement/retour/${attempt.id}?annule=1`,
      client_reference_id: attempt.id,
      metadata: { attempt_id: attempt.id, customer_number: customer.number },
      payment_intent_data: { description: `2 factures — ${customer.number}`, metadata: { attempt_id: attempt.id, customer_number: customer.number } },
      expires_at: String(expiresAt),
      locale: 'auto',
      submit_type: 'pay',
    });
    // No card data, in either direction (P1): the page is Stripe's.
    expect(created.raw).not.toMatch(/card|cvc|cvv|exp_month|exp_year/i);
    expect(start.body).not.toMatch(/<input/);

    // A second click resumes the same session, asking Stripe for its URL.
    const again = await startPayment(b, [older.id, newer.id]);
    expect(again.headers.location).toBe(start.headers.location);
    expect(fake.callsFor(sessionId).filter((r) => r.method === 'GET')).toHaveLength(1);
    expect(fake.creations().filter((r) => (r.body as { metadata?: { customer_number?: string } }).metadata?.customer_number === customer.number)).toHaveLength(1);
  });

  it('books a signed checkout.session.completed and settles the invoices, oldest first', async () => {
    const { b, customer, older, newer } = await payer();
    const sessionId = sessionOf((await startPayment(b, [older.id, newer.id])).headers.location)!;
    const attempt = await attemptOf(sessionId);
    // The browser's return proves nothing.
    expect((await b.get(`/mon-compte/paiement/retour/${attempt.id}`)).body).toContain('en cours de confirmation');

    const payload = stripeEvent('checkout.session.completed', fake.complete(sessionId));
    const res = await webhook(payload, signed(payload, { timestamp: Math.floor(Date.now() / 1000) - 200 }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true, outcome: 'booked' });

    expect(await attemptOf(sessionId)).toMatchObject({ status: 'succeeded' });
    const payments = await t.db.selectFrom('payments').selectAll().where('customer_id', '=', customer.id).execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ provider: 'stripe', provider_reference: sessionId, amount_cents: 47280, method: 'card', status: 'succeeded' });
    expect(await accountBalance(t.db, customer.id)).toBe(0);
    const balances = await documentBalances(t.db, customer.id);
    expect(balances.get(older.id)).toBe(0);
    expect(balances.get(newer.id)).toBe(0);
    const receipts = await t.db.selectFrom('outbox').select('subject').where('dedupe_key', 'like', `receipt:${payments[0]!.id}:%`).execute();
    expect(receipts).toEqual([{ subject: 'Votre paiement a bien été reçu' }]);
    expect((await b.get(`/mon-compte/paiement/retour/${attempt.id}`)).body).toContain('Votre paiement de 472,80\u00a0€ a bien été reçu');

    // "expired" after the success changes nothing.
    const late = stripeEvent('checkout.session.expired', { ...fake.sessions.get(sessionId)!, status: 'expired' });
    expect((await webhook(late, signed(late))).statusCode).toBe(200);
    expect(await attemptOf(sessionId)).toMatchObject({ status: 'succeeded' });
    expect(await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute()).toHaveLength(1);
    expect(await accountBalance(t.db, customer.id)).toBe(0);
  });

  it('refuses unsigned, tampered, wrongly signed and stale webhooks with 400, writing nothing (W1)', async () => {
    const { b, customer, newer } = await payer();
    const sessionId = sessionOf((await startPayment(b, [newer.id])).headers.location)!;
    const payload = stripeEvent('checkout.session.completed', fake.complete(sessionId));
    const good = signed(payload);
    const now = Math.floor(Date.now() / 1000);
    const events = async () => (await t.db.selectFrom('payment_events').select('id').execute()).length;
    const before = await events();
    const cases: [string, string, Record<string, string>][] = [
      ['unsigned', payload, { 'content-type': 'application/json' }],
      ['empty signature', payload, { 'content-type': 'application/json', 'stripe-signature': '' }],
      ['malformed signature', payload, { 'content-type': 'application/json', 'stripe-signature': 't=abc,v1=zz' }],
      ['tampered amount', payload.replace('"amount_total":26000', '"amount_total":1'), good],
      ['tampered status', payload.replace('"payment_status":"paid"', '"payment_status":"paid" '), good],
      ['wrong secret', payload, signed(payload, { secret: 'whsec_not_the_portal_secret_000000' })],
      ['older than 300 s', payload, signed(payload, { timestamp: now - 301 })],
      ['from the future', payload, signed(payload, { timestamp: now + 3600 })],
      ['signature of another body', stripeEvent('checkout.session.completed', fake.sessions.get(sessionId)), good],
      ['empty body', '', good],
    ];
    expect(payload).toContain('"amount_total":26000');
    const ip = '10.8.100.1';
    for (const [name, body, headers] of cases) {
      const res = await webhook(body, headers, ip);
      expect(res.statusCode, name).toBe(400);
    }
    expect(await events()).toBe(before);
    expect(await attemptOf(sessionId)).toMatchObject({ status: 'pending', payment_id: null });
    expect(await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
    // Traced once for the sender, not once per request (each is in the request log).
    const denied = await t.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'payment.webhook').where('outcome', '=', 'denied').where('ip', '=', ip).execute();
    expect(denied).toEqual([{ actor_id: 'provider:stripe' }]);
    // Nor does a Stripe-signed event reach the sandbox's endpoint: only the configured provider is served.
    expect((await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload, headers: good })).statusCode).toBe(404);

    // The genuine one is still accepted afterwards.
    expect((await webhook(payload, good)).statusCode).toBe(200);
    expect(await attemptOf(sessionId)).toMatchObject({ status: 'succeeded' });
  });

  it('refuses a signed event whose amount_total or currency is not the attempt’s: nothing booked, the refusal audited', async () => {
    const { b, customer, newer } = await payer();
    const sessionId = sessionOf((await startPayment(b, [newer.id])).headers.location)!;
    const attempt = await attemptOf(sessionId);
    const paid = fake.complete(sessionId);
    expect(paid).toMatchObject({ amount_total: 26000, currency: 'eur' });
    for (const object of [
      { ...paid, amount_total: 99999999 },
      { ...paid, amount_total: 25999 },
      { ...paid, currency: 'usd' },
      { ...paid, amount_total: null },
    ]) {
      const payload = stripeEvent('checkout.session.completed', object);
      const res = await webhook(payload, signed(payload));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'webhook_amount_mismatch' });
    }
    expect(await attemptOf(sessionId)).toMatchObject({ status: 'pending', payment_id: null });
    expect(await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
    expect(await accountBalance(t.db, customer.id)).toBe(47280);
    const refused = await t.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'payment.refused').where('details', 'like', `%${attempt.id}%`).execute();
    expect(refused).toHaveLength(4);
    expect(refused.every((r) => r.actor_id === 'provider:stripe')).toBe(true);

    // The event as Stripe sent it books the attempt's amount.
    const payload = stripeEvent('checkout.session.completed', paid);
    expect((await webhook(payload, signed(payload))).json()).toMatchObject({ outcome: 'booked' });
    expect(await accountBalance(t.db, customer.id)).toBe(21280);
  });

  it('serves nothing of the sandbox: its page, its form and its webhook are 404, and it makes no secret', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-stripe-'));
    const own = await createTestApp(kind, { ...stripeConfig(fake), DATA_DIR: dataDir });
    try {
      // A sandbox session in the database, as if left from before the switch to Stripe.
      const id = `sbx_${newId().replace(/-/g, '')}`;
      await own.db
        .insertInto('sandbox_sessions')
        .values({ id, amount_cents: 26000, description: 'x', reference: newId(), success_url: 'http://localhost/ok', cancel_url: 'http://localhost/ko', status: 'open', created_at: own.clock.now().toISOString(), completed_at: null })
        .execute();
      const visitor = new Browser(own.app, '10.8.101.1');
      expect((await visitor.get(`/sandbox-paiement/${id}`)).statusCode).toBe(404);
      // With a valid form token, so that only the route's absence answers.
      const token = /name="_csrf" value="([^"]+)"/.exec((await visitor.get('/connexion')).body)![1]!;
      expect((await visitor.post(`/sandbox-paiement/${id}`, { _csrf: token, action: 'pay' })).statusCode).toBe(404);
      const body = JSON.stringify({ id: 'evt_sbx', type: 'checkout.succeeded', created: 0, data: { session_id: id, amount_cents: 26000, currency: 'eur', reference: 'x' } });
      const hook = await own.app.inject({
        method: 'POST',
        url: '/paiement/webhook/sandbox',
        payload: body,
        // Signed with the secret that was public: the sandbox's own is never made under Stripe.
        headers: { 'content-type': 'application/json', 'sandbox-signature': signSandboxPayload('sandbox-webhook-secret-for-tests-only', Math.floor(own.clock.now().getTime() / 1000), body) },
        remoteAddress: '10.8.101.1',
      });
      expect(hook.statusCode).toBe(404);
      expect(await own.db.selectFrom('sandbox_sessions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'open' });
      expect(existsSync(join(dataDir, 'sandbox-webhook.secret'))).toBe(false);
    } finally {
      await own.close();
    }
  });

  it('books 50 concurrent copies of one event once (W2)', async () => {
    const { b, customer, older, newer } = await payer();
    const sessionId = sessionOf((await startPayment(b, [older.id, newer.id])).headers.location)!;
    const payload = stripeEvent('checkout.session.completed', fake.complete(sessionId), `evt_test_same_${newId().slice(-8)}`);
    const headers = signed(payload);
    const responses = await Promise.all(Array.from({ length: 50 }, () => webhook(payload, headers)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    const outcomes = responses.map((r) => (r.json() as { outcome: string }).outcome);
    expect(outcomes.filter((o) => o === 'booked')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(49);
    const payments = await t.db.selectFrom('payments').selectAll().where('customer_id', '=', customer.id).execute();
    expect(payments).toHaveLength(1);
    const allocations = await t.db.selectFrom('allocations').select('amount_cents').where('payment_id', '=', payments[0]!.id).execute();
    expect(allocations.map((a) => a.amount_cents).sort()).toEqual([21280, 26000]);
    expect(await accountBalance(t.db, customer.id)).toBe(0);
    expect(await t.db.selectFrom('payment_events').select('id').where('provider', '=', 'stripe').where('event_id', '=', JSON.parse(payload).id).execute()).toHaveLength(1);
  });

  it('waits for an asynchronous method: "completed" unpaid is ignored, then succeeded books or failed closes', async () => {
    const { b, customer, older, newer } = await payer();
    const s1 = sessionOf((await startPayment(b, [newer.id])).headers.location)!;
    const pending = stripeEvent('checkout.session.completed', fake.complete(s1, 'unpaid'));
    expect((await webhook(pending, signed(pending))).json()).toMatchObject({ outcome: 'ignored' });
    expect(await attemptOf(s1)).toMatchObject({ status: 'pending' });
    const failed = stripeEvent('checkout.session.async_payment_failed', fake.sessions.get(s1));
    expect((await webhook(failed, signed(failed))).json()).toMatchObject({ outcome: 'closed' });
    expect(await attemptOf(s1)).toMatchObject({ status: 'failed' });
    expect(await accountBalance(t.db, customer.id)).toBe(47280);

    const s2 = sessionOf((await startPayment(b, [newer.id])).headers.location)!;
    expect(s2).not.toBe(s1);
    const waiting = stripeEvent('checkout.session.completed', fake.complete(s2, 'unpaid'));
    await webhook(waiting, signed(waiting));
    const s = fake.sessions.get(s2)!;
    s.payment_status = 'paid';
    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', s);
    expect((await webhook(succeeded, signed(succeeded))).json()).toMatchObject({ outcome: 'booked' });
    const balances = await documentBalances(t.db, customer.id);
    expect(balances.get(newer.id)).toBe(0);
    expect(balances.get(older.id)).toBe(21280);

    // Events about anything else are acknowledged and ignored.
    const other = stripeEvent('payment_intent.succeeded', { id: s.payment_intent, object: 'payment_intent', amount: 26000 });
    expect((await webhook(other, signed(other))).json()).toMatchObject({ outcome: 'ignored' });
  });

  it('a new attempt supersedes the pending one and expires its Stripe session; a late success there is a credit', async () => {
    const { b, customer, older, newer } = await payer();
    const s1 = sessionOf((await startPayment(b, [older.id, newer.id])).headers.location)!;
    const s2 = sessionOf((await startPayment(b, [newer.id])).headers.location)!;
    expect(s2).not.toBe(s1);
    expect(await attemptOf(s1)).toMatchObject({ status: 'superseded' });
    expect(fake.callsFor(s1).filter((r) => r.method === 'POST' && r.path === `/v1/checkout/sessions/${s1}/expire`)).toHaveLength(1);
    expect(fake.sessions.get(s1)!.status).toBe('expired');
    expect(fake.sessions.get(s2)!.status).toBe('open');

    // The new attempt is paid; the old session had been paid in another tab just before it expired.
    const p2 = stripeEvent('checkout.session.completed', fake.complete(s2));
    await webhook(p2, signed(p2));
    const p1 = stripeEvent('checkout.session.completed', { ...fake.sessions.get(s1)!, status: 'complete', payment_status: 'paid' });
    expect((await webhook(p1, signed(p1))).json()).toMatchObject({ outcome: 'credited' });
    const payments = await t.db.selectFrom('payments').select('amount_cents').where('customer_id', '=', customer.id).execute();
    expect(payments.map((p) => p.amount_cents).sort()).toEqual([26000, 47280]);
    expect(await accountBalance(t.db, customer.id)).toBe(47280 - 26000 - 47280);
  });

  it('reconciles expired attempts: a session Stripe reports paid is booked, an open one is expired', async () => {
    const { customer, older, newer, password } = await payer();
    const login = async () => {
      const b = new Browser(t.app, '10.8.1.1');
      await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
      return b;
    };
    const s1 = sessionOf((await startPayment(await login(), [older.id])).headers.location)!;
    t.clock.advance(31 * MINUTE);
    await reconcileExpiredAttempts(t.db, t.clock, t.config, t.app.paymentProvider);
    expect(await attemptOf(s1)).toMatchObject({ status: 'expired' });
    expect(fake.callsFor(s1).some((r) => r.method === 'POST' && r.path.endsWith('/expire'))).toBe(true);
    expect(fake.sessions.get(s1)!.status).toBe('expired');

    // Paid on Stripe's page, but the webhook never arrives.
    const s2 = sessionOf((await startPayment(await login(), [newer.id])).headers.location)!;
    fake.complete(s2);
    t.clock.advance(31 * MINUTE);
    await reconcileExpiredAttempts(t.db, t.clock, t.config, t.app.paymentProvider);
    expect(await attemptOf(s2)).toMatchObject({ status: 'succeeded' });
    expect(fake.callsFor(s2).some((r) => r.method === 'GET')).toBe(true);
    expect(fake.callsFor(s2).some((r) => r.path.endsWith('/expire'))).toBe(false);
    const balances = await documentBalances(t.db, customer.id);
    expect(balances.get(newer.id)).toBe(0);
    expect(balances.get(older.id)).toBe(21280);

    // The webhook arriving after all books nothing more.
    const late = stripeEvent('checkout.session.completed', fake.sessions.get(s2));
    expect((await webhook(late, signed(late))).json()).toMatchObject({ outcome: 'already-paid' });
    expect(await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute()).toHaveLength(1);
  });
});

describe('the Stripe provider, against the fake API', () => {
  let fake: Fake;
  beforeAll(async () => {
    fake = await fakeStripe();
  });
  afterAll(() => fake.close());

  const provider = () => stripeProvider(testConfig(stripeConfig(fake)));
  const request = (attemptId = newId(), expiresAt = new Date(Date.now() + 2 * 3600_000)) => ({
    attemptId,
    amountCents: 12345,
    description: 'Facture F1 — CLT000001',
    customerNumber: 'CLT000001',
    successUrl: 'http://localhost:3000/ok',
    cancelUrl: 'http://localhost:3000/ko',
    expiresAt,
  });

  it('makes one session when a creation is retried with the same attempt id', async () => {
    const p = provider();
    const req = request();
    const first = await p.createCheckout(req);
    const again = await p.createCheckout(req);
    expect(again).toEqual(first);
    expect(fake.sessions.get(first.sessionId)!.client_reference_id).toBe(req.attemptId);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === req.attemptId)).toHaveLength(1);
  });

  it('makes one session when Stripe’s answer is lost and the SDK retries', async () => {
    const req = request();
    fake.dropNextCreateResponse();
    const created = await provider().createCheckout(req);
    const sent = fake.creations().filter((r) => (r.body as { client_reference_id?: string }).client_reference_id === req.attemptId);
    expect(sent.length).toBe(2);
    expect(new Set(sent.map((r) => r.headers['idempotency-key']))).toEqual(new Set([req.attemptId]));
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === req.attemptId).map((s) => s.id)).toEqual([created.sessionId]);
  });

  it('keeps the expiry within the 30 minutes to 24 hours Stripe accepts', async () => {
    const now = Date.UTC(2026, 10, 27, 12);
    const s = now / 1000;
    expect(clampExpiry(new Date(now + 30 * 60_000), now)).toBe(s + 31 * 60);
    expect(clampExpiry(new Date(now - 3600_000), now)).toBe(s + 31 * 60);
    expect(clampExpiry(new Date(now + 2 * 3600_000), now)).toBe(s + 2 * 3600);
    expect(clampExpiry(new Date(now + 72 * 3600_000), now)).toBe(s + 24 * 3600 - 60);
    // Accepted by the API at both ends.
    await expect(provider().createCheckout(request(newId(), new Date(Date.now() - 3600_000)))).resolves.toBeTruthy();
    await expect(provider().createCheckout(request(newId(), new Date(Date.now() + 72 * 3600_000)))).resolves.toBeTruthy();
  });

  it('maps what a session says to open, paid, failed or expired; resumes only an open one', async () => {
    const p = provider();
    const open = await p.createCheckout(request());
    expect(await p.retrieve(open.sessionId)).toBe('open');
    expect(await p.resumeUrl(open.sessionId)).toBe(open.redirectUrl);

    const paid = await p.createCheckout(request());
    fake.complete(paid.sessionId);
    expect(await p.retrieve(paid.sessionId)).toBe('paid');
    await expect(p.resumeUrl(paid.sessionId)).rejects.toThrow();

    const processing = await p.createCheckout(request());
    fake.complete(processing.sessionId, 'unpaid', 'processing');
    expect(await p.retrieve(processing.sessionId)).toBe('open');
    fake.setIntentStatus(processing.sessionId, 'requires_payment_method');
    expect(await p.retrieve(processing.sessionId)).toBe('failed');

    const gone = await p.createCheckout(request());
    fake.expire(gone.sessionId);
    expect(await p.retrieve(gone.sessionId)).toBe('expired');
  });

  it('cancels an open session, ignores one already complete or expired, and reports other errors', async () => {
    const p = provider();
    const open = await p.createCheckout(request());
    await p.cancel(open.sessionId);
    expect(fake.sessions.get(open.sessionId)!.status).toBe('expired');
    await expect(p.cancel(open.sessionId)).resolves.toBeUndefined();
    const paid = await p.createCheckout(request());
    fake.complete(paid.sessionId);
    await expect(p.cancel(paid.sessionId)).resolves.toBeUndefined();
    expect(fake.sessions.get(paid.sessionId)!.status).toBe('complete');
    await expect(p.cancel('cs_test_unknown')).rejects.toThrow(/No such checkout.session/);
  });

  it('maps webhook events; anything unverifiable is refused as webhook_rejected', async () => {
    const p = provider();
    const { sessionId } = await p.createCheckout(request());
    const s = fake.sessions.get(sessionId)!;
    const parse = (type: string, object: unknown) => {
      const payload = stripeEvent(type, object, 'evt_test_1');
      return p.parseWebhook(Buffer.from(payload), signed(payload));
    };
    const paid = { ...s, status: 'complete', payment_status: 'paid' };
    expect(await parse('checkout.session.completed', paid)).toEqual({ id: 'evt_test_1', outcome: 'succeeded', sessionId, amountCents: 12345, currency: 'eur', type: 'checkout.session.completed' });
    expect((await parse('checkout.session.completed', { ...paid, payment_status: 'unpaid' })).outcome).toBe('ignored');
    expect((await parse('checkout.session.async_payment_succeeded', paid)).outcome).toBe('succeeded');
    expect((await parse('checkout.session.async_payment_failed', { ...paid, payment_status: 'unpaid' })).outcome).toBe('failed');
    expect(await parse('checkout.session.expired', { ...s, status: 'expired' })).toMatchObject({ outcome: 'cancelled', sessionId });
    expect(await parse('charge.refunded', { id: 'ch_1', object: 'charge' })).toMatchObject({ outcome: 'ignored', sessionId: null });

    const payload = stripeEvent('checkout.session.completed', paid);
    await expect(p.parseWebhook(Buffer.from(payload), {})).rejects.toMatchObject({ name: 'AppError', code: 'webhook_rejected' });
    await expect(p.parseWebhook(Buffer.from(payload), { 'stripe-signature': [signed(payload)['stripe-signature']] })).resolves.toMatchObject({ outcome: 'succeeded' });
    await expect(p.parseWebhook(Buffer.from(`${payload} `), signed(payload))).rejects.toMatchObject({ name: 'AppError', code: 'webhook_rejected' });
    const notJson = 'not json';
    await expect(p.parseWebhook(Buffer.from(notJson), signed(notJson))).rejects.toMatchObject({ name: 'AppError', code: 'webhook_rejected' });
  });
});
