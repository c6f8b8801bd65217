import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { DEMO_ACTIVE_PASSWORD, seedDemo } from '../../src/features/demo/demo.seed.ts';
import { publishDocumentPdf } from '../../src/features/documents/documents.service.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessibleWhenScripted, logIn, useChromium, useServer, viewports } from '../support/browser.ts';
import { hasPdftotext, pdfText } from '../support/pdf.ts';
import { zipEntries } from '../support/zip.ts';

/*
 * Every document at once, in Chromium (issue 14): the demo's business customer downloads the
 * year's documents as a ZIP and the list as a CSV from Mon compte, then asks for an account
 * statement with its days the wrong way round (the error, the days kept), then right (the PDF).
 * On a phone and a desktop, axe at 0 violations; and on a phone without JavaScript.
 */
describe.skipIf(!chromiumPath)('Mon compte’s downloads, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();
  const BUSINESS = 'CLT013263';

  beforeAll(async () => {
    await seedDemo(server.db, clock, { tempPasswordDays: 120 });
    const docs = await server.db
      .selectFrom('financial_documents as d')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .select('d.id')
      .where('c.number', '=', BUSINESS)
      .where('d.published_at', 'is not', null)
      .execute();
    for (const d of docs) await publishDocumentPdf(server.db, server.storage, clock, testConfig(), d.id);
  }, 240_000);

  const runs = [
    { name: 'phone', viewport: viewports.phone, javaScript: true },
    { name: 'phone without JavaScript', viewport: viewports.phone, javaScript: false },
    { name: 'desktop', viewport: viewports.desktop, javaScript: true },
  ];

  for (const run of runs) {
    it(`downloads the year’s ZIP, the list’s CSV and an account statement (${run.name})`, async () => {
      const context = await browser.newContext({ viewport: run.viewport, locale: 'fr-FR', javaScriptEnabled: run.javaScript, acceptDownloads: true });
      const page = await context.newPage();
      await logIn(page, server.base, BUSINESS, DEMO_ACTIVE_PASSWORD);
      await page.goto(`${server.base}/mon-compte`);
      await expectAccessibleWhenScripted(page, run.javaScript);

      // The year 2025 only, as the history filters it.
      const year = '2025';
      const inYear = await server.db
        .selectFrom('financial_documents as d')
        .innerJoin('customers as c', 'c.id', 'd.customer_id')
        .select(['d.number'])
        .where('c.number', '=', BUSINESS)
        .where('d.published_at', 'is not', null)
        .where('d.issue_date', '>=', `${year}-01-01`)
        .where('d.issue_date', '<=', `${year}-12-31`)
        .execute();
      await page.getByLabel('Année').selectOption(year);
      await page.getByRole('button', { name: 'Filtrer' }).click();
      expect(new URL(page.url()).searchParams.get('annee')).toBe(year);
      await expectAccessibleWhenScripted(page, run.javaScript);

      const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger tout (ZIP)' }).click()]);
      expect(zip.suggestedFilename()).toBe(`documents-${BUSINESS}-${year}.zip`);
      const names = zipEntries(await readFile((await zip.path())!));
      expect(names).toHaveLength(inYear.length);
      expect(names.every((n) => n.startsWith(`${year}/`))).toBe(true);
      expect(new Set(names.map((n) => n.replace(/^\d{4}\/(Facture|Avoir) (.*)\.pdf$/, '$2')))).toEqual(new Set(inYear.map((d) => d.number)));

      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporter la liste (CSV)' }).click()]);
      expect(csv.suggestedFilename()).toBe(`documents-${BUSINESS}-${year}.csv`);
      const lines = (await readFile((await csv.path())!)).toString('utf8').split('\r\n').filter(Boolean);
      expect(lines[0]).toBe('\uFEFFType;Numéro;Date;Échéance;Contrat;Montant HT;TVA;Montant TTC;Payé;Reste à payer;Statut');
      expect(lines).toHaveLength(inYear.length + 1);

      // The statement, its days the wrong way round: said next to the field, the days kept.
      await page.getByLabel('Du', { exact: true }).fill('2026-06-30');
      await page.getByLabel('Au', { exact: true }).fill('2026-01-01');
      await page.getByRole('button', { name: 'Télécharger le relevé (PDF)' }).click();
      expect(new URL(page.url()).pathname).toBe('/mon-compte/releve');
      expect(await page.locator('h1').textContent()).toBe('Relevé de compte');
      expect(await page.locator('.error-summary').textContent()).toContain('Saisissez un dernier jour égal ou postérieur au premier, le 30/06/2026.');
      expect(await page.locator('#au-error').textContent()).toBe('Saisissez un dernier jour égal ou postérieur au premier, le 30/06/2026.');
      expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe('2026-06-30');
      expect(await page.getByLabel('Au', { exact: true }).inputValue()).toBe('2026-01-01');
      await expectAccessibleWhenScripted(page, run.javaScript);

      await page.getByLabel('Au', { exact: true }).fill('2026-11-27');
      const [statement] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le relevé (PDF)' }).click()]);
      expect(statement.suggestedFilename()).toBe(`releve-${BUSINESS}-2026-06-30-2026-11-27.pdf`);
      const pdf = await readFile((await statement.path())!);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      if (hasPdftotext) expect(pdfText(pdf)).toContain('Relevé de compte du 30/06/2026 au 27/11/2026');
      await context.close();
    }, 120_000);
  }
});
