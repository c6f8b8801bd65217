import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

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
      // Slow requests (each login costs two argon2 verifications), all in flight together.
      const page = await fetch(`${base}/connexion`);
      const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const inFlight = Array.from({ length: 12 }, (_, i) =>
        fetch(`${base}/connexion`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, connection: 'close' },
          body: new URLSearchParams({ _csrf: token, identifiant: `CLT7${String(i).padStart(5, '0')}`, password: 'not the password at all' }),
        }).then(
          (r) => r.status,
          (e: Error) => `failed: ${e.message}`,
        ),
      );
      await new Promise((r) => setTimeout(r, 30));
      child.kill('SIGTERM');
      const statuses = await Promise.all(inFlight);
      expect(statuses.every((s) => s === 401 || s === 503), JSON.stringify(statuses)).toBe(true);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
