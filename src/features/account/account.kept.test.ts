import { describe, expect, it } from 'vitest';
import { type Browser, databaseKinds, loggedInBrowser, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument, insertPayment } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract, insertMandateRow } from '../../../tests/support/factories.ts';
import { newId } from '../../lib/clock.ts';
import { RenderedCache } from '../../lib/rendered-cache.ts';

describe('RenderedCache', () => {
  // An entry counts two bytes a character of its key and its HTML.
  it('keeps entries up to its size, dropping the least recently used first', () => {
    const c = new RenderedCache(2 * 3 * 10);
    c.set('a', 'a'.repeat(9));
    c.set('b', 'b'.repeat(9));
    c.set('c', 'c'.repeat(9));
    expect(c.size).toEqual({ entries: 3, bytes: 60 });
    expect(c.get('a')).toBe('a'.repeat(9)); // now the most recently used
    c.set('d', 'd'.repeat(9));
    expect(c.keys()).toEqual(['c', 'a', 'd']);
    expect(c.get('b')).toBeUndefined();
    expect(c.size).toEqual({ entries: 3, bytes: 60 });
  });

  it('counts a replaced entry once, keeps nothing larger than itself, and nothing at all at 0', () => {
    const c = new RenderedCache(100);
    c.set('k', 'x'.repeat(10));
    c.set('k', 'y'.repeat(20));
    expect(c.size).toEqual({ entries: 1, bytes: 42 });
    expect(c.get('k')).toBe('y'.repeat(20));
    c.set('big', 'z'.repeat(60));
    expect(c.get('big')).toBeUndefined();
    expect(c.get('k')).toBe('y'.repeat(20));
    const none = new RenderedCache(0);
    none.set('k', '');
    expect(none.size).toEqual({ entries: 0, bytes: 0 });
  });
});

/** The page's main content (`<main>`): what is kept; the frame around it (CSRF tokens) is made per request. */
const mainOf = (html: string) => /<main id="main"[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';

describe.each(databaseKinds())('Mon compte kept per account version (%s)', (kind) => {
  const t = useTestApp(kind);
  let n = 0;

  async function account() {
    const ip = `10.77.${kind === 'sqlite' ? 1 : 2}.${++n}`;
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, { paperless: 1, paperless_changed_at: '2026-01-01T00:00:00.000Z' });
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { number: `KEPT${newId().slice(-8)}` });
    const invoice = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `KI${newId().slice(-8)}`, issueDate: '2026-09-01', htCents: 10000 });
    const b = await loggedInBrowser(t.app, ip, customer.number, password);
    return { b, customer, contract, invoice };
  }

  const version = async (customerId: string) =>
    (await t.db.selectFrom('customers').select('account_version').where('id', '=', customerId).executeTakeFirstOrThrow()).account_version;

  /**
   * The page before `change` and after it: after it, the kept page must be the one a fresh
   * render makes (nothing kept, same database), and differ from before — the change shows.
   */
  async function showsAtOnce(b: Browser, change: () => Promise<unknown>, url = '/mon-compte') {
    const before = mainOf((await b.get(url)).body);
    expect(mainOf((await b.get(url)).body)).toBe(before);
    await change();
    const after = mainOf((await b.get(url)).body);
    t.app.renderedPages.clear();
    const fresh = mainOf((await b.get(url)).body);
    expect(after).toBe(fresh);
    expect(after).not.toBe(before);
    return after;
  }

  it('serves a view again from the kept page, under a key of its customer, version, window, language and query', async () => {
    const { b, customer } = await account();
    t.app.renderedPages.clear();
    const first = await b.get('/mon-compte');
    expect(first.statusCode).toBe(200);
    const [key] = t.app.renderedPages.keys();
    expect(JSON.parse(key!)).toEqual(['mon-compte', customer.id, await version(customer.id), expect.any(Number), true, expect.stringMatching(/^\d{4}-\d\d-\d\d$/), 'fr', null, null, null, null, 1]);
    // What the next view sends is what was kept: proof that nothing was read or rendered again.
    t.app.renderedPages.set(key!, '<p>kept</p>');
    expect(mainOf((await b.get('/mon-compte')).body)).toBe('<p>kept</p>');
    // Another query, another page: rendered, kept beside.
    expect(mainOf((await b.get('/mon-compte?type=credit_note')).body)).toContain('id="historique"');
    expect(t.app.renderedPages.size.entries).toBe(2);
  });

  it('shows at once a document published, changed or deleted by a plain SQL statement (the database moves the version)', async () => {
    const { b, customer, contract, invoice } = await account();
    const number = `KN${newId().slice(-8)}`;
    expect(await showsAtOnce(b, () => insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number, issueDate: '2026-10-01', htCents: 5000 }))).toContain(number);
    await showsAtOnce(b, () => t.db.updateTable('financial_documents').set({ pdf_sha256: 'b'.repeat(64) }).where('id', '=', invoice.id).execute());
    await showsAtOnce(b, () => t.db.deleteFrom('document_lines').where('document_id', '=', invoice.id).execute().then(() => t.db.deleteFrom('financial_documents').where('id', '=', invoice.id).execute()));
  });

  it('does not move the version for a draft, which the page does not show, and moves it when the draft is published', async () => {
    const { b, customer, contract } = await account();
    await b.get('/mon-compte');
    const v = await version(customer.id);
    const draft = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `KD${newId().slice(-8)}`, issueDate: '2026-10-01', htCents: 5000 });
    await t.db.updateTable('financial_documents').set({ published_at: null }).where('id', '=', draft.id).execute();
    const afterDraft = await version(customer.id);
    await t.db.updateTable('financial_documents').set({ due_date: '2026-11-01' }).where('id', '=', draft.id).execute();
    expect(await version(customer.id)).toBe(afterDraft);
    expect(afterDraft).toBeGreaterThan(v); // inserted published (the helper), then unpublished: both shown changes
    await showsAtOnce(b, () => t.db.updateTable('financial_documents').set({ published_at: '2026-10-01T08:00:00.000Z' }).where('id', '=', draft.id).execute());
  });

  it('shows at once a payment (pending, set against nothing: only its own row changes), its allocation removed, and its status changed', async () => {
    const { b, customer, invoice } = await account();
    await showsAtOnce(b, () => insertPayment(t.db, customer.id, 2000, [], 'pending'));
    let paymentId = '';
    await showsAtOnce(b, async () => (paymentId = await insertPayment(t.db, customer.id, 3000, [[invoice.id, 3000]])));
    await showsAtOnce(b, () => t.db.deleteFrom('allocations').where('payment_id', '=', paymentId).execute());
    await showsAtOnce(b, () => t.db.updateTable('payments').set({ status: 'failed' }).where('id', '=', paymentId).execute());
  });

  it('shows at once a contract renamed, and a mandate signed, covering a contract, then revoked', async () => {
    const { b, customer, contract } = await account();
    expect(await showsAtOnce(b, () => t.db.updateTable('contracts').set({ number: `KR${contract.number.slice(-8)}` }).where('id', '=', contract.id).execute())).toContain(`KR${contract.number.slice(-8)}`);
    const at = '2026-10-01T08:00:00.000Z';
    let id = '';
    await showsAtOnce(b, async () => (id = await insertMandateRow(t.db, customer.id, at, { status: 'active', signed_at: at, signature_place: 'Paris' })));
    await showsAtOnce(b, () => t.db.insertInto('sepa_mandate_contracts').values({ mandate_id: id, contract_id: contract.id }).execute());
    await showsAtOnce(b, () => t.db.updateTable('sepa_mandates').set({ status: 'revoked', revoked_at: at }).where('id', '=', id).execute());
  });

  it('shows at once the paperless choice withdrawn, the next day’s window, and the other language', async () => {
    // 23:45 in Paris on 26 November: the next day is a quarter of an hour away, inside the session.
    t.clock.set(new Date('2026-11-26T22:45:00Z'));
    const { b, customer } = await account();
    await showsAtOnce(b, () => t.db.updateTable('customers').set({ paperless: 0 }).where('id', '=', customer.id).execute());
    // Without paperless consent the history is twelve months: a document of 2025-11-26 is in it
    // on the 26th (its year is one of the filter's), older than it on the 27th.
    await insertDocument(t.db, { customerId: customer.id, number: `KO${newId().slice(-8)}`, issueDate: '2025-11-26', htCents: 1000 });
    expect(mainOf((await b.get('/mon-compte')).body)).toContain('<option value="2025">');
    t.clock.advance(20 * 60_000);
    const nextDay = await b.get('/mon-compte');
    expect(nextDay.statusCode).toBe(200);
    expect(mainOf(nextDay.body)).toContain('id="historique"');
    expect(mainOf(nextDay.body)).not.toContain('<option value="2025">');
    const token = /name="_csrf" value="([^"]+)"/.exec(nextDay.body)![1]!;
    expect((await b.post('/langue', { _csrf: token, lang: 'en', next: '/mon-compte' })).statusCode).toBe(303);
    expect(mainOf((await b.get('/mon-compte')).body)).toContain('<h1>My account</h1>');
  });

  it('keeps the list’s ZIP and CSV links with their query, and the statement form’s last day until the next day', async () => {
    t.clock.set(new Date('2026-11-26T22:45:00Z'));
    const { b } = await account();
    const filtered = mainOf((await b.get('/mon-compte?type=invoice&annee=2026')).body);
    expect(filtered).toContain('href="/mon-compte/documents.zip?type=invoice&amp;annee=2026"');
    expect(filtered).toContain('href="/mon-compte/documents.csv?type=invoice&amp;annee=2026"');
    expect(mainOf((await b.get('/mon-compte')).body)).toContain('href="/mon-compte/documents.zip"');
    expect(mainOf((await b.get('/mon-compte')).body)).toContain('name="au" type="date" value="2026-11-26"');
    // After midnight in Paris: the kept page is not served any more; a fresh render says the new day.
    t.clock.advance(20 * 60_000);
    const next = mainOf((await b.get('/mon-compte')).body);
    expect(next).toContain('name="au" type="date" value="2026-11-27"');
    t.app.renderedPages.clear();
    expect(mainOf((await b.get('/mon-compte')).body)).toBe(next);
  });

  it('keeps one customer’s page when another customer’s rows change', async () => {
    const one = await account();
    const other = await account();
    await one.b.get('/mon-compte');
    const v = await version(one.customer.id);
    await insertPayment(t.db, other.customer.id, 1000, [[other.invoice.id, 1000]]);
    await t.db.updateTable('contracts').set({ status: 'ended' }).where('id', '=', other.contract.id).execute();
    expect(await version(one.customer.id)).toBe(v);
    expect(await version(other.customer.id)).toBeGreaterThan(0);
  });
});
