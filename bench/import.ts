/*
 * Import and API throughput (issue 12, point 5): documents per second through the bulk import
 * (`npm run portal -- import documents <file.csv>`, the real command line in a process of its
 * own) and through the operator's API (`POST /api/v1/batches/documents`, batches of the
 * largest size allowed, to the real server in a process of its own, from this one).
 *
 *   npx tsx bench/import.ts [--documents 50000] [--customers 10000] [--api-documents 50000]
 *                           [--parallel 4] [--published 500] [--url postgres://…] [--keep]
 *
 * A generated operator: car parks, customers (a tenth businesses), contracts, imported first
 * the same way, then documents — invoices of one to three lines (subscription, badge fee,
 * petit-rouleur discount), a few credit notes correcting an invoice before them — as drafts,
 * the documents' own cost (checks, rows, audit); then `--published` more, published without a
 * PDF, where the portal renders each one (bounded by `bench/pdf.ts`'s rate). Goals: 20,000
 * documents/s through the import on SQLite, 5,000/s through the API. Human-readable lines, then
 * one JSON line per figure. Timings are indicative: another process on the machine slows them.
 * `--keep` leaves the folder (files, SQLite database) for a profile of one step, e.g.
 * `DATABASE_URL=sqlite:<dir>/bench.sqlite node --cpu-prof --import tsx src/main.ts import …`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { documentTotals, lineAmounts } from '../src/lib/money.ts';
import { type Figure, benchArgs, grouped, printFigures, tempDatabase } from './temp-database.ts';
import type { DocumentLine } from '../src/features/documents/documents.rules.ts';

const args = benchArgs({
  documents: { type: 'string', default: '50000' },
  customers: { type: 'string', default: '10000' },
  'api-documents': { type: 'string', default: '50000' },
  parallel: { type: 'string', default: '4' },
  published: { type: 'string', default: '500' },
  keep: { type: 'boolean', default: false },
});
const DOCUMENTS = Number(args.documents);
const CUSTOMERS = Number(args.customers);
const API_DOCUMENTS = Number(args['api-documents']);
const PARALLEL = Number(args.parallel);
const PUBLISHED = Number(args.published);
const BATCH = 1000; // BATCH_MAX_ITEMS (lib/api-batch.ts)
const ROOT = join(import.meta.dirname, '..');

// ------------------------------------------------------------------ a generated operator

/** The same data every run. */
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const LAST = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU', 'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA'];
const FIRST = ['Jean', 'Marie', 'Pierre', 'Sophie', 'François', 'Hélène', 'Luc', 'Anne', 'Paul', 'Claire', 'Éric', 'Nathalie'];
const STREETS = ['RUE DES LILAS', 'AVENUE JEAN JAURES', 'BOULEVARD VOLTAIRE', 'PLACE DE LA GARE', 'QUAI DES CHARTRONS', 'RUE DE LA PAIX'];
const CITIES: [string, string][] = [['75019', 'PARIS'], ['69007', 'LYON'], ['33000', 'BORDEAUX'], ['13001', 'MARSEILLE'], ['31000', 'TOULOUSE'], ['59000', 'LILLE']];
const PARKS = 60;

/** `1 234,56` from cents, as a French spreadsheet writes an amount. */
const euros = (cents: number) => `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;
/** `dd/mm/yyyy` from `yyyy-mm-dd`. */
const frDate = (iso: string) => iso.split('-').reverse().join('/');
const csv = (header: string[], rows: (string | number)[][]) => `${[header, ...rows].map((r) => r.join(';')).join('\r\n')}\r\n`;

interface Contract {
  number: string;
  customer: string;
  product: 'resident' | 'resident_petit_rouleur' | 'business' | 'moto';
  priceHt: number;
}

function operator() {
  const parks = Array.from({ length: PARKS }, (_, i) => {
    const [postal, city] = pick(CITIES);
    return [`P${String(i + 1).padStart(3, '0')}`, `PARKING ${city} ${i + 1}`, `${1 + (i % 90)} ${pick(STREETS)}`, postal, city, '01 42 00 00 00', '', 'everyone | reception 1-5 08:00-19:00', 'ev_charging', i % 5 === 0 ? 'oui' : 'non'];
  });
  const customers: (string | number)[][] = [];
  const contracts: Contract[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const number = `CLT${String(100000 + i)}`;
    const business = i % 10 === 0;
    const [postal, city] = pick(CITIES);
    const [last, first] = [pick(LAST), pick(FIRST)];
    customers.push([
      number, business ? 'business' : 'individual', pick(['M.', 'Mme']), last, first, business ? `SARL ${last} ${i}` : '', business ? String(100000000 + i) : '',
      `${1 + (i % 120)} ${pick(STREETS)}`, '', postal, city, 'France', `client${i}@example.org`, '', '', '06 12 34 56 78', 'fr', 'non',
    ]);
    const count = business ? 2 + (i % 4) : 1;
    for (let k = 0; k < count; k++) {
      const product = business ? 'business' : i % 7 === 0 ? 'resident_petit_rouleur' : i % 11 === 0 ? 'moto' : 'resident';
      contracts.push({ number: `CTR-${number}-${k + 1}`, customer: number, product, priceHt: product === 'moto' ? 4500 : product === 'business' ? 13500 : 9500 });
    }
  }
  const contractRows = contracts.map((c, i) => [
    c.number, c.customer, `P${String((i % PARKS) + 1).padStart(3, '0')}`, c.product, 'active', '01/01/2021', '', '', 'monthly', euros(c.priceHt), '20', i % 3 === 0 ? 'oui' : 'non',
    `B-${String(i).padStart(6, '0')}`, '', `AB-${String(100 + (i % 900))}-${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i >> 5) % 26))}`, '', '', '', '',
  ]);
  return { parks, customers, contracts, contractRows };
}

type Line = DocumentLine;
interface Doc {
  number: string;
  kind: 'invoice' | 'credit_note';
  customer: string;
  contract: string;
  corrects: string | null;
  issue_date: string;
  period_start: string | null;
  period_end: string | null;
  due_date: string | null;
  lines: Line[];
  total_ht_cents: number;
  total_vat_cents: number;
  total_ttc_cents: number;
  published: boolean;
}

const line = (label: string, quantity: number, unit: number, rate = 2000): Line => ({ label, quantity_milli: quantity, unit_price_ht_cents: unit, vat_rate_bp: rate, ...lineAmounts(unit, quantity, rate) });

/** `count` documents numbered from `prefix`: monthly invoices over the contracts, one in thirty a credit note of the invoice just before it. */
function documents(contracts: Contract[], prefix: string, count: number, published: boolean): Doc[] {
  const docs: Doc[] = [];
  const byNumber = new Map(contracts.map((c) => [c.number, c]));
  for (let i = 0; i < count; i++) {
    const previous = docs[i - 1];
    const creditNote = i % 30 === 29 && previous?.kind === 'invoice';
    const c = (creditNote ? byNumber.get(previous.contract) : contracts[i % contracts.length]) as Contract;
    const month = (Math.floor(i / contracts.length) % 60) + 1; // five years of months from 2021
    const [y, m] = [2021 + Math.floor((month - 1) / 12), ((month - 1) % 12) + 1];
    const first = `${y}-${String(m).padStart(2, '0')}-01`;
    const last = `${y}-${String(m).padStart(2, '0')}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
    let lines: Line[];
    let kind: Doc['kind'] = 'invoice';
    let corrects: string | null = null;
    if (creditNote) {
      kind = 'credit_note';
      corrects = previous.number;
      lines = [line(`Avoir sur ${previous.lines[0]!.label}`, 1000, Math.round(previous.lines[0]!.unit_price_ht_cents / 4))];
    } else {
      lines = [line(`Abonnement ${c.product === 'moto' ? 'moto' : 'résident'} ${String(m).padStart(2, '0')}/${y}`, 1000, c.priceHt)];
      if (i % 9 === 0) lines.push(line('Frais de badge', 1000, 833));
      if (c.product === 'resident_petit_rouleur') lines.push(line(`Remise petit rouleur : ${i % 12} sorties, 30 %`, 1000, -Math.round(c.priceHt * 0.3)));
      if (i % 13 === 0) lines.push(line('Badge supplémentaire (prorata 12/31)', 387, 1500));
    }
    const t = documentTotals(lines);
    const doc: Doc = {
      number: `${prefix}${String(i + 1).padStart(7, '0')}`,
      kind,
      customer: c.customer,
      contract: c.number,
      corrects,
      issue_date: first,
      period_start: kind === 'invoice' ? first : null,
      period_end: kind === 'invoice' ? last : null,
      due_date: kind === 'invoice' ? `${first.slice(0, 8)}15` : null,
      lines,
      total_ht_cents: t.total_ht_cents,
      total_vat_cents: t.total_vat_cents,
      total_ttc_cents: t.total_ttc_cents,
      published,
    };
    docs.push(doc);
  }
  return docs;
}

const DOCUMENT_HEADER = 'number;kind;customer;contract;corrects;issue_date;period_start;period_end;due_date;total_ht;total_vat;total_ttc;published;pdf;line_label;line_quantity;line_unit_price_ht;line_vat_rate;line_total_ht;line_total_vat;line_total_ttc'.split(';');
const quantity = (milli: number) => `${Math.trunc(milli / 1000)}${milli % 1000 ? `,${String(milli % 1000).padStart(3, '0').replace(/0+$/, '')}` : ''}`;
const rate = (bp: number) => `${bp / 100}`.replace('.', ',');

/** The documents as the import takes them: a line per document line, the first carrying the document. */
const documentRows = (docs: Doc[]) =>
  docs.flatMap((d) =>
    d.lines.map((l, i) => [
      d.number,
      ...(i === 0
        ? [d.kind, d.customer, d.contract, d.corrects ?? '', frDate(d.issue_date), d.period_start ? frDate(d.period_start) : '', d.period_end ? frDate(d.period_end) : '', d.due_date ? frDate(d.due_date) : '', euros(d.total_ht_cents), euros(d.total_vat_cents), euros(d.total_ttc_cents), d.published ? 'oui' : 'non', '']
        : Array<string>(13).fill('')),
      l.label, quantity(l.quantity_milli), euros(l.unit_price_ht_cents), rate(l.vat_rate_bp), euros(l.total_ht_cents), euros(l.total_vat_cents), euros(l.total_ttc_cents),
    ]),
  );

// ------------------------------------------------------------------ processes

const bench = await tempDatabase(args.url);
const { dir } = bench;
const env = { ...process.env, DATABASE_URL: bench.url, DATA_DIR: join(dir, 'data'), MAIL_WORKER: 'off', LOG_LEVEL: 'warn' };
const portal = (argv: string[], more: Record<string, string> = {}) =>
  spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...argv], { cwd: ROOT, env: { ...env, ...more }, stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs a command of the portal to its end; its output, and how long the process took. */
function run(argv: string[]): Promise<{ out: string; seconds: number }> {
  const started = performance.now();
  const child = portal(argv);
  let out = '';
  child.stdout?.on('data', (c) => (out += c));
  child.stderr?.on('data', (c) => (out += c));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve({ out, seconds: (performance.now() - started) / 1000 }) : reject(new Error(`portal ${argv.join(' ')} exited with ${code}:\n${out.slice(-2000)}`)))),
  );
}

/** Imports a file with the command line; the import's own time (the command prints it) and the process's. */
async function importFile(kind: string, name: string, content: string, items: number) {
  const file = join(dir, name);
  writeFileSync(file, content);
  const r = await run(['import', kind, file]);
  const own = Number(/\(([\d.]+) s, /.exec(r.out)?.[1]);
  const written = Number(/(\d+) written/.exec(r.out)?.[1]);
  if (written !== items) throw new Error(`import ${kind}: ${written} written, ${items} expected:\n${r.out}`);
  // The command says its time to a hundredth of a second.
  const rate = own > 0 ? grouped(items / own) : '-';
  console.log(`import ${kind.padEnd(10)} ${grouped(items).padStart(7)} in ${own.toFixed(1).padStart(5)} s: ${rate.padStart(6)}/s  (process ${r.seconds.toFixed(1)} s)`);
  return { own, process: r.seconds };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let server: ChildProcess | null = null;
try {
  const figures: Figure[] = [];
  const op = operator();
  console.log(`Import and API throughput, ${bench.kind}: ${PARKS} car parks, ${grouped(CUSTOMERS)} customers, ${grouped(op.contracts.length)} contracts`);

  // 1. The import, by the command line.
  await importFile('car-parks', 'car-parks.csv', csv('code;name;address_line;postal_code;city;phone;email;opening_hours;services;petit_rouleur_30'.split(';'), op.parks), PARKS);
  await importFile('customers', 'customers.csv', csv('number;kind;civility;last_name;first_name;company_name;siren;address_line1;address_line2;postal_code;city;country;email_primary;email_secondary;phone;mobile;language;paper_required'.split(';'), op.customers), CUSTOMERS);
  await importFile('contracts', 'contracts.csv', csv('number;customer;car_park;product;state;start_date;end_date;renewal_date;billing_period;price_ht;vat_rate;direct_debit;badge_number;space_label;plate;plate_country;vehicle;plate_from;plate_to'.split(';'), op.contractRows), op.contracts.length);
  const drafts = documents(op.contracts, 'FA', DOCUMENTS, false);
  const lines = drafts.reduce((n, d) => n + d.lines.length, 0);
  const credit = drafts.filter((d) => d.kind === 'credit_note').length;
  const mix = `${grouped(DOCUMENTS)} documents (${grouped(credit)} credit notes, ${(lines / DOCUMENTS).toFixed(2)} lines each) for ${grouped(CUSTOMERS)} customers`;
  const imported = await importFile('documents', 'documents.csv', csv(DOCUMENT_HEADER, documentRows(drafts)), DOCUMENTS);
  figures.push({ name: 'import.documents', value: DOCUMENTS / imported.own, unit: 'docs/s', detail: `portal import documents, drafts: ${mix}; ${bench.kind}; the import's own time (process: ${imported.process.toFixed(1)} s)` });
  if (PUBLISHED > 0) {
    const published = await importFile('documents', 'published.csv', csv(DOCUMENT_HEADER, documentRows(documents(op.contracts, 'FP', PUBLISHED, true))), PUBLISHED);
    figures.push({ name: 'import.documents_published', value: PUBLISHED / published.own, unit: 'docs/s', detail: `portal import documents, published without a PDF: the portal renders and stores each one; ${bench.kind}` });
  }

  // 2. The API: the server in a process of its own, batches of the largest size, PARALLEL at a time (`--api-documents 0`: not measured).
  if (API_DOCUMENTS > 0) {
    const created = await run(['api-clients', 'create', '--name', 'bench', '--scopes', 'documents:write', '--rate-limit', '100000']);
    const key = /pk_\S+/.exec(created.out)?.[0];
    if (!key) throw new Error(`no API key in:\n${created.out}`);
    const port = await freePort();
    const child = portal(['serve'], { HOST: '127.0.0.1', PORT: String(port) });
    server = child;
    child.stdout?.resume();
    let serverOutput = '';
    child.stderr?.on('data', (c) => (serverOutput += c));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the server stopped:\n${serverOutput}`);
      if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
      if (i > 600) throw new Error('the server did not start in 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const apiDocs = documents(op.contracts, 'FX', API_DOCUMENTS, false);
    const bodies: string[] = [];
    for (let i = 0; i < apiDocs.length; i += BATCH) bodies.push(JSON.stringify({ items: apiDocs.slice(i, i + BATCH) }));
    const post = async (body: string) => {
      const r = await fetch(`${base}/api/v1/batches/documents`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
      const answer = (await r.json()) as { summary?: { created: number } };
      if (r.status !== 200) throw new Error(`batch refused (${r.status}): ${JSON.stringify(answer).slice(0, 1000)}`);
      return answer.summary?.created ?? 0;
    };
    await post(JSON.stringify({ items: documents(op.contracts, 'FW', 10, false) })); // warm-up: the route's first request
    let next = 0;
    let createdCount = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < bodies.length) {
          const created = await post(bodies[next++] as string);
          createdCount += created;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (createdCount !== API_DOCUMENTS) throw new Error(`the API created ${createdCount} documents, ${API_DOCUMENTS} expected`);
    const apiRate = API_DOCUMENTS / seconds;
    console.log(`API batches         ${grouped(API_DOCUMENTS).padStart(7)} in ${seconds.toFixed(1).padStart(5)} s: ${grouped(apiRate).padStart(6)}/s  (${bodies.length} batches of ${BATCH}, ${PARALLEL} at a time, ${(bodies[0]!.length / 1024 / 1024).toFixed(1)} MiB each)`);
    figures.push({ name: 'api.documents_batch', value: apiRate, unit: 'docs/s', detail: `POST /api/v1/batches/documents, ${bodies.length} batches of ${BATCH} drafts, ${PARALLEL} in parallel, server in its own process (one), ${bench.kind}` });
  }

  const count = Number((await bench.db.selectFrom('financial_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  console.log(`${grouped(count)} documents in the database; goals: 20 000/s through the import (SQLite), 5 000/s through the API`);
  printFigures(figures);
} finally {
  if (server && server.exitCode === null) {
    const s = server;
    const exited = new Promise((resolve) => s.once('exit', resolve));
    s.kill('SIGTERM');
    await exited;
  }
  if (args.keep) {
    await bench.db.destroy();
    console.error(`kept: ${dir} (${bench.url})`);
  } else await bench.drop();
}
