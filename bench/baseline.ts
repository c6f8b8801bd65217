/*
 * The baseline of `npm run bench` (bench/run.ts): a bare Fastify server, in a process of its
 * own, whose routes each run the main query of one portal page — the project's own query
 * function, on the same database — and print the rows with a template string. No session, no
 * cookie, no CSRF, no layout, no translation, no security headers: what is left of a page when
 * everything but its main query is taken away. The portal's figure divided by this one is the
 * share of the time the portal spends on what its pages add.
 *
 * Environment: DATABASE_URL, DATA_DIR, BENCH_CUSTOMER (the customer number the pages are of),
 * BENCH_STAFF (the staff e-mail whose inbox is read). Listens on 127.0.0.1, a free port;
 * prints `{"url": …}` once ready.
 */
import { join } from 'node:path';
import Fastify from 'fastify';
import { openDatabase } from '../src/db/database.ts';
import { findDocumentPage, findPublishedDocument } from '../src/features/account/account.queries.ts';
import { historySince } from '../src/features/account/account.rules.ts';
import { PAGE_SIZE } from '../src/features/account/account.views.tsx';
import { inboxPage } from '../src/features/contact/contact.backoffice.queries.ts';
import { findContracts } from '../src/features/contracts/contracts.queries.ts';
import { SEARCH_PAGE_SIZE, searchCustomers } from '../src/features/customers/customers.backoffice.queries.ts';
import { isPaperless } from '../src/features/customers/customers.queries.ts';
import { searchPlan } from '../src/features/customers/customers.rules.ts';
import { readDocumentPdf } from '../src/features/documents/documents.service.ts';
import { findProfile } from '../src/features/profile/profile.queries.ts';
import { parisDate } from '../src/lib/clock.ts';
import { localContentStore } from '../src/lib/content-store.ts';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`bench/baseline.ts: ${name} is required`);
  return v;
};
const db = openDatabase(env('DATABASE_URL'));
const storage = localContentStore(join(env('DATA_DIR'), 'documents'));
const customer = await db.selectFrom('customers').select('id').where('number', '=', env('BENCH_CUSTOMER')).executeTakeFirstOrThrow();
const staff = await db.selectFrom('staff_members').select('id').where('email', '=', env('BENCH_STAFF')).executeTakeFirstOrThrow();
const since = historySince(new Date(), await isPaperless(db, customer.id));

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const html = (rows: readonly object[]) =>
  `<!doctype html><table>${rows.map((r) => `<tr>${Object.values(r).map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</table>`;

const app = Fastify({ logger: false });
app.get('/mon-compte', async (_req, reply) => {
  const page = await findDocumentPage(db, customer.id, { since }, { limit: PAGE_SIZE, offset: 0 });
  return reply.type('text/html').send(`<p>${page.total}</p>${html(page.rows)}`);
});
app.get('/profil', async (_req, reply) => reply.type('text/html').send(html([await findProfile(db, customer.id)])));
app.get('/contrats', async (_req, reply) => reply.type('text/html').send(html(await findContracts(db, customer.id, parisDate(new Date())))));
app.get<{ Params: { number: string } }>('/mon-compte/documents/:number', async (req, reply) => {
  const doc = await findPublishedDocument(db, customer.id, req.params.number.replace(/\.pdf$/, ''));
  if (!doc?.pdf_sha256) return reply.code(404).send('not found');
  return reply.type('application/pdf').send(await readDocumentPdf(storage, doc.pdf_sha256));
});
app.get<{ Querystring: { q?: string } }>('/gestion/clients', async (req, reply) => {
  const plan = searchPlan(req.query.q ?? '');
  if (!plan) return reply.code(400).send('too short');
  const found = await searchCustomers(db, plan, { limit: SEARCH_PAGE_SIZE, offset: 0 });
  return reply.type('text/html').send(`<p>${found.total}</p>${html(found.rows)}`);
});
app.get('/gestion/demandes', async (_req, reply) => {
  const { rows, total } = await inboxPage(db, { state: 'open' }, staff.id, new Date(), { limit: PAGE_SIZE, offset: 0 });
  return reply.type('text/html').send(`<p>${total}</p>${html(rows)}`);
});

// A page's own answer, given once by the bench (PUT), then served from memory: no work at all.
const sameBytes = new Map<string, string>();
app.put<{ Params: { key: string }; Body: string }>('/same-bytes/:key', async (req, reply) => {
  sameBytes.set(req.params.key, req.body);
  return reply.code(204).send();
});
app.get<{ Params: { key: string } }>('/same-bytes/:key', async (req, reply) => {
  const bytes = sameBytes.get(req.params.key);
  return bytes === undefined ? reply.code(404).send('not found') : reply.type('text/html; charset=utf-8').send(bytes);
});

const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
const stop = async () => {
  await app.close();
  await db.destroy();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
