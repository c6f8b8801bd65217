/*
 * The back office's customer search, query by query: on the demo data (a SQLite file, one
 * process), or on the benchmark dataset (`npm run bench:data`, 100,000 customers) with --data.
 * Usage: npx tsx bench/search.ts [--data bench/.data] [--runs 20]
 * Prints, per query, the results found and the median and slowest time of the search query
 * (page of 50 + count), then of one customer's whole page. Not a test: figures only.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Manifest } from './data.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { SEARCH_PAGE_SIZE, findCustomerFile, searchCustomers } from '../src/features/customers/customers.backoffice.queries.ts';
import { searchPlan } from '../src/features/customers/customers.rules.ts';
import { seedDemo } from '../src/features/demo/demo.seed.ts';
import { systemClock } from '../src/lib/clock.ts';

const { values: args } = parseArgs({ options: { data: { type: 'string' }, runs: { type: 'string', default: '20' } } });
const runs = Number(args.runs);
const manifest: Manifest | null = args.data ? JSON.parse(readFileSync(join(args.data, 'manifest.json'), 'utf8')) : null;

const url = manifest?.databaseUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'portal-bench-search-')), 'bench.sqlite')}`;
const db = openDatabase(url);
if (!manifest) {
  await migrateToLatest(db);
  await seedDemo(db, systemClock, { tempPasswordDays: 120 });
}

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

// The demo's known customer, invoice and names; or the dataset's own terms (a name, a plate, a number, an e-mail prefix).
const known = manifest ? manifest.searchTerms : ['CLT013261', 'clt013261', '15FV25832', 'durand', 'francois durand'];
const queries = [
  ...known,
  sample.contract,
  sample.plate,
  sample.plate.replace(/-/g, '').toLowerCase(),
  `${sample.plate.slice(0, 4)}`,
  sample.email_primary!.slice(0, 8),
  sample.mobile_phone!,
  `+33 ${sample.mobile_phone!.slice(1, 7)}`,
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

console.log(`${url.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}: ${total.n} customers (${manifest ? `dataset ${args.data}` : 'demo'}), ${docs.n} documents; ${runs} runs per query`);
console.log('query                          found   median ms   max ms');
for (const q of queries) {
  const plan = searchPlan(q)!;
  const page = { limit: SEARCH_PAGE_SIZE, offset: 0 };
  const found = await searchCustomers(db, plan, page);
  const t = await time(() => searchCustomers(db, plan, page));
  console.log(`${JSON.stringify(q).padEnd(30)} ${String(found.total).padStart(6)} ${t.median.toFixed(2).padStart(11)} ${t.max.toFixed(2).padStart(8)}`);
}
for (const number of manifest ? [manifest.consumer.number, manifest.customer.number] : ['CLT013261', 'CLT013263']) {
  const t = await time(() => findCustomerFile(db, systemClock, number));
  console.log(`${`customer page ${number}`.padEnd(30)} ${''.padStart(6)} ${t.median.toFixed(2).padStart(11)} ${t.max.toFixed(2).padStart(8)}`);
}
await db.destroy();
