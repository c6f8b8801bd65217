import { describe, expect, it } from 'vitest';
import { sendRenewalNotices } from '../../src/features/renewals/renewals.service.ts';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { manualClock, newId } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';
import { createCarPark, createContract, createCustomer, emailColumns } from '../support/factories.ts';
import { createStaffMember } from '../support/staff.ts';

/*
 * "Renouvellements" (loi Chatel) in Chromium, on a phone and a desktop, with and without
 * JavaScript: the worker has sent a notice by e-mail in November and recorded a late one, by
 * letter, in December; the agent finds the list from the menu and filters it by month. axe on
 * every page reached and no sideways scrolling (with JavaScript: both run in the page).
 */
describe.skipIf(!chromiumPath)('the renewal notices in the back office, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-28T09:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  async function renewing(renewal: string, verified: boolean) {
    const customer = await createCustomer(server.db, clock, { last_name: 'RENOUVEAU', ...emailColumns(`e2e-chatel-${newId().slice(-10)}@example.test`, null, verified ? '2026-01-01T00:00:00.000Z' : null) });
    const park = await createCarPark(server.db, clock, { name: 'CHATEL' });
    const contract = await createContract(server.db, clock, customer.id, park.id);
    await server.db.updateTable('contracts').set({ renewal_date: renewal }).where('id', '=', contract.id).execute();
    return contract;
  }

  const runs = [
    { name: 'phone', viewport: viewports.phone, javaScript: true },
    { name: 'desktop', viewport: viewports.desktop, javaScript: true },
    { name: 'phone without JavaScript', viewport: viewports.phone, javaScript: false },
  ];

  for (const run of runs) {
    it(`lists the notices sent and filters them by month (${run.name})`, async () => {
      clock.set(new Date('2026-11-28T09:00:00.000Z'));
      const onTime = await renewing('2027-03-01', true);
      await sendRenewalNotices(server.db, clock, server.config);
      clock.set(new Date('2026-12-03T09:00:00.000Z'));
      const late = await renewing('2027-01-01', false);
      await sendRenewalNotices(server.db, clock, server.config);

      const agent = await createStaffMember(server.db, clock, { role: 'agent', displayName: 'Paul Agent' });
      const token = await createStaffSession(server.db, clock, server.app.staffSessionPolicy, agent.id, 'full', { ip: '127.0.0.1', user_agent: 'e2e' });
      const context = await browser.newContext({ viewport: run.viewport, locale: 'fr-FR', javaScriptEnabled: run.javaScript });
      await context.addCookies([{ name: server.app.staffCookie.name, value: token, url: server.base }]);
      const page = await context.newPage();
      // axe and the layout check run scripts in the page: with JavaScript only (as phone-layout.test.ts).
      const check = async () => {
        if (!run.javaScript) return;
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      };

      await page.goto(`${server.base}/gestion`);
      await openMenu(page);
      await page.getByRole('link', { name: 'Renouvellements' }).click();
      expect(await page.locator('h1').textContent()).toBe('Avis de renouvellement envoyés (loi Chatel)');
      const main = page.locator('main');
      expect(await main.textContent()).toContain(onTime.number);
      expect(await main.textContent()).toContain(late.number);
      expect(await page.locator('tr', { hasText: late.number }).textContent()).toMatch(/Courrier à envoyer.*En retard/s);
      await check();

      await page.getByLabel('Mois d’envoi').selectOption('2026-11');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/mois=2026-11/);
      expect(await main.textContent()).toContain(onTime.number);
      expect(await main.textContent()).not.toContain(late.number);
      await check();

      await page.getByRole('link', { name: 'Tout afficher' }).click();
      expect(await main.textContent()).toContain(late.number);
      await context.close();
    });
  }
});
