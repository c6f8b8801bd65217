import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { DEMO_ACTIVE_PASSWORD, seedDemo } from '../../src/features/demo/demo.seed.ts';
import { publishDocumentPdf } from '../../src/features/documents/documents.service.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, launchChromium, logIn, openMenu, startServer, viewports } from '../support/browser.ts';

/*
 * What a subscriber comes for, on the demo data: Profil → a contract → Contrats → Mon compte
 * (filters, paging) → a PDF → Décomptes → a month's exits. Phone and desktop, axe on every page.
 */
describe.skipIf(!chromiumPath)('the portal’s pages, in Chromium, on the demo data', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  const shaByNumber = new Map<string, string>();

  beforeAll(async () => {
    server = await startServer(clock);
    await seedDemo(server.db, clock, { tempPasswordDays: 120 });
    const docs = await server.db
      .selectFrom('financial_documents as d')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['d.id', 'd.number'])
      .where('c.number', '=', 'CLT013262')
      .execute();
    for (const d of docs) shaByNumber.set(d.number, (await publishDocumentPdf(server.db, server.storage, clock, testConfig(), d.id)).sha256);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`Profil → Contrats → Mon compte → PDF → Décomptes (${name})`, async () => {
      const context = await browser.newContext({ viewport, locale: 'fr-FR', acceptDownloads: true });
      const page = await context.newPage();
      const check = async () => {
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      };
      await logIn(page, server.base, 'CLT013262', DEMO_ACTIVE_PASSWORD);
      expect(new URL(page.url()).pathname).toBe('/profil');
      const nav = page.getByRole('navigation', { name: 'Navigation principale' });
      await openMenu(page);
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Profil', 'Contrats', 'Mon compte', 'Décomptes petits rouleurs', 'Contact']);
      await check();

      // A contract's own page from Profil.
      const firstContract = page.locator('table.stack tbody tr th a').first();
      const contractNumber = (await firstContract.textContent())!;
      await firstContract.click();
      expect(await page.locator('h1').textContent()).toBe(`Contrat n° ${contractNumber}`);
      await check();

      await openMenu(page);
      await nav.getByRole('link', { name: 'Contrats' }).click();
      expect(await page.locator('h1').textContent()).toBe('Contrats');
      expect(await page.locator('main').textContent()).toContain('Contrats en cours');
      await check();

      await openMenu(page);
      await nav.getByRole('link', { name: 'Mon compte' }).click();
      expect(await page.locator('h1').textContent()).toBe('Mon compte');
      expect(await page.locator('.balance-amount').textContent()).toMatch(/^Reste à payer : \d[\d\s\u00a0\u202f]*,\d\d\u00a0€$/);
      const rowCount = await page.locator('table.documents tbody tr').count();
      expect(rowCount).toBeGreaterThan(0);
      await check();

      // Filter by type, and back.
      await page.getByLabel('Type de document').selectOption('invoice');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      expect(new URL(page.url()).searchParams.get('type')).toBe('invoice');
      const types = await page.locator('table.documents tbody tr td:first-child').allTextContents();
      expect(types.every((t) => t.includes('Facture'))).toBe(true);
      await check();

      // The newest document's PDF: exactly the stored bytes.
      const number = (await page.locator('table.documents tbody tr th').first().textContent())!;
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: `PDF — télécharger la facture ${number}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${number}.pdf`);
      const bytes = await readFile((await download.path())!);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(shaByNumber.get(number));

      await openMenu(page);
      await nav.getByRole('link', { name: 'Décomptes petits rouleurs' }).click();
      expect(await page.locator('h1').textContent()).toBe('Décomptes petits rouleurs');
      expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(0);
      await check();
      await page.locator('table.statements-table tbody a').first().click();
      expect(new URL(page.url()).pathname).toMatch(/^\/decomptes\/[^/]+\/\d{4}-\d{2}$/);
      await check();
      await context.close();
    });
  }
});
