import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../tests/support/app.ts';
import { activeSubscriber } from '../tests/support/factories.ts';
import { freePort } from '../tests/support/net.ts';
import { systemClock } from './lib/clock.ts';

/*
 * The production build (`npm run build`, tsconfig.build.json): src/ compiled to JavaScript and
 * started as production starts it, by `npm run start:prod`'s command (plain `node`, its V8
 * settings, no tsx). Built here into a folder beside src/, as dist/ is (files are found
 * relative to the code: the stylesheet in public/, the pages in content/), without the
 * type-check (`npm run typecheck` is that), the server on a fresh database. A loader hook
 * of the test's lists every module the server loads: at rest, after a page, it has not loaded
 * what pages rarely need (each is imported at its first use).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const out = mkdtempSync(join(ROOT, '.build-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** `npm run start:prod`: `node`, its flags, the built entry point, its arguments. */
const startProd = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod']!.split(/\s+/);

/** Loaded only where used: a payment by Stripe, a PDF, an e-mail sent, a bucket, a staff member's QR code. */
const RARELY_NEEDED = ['stripe', 'pdfkit', 'nodemailer', '@aws-sdk/client-s3', 'qrcode', 'yazl'];

describe('the production build', () => {
  it('compiles src/ to JavaScript that node serves: pages, stylesheet, content; what pages rarely need not loaded at rest', async () => {
    await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'tsconfig.build.json'), '--noCheck', '--outDir', out], { cwd: ROOT });

    const scratch = mkdtempSync(join(tmpdir(), 'portal-build-'));
    const loaded = join(scratch, 'loaded.txt');
    writeFileSync(join(scratch, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }\n`);
    writeFileSync(join(scratch, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(scratch, 'hooks.mjs')).href)});\n`);

    const { db, url } = await freshDatabase('sqlite');
    const { customer, password } = await activeSubscriber(db, systemClock, undefined, { last_name: 'REINHARDT', first_name: 'DJANGO' });
    await db.destroy();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const [command, ...args] = startProd;
    expect(command).toBe('node');
    // dist/ is where `npm run build` writes: here, this test's folder.
    const argv = args.map((a) => a.replace(/^dist\//, `${out}/`));
    expect(argv).toContain(join(out, 'main.js'));
    const child = spawn(process.execPath, ['--import', join(scratch, 'register.mjs'), ...argv], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, DATA_DIR: scratch, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      for (const end = Date.now() + 30_000; !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); ) {
        if (child.exitCode !== null || Date.now() > end) throw new Error(`the built server did not start:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const css = await fetch(`${base}/static/portal.css`);
      expect(css.status).toBe(200);
      expect(await css.text()).toContain('body');
      const faq = await fetch(`${base}/faq`);
      expect(faq.status).toBe(200);
      expect(await faq.text()).toContain('<h1');

      const login = await fetch(`${base}/connexion`);
      const csrf = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
      const signedIn = await fetch(`${base}/connexion`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf },
        body: new URLSearchParams({ _csrf: token, identifiant: customer.number, password }).toString(),
      });
      expect(signedIn.status).toBe(303);
      const cookie = [csrf, ...signedIn.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
      const account = await fetch(`${base}/mon-compte`, { headers: { cookie } });
      expect(account.status).toBe(200);
      expect(await account.text()).toContain('Bienvenue REINHARDT DJANGO');

      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      const urls = readFileSync(loaded, 'utf8').split('\n');
      expect(urls.some((u) => u.startsWith(pathToFileURL(join(out, 'app.js')).href)), 'the app is the built one').toBe(true);
      expect(urls.filter((u) => u.endsWith('.ts') || u.endsWith('.tsx') || u.includes('/node_modules/tsx/')), 'no TypeScript at run time').toEqual([]);
      expect(RARELY_NEEDED.filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`)))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 90_000);
});
