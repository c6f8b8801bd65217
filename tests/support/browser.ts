import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { buildApp } from '../../src/app.tsx';
import { type Config, testConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { type ContentStore, localContentStore } from '../../src/lib/content-store.ts';
import { freshDatabase, lateBound } from './app.ts';
import { outboxProblems, watchAnswers } from './wording.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { freePort } from './net.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Chromium the run found (Debian's), or null: end-to-end suites skip themselves then. */
export const chromiumPath = inject('chromiumPath');

export const viewports = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
};

export function launchChromium(): Promise<Browser> {
  // Playwright starts each launch on a fresh temporary profile (--user-data-dir).
  return chromium.launch({
    executablePath: chromiumPath!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}


/**
 * A real server on a free port over a fresh SQLite database; its PUBLIC_URL is its own
 * address, so links, redirects and webhooks (e.g. the sandbox provider's) reach it.
 */
export async function startServer(
  clock: Clock,
): Promise<{ app: FastifyInstance; db: Db; base: string; config: Config; storage: ContentStore; close(): Promise<void> }> {
  const { db } = await freshDatabase('sqlite');
  const storage = localContentStore(mkdtempSync(join(tmpdir(), 'portal-e2e-docs-')));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Files (mail, attachments…) go to a temporary directory, never into the working copy.
  const config = testConfig({ PUBLIC_URL: base, DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-e2e-data-')) });
  const app = await buildApp({ config, db, clock, storage });
  // No page nor e-mail may show an unfilled {placeholder}, nor French spacing in English.
  const answers: string[] = [];
  watchAnswers(app, answers);
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    db,
    base,
    config,
    storage,
    close: async () => {
      const problems = [...answers, ...(await outboxProblems(db, new Set()))];
      await app.close();
      await db.destroy();
      expect(problems, 'the words of the pages and e-mails').toEqual([]);
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;

/**
 * The running server of a `describe` block (`startServer`), started before its tests and
 * closed after them — the browser suites' `useTestApp`. Call it before `useChromium`, so that
 * the browser closes first.
 */
export function useServer(clock: Clock): TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer(clock);
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return lateBound('the server', () => server);
}

/** Chromium for a `describe` block, launched before its tests and closed after them. */
export function useChromium(): Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  return lateBound('Chromium', () => browser);
}

/** axe-core, as the page runs it (read once per process). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/**
 * The pages axe has passed in this process: the digest of what axe reads — the document as it
 * is, its fields' live values and checked states included (its CSRF tokens left out: they change with each page sent and axe never sees their value),
 * the stylesheets it links, and the window's size. The same page at the same size gives the same
 * verdict; a journey coming back to a page it has seen in that state does not run axe again.
 */
const passedPages = new Set<string>();

/** axe against WCAG 2.1 A and AA on the page as it is: 0 violations. */
export async function expectAccessible(page: Page) {
  // A click that navigates returns once the new URL is committed, maybe before its document is parsed.
  await page.waitForLoadState('load');
  const state = await page.evaluate(() => {
    const copy = document.documentElement.cloneNode(true) as HTMLElement;
    for (const token of copy.querySelectorAll('input[name="_csrf"]')) token.removeAttribute('value');
    const sheets = [...document.styleSheets].map((s) => s.href ?? s.ownerNode?.textContent ?? '').join('\n');
    // The fields' live state, which the markup does not hold: a radio checked shows what
    // `:checked` styles reveal (the contact form's plate fields), a value typed may do the same.
    const fields = [...document.querySelectorAll<HTMLInputElement>('input:not([name="_csrf"]), select, textarea')]
      .map((f) => `${f.checked ? 1 : 0}${f.value}`)
      .join('\u0000');
    return `${window.innerWidth}x${window.innerHeight}\n${sheets}\n${fields}\n${copy.outerHTML}`;
  });
  const digest = createHash('sha256').update(state).digest('hex');
  if (passedPages.has(digest)) return;
  // axe-core run in the page itself, once (`axe.run`), reporting the violations in full and only
  // a count of the rules passed (`resultTypes`): what the summary below reads, in half the time of
  // a full report.
  await page.evaluate(AXE_SOURCE);
  const { violations, passes } = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[]; passes: unknown[] }> } }).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => ({ violations: r.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) })), passes: r.passes.length })),
    WCAG_21_AA,
  );
  expect(passes, 'axe ran its rules').toBeGreaterThan(10);
  const summary = violations.map((v) => `${v.id}: ${v.targets.join(', ')}`);
  expect(summary, `axe on ${page.url()}`).toEqual([]);
  passedPages.add(digest);
}

export async function expectNoHorizontalScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(client);
}

/** axe and the layout's width are measured by scripts in the page: with JavaScript only (the run without it proves the forms work). */
export async function expectAccessibleWhenScripted(page: Page, javaScript: boolean) {
  if (!javaScript) return;
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
}

export async function logIn(page: Page, base: string, number: string, password: string) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel('IDENTIFIANT (n° client)').fill(number);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Opens the header's menu where it is folded (a phone: a <details> disclosure); on a wide screen its links are in view already. */
export async function openMenu(page: Page) {
  const menu = page.locator('header details.menu');
  const summary = menu.locator('> summary');
  if ((await summary.isVisible()) && (await menu.getAttribute('open')) === null) await summary.click();
}
