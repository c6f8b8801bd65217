import { describe, expect, it } from 'vitest';
import { monthIndex, monthOfIndex } from '../../src/features/statements/statements.rules.ts';
import { manualClock, newId, nowIso } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, useChromium, useServer } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';

/*
 * The statements pages in Chromium: axe (WCAG 2.1 A and AA) finds nothing, on a 360-px phone
 * and on a desktop, in French and in English, and the page never scrolls sideways (the
 * chart scrolls inside its own focusable frame, which opens on the latest months, its text
 * readable at 12 px or more).
 */

describe.skipIf(!chromiumPath)('petit-rouleur statements in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  let docSeq = 0;
  async function subscriber(language: 'fr' | 'en') {
    const park = await createCarPark(server.db, clock, { name: 'CARDINET' });
    await server.db.updateTable('car_parks').set({ petit_rouleur_30: 1 }).where('id', '=', park.id).execute();
    const other = await createCarPark(server.db, clock, { name: 'WAGRAM' });
    const { customer, password } = await activeSubscriber(server.db, clock, undefined, { language });
    const k = await createContract(server.db, clock, customer.id, park.id, { product: 'resident_petit_rouleur' });
    await createContract(server.db, clock, customer.id, other.id, { product: 'resident_petit_rouleur', status: 'ended' });
    const counts = [0, 2, 3, 4, 5, 6, 7, 9, 12, 14, 15, 18, 1, 3, 5, 8, 11, 2, 0, 4, 6, 3, 13, 7];
    const last = monthIndex('2026-10');
    for (const [i, count] of counts.entries()) {
      const month = monthOfIndex(last - counts.length + 1 + i);
      const documentId = newId();
      await server.db
        .insertInto('financial_documents')
        .values({
          id: documentId, number: `26FV${String(++docSeq).padStart(5, '0')}`, kind: 'invoice', customer_id: customer.id,
          contract_id: k.id, corrects_document_id: null, issue_date: `${month}-28`, period_start: null, period_end: null,
          due_date: null, total_ht_cents: 21667, total_vat_cents: 4333, total_ttc_cents: 26000, pdf_sha256: null,
          published_at: nowIso(clock), created_at: nowIso(clock),
        })
        .execute();
      const statementId = newId();
      await server.db
        .insertInto('exit_statements')
        .values({ id: statementId, contract_id: k.id, month, exit_count: count, document_id: i === counts.length - 1 ? null : documentId, created_at: nowIso(clock) })
        .execute();
      for (let e = 0; e < count; e++) {
        await server.db.insertInto('exits').values({ id: newId(), statement_id: statementId, exited_at: `${month}-${String(e + 1).padStart(2, '0')}T07:${String(10 + e).padStart(2, '0')}:00.000Z` }).execute();
      }
    }
    return { customer, password, contractNumber: k.number };
  }

  for (const vp of [
    { name: 'phone', width: 360, height: 740 },
    { name: 'desktop', width: 1280, height: 800 },
  ]) {
    for (const language of ['fr', 'en'] as const) {
      it(`passes axe on the statements and a month’s exits (${vp.name}, ${language})`, async () => {
        const { customer, password, contractNumber } = await subscriber(language);
        const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, locale: 'fr-FR' });
        const page = await context.newPage();
        await page.goto(`${server.base}/connexion`);
        await page.getByLabel('IDENTIFIANT (n° client)').fill(customer.number);
        await page.getByLabel('Mot de passe').fill(password);
        await page.getByRole('button', { name: 'Se connecter' }).click();

        await page.goto(`${server.base}/decomptes`);
        expect(await page.locator('h1').textContent()).toBe(language === 'fr' ? 'Décomptes petits rouleurs' : 'Low-mileage statements');
        expect(await page.locator('svg[role="img"]').count()).toBe(1);
        expect(await page.locator('table.statements-table tbody tr').count()).toBe(24);
        if (process.env.E2E_SCREENSHOTS) {
          await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/decomptes-${vp.width}-${language}.png`, fullPage: true });
          await page.locator('.chart-scroll').first().screenshot({ path: `${process.env.E2E_SCREENSHOTS}/decomptes-chart-${vp.width}-${language}.png` });
        }
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);

        // The frame opens on the latest months: the last bar (October 2026) and the legend of
        // the thresholds are within its visible part; on a phone the oldest are scrolled away.
        const frame = (await page.locator('.chart-scroll').first().boundingBox())!;
        const within = (b: { x: number; width: number } | null) => b !== null && b.x >= frame.x && b.x + b.width <= frame.x + frame.width;
        const lastBar = page.locator('.chart-scroll svg .bars rect').last();
        expect(await lastBar.locator('title').textContent()).toBe(language === 'fr' ? 'octobre 2026 : 7 sorties' : 'October 2026: 7 exits');
        expect(within(await lastBar.boundingBox()), 'the latest month is in view').toBe(true);
        for (const text of await page.locator('.chart-scroll svg .legend text').all()) expect(within(await text.boundingBox()), 'the legend is in view').toBe(true);
        const firstBar = await page.locator('.chart-scroll svg .bars rect').first().boundingBox();
        expect(within(firstBar), 'the oldest month is scrolled away on a phone only').toBe(vp.name === 'desktop');
        // Every text of the chart is drawn at 12 px or more.
        const sizes = await page
          .locator('.chart-scroll svg text')
          .evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getScreenCTM()!.a * parseFloat(getComputedStyle(e).fontSize)));
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);

        const month = language === 'fr' ? 'septembre 2026' : 'September 2026';
        await page.getByRole('link', { name: month }).click();
        expect(new URL(page.url()).pathname).toBe(`/decomptes/${contractNumber}/2026-09`);
        expect(await page.locator('table.exits-table tbody tr').count()).toBe(13);
        if (process.env.E2E_SCREENSHOTS) {
          await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/decompte-${vp.width}-${language}.png` });
        }
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
        await context.close();
      });
    }
  }
});
