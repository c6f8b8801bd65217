import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { DEMO_ACTIVE_PASSWORD, seedDemo } from '../../src/features/demo/demo.seed.ts';
import { publishDocumentPdf } from '../../src/features/documents/documents.service.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, openMenu, viewports, useChromium, useServer } from '../support/browser.ts';
import { insertDocument } from '../support/documents.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';
import { newId } from '../../src/lib/clock.ts';

/*
 * What a subscriber comes for, on the demo data: Profil → a contract → Contrats → Mon compte
 * (filters, paging) → a PDF → Décomptes → a month's exits. Phone and desktop, axe on every page.
 */
describe.skipIf(!chromiumPath)('the portal’s pages, in Chromium, on the demo data', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();
  const shaByNumber = new Map<string, string>();

  beforeAll(async () => {
    await seedDemo(server.db, clock, { tempPasswordDays: 120 });
    const docs = await server.db
      .selectFrom('financial_documents as d')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['d.id', 'd.number'])
      .where('c.number', '=', 'CLT013262')
      .execute();
    for (const d of docs) shaByNumber.set(d.number, (await publishDocumentPdf(server.db, server.storage, clock, testConfig(), d.id)).sha256);
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
        page.locator('table.documents').getByRole('link', { name: `PDF — télécharger la facture ${number}` }).click(),
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
  /**
   * Mr Durand on his phone: his first invoice (212,80 €) is unpaid, the 59 later ones are paid —
   * the history shows it on page 3 — by 59 payments. What is due is on the first screen.
   */
  async function durand() {
    const park = await createCarPark(server.db, clock, { name: 'CARDINET' });
    const { customer, password } = await activeSubscriber(server.db, clock, undefined, { paperless: 1, paperless_changed_at: '2021-12-01T00:00:00.000Z' });
    const contract = await createContract(server.db, clock, customer.id, park.id, { number: `CT${customer.number}` });
    const n = customer.number;
    const first = await insertDocument(server.db, { customerId: customer.id, contractId: contract.id, number: `${n}FV1`, issueDate: '2021-12-09', periodStart: '2021-12-09', periodEnd: '2021-12-31', htCents: 17733 });
    const firstSha = (await publishDocumentPdf(server.db, server.storage, clock, testConfig(), first.id)).sha256;
    for (let i = 0; i < 59; i++) {
      const day = new Date(Date.UTC(2022, i, 5)).toISOString();
      const paid = await insertDocument(server.db, { customerId: customer.id, contractId: contract.id, number: `${n}P${i}`, issueDate: day.slice(0, 10), htCents: 21667 });
      const id = newId();
      await server.db.insertInto('payments').values({ id, customer_id: customer.id, method: 'card', provider: 'test', provider_reference: id, status: 'succeeded', amount_cents: paid.total_ttc_cents, received_at: day, created_at: day }).execute();
      await server.db.insertInto('allocations').values({ id: newId(), invoice_id: paid.id, payment_id: id, credit_note_id: null, amount_cents: paid.total_ttc_cents, created_at: day }).execute();
    }
    return { customer, password, firstNumber: `${n}FV1`, firstSha };
  }

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`Mon compte puts what is due on the first screen; the payments are paged (${name})`, async () => {
      const { customer, password, firstNumber, firstSha } = await durand();
      const context = await browser.newContext({ viewport, locale: 'fr-FR', acceptDownloads: true });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/mon-compte`);

      // Without scrolling: the balance, the pay button and the first document due.
      const firstScreen = async (what: string, locator: ReturnType<typeof page.locator>) => {
        const box = await locator.boundingBox();
        expect(box, what).not.toBeNull();
        expect(box!.y + box!.height, `${what} within the first ${viewport.height} px`).toBeLessThanOrEqual(viewport.height);
      };
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const balance = page.locator('#balance');
      expect(await balance.textContent()).toBe('Reste à payer : 212,80\u00a0€');
      await firstScreen('the balance', balance);
      await firstScreen('the pay button', page.getByRole('link', { name: 'Régler le solde' }));
      const firstDue = page.locator('ul.due-list li').first();
      expect((await firstDue.textContent())!.replace(/\s+/g, ' ')).toBe(`Facture ${firstNumber} du 09/12/2021 · contrat CT${customer.number}Reste à payer : 212,80 €`.replace(/\s+/g, ' '));
      await firstScreen('the first document due', firstDue);
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/mon-compte-${viewport.width}.png` });
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);

      // Its number is its PDF.
      const [download] = await Promise.all([page.waitForEvent('download'), firstDue.getByRole('link', { name: `PDF — télécharger la facture ${firstNumber}` }).click()]);
      expect(createHash('sha256').update(await readFile((await download.path())!)).digest('hex')).toBe(firstSha);

      // The history filtered to what is "à régler": that invoice alone.
      await page.getByLabel('Reste à payer', { exact: true }).selectOption('a-regler');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      expect(new URL(page.url()).searchParams.get('etat')).toBe('a-regler');
      expect(await page.locator('table.documents tbody tr th').allTextContents()).toEqual([firstNumber]);
      await expectAccessible(page);

      // The latest payments, and all 59 a page at a time.
      await page.getByRole('link', { name: 'Voir tous les paiements (59)' }).click();
      expect(new URL(page.url()).pathname).toBe('/mon-compte/paiements');
      expect(await page.locator('table.payments tbody tr').count()).toBe(20);
      expect(await page.locator('.paging p').textContent()).toBe('Page 1 sur 3 (59 paiements)');
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/paiements-${viewport.width}.png`, fullPage: true });
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);
      await page.getByRole('link', { name: 'Page suivante' }).click();
      expect(new URL(page.url()).search).toBe('?page=2');
      expect(await page.locator('table.payments tbody tr').count()).toBe(20);
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);
      await context.close();
    });
  }
});
