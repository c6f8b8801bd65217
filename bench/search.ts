/*
 * The back office's customer search on the demo data (SQLite file, one process), and
 * optionally on more customers: synthetic ones added to the demo, each with two e-mail
 * addresses, two phones and a contract with a plate (no documents: a document number is one
 * lookup in a unique index, whatever their count).
 * Usage: npx tsx bench/search.ts [--customers 100000] [--runs 20] [--url postgres://…/empty_db]
 * Prints, per query, the results found and the median and slowest time of the search query
 * (page of 50 + count), then of one customer's whole page. Not a test: figures only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Insertable, sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import type { Db } from '../src/db/database.ts';
import type { ContractTable, ContractVehicleTable, CustomerSearchKeyTable, CustomerTable } from '../src/db/schema.ts';
import { SEARCH_PAGE_SIZE, findCustomerFile, searchCustomers } from '../src/features/customers/customers.backoffice.queries.ts';
import { plateKey, searchKeysOf, searchPlan } from '../src/features/customers/customers.rules.ts';
import { seedDemo } from '../src/features/demo/demo.seed.ts';
import { FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, PLATE_LETTERS } from '../src/features/demo/demo.reference.ts';
import { systemClock } from '../src/lib/clock.ts';

const { values: args } = parseArgs({ options: { customers: { type: 'string', default: '0' }, runs: { type: 'string', default: '20' }, url: { type: 'string' } } });
const extra = Number(args.customers);
const runs = Number(args.runs);

const url = args.url ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'portal-bench-search-')), 'bench.sqlite')}`;
const db = openDatabase(url);
await migrateToLatest(db);
const seeded = await seedDemo(db, systemClock, { tempPasswordDays: 120 });
if (extra > 0) await addCustomers(db, extra);

const total = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
const docs = await db.selectFrom('financial_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
const sample = await db
  .selectFrom('contract_vehicles as v')
  .innerJoin('contracts as k', 'k.id', 'v.contract_id')
  .innerJoin('customers as c', 'c.id', 'k.customer_id')
  .select(['v.plate', 'k.number as contract', 'c.email_primary', 'c.mobile_phone'])
  .where('c.email_primary', 'is not', null)
  .where('c.mobile_phone', 'is not', null)
  .where('c.number', 'like', 'CLT%')
  .orderBy('k.number')
  .executeTakeFirstOrThrow();

const queries = [
  'CLT013261',
  'clt013261',
  '15FV25832',
  sample.contract,
  sample.plate,
  sample.plate.replace(/-/g, '').toLowerCase(),
  `${sample.plate.slice(0, 4)}`,
  sample.email_primary!.slice(0, 8),
  sample.mobile_phone!,
  `+33 ${sample.mobile_phone!.slice(1, 7)}`,
  'durand',
  'francois durand',
  'FRANÇOIS',
  'ma',
  'du',
];

const time = async (fn: () => Promise<unknown>) => {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
};

console.log(`${url.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}: ${total.n} customers (demo ${seeded.customers} + ${extra} synthetic), ${docs.n} documents; ${runs} runs per query`);
console.log('query                          found   median ms   max ms');
for (const q of queries) {
  const plan = searchPlan(q)!;
  const page = { limit: SEARCH_PAGE_SIZE, offset: 0 };
  const found = await searchCustomers(db, plan, page);
  const t = await time(() => searchCustomers(db, plan, page));
  console.log(`${JSON.stringify(q).padEnd(30)} ${String(found.total).padStart(6)} ${t.median.toFixed(2).padStart(11)} ${t.max.toFixed(2).padStart(8)}`);
}
for (const number of ['CLT013261', 'CLT013263']) {
  const t = await time(() => findCustomerFile(db, systemClock, number));
  console.log(`${`customer page ${number}`.padEnd(30)} ${''.padStart(6)} ${t.median.toFixed(2).padStart(11)} ${t.max.toFixed(2).padStart(8)}`);
}
await db.destroy();

/** `count` synthetic customers, with their search keys, a contract and a plate each. */
async function addCustomers(db: Db, count: number) {
  const park = await db.selectFrom('car_parks').select('id').executeTakeFirstOrThrow();
  const firsts = [...FIRST_NAMES_M, ...FIRST_NAMES_F];
  const at = new Date().toISOString();
  const letters = PLATE_LETTERS;
  const BATCH = 400;
  for (let start = 0; start < count; start += BATCH) {
    const customers: Insertable<CustomerTable>[] = [];
    const keys: Insertable<CustomerSearchKeyTable>[] = [];
    const contracts: Insertable<ContractTable>[] = [];
    const vehicles: Insertable<ContractVehicleTable>[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const last = LAST_NAMES[i % LAST_NAMES.length]!;
      const first = firsts[Math.floor(i / LAST_NAMES.length) % firsts.length]!;
      const id = `bench-${i}`;
      const row = {
        id, number: `SYN${String(i).padStart(7, '0')}`, kind: 'individual' as const, civility: null, last_name: last, first_name: first, company_name: null, siren: null,
        address_line1: `${i % 200} RUE DU BANC`, address_line2: null, postal_code: '75011', city: 'PARIS', country: 'France',
        phone: `01 ${String(40 + (i % 10))} ${String(i % 100).padStart(2, '0')} ${String(Math.floor(i / 100) % 100).padStart(2, '0')} ${String(Math.floor(i / 10000) % 100).padStart(2, '0')}`,
        mobile_phone: `06 ${String(i % 100).padStart(2, '0')} ${String(Math.floor(i / 100) % 100).padStart(2, '0')} ${String(Math.floor(i / 10000) % 100).padStart(2, '0')} 99`,
        email_primary: `${first.toLowerCase()}.${last.toLowerCase()}.${i}@example.org`, email_primary_verified_at: at,
        email_secondary: `syn${i}@example.net`, email_secondary_verified_at: null,
        paperless: 0, paperless_changed_at: null, language: 'fr' as const, created_at: at, updated_at: at,
      };
      customers.push(row);
      keys.push(...searchKeysOf(row).map((k) => ({ customer_id: id, ...k })));
      contracts.push({
        id: `bench-k-${i}`, number: `SYNK${String(i).padStart(7, '0')}`, customer_id: id, car_park_id: park.id, product: 'resident' as const, status: 'active' as const,
        start_date: '2024-01-01', end_date: null, renewal_date: null, billing_period: 'monthly' as const, price_ht_cents: 20000, vat_rate_bp: 2000, direct_debit: 0,
        badge_number: null, space_label: null, created_at: at,
      });
      const plate = `${letters[i % 23]}${letters[Math.floor(i / 23) % 23]}-${String(i % 1000).padStart(3, '0')}-${letters[Math.floor(i / 529) % 23]}${letters[Math.floor(i / 12167) % 23]}`;
      vehicles.push({ id: `bench-v-${i}`, contract_id: `bench-k-${i}`, plate, plate_key: plateKey(plate), description: null });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('customers').values(customers).execute();
      for (let i = 0; i < keys.length; i += 1000) await trx.insertInto('customer_search_keys').values(keys.slice(i, i + 1000)).execute();
      await trx.insertInto('contracts').values(contracts).execute();
      await trx.insertInto('contract_vehicles').values(vehicles).execute();
    });
  }
  // What a production database keeps up to date by itself (autovacuum / a periodic ANALYZE).
  await sql`analyze`.execute(db);
}
