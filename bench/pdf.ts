/*
 * PDF rendering rate (issue 12, point 4): documents per second per core with the portal's own
 * renderer (`renderDocumentPdf`, `features/documents/documents.pdf.ts`) on the demo's documents —
 * invoices of one to several lines, credit notes, petit-rouleur invoices with their month's
 * discount line, individual and business customers —, the operator's logo on each (`--logo no`:
 * without).
 *
 *   npx tsx bench/pdf.ts [--seconds 5] [--logo yes|no] [--url postgres://…]
 *
 * One process, so one core: rendering is synchronous JavaScript on the main thread (the
 * content store's writes and fsyncs wait on libuv's threads, they do not compute). Three figures:
 *   pdf.render          bytes out only, from the documents' contents loaded beforehand;
 *   pdf.render_store    rendered and stored in the content store (a file, synced, renamed);
 *   pdf.publish         the publication path (`publishPendingPdfs`): each document claimed,
 *                       read, rendered, stored and recorded in a transaction of its own.
 * Human-readable lines, then one JSON line per figure. Timings are indicative: another process
 * on the machine slows them down.
 */
import { join } from 'node:path';
import { testConfig } from '../src/config.ts';
import { seedDemo } from '../src/features/demo/demo.seed.ts';
import type { DocumentPdfInput } from '../src/features/documents/documents.pdf.ts';
import { renderDocumentPdf } from '../src/features/documents/documents.pdf.ts';
import { documentPdfInputs, publishPendingPdfs } from '../src/features/documents/documents.service.ts';
import { seedOperatorSettings } from '../src/features/settings/settings.service.ts';
import { systemClock } from '../src/lib/clock.ts';
import { contentStore, localContentStore } from '../src/lib/content-store.ts';
import { type Figure, benchArgs, grouped, printFigures, sampleLogo, tempDatabase } from './temp-database.ts';

const args = benchArgs({ seconds: { type: 'string', default: '5' }, logo: { type: 'string', default: 'yes' } });
const seconds = Number(args.seconds);
const withLogo = args.logo !== 'no';

const bench = await tempDatabase(args.url);
const { db, dir } = bench;
try {
  const config = testConfig({ DATA_DIR: dir });
  await seedOperatorSettings(db, systemClock, config);
  if (withLogo) {
    const sha = await contentStore(config, 'assets').put(sampleLogo());
    await db.updateTable('operator_settings').set({ logo_sha256: sha, logo_type: 'image/png' }).where('id', '=', 1).execute();
  }
  const seeded = await seedDemo(db, systemClock, { tempPasswordDays: config.TEMP_PASSWORD_DAYS, mandateKey: config.mandateKey });
  const ids = (await db.selectFrom('financial_documents').select('id').orderBy('issue_date').orderBy('number').execute()).map((r) => r.id);
  const inputs: DocumentPdfInput[] = [];
  for (let i = 0; i < ids.length; i += 500) inputs.push(...(await documentPdfInputs(db, config, ids.slice(i, i + 500))));

  const credit = inputs.filter((d) => d.document.kind === 'credit_note').length;
  const rouleur = inputs.filter((d) => d.document.lines.some((l) => /petit rouleur/i.test(l.label))).length;
  const business = inputs.filter((d) => d.customer.kind === 'business').length;
  const lines = inputs.reduce((n, d) => n + d.document.lines.length, 0);
  const mix = `${grouped(inputs.length)} demo documents: ${grouped(inputs.length - credit)} invoices (${rouleur} petit-rouleur with a discount line), ${credit} credit notes, ${business} to businesses, ${(lines / inputs.length).toFixed(1)} lines on average${withLogo ? ', a 360×120 PNG logo' : ', no logo'}`;
  console.log(`PDF rendering, one process (one core), ${bench.kind}, ${seeded.customers} customers`);
  console.log(mix);

  const figures: Figure[] = [];
  /** Runs `step(i)` for `seconds` (after a second's warm-up when asked); documents per second of wall time and per CPU-second. */
  const measure = async (step: (i: number) => Promise<unknown>, warmUp: boolean) => {
    if (warmUp) for (let i = 0, t = performance.now(); performance.now() - t < 1000; i++) await step(i);
    const cpu = process.cpuUsage();
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < seconds * 1000) await step(n++);
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { n, perSecond: n / wall, perCpuSecond: n / ((used.user + used.system) / 1e6) };
  };

  // 1. Bytes out only.
  let bytes = 0;
  const render = await measure(async (i) => {
    bytes += (await renderDocumentPdf(inputs[i % inputs.length] as DocumentPdfInput)).length;
  }, true);
  const avgKb = bytes / render.n / 1024;
  console.log(`render only          ${grouped(render.perSecond).padStart(6)} docs/s  (${grouped(render.perCpuSecond)} per CPU-second, ${render.n} documents, ${avgKb.toFixed(1)} KiB each)`);
  figures.push({ name: 'pdf.render', value: render.perSecond, unit: 'docs/s', detail: `renderDocumentPdf only, one process (one core), ${mix}` });

  // 2. Rendered and stored: each document once (a second round renumbers them, so that every file is new).
  const storage = localContentStore(join(dir, 'stored'));
  const stored = await measure(async (i) => {
    const input = inputs[i % inputs.length] as DocumentPdfInput;
    const round = Math.floor(i / inputs.length);
    const doc = round === 0 ? input : { ...input, document: { ...input.document, number: `${input.document.number}-${round}` } };
    await storage.put(await renderDocumentPdf(doc));
  }, false);
  console.log(`render + store       ${grouped(stored.perSecond).padStart(6)} docs/s  (${grouped(stored.perCpuSecond)} per CPU-second, ${stored.n} documents into the local content store)`);
  figures.push({ name: 'pdf.render_store', value: stored.perSecond, unit: 'docs/s', detail: `renderDocumentPdf then the local content store's put (write, fsync, rename), one process, ${bench.kind}` });

  // 3. The publication path, every demo document once.
  const cpu = process.cpuUsage();
  const started = performance.now();
  const published = await publishPendingPdfs(db, localContentStore(join(dir, 'documents')), systemClock, config);
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const publishRate = published.published / wall;
  console.log(
    `publish (claim, read, render, store, record)  ${grouped(publishRate)} docs/s  (${grouped(published.published / ((used.user + used.system) / 1e6))} per CPU-second, ${published.published} published, ${published.failed.length} failed, ${published.credentialsIssued} with a temporary password)`,
  );
  figures.push({ name: 'pdf.publish', value: publishRate, unit: 'docs/s', detail: `publishPendingPdfs over the ${published.published} demo documents, a transaction each, one process, ${bench.kind}` });

  console.log(`goal: at least 300 documents per second per core (issue 12)`);
  printFigures(figures);
} finally {
  await bench.drop();
}
