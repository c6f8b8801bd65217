import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../../tests/support/app.ts';
import { testConfig } from '../../config.ts';
import { type Db, migrateToLatest, openDatabase } from '../../db/database.ts';
import type { Product } from '../../db/schema.ts';
import { manualClock } from '../../lib/clock.ts';
import { documentTotals } from '../../lib/money.ts';
import { verifyPassword } from '../../lib/passwords.ts';
import { accountBalance, documentBalances } from '../account/balance.queries.ts';
import { VERIFICATION_TTL_MS } from '../auth/verify.service.ts';
import { checkIban, isValidRum } from '../direct-debit/direct-debit.rules.ts';
import { openIban } from '../direct-debit/direct-debit.secrets.ts';
import { openTotpSecret } from '../staff/staff.totp.ts';
import { inboxPage } from '../contact/contact.backoffice.queries.ts';
import { findRequest } from '../contact/contact.queries.ts';
import { sniffType } from '../contact/contact.rules.ts';
import { localContentStore, sha256Hex } from '../../lib/content-store.ts';
import { DEMO_ACTIVE_PASSWORD, DEMO_TEMP_PASSWORD, manualContractStart, seedDemo } from './demo.seed.ts';
import { DEMO_ACCOUNTANT, DEMO_BUSINESS_NUMBER } from './demo.users.ts';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from './demo.staff.ts';
import { DEMO_API_KEY } from './demo.api.ts';
import { API_SCOPES } from '../api-clients/api-clients.rules.ts';
import { authenticateKey } from '../api-clients/api-clients.service.ts';

const TODAY = new Date('2026-11-27T10:00:00Z');
const OPTS = { tempPasswordDays: 120 };

const dir = mkdtempSync(join(tmpdir(), 'demo-seed-'));
const opened: Db[] = [];

async function freshDb(name: string): Promise<Db> {
  const db = openDatabase(`sqlite:${join(dir, `${name}.sqlite`)}`);
  opened.push(db);
  await migrateToLatest(db);
  return db;
}

let db: Db;
let result: { customers: number; documents: number };
/** The database seeded on the tests' day, for the blocks that shadow `db`. */
const outer = () => db;

beforeAll(async () => {
  db = await freshDb('main');
  const started = performance.now();
  result = await seedDemo(db, manualClock(TODAY), OPTS);
  console.log(`seedDemo: ${Math.round(performance.now() - started)} ms, ${JSON.stringify(result)}`);
}, 60_000);

afterAll(async () => {
  for (const d of opened) await d.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Sum of allocations per invoice, with the invoice's total. */
function invoiceBalances(customerId?: string, on: Db = db) {
  return on
    .selectFrom('financial_documents as d')
    .leftJoin('allocations as a', 'a.invoice_id', 'd.id')
    .select((eb) => [
      'd.id',
      'd.number',
      'd.total_ttc_cents',
      eb.fn.coalesce(eb.fn.sum<number>('a.amount_cents'), sql<number>`0`).as('allocated'),
    ])
    .where('d.kind', '=', 'invoice')
    .$if(customerId !== undefined, (qb) => qb.where('d.customer_id', '=', customerId as string))
    .groupBy(['d.id', 'd.number', 'd.total_ttc_cents'])
    .execute();
}

describe('demo seed', () => {
  it('computes the manual contract start from today: 23 days before the end of this month', () => {
    expect(manualContractStart('2026-11-27')).toBe('2026-11-08');
    expect(manualContractStart('2026-12-27')).toBe('2026-12-09');
    expect(manualContractStart('2026-12-01')).toBe('2026-12-09');
    expect(manualContractStart('2027-02-14')).toBe('2027-02-06');
    expect(manualContractStart('2028-02-29')).toBe('2028-02-07');
  });

  it('keeps the manual’s invoice at 212,80 €, his only one, whatever the day', async () => {
    for (const day of ['2026-12-01T08:00:00Z', '2026-12-09T10:00:00Z', '2027-02-28T22:00:00Z', '2027-04-30T10:00:00Z']) {
      const other = await freshDb(`manual-${day.slice(0, 10)}`);
      await seedDemo(other, manualClock(new Date(day)), OPTS);
      const durand = await other.selectFrom('customers').select('id').where('number', '=', 'CLT013261').executeTakeFirstOrThrow();
      const docs = await other.selectFrom('financial_documents').select(['number', 'issue_date', 'period_start', 'period_end', 'total_ttc_cents']).where('customer_id', '=', durand.id).execute();
      const start = manualContractStart(day.slice(0, 10));
      expect(docs, day).toEqual([{ number: '15FV25832', issue_date: start < day.slice(0, 10) ? start : day.slice(0, 10), period_start: start, period_end: docs[0]!.period_end, total_ttc_cents: 21280 }]);
      expect(await accountBalance(other, durand.id)).toBe(21280);
    }
  }, 120_000);

  it('holds the customer of the manual', async () => {
    const c = await db.selectFrom('customers').selectAll().where('number', '=', 'CLT013261').executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      kind: 'individual',
      civility: 'M.',
      last_name: 'DURAND',
      first_name: 'FRANCOIS',
      address_line1: '1 RUE DE LA PAIX',
      postal_code: '75008',
      city: 'PARIS',
      country: 'France',
      language: 'fr',
      paperless: 0,
      email_primary: null,
      email_secondary: null,
    });
    expect(c.phone).toBeTruthy();

    const account = await db.selectFrom('customer_logins').selectAll().where('customer_id', '=', c.id).executeTakeFirstOrThrow();
    expect(account.state).toBe('not_activated');
    expect(account.password_hash).toBeNull();
    expect(account.temp_password_expires_at! > TODAY.toISOString()).toBe(true);
    expect(await verifyPassword(account.temp_password_hash!, DEMO_TEMP_PASSWORD)).toBe(true);

    const contract = await db
      .selectFrom('contracts as k')
      .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
      .select(['k.id', 'k.customer_id', 'k.product', 'k.status', 'k.billing_period', 'k.start_date', 'k.price_ht_cents', 'k.vat_rate_bp', 'k.direct_debit', 'k.badge_number', 'p.code', 'p.name', 'p.phone'])
      .where('k.number', '=', '15CTCARD125')
      .executeTakeFirstOrThrow();
    expect(contract).toMatchObject({
      customer_id: c.id,
      product: 'resident',
      status: 'active',
      billing_period: 'monthly',
      start_date: '2026-11-08',
      price_ht_cents: 21667,
      vat_rate_bp: 2000,
      direct_debit: 0,
      code: 'CARDINET',
      name: 'CARDINET',
      phone: '01.44.82.99.99',
    });
    expect(contract.badge_number).toBeTruthy();
    const vehicles = await db.selectFrom('contract_vehicles').select('plate').where('contract_id', '=', contract.id).execute();
    expect(vehicles.map((v) => v.plate)).toEqual(['AB-123-CD']);

    const invoice = await db.selectFrom('financial_documents').selectAll().where('number', '=', '15FV25832').executeTakeFirstOrThrow();
    expect(invoice).toMatchObject({
      kind: 'invoice',
      customer_id: c.id,
      contract_id: contract.id,
      issue_date: '2026-11-08',
      period_start: '2026-11-08',
      period_end: '2026-11-30',
      due_date: '2026-12-08',
      total_ht_cents: 17733,
      total_vat_cents: 3547,
      total_ttc_cents: 21280,
    });
    // The rest of the month by the day (216,67 € ÷ 31 = 6,99 € HT), and the badge.
    const lines = await db.selectFrom('document_lines').select(['label', 'quantity_milli', 'unit_price_ht_cents']).where('document_id', '=', invoice.id).orderBy('position').execute();
    expect(lines).toEqual([
      { label: 'Abonnement résident CARDINET du 08/11 au 30/11 : 23 jours', quantity_milli: 23_000, unit_price_ht_cents: 699 },
      { label: 'Frais de badge', quantity_milli: 1000, unit_price_ht_cents: 1656 },
    ]);
    const allocations = await db.selectFrom('allocations').select('id').where('invoice_id', '=', invoice.id).execute();
    expect(allocations).toEqual([]);

    // The balance of the manual: 212,80 €, all of it from 15FV25832, his only invoice.
    const balances = await invoiceBalances(c.id);
    expect(balances.map((b) => [b.number, Number(b.total_ttc_cents) - Number(b.allocated)])).toEqual([['15FV25832', 21280]]);
  });

  it('has car parks, among them CARDINET, and the petit-rouleur 30 % variant', async () => {
    const parks = await db.selectFrom('car_parks').selectAll().execute();
    expect(parks.length).toBeGreaterThanOrEqual(6);
    const cardinet = parks.find((p) => p.code === 'CARDINET')!;
    expect(cardinet.postal_code).toBe('75017');
    expect(JSON.parse(cardinet.services)).toContain('ev_charging');
    expect(parks.filter((p) => p.petit_rouleur_30 === 1).length).toBeGreaterThanOrEqual(1);
  });

  it('has enough customers, every product, both account states', async () => {
    expect(result.customers).toBeGreaterThanOrEqual(51);
    const customers = await db.selectFrom('customers').select(['number', 'kind', 'siren', 'company_name']).execute();
    expect(customers.length).toBe(result.customers);
    expect(customers.every((c) => /^CLT\d{6}$/.test(c.number))).toBe(true);
    const businesses = customers.filter((c) => c.kind === 'business');
    expect(businesses.length).toBeGreaterThan(3);
    expect(businesses.every((c) => /^\d{9}$/.test(c.siren ?? '') && c.company_name)).toBe(true);

    const products = await db.selectFrom('contracts').select('product').distinct().execute();
    const expected: Product[] = ['resident', 'resident_petit_rouleur', 'non_resident', 'moto', 'business'];
    expect(products.map((p) => p.product).sort()).toEqual([...expected].sort());
    const ended = await db.selectFrom('contracts').select(['end_date']).where('status', '=', 'ended').execute();
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((k) => k.end_date !== null)).toBe(true);

    const accounts = await db.selectFrom('customer_logins').select(['state', 'password_hash', 'temp_password_expires_at']).execute();
    expect(accounts.length).toBe(result.customers);
    const notActivated = accounts.filter((a) => a.state === 'not_activated');
    const active = accounts.filter((a) => a.state === 'active');
    expect(notActivated.length).toBeGreaterThan(10);
    expect(active.length).toBeGreaterThan(notActivated.length);
    expect(notActivated.every((a) => a.temp_password_expires_at! > TODAY.toISOString())).toBe(true);
    expect(await verifyPassword(active[0]!.password_hash!, DEMO_ACTIVE_PASSWORD)).toBe(true);
  });

  it('has the size the README says', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const m = /\((\d+) customers, about (\d),(\d{3}) invoices and credit notes/.exec(readme);
    expect(m).not.toBeNull();
    expect(result.customers).toBe(Number(m![1]));
    expect(Math.abs(result.documents - Number(`${m![2]}${m![3]}`))).toBeLessThan(100);
  });

  it('gives known logins: an active petit rouleur and an active business', async () => {
    const pr = await db
      .selectFrom('customers as c')
      .innerJoin('customer_logins as a', 'a.customer_id', 'c.id')
      .select(['c.id', 'c.kind', 'c.paperless', 'c.email_primary', 'a.state'])
      .where('c.number', '=', 'CLT013262')
      .executeTakeFirstOrThrow();
    expect(pr).toMatchObject({ kind: 'individual', paperless: 1, state: 'active' });
    expect(pr.email_primary).toMatch(/@example\.(fr|com)$/);
    const consents = await db.selectFrom('paperless_consents').selectAll().where('customer_id', '=', pr.id).execute();
    expect(consents).toMatchObject([{ given: 1, source: 'first_login' }]);
    const prContracts = await db.selectFrom('contracts').select(['product', 'status']).where('customer_id', '=', pr.id).execute();
    expect(prContracts).toContainEqual({ product: 'resident_petit_rouleur', status: 'active' });

    const biz = await db
      .selectFrom('customers as c')
      .innerJoin('customer_logins as a', 'a.customer_id', 'c.id')
      .select(['c.id', 'c.kind', 'a.state'])
      .where('c.number', '=', 'CLT013263')
      .executeTakeFirstOrThrow();
    expect(biz).toMatchObject({ kind: 'business', state: 'active' });
    const bizContracts = await db.selectFrom('contracts').select('product').where('customer_id', '=', biz.id).execute();
    expect(bizContracts.length).toBeGreaterThanOrEqual(2);
    expect(bizContracts.every((k) => k.product === 'business')).toBe(true);
  });

  it('gives the business account an accountant, who logs in with her address and the password the banner prints', async () => {
    const users = await db
      .selectFrom('customer_users as u')
      .innerJoin('customers as c', 'c.id', 'u.customer_id')
      .select(['c.number', 'u.email', 'u.name', 'u.role', 'u.state', 'u.password_hash'])
      .execute();
    expect(users).toMatchObject([{ number: DEMO_BUSINESS_NUMBER, email: DEMO_ACCOUNTANT.email, name: DEMO_ACCOUNTANT.name, role: 'accountant', state: 'active' }]);
    expect(await verifyPassword(users[0]!.password_hash!, DEMO_ACTIVE_PASSWORD)).toBe(true);
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`| \`${DEMO_ACCOUNTANT.email}\` | \`${DEMO_ACTIVE_PASSWORD}\` |`);
  });

  it('has paid, partly paid and unpaid invoices and credit notes, never over-allocated', async () => {
    const balances = await invoiceBalances();
    const paid = balances.filter((b) => Number(b.allocated) === Number(b.total_ttc_cents));
    const partly = balances.filter((b) => Number(b.allocated) > 0 && Number(b.allocated) < Number(b.total_ttc_cents));
    const unpaid = balances.filter((b) => Number(b.allocated) === 0);
    expect(paid.length).toBeGreaterThan(balances.length / 2);
    expect(partly.length).toBeGreaterThan(0);
    expect(unpaid.length).toBeGreaterThan(1);

    const overAllocated = await db
      .selectFrom('financial_documents as d')
      .innerJoin('allocations as a', 'a.invoice_id', 'd.id')
      .select('d.number')
      .groupBy(['d.id', 'd.number', 'd.total_ttc_cents'])
      .having((eb) => eb(eb.fn.sum('a.amount_cents'), '>', eb.ref('d.total_ttc_cents')))
      .execute();
    expect(overAllocated).toEqual([]);

    const creditNotes = await db
      .selectFrom('financial_documents as cn')
      .innerJoin('financial_documents as inv', 'inv.id', 'cn.corrects_document_id')
      .innerJoin('allocations as a', 'a.credit_note_id', 'cn.id')
      .select(['cn.number', 'cn.total_ttc_cents', 'inv.kind as invoice_kind', 'a.invoice_id', 'inv.id as inv_id', 'a.payment_id', 'a.amount_cents'])
      .where('cn.kind', '=', 'credit_note')
      .execute();
    expect(creditNotes.length).toBeGreaterThan(0);
    for (const cn of creditNotes) {
      expect(cn.invoice_kind).toBe('invoice');
      expect(cn.invoice_id).toBe(cn.inv_id);
      expect(cn.payment_id).toBeNull();
      expect(cn.amount_cents).toBe(cn.total_ttc_cents);
    }

    // Allocations never settle anything but an invoice, and payments are never over-spent.
    const wrongTarget = await db
      .selectFrom('allocations as a')
      .innerJoin('financial_documents as d', 'd.id', 'a.invoice_id')
      .select('a.id')
      .where('d.kind', '<>', 'invoice')
      .execute();
    expect(wrongTarget).toEqual([]);
    const overSpent = await db
      .selectFrom('payments as p')
      .innerJoin('allocations as a', 'a.payment_id', 'p.id')
      .select('p.id')
      .groupBy(['p.id', 'p.amount_cents'])
      .having((eb) => eb(eb.fn.sum('a.amount_cents'), '>', eb.ref('p.amount_cents')))
      .execute();
    expect(overSpent).toEqual([]);
    const failedAllocated = await db
      .selectFrom('payments as p')
      .innerJoin('allocations as a', 'a.payment_id', 'p.id')
      .select('p.id')
      .where('p.status', '<>', 'succeeded')
      .execute();
    expect(failedAllocated).toEqual([]);
  });

  it('keeps every document consistent with its lines, numbered uniquely, within 6 years', async () => {
    const docs = await db.selectFrom('financial_documents').selectAll().execute();
    expect(docs.length).toBe(result.documents);
    const lines = await db.selectFrom('document_lines').selectAll().execute();
    const byDoc = new Map<string, typeof lines>();
    for (const l of lines) byDoc.set(l.document_id, [...(byDoc.get(l.document_id) ?? []), l]);
    const oldest = '2020-11-01';
    for (const d of docs) {
      const ls = byDoc.get(d.id) ?? [];
      expect(ls.length, d.number).toBeGreaterThan(0);
      const t = documentTotals(ls);
      expect([d.total_ht_cents, d.total_vat_cents, d.total_ttc_cents], d.number).toEqual([
        t.total_ht_cents,
        t.total_vat_cents,
        t.total_ttc_cents,
      ]);
      expect(d.issue_date >= oldest && d.issue_date <= '2026-11-27', d.number).toBe(true);
      expect(d.published_at?.slice(0, 10)).toBe(d.issue_date);
      expect(d.pdf_sha256).toBeNull();
      if (d.kind === 'invoice') expect(d.due_date! >= d.issue_date).toBe(true);
    }
    expect(new Set(docs.map((d) => d.number)).size).toBe(docs.length);

    // Within a series, numbers follow the issue dates.
    const series = new Map<string, typeof docs>();
    for (const d of docs) {
      if (d.number === '15FV25832') continue;
      const key = d.number.slice(0, 4);
      series.set(key, [...(series.get(key) ?? []), d]);
    }
    for (const list of series.values()) {
      const byNumber = [...list].sort((a, b) => a.number.localeCompare(b.number));
      const dates = byNumber.map((d) => d.issue_date);
      expect(dates).toEqual([...dates].sort());
    }
  });

  it('gives every petit-rouleur contract 24 monthly statements covering every discount bracket', async () => {
    const contracts = await db.selectFrom('contracts').select(['id', 'number']).where('product', '=', 'resident_petit_rouleur').execute();
    expect(contracts.length).toBeGreaterThanOrEqual(5);
    const statements = await db
      .selectFrom('exit_statements as s')
      .innerJoin('contracts as k', 'k.id', 's.contract_id')
      .leftJoin('financial_documents as d', 'd.id', 's.document_id')
      .select(['s.id', 's.contract_id', 's.month', 's.exit_count', 's.document_id', 'd.contract_id as doc_contract_id', 'd.period_start'])
      .where('k.product', '=', 'resident_petit_rouleur')
      .execute();
    for (const k of contracts) {
      const mine = statements.filter((s) => s.contract_id === k.id);
      expect(mine.length, k.number).toBe(24);
      expect(new Set(mine.map((s) => s.month)).size).toBe(24);
      expect(mine.map((s) => s.month).sort()[0]).toBe('2024-11');
      expect(mine.map((s) => s.month).sort()[23]).toBe('2026-10');
    }
    for (const s of statements) {
      expect(s.document_id).not.toBeNull();
      expect(s.doc_contract_id).toBe(s.contract_id);
      expect(s.period_start?.slice(0, 7)).toBe(s.month);
    }
    const counts = new Set(statements.map((s) => s.exit_count));
    for (const n of [0, 3, 4, 5, 6, 10, 14, 15, 20]) expect(counts.has(n), `exit count ${n}`).toBe(true);

    const exits = await db
      .selectFrom('exits as e')
      .innerJoin('exit_statements as s', 's.id', 'e.statement_id')
      .select(['s.id', 's.month', 's.exit_count', 'e.exited_at'])
      .execute();
    expect(exits.length).toBeGreaterThan(0);
    const perStatement = new Map<string, number>();
    for (const e of exits) {
      expect(e.exited_at.slice(0, 7)).toBe(e.month);
      perStatement.set(e.id, (perStatement.get(e.id) ?? 0) + 1);
    }
    for (const s of statements) {
      const n = perStatement.get(s.id);
      if (n !== undefined) expect(n).toBe(s.exit_count);
    }
    const withDetail = statements.filter((s) => s.exit_count > 0 && perStatement.has(s.id)).length;
    expect(withDetail).toBeGreaterThan(statements.filter((s) => s.exit_count > 0).length / 2);
  });

  it('is deterministic for a given clock', async () => {
    const a = await freshDb('a');
    const b = await freshDb('b');
    await seedDemo(a, manualClock(TODAY), OPTS);
    await seedDemo(b, manualClock(TODAY), OPTS);
    const numbers = (d: Db) =>
      d.selectFrom('financial_documents').select(['number', 'issue_date', 'total_ttc_cents']).orderBy('number').execute();
    const na = await numbers(a);
    expect(na.length).toBe(result.documents);
    expect(await numbers(b)).toEqual(na);
    expect(await numbers(db)).toEqual(na);
  }, 60_000);

  it('has an API client whose key, printed by the banner, opens every scope of the API', async () => {
    const check = await authenticateKey(db, manualClock(TODAY), DEMO_API_KEY);
    expect(check.ok && { name: check.client.name, scopes: [...check.client.scopes].sort() }).toEqual({ name: 'erp-demo', scopes: [...API_SCOPES].sort() });
  });

  it('has an admin and an agent of the back office, enrolled with the password and TOTP secrets the banner prints', async () => {
    const staff = await db.selectFrom('staff_members').selectAll().orderBy('email').execute();
    expect(staff.map((m) => [m.email, m.role, m.state])).toEqual([
      ['admin@parkings-demo.example', 'admin', 'active'],
      ['agent@parkings-demo.example', 'agent', 'active'],
    ]);
    for (const m of staff) {
      expect(await verifyPassword(m.password_hash!, DEMO_STAFF_PASSWORD)).toBe(true);
      expect(openTotpSecret(testConfig(), m.totp_secret_encrypted!)).toBe(DEMO_STAFF.find((d) => d.email === m.email)!.totpSecret);
    }
  });
  it('leaves requests in customer service’s inbox: several subjects and ages, one with a PDF, one answered and waiting for CLT013262', async () => {
    const store = localContentStore(join(dir, 'attachments'));
    const withFiles = await freshDb('requests');
    await seedDemo(withFiles, manualClock(TODAY), { ...OPTS, attachments: store });
    const open = await inboxPage(withFiles, { state: 'open' }, 'nobody', TODAY, { limit: 50, offset: 0 });
    expect(open.total).toBeGreaterThanOrEqual(5);
    expect(new Set(open.rows.map((r) => r.category)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(open.rows.map((r) => r.created_at.slice(0, 10))).size).toBe(open.rows.length);
    // The oldest waiting first: new and in progress, then the one waiting for the customer.
    expect(open.rows.map((r) => r.status)).toEqual(['received', 'in_progress', 'received', 'received', 'waiting_customer']);
    expect(open.rows[0]!.customer_number).toBe('CLT013272');
    const all = await inboxPage(withFiles, { state: 'all' }, 'nobody', TODAY, { limit: 50, offset: 0 });
    expect(all.rows.at(-1)!.status).toBe('closed');
    expect(all.rows.every((r) => r.created_at < TODAY.toISOString() && /^DEM-\d{4}-\d{6}$/.test(r.reference))).toBe(true);

    const pr = await withFiles.selectFrom('customers').select('id').where('number', '=', 'CLT013262').executeTakeFirstOrThrow();
    const mine = await withFiles.selectFrom('contact_requests').select(['reference', 'status']).where('customer_id', '=', pr.id).orderBy('created_at').execute();
    expect(mine.map((r) => r.status)).toEqual(['waiting_customer', 'received']);
    // Answered: his "Mes demandes" shows the service's reply.
    const answered = (await findRequest(withFiles, pr.id, mine[0]!.reference))!;
    expect(answered.messages).toMatchObject([{ author_type: 'staff' }]);
    expect(answered.messages[0]!.body).toContain('carte grise');
    // With a small PDF, stored under its SHA-256.
    const withPdf = (await findRequest(withFiles, pr.id, mine[1]!.reference))!;
    expect(withPdf.attachments).toHaveLength(1);
    const pdf = withPdf.attachments[0]!;
    expect([pdf.original_name, pdf.content_type]).toEqual(['releve-sorties.pdf', 'application/pdf']);
    const bytes = (await store.get(pdf.sha256))!;
    expect([sniffType(bytes), sha256Hex(bytes), bytes.length]).toEqual(['application/pdf', pdf.sha256, pdf.size_bytes]);
    expect(bytes.length).toBeLessThan(10_000);
    // The same rows without a store (the other seeds of these tests).
    expect(await db.selectFrom('contact_requests').select('reference').orderBy('reference').execute()).toEqual(
      await withFiles.selectFrom('contact_requests').select('reference').orderBy('reference').execute(),
    );
  }, 60_000);

  it('refuses to seed twice into the same database', async () => {
    await expect(seedDemo(db, manualClock(TODAY), OPTS)).rejects.toThrow(/already/);
  });
});

/*
 * The demo tells stories a customer-service agent would recognise: these invariants hold for
 * every customer of it, whatever the scenario, on the tests' day and on days when the month or
 * the year has just turned (the manual's contract then starts later in the month).
 */
describe.each([TODAY, new Date('2027-01-03T07:00:00Z'), new Date('2027-03-09T18:30:00Z')])('the demo adds up (%s)', (when) => {
  const nowTs = when.toISOString();
  const today = nowTs.slice(0, 10);
  type Tables = Awaited<ReturnType<typeof load>>;
  let d: Tables;
  let db: Db;

  async function load() {
    const [customers, logins, consents, contracts, documents, payments, allocations, mandates, mandateContracts, verifications] = await Promise.all([
      db.selectFrom('customers').selectAll().execute(),
      db.selectFrom('customer_logins').selectAll().execute(),
      db.selectFrom('paperless_consents').selectAll().orderBy('at').execute(),
      db.selectFrom('contracts').selectAll().execute(),
      db.selectFrom('financial_documents').selectAll().execute(),
      db.selectFrom('payments').selectAll().execute(),
      db.selectFrom('allocations').selectAll().execute(),
      db.selectFrom('sepa_mandates').selectAll().execute(),
      db.selectFrom('sepa_mandate_contracts').selectAll().execute(),
      db.selectFrom('email_verifications').selectAll().execute(),
    ]);
    return { customers, logins, consents, contracts, documents, payments, allocations, mandates, mandateContracts, verifications };
  }

  beforeAll(async () => {
    if (when === TODAY) db = outer();
    else {
      db = await freshDb(`adds-up-${today}`);
      await seedDemo(db, manualClock(when), OPTS);
    }
    d = await load();
  }, 60_000);

  const byNumber = (number: string) => d.customers.find((c) => c.number === number)!;
  const paymentTime = (p: { received_at: string | null; created_at: string }) => p.received_at ?? p.created_at;
  /** Whether the customer's paperless consent was in force at `ts` (its latest change before then). */
  const paperlessAt = (customerId: string, ts: string) => d.consents.filter((c) => c.customer_id === customerId && c.at <= ts).at(-1)?.given === 1;
  /** A mandate of the customer covering the contract, in force at `ts`. */
  const mandateCovering = (customerId: string, contractId: string | null, ts: string) =>
    d.mandates.find(
      (m) =>
        m.customer_id === customerId &&
        m.signed_at !== null &&
        m.signed_at <= ts &&
        (m.status === 'active' || (m.status === 'revoked' && m.revoked_at !== null && m.revoked_at > ts)) &&
        (contractId === null || d.mandateContracts.some((mc) => mc.mandate_id === m.id && mc.contract_id === contractId)),
    );

  it('has nothing happen after now', () => {
    for (const p of d.payments) expect(paymentTime(p) <= nowTs, p.id).toBe(true);
    for (const x of d.documents) expect(x.issue_date <= today, x.number).toBe(true);
    for (const c of d.consents) expect(c.at <= nowTs).toBe(true);
    for (const m of d.mandates) expect(m.created_at <= nowTs && (m.signed_at ?? '') <= nowTs, m.rum).toBe(true);
    for (const a of d.logins) expect((a.activated_at ?? '') <= nowTs && (a.last_login_at ?? '') <= nowTs).toBe(true);
  });

  it('takes no online payment without an activated login and paperless consent at the time', () => {
    const card = d.payments.filter((p) => p.method === 'card');
    expect(card.length).toBeGreaterThan(100);
    for (const p of card) {
      const login = d.logins.find((a) => a.customer_id === p.customer_id)!;
      const who = d.customers.find((c) => c.id === p.customer_id)!.number;
      expect(login.state, who).not.toBe('not_activated');
      expect(login.activated_at !== null && login.activated_at <= paymentTime(p), `${who} paid online before activating`).toBe(true);
      expect(paperlessAt(p.customer_id, paymentTime(p)), `${who} paid online without paperless consent`).toBe(true);
    }
    // Paperless consent is given through the portal: never by someone who never logged in.
    for (const c of d.consents) {
      const login = d.logins.find((a) => a.customer_id === c.customer_id)!;
      expect(login.activated_at !== null && login.activated_at <= c.at).toBe(true);
    }
    for (const c of d.customers) expect(c.paperless === 1, c.number).toBe(paperlessAt(c.id, nowTs));
  });

  it('takes no direct debit without an active mandate covering it', () => {
    const debited = d.contracts.filter((k) => k.direct_debit === 1);
    expect(debited.length).toBeGreaterThan(5);
    for (const k of debited) {
      const m = mandateCovering(k.customer_id, k.id, nowTs);
      expect(m?.status, `contract ${k.number} is paid by direct debit`).toBe('active');
    }
    const debits = d.payments.filter((p) => p.method === 'direct_debit');
    expect(debits.filter((p) => p.status === 'succeeded').length).toBeGreaterThan(100);
    for (const p of debits) {
      const t = paymentTime(p);
      const settled = d.allocations.filter((a) => a.payment_id === p.id);
      if (settled.length === 0) expect(mandateCovering(p.customer_id, null, t), `debit ${p.id}`).toBeDefined();
      for (const a of settled) {
        const invoice = d.documents.find((x) => x.id === a.invoice_id)!;
        expect(mandateCovering(p.customer_id, invoice.contract_id, t), `debit of ${invoice.number} on ${t}`).toBeDefined();
      }
    }
  });

  it('gives every customer the balance of their documents minus their payments', async () => {
    const docs = new Map(d.documents.map((x) => [x.id, x]));
    const pays = new Map(d.payments.map((p) => [p.id, p]));
    const allocatedTo = new Map<string, number>();
    const add = (id: string, n: number) => allocatedTo.set(id, (allocatedTo.get(id) ?? 0) + n);
    for (const a of d.allocations) {
      expect((a.payment_id === null) !== (a.credit_note_id === null), a.id).toBe(true);
      expect(a.amount_cents).toBeGreaterThan(0);
      const invoice = docs.get(a.invoice_id)!;
      expect(invoice.kind).toBe('invoice');
      expect(a.created_at.slice(0, 10) >= invoice.issue_date, invoice.number).toBe(true);
      add(a.invoice_id, a.amount_cents);
      if (a.payment_id) {
        const p = pays.get(a.payment_id)!;
        expect([p.status, p.customer_id], invoice.number).toEqual(['succeeded', invoice.customer_id]);
        add(p.id, a.amount_cents);
      } else {
        const cn = docs.get(a.credit_note_id!)!;
        expect([cn.kind, cn.customer_id], cn.number).toEqual(['credit_note', invoice.customer_id]);
        expect(a.created_at.slice(0, 10) >= cn.issue_date, cn.number).toBe(true);
        add(cn.id, a.amount_cents);
      }
    }
    // Nothing settles more than its amount; every payment received is set against invoices.
    for (const x of d.documents) expect(allocatedTo.get(x.id) ?? 0, x.number).toBeLessThanOrEqual(x.total_ttc_cents);
    for (const p of d.payments) expect(allocatedTo.get(p.id) ?? 0, p.id).toBe(p.status === 'succeeded' ? p.amount_cents : 0);
    for (const k of d.documents.filter((x) => x.kind === 'credit_note')) {
      const corrected = docs.get(k.corrects_document_id!)!;
      expect([corrected.kind, corrected.customer_id, corrected.issue_date <= k.issue_date], k.number).toEqual(['invoice', k.customer_id, true]);
    }
    // What the account says is due is what its documents say is due, for every customer.
    for (const c of d.customers) {
      const balance = await accountBalance(db, c.id);
      const perDocument = [...(await documentBalances(db, c.id)).values()].reduce((s, n) => s + n, 0);
      expect(balance, c.number).toBe(perDocument);
    }
  });

  it('gives every mandate a unique, valid RUM, its customer’s contracts, at most one in force per customer', () => {
    expect(d.mandates.length).toBeGreaterThanOrEqual(5);
    expect(new Set(d.mandates.map((m) => m.rum)).size).toBe(d.mandates.length);
    for (const m of d.mandates) {
      expect(isValidRum(m.rum), m.rum).toBe(true);
      // The IBAN opens with the installation's key (the tests' is the development one), a valid one.
      const iban = openIban(testConfig(), m.iban_encrypted);
      expect(checkIban(iban, 'fr'), m.rum).toMatchObject({ ok: true, country: m.iban_country });
      expect(iban.slice(-4)).toBe(m.iban_last4);
      const covered = d.mandateContracts.filter((mc) => mc.mandate_id === m.id);
      expect(covered.length, m.rum).toBeGreaterThan(0);
      for (const mc of covered) expect(d.contracts.find((k) => k.id === mc.contract_id)!.customer_id, m.rum).toBe(m.customer_id);
      // Signed online: by a customer with an activated login and a verified address.
      if (m.signature_evidence !== null) {
        const login = d.logins.find((a) => a.customer_id === m.customer_id)!;
        expect(login.activated_at !== null && login.activated_at <= m.signed_at!, m.rum).toBe(true);
      }
    }
    const inForce = d.mandates.filter((m) => m.status === 'active' || m.status === 'to_validate').map((m) => m.customer_id);
    expect(new Set(inForce).size).toBe(inForce.length);
    expect(d.mandates.some((m) => m.status === 'to_validate')).toBe(true);
  });

  it('numbers documents and contracts with the year they were issued or started (but the manual’s own numbers)', () => {
    for (const x of d.documents) {
      if (x.number === '15FV25832') continue;
      expect(x.number, x.issue_date).toMatch(new RegExp(`^${x.issue_date.slice(2, 4)}${x.kind === 'invoice' ? 'FV' : 'AV'}\\d{5}$`));
    }
    for (const k of d.contracts) {
      if (k.number === '15CTCARD125') continue;
      expect(k.number, k.start_date).toMatch(new RegExp(`^${k.start_date.slice(2, 4)}CT[A-Z]{4}\\d+$`));
    }
  });

  it('leaves no address awaiting verification longer than its link lives', () => {
    const oldest = new Date(when.getTime() - VERIFICATION_TTL_MS).toISOString();
    for (const c of d.customers) {
      for (const [address, verifiedAt] of [
        [c.email_primary, c.email_primary_verified_at],
        [c.email_secondary, c.email_secondary_verified_at],
      ] as const) {
        if (!address) continue;
        if (verifiedAt) {
          expect(verifiedAt <= nowTs, address).toBe(true);
          continue;
        }
        const link = d.verifications.find((v) => v.customer_id === c.id && v.address === address && v.used_at === null && v.expires_at > nowTs);
        expect(link && link.created_at >= oldest, `${c.number}: ${address} awaiting verification`).toBe(true);
      }
    }
  });

  it('has credit notes, the demo logins’ among them', () => {
    const creditNotes = d.documents.filter((x) => x.kind === 'credit_note');
    expect(creditNotes.length).toBeGreaterThanOrEqual(20);
    for (const number of ['CLT013262', 'CLT013263', 'CLT013272']) {
      expect(creditNotes.filter((x) => x.customer_id === byNumber(number).id).length, number).toBeGreaterThan(0);
    }
  });

  it('tells the demo logins’ stories: the new subscriber, the petit rouleur online, the business under mandate, one with something to pay', async () => {
    const durand = byNumber('CLT013261');
    expect(d.documents.filter((x) => x.customer_id === durand.id).map((x) => x.number)).toEqual(['15FV25832']);
    expect(d.payments.filter((p) => p.customer_id === durand.id)).toEqual([]);
    expect(await accountBalance(db, durand.id)).toBe(21280);

    const pr = byNumber('CLT013262');
    const prPayments = d.payments.filter((p) => p.customer_id === pr.id && p.received_at! >= d.logins.find((a) => a.customer_id === pr.id)!.activated_at!);
    expect(prPayments.length).toBeGreaterThan(0);
    expect(new Set(prPayments.map((p) => p.method))).toEqual(new Set(['card']));

    const biz = byNumber('CLT013263');
    const bizMandate = d.mandates.find((m) => m.customer_id === biz.id && m.status === 'active')!;
    expect(bizMandate).toBeDefined();
    const bizDebited = d.contracts.filter((k) => k.customer_id === biz.id && k.direct_debit === 1);
    expect(bizDebited.length).toBeGreaterThanOrEqual(2);
    expect(d.payments.some((p) => p.customer_id === biz.id && p.method === 'direct_debit' && p.status === 'succeeded')).toBe(true);

    const payer = byNumber('CLT013272');
    expect(payer.paperless).toBe(1);
    expect(await accountBalance(db, payer.id)).toBeGreaterThan(0);

    // The README's other examples.
    expect(d.mandates.filter((m) => m.customer_id === byNumber('CLT013270').id).map((m) => m.status)).toEqual(['to_validate']);
    const credit = d.documents.filter((x) => x.customer_id === byNumber('CLT013276').id && x.kind === 'credit_note');
    expect(credit.some((k) => !d.allocations.some((a) => a.credit_note_id === k.id))).toBe(true);
    expect(d.payments.some((p) => p.customer_id === byNumber('CLT013281').id && p.method === 'direct_debit' && p.status === 'failed')).toBe(true);
    const pending = byNumber('CLT013289');
    expect([pending.email_secondary !== null, pending.email_secondary_verified_at]).toEqual([true, null]);
    const counter = byNumber('CLT013265');
    expect([counter.paperless, d.logins.find((a) => a.customer_id === counter.id)!.state]).toEqual([0, 'not_activated']);
    expect(new Set(d.payments.filter((p) => p.customer_id === counter.id).map((p) => p.method)).has('card')).toBe(false);

    // The mandate to validate: its contracts are not debited yet.
    for (const m of d.mandates.filter((x) => x.status === 'to_validate')) {
      for (const mc of d.mandateContracts.filter((x) => x.mandate_id === m.id)) {
        expect(d.contracts.find((k) => k.id === mc.contract_id)!.direct_debit).toBe(0);
      }
    }
  });
});

describe.skipIf(!inject('postgresTemplate'))('demo seed on PostgreSQL', () => {
  it('writes the same data as on SQLite', async () => {
    const { db: pgDb } = await freshDatabase('postgres');
    opened.push(pgDb);
    const started = performance.now();
    const r = await seedDemo(pgDb, manualClock(TODAY), OPTS);
    console.log(`seedDemo on PostgreSQL: ${Math.round(performance.now() - started)} ms, ${JSON.stringify(r)}`);
    expect(r).toEqual(result);
    const docs = (d: Db) =>
      d.selectFrom('financial_documents').select(['number', 'issue_date', 'total_ttc_cents']).orderBy('number').execute();
    expect(await docs(pgDb)).toEqual(await docs(db));
    const balances = async (d: Db) =>
      (await invoiceBalances(undefined, d))
        .map((b) => ({ number: b.number, due: Number(b.total_ttc_cents) - Number(b.allocated) }))
        .sort((a, b) => a.number.localeCompare(b.number));
    expect(await balances(pgDb)).toEqual(await balances(db));
    const stories = async (d: Db) => ({
      payments: await d.selectFrom('payments').select(['id', 'method', 'status', 'amount_cents', 'received_at']).orderBy('id').execute(),
      mandates: await d.selectFrom('sepa_mandates').select(['rum', 'status', 'signed_at']).orderBy('rum').execute(),
      consents: await d.selectFrom('paperless_consents').select(['customer_id', 'given', 'at']).orderBy('id').execute(),
    });
    expect(await stories(pgDb)).toEqual(await stories(db));
  }, 60_000);
});

describe('demo petit-rouleur statements', () => {
  it('record the discount as billed on the invoice that carries it', async () => {
    const { db } = await freshDatabase('sqlite');
    try {
      await seedDemo(db, manualClock(new Date('2026-11-27T10:00:00Z')), { tempPasswordDays: 120 });
      const rows = await db
        .selectFrom('exit_statements as s')
        .innerJoin('document_lines as l', 'l.document_id', 's.document_id')
        .select(['s.discount_ht_cents', 'l.total_ht_cents', 'l.label'])
        .where('l.label', 'like', 'Remise petit rouleur%')
        .execute();
      expect(rows.length).toBeGreaterThan(50);
      for (const r of rows) expect(r.discount_ht_cents, r.label).toBe(-r.total_ht_cents);
    } finally {
      await db.destroy();
    }
  });
});
