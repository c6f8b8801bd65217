/*
 * `npm run bench`: the portal's pages under load, each beside a baseline measured in the same
 * run. Not a test: figures only (the lead copies its Markdown table into docs/performance.md).
 *
 *   npm run bench                              the demo data, seeded into a temporary folder
 *   npm run bench -- --data <dir>              a generated dataset (bench/data.ts): <dir>/manifest.json
 *   npm run bench -- --postgres <url>          also Mon compte with serve --workers 1, 2, 4 on
 *                                              PostgreSQL (a database created on that server for
 *                                              the demo, dropped after; DATABASE_URL works too)
 *   npm run bench -- --profile mon-compte      that page only, the server under --cpu-prof: where
 *                                              the profile landed and its top 15 functions
 *   options: --duration <s> (6) --warmup <s> (2) --connections <n> (32) --pages <a,b>
 *            --log-level <level> (warn) --keep (keep the temporary folder and database)
 *
 * Three kinds of processes, never one measuring itself:
 * - the portal: what production runs, built first (`npm run build`), started by the command of
 *   `npm run start:prod` (`node`, its V8 settings, `dist/main.js serve`); configured by
 *   its environment as in production, except LOG_LEVEL=warn (no two log lines per request;
 *   --log-level changes it) and MAIL_WORKER=off (no background jobs in the measured process:
 *   a `portal worker` runs them in production);
 *   its output goes to <tmp>/server-*.log;
 * - the baseline (bench/baseline.ts): bare Fastify, each route the page's main query, by the
 *   project's own query function, on the same database, printed with a template string; for
 *   Mon compte, also the page's own bytes (fetched once) served from memory, with no work: the
 *   ceiling of any page of that size on the machine;
 * - Mon compte is measured twice: as production runs it (its main content kept per account
 *   version: the load's repeated views are served from it, decision 016), then on a server with
 *   PAGE_CACHE_MB=0, where every request reads and renders (a first view after any change);
 * - the load generator (bench/load.ts, autocannon): a warm-up, the highest rate at
 *   `connections` connections, then p50/p99 at a fixed rate of half that.
 * Any answer of another status than the page's (200; 303 for the login) stops the run: a
 * benchmark of error pages measures nothing. The server's peak RSS (VmHWM) is read after each
 * page's load, reset before it (/proc/<pid>/clear_refs).
 *
 * Other benchmarks join the run through EXTRA_SCRIPTS: each is started when its file exists,
 * once the pages are measured and no server runs, as `tsx <script> --data <dir>` (<dir> holds
 * manifest.json: the demo's temporary folder, or the dataset's), and prints one JSON line per
 * figure on stdout: { "name": …, "value": …, "unit": …, …anything else }. It must leave the
 * dataset as it found it (an import writes into a database of its own).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from 'otplib';
import pg from 'pg';
import { z } from 'zod';
import type { LoadResult, LoadSpec } from './load.ts';
import { freePort } from '../tests/support/net.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');
/** Other figures of the same run (see the header); each prints JSON lines { name, value, unit }. */
const EXTRA_SCRIPTS = ['bench/pdf.ts', 'bench/import.ts'];
const WORKER_COUNTS = [1, 2, 4];

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    postgres: { type: 'string' },
    profile: { type: 'string' },
    pages: { type: 'string' },
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    'log-level': { type: 'string', default: 'warn' },
    keep: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.duration);
const warmupSeconds = Number(args.warmup);
const connections = Number(args.connections);
const logLevel = args['log-level'];

// ---- the dataset: its manifest

const manifestSchema = z.object({
  databaseUrl: z.string().min(1),
  dataDir: z.string().min(1),
  customer: z.object({ number: z.string(), password: z.string() }),
  consumer: z.object({ number: z.string(), password: z.string() }),
  staff: z.object({ email: z.string(), password: z.string(), totpSecret: z.string() }),
  searchTerms: z.array(z.string()).min(1),
});
type Manifest = z.infer<typeof manifestSchema>;

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'portal-bench-'));
const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
let failed = false;

const say = (line: string) => process.stdout.write(`${line}\n`);
/** A database URL or a command line without its password. */
const shown = (text: string) => text.replace(/:\/\/([^:/@\s]+):[^@\s]*@/g, '://$1@');
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
process.once('SIGINT', () => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(130);
});

/** `node --import tsx <args>` (`tsx: false`: plain `node`) from the project's folder, its output to a file or collected. */
function node(argv: string[], env: Record<string, string>, opts: { log?: string; nodeFlags?: string[]; tsx?: boolean } = {}) {
  const fd = opts.log ? openSync(opts.log, 'a') : null;
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...(opts.tsx === false ? [] : ['--import', 'tsx']), ...argv], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
  });
  if (fd !== null) closeSync(fd);
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** Runs a script to its end; its stdout, or throws with its stderr. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const p = node(argv, env);
  const code = await p.exited;
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}:\n${p.err()}${p.out().slice(-2000)}`);
  return p.out();
}


const demoManifest = async (): Promise<Manifest> => {
  const { DEMO_ACTIVE_PASSWORD } = await import('../src/features/demo/demo.seed.ts');
  const { DEMO_STAFF, DEMO_STAFF_PASSWORD } = await import('../src/features/demo/demo.staff.ts');
  const admin = DEMO_STAFF.find((m) => m.role === 'admin')!;
  return {
    databaseUrl: '',
    dataDir: '',
    // CLT013263: the business with four contracts, ~130 documents and a direct-debit mandate; CLT013262: a consumer.
    customer: { number: 'CLT013263', password: DEMO_ACTIVE_PASSWORD },
    consumer: { number: 'CLT013262', password: DEMO_ACTIVE_PASSWORD },
    staff: { email: admin.email, password: DEMO_STAFF_PASSWORD, totpSecret: admin.totpSecret },
    searchTerms: ['durand', 'CLT013263', 'martin', 'leroy'],
  };
};

/** The demo, seeded by the command line (its PDFs rendered) into a folder of its own; its manifest written there. */
async function seedDemo(dir: string, databaseUrl: string): Promise<Manifest> {
  mkdirSync(dir, { recursive: true });
  const t = performance.now();
  await run(['src/main.ts', 'seed', '--demo'], { DATA_DIR: dir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  const manifest = { ...(await demoManifest()), databaseUrl, dataDir: dir };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  say(`demo data seeded into ${shown(databaseUrl)} (${((performance.now() - t) / 1000).toFixed(0)} s, PDFs included)`);
  return manifest;
}

// ---- the portal's server, in its own process

/**
 * Production's server command without `node` (its V8 settings, the built entry point, `serve`),
 * read from `npm run start:prod` (package.json): the bench runs what production runs.
 */
function productionCommand(): { nodeFlags: string[]; argv: string[] } {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'] ?? '';
  const [command, ...rest] = script.trim().split(/\s+/);
  const main = rest.findIndex((a) => a.endsWith('.js'));
  const nodeFlags = rest.slice(0, main);
  if (command !== 'node' || main < 0 || nodeFlags.some((a) => !a.startsWith('--'))) throw new Error(`package.json: start:prod is not \`node [--flags] <built main>.js serve\`: ${script}`);
  return { nodeFlags, argv: rest.slice(main) };
}

/** `npm run build`: the JavaScript the servers run, compiled from the sources as they are now. */
async function build() {
  const t = performance.now();
  const child = spawn('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`npm run build exited ${code}:\n${output}`);
  say(`built (npm run build, ${((performance.now() - t) / 1000).toFixed(0)} s)`);
}

interface Server {
  base: string;
  pid: number;
  log: string;
  stop: () => Promise<number | null>;
}

async function startPortal(m: Manifest, label: string, opts: { workers?: number; nodeFlags?: string[]; env?: Record<string, string> } = {}): Promise<Server> {
  const port = await freePort();
  const log = join(work, `server-${label}.log`);
  const workers = opts.workers ?? 1;
  const env = { DATABASE_URL: m.databaseUrl, DATA_DIR: m.dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: logLevel, MAIL_WORKER: 'off', ...opts.env };
  const prod = productionCommand();
  const p = node([...prod.argv, ...(workers > 1 ? ['--workers', String(workers)] : [])], env, { log, tsx: false, nodeFlags: [...prod.nodeFlags, ...(opts.nodeFlags ?? [])] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (p.child.exitCode !== null) throw new Error(`the server stopped at start (exit ${p.child.exitCode}); its log: ${log}\n${readFileSync(log, 'utf8').slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer in 2 minutes; its log: ${log}`);
    const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    // Several workers: every one listening (the primary says so once they all are).
    if (up && (workers === 1 || readFileSync(log, 'utf8').includes(`(${workers} workers)`))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    p.child.kill('SIGTERM');
    const code = await p.exited;
    if (code !== 0) say(`warning: the server (${label}) exited ${code}; its log: ${log}`);
    return code;
  };
  return { base, pid: p.child.pid!, log, stop };
}

/** The peak RSS of a process (kB → MB), and its reset: the kernel's high-water mark. */
const peakRssMb = (pid: number) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
};
const resetPeakRss = (pid: number) => {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
};

// ---- logging in, as a browser does

class Jar {
  readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]!) < new Date()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(i + 1).trim());
    }
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const tokenOf = (html: string) => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in the page');
  return m[1]!;
};

async function fetchIn(jar: Jar, url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header } });
  jar.take(res);
  return res;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function customerLogin(base: string, who: { number: string; password: string }) {
  const jar = new Jar();
  const token = tokenOf(await (await fetchIn(jar, `${base}/connexion`)).text());
  const res = await fetchIn(jar, `${base}/connexion`, form({ _csrf: token, identifiant: who.number, password: who.password }));
  if (res.status !== 303 || res.headers.get('location') === '/connexion') throw new Error(`login of ${who.number}: ${res.status} ${res.headers.get('location')}`);
  return { jar };
}

async function staffLogin(base: string, who: Manifest['staff']): Promise<Jar> {
  for (let attempt = 1; ; attempt++) {
    const jar = new Jar();
    const token = tokenOf(await (await fetchIn(jar, `${base}/gestion/connexion`)).text());
    const first = await fetchIn(jar, `${base}/gestion/connexion`, form({ _csrf: token, email: who.email, password: who.password }));
    if (first.status !== 303) throw new Error(`staff login of ${who.email}: ${first.status}`);
    const codeToken = tokenOf(await (await fetchIn(jar, `${base}/gestion/verification`)).text());
    const second = await fetchIn(jar, `${base}/gestion/verification`, form({ _csrf: codeToken, code: await generate({ secret: who.totpSecret }) }));
    if (second.status === 303) return jar;
    // A code is accepted once: a login of the same member in the last 30 s (an earlier run) used this one.
    if (attempt === 2) throw new Error(`staff second factor of ${who.email}: ${second.status}`);
    await new Promise((r) => setTimeout(r, 31_000 - (Date.now() % 30_000)));
  }
}

// ---- the pages

interface Page {
  key: string;
  label: string;
  method: 'GET' | 'POST';
  paths: string[];
  headers: Record<string, string>;
  body?: string;
  expect: number[];
  /** The baseline's route for the same main query, when there is one. */
  baseline?: string[];
  /**
   * Also measure the page's own bytes (its answer, fetched once) served from memory by the
   * baseline's server: what the machine, Fastify and the load generator allow any page of
   * that size, whatever it computes — the ceiling its req/s is compared with.
   */
  sameBytes?: boolean;
  /** What a correct answer has (checked once before the load). */
  looksRight: (res: Response, body: string) => boolean;
}

/** Sessions live in the database: one login per database serves every server started on it. */
const logins = new Map<string, Promise<{ customer: Jar; staff: Jar }>>();

async function pagesOf(m: Manifest, server: Server): Promise<{ pages: Page[]; skipped: Record<string, string>; bodies: Map<string, string> }> {
  const { base } = server;
  if (!logins.has(m.databaseUrl)) logins.set(m.databaseUrl, (async () => ({ customer: (await customerLogin(base, m.customer)).jar, staff: await staffLogin(base, m.staff) }))());
  const { customer: customerJar, staff } = await logins.get(m.databaseUrl)!;
  const customer = { jar: customerJar };
  const html = (res: Response) => (res.headers.get('content-type') ?? '').startsWith('text/html');
  const skipped: Record<string, string> = {};
  const account = await (await fetchIn(customer.jar, `${base}/mon-compte`)).text();
  const pdf = /href="(\/mon-compte\/documents\/[^"]+\.pdf)"/.exec(account)?.[1];
  // A login's own CSRF cookie and token, without a session: each POST opens one.
  const visitor = new Jar();
  const loginToken = tokenOf(await (await fetchIn(visitor, `${base}/connexion`)).text());
  const searches = m.searchTerms.map((q) => `/gestion/clients?q=${encodeURIComponent(q)}`);
  const pages: Page[] = [
    { key: 'mon-compte', label: 'Mon compte', method: 'GET', paths: ['/mon-compte'], headers: { cookie: customer.jar.header }, expect: [200], baseline: ['/mon-compte'], sameBytes: true, looksRight: (r, b) => html(r) && b.includes('id="historique"') },
    { key: 'profil', label: 'Profil', method: 'GET', paths: ['/profil'], headers: { cookie: customer.jar.header }, expect: [200], baseline: ['/profil'], looksRight: (r, b) => html(r) && b.includes(m.customer.number) },
    { key: 'contrats', label: 'Contrats', method: 'GET', paths: ['/contrats'], headers: { cookie: customer.jar.header }, expect: [200], baseline: ['/contrats'], looksRight: (r) => html(r) },
    ...(pdf
      ? [{ key: 'pdf', label: `PDF download`, method: 'GET' as const, paths: [pdf], headers: { cookie: customer.jar.header }, expect: [200], baseline: [pdf], looksRight: (r: Response, b: string) => r.headers.get('content-type') === 'application/pdf' && b.startsWith('%PDF') }]
      : []),
    {
      key: 'login',
      label: 'Login POST',
      method: 'POST',
      paths: ['/connexion'],
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.header },
      body: new URLSearchParams({ _csrf: loginToken, identifiant: m.consumer.number, password: m.consumer.password }).toString(),
      expect: [303],
      looksRight: (r) => r.headers.get('location') !== '/connexion' && r.headers.getSetCookie().some((c) => /portal_session=[^;]/.test(c)),
    },
    { key: 'search', label: 'BO customer search', method: 'GET', paths: searches, headers: { cookie: staff.header }, expect: [200], baseline: searches, looksRight: (r, b) => html(r) && b.includes('/gestion/clients/') },
    { key: 'inbox', label: 'BO inbox', method: 'GET', paths: ['/gestion/demandes'], headers: { cookie: staff.header }, expect: [200], baseline: ['/gestion/demandes'], looksRight: (r, b) => html(r) && b.includes('/gestion/demandes/') },
  ];
  if (!pdf) skipped.pdf = 'no PDF link on Mon compte (a dataset without stored PDFs)';
  /** The answer of each page's first path (what `sameBytes` serves). */
  const bodies = new Map<string, string>();
  for (const page of pages) {
    for (const path of page.paths) {
      const res = await fetch(`${base}${path}`, { method: page.method, redirect: 'manual', headers: page.headers, ...(page.body !== undefined ? { body: page.body } : {}) });
      const body = await res.text();
      if (!page.expect.includes(res.status) || !page.looksRight(res, body)) {
        throw new Error(`${page.label}: ${page.method} ${path} answered ${res.status} (expected ${page.expect.join('/')}), not the page it should be:\n${body.slice(0, 600)}`);
      }
      if (!bodies.has(page.key)) bodies.set(page.key, body);
    }
  }
  return { pages, skipped, bodies };
}

/** One load (bench/load.ts in its own process); throws on any answer of another status. */
async function load(label: string, base: string, page: Pick<Page, 'method' | 'paths' | 'headers' | 'body' | 'expect'>, fixedRate?: number, warmup = warmupSeconds): Promise<LoadResult> {
  const spec: LoadSpec = { base, method: page.method, paths: page.paths, headers: page.headers, connections, warmupSeconds: warmup, seconds, expect: page.expect, ...(page.body !== undefined ? { body: page.body } : {}), ...(fixedRate ? { fixedRate } : {}) };
  const out = await run(['bench/load.ts', JSON.stringify(spec)]);
  const result = JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
  for (const [what, m] of [['highest rate', result.max], ['fixed rate', result.fixed]] as const) {
    if (m && m.unexpected > 0) {
      failed = true;
      throw new Error(`${label} (${what}): ${m.unexpected} answers not ${page.expect.join('/')} — statuses ${JSON.stringify(m.statuses)}, ${m.errors} errors, ${m.timeouts} timeouts. A benchmark of error pages is worthless: stopped.`);
    }
  }
  return result;
}

// ---- the run

interface PageResult {
  page: string;
  label: string;
  requestsPerSecond: number;
  baselineRequestsPerSecond: number | null;
  /** The page's bytes served from memory (`sameBytes`). */
  sameBytesRequestsPerSecond: number | null;
  ratio: number | null;
  fixedRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  non2xx: number;
  peakRssMb: number | null;
  statuses: Record<string, number>;
}

const fmt = (n: number | null, digits = 0) => (n === null ? '—' : n.toFixed(digits));

/** `as`: the pages measured under another key and label (the same page on a server set otherwise), without the same-bytes ceiling again. */
async function measurePages(m: Manifest, server: Server, baselineUrl: string | null, only: Set<string> | null, as?: (p: Page) => Pick<Page, 'key' | 'label'>) {
  const { pages: served, skipped, bodies } = await pagesOf(m, server);
  const pages = as ? served.map((p) => ({ ...p, ...as(p), sameBytes: false })) : served;
  const results: PageResult[] = [];
  const rssReset = resetPeakRss(server.pid);
  for (const page of pages) {
    if (only && !only.has(page.key)) continue;
    resetPeakRss(server.pid);
    const r = await load(page.label, server.base, page, 0.5);
    const rss = peakRssMb(server.pid);
    const b = baselineUrl && page.baseline ? (await load(`${page.label} baseline`, baselineUrl, { ...page, paths: page.baseline, headers: {} }, undefined, 1)).max : null;
    let sameBytes: number | null = null;
    if (baselineUrl && page.sameBytes) {
      const bytes = bodies.get(page.key)!;
      const put = await fetch(`${baselineUrl}/same-bytes/${page.key}`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: bytes });
      if (put.status !== 204) throw new Error(`baseline: PUT /same-bytes/${page.key} answered ${put.status}`);
      sameBytes = (await load(`${page.label} same bytes`, baselineUrl, { method: 'GET', paths: [`/same-bytes/${page.key}`], headers: {}, expect: [200] }, undefined, 1)).max.requestsPerSecond;
    }
    const row: PageResult = {
      page: page.key,
      label: page.label,
      requestsPerSecond: r.max.requestsPerSecond,
      baselineRequestsPerSecond: b?.requestsPerSecond ?? null,
      sameBytesRequestsPerSecond: sameBytes,
      ratio: b ? Math.round((r.max.requestsPerSecond / b.requestsPerSecond) * 1000) / 1000 : null,
      fixedRate: r.fixed?.rate ?? null,
      p50Ms: r.fixed?.latencyMs.p50 ?? null,
      p99Ms: r.fixed?.latencyMs.p99 ?? null,
      non2xx: r.max.unexpected + (r.fixed?.unexpected ?? 0),
      peakRssMb: rss,
      statuses: r.max.statuses,
    };
    results.push(row);
    say(
      `  ${row.label.padEnd(20)} ${fmt(row.requestsPerSecond).padStart(7)} req/s  baseline ${fmt(row.baselineRequestsPerSecond).padStart(6)}  ratio ${fmt(row.ratio, 3).padStart(5)}  p50/p99 ${fmt(row.p50Ms, 1)}/${fmt(row.p99Ms, 1)} ms at ${fmt(row.fixedRate)}/s  peak RSS ${fmt(rss)} MB  [${elapsed()}]`,
    );
    if (sameBytes !== null) say(`  ${'  its bytes from memory'.padEnd(20)} ${fmt(sameBytes).padStart(7)} req/s  (its ${bodies.get(page.key)!.length} bytes served by bare Fastify, no work: the ceiling for a page of that size)`);
  }
  return { results, skipped, rssReset };
}

/** Microseconds on the machine's monotonic clock: the one a .cpuprofile's timestamps use. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * The top functions of a .cpuprofile by self time, counting only the samples taken inside
 * `window` (the load, not the start-up) when the profile's clock agrees with ours; `(idle)`
 * (waiting for the next request) is left out of the shares and given apart.
 */
function profileSummary(file: string, window: { fromUs: number; toUs: number }, top = 15) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
    startTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const timeIn = (inWindow: (at: number) => boolean) => {
    const byNode = new Map<number, number>();
    let at = p.startTime;
    p.samples.forEach((id, i) => {
      at += p.timeDeltas[i] ?? 0;
      // A sample stands for the time until the next one.
      const span = p.timeDeltas[i + 1] ?? 0;
      if (inWindow(at)) byNode.set(id, (byNode.get(id) ?? 0) + span);
    });
    return byNode;
  };
  let byNode = timeIn((at) => at >= window.fromUs && at <= window.toUs);
  const windowed = byNode.size > 0;
  if (!windowed) byNode = timeIn(() => true);
  const byFunction = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of byNode) {
    const { functionName, url, lineNumber, columnNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const where = url ? ` ${url.replace(`file://${ROOT}`, '').replace(/^.*node_modules\//, 'node_modules/')}:${lineNumber + 1}:${columnNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const busyUs = [...byFunction.values()].reduce((a, b) => a + b, 0);
  const rows = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ function: fn, selfMs: Math.round(us / 1000), share: Math.round((us / busyUs) * 1000) / 10 }));
  return { windowed, busyMs: Math.round(busyUs / 1000), idleMs: Math.round(idleUs / 1000), rows };
}

async function createPostgresDatabase(serverUrl: string): Promise<string> {
  const name = `portal_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (!args.keep) {
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    });
  }
  return url.toString();
}

async function main() {
  const only = args.pages ? new Set(args.pages.split(',')) : null;
  await build();
  const postgresServer = args.postgres ?? (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined);
  let manifest: Manifest;
  let dataset: string;
  let dataFolder: string;
  if (args.data) {
    dataFolder = args.data;
    manifest = manifestSchema.parse(JSON.parse(readFileSync(join(args.data, 'manifest.json'), 'utf8')));
    dataset = `dataset ${args.data}`;
  } else {
    dataFolder = join(work, 'demo');
    manifest = await seedDemo(dataFolder, `sqlite:${join(dataFolder, 'portal.sqlite')}`);
    dataset = 'demo data';
  }
  const engine = manifest.databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';

  if (args.profile) {
    const dir = join(RESULTS, 'profiles');
    mkdirSync(dir, { recursive: true });
    const before = new Set(readdirSync(dir));
    const server = await startPortal(manifest, 'profile', { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    const { pages } = await pagesOf(manifest, server);
    const page = pages.find((p) => p.key === args.profile);
    if (!page) throw new Error(`--profile: no page ${args.profile}; one of ${pages.map((p) => p.key).join(', ')}`);
    const fromUs = monotonicUs();
    const r = await load(page.label, server.base, page);
    const toUs = monotonicUs();
    await server.stop();
    // The main thread's profile (`.<pid>.0.`); tsx's module loader thread writes one of its own.
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && !before.has(f) && f.includes(`.${server.pid}.0.`));
    if (!file) throw new Error(`no .cpuprofile of process ${server.pid} in ${dir}`);
    const summary = profileSummary(join(dir, file), { fromUs, toUs });
    say(`\n${page.label} under --cpu-prof: ${r.max.requestsPerSecond} req/s (${engine}, ${dataset}, ${connections} connections, ${seconds} s; profiling slows it)`);
    say(`profile: ${join(dir, file)}  (open it in Chrome DevTools › Performance, or speedscope)`);
    say(
      `top ${summary.rows.length} by self time ${summary.windowed ? 'during the load (warm-up included)' : 'over the whole process (start-up included)'}: ${summary.busyMs} ms busy, ${summary.idleMs} ms idle; lines are the compiled code's`,
    );
    say('  self ms   share  function');
    for (const f of summary.rows) say(`  ${String(f.selfMs).padStart(7)}  ${f.share.toFixed(1).padStart(5)} %  ${f.function}`);
    return;
  }

  // The pages, beside the baseline, on the dataset's database.
  const server = await startPortal(manifest, 'main');
  const baseline = node(['bench/baseline.ts'], { DATABASE_URL: manifest.databaseUrl, DATA_DIR: manifest.dataDir, BENCH_CUSTOMER: manifest.customer.number, BENCH_STAFF: manifest.staff.email });
  const baselineUrl = await new Promise<string>((resolve, reject) => {
    baseline.child.stdout!.on('data', () => {
      const m = /\{"url":"([^"]+)"\}/.exec(baseline.out());
      if (m) resolve(m[1]!);
    });
    void baseline.exited.then((code) => reject(new Error(`bench/baseline.ts exited ${code}: ${baseline.err()}`)));
  });
  say(`\n${dataset}, ${engine}, portal: 1 process (pid ${server.pid}); ${connections} connections, ${warmupSeconds} s warm-up, ${seconds} s per measure`);
  const argon2 = JSON.parse((await run(['bench/argon2.ts', '4', String(connections)])).trim().split('\n').pop()!) as { value: number };
  const measured = await measurePages(manifest, server, baselineUrl, only);
  await server.stop();
  // Mon compte again with no rendered page kept (PAGE_CACHE_MB=0, decision 016): every request
  // reads and renders, as the first view after any change to the account does.
  if (!only || only.has('mon-compte')) {
    const fresh = await startPortal(manifest, 'nothing-kept', { env: { PAGE_CACHE_MB: '0' } });
    const again = await measurePages(manifest, fresh, baselineUrl, new Set(['mon-compte-nothing-kept']), (p) => ({ key: `${p.key}-nothing-kept`, label: `${p.label}, nothing kept` }));
    await fresh.stop();
    measured.results.push(...again.results);
  }
  baseline.child.kill('SIGTERM');
  await baseline.exited;
  const loginBound = Math.round(argon2.value / 2);
  say(`  login bound: ${argon2.value} argon2id verifications/s (m = 19 MiB, t = 2, p = 1) ÷ 2 per login (password + temporary password or decoy) = ${loginBound} logins/s`);

  // PostgreSQL: Mon compte with 1, 2 and 4 processes.
  const scaling: { workers: number; requestsPerSecond: number }[] = [];
  let scalingDb: string | null = null;
  if (!only || only.has('workers')) {
    let pgManifest: Manifest | null = null;
    if (engine === 'PostgreSQL') pgManifest = manifest;
    else if (postgresServer && !args.data) pgManifest = await seedDemo(join(work, 'demo-pg'), await createPostgresDatabase(postgresServer));
    else if (postgresServer) say('\n(--postgres with --data: the dataset names its database; generate it on PostgreSQL for the processes’ figures)');
    if (pgManifest) {
      scalingDb = shown(pgManifest.databaseUrl);
      say(`\nMon compte on PostgreSQL (${scalingDb}), serve --workers N:`);
      for (const workers of WORKER_COUNTS) {
        const s = await startPortal(pgManifest, `workers-${workers}`, { workers });
        const { pages } = await pagesOf(pgManifest, s);
        const r = await load(`Mon compte, ${workers} workers`, s.base, pages.find((p) => p.key === 'mon-compte')!);
        await s.stop();
        scaling.push({ workers, requestsPerSecond: r.max.requestsPerSecond });
        say(`  ${workers} worker${workers === 1 ? ' ' : 's'}  ${String(r.max.requestsPerSecond).padStart(6)} req/s  [${elapsed()}]`);
      }
    }
  }

  // The other benchmarks of the run.
  const extras: Record<string, unknown>[] = [];
  for (const script of EXTRA_SCRIPTS) {
    if (!existsSync(join(ROOT, script))) continue;
    const out = await run([script, '--data', dataFolder]);
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const figure = JSON.parse(line) as Record<string, unknown>;
      if ('name' in figure && 'value' in figure) {
        extras.push({ script, ...figure });
        say(`  ${String(figure.name)}: ${String(figure.value)} ${String(figure.unit ?? '')}  (${script}) [${elapsed()}]`);
      }
    }
  }

  const totalSeconds = Math.round((performance.now() - started) / 1000);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const command = shown(`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`);
  const results = {
    date: new Date().toISOString(),
    command,
    machine,
    dataset,
    engine,
    settings: { connections, warmupSeconds, seconds, fixedRate: 'half the highest', serverEnv: { LOG_LEVEL: logLevel, MAIL_WORKER: 'off' }, peakRssResetPerPage: measured.rssReset },
    pages: measured.results,
    skipped: measured.skipped,
    login: { argon2VerifiesPerSecond: argon2.value, verifiesPerLogin: 2, boundLoginsPerSecond: loginBound },
    workers: scalingDb ? { database: scalingDb, runs: scaling } : null,
    extras,
    totalSeconds,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);

  // The Markdown for docs/performance.md.
  const md = [
    `Measured ${results.date.slice(0, 10)} on ${machine}; ${dataset}, ${engine}, one server process (LOG_LEVEL=${logLevel}, MAIL_WORKER=off).`,
    `Command: \`${command}\`. Load: autocannon in its own process, ${connections} connections, ${warmupSeconds} s warm-up, ${seconds} s; latency at a fixed rate of half the highest.`,
    `Baseline: bare Fastify in its own process, the page's main query (the project's query function) on the same database, rows printed with a template string.`,
    '',
    '| page | req/s | baseline req/s | ratio | p50 ms | p99 ms | at req/s | non-2xx | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...measured.results.map((r) => `| ${r.label} | ${r.requestsPerSecond} | ${fmt(r.baselineRequestsPerSecond)} | ${fmt(r.ratio, 3)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${fmt(r.fixedRate)} | ${r.non2xx} | ${fmt(r.peakRssMb)} |`),
    ...measured.results.filter((r) => r.sameBytesRequestsPerSecond !== null).map((r) => `\n${r.label}'s own bytes served from memory by bare Fastify (no work at all): ${r.sameBytesRequestsPerSecond} req/s.`),
    '',
    `Login bound: ${argon2.value} argon2id verifications/s with the project's parameters, two per login: ${loginBound} logins/s.`,
    ...Object.entries(measured.skipped).map(([k, why]) => `Skipped ${k}: ${why}.`),
    ...(scalingDb ? ['', '| Mon compte, PostgreSQL | req/s |', '|---|---:|', ...scaling.map((s) => `| serve --workers ${s.workers} | ${s.requestsPerSecond} |`)] : []),
    ...(extras.length ? ['', '| figure | value | unit |', '|---|---:|---|', ...extras.map((e) => `| ${String(e.name)} | ${String(e.value)} | ${String(e.unit ?? '')} |`)] : []),
    '',
    `Whole run: ${totalSeconds} s.`,
  ];
  say(`\n${md.join('\n')}\n`);
  say(`Results: ${join(RESULTS, 'latest.json')}`);
}

try {
  await main();
} catch (e) {
  failed = true;
  process.stderr.write(`\nbench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.stderr.write(`server logs and data kept in ${work}\n`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  for (const cleanup of cleanups) await cleanup().catch((e: unknown) => process.stderr.write(`cleanup: ${String(e)}\n`));
  if (!failed && !args.keep) rmSync(work, { recursive: true, force: true });
  else if (!failed) say(`kept: ${work}`);
}
process.exit(failed ? 1 : 0);
