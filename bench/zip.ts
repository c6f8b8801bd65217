/*
 * The ZIP of all documents (issue 14): the server's memory while customers download the ZIP of
 * every document of their history (`GET /mon-compte/documents.zip`, streamed by yazl from the
 * content store, `features/account/account.downloads.ts`).
 *
 *   npx tsx bench/zip.ts [--downloads 50] [--parallel 5] [--rounds 3] [--customer CLT013263]
 *
 * The demo is seeded by the command line (`seed --demo`, its PDFs rendered) into a temporary
 * folder (SQLite), the server started in a process of its own (`node --import tsx src/main.ts
 * serve`), the demo's business customer (4 contracts, its 130 documents) logged in once, then
 * the ZIP downloaded `--downloads` times, `--parallel` at once, each read to its end and checked
 * (its size the same each time), and that `--rounds` times. The server's RSS (`/proc/<pid>/status`,
 * VmRSS) is sampled every 20 ms: before (idle, after one warm-up download), during each round
 * (the highest sample) and a second after it: memory that held archives or files would grow
 * with every round; and its high-water mark (VmHWM). Then the throughput: archives and
 * megabytes a second. Human-readable lines, then one JSON line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../tests/support/net.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    downloads: { type: 'string', default: '50' },
    parallel: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    customer: { type: 'string', default: 'CLT013263' },
  },
});
const downloads = Number(args.downloads);
const parallel = Number(args.parallel);
const roundCount = Number(args.rounds);
const customer = args.customer!;

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-zip-'));
const env = { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${join(dir, 'portal.sqlite')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', MAIL_WORKER: 'off' };
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function node(argv: string[], extra: Record<string, string> = {}) {
  const fd = openSync(join(dir, 'server.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', ...argv], { cwd: ROOT, env: { ...env, ...extra }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
  return { child, exited };
}

const mb = (kb: number) => Math.round(kb / 1024);
const status = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8');
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(status(pid))![1]);
const hwmKb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(status(pid))![1]);

let t = performance.now();
const seed = node(['src/main.ts', 'seed', '--demo']);
if ((await seed.exited) !== 0) throw new Error(`seed --demo failed: ${readFileSync(join(dir, 'server.log'), 'utf8').slice(-3000)}`);
console.log(`demo seeded with its PDFs (${((performance.now() - t) / 1000).toFixed(0)} s)`);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = node(['src/main.ts', 'serve'], { HOST: '127.0.0.1', PORT: String(port) });
const pid = server.child.pid!;
for (const deadline = Date.now() + 120_000; ; ) {
  if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start: ${readFileSync(join(dir, 'server.log'), 'utf8').slice(-3000)}`);
  if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
  await new Promise((r) => setTimeout(r, 200));
}

// Logged in once, as a browser: the login form's CSRF token and cookies.
const cookies = new Map<string, string>();
const take = (res: Response) => {
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';')[0]!;
    const i = pair.indexOf('=');
    cookies.set(pair.slice(0, i), pair.slice(i + 1));
  }
};
const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const loginPage = await fetch(`${base}/connexion`);
take(loginPage);
const token = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
const { DEMO_ACTIVE_PASSWORD } = await import('../src/features/demo/demo.seed.ts');
const login = await fetch(`${base}/connexion`, {
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
  body: new URLSearchParams({ _csrf: token, identifiant: customer, password: DEMO_ACTIVE_PASSWORD }).toString(),
});
take(login);
if (login.status !== 303) throw new Error(`login of ${customer}: ${login.status}`);

/** One ZIP, read to its end as it arrives (never kept): its size. */
async function download(): Promise<number> {
  const res = await fetch(`${base}/mon-compte/documents.zip`, { headers: { cookie: cookie() } });
  if (res.status !== 200 || res.headers.get('content-type') !== 'application/zip') throw new Error(`ZIP: ${res.status} ${res.headers.get('content-type')}`);
  let size = 0;
  for await (const chunk of res.body!) size += (chunk as Uint8Array).byteLength;
  return size;
}

const size = await download();
// The documents the ZIP holds: the list's rows (its CSV).
const rows = (await (await fetch(`${base}/mon-compte/documents.csv`, { headers: { cookie: cookie() } })).text()).trim().split('\r\n').length - 1;
await new Promise((r) => setTimeout(r, 1000));
const before = rssKb(pid);

const rounds: { during: number; after: number; seconds: number }[] = [];
let bytes = 0;
for (let round = 0; round < roundCount; round++) {
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssKb(pid)), 20);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < downloads) {
        next++;
        const got = await download();
        if (got !== size) throw new Error(`a ZIP of ${got} bytes, not ${size}`);
        bytes += got;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 1000));
  rounds.push({ during: Math.max(...samples), after: rssKb(pid), seconds });
}
const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
const total = downloads * roundCount;
const hwm = hwmKb(pid);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

console.log(`ZIP of all documents: ${customer}'s ${rows} documents, ${(size / 1024).toFixed(0)} KiB each, ${roundCount} rounds of ${downloads} downloads, ${parallel} at once, server \`node --import tsx src/main.ts serve\` on SQLite`);
console.log(`server RSS: before ${mb(before)} MB; ${rounds.map((r, i) => `round ${i + 1}: during ${mb(r.during)} MB at most, after ${mb(r.after)} MB`).join('; ')}; high-water mark ${mb(hwm)} MB`);
console.log(`throughput: ${(total / seconds).toFixed(1)} ZIPs/s, ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s (${seconds.toFixed(1)} s; load average ${load} on ${(await import('node:os')).availableParallelism()} cores)`);
console.log(
  JSON.stringify({
    name: 'zip.all_documents',
    documents: rows,
    zipBytes: size,
    downloads: total,
    parallel,
    rssMb: { before: mb(before), rounds: rounds.map((r) => ({ during: mb(r.during), after: mb(r.after) })), highWater: mb(hwm) },
    zipsPerSecond: total / seconds,
    mbPerSecond: bytes / 1024 / 1024 / seconds,
  }),
);

server.child.kill('SIGTERM');
await server.exited;
