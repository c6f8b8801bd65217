import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase } from '../tests/support/app.ts';
import { activeSubscriber } from '../tests/support/factories.ts';
import { systemClock } from './lib/clock.ts';
import { restartPause } from './lib/cluster.ts';
import { freePort } from '../tests/support/net.ts';

/*
 * `serve --workers 2`, the real command in a child process. Which process answered a request
 * is read from the workers' own request logs (pino writes its pid on every line); every
 * request goes on a connection of its own, so the cluster hands them to the workers in turn.
 */


interface LogLine {
  pid: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
}

/** The command's output: its log lines (JSON) and its other lines, as they arrive. */
function watch(child: ChildProcess) {
  const logs: LogLine[] = [];
  const text: string[] = [];
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
      else text.push(line);
    }
  });
  const until = async (what: string, ok: () => boolean, ms = 45_000) => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${text.join('\n')}\n${errors.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** The pids that logged an incoming request for this method and URL, one per request. */
  const servedBy = (method: string, url: string) => logs.filter((l) => l.msg === 'incoming request' && l.req?.method === method && l.req.url === url).map((l) => l.pid);
  const listening = () => new Set(logs.filter((l) => l.msg.startsWith('Server listening')).map((l) => l.pid));
  return { logs, text, errors, until, servedBy, listening };
}

/** One request on a connection of its own. */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; setCookies: string[]; body: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method, agent: false, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookies: res.headers['set-cookie'] ?? [], body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('serve --workers', () => {
  it('replaces at once after a long life; after deaths at start, 1 s, then doubling, at most 30 s', () => {
    expect(restartPause(5 * 60_000, 8000)).toBe(0);
    expect(restartPause(200, 0)).toBe(1000);
    expect(restartPause(200, 1000)).toBe(2000);
    expect(restartPause(200, 16_000)).toBe(30_000);
    expect(restartPause(200, 30_000)).toBe(30_000);
  });

  it('refuses a number of workers that is not one', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--workers', 'two'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-workers-')), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(1);
    expect(stderr).toContain('--workers takes a number of processes from 1 to 64');
  });
});

describe.each(databaseKinds())('serve --workers 2 (%s)', (kind) => {
  it('answers from two processes that share sessions and the login throttle; replaces a dead worker; METRICS_PORT sums the metrics of both workers; SIGTERM stops all with 0', async () => {
    const { db, url } = await freshDatabase(kind);
    const signedIn = await activeSubscriber(db, systemClock, undefined, { last_name: 'GRAPPELLI', first_name: 'STEPHANE' });
    const targeted = await activeSubscriber(db, systemClock);
    const port = await freePort();
    const metricsPort = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--workers', '2'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-workers-')), PORT: String(port), LOG_LEVEL: 'info', METRICS_PORT: String(metricsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const out = watch(child);
    try {
      await out.until('two workers listening', () => out.listening().size === 2);
      const workers = [...out.listening()];
      expect(workers).not.toContain(child.pid);

      // A customer logs in through one process, and is logged in on every request, whichever answers.
      const page = await send(base, 'GET', '/connexion');
      const csrfCookie = page.setCookies.map((c) => c.split(';')[0]).join('; ');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const form = (identifiant: string, password: string) => new URLSearchParams({ _csrf: token, identifiant, password }).toString();
      const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie };
      const login = await send(base, 'POST', '/connexion', formHeaders, form(signedIn.customer.number, signedIn.password));
      expect(login.status).toBe(303);
      const cookie = [csrfCookie, ...login.setCookies.map((c) => c.split(';')[0])].join('; ');
      for (let i = 0; i < 6; i++) {
        const account = await send(base, 'GET', '/mon-compte', { cookie });
        expect(account.status).toBe(200);
        expect(account.body).toContain('Bienvenue GRAPPELLI STEPHANE');
      }
      await out.until('the account requests logged', () => out.servedBy('GET', '/mon-compte').length === 6);
      expect(new Set(out.servedBy('GET', '/mon-compte'))).toEqual(new Set(workers));

      // Failures counted by both processes hold the account back: the throttle is the database's.
      const failures = [];
      for (let i = 0; i < 5; i++) failures.push((await send(base, 'POST', '/connexion', formHeaders, form(targeted.customer.number, `wrong password ${i}`))).status);
      expect(failures).toEqual([401, 401, 401, 401, 401]);
      const held = await send(base, 'POST', '/connexion', formHeaders, form(targeted.customer.number, targeted.password));
      expect(held.status).toBe(429);
      await out.until('the logins logged', () => out.servedBy('POST', '/connexion').length === 7);
      expect(new Set(out.servedBy('POST', '/connexion').slice(1, 6))).toEqual(new Set(workers));

      // METRICS_PORT is the primary's: both workers' counts, summed.
      const series = {
        account: 'portal_http_request_duration_seconds_count{route="/mon-compte",method="GET",status="200"}',
        failures: 'portal_logins_total{area="customer",outcome="failure"}',
        denied: 'portal_logins_total{area="customer",outcome="denied"}',
        logins: 'portal_logins_total{area="customer",outcome="success"}',
      };
      const expected = { account: 6, failures: 5, denied: 1, logins: 1 };
      let seen: Record<string, number | undefined> = {};
      for (const end = Date.now() + 5000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
        const text = (await send(`http://127.0.0.1:${metricsPort}`, 'GET', '/metrics')).body;
        seen = Object.fromEntries(Object.entries(series).map(([k, name]) => [k, Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1))]));
        if (JSON.stringify(seen) === JSON.stringify(expected)) break;
      }
      expect(seen).toEqual(expected);

      // A worker that dies is replaced; the customer's session lives on in the new one.
      process.kill(workers[0]!, 'SIGKILL');
      await out.until('a replacement listening', () => out.listening().size === 3);
      const replacement = [...out.listening()].find((pid) => !workers.includes(pid))!;
      for (let i = 0; i < 4; i++) expect((await send(base, 'GET', '/mon-compte', { cookie })).status).toBe(200);
      await out.until('the account requests logged', () => out.servedBy('GET', '/mon-compte').length === 10);
      expect(new Set(out.servedBy('GET', '/mon-compte').slice(6))).toEqual(new Set([workers[1], replacement]));
      expect(out.errors.join('')).toContain(`(pid ${workers[0]}) died (SIGKILL)`);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const stopped = out.logs.filter((l) => l.msg === 'shutting down: finishing in-flight requests').map((l) => l.pid);
      expect(new Set(stopped)).toEqual(new Set([workers[1], replacement]));
      for (const pid of [...workers, replacement]) expect(alive(pid), `worker ${pid} still running`).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await db.destroy();
    }
  }, 120_000);

});
