import { describe, expect, it } from 'vitest';
import { allPages, api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { databaseKinds, loggedInBrowser, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer, emailColumns } from '../../../tests/support/factories.ts';
import { sha256Hex } from '../../lib/content-store.ts';
import { lineAmounts } from '../../lib/money.ts';
import { accountBalance } from '../account/balance.queries.ts';
import { NOTIFY_GRACE_MS, queueDocumentNotifications } from './documents.notify.ts';
import { DOCUMENT_PDF_MAX_BYTES } from './documents.rules.ts';

/*
 * Invoices and credit notes in the API: PUT by number (a draft created, updated, unchanged —
 * nothing written nor audited; published, then frozen), figures that must add up the portal's
 * way, the ERP's PDF served byte for byte to the customer (or one rendered when none is sent),
 * the "new document" notice, paging, and batches of up to 1,000 applied all or nothing.
 */

const base = '/api/v1/documents';
const batches = '/api/v1/batches/documents';
let serial = 0;
/** A document number of this test run's own. */
const newNumber = () => `FA${process.pid % 1000}${Date.now() % 100000}${++serial}`;

/** A small PDF the ERP would send (only its first bytes and its SHA-256 matter to the portal). */
const erpPdf = (text = 'facture ERP') => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');

/** Lines with their totals computed the portal's way, and the document's totals. */
function figures(lines: { label?: string; quantity_milli?: number; unit_price_ht_cents: number; vat_rate_bp?: number }[]) {
  const full = lines.map((l) => {
    const quantity = l.quantity_milli ?? 1000;
    const rate = l.vat_rate_bp ?? 2000;
    return { label: l.label ?? 'Abonnement résident', quantity_milli: quantity, unit_price_ht_cents: l.unit_price_ht_cents, vat_rate_bp: rate, ...lineAmounts(l.unit_price_ht_cents, quantity, rate) };
  });
  const ht = full.reduce((s, l) => s + l.total_ht_cents, 0);
  // One rate here: the document's VAT is that rate on the summed HT.
  const vat = lineAmounts(ht, 1000, full[0]!.vat_rate_bp).total_vat_cents;
  return { lines: full, total_ht_cents: ht, total_vat_cents: vat, total_ttc_cents: ht + vat };
}

const body = (customer: string, over: Record<string, unknown> = {}) => ({
  kind: 'invoice',
  customer,
  issue_date: '2026-11-01',
  period_start: '2026-11-01',
  period_end: '2026-11-30',
  due_date: '2026-11-10',
  ...figures([{ unit_price_ht_cents: 21667 }]),
  ...over,
});

describe.each(databaseKinds())('financial documents in the API (%s)', (kind) => {
  const t = useTestApp(kind);

  const row = (number: string) => t.db.selectFrom('financial_documents').selectAll().where('number', '=', number).executeTakeFirst();
  const audits = (customerId: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_type', 'actor_id', 'details']).where('target_id', '=', customerId).where('action', 'like', 'document.%').orderBy('at').orderBy('id').execute();

  it('asks for a key, and for the documents scopes', async () => {
    const { key } = await apiClientWith(t, ['customers:read', 'customers:write']);
    const { key: reader } = await apiClientWith(t, ['documents:read']);
    const customer = await createCustomer(t.db, t.clock);
    const number = newNumber();
    for (const [method, url, payload] of [
      ['PUT', `${base}/${number}`, body(customer.number)],
      ['GET', `${base}/${number}`, undefined],
      ['GET', base, undefined],
      ['POST', batches, { items: [{ number, ...body(customer.number) }] }],
    ] as const) {
      expectProblem(await api(t, null, method, url, payload), 401, 'api_unauthorized');
      const denied = expectProblem(await api(t, key, method, url, payload), 403, 'api_scope_missing');
      expect(denied.required_scope).toBe(method === 'GET' ? 'documents:read' : 'documents:write');
    }
    // Reading is not writing.
    expect(expectProblem(await api(t, reader, 'PUT', `${base}/${number}`, body(customer.number)), 403, 'api_scope_missing').required_scope).toBe('documents:write');
    expect(await row(number)).toBeUndefined();
  });

  it('creates a draft (201), says a repeat changed nothing and writes nothing, updates it (200), and reads it back', async () => {
    const { key, client } = await apiClientWith(t, ['documents:write', 'documents:read']);
    const park = await createCarPark(t.db, t.clock);
    const customer = await createCustomer(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    const number = newNumber();
    const created = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { contract: contract.number }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`${base}/${number}`);
    expect(created.json()).toMatchObject({
      number,
      kind: 'invoice',
      customer: customer.number,
      contract: contract.number,
      corrects: null,
      lines: [{ label: 'Abonnement résident', quantity_milli: 1000, unit_price_ht_cents: 21667, vat_rate_bp: 2000, total_ht_cents: 21667, total_vat_cents: 4333, total_ttc_cents: 26000 }],
      total_ttc_cents: 26000,
      published: false,
      portal: { published_at: null, pdf_sha256: null, remaining_cents: null },
      unchanged: false,
    });
    const stored = (await row(number))!;
    expect(stored.published_at).toBeNull();
    // A draft is not the customer's yet: not in their balance.
    expect(await accountBalance(t.db, customer.id)).toBe(0);
    expect(await audits(customer.id)).toEqual([
      { action: 'document.create', actor_type: 'api', actor_id: client.id, details: expect.stringContaining(`"client":"${client.name}"`) },
    ]);

    t.clock.advance(60_000);
    const again = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { contract: contract.number }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ unchanged: true });
    expect(await audits(customer.id)).toHaveLength(1);

    const changed = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { due_date: '2026-11-15', ...figures([{ unit_price_ht_cents: 21667 }, { label: 'Badge', unit_price_ht_cents: 1000 }]) }));
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ unchanged: false, contract: null, due_date: '2026-11-15', total_ht_cents: 22667, lines: [{ label: 'Abonnement résident' }, { label: 'Badge' }] });
    const trail = await audits(customer.id);
    expect(trail.map((a) => a.action)).toEqual(['document.create', 'document.update']);
    expect(JSON.parse(trail[1]!.details!).fields).toEqual(['contract', 'due_date', 'total_ht_cents', 'total_vat_cents', 'total_ttc_cents', 'lines[1]']);

    const read = await api(t, key, 'GET', `${base}/${number}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ number, total_ht_cents: 22667 });
    expect(read.json()).not.toHaveProperty('unchanged');
    expectProblem(await api(t, key, 'GET', `${base}/NOPE${number}`), 404, 'api_not_found');
  });

  it('names every bad field of a body, refuses unknown ones, and writes nothing', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    const number = newNumber();
    const { lines } = figures([{ unit_price_ht_cents: 1000 }]);
    const res = await api(t, key, 'PUT', `${base}/${number}`, {
      ...body(customer.number),
      kind: 'bill',
      issue_date: '01/11/2026',
      lines: [{ ...lines[0], vat_rate_bp: -5, colour: 'blue' }, { quantity_milli: 1000 }],
      pdf: 'this is not base64!',
      paid: true,
    });
    const problem = expectProblem(res, 422, 'validation_failed');
    const named = Object.fromEntries(problem.errors!.map((e) => [e.field, e.code]));
    expect(named).toMatchObject({
      kind: 'enum',
      issue_date: 'format',
      'lines[0].vat_rate_bp': 'too_small',
      'lines[0].colour': 'unknown',
      'lines[1].label': 'required',
      'lines[1].unit_price_ht_cents': 'required',
      pdf: 'format',
      paid: 'unknown',
    });
    expect(problem.errors!.every((e) => e.in === 'body' && e.message.length > 0)).toBe(true);
    expectProblem(await api(t, key, 'PUT', `${base}/not a number`, body(customer.number)), 422, 'validation_failed');
    expect(await row(number)).toBeUndefined();
  });

  it('refuses a document whose lines or totals do not add up, naming each figure and what the portal expects', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    const number = newNumber();
    const f = figures([{ unit_price_ht_cents: 21667 }, { label: 'Badge', unit_price_ht_cents: 833 }, { label: 'Prorata', quantity_milli: 333, unit_price_ht_cents: 21667 }]);
    // The third line rounded down instead of half away from zero, and a TTC one cent off.
    const expectedHt = f.lines[2]!.total_ht_cents;
    f.lines[2] = { ...f.lines[2]!, total_ht_cents: expectedHt - 1 };
    const res = await api(t, key, 'PUT', `${base}/${number}`, { ...body(customer.number), ...f, total_ttc_cents: f.total_ttc_cents + 1 });
    const problem = expectProblem(res, 422, 'validation_failed');
    // The totals are checked against the lines as the portal computes them: the wrong line is named once.
    expect(problem.errors!.map((e) => [e.field, e.code])).toEqual([
      ['lines[2].total_ht_cents', 'sum'],
      ['total_ttc_cents', 'sum'],
    ]);
    expect(problem.errors![0]!.message).toBe(
      `Does not add up: expected ${expectedHt} (quantity × unit price excl. VAT, VAT at the line’s rate, each rounded half away from zero to the cent).`,
    );

    // VAT is computed once per rate on that rate's HT, not summed line by line.
    const two = [0, 1].map(() => ({ label: 'Demi', quantity_milli: 1000, unit_price_ht_cents: 1, vat_rate_bp: 5000, ...lineAmounts(1, 1000, 5000) }));
    const perLine = await api(t, key, 'PUT', `${base}/${number}`, { ...body(customer.number), lines: two, total_ht_cents: 2, total_vat_cents: 2, total_ttc_cents: 4 });
    expect(expectProblem(perLine, 422, 'validation_failed').errors!.map((e) => [e.field, e.message])).toEqual([
      ['total_vat_cents', 'Does not add up: expected 1 (the lines’ HT summed, VAT computed once per rate on that rate’s HT, TTC = HT + VAT).'],
      ['total_ttc_cents', 'Does not add up: expected 3 (the lines’ HT summed, VAT computed once per rate on that rate’s HT, TTC = HT + VAT).'],
    ]);

    // The rules across fields.
    const credit = await api(t, key, 'PUT', `${base}/${number}`, { ...body(customer.number), kind: 'credit_note', period_end: null, due_date: '2026-10-01' });
    expect(expectProblem(credit, 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([
      ['corrects', 'required'],
      ['period_end', 'required'],
      ['due_date', 'order'],
    ]);
    expect(await row(number)).toBeUndefined();
  });

  it('refuses an unknown customer, another customer’s contract, and an invoice to correct that is not the customer’s', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const park = await createCarPark(t.db, t.clock);
    const customer = await createCustomer(t.db, t.clock);
    const other = await createCustomer(t.db, t.clock);
    const theirs = await createContract(t.db, t.clock, other.id, park.id);
    const theirInvoice = newNumber();
    expect((await api(t, key, 'PUT', `${base}/${theirInvoice}`, body(other.number, { published: true }))).statusCode).toBe(201);

    const number = newNumber();
    expect(expectProblem(await api(t, key, 'PUT', `${base}/${number}`, body('NOBODY42')), 422, 'validation_failed').errors).toEqual([
      { field: 'customer', in: 'body', code: 'unknown', message: 'No customer has this number (create it first with a PUT on /customers).' },
    ]);
    const refused = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { kind: 'credit_note', contract: theirs.number, corrects: theirInvoice }));
    expect(expectProblem(refused, 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([
      ['contract', 'unknown'],
      ['corrects', 'unknown'],
    ]);
    expect(await row(number)).toBeUndefined();
  });

  it('stores the ERP’s PDF as the document of record and serves it to the customer byte for byte; a published document no longer changes', async () => {
    const { key, client } = await apiClientWith(t, ['documents:write', 'documents:read']);
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const number = newNumber();
    const pdf = erpPdf(number);
    const res = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { published: true, pdf: pdf.toString('base64') }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ published: true, portal: { published_at: t.clock.now().toISOString(), pdf_sha256: sha256Hex(pdf), remaining_cents: 26000 } });
    expect(await accountBalance(t.db, customer.id)).toBe(26000);

    const b = await loggedInBrowser(t.app, '198.51.100.120', customer.number, password);
    const served = await b.get(`/mon-compte/documents/${number}.pdf`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toContain('application/pdf');
    expect(served.rawPayload.equals(pdf)).toBe(true);

    // The same document again — with or without its PDF — changes nothing.
    t.clock.advance(60_000);
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { published: true, pdf: pdf.toString('base64') }))).json()).toMatchObject({ unchanged: true });
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { published: true }))).json()).toMatchObject({ unchanged: true });
    const trail = await audits(customer.id);
    // Written at the same instant: their order in the log is not theirs.
    expect(trail.map((a) => a.action).sort()).toEqual(['document.create', 'document.publish']);
    expect(JSON.parse(trail.find((a) => a.action === 'document.publish')!.details!)).toMatchObject({ client: client.name, number, pdf: 'erp' });

    // Its amounts, its PDF, its publication: frozen, each named.
    const changed = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { published: false, ...figures([{ unit_price_ht_cents: 20000 }]), pdf: erpPdf('autre').toString('base64') }));
    expect(expectProblem(changed, 409, 'api_conflict').errors!.map((e) => [e.field, e.code])).toEqual([
      ['published', 'published'],
      ['total_ht_cents', 'published'],
      ['total_vat_cents', 'published'],
      ['total_ttc_cents', 'published'],
      ['lines[0].unit_price_ht_cents', 'published'],
      ['lines[0].total_ht_cents', 'published'],
      ['lines[0].total_vat_cents', 'published'],
      ['lines[0].total_ttc_cents', 'published'],
      ['pdf', 'published'],
    ]);
    expect((await row(number))!.total_ttc_cents).toBe(26000);
    expect((await b.get(`/mon-compte/documents/${number}.pdf`)).rawPayload.equals(pdf)).toBe(true);
  });

  it('refuses a file that is not a PDF, and one too large', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    const number = newNumber();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(expectProblem(await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { pdf: png.toString('base64') })), 422, 'validation_failed').errors).toEqual([
      { field: 'pdf', in: 'body', code: 'format', message: 'Not a PDF (it does not start with %PDF-).' },
    ]);
    const big = Buffer.concat([erpPdf(), Buffer.alloc(DOCUMENT_PDF_MAX_BYTES)]);
    expect(expectProblem(await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { pdf: big.toString('base64') })), 422, 'validation_failed').errors).toEqual([
      { field: 'pdf', in: 'body', code: 'too_big', message: 'A PDF of at most 5 MiB.' },
    ]);
    // Beyond the route's body limit: refused before it is read.
    expectProblem(await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { pdf: Buffer.concat([big, big]).toString('base64') })), 413, 'payload_too_large');
    expect(await row(number)).toBeUndefined();
  });

  it('renders the PDF when the ERP sends none, with the temporary password of a customer without an account', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    const number = newNumber();
    // A draft first: nothing rendered, nothing shown.
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number))).statusCode).toBe(201);
    expect((await row(number))!.pdf_sha256).toBeNull();
    const published = await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { published: true }));
    expect(published.statusCode, published.body).toBe(200);
    const sha = (published.json() as { portal: { pdf_sha256: string } }).portal.pdf_sha256;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const bytes = (await t.app.storage.get(sha))!;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The invoice carries the customer's first temporary password.
    expect(await t.db.selectFrom('customer_logins').select('state').where('customer_id', '=', customer.id).executeTakeFirst()).toEqual({ state: 'not_activated' });
    // Published again as sent: nothing changes (the PDF rendered stays).
    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { published: true, pdf: null }))).json()).toMatchObject({ unchanged: true, portal: { pdf_sha256: sha } });
  });

  it('has the "new document" notice queued for a paperless customer once published, not for a draft', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const since = '2026-01-01T00:00:00.000Z';
    const address = `paperless.${serial}@example.org`;
    const customer = await createCustomer(t.db, t.clock, { paperless: 1, paperless_changed_at: since, ...emailColumns(address, null, since) });
    const outbox = () => t.db.selectFrom('outbox').select(['template', 'subject']).where('recipient', '=', address).execute();
    const number = newNumber();
    await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { pdf: erpPdf().toString('base64') }));
    t.clock.advance(NOTIFY_GRACE_MS + 1000);
    await queueDocumentNotifications(t.db, t.clock, t.config);
    expect(await outbox()).toEqual([]);

    expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number, { published: true }))).json()).toMatchObject({ published: true, portal: { pdf_sha256: sha256Hex(erpPdf()) } });
    t.clock.advance(NOTIFY_GRACE_MS + 1000);
    await queueDocumentNotifications(t.db, t.clock, t.config);
    expect(await outbox()).toEqual([{ template: 'documents', subject: 'Un nouveau document est disponible dans votre espace client' }]);
  });

  it('takes a credit note correcting a published invoice, which lowers the balance', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    const invoice = newNumber();
    const credit = newNumber();
    await api(t, key, 'PUT', `${base}/${invoice}`, body(customer.number));
    // Publishing a credit note for a draft invoice is refused.
    const early = await api(t, key, 'PUT', `${base}/${credit}`, body(customer.number, { kind: 'credit_note', corrects: invoice, published: true, ...figures([{ unit_price_ht_cents: 1000 }]) }));
    expect(expectProblem(early, 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([['corrects', 'not_published']]);
    await api(t, key, 'PUT', `${base}/${invoice}`, body(customer.number, { published: true, pdf: erpPdf().toString('base64') }));
    const res = await api(t, key, 'PUT', `${base}/${credit}`, body(customer.number, { kind: 'credit_note', corrects: invoice, published: true, ...figures([{ unit_price_ht_cents: 1000 }]) }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'credit_note', corrects: invoice, portal: { remaining_cents: -1200 } });
    expect(await accountBalance(t.db, customer.id)).toBe(26000 - 1200);
  });

  it('pages through every document to the end, each once, and through one customer’s', async () => {
    const { key } = await apiClientWith(t, ['documents:write', 'documents:read']);
    const customer = await createCustomer(t.db, t.clock);
    const mine = Array.from({ length: 5 }, () => newNumber());
    for (const number of mine) expect((await api(t, key, 'PUT', `${base}/${number}`, body(customer.number))).statusCode).toBe(201);
    const walk = async (customer?: string) => (await allPages<{ number: string }>(t, key, customer ? `${base}?customer=${customer}` : base)).map((i) => i.number);
    const all = await walk();
    const total = Number((await t.db.selectFrom('financial_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    expect(all).toEqual(expect.arrayContaining(mine));
    expect(await walk(customer.number)).toEqual([...mine].sort());
    const bad = expectProblem(await api(t, key, 'GET', `${base}?cursor=nonsense&customer=x y`), 422, 'validation_failed');
    expect(bad.errors!.map((e) => [e.field, e.in])).toEqual([['customer', 'query']]);
    expectProblem(await api(t, key, 'GET', `${base}?cursor=nonsense`), 422, 'validation_failed');
  });
});

describe.each(databaseKinds())('batches of documents in the API (%s)', (kind) => {
  const t = useTestApp(kind);
  const count = (numbers: string[]) =>
    t.db
      .selectFrom('financial_documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('number', 'in', numbers)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));

  it('writes nothing from a batch of 1,000 with bad items, naming each by its index and field; a good batch writes all, once', async () => {
    const { key, client } = await apiClientWith(t, ['documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    const items = Array.from({ length: 1000 }, () => ({ number: newNumber(), ...body(customer.number) }));
    const numbers = items.map((i) => i.number);
    const withBad = items.map((item, i) =>
      i === 17
        ? { ...item, lines: [{ ...item.lines[0], vat_rate_bp: -5 }] }
        : i === 640
          ? { ...item, customer: 'NOBODY42' }
          : i === 999
            ? { ...item, total_ttc_cents: item.total_ttc_cents + 1 }
            : item,
    );
    const refused = expectProblem(await api(t, key, 'POST', batches, { items: withBad }), 422, 'validation_failed');
    expect(refused.errors!.map((e) => [e.field, e.code])).toEqual([
      ['items[17].lines[0].vat_rate_bp', 'too_small'],
      ['items[640].customer', 'unknown'],
      ['items[999].total_ttc_cents', 'sum'],
    ]);
    expect(await count(numbers)).toBe(0);
    expect(await t.db.selectFrom('audit_log').select('id').where('actor_id', '=', client.id).where('action', 'like', 'document.%').execute()).toEqual([]);

    const good = await api(t, key, 'POST', batches, { items });
    expect(good.statusCode, good.body.slice(0, 500)).toBe(200);
    const answer = good.json() as { summary: Record<string, number>; items: { index: number; number: string; outcome: string }[] };
    expect(answer.summary).toEqual({ created: 1000, updated: 0, unchanged: 0 });
    expect(answer.items[17]).toEqual({ index: 17, number: numbers[17], outcome: 'created' });
    expect(await count(numbers)).toBe(1000);

    const again = await api(t, key, 'POST', batches, { items });
    expect(again.json()).toMatchObject({ summary: { created: 0, updated: 0, unchanged: 1000 } });
  });

  it('applies a batch in order: publishes with the ERP’s PDFs or rendered ones, and a credit note for an invoice of the same batch', async () => {
    const { key } = await apiClientWith(t, ['documents:write', 'documents:read']);
    const { customer } = await activeSubscriber(t.db, t.clock);
    const [invoice, rendered, credit] = [newNumber(), newNumber(), newNumber()];
    const pdf = erpPdf(invoice);
    const res = await api(t, key, 'POST', batches, {
      items: [
        { number: invoice, ...body(customer.number, { published: true, pdf: pdf.toString('base64') }) },
        { number: rendered, ...body(customer.number, { published: true }) },
        { number: credit, ...body(customer.number, { kind: 'credit_note', corrects: invoice, published: true, ...figures([{ unit_price_ht_cents: 1000 }]) }) },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ summary: { created: 3, updated: 0, unchanged: 0 } });
    expect((await t.app.storage.get(sha256Hex(pdf)))!.equals(pdf)).toBe(true);
    const shas = await t.db.selectFrom('financial_documents').select(['number', 'pdf_sha256']).where('number', 'in', [invoice, rendered, credit]).execute();
    expect(shas.every((d) => d.pdf_sha256 !== null)).toBe(true);
    expect(await accountBalance(t.db, customer.id)).toBe(26000 * 2 - 1200);
  });

  it('refuses a batch whose body is wrong as a whole, or names a document twice', async () => {
    const { key } = await apiClientWith(t, ['documents:write']);
    const customer = await createCustomer(t.db, t.clock);
    expect(expectProblem(await api(t, key, 'POST', batches, {}), 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([['items', 'required']]);
    expect(expectProblem(await api(t, key, 'POST', batches, { items: [] }), 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([['items', 'too_few']]);
    const tooMany = Array.from({ length: 1001 }, () => ({ number: 'X', ...body(customer.number) }));
    expect(expectProblem(await api(t, key, 'POST', batches, { items: tooMany }), 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([['items', 'too_many']]);
    const number = newNumber();
    const twice = await api(t, key, 'POST', batches, { items: [{ number, ...body(customer.number) }, { number, ...body(customer.number) }], more: 1 });
    expect(expectProblem(twice, 422, 'validation_failed').errors!.map((e) => [e.field, e.code])).toEqual([['more', 'unknown']]);
    const dup = await api(t, key, 'POST', batches, { items: [{ number, ...body(customer.number) }, { number, ...body(customer.number) }] });
    expect(expectProblem(dup, 422, 'validation_failed').errors!.map((e) => [e.field, e.code, e.message])).toEqual([['items[1].number', 'duplicate', 'Already in this batch (item 0).']]);
    expect(await count([number])).toBe(0);
  });
});
