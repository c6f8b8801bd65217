import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '../tests/support/net.ts';


describe('graceful shutdown (R3)', () => {
  it('lets in-flight requests finish on SIGTERM, refuses new ones, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-shutdown-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'silent', MAIL_WORKER: 'off' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (up) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      // Slow requests (each login costs two argon2 verifications), all in flight together, sent
      // on connections opened beforehand: what the server has received must be answered.
      const page = await fetch(`${base}/connexion`);
      const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const agent = new Agent({ keepAlive: true, maxSockets: 12 });
      const send = (method: string, path: string, body?: string) =>
        new Promise<number | string>((resolve) => {
          const req = request(`${base}${path}`, { method, agent, headers: body ? { 'content-type': 'application/x-www-form-urlencoded', cookie } : {} }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', (e) => resolve(`failed: ${e.message}`));
          req.end(body);
        });
      await Promise.all(Array.from({ length: 12 }, () => send('GET', '/healthz')));
      const inFlight = Array.from({ length: 12 }, (_, i) =>
        send('POST', '/connexion', new URLSearchParams({ _csrf: token, identifiant: `CLT7${String(i).padStart(5, '0')}`, password: 'not the password at all' }).toString()),
      );
      await new Promise((r) => setTimeout(r, 150));
      child.kill('SIGTERM');
      const statuses = await Promise.all(inFlight);
      expect(statuses.every((s) => s === 401 || s === 503), JSON.stringify(statuses)).toBe(true);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
      // Without waiting for the clients' keep-alive connections to time out.
      const started = Date.now();
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      agent.destroy();
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
  it('with SHUTDOWN_DRAIN_SECONDS, answers /readyz 503 after SIGTERM while still serving pages, then stops and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-drain-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'silent', MAIL_WORKER: 'off', SHUTDOWN_DRAIN_SECONDS: '3' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Each on a new connection, as a load balancer's probe.
    const get = (path: string) =>
      fetch(`${base}${path}`, { headers: { connection: 'close' } }).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (e: Error) => ({ status: 0, body: e.message }),
      );
    try {
      for (let i = 0; i < 100 && (await get('/readyz')).status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
      expect(await get('/readyz')).toEqual({ status: 200, body: 'ready' });
      const signalled = Date.now();
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(await get('/readyz')).toEqual({ status: 503, body: 'not ready: shutting down' });
      expect(await get('/healthz')).toEqual({ status: 200, body: 'ok' });
      const page = await get('/connexion');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html lang="fr"');
      expect(Date.now() - signalled).toBeLessThan(3000);
      expect(await exited).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(3000);
      expect((await get('/healthz')).status).toBe(0); // nothing listens any more
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
