/*
 * Load benchmark of the customer pages on the demo data (SQLite file, one process).
 * Usage: npx tsx bench/pages.ts [seconds=10] [connections=10]
 * Prints requests per second and latency percentiles for each page. Not a test: figures only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.tsx';
import { testConfig } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { DEMO_ACTIVE_PASSWORD, seedDemo } from '../src/features/demo/demo.seed.ts';
import { systemClock } from '../src/lib/clock.ts';
import { localContentStore } from '../src/lib/content-store.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
const db = openDatabase(`sqlite:${join(dir, 'bench.sqlite')}`);
await migrateToLatest(db);
await seedDemo(db, systemClock, { tempPasswordDays: 120 });
const app = await buildApp({ config: testConfig({ DATA_DIR: dir }), db, storage: localContentStore(join(dir, 'documents')) });
const base = await app.listen({ host: '127.0.0.1', port: 0 });

// Log in once as the business customer (4 contracts, ~130 documents) and reuse the session.
const page = await fetch(`${base}/connexion`);
const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
const login = await fetch(`${base}/connexion`, {
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
  body: new URLSearchParams({ _csrf: token, identifiant: 'CLT013263', password: DEMO_ACTIVE_PASSWORD }),
});
const cookie = [csrfCookie, ...login.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');

console.log(`demo data, SQLite, 1 process, ${connections} connections, ${seconds} s per page`);
console.log('page                          req/s    p50 ms   p97.5 ms   p99 ms   non-2xx');
for (const path of ['/connexion', '/profil', '/contrats', '/mon-compte', '/mon-compte?annee=2024&page=2']) {
  // The login page as a visitor sees it; the others as the logged-in customer.
  const r = await autocannon({ url: `${base}${path}`, connections, duration: seconds, headers: path === '/connexion' ? {} : { cookie } });
  console.log(
    `${path.padEnd(28)} ${r.requests.average.toFixed(0).padStart(7)} ${String(r.latency.p50).padStart(9)} ${String(r.latency.p97_5).padStart(10)} ${String(r.latency.p99).padStart(8)} ${String(r.non2xx).padStart(9)}`,
  );
}
await app.close();
await db.destroy();
