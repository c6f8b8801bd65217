import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, generateDataset } from '../bench/data.ts';
import { TABLE_ORDER } from '../bench/data.sink.ts';
import { buildApp } from '../src/app.tsx';
import { type Config, testConfig } from '../src/config.ts';
import { type Db, openDatabase } from '../src/db/database.ts';
import { BALANCE_OF_CUSTOMER, SETTLED_OF_DOCUMENT } from '../src/db/migrations/020_settled_amounts.ts';
import { accountBalance } from '../src/features/account/balance.queries.ts';
import { manualClock } from '../src/lib/clock.ts';
import { Browser, TEST_START, databaseKinds, freshDatabase, loggedInBrowser } from './support/app.ts';
import { totpCode } from './support/staff.ts';
import { watchAnswers } from './support/wording.ts';

/*
 * `npm run bench:data` (bench/data.ts) at a small size: the data it writes hold together
 * (foreign keys, proportions, the balance each customer owes), and the portal serves it — the
 * benchmark customer logs in and downloads a PDF, the back office finds customers, the
 * manifest names all the benchmark harness reads. Never a timing.
 */

const CUSTOMERS = 300;
const YEARS = 2;
const silent = { isTTY: false, write: () => true };

const count = async (db: Db, table: string, where = sql`1 = 1`) =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(db)).rows[0]!.n);

describe.each(databaseKinds())('the benchmark dataset (%s)', (kind) => {
  const clock = manualClock(TEST_START);
  let out: string;
  let url: string;
  let config: Config;
  let data: Dataset;
  let db: Db;
  let app: FastifyInstance;
  const wording: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'portal-bench-data-'));
    if (kind === 'postgres') {
      const fresh = await freshDatabase('postgres');
      await fresh.db.destroy();
      url = fresh.url;
    } else {
      url = `sqlite:${join(out, 'portal.sqlite')}`;
    }
    config = testConfig({ DATA_DIR: out, DATABASE_URL: url });
    data = await generateDataset({ config, customers: CUSTOMERS, years: YEARS, clock, out: silent });
    db = openDatabase(url);
    app = await buildApp({ config, db, clock });
    watchAnswers(app, wording);
    await app.ready();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    expect(wording, 'the words of the pages').toEqual([]);
  });

  it('writes a manifest with every field the benchmark harness reads', () => {
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m).toEqual(data.manifest);
    expect(m).toMatchObject({
      databaseUrl: url,
      dataDir: out,
      customer: { number: expect.stringMatching(/^CLT\d+$/), password: expect.any(String) },
      consumer: { number: expect.stringMatching(/^CLT\d+$/), password: expect.any(String) },
      staff: { email: expect.stringContaining('@'), password: expect.any(String), totpSecret: expect.stringMatching(/^[A-Z2-7]{16,}$/) },
      seconds: expect.any(Number),
      databaseBytes: expect.any(Number),
    });
    expect(m.searchTerms).toHaveLength(4);
    expect(m.databaseBytes).toBeGreaterThan(0);
    for (const table of TABLE_ORDER) expect(m.counts[table], table).toBeGreaterThan(0);
  });

  it('counts what the database holds, in the proportions of an operator', async () => {
    const c = data.manifest.counts;
    for (const table of Object.keys(c)) expect(await count(db, table), table).toBe(c[table]);
    expect(c.customers).toBe(CUSTOMERS);
    expect(c.customer_logins).toBe(CUSTOMERS);
    const businesses = await count(db, 'customers', sql`kind = 'business' and siren is not null`);
    expect(businesses / CUSTOMERS).toBeGreaterThan(0.05);
    expect(businesses / CUSTOMERS).toBeLessThan(0.17);
    expect(c.contracts! / CUSTOMERS).toBeGreaterThan(1.2);
    expect(c.contracts! / CUSTOMERS).toBeLessThan(1.8);
    expect(c.car_parks).toBe(60);
    // A document a month per contract, less what started or ended during the two years.
    const invoices = await count(db, 'financial_documents', sql`kind = 'invoice'`);
    expect(invoices / (c.contracts! * YEARS * 12)).toBeGreaterThan(0.8);
    expect(invoices / (c.contracts! * YEARS * 12)).toBeLessThanOrEqual(1);
    const credits = await count(db, 'financial_documents', sql`kind = 'credit_note'`);
    expect(credits / invoices).toBeGreaterThan(0.003);
    expect(credits / invoices).toBeLessThan(0.04);
    expect(c.document_lines).toBeGreaterThanOrEqual(invoices + credits);
    expect(c.allocations! / invoices).toBeGreaterThan(0.95);
    expect(c.payments! / invoices).toBeGreaterThan(0.5);
    const activated = await count(db, 'customer_logins', sql`state = 'active'`);
    expect(activated / CUSTOMERS).toBeGreaterThan(0.55);
    expect(activated / CUSTOMERS).toBeLessThan(0.85);
    // Every login shares one of two hashes: argon2 ran twice, not once per customer.
    const hashes = await sql<{ n: number }>`select count(distinct coalesce(password_hash, temp_password_hash)) as n from customer_logins`.execute(db);
    expect(Number(hashes.rows[0]!.n)).toBe(2);
    const petitRouleurs = await count(db, 'contracts', sql`product = 'resident_petit_rouleur'`);
    expect(c.exit_statements).toBeGreaterThan(0);
    expect(c.exit_statements).toBeLessThanOrEqual(petitRouleurs * 24);
    expect(c.customer_search_keys! / CUSTOMERS).toBeGreaterThan(3);
  });

  it.runIf(kind === 'sqlite')('holds every foreign key (PostgreSQL checked each row as it arrived)', async () => {
    const broken = await sql`pragma foreign_key_check`.execute(db);
    expect(broken.rows).toEqual([]);
  });

  it('leaves each customer owing what the portal computes as their balance', async () => {
    const customers = await db.selectFrom('customers').select(['id', 'number']).orderBy('number').execute();
    const owing = customers.filter((c) => (data.unpaid.get(c.number) ?? 0) > 0);
    const sample = [...customers.filter((_, i) => i % 10 === 0), ...owing.slice(0, 20)];
    expect(owing.length).toBeGreaterThan(0);
    for (const c of sample) expect(await accountBalance(db, c.id), c.number).toBe(data.unpaid.get(c.number));
    // Nothing is allocated beyond what an invoice is worth.
    const over = await sql`select d.number from financial_documents d join allocations a on a.invoice_id = d.id group by d.id, d.number, d.total_ttc_cents having sum(a.amount_cents) > d.total_ttc_cents`.execute(db);
    expect(over.rows).toEqual([]);
  });

  it('leaves every kept amount equal to its definition, and the triggers that keep them in place', async () => {
    const settled = await sql<{ n: number }>`select count(*) as n from financial_documents where settled_cents <> ${sql.raw(SETTLED_OF_DOCUMENT)}`.execute(db);
    const balances = await sql<{ n: number }>`select count(*) as n from customers where balance_cents <> ${sql.raw(BALANCE_OF_CUSTOMER)}`.execute(db);
    expect([Number(settled.rows[0]!.n), Number(balances.rows[0]!.n)]).toEqual([0, 0]);
    const nonZero = await db.selectFrom('financial_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('settled_cents', '>', 0).executeTakeFirstOrThrow();
    expect(Number(nonZero.n)).toBeGreaterThan(0);
    // Kept again after the load: a new payment moves the balance at once.
    const [c] = await db.selectFrom('customers').select(['id', 'balance_cents']).orderBy('number').limit(1).execute();
    await db.insertInto('payments').values({ id: `bench-check-${c!.id}`, customer_id: c!.id, method: 'transfer', provider: null, provider_reference: null, status: 'succeeded', amount_cents: 1234, received_at: null, created_at: '2026-01-01T00:00:00.000Z' }).execute();
    expect((await db.selectFrom('customers').select('balance_cents').where('id', '=', c!.id).executeTakeFirstOrThrow()).balance_cents).toBe(c!.balance_cents - 1234);
    await db.deleteFrom('payments').where('id', '=', `bench-check-${c!.id}`).execute();
  });

  it('lets the benchmark customer log in, see their documents on Mon compte and download a PDF', async () => {
    const { number, password } = data.manifest.customer;
    const customer = await db.selectFrom('customers').select('id').where('number', '=', number).executeTakeFirstOrThrow();
    expect(await count(db, 'contracts', sql`customer_id = ${customer.id}`)).toBeGreaterThanOrEqual(4);
    // Every document of the benchmark customers has its PDF, rendered and stored.
    expect(await count(db, 'financial_documents', sql`customer_id = ${customer.id} and pdf_sha256 is null`)).toBe(0);
    const latest = await db
      .selectFrom('financial_documents')
      .select(['number', 'pdf_sha256'])
      .where('customer_id', '=', customer.id)
      .orderBy('issue_date', 'desc')
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow();

    const b = await loggedInBrowser(app, '203.0.113.121', number, password);
    const page = await b.get('/mon-compte');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/mon-compte/documents/${latest.number}.pdf`);
    const pdf = await b.get(`/mon-compte/documents/${latest.number}.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const sha = latest.pdf_sha256!;
    expect(pdf.rawPayload.equals(readFileSync(join(out, 'documents', sha.slice(0, 2), `${sha}.pdf`)))).toBe(true);

    const consumer = await loggedInBrowser(app, '203.0.113.122', data.manifest.consumer.number, data.manifest.consumer.password);
    expect((await consumer.get('/mon-compte')).statusCode).toBe(200);
  });

  it('refuses to write into a database that already has customers', async () => {
    await expect(generateDataset({ config, customers: 2, years: 1, clock, out: silent })).rejects.toThrow(`already has ${CUSTOMERS} customers`);
    expect(await count(db, 'customers')).toBe(CUSTOMERS);
  });

  it('lets the staff admin log in and find customers by plate and by name in the back office', async () => {
    const { email, password, totpSecret } = data.manifest.staff;
    const b = new Browser(app, '203.0.113.123');
    const first = await b.submit('/gestion/connexion', '/gestion/connexion', { email, password });
    expect(first.statusCode).toBe(303);
    const second = await b.submit(String(first.headers.location), '/gestion/verification', { code: await totpCode(totpSecret, clock.now()) });
    expect(second.statusCode).toBe(303);

    const [name, plate, number] = data.manifest.searchTerms;
    const byPlate = await b.get(`/gestion/clients?q=${encodeURIComponent(plate)}`);
    expect(byPlate.statusCode).toBe(200);
    expect(byPlate.body).toContain(data.manifest.customer.number);
    const byName = await b.get(`/gestion/clients?q=${encodeURIComponent(name)}`);
    expect(byName.body).toContain(data.manifest.consumer.number);
    const byNumber = await b.get(`/gestion/clients?q=${encodeURIComponent(number)}`);
    expect(byNumber.statusCode).toBeLessThan(400);
  });
});
