import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { deliverSandboxWebhooks, httpSender } from '../../src/features/payments/sandbox.provider.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, viewports, useChromium, useServer } from '../support/browser.ts';
import { insertDocument } from '../support/documents.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';

/*
 * Paying the balance through the sandbox provider, in Chromium: success, failure, cancel.
 * The sandbox's webhooks travel over real HTTP to the running server. axe on every page,
 * the sandbox's hosted page included.
 */
describe.skipIf(!chromiumPath)('paying the balance online, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  async function customerWithInvoices() {
    const park = await createCarPark(server.db, clock);
    const { customer, password } = await activeSubscriber(server.db, clock);
    await server.db.updateTable('customers').set({ paperless: 1, paperless_changed_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', customer.id).execute();
    const contract = await createContract(server.db, clock, customer.id, park.id);
    await insertDocument(server.db, { customerId: customer.id, contractId: contract.id, number: `${customer.number}-1`, issueDate: '2026-10-01', htCents: 17733 });
    await insertDocument(server.db, { customerId: customer.id, contractId: contract.id, number: `${customer.number}-2`, issueDate: '2026-11-01', htCents: 21667 });
    return { customer, password };
  }

  async function check(page: Page) {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  }

  async function toSandbox(page: Page) {
    await page.goto(`${server.base}/mon-compte`);
    await page.getByRole('link', { name: 'Régler le solde' }).click();
    expect(await page.locator('h1').textContent()).toBe('Régler le solde');
    await check(page);
    await page.getByRole('button', { name: 'Continuer vers le paiement sécurisé' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/sandbox-paiement\/sbx_/);
    expect(await page.locator('body').textContent()).toContain('ENVIRONNEMENT DE TEST');
    // Card data never touches the page (P1): no visible input at all.
    expect(await page.locator('input:not([type="hidden"])').count()).toBe(0);
    await check(page);
  }

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`pays, is declined, cancels (${name})`, async () => {
      const { customer, password } = await customerWithInvoices();
      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/mon-compte`);
      expect(await page.locator('main').textContent()).toContain('Reste à payer : 472,80');

      // Declined.
      await toSandbox(page);
      await page.getByRole('button', { name: 'Simuler un paiement refusé' }).click();
      await page.waitForURL(/\/mon-compte\/paiement\/retour\//);
      await deliverSandboxWebhooks(server.db, clock, server.config, httpSender(server.config));
      await page.reload();
      expect(await page.getByRole('status').textContent()).toContain('a été refusé');
      await check(page);

      // Cancelled.
      await toSandbox(page);
      await page.getByRole('button', { name: 'Annuler et revenir au site' }).click();
      await page.waitForURL(/\/mon-compte\/paiement\/retour\//);
      await deliverSandboxWebhooks(server.db, clock, server.config, httpSender(server.config));
      await page.reload();
      expect(await page.getByRole('status').textContent()).toContain('a été annulé');
      await check(page);

      // Paid: pending until the webhook, then confirmed.
      await toSandbox(page);
      await page.getByRole('button', { name: 'Simuler un paiement accepté' }).click();
      await page.waitForURL(/\/mon-compte\/paiement\/retour\//);
      expect(await page.getByRole('status').textContent()).toContain('en cours de confirmation');
      await check(page);
      expect(await deliverSandboxWebhooks(server.db, clock, server.config, httpSender(server.config))).toBe(1);
      await page.getByRole('link', { name: 'Actualiser' }).click();
      expect(await page.getByRole('status').textContent()).toContain('a bien été reçu');
      await check(page);

      await page.getByRole('link', { name: 'Retour à Mon compte' }).click();
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain('Reste à payer : 0,00');
      expect(main).toContain('Carte bancaire (en ligne)');
      await check(page);
      await context.close();
    });
  }
});
