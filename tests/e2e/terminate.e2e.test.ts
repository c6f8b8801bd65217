import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { earliestEffectiveDate } from '../../src/features/terminations/terminations.rules.ts';
import { parisDate, systemClock } from '../../src/lib/clock.ts';
import { formatDate } from '../../src/lib/i18n.ts';
import { chromiumPath, expectAccessibleWhenScripted, logIn, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';
import { useServerOutbox } from '../support/mail.ts';

/*
 * "Résilier votre contrat" in Chromium on a 360-px phone, with JavaScript (axe at 0
 * violations on every page reached, no horizontal scroll) and without: logged in from Contrats
 * (summary, confirmation, acknowledgement e-mail with the effective date, withdrawal), then
 * logged out from the footer's link (the public page, the e-mailed link, the summary, the
 * acknowledgement).
 */
describe.skipIf(!chromiumPath)('terminating a contract online, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();
  const { smtp, worker } = useServerOutbox(server, systemClock);
  let seq = 0;

  /** The last mail to `address`, once what is queued is delivered. */
  async function lastMail(address: string) {
    await worker.drain();
    const mails = smtp.to(address);
    return mails[mails.length - 1]!;
  }

  const linkIn = (text: string, prefix: string) => {
    const m = new RegExp(`${(server.config.PUBLIC_URL + prefix).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+`).exec(text);
    expect(m, text).not.toBeNull();
    return new URL(m![0]).pathname;
  };

  async function subscriber(lastName: string) {
    const n = ++seq;
    const address = `resiliation.${n}@example.fr`;
    const { customer, password } = await activeSubscriber(server.db, systemClock, undefined, { last_name: lastName, email_primary: address, email_primary_verified_at: new Date().toISOString() });
    const park = await createCarPark(server.db, systemClock, { name: `PARC${n}` });
    const contract = await createContract(server.db, systemClock, customer.id, park.id);
    // The date the summary must show, as the rules compute it today (Paris).
    const effective = formatDate(earliestEffectiveDate(contract, parisDate(new Date())), 'fr');
    return { customer, password, contract, address, effective };
  }

  const h1 = (page: Page) => page.locator('h1').textContent();
  const path = (page: Page) => new URL(page.url()).pathname;

  for (const javaScript of [true, false]) {
    const how = javaScript ? 'phone, axe' : 'phone, without JavaScript';

    it(`terminates from Contrats, is acknowledged with the effective date, then withdraws (${how})`, async () => {
      const { customer, password, contract, address, effective } = await subscriber('RESILIE');
      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/contrats`);
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByRole('link', { name: `Résilier votre contrat n° ${contract.number}` }).click();
      expect(await h1(page)).toBe('Récapitulatif de votre demande de résiliation');
      expect(await page.locator('dl.facts strong').textContent()).toBe(effective);
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByRole('button', { name: 'Confirmer la résiliation' }).click();
      expect(path(page)).toBe(`/contrats/${contract.number}/resiliation/enregistree`);
      expect(await h1(page)).toBe('Votre demande de résiliation est enregistrée');
      expect(await page.getByRole('status').textContent()).toContain(effective);
      await expectAccessibleWhenScripted(page, javaScript);

      const ack = await lastMail(address);
      expect(ack.subject).toBe(`Accusé de réception : résiliation du contrat n° ${contract.number}`);
      expect(ack.text).toContain(`Fin du contrat : ${effective}`);

      await page.getByRole('link', { name: 'Voir mes contrats' }).click();
      expect(await page.locator('.termination').first().textContent()).toContain(effective);
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByRole('button', { name: 'Retirer ma demande de résiliation' }).click();
      expect(await h1(page)).toBe('Votre demande de résiliation est retirée');
      await expectAccessibleWhenScripted(page, javaScript);
      expect((await lastMail(address)).subject).toBe(`Demande de résiliation retirée : contrat n° ${contract.number}`);
      await context.close();
    });

    it(`terminates without logging in, from the footer's link and the e-mailed link (${how})`, async () => {
      const { customer, contract, address, effective } = await subscriber('PUBLIC');
      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript });
      const page = await context.newPage();
      await page.goto(`${server.base}/faq`);
      await page.getByRole('contentinfo').getByRole('link', { name: 'Résilier votre contrat' }).click();
      expect(path(page)).toBe('/resilier');
      await expectAccessibleWhenScripted(page, javaScript);

      // Nothing typed: said in French, next to each field.
      await page.getByRole('button', { name: 'Recevoir le lien de confirmation' }).click();
      expect(await page.getByRole('alert').first().textContent()).toContain('champ(s) à corriger');
      await expectAccessibleWhenScripted(page, javaScript);

      const typed = `autre.${seq}@example.fr`;
      await page.getByLabel('N° client').fill(customer.number);
      await page.getByLabel('Nom du titulaire').fill('public');
      await page.getByLabel('N° du contrat').fill(contract.number);
      await page.getByLabel('Adresse e-mail').fill(typed);
      await page.getByRole('button', { name: 'Recevoir le lien de confirmation' }).click();
      expect(await h1(page)).toBe('Vérifiez votre messagerie');
      await expectAccessibleWhenScripted(page, javaScript);

      const mail = await lastMail(typed);
      await page.goto(`${server.base}${linkIn(mail.text, '/resilier/confirmation/')}`);
      expect(await h1(page)).toBe('Récapitulatif de votre demande de résiliation');
      expect(await page.locator('dl.facts strong').textContent()).toBe(effective);
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByRole('button', { name: 'Confirmer la résiliation' }).click();
      expect(await h1(page)).toBe('Votre demande de résiliation est enregistrée');
      await expectAccessibleWhenScripted(page, javaScript);
      for (const to of [typed, address]) expect((await lastMail(to)).text, to).toContain(`Fin du contrat : ${effective}`);
      await context.close();
    });
  }
});
