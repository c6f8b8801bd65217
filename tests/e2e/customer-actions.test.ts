import { describe, expect, it } from 'vitest';
import { openStaffView } from '../../src/features/customers/customers.actions.service.ts';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { manualClock, newId } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns } from '../support/factories.ts';
import { createStaffMember } from '../support/staff.ts';

/*
 * The back office's action pages on a customer and the letters page, and a staff member's
 * read-only view of a customer's pages: phone and desktop, axe on every page, no JavaScript needed.
 */
describe.skipIf(!chromiumPath)('customer service’s action pages and the read-only customer view, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  async function staffContext(viewport: { width: number; height: number }) {
    const staff = await createStaffMember(server.db, clock);
    const token = await createStaffSession(server.db, clock, server.app.staffSessionPolicy, staff.id, 'full', { ip: '127.0.0.1', user_agent: 'e2e' });
    const context = await browser.newContext({ viewport, locale: 'fr-FR', acceptDownloads: true });
    await context.addCookies([{ name: server.app.staffCookie.name, value: token, url: server.base }]);
    return { context, staff };
  }

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`corrects contact details, records a change of plate, prints letters (${name})`, async () => {
      const { customer } = await activeSubscriber(server.db, clock, undefined, emailColumns(`e2e-${name}@example.test`, null, '2026-01-05T10:00:00.000Z'));
      const park = await createCarPark(server.db, clock);
      const contract = await createContract(server.db, clock, customer.id, park.id);
      await server.db.insertInto('contract_vehicles').values({ id: newId(), contract_id: contract.id, plate: 'AB-123-CD', plate_key: 'AB123CD', description: null }).execute();
      const { context } = await staffContext(viewport);
      const page = await context.newPage();
      const check = async () => {
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      };

      await page.goto(`${server.base}/gestion/clients/${customer.number}/coordonnees`);
      expect(await page.locator('h1').textContent()).toBe(`Corriger les coordonnées — ${customer.number}`);
      await check();
      await page.getByLabel('Code postal').fill('750');
      await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
      expect(await page.locator('.error-summary').textContent()).toContain('Saisissez le motif de la correction.');
      expect(await page.getByLabel('Code postal').inputValue()).toBe('750');
      await check();

      await page.goto(`${server.base}/gestion/clients/${customer.number}/immatriculation`);
      await check();
      await page.getByLabel('Nouvelle immatriculation').fill('EF-456-GH');
      await page.getByRole('button', { name: 'Enregistrer le changement' }).click();
      expect(await page.locator('.error-summary').textContent()).toContain('Saisissez la date à partir de laquelle le changement s’applique.');
      await check();

      await page.goto(`${server.base}/gestion/courriers`);
      await openMenu(page);
      expect(await page.getByRole('navigation', { name: 'Navigation de la gestion' }).getByRole('link').allTextContents()).toContain('Courriers');
      await check();
      await page.getByLabel('Numéros de client').fill(`${customer.number}\nCLT000000`);
      await page.getByRole('button', { name: 'Imprimer les courriers de ces clients' }).click();
      expect(await page.locator('.error-summary').textContent()).toContain('CLT000000 : aucun client ne porte ce numéro.');
      await check();
      await page.getByLabel('Numéros de client').fill(customer.number);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Imprimer les courriers de ces clients' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^courriers-2026-11-27-[0-9a-f]{8}\.pdf$/);
      await page.reload();
      expect(await page.locator('table.stack tbody tr').count()).toBeGreaterThan(0);
      await check();
      await context.close();
    });

    it(`shows the customer’s pages read-only, marked on each, and leaves them by the banner’s button (${name})`, async () => {
      const { customer } = await activeSubscriber(server.db, clock);
      const { context, staff } = await staffContext(viewport);
      const token = await openStaffView(server.db, clock, server.app.sessionPolicy, { staffId: staff.id, meta: { ip: '127.0.0.1', user_agent: 'e2e' } }, customer.id);
      await context.addCookies([{ name: server.app.sessionCookie.name, value: token, url: server.base }]);
      const page = await context.newPage();
      for (const path of ['/profil', '/contrats', '/mon-compte', '/contact']) {
        await page.goto(`${server.base}${path}`);
        expect(await page.locator('.staff-view-banner').textContent(), path).toContain('Vue du conseiller — lecture seule.');
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      }
      await page.goto(`${server.base}/profil`);
      const refused = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'J’accepte de recevoir mes documents par e-mail' }).click();
      expect((await refused).status()).toBe(403);
      expect(await page.locator('h1').textContent()).toBe('Vue du conseiller — lecture seule');
      expect(await page.locator('.staff-view-banner').count()).toBe(1);
      await expectAccessible(page);
      expect((await server.db.selectFrom('customers').select('paperless').where('id', '=', customer.id).executeTakeFirstOrThrow()).paperless).toBe(0);
      await page.goto(`${server.base}/profil`);
      await page.getByRole('button', { name: 'Quitter la vue client' }).click();
      expect(new URL(page.url()).pathname).toBe(`/gestion/clients/${customer.number}`);
      expect(await server.db.selectFrom('sessions').select('kind').where('customer_id', '=', customer.id).execute()).toEqual([]);
      await context.close();
    });
  }
});
