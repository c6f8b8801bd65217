import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, withoutCsrfTokens } from '../../../tests/support/app.ts';
import { insertDocument, insertPayment, payerWithTwoInvoices } from '../../../tests/support/documents.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { testConfig } from '../../config.ts';
import { manualClock, MINUTE, newId } from '../../lib/clock.ts';
import { formatDate } from '../../lib/i18n.ts';
import { isTokenShaped } from '../../lib/tokens.ts';
import { accountBalance, documentBalances } from '../account/balance.queries.ts';
import { WEBHOOK_REJECTION_LIMITS, reconcileExpiredAttempts } from './payments.service.ts';
import { type SandboxEventPayload, deliverSandboxWebhooks, sandboxProvider, sandboxSecretPath, sandboxWebhookSecret, signSandboxPayload } from './sandbox.provider.ts';

/** The secret the sandbox had in the code and in `.env.example` until it was made per installation. */
const FORMER_PUBLIC_SECRET = 'sandbox-webhook-secret-for-tests-only';

describe.each(databaseKinds())('paying the balance online (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);

  /** The portal's webhook endpoint, reached through the whole HTTP stack. */
  const send = async (body: string, headers: Record<string, string>) =>
    (await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: body, headers })).statusCode;
  const deliverWebhooks = () => deliverSandboxWebhooks(t.db, t.clock, t.config, send);
  const signed = (payload: SandboxEventPayload, at = Math.floor(t.clock.now().getTime() / 1000), secret = sandboxWebhookSecret(t.config)) => ({
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', 'sandbox-signature': signSandboxPayload(secret, at, JSON.stringify(payload)) },
  });
  const event = (sessionId: string, type: SandboxEventPayload['type'], amount: number, id = `evt_${newId().replace(/-/g, '')}`): SandboxEventPayload => ({
    id,
    type,
    created: Math.floor(t.clock.now().getTime() / 1000),
    data: { session_id: sessionId, amount_cents: amount, currency: 'eur', reference: 'x' },
  });

  let ip = 0;
  function payer({ paperless = true } = {}) {
    ++ip;
    return payerWithTwoInvoices(t, `10.9.0.${ip}`, `payer${ip}@example.fr`, { paperless });
  }

  async function startPayment(b: Browser, invoices: string[], extra: Record<string, string> = {}) {
    const page = await b.get('/mon-compte/paiement');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const body = new URLSearchParams({ _csrf: token, ...extra });
    for (const id of invoices) body.append('facture', id);
    const res = await t.app.inject({
      method: 'POST',
      url: '/mon-compte/paiement',
      remoteAddress: '10.9.9.9',
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    return res;
  }

  const sessionOf = (location: string) => /\/sandbox-paiement\/(sbx_[0-9a-f]{32})$/.exec(location)?.[1];

  it('pays the chosen invoices through the sandbox’s hosted page; the webhook books it, oldest first', async () => {
    const { b, customer, email, older, newer } = await payer();
    const page = await b.get('/mon-compte/paiement');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Montant à régler : 472,80\u00a0€');
    expect(page.body).toMatch(new RegExp(`value="${older.id}"[^>]*checked`));

    // The amount comes from the server: a field in the request changes nothing (Z2).
    const start = await startPayment(b, [older.id, newer.id], { amount_cents: '1', amount: '1' });
    expect(start.statusCode).toBe(303);
    const sessionId = sessionOf(start.headers.location as string)!;
    expect(sessionId).toBeTruthy();
    const attempt = await t.db.selectFrom('payment_attempts').selectAll().where('provider_session_id', '=', sessionId).executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ amount_cents: 47280, status: 'pending', customer_id: customer.id });

    // The hosted page: plainly a test, and no card field anywhere (P1).
    const hosted = await b.get(`/sandbox-paiement/${sessionId}`);
    expect(hosted.body).toContain('ENVIRONNEMENT DE TEST');
    expect(hosted.body).toContain('472,80');
    expect(hosted.body).not.toMatch(/<input(?![^>]*type="hidden")/);
    expect(withoutCsrfTokens(hosted.body)).not.toMatch(/card|carte.*num|cvc|cvv|expir/i);

    const paid = await b.post(`/sandbox-paiement/${sessionId}`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(hosted.body)![1]!, action: 'pay' });
    expect(paid.statusCode).toBe(303);
    expect(paid.headers.location).toBe(`${t.config.PUBLIC_URL}/mon-compte/paiement/retour/${attempt.id}`);
    // The browser's return proves nothing: until the webhook, the attempt is pending.
    expect((await b.get(`/mon-compte/paiement/retour/${attempt.id}`)).body).toContain('en cours de confirmation');
    expect(await accountBalance(t.db, customer.id)).toBe(47280);

    expect(await deliverWebhooks()).toBe(1);
    expect((await b.get(`/mon-compte/paiement/retour/${attempt.id}`)).body).toContain('Votre paiement de 472,80\u00a0€ a bien été reçu');
    expect(await accountBalance(t.db, customer.id)).toBe(0);
    const balances = await documentBalances(t.db, customer.id);
    expect(balances.get(older.id)).toBe(0);
    expect(balances.get(newer.id)).toBe(0);

    await mb.deliver();
    const receipt = mb.last(email)!;
    expect(receipt.subject).toBe('Votre paiement a bien été reçu');
    expect(receipt.text.replace(/\u00a0/g, ' ')).toContain('472,80 €');
    expect(receipt.text).toContain(`${customer.number}-A`);

    const account = await b.get('/mon-compte');
    expect(account.body).toContain('Historique des paiements');
    expect(account.body).toContain('Carte bancaire (en ligne)');
    expect(account.body).toContain(`${customer.number}-A, ${customer.number}-B`);
    expect(account.body).not.toContain('href="/mon-compte/paiement"'); // nothing left to pay
  });

  it('allocates a partial choice to that invoice only; failure and cancellation book nothing', async () => {
    const { b, customer, older, newer } = await payer();
    const fail = await startPayment(b, [newer.id]);
    const s1 = sessionOf(fail.headers.location as string)!;
    const hosted = await b.get(`/sandbox-paiement/${s1}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(hosted.body)![1]!;
    const failed = await b.post(`/sandbox-paiement/${s1}`, { _csrf: token, action: 'fail' });
    expect(failed.headers.location).toMatch(/\?annule=1$/);
    await deliverWebhooks();
    const a1 = await t.db.selectFrom('payment_attempts').selectAll().where('provider_session_id', '=', s1).executeTakeFirstOrThrow();
    expect(a1.status).toBe('failed');
    expect((await b.get(`/mon-compte/paiement/retour/${a1.id}`)).body).toContain('a été refusé');

    const cancel = await startPayment(b, [newer.id]);
    const s2 = sessionOf(cancel.headers.location as string)!;
    await b.post(`/sandbox-paiement/${s2}`, { _csrf: token, action: 'cancel' });
    await deliverWebhooks();
    expect((await t.db.selectFrom('payment_attempts').select('status').where('provider_session_id', '=', s2).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect(await accountBalance(t.db, customer.id)).toBe(47280);

    const ok = await startPayment(b, [newer.id]);
    const s3 = sessionOf(ok.headers.location as string)!;
    await b.post(`/sandbox-paiement/${s3}`, { _csrf: token, action: 'pay' });
    await deliverWebhooks();
    const balances = await documentBalances(t.db, customer.id);
    expect(balances.get(newer.id)).toBe(0);
    expect(balances.get(older.id)).toBe(21280);
  });

  it('refuses unsigned, tampered and stale webhooks, writing nothing (W1)', async () => {
    const ip = '10.9.100.1';
    const { b, newer } = await payer();
    const s = sessionOf((await startPayment(b, [newer.id])).headers.location as string)!;
    const before = await t.db.selectFrom('payment_events').select('id').execute();
    const good = signed(event(s, 'checkout.succeeded', 26000));
    const cases = [
      { body: good.body, headers: { 'content-type': 'application/json' } },
      { body: good.body.replace('26000', '1'), headers: good.headers },
      signed(event(s, 'checkout.succeeded', 26000), Math.floor(t.clock.now().getTime() / 1000) - 301),
      signed(event(s, 'checkout.succeeded', 26000), undefined, 'not-the-secret-at-all-000'),
      signed(event(s, 'checkout.succeeded', 26000), undefined, FORMER_PUBLIC_SECRET),
      { body: good.body, headers: { ...good.headers, 'sandbox-signature': 't=abc,v1=zz' } },
    ];
    for (const c of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: c.body, headers: c.headers, remoteAddress: ip });
      expect(res.statusCode).toBe(400);
    }
    expect(await t.db.selectFrom('payment_events').select('id').execute()).toHaveLength(before.length);
    expect((await t.db.selectFrom('payment_attempts').select('status').where('provider_session_id', '=', s).executeTakeFirstOrThrow()).status).toBe('pending');
    // Traced once for the sender, not once per request (each is in the request log).
    const denied = await t.db.selectFrom('audit_log').select(['details']).where('action', '=', 'payment.webhook').where('outcome', '=', 'denied').where('ip', '=', ip).execute();
    expect(denied).toHaveLength(1);
    expect(JSON.parse(denied[0]!.details!)).toMatchObject({ reason: 'missing or malformed signature' });
  });

  it('never books the amount an event claims: a signed success for another amount or currency is refused (the issue’s attack)', async () => {
    const { b, customer, newer } = await payer();
    const s = sessionOf((await startPayment(b, [newer.id])).headers.location as string)!;
    const attempt = await t.db.selectFrom('payment_attempts').selectAll().where('provider_session_id', '=', s).executeTakeFirstOrThrow();
    expect(attempt.amount_cents).toBe(26000);
    const post = (x: { body: string; headers: Record<string, string> }) =>
      t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: x.body, headers: x.headers, remoteAddress: '10.9.101.1' });
    const signedBody = (body: string, secret = sandboxWebhookSecret(t.config)) => ({
      body,
      headers: { 'content-type': 'application/json', 'sandbox-signature': signSandboxPayload(secret, Math.floor(t.clock.now().getTime() / 1000), body) },
    });

    // The issue's body as written, and with an event id, signed with the secret that was public: refused.
    const attack = (id?: string) => JSON.stringify({ ...(id ? { id } : {}), type: 'checkout.succeeded', data: { session_id: s, amount_cents: 99999999 } });
    expect((await post(signedBody(attack(), FORMER_PUBLIC_SECRET))).statusCode).toBe(400);
    expect((await post(signedBody(attack('evt_attack_public'), FORMER_PUBLIC_SECRET))).statusCode).toBe(400);
    expect((await post(signedBody(attack()))).statusCode).toBe(400); // not an event: no id

    // Signed with the installation's own secret, an amount or a currency other than the attempt's: refused as well.
    const wrong = [
      signedBody(attack('evt_attack_signed')),
      signed({ ...event(s, 'checkout.succeeded', 26000), data: { session_id: s, amount_cents: 26000, currency: 'usd', reference: 'x' } }),
      signedBody(JSON.stringify({ id: `evt_${newId()}`, type: 'checkout.succeeded', data: { session_id: s, amount_cents: 26000 } })),
      signed(event(s, 'checkout.succeeded', 25999)),
    ];
    for (const x of wrong) {
      const res = await post(x);
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'webhook_amount_mismatch', status: 422 });
    }
    // Nothing booked: no payment, no event kept, the attempt still pending, the balance unchanged.
    expect(await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('payment_events').select('id').where('event_id', 'in', ['evt_attack_signed', 'evt_attack_public']).execute()).toEqual([]);
    expect((await t.db.selectFrom('payment_attempts').select('status').where('id', '=', attempt.id).executeTakeFirstOrThrow()).status).toBe('pending');
    expect(await accountBalance(t.db, customer.id)).toBe(47280);
    // Each refusal is audited, saying what the event claimed.
    const refused = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'payment.refused').where('details', 'like', `%${attempt.id}%`).execute();
    expect(refused).toHaveLength(wrong.length);
    expect(refused.map((r) => JSON.parse(r.details!).reason)).toContain(`says 99999999 no currency for attempt ${attempt.id} of 26000 eur`);

    // The sandbox's own webhook, for the attempt's amount, books it.
    const hosted = await b.get(`/sandbox-paiement/${s}`);
    await b.post(`/sandbox-paiement/${s}`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(hosted.body)![1]!, action: 'pay' });
    expect(await deliverWebhooks()).toBe(1);
    expect((await t.db.selectFrom('payments').select('amount_cents').where('customer_id', '=', customer.id).execute()).map((p) => p.amount_cents)).toEqual([26000]);
    expect(await accountBalance(t.db, customer.id)).toBe(21280);
  });

  it('holds an IP sending unverifiable webhooks: 400 up to the limit, then 429; one audit entry per window, not per request', async () => {
    const ip = '10.9.102.1';
    const { b, customer, newer } = await payer();
    const s = sessionOf((await startPayment(b, [newer.id])).headers.location as string)!;
    const forged = signed(event(s, 'checkout.succeeded', 26000), undefined, FORMER_PUBLIC_SECRET);
    const post = (x: { body: string; headers: Record<string, string> }, from = ip) =>
      t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: x.body, headers: x.headers, remoteAddress: from });
    const traced = () => t.db.selectFrom('audit_log').select(['action', 'outcome']).where('ip', '=', ip).execute();

    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await post(forged));
    const { perIp, windowMs } = WEBHOOK_REJECTION_LIMITS;
    expect(perIp).toBeLessThan(30);
    expect(answers.map((r) => r.statusCode)).toEqual([...Array<number>(perIp).fill(400), ...Array<number>(30 - perIp).fill(429)]);
    const held = answers[perIp]!;
    expect(held.headers['retry-after']).toBe(String(windowMs / 1000));
    expect(held.json()).toMatchObject({ code: 'too_many_requests', status: 429 });
    expect(await traced()).toEqual([{ action: 'payment.webhook', outcome: 'denied' }]);

    // Held, even a genuine event waits (the provider retries); another sender is heard meanwhile.
    const genuine = signed(event(s, 'checkout.succeeded', 26000));
    expect((await post(genuine)).statusCode).toBe(429);
    expect((await post(genuine, '10.9.102.2')).statusCode).toBe(200);
    expect(await accountBalance(t.db, customer.id)).toBe(21280);

    // Once the window is over the IP is heard again, and traced once for its new window.
    t.clock.advance(windowMs);
    expect((await post(signed(event(s, 'checkout.succeeded', 26000), undefined, FORMER_PUBLIC_SECRET))).statusCode).toBe(400);
    expect(await traced()).toHaveLength(2);
  });

  it('books 50 concurrent copies of one event once; "failed" after "succeeded" changes nothing (W2)', async () => {
    const { b, customer, older, newer } = await payer();
    const s = sessionOf((await startPayment(b, [older.id, newer.id])).headers.location as string)!;
    const copy = signed(event(s, 'checkout.succeeded', 47280, 'evt_the_same_one'));
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () => t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: copy.body, headers: copy.headers }).then((r) => r.statusCode)),
    );
    expect(statuses.every((x) => x === 200)).toBe(true);
    const payments = await t.db.selectFrom('payments').selectAll().where('customer_id', '=', customer.id).execute();
    expect(payments).toHaveLength(1);
    const allocations = await t.db.selectFrom('allocations').select('amount_cents').where('payment_id', '=', payments[0]!.id).execute();
    expect(allocations.map((a) => a.amount_cents).sort()).toEqual([21280, 26000]);
    expect(await accountBalance(t.db, customer.id)).toBe(0);

    // A different event id for the same session, then a late "failed": still one payment, still paid.
    for (const e of [event(s, 'checkout.succeeded', 47280), event(s, 'checkout.failed', 47280)]) {
      const x = signed(e);
      expect((await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: x.body, headers: x.headers })).statusCode).toBe(200);
    }
    expect(await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute()).toHaveLength(1);
    expect((await t.db.selectFrom('payment_attempts').select('status').where('provider_session_id', '=', s).executeTakeFirstOrThrow()).status).toBe('succeeded');
  });

  it('books a success that arrives after a failure (events out of order)', async () => {
    const { b, customer, newer } = await payer();
    const s = sessionOf((await startPayment(b, [newer.id])).headers.location as string)!;
    for (const e of [event(s, 'checkout.failed', 26000), event(s, 'checkout.succeeded', 26000)]) {
      const x = signed(e);
      await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: x.body, headers: x.headers });
    }
    expect((await t.db.selectFrom('payment_attempts').select('status').where('provider_session_id', '=', s).executeTakeFirstOrThrow()).status).toBe('succeeded');
    expect((await documentBalances(t.db, customer.id)).get(newer.id)).toBe(0);
  });

  it('never charges twice: a second click resumes, a new attempt supersedes, a superseded success is a credit', async () => {
    const { b, customer, older, newer } = await payer();
    const first = await startPayment(b, [older.id, newer.id]);
    const again = await startPayment(b, [older.id, newer.id]);
    expect(again.headers.location).toBe(first.headers.location);
    const s1 = sessionOf(first.headers.location as string)!;

    const other = await startPayment(b, [newer.id]);
    const s2 = sessionOf(other.headers.location as string)!;
    expect(s2).not.toBe(s1);
    expect((await t.db.selectFrom('payment_attempts').select('status').where('provider_session_id', '=', s1).executeTakeFirstOrThrow()).status).toBe('superseded');
    expect((await t.db.selectFrom('sandbox_sessions').select('status').where('id', '=', s1).executeTakeFirstOrThrow()).status).toBe('cancelled');

    // The new attempt pays the newer invoice; then the old one still reports a success (paid in another tab).
    for (const e of [event(s2, 'checkout.succeeded', 26000), event(s1, 'checkout.succeeded', 47280)]) {
      const x = signed(e);
      await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: x.body, headers: x.headers });
    }
    const payments = await t.db.selectFrom('payments').select(['id', 'amount_cents']).where('customer_id', '=', customer.id).execute();
    expect(payments.map((p) => p.amount_cents).sort()).toEqual([26000, 47280]);
    // Never lost: the superseded payment is a credit on the account (negative balance).
    expect(await accountBalance(t.db, customer.id)).toBe(47280 - 26000 - 47280);
    const credited = payments.find((p) => p.amount_cents === 47280)!;
    expect(await t.db.selectFrom('allocations').select('id').where('payment_id', '=', credited.id).execute()).toEqual([]);
  });

  it('expires attempts the provider never confirms, and books a paid session whose webhook was lost', async () => {
    const { customer, older, newer, password } = await payer();
    let b = new Browser(t.app, '10.9.1.1');
    const login = async () => {
      b = new Browser(t.app, '10.9.1.1');
      await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    };
    await login();
    const s1 = sessionOf((await startPayment(b, [older.id])).headers.location as string)!;
    t.clock.advance(31 * MINUTE);
    await login();
    await reconcileExpiredAttempts(t.db, t.clock, t.config, t.app.paymentProvider);
    expect((await t.db.selectFrom('payment_attempts').select('status').where('provider_session_id', '=', s1).executeTakeFirstOrThrow()).status).toBe('expired');
    expect((await t.db.selectFrom('sandbox_sessions').select('status').where('id', '=', s1).executeTakeFirstOrThrow()).status).toBe('cancelled');

    const s2 = sessionOf((await startPayment(b, [newer.id])).headers.location as string)!;
    const hosted = await b.get(`/sandbox-paiement/${s2}`);
    await b.post(`/sandbox-paiement/${s2}`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(hosted.body)![1]!, action: 'pay' });
    await t.db.updateTable('sandbox_webhooks').set({ status: 'dead' }).where('status', '=', 'pending').execute(); // the webhook is lost
    t.clock.advance(31 * MINUTE);
    await reconcileExpiredAttempts(t.db, t.clock, t.config, t.app.paymentProvider);
    expect((await t.db.selectFrom('payment_attempts').select('status').where('provider_session_id', '=', s2).executeTakeFirstOrThrow()).status).toBe('succeeded');
    expect((await documentBalances(t.db, customer.id)).get(newer.id)).toBe(0);
  });

  it('records a payment for a balance settled meanwhile as a credit', async () => {
    const { b, customer, older, newer } = await payer();
    const s = sessionOf((await startPayment(b, [older.id, newer.id])).headers.location as string)!;
    // Paid by cheque at the counter in the meantime.
    await insertPayment(t.db, customer.id, 47280, [[older.id, 21280], [newer.id, 26000]]);
    const x = signed(event(s, 'checkout.succeeded', 47280));
    await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload: x.body, headers: x.headers });
    expect(await accountBalance(t.db, customer.id)).toBe(-47280);
  });

  it('pages a history of 96 payments: Mon compte shows the latest five and the way to all; numbers link to their PDF', async () => {
    const { b, customer, older, newer } = await payer();
    await t.db.updateTable('financial_documents').set({ pdf_sha256: 'e'.repeat(64) }).where('id', 'in', [older.id, newer.id]).execute();
    // Payment n was received n days before 1 November 2026: the first settles both invoices of the payer, each other one an invoice of its own.
    const dayBefore = (n: number) => new Date(Date.UTC(2026, 10, 1) - n * 86_400_000).toISOString();
    for (let n = 1; n <= 96; n++) {
      const invoices = n === 1 ? [older, newer] : [await insertDocument(t.db, { customerId: customer.id, number: `P${String(n).padStart(3, '0')}`, issueDate: n === 96 ? '2020-01-01' : dayBefore(n).slice(0, 10), htCents: 1000, pdfSha256: 'f'.repeat(64) })];
      const id = newId();
      const amount = invoices.reduce((sum, d) => sum + d.total_ttc_cents, 0);
      await t.db.insertInto('payments').values({ id, customer_id: customer.id, method: 'card', provider: 'test', provider_reference: id, status: 'succeeded', amount_cents: amount, received_at: dayBefore(n), created_at: dayBefore(n) }).execute();
      for (const d of invoices) await t.db.insertInto('allocations').values({ id: newId(), invoice_id: d.id, payment_id: id, credit_note_id: null, amount_cents: d.total_ttc_cents, created_at: dayBefore(n) }).execute();
    }
    const table = (html: string) => {
      const body = /<table class="stack payments">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
      return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').replace(/ ,/g, ',').trim());
    };

    const account = await b.get('/mon-compte');
    expect(table(account.body)).toHaveLength(5);
    expect(table(account.body)[0]).toBe(`31/10/2026 472,80 € Carte bancaire (en ligne) ${customer.number}-A, ${customer.number}-B Reçu`);
    expect(account.body).toContain('Vos 5 paiements les plus récents, sur 96.');
    expect(account.body).toContain('<a href="/mon-compte/paiements">Voir tous les paiements (96)</a>');
    // The documents a payment settled: each number a link to its PDF.
    expect(account.body).toContain(`<a href="/mon-compte/documents/${customer.number}-A.pdf" aria-label="PDF — télécharger la facture ${customer.number}-A">${customer.number}-A</a>, <a href="/mon-compte/documents/${customer.number}-B.pdf"`);

    const page1 = await b.get('/mon-compte/paiements');
    expect(page1.statusCode).toBe(200);
    expect(page1.body).toContain('<h1>Historique des paiements</h1>');
    expect(page1.body).toContain('<a href="/mon-compte">Retour à Mon compte</a>');
    expect(table(page1.body)).toHaveLength(20);
    expect(page1.body).toContain('Page 1 sur 5 (96 paiements)');
    expect(page1.body).not.toContain('rel="prev"');
    expect(page1.body).toContain('<a href="/mon-compte/paiements?page=2" rel="next">Page suivante</a>');

    const page2 = await b.get('/mon-compte/paiements?page=2');
    expect(table(page2.body).map((r) => r.split(' ')[0])).toEqual(Array.from({ length: 20 }, (_, i) => formatDate(dayBefore(21 + i), 'fr')));
    expect(page2.body).toContain('<a href="/mon-compte/paiements" rel="prev">Page précédente</a>');
    expect(page2.body).toContain('href="/mon-compte/documents/P021.pdf"');

    const page5 = await b.get('/mon-compte/paiements?page=5');
    expect(table(page5.body)).toHaveLength(16);
    expect(page5.body).not.toContain('rel="next"');
    // An invoice older than the history (5 years) is named, not linked, and the page says why.
    expect(table(page5.body).at(-1)).toContain('P096');
    expect(page5.body).not.toContain('href="/mon-compte/documents/P096.pdf"');
    expect(page5.body).toContain('href="/mon-compte/documents/P095.pdf"');
    expect(page5.body).toContain('Un numéro sans lien désigne un document dont le PDF ne se consulte pas ici');
    expect((await b.get('/mon-compte/documents/P096.pdf')).statusCode).toBe(404);
    // Every one of the 96 payments is on one of the pages.
    let seen = 0;
    for (let n = 1; n <= 5; n++) seen += table((await b.get(`/mon-compte/paiements?page=${n}`)).body).length;
    expect(seen).toBe(96);
    // Not logged in: to the login page.
    expect((await new Browser(t.app).get('/mon-compte/paiements')).statusCode).toBe(302);
  });

  it('is only for customers with paperless consent, and only their own attempts (Z1)', async () => {
    const { b } = await payer({ paperless: false });
    const page = await b.get('/mon-compte/paiement');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/mon-compte');
    expect((await b.get('/mon-compte')).body).not.toContain('href="/mon-compte/paiement"');

    const owner = await payer();
    const start = await startPayment(owner.b, [owner.newer.id]);
    const attempt = await t.db.selectFrom('payment_attempts').select('id').where('provider_session_id', '=', sessionOf(start.headers.location as string)!).executeTakeFirstOrThrow();
    expect((await b.get(`/mon-compte/paiement/retour/${attempt.id}`)).statusCode).toBe(404);
    // Another customer's invoice cannot be chosen: nothing to pay.
    const intruder = await payer();
    const res = await startPayment(intruder.b, [owner.older.id]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Choisissez au moins une facture à régler.');
  });
});

describe('the sandbox’s webhook secret', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'portal-sandbox-'));

  it('is made for each installation when the sandbox is first used, kept under DATA_DIR (0600), never a value in the code', () => {
    const one = testConfig({ DATA_DIR: join(dataDir(), 'not-yet-made') });
    const two = testConfig({ DATA_DIR: dataDir() });
    expect('SANDBOX_WEBHOOK_SECRET' in one).toBe(false);
    expect(() => statSync(sandboxSecretPath(one))).toThrow(/ENOENT/);

    sandboxProvider(undefined as never, manualClock(new Date('2026-11-27T10:00:00.000Z')), one);
    const secret = sandboxWebhookSecret(one);
    expect(isTokenShaped(secret)).toBe(true);
    expect(secret).not.toBe(FORMER_PUBLIC_SECRET);
    expect(statSync(sandboxSecretPath(one)).mode & 0o777).toBe(0o600);
    expect(sandboxWebhookSecret(one)).toBe(secret); // kept: every process of the installation reads it
    expect(sandboxWebhookSecret(two)).not.toBe(secret);
  });
});
