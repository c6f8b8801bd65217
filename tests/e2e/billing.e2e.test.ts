import { describe, expect, it } from 'vitest';
import { manualClock, nowIso } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessibleWhenScripted, logIn, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns } from '../support/factories.ts';

/*
 * A business customer's billing profile in Chromium on a 360 px phone, with and without
 * JavaScript: Profil's "Facturation" section, the request's form — a wrong VAT number said next
 * to it, what was typed kept —, then the request sent and said on Profil. axe and no sideways
 * scrolling on every page reached (with JavaScript: both run in the page).
 */
describe.skipIf(!chromiumPath)('the billing profile in Profil, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  for (const javaScript of [true, false]) {
    it(`shows the Facturation section and sends a change through a request (${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
      const park = await createCarPark(server.db, clock, { name: 'WAGRAM' });
      const { customer, password } = await activeSubscriber(server.db, clock, undefined, {
        kind: 'business',
        company_name: 'TRANSPORTS LEROY',
        ...emailColumns(`leroy-${javaScript ? 'js' : 'nojs'}@example.fr`, null, nowIso(clock)),
      });
      await server.db.updateTable('customers').set({ siren: '552100554', vat_number: 'FR96552100554' }).where('id', '=', customer.id).execute();
      const contract = await createContract(server.db, clock, customer.id, park.id, { product: 'business' });

      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/profil`);
      const section = page.getByRole('region', { name: 'Facturation' });
      expect(await section.textContent()).toContain('FR96552100554');
      await expectAccessibleWhenScripted(page, javaScript);

      await section.getByRole('link', { name: 'Demander une modification' }).click();
      expect(await page.locator('h1').textContent()).toBe('Modifier votre profil de facturation');
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByLabel('N° de TVA intracommunautaire').fill('FR97552100554');
      await page.getByLabel(`Référence de commande du contrat ${contract.number}`).fill('BC-2026-0042');
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      expect(await page.locator('.error-summary').textContent()).toContain('La clé de ce n° de TVA ne correspond pas au SIREN');
      expect(await page.getByLabel(`Référence de commande du contrat ${contract.number}`).inputValue()).toBe('BC-2026-0042');
      await expectAccessibleWhenScripted(page, javaScript);

      await page.getByLabel('N° de TVA intracommunautaire').fill('FR96552100554');
      await page.getByLabel('E-mail de facturation').fill('compta@leroy.example');
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      expect(new URL(page.url()).pathname).toBe('/profil');
      expect(await page.locator('main').textContent()).toContain('Votre demande de modification du profil de facturation a été transmise au service client.');
      await expectAccessibleWhenScripted(page, javaScript);
      const requests = await server.db.selectFrom('contact_requests').select('category').where('customer_id', '=', customer.id).execute();
      expect(requests).toEqual([{ category: 'billing' }]);
      await context.close();
    }, 60_000);
  }
});
