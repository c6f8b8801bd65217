import { describe, expect, it } from 'vitest';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { deliverSandboxWebhooks, httpSender } from '../../src/features/payments/sandbox.provider.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessibleWhenScripted, logIn, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';
import { createStaffMember } from '../support/staff.ts';

/*
 * A badge reported broken and its replacement paid in the sandbox, then posted by customer
 * service, in Chromium: on a phone with and without JavaScript, and on a desktop; axe on every page.
 */
describe.skipIf(!chromiumPath)('a badge lost, stolen or broken, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  const runs = [
    { name: 'phone', viewport: viewports.phone, javaScript: true },
    { name: 'phone without JavaScript', viewport: viewports.phone, javaScript: false },
    { name: 'desktop', viewport: viewports.desktop, javaScript: true },
  ];

  for (const [i, run] of runs.entries()) {
    it(`reports a broken badge, pays its replacement, and the back office posts it (${run.name})`, async () => {
      const park = await createCarPark(server.db, clock, { code: `E2EB${i}` });
      const { customer, password } = await activeSubscriber(server.db, clock);
      const contract = await createContract(server.db, clock, customer.id, park.id);
      const badge = `B-E2E-${i}`;
      await server.db.updateTable('contracts').set({ badge_number: badge }).where('id', '=', contract.id).execute();

      const context = await browser.newContext({ viewport: run.viewport, locale: 'fr-FR', javaScriptEnabled: run.javaScript });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/contrats`);
      await page.getByRole('link', { name: 'Signaler un badge perdu, volé ou abîmé' }).click();
      expect(await page.locator('h1').textContent()).toBe(`Badge du contrat n° ${contract.number}`);
      await expectAccessibleWhenScripted(page, run.javaScript);

      // Without a reason: said next to the field, in a summary that links to it.
      await page.getByRole('button', { name: `Bloquer le badge ${badge}` }).click();
      expect(await page.getByRole('alert').first().textContent()).toContain('Choisissez ce qui est arrivé au badge.');
      await expectAccessibleWhenScripted(page, run.javaScript);

      await page.getByRole('radio', { name: 'Abîmé' }).check();
      await page.getByRole('button', { name: `Bloquer le badge ${badge}` }).click();
      expect(await page.getByRole('status').textContent()).toContain('Votre badge est bloqué');
      expect(await page.locator('main').textContent()).toContain('Rapportez le badge abîmé');
      expect((await page.locator('main').textContent())!.replace(/\u00a0/g, ' ')).toContain('15,00 € TTC');
      await expectAccessibleWhenScripted(page, run.javaScript);

      await page.getByRole('button', { name: /Commander et payer 15,00/ }).click();
      expect(new URL(page.url()).pathname).toMatch(/^\/sandbox-paiement\/sbx_/);
      await expectAccessibleWhenScripted(page, run.javaScript);
      await page.getByRole('button', { name: 'Simuler un paiement accepté' }).click();
      await page.waitForURL(/\/badge\?paiement=/);
      expect(await page.getByRole('status').textContent()).toContain('en cours de confirmation');
      await expectAccessibleWhenScripted(page, run.javaScript);
      expect(await deliverSandboxWebhooks(server.db, clock, server.config, httpSender(server.config))).toBe(1);
      await page.reload();
      expect(await page.locator('main').textContent()).toContain('Payé : nouveau badge en préparation');
      await expectAccessibleWhenScripted(page, run.javaScript);

      // Customer service: the queue, the new badge's number, "Envoyé".
      const staff = await createStaffMember(server.db, clock, { role: 'agent', displayName: `Agent ${i}` });
      const token = await createStaffSession(server.db, clock, server.app.staffSessionPolicy, staff.id, 'full', { ip: '127.0.0.1', user_agent: 'e2e' });
      const office = await browser.newContext({ viewport: run.viewport, locale: 'fr-FR', javaScriptEnabled: run.javaScript });
      await office.addCookies([{ name: server.app.staffCookie.name, value: token, url: server.base }]);
      const bo = await office.newPage();
      await bo.goto(`${server.base}/gestion/badges`);
      expect(await bo.locator('h1').textContent()).toBe('Badges à préparer');
      await expectAccessibleWhenScripted(bo, run.javaScript);
      const item = bo.locator('article', { hasText: `Contrat ${contract.number}` });
      await item.getByLabel('Numéro du nouveau badge').fill(`N-E2E-${i}`);
      await item.getByRole('button', { name: 'Envoyé' }).click();
      expect(await bo.getByRole('status').textContent()).toContain('Badge envoyé');
      await expectAccessibleWhenScripted(bo, run.javaScript);

      await page.reload();
      const main = await page.locator('main').textContent();
      expect(main).toContain(`Badge ${badge} remplacé par le badge N-E2E-${i}, envoyé le 27/11/2026`);
      await expectAccessibleWhenScripted(page, run.javaScript);
      await office.close();
      await context.close();
    });
  }
});
