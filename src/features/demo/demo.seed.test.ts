import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../../tests/support/app.ts';
import { type Db, migrateToLatest, openDatabase } from '../../db/database.ts';
import type { Product } from '../../db/schema.ts';
import { manualClock } from '../../lib/clock.ts';
import { documentTotals } from '../../lib/money.ts';
import { verifyPassword } from '../../lib/passwords.ts';
import { DEMO_ACTIVE_PASSWORD, DEMO_TEMP_PASSWORD, manualContractStart, seedDemo } from './demo.seed.ts';

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
  it('computes the manual contract start from today', () => {
    expect(manualContractStart('2026-11-27')).toBe('2021-12-09');
    expect(manualContractStart('2026-12-09')).toBe('2021-12-09');
    expect(manualContractStart('2026-12-10')).toBe('2022-12-09');
  });

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
      start_date: '2021-12-09',
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
      issue_date: '2021-12-09',
      period_start: '2021-12-09',
      period_end: '2021-12-31',
      due_date: '2022-01-08',
      total_ht_cents: 17733,
      total_vat_cents: 3547,
      total_ttc_cents: 21280,
    });
    const allocations = await db.selectFrom('allocations').select('id').where('invoice_id', '=', invoice.id).execute();
    expect(allocations).toEqual([]);

    // The balance of the manual: 212,80 €, all of it from 15FV25832.
    const balances = await invoiceBalances(c.id);
    expect(balances.length).toBeGreaterThan(50);
    const due = balances.filter((b) => Number(b.total_ttc_cents) - Number(b.allocated) !== 0);
    expect(due.map((b) => b.number)).toEqual(['15FV25832']);
    expect(balances.reduce((s, b) => s + Number(b.total_ttc_cents) - Number(b.allocated), 0)).toBe(21280);
  });

  it('has car parks, among them CARDINET, and the petit-rouleur 30 % variant', async () => {
    const parks = await db.selectFrom('car_parks').selectAll().execute();
    expect(parks.length).toBeGreaterThanOrEqual(6);
    const cardinet = parks.find((p) => p.code === 'CARDINET')!;
    expect(cardinet.postal_code).toBe('75017');
    expect(JSON.parse(cardinet.services)).toContain('Recharge électrique');
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

  it('refuses to seed twice into the same database', async () => {
    await expect(seedDemo(db, manualClock(TODAY), OPTS)).rejects.toThrow(/already/);
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
