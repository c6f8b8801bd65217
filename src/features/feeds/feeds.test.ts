import { describe, expect, it } from 'vitest';
import { apiClientWith, api, expectProblem } from '../../../tests/support/api.ts';
import { Browser, type TestApp, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { payerWithTwoInvoices } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer, emailColumns, newSubscriber } from '../../../tests/support/factories.ts';
import { multipartBody } from '../../../tests/support/multipart.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import type { ApiScope } from '../api-clients/api-clients.rules.ts';
import { DAY, newId, nowIso } from '../../lib/clock.ts';
import { encodeCursor } from '../../lib/api.ts';
import { purgeEvents, recordEvent } from '../../lib/events.ts';
import { isTokenShaped } from '../../lib/tokens.ts';
import { friendlyIban } from '../direct-debit/direct-debit.rules.ts';
import { deliverSandboxWebhooks } from '../payments/sandbox.provider.ts';

const IBAN = 'FR7630006000011234567890189';
/** Every way the full IBAN could be written down. */
const ibanForms = (iban: string) => [iban, friendlyIban(iban), iban.slice(4, -4), friendlyIban(iban).slice(5, -5)];

const FEEDS = [
  { path: '/api/v1/feeds/payments', scope: 'payments:read' },
  { path: '/api/v1/feeds/mandates', scope: 'mandates:read' },
  { path: '/api/v1/feeds/contact-requests', scope: 'contact_requests:read' },
  { path: '/api/v1/feeds/customer-changes', scope: 'customer_changes:read' },
  { path: '/api/v1/feeds/vehicle-changes', scope: 'vehicle_changes:read' },
  { path: '/api/v1/feeds/access', scope: 'access:read' },
  { path: '/api/v1/feeds/terminations', scope: 'terminations:read' },
  { path: '/api/v1/feeds/e-invoices', scope: 'e_invoices:read' },
] as const satisfies { path: string; scope: ApiScope }[];
const ALL_FEEDS: ApiScope[] = FEEDS.map((f) => f.scope);

type Item = { id: number; type: string; occurred_at: string; customer_number: string; origin: string; [field: string]: unknown };

/** Reads a feed from `cursor` to its end, `limit` items a page: the items, the pages' sizes and the cursor to poll with next. */
async function readFeed(t: TestApp, key: string, path: string, cursor?: string, limit = 500) {
  const items: Item[] = [];
  const pages: number[] = [];
  let at = cursor;
  for (;;) {
    const res = await api(t, key, 'GET', `${path}?limit=${limit}${at ? `&cursor=${at}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: Item[]; next_cursor: string };
    expect(typeof page.next_cursor).toBe('string');
    items.push(...page.items);
    pages.push(page.items.length);
    at = page.next_cursor;
    if (page.items.length < limit) return { items, pages, cursor: at };
  }
}

/** Where each feed ends now: what a test reads from to see only what it causes. */
async function feedEnds(t: TestApp, key: string) {
  const ends: Record<string, string> = {};
  for (const f of FEEDS) ends[f.path] = (await readFeed(t, key, f.path)).cursor;
  return ends;
}

/** Every event stored, as text: searched for secrets. */
const storedPayloads = async (t: TestApp) => (await t.db.selectFrom('integration_events').select('payload').execute()).map((r) => r.payload).join('\n');

/** Every string of a JSON value. */
const stringsOf = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(stringsOf) : v && typeof v === 'object' ? Object.values(v).flatMap(stringsOf) : []);

describe.each(databaseKinds())('the ERP’s feeds: what happened online, read with a cursor (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.93.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

  /** A client reading every feed (not the full IBAN), and where each feed ends before the test acts. */
  async function reader() {
    const { key } = await apiClientWith(t, ALL_FEEDS);
    return { key, from: await feedEnds(t, key) };
  }

  it('keeps an event INTEGRATION_EVENTS_RETENTION_DAYS, then the purge deletes it; a cursor read before goes on', async () => {
    const { key, from } = await reader();
    const customer = await createCustomer(t.db, t.clock);
    const paperless = (given: boolean) => ({ type: 'customer.paperless_changed' as const, customerId: customer.id, subjectId: null, origin: 'customer' as const, payload: { paperless: given, source: 'profile' as const } });
    await recordEvent(t.db, t.clock, paperless(true));
    t.clock.advance(t.config.INTEGRATION_EVENTS_RETENTION_DAYS * DAY);
    await recordEvent(t.db, t.clock, paperless(false));
    t.clock.advance(1000);
    expect(await purgeEvents(t.db, t.clock, t.config)).toBeGreaterThanOrEqual(1);
    const { items } = await readFeed(t, key, '/api/v1/feeds/customer-changes', from['/api/v1/feeds/customer-changes']);
    expect(items.filter((i) => i.customer_number === customer.number).map((i) => (i as { paperless?: boolean }).paperless)).toEqual([false]);
  });

  it('tells a card payment booked from the sandbox, with the invoices it settled — once the provider confirms it, not before', async () => {
    const { key, from } = await reader();
    const { b, customer, older, newer } = await payerWithTwoInvoices(t, ip(), `feeds-pay-${ipSeq}@example.fr`);
    const page = await b.get('/mon-compte/paiement');
    const body = new URLSearchParams({ _csrf: csrfToken(page.body) });
    for (const id of [older.id, newer.id]) body.append('facture', id);
    const start = await t.app.inject({
      method: 'POST',
      url: '/mon-compte/paiement',
      remoteAddress: ip(),
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(start.statusCode).toBe(303);
    const session = /\/sandbox-paiement\/(sbx_[0-9a-f]{32})$/.exec(String(start.headers.location))![1]!;
    const hosted = await b.get(`/sandbox-paiement/${session}`);
    expect((await b.post(`/sandbox-paiement/${session}`, { _csrf: csrfToken(hosted.body), action: 'pay' })).statusCode).toBe(303);

    // The browser's return proves nothing: nothing in the feed until the webhook books it.
    const before = await readFeed(t, key, '/api/v1/feeds/payments', from['/api/v1/feeds/payments']);
    expect(before.items).toEqual([]);
    expect(before.cursor).toBe(from['/api/v1/feeds/payments']);

    const send = async (payload: string, headers: Record<string, string>) => (await t.app.inject({ method: 'POST', url: '/paiement/webhook/sandbox', payload, headers })).statusCode;
    expect(await deliverSandboxWebhooks(t.db, t.clock, t.config, send)).toBe(1);
    const payment = await t.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    const { items } = await readFeed(t, key, '/api/v1/feeds/payments', before.cursor);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        type: 'payment.received',
        occurred_at: nowIso(t.clock),
        customer_number: customer.number,
        origin: 'customer',
        payment_id: payment.id,
        amount_cents: 47280,
        currency: 'EUR',
        method: 'card',
        provider: 'sandbox',
        received_at: nowIso(t.clock),
        settled: [
          { document_number: `${customer.number}-A`, amount_cents: older.total_ttc_cents },
          { document_number: `${customer.number}-B`, amount_cents: newer.total_ttc_cents },
        ],
        credits_applied: [],
        unallocated_cents: 0,
      },
    ]);
    // The provider's session (a way to the hosted page) is not in it; nor anything token-shaped.
    expect(await storedPayloads(t)).not.toContain(session);
    expect(stringsOf(items).filter(isTokenShaped)).toEqual([]);
    // Other feeds heard nothing of it.
    for (const f of FEEDS.filter((f) => f.scope !== 'payments:read')) expect((await readFeed(t, key, f.path, from[f.path])).items, f.path).toEqual([]);
  });

  /** A logged-in customer with a verified address and two current contracts. */
  async function mandateCustomer() {
    const { b, customer } = await loggedInCustomer(t, ip());
    const email = `feeds-dd-${customer.number.toLowerCase()}@example.test`;
    await t.db.updateTable('customers').set(emailColumns(email, null, nowIso(t.clock))).where('id', '=', customer.id).execute();
    const park = await createCarPark(t.db, t.clock);
    const contracts = [await createContract(t.db, t.clock, customer.id, park.id), await createContract(t.db, t.clock, customer.id, park.id)];
    return { b, customer, email, contracts };
  }

  /** The customer fills in the online mandate and signs it with the code e-mailed: its id. */
  async function signOnline(who: Awaited<ReturnType<typeof mandateCustomer>>) {
    const form = await who.b.get('/prelevement/mandat');
    const rum = /name="rum" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const pairs = [
      ['_csrf', csrfToken(form.body)],
      ['rum', rum],
      ['holder', 'DURAND FRANCOIS'],
      ['street', '1 RUE DE LA PAIX'],
      ['postal_code', '75008'],
      ['city', 'PARIS'],
      ['country', 'France'],
      ['iban', friendlyIban(IBAN)],
      ['bic', 'BNPAFRPP'],
      ['place', 'Paris'],
      ...who.contracts.map((k) => ['contracts', k.id]),
    ];
    const res = await who.b.post('/prelevement/mandat', pairs as unknown as Record<string, string>);
    expect(res.statusCode).toBe(303);
    const id = /\/prelevement\/mandat\/([0-9a-f-]{36})\/signature/.exec(String(res.headers.location))![1]!;
    const mail = await t.db.selectFrom('outbox').select('text_body').where('recipient', '=', who.email).where('template', '=', 'mandate-code').executeTakeFirstOrThrow();
    const code = /:\s*(\d{6})\s*$/m.exec(mail.text_body)![1]!;
    const page = await who.b.get(`/prelevement/mandat/${id}/signature`);
    const signed = await who.b.post(`/prelevement/mandat/${id}/signature`, { _csrf: csrfToken(page.body), code });
    expect(signed.headers.location).toBe('/prelevement?signe');
    const { rum: recorded } = await t.db.selectFrom('sepa_mandates').select('rum').where('id', '=', id).executeTakeFirstOrThrow();
    return { id, rum: recorded, code };
  }

  it('tells a mandate signed online, validated by customer service, revoked by the customer; another rejected; a paper one recorded — the IBAN masked', async () => {
    const { key, from } = await reader();
    const feed = '/api/v1/feeds/mandates';
    const one = await mandateCustomer();
    const m1 = await signOnline(one);
    const afterSigning = await readFeed(t, key, feed, from[feed]);
    expect(afterSigning.items.map((i) => [i.type, i.customer_number, i.rum, i.status, i.origin])).toEqual([['mandate.signed', one.customer.number, m1.rum, 'to_validate', 'customer']]);
    expect(afterSigning.items[0]).toMatchObject({
      source: 'online',
      holder_name: 'DURAND FRANCOIS',
      holder_address: '1 RUE DE LA PAIX\n75008 PARIS\nFrance',
      iban_masked: 'FR•• •••• •••• 0189',
      bic: 'BNPAFRPP',
      signed_at: nowIso(t.clock),
      contracts: one.contracts.map((k) => k.number).sort(),
      rejection_reason: null,
      previous_status: null,
      iban: null,
    });

    const { b: agent } = await loggedInStaff(t, ip());
    const page = await agent.get(`/gestion/mandats/${m1.id}`);
    expect((await agent.post(`/gestion/mandats/${m1.id}/validation`, { _csrf: csrfToken(page.body) })).statusCode).toBe(303);
    const revoke = await one.b.get(`/prelevement/mandat/${m1.id}/revocation`);
    expect((await one.b.post(`/prelevement/mandat/${m1.id}/revocation`, { _csrf: csrfToken(revoke.body) })).statusCode).toBe(303);

    const two = await mandateCustomer();
    const m2 = await signOnline(two);
    const page2 = await agent.get(`/gestion/mandats/${m2.id}`);
    expect((await agent.post(`/gestion/mandats/${m2.id}/refus`, { _csrf: csrfToken(page2.body), reason: 'Le titulaire du compte ne correspond pas.' })).statusCode).toBe(303);

    const three = await mandateCustomer();
    const paper = await agent.get(`/gestion/mandats/papier?client=${three.customer.number}`);
    const pairs = [
      ['_csrf', csrfToken(paper.body)],
      ['client', three.customer.number],
      ['holder', 'MARTIN ALICE'],
      ['street', '2 RUE DES LILAS'],
      ['postal_code', '69001'],
      ['city', 'LYON'],
      ['country', 'France'],
      ['iban', friendlyIban(IBAN)],
      ['bic', ''],
      ['place', 'Lyon'],
      ['signed_on', '20/11/2026'],
      ['rum', ''],
      ['contracts', three.contracts[0]!.id],
    ];
    expect((await agent.post('/gestion/mandats/papier', pairs as unknown as Record<string, string>)).statusCode).toBe(303);
    const m3 = await t.db.selectFrom('sepa_mandates').select('rum').where('customer_id', '=', three.customer.id).executeTakeFirstOrThrow();

    const { items } = await readFeed(t, key, feed, afterSigning.cursor);
    expect(items.map((i) => [i.type, i.customer_number, i.rum, i.status, i.origin, i.previous_status, i.rejection_reason])).toEqual([
      ['mandate.validated', one.customer.number, m1.rum, 'active', 'staff', null, null],
      ['mandate.revoked', one.customer.number, m1.rum, 'revoked', 'customer', 'active', null],
      ['mandate.signed', two.customer.number, m2.rum, 'to_validate', 'customer', null, null],
      ['mandate.rejected', two.customer.number, m2.rum, 'rejected', 'staff', null, 'Le titulaire du compte ne correspond pas.'],
      ['mandate.validated', three.customer.number, m3.rum, 'active', 'staff', null, null],
    ]);
    expect(items.at(-1)).toMatchObject({ source: 'paper', holder_name: 'MARTIN ALICE', bic: null, signed_at: '2026-11-20T00:00:00.000Z', contracts: [three.contracts[0]!.number], iban: null });
    expect(items.every((i) => i.iban_masked === 'FR•• •••• •••• 0189' && i.iban === null)).toBe(true);

    // Nothing secret stored or answered: no form of the IBAN, no signing code, nothing token-shaped.
    const stored = await storedPayloads(t);
    const answered = JSON.stringify([...afterSigning.items, ...items]);
    for (const form of ibanForms(IBAN)) {
      expect(stored).not.toContain(form);
      expect(answered).not.toContain(form);
    }
    expect(stringsOf([...afterSigning.items, ...items]).filter((s) => s === m1.code || isTokenShaped(s))).toEqual([]);
    // Reading without mandates:iban is not an IBAN read: nothing audited.
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'mandate.iban_view').where('actor_type', '=', 'api').execute()).toEqual([]);
  });

  it('gives the full IBAN only to a client holding mandates:iban, decrypted at read time, each mandate read audited with the client and the events', async () => {
    const who = await mandateCustomer();
    const m = await signOnline(who);
    const feed = '/api/v1/feeds/mandates';
    const withIban = await apiClientWith(t, ['mandates:read', 'mandates:iban']);
    const all = await readFeed(t, withIban.key, feed);
    const mine = all.items.filter((i) => i.customer_number === who.customer.number);
    expect(mine.map((i) => [i.type, i.iban, i.iban_masked])).toEqual([['mandate.signed', IBAN, 'FR•• •••• •••• 0189']]);
    // Stored masked only: the IBAN came from the mandate's encrypted column.
    for (const form of ibanForms(IBAN)) expect(await storedPayloads(t)).not.toContain(form);

    const audited = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'mandate.iban_view').where('target_id', '=', m.rum).execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_type: 'api', actor_id: withIban.client.id, outcome: 'success', target_type: 'mandate' });
    expect(JSON.parse(audited[0]!.details!)).toEqual({ client: withIban.client.name, customer_id: who.customer.id, feed: 'mandates', events: [mine[0]!.id] });
    for (const form of ibanForms(IBAN)) expect(audited[0]!.details).not.toContain(form);
    // Every mandate answered with its IBAN is audited, one entry each.
    const rums = new Set(all.items.map((i) => i.rum));
    const entries = await t.db.selectFrom('audit_log').select('target_id').where('action', '=', 'mandate.iban_view').where('actor_id', '=', withIban.client.id).execute();
    expect(new Set(entries.map((e) => e.target_id))).toEqual(rums);

    // mandates:iban alone opens nothing (it adds to mandates:read); mandates:read alone gives no IBAN, audits nothing.
    const ibanOnly = await apiClientWith(t, ['mandates:iban']);
    expect(expectProblem(await api(t, ibanOnly.key, 'GET', feed), 403, 'api_scope_missing').required_scope).toBe('mandates:read');
    const masked = await apiClientWith(t, ['mandates:read']);
    const read = await readFeed(t, masked.key, feed);
    expect(read.items.filter((i) => i.customer_number === who.customer.number).map((i) => i.iban)).toEqual([null]);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'mandate.iban_view').where('actor_id', '=', masked.client.id).execute()).toEqual([]);
  });

  it('tells a contact request made and the customer’s answer back, not customer service’s reply', async () => {
    const { key, from } = await reader();
    const feed = '/api/v1/feeds/contact-requests';
    const { b, customer } = await loggedInCustomer(t, ip());
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    const post = async (url: string, formPage: string, fields: Record<string, string>) => {
      const page = await b.get(formPage);
      const { payload, contentType } = multipartBody([{ name: '_csrf', value: csrfToken(page.body) }, ...Object.entries(fields).map(([name, value]) => ({ name, value }))]);
      return t.app.inject({ method: 'POST', url, remoteAddress: ip(), payload, headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    };
    const sent = await post('/contact', '/contact', { category: 'plate', contract: contract.number, message: 'Nouvelle voiture.', new_plate: 'gh-789-ij', effective_date: '01/12/2026' });
    expect(sent.statusCode).toBe(303);
    const reference = /\/contact\/demandes\/(DEM-\d{4}-\d{6})/.exec(String(sent.headers.location))![1]!;

    const { b: agent } = await loggedInStaff(t, ip());
    const path = `/gestion/demandes/${reference}`;
    expect((await agent.submit(path, `${path}/reponse`, { reply: 'Pouvez-vous envoyer la carte grise ?' })).statusCode).toBe(303);
    expect((await post(`/contact/demandes/${reference}/reponse`, `/contact/demandes/${reference}`, { message: 'La voici en pièce jointe bientôt.' })).statusCode).toBe(303);

    const { items } = await readFeed(t, key, feed, from[feed]);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        type: 'contact_request.created',
        occurred_at: nowIso(t.clock),
        customer_number: customer.number,
        origin: 'customer',
        reference,
        category: 'plate',
        contract_number: contract.number,
        message: 'Nouvelle voiture.',
        new_plate: 'GH-789-IJ',
        effective_date: '2026-12-01',
        attachments: 0,
      },
      {
        id: expect.any(Number),
        type: 'contact_request.answered',
        occurred_at: nowIso(t.clock),
        customer_number: customer.number,
        origin: 'customer',
        reference,
        message: 'La voici en pièce jointe bientôt.',
        attachments: 0,
        reopened: false,
      },
    ]);
    expect(items[0]!.id).toBeLessThan(items[1]!.id);
  });

  it('tells changes of e-mail addresses and paperless consent in Profil, customer service’s corrections, and the first login', async () => {
    const { key, from } = await reader();
    const feed = '/api/v1/feeds/customer-changes';
    const since = nowIso(t.clock);

    // Profil: the addresses (with the password), then paperless given.
    const { b, customer, password } = await loggedInCustomer(t, ip(), { ...emailColumns('feeds.old@example.fr', null, since), paperless: 0 });
    const changed = await b.submit('/profil/adresses-email', '/profil/adresses-email', { email_primary: 'feeds.old@example.fr', email_secondary: 'Feeds.New@Example.fr', current_password: password });
    expect(changed.statusCode).toBe(303);
    expect((await b.submit('/profil', '/profil/documents-par-email', { paperless: 'yes' })).statusCode).toBe(303);
    // The same choice again changes nothing, and tells nothing.
    await b.submit('/profil', '/profil/documents-par-email', { paperless: 'yes' });

    // Customer service corrects the postal address and the main e-mail address.
    const other = await createCustomer(t.db, t.clock, emailColumns('feeds.before@example.test', null, since));
    const { b: agent } = await loggedInStaff(t, ip());
    const url = `/gestion/clients/${other.number}/coordonnees`;
    const corrected = await agent.submit(url, url, {
      address_line1: '12 AVENUE DES TERNES',
      address_line2: '',
      postal_code: '75017',
      city: 'PARIS',
      country: 'France',
      phone: '01 23 45 67 89',
      mobile_phone: '06 12 34 56 78',
      email_primary: 'feeds.after@example.test',
      email_secondary: '',
      reason: 'Déménagement signalé par téléphone',
    });
    expect(corrected.statusCode).toBe(303);

    // The first login: a password, the addresses, paperless refused.
    const { customer: fresh, tempPassword } = await newSubscriber(t.db, t.clock);
    const first = new Browser(t.app, ip());
    expect((await first.submit('/connexion', '/connexion', { identifiant: fresh.number, password: tempPassword })).headers.location).toBe('/premiere-connexion');
    const NEW_PASSWORD = 'cheval agrafe batterie';
    const activated = await first.submit('/premiere-connexion', '/premiere-connexion', {
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
      email_primary: 'feeds.first@example.fr',
      email_secondary: '',
      // paperless: not ticked
    });
    expect(activated.statusCode).toBe(303);

    const { items } = await readFeed(t, key, feed, from[feed]);
    const shown = items.map(({ id: _id, occurred_at: _at, ...rest }) => rest);
    expect(shown).toEqual([
      { type: 'customer.emails_changed', customer_number: customer.number, origin: 'customer', primary: 'feeds.old@example.fr', secondary: 'feeds.new@example.fr', primary_verified: true, secondary_verified: false },
      { type: 'customer.paperless_changed', customer_number: customer.number, origin: 'customer', paperless: true, source: 'profile' },
      { type: 'customer.emails_changed', customer_number: other.number, origin: 'staff', primary: 'feeds.after@example.test', secondary: null, primary_verified: false, secondary_verified: false },
      {
        type: 'customer.contact_details_changed',
        customer_number: other.number,
        origin: 'staff',
        fields: ['address.line1', 'address.postal_code', 'phones.mobile'],
        address: { line1: '12 AVENUE DES TERNES', line2: null, postal_code: '75017', city: 'PARIS', country: 'France' },
        phones: { landline: '01 23 45 67 89', mobile: '06 12 34 56 78' },
      },
      { type: 'customer.emails_changed', customer_number: fresh.number, origin: 'customer', primary: 'feeds.first@example.fr', secondary: null, primary_verified: false, secondary_verified: false },
      { type: 'customer.paperless_changed', customer_number: fresh.number, origin: 'customer', paperless: false, source: 'first_login' },
    ]);

    // Nothing secret: no password, no temporary password, no verification link's token.
    const stored = await storedPayloads(t);
    for (const secret of [password, tempPassword, NEW_PASSWORD]) expect(stored).not.toContain(secret);
    const links = await t.db.selectFrom('outbox').select('text_body').where('template', '=', 'verify').execute();
    const tokens = links.flatMap((l) => [...l.text_body.matchAll(/\/([A-Za-z0-9_-]{43})\b/g)].map((m) => m[1]!));
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(stored).not.toContain(token);
    expect(stringsOf(items).filter(isTokenShaped)).toEqual([]);
  });

  it('does not tell the ERP what it wrote itself: a PUT changing a customer’s e-mail address is not in the feed', async () => {
    const { key, from } = await reader();
    const feed = '/api/v1/feeds/customer-changes';
    const writer = await apiClientWith(t, ['customers:write']);
    const number = `FEEDS${ipSeq}X${Date.now() % 100000}`;
    const body = (primary: string) => ({ kind: 'individual', last_name: 'ERP', address: { line1: '1 RUE DU CODE', postal_code: '75001', city: 'PARIS' }, emails: { primary } });
    expect((await api(t, writer.key, 'PUT', `/api/v1/customers/${number}`, body('erp.one@example.fr'))).statusCode).toBe(201);
    const update = await api(t, writer.key, 'PUT', `/api/v1/customers/${number}`, body('erp.two@example.fr'));
    expect(update.statusCode).toBe(200);
    expect(update.json()).toMatchObject({ emails: { primary: 'erp.two@example.fr' }, unchanged: false });
    expect((await readFeed(t, key, feed, from[feed])).items).toEqual([]);
  });

  it('tells a change of plate recorded by customer service', async () => {
    const { key, from } = await reader();
    const feed = '/api/v1/feeds/vehicle-changes';
    const { customer } = await activeSubscriber(t.db, t.clock);
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    const vehicleId = newId();
    await t.db.insertInto('contract_vehicles').values({ id: vehicleId, contract_id: contract.id, plate: 'AB-123-CD', plate_key: 'AB123CD', description: 'Peugeot 308 grise' }).execute();
    const { b } = await loggedInStaff(t, ip());
    const url = `/gestion/clients/${customer.number}/immatriculation`;
    const res = await b.submit(url, url, { vehicle: vehicleId, new_plate: 'ef 456 gh', effective_date: '15/12/2026', description: 'Renault Clio bleue' });
    expect(res.statusCode).toBe(303);
    const { items } = await readFeed(t, key, feed, from[feed]);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        type: 'vehicle.plate_changed',
        occurred_at: nowIso(t.clock),
        customer_number: customer.number,
        origin: 'staff',
        contract_number: contract.number,
        old_plate: 'AB-123-CD',
        new_plate: 'EF-456-GH',
        description: 'Renault Clio bleue',
        effective_date: '2026-12-15',
      },
    ]);
    const row = await t.db.selectFrom('integration_events').select('subject_id').where('id', '=', items[0]!.id).executeTakeFirstOrThrow();
    expect(row.subject_id).toBe((await t.db.selectFrom('contract_vehicles').select('id').where('plate', '=', 'EF-456-GH').where('contract_id', '=', contract.id).executeTakeFirstOrThrow()).id);
  });

  it('pages with a cursor that resumes exactly after the last item, reaches the end, and still answers a cursor to poll with', async () => {
    const { key, from } = await reader();
    const feed = '/api/v1/feeds/customer-changes';
    const { b } = await loggedInCustomer(t, ip(), { paperless: 0 });
    for (const choice of ['yes', 'no', 'yes', 'no', 'yes']) expect((await b.submit('/profil', '/profil/documents-par-email', { paperless: choice })).statusCode).toBe(303);

    const paged = await readFeed(t, key, feed, from[feed], 2);
    expect(paged.pages).toEqual([2, 2, 1]);
    expect(paged.items.map((i) => i.paperless)).toEqual([true, false, true, false, true]);
    const ids = paged.items.map((i) => i.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
    // One page of all five says the same.
    expect((await readFeed(t, key, feed, from[feed], 5)).items).toEqual(paged.items);

    // At the end: an empty page, and the same cursor to poll with.
    const end = await api(t, key, 'GET', `${feed}?cursor=${paged.cursor}`);
    expect(end.json()).toEqual({ items: [], next_cursor: paged.cursor });
    // What happens next comes after it, once.
    await b.submit('/profil', '/profil/documents-par-email', { paperless: 'no' });
    const next = await readFeed(t, key, feed, paged.cursor);
    expect(next.items.map((i) => [i.type, i.paperless])).toEqual([['customer.paperless_changed', false]]);
    expect(next.items[0]!.id).toBeGreaterThan(ids.at(-1)!);
    expect((await readFeed(t, key, feed, next.cursor)).items).toEqual([]);

    // No cursor: from the start of the feed, which holds them too.
    const whole = await readFeed(t, key, feed);
    expect(whole.items.slice(-6).map((i) => i.id)).toEqual([...ids, next.items[0]!.id]);
    // A feed with nothing yet still answers a cursor.
    const empty = await api(t, key, 'GET', `/api/v1/feeds/vehicle-changes?cursor=${encodeCursor(['vehicle_changes', '999999999'])}`);
    expect(empty.json()).toEqual({ items: [], next_cursor: encodeCursor(['vehicle_changes', '999999999']) });

    // A cursor of another feed, or not ours, is refused, naming the field.
    for (const bad of [from['/api/v1/feeds/payments']!, 'not-a-cursor', encodeCursor(['customer_changes', 'x1']), encodeCursor(['customer_changes'])]) {
      const problem = expectProblem(await api(t, key, 'GET', `${feed}?cursor=${bad}`), 422, 'validation_failed');
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'cursor', in: 'query', code: 'cursor' })]);
    }
    for (const limit of ['0', '501', 'ten']) {
      const problem = expectProblem(await api(t, key, 'GET', `${feed}?limit=${limit}`), 422, 'validation_failed');
      expect(problem.errors?.map((e) => e.field)).toEqual(['limit']);
    }
    expect(expectProblem(await api(t, key, 'GET', `${feed}?since=0`), 422, 'validation_failed').errors?.map((e) => [e.field, e.code])).toEqual([['since', 'unknown']]);
  });

  it('needs a key, and each feed its own scope', async () => {
    for (const f of FEEDS) {
      expectProblem(await api(t, null, 'GET', f.path), 401, 'api_unauthorized');
      const others = await apiClientWith(t, ALL_FEEDS.filter((s) => s !== f.scope));
      expect(expectProblem(await api(t, others.key, 'GET', f.path), 403, 'api_scope_missing').required_scope).toBe(f.scope);
      const own = await apiClientWith(t, [f.scope]);
      expect((await api(t, own.key, 'GET', f.path)).statusCode, f.path).toBe(200);
    }
    // A customer's session is nobody here.
    const { b } = await loggedInCustomer(t, ip());
    expect((await b.get('/api/v1/feeds/customer-changes')).statusCode).toBe(401);
  });

  it('documents every feed in the OpenAPI document, with its scope and the shape of each type of event', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, { get?: { 'x-scope'?: string; responses: Record<string, unknown> } }> };
    for (const f of FEEDS) {
      const op = doc.paths[f.path.slice('/api/v1'.length)]?.get;
      expect(op?.['x-scope'], f.path).toBe(f.scope);
    }
    const text = JSON.stringify(doc.paths['/feeds/customer-changes']);
    for (const type of ['customer.emails_changed', 'customer.contact_details_changed', 'customer.paperless_changed']) expect(text).toContain(type);
    expect(JSON.stringify(doc.paths['/feeds/mandates'])).toContain('mandates:iban');
    // The reference page reads it: each feed, its scope, its query.
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    for (const f of FEEDS) {
      expect(page.body).toContain(`GET ${f.path.slice('/api/v1'.length)}`);
      expect(page.body).toContain(`<code>${f.scope}</code>`);
    }
  });
});

describe.each(databaseKinds().filter((k) => k === 'postgres'))('the feeds under concurrent commits (%s)', (kind) => {
  const t = useTestApp(kind);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const event = (customerId: string, paperless: boolean) =>
    ({ type: 'customer.paperless_changed', customerId, subjectId: null, origin: 'customer', payload: { paperless, source: 'profile' } }) as const;

  it('never lets a reader pass an event still to commit: a writer that took its number first commits first', async () => {
    const { key } = await apiClientWith(t, ['customer_changes:read']);
    const feed = '/api/v1/feeds/customer-changes';
    const start = (await readFeed(t, key, feed)).cursor;
    const first = await createCustomer(t.db, t.clock);
    const second = await createCustomer(t.db, t.clock);

    // T1 records its event and stays open; T2 records one after it and commits as soon as it can.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let recorded!: () => void;
    const firstRecorded = new Promise<void>((r) => (recorded = r));
    const t1 = t.db.transaction().execute(async (trx) => {
      await recordEvent(trx, t.clock, event(first.id, true));
      recorded();
      await gate;
    });
    await firstRecorded;
    let t2Committed = false;
    const t2 = t.db
      .transaction()
      .execute((trx) => recordEvent(trx, t.clock, event(second.id, false)))
      .then(() => (t2Committed = true));
    await sleep(300);

    // T2 waits for T1; the reader, polling meanwhile, sees neither and keeps its place.
    expect(t2Committed).toBe(false);
    const during = await readFeed(t, key, feed, start);
    release();
    await Promise.all([t1, t2]);
    const after = await readFeed(t, key, feed, during.cursor);
    const seen = [...during.items, ...after.items].map((i) => [i.customer_number, i.id]);
    expect(seen.map(([n]) => n)).toEqual([first.number, second.number]);
    expect(Number(seen[0]![1])).toBeLessThan(Number(seen[1]![1]));
  });

  it('loses nothing to a reader polling while thirty writers commit at random moments', async () => {
    const { key } = await apiClientWith(t, ['customer_changes:read']);
    const feed = '/api/v1/feeds/customer-changes';
    let cursor = (await readFeed(t, key, feed)).cursor;
    const customers = await Promise.all(Array.from({ length: 30 }, () => createCustomer(t.db, t.clock)));
    const numbers = new Set(customers.map((c) => c.number));
    const writers = customers.map((c, i) =>
      (async () => {
        await sleep((i * 7) % 40);
        await t.db.transaction().execute(async (trx) => {
          await recordEvent(trx, t.clock, event(c.id, true));
          await sleep(((i * 13) % 5) * 4); // committed a little later, in another order than taken
        });
      })(),
    );
    let done = false;
    const all = Promise.all(writers).then(() => (done = true));
    const seen: string[] = [];
    while (!done) {
      const page = await readFeed(t, key, feed, cursor);
      seen.push(...page.items.map((i) => i.customer_number).filter((n) => numbers.has(n)));
      cursor = page.cursor;
      await sleep(3);
    }
    await all;
    seen.push(...(await readFeed(t, key, feed, cursor)).items.map((i) => i.customer_number).filter((n) => numbers.has(n)));
    expect(seen.sort()).toEqual([...numbers].sort());
  });
});
