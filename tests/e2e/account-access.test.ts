import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, viewports, useChromium, useServer } from '../support/browser.ts';
import { activeSubscriber, emailColumns, newSubscriber } from '../support/factories.ts';

/*
 * Getting into the account and changing its keys: a page asked for while logged out is where
 * the login leads (through the first login for a new subscriber, who may also leave that form
 * and come back); a password changed from Profil opens the next login. Phone and desktop, axe
 * on every page reached.
 */
describe.skipIf(!chromiumPath)('access to the account, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();
  const PASSWORD = 'violet tramway cerise';
  const NEW_PASSWORD = 'girafe lanterne ardoise';

  const h1 = (page: Page) => page.locator('h1').textContent();
  const where = (page: Page) => {
    const url = new URL(page.url());
    return `${url.pathname}${url.search}`;
  };
  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };
  /** Logs in with the form of the page shown (the login page, wherever it was reached from). */
  const submitLogin = async (page: Page, number: string, password: string) => {
    await page.getByLabel('IDENTIFIANT (n° client)').fill(number);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
  };

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`leads a subscriber logged out to the footer page they asked for (${name})`, async () => {
      const { customer } = await activeSubscriber(server.db, systemClock, PASSWORD, { last_name: 'LIEN', first_name: 'ALICE' });
      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();

      await page.goto(`${server.base}/faq`);
      await page.getByRole('link', { name: 'Demande de prélèvement' }).click();
      expect(where(page)).toBe('/connexion?suite=/prelevement');
      expect(await h1(page)).toBe('Mon espace client');
      await check(page);

      // A mistake first: the page asked for is not forgotten.
      await submitLogin(page, customer.number, 'pas le bon mot de passe');
      expect(await page.getByRole('alert').textContent()).toContain('Identifiant ou mot de passe incorrect.');
      await check(page);
      await submitLogin(page, customer.number, PASSWORD);
      expect(where(page)).toBe('/prelevement');
      expect(await page.locator('body').textContent()).toContain('Bienvenue LIEN ALICE');
      await check(page);
      await context.close();
    }, 90_000);

    it(`takes a new subscriber from a deep link through the first login, which they may leave and finish later (${name})`, async () => {
      const { customer, tempPassword } = await newSubscriber(server.db, systemClock, { last_name: 'NOUVEAU', first_name: 'NOE' });
      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();

      await page.goto(`${server.base}/mon-compte`);
      expect(where(page)).toBe('/connexion?suite=/mon-compte');
      await submitLogin(page, customer.number, tempPassword);
      expect(where(page)).toBe('/premiere-connexion?suite=/mon-compte');
      expect(await h1(page)).toBe('Première connexion');
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/premiere-connexion-suite-${viewport.width}.png`, fullPage: true });
      await check(page);

      // Not now: out, and the temporary password still opens the form.
      await page.getByRole('button', { name: 'Déconnexion' }).click();
      expect(where(page)).toBe('/connexion?deconnecte');
      expect(await page.getByRole('status').textContent()).toContain('Vous êtes déconnecté.');
      await check(page);

      await page.goto(`${server.base}/mon-compte`);
      await submitLogin(page, customer.number, tempPassword);
      expect(where(page)).toBe('/premiere-connexion?suite=/mon-compte');
      await page.getByLabel('CRÉER UN MOT DE PASSE').fill(NEW_PASSWORD);
      await page.getByLabel('CONFIRMER LE MOT DE PASSE').fill(`${NEW_PASSWORD} !`);
      await page.getByLabel('ADRESSE EMAIL PRINCIPALE').fill(`noe.${name}@example.fr`);
      await page.getByRole('button', { name: 'Valider' }).click();
      expect(await page.locator('#password_confirm-error').textContent()).toContain('Les deux mots de passe ne sont pas identiques.');
      await check(page);
      await page.getByLabel('CRÉER UN MOT DE PASSE').fill(NEW_PASSWORD);
      await page.getByLabel('CONFIRMER LE MOT DE PASSE').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Valider' }).click();
      expect(where(page)).toBe('/mon-compte');
      expect(await page.locator('body').textContent()).toContain('Bienvenue NOUVEAU NOE');
      await check(page);
      await context.close();
    }, 90_000);

    it(`changes the password from Profil, then logs in with it (${name})`, async () => {
      const address = `cle.${name}@example.fr`;
      const { customer } = await activeSubscriber(server.db, systemClock, PASSWORD, {
        last_name: 'CLE',
        first_name: 'CAMILLE',
        ...emailColumns(address, null, new Date().toISOString()),
      });
      // Another device, logged in before: the change ends its session.
      const otherContext = await browser.newContext({ viewport, locale: 'fr-FR' });
      const other = await otherContext.newPage();
      await logIn(other, server.base, customer.number, PASSWORD);
      expect(where(other)).toBe('/profil');

      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, PASSWORD);
      expect(where(page)).toBe('/profil');
      await page.getByRole('link', { name: 'Changer mon mot de passe' }).click();
      expect(where(page)).toBe('/profil/mot-de-passe');
      expect(await h1(page)).toBe('Changer mon mot de passe');
      await check(page);

      await page.getByLabel('MOT DE PASSE ACTUEL').fill('pas le bon mot de passe');
      await page.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('CONFIRMER LE NOUVEAU MOT DE PASSE').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
      expect(await page.locator('#current_password-error').textContent()).toContain('Mot de passe incorrect.');
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/profil-mot-de-passe-${viewport.width}.png`, fullPage: true });
      await check(page);

      await page.getByLabel('MOT DE PASSE ACTUEL').fill(PASSWORD);
      await page.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('CONFIRMER LE NOUVEAU MOT DE PASSE').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
      expect(where(page)).toBe('/profil?mot-de-passe=modifie');
      expect(await page.getByRole('status').textContent()).toContain('Votre mot de passe a été modifié.');
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/profil-mot-de-passe-modifie-${viewport.width}.png`, fullPage: true });
      await check(page);

      await other.goto(`${server.base}/contrats`);
      expect(where(other)).toBe('/connexion?suite=/contrats');
      await otherContext.close();

      await page.getByRole('button', { name: 'Déconnexion' }).click();
      await logIn(page, server.base, customer.number, PASSWORD);
      expect(await page.getByRole('alert').textContent()).toContain('Identifiant ou mot de passe incorrect.');
      await logIn(page, server.base, customer.number, NEW_PASSWORD);
      expect(where(page)).toBe('/profil');
      await check(page);
      await context.close();
    }, 90_000);
  }
});
