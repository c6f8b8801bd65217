import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, openMenu, useChromium, useServer } from '../support/browser.ts';
import { createCarPark, createContract, newSubscriber } from '../support/factories.ts';

const viewports = [
  { name: 'phone', width: 360, height: 740, javaScript: true },
  { name: 'desktop', width: 1280, height: 800, javaScript: true },
  { name: 'phone without JavaScript', width: 360, height: 740, javaScript: false },
];

describe.skipIf(!chromiumPath)('the subscriber’s first connection, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();

  for (const vp of viewports) {
    it(`goes from the invoice to the profile and back out (${vp.name})`, async () => {
      const park = await createCarPark(server.db, systemClock, { name: 'CARDINET', phone: '01.44.82.99.99' });
      const { customer, tempPassword } = await newSubscriber(server.db, systemClock, { last_name: 'DURAND', first_name: 'FRANCOIS' });
      await createContract(server.db, systemClock, customer.id, park.id);
      const context = await browser.newContext({
        viewport: { width: vp.width, height: vp.height },
        javaScriptEnabled: vp.javaScript,
        locale: 'fr-FR',
      });
      const page = await context.newPage();
      const check = async () => {
        if (vp.javaScript) {
          await expectAccessible(page);
          await expectNoHorizontalScroll(page);
        }
      };

      await page.goto(server.base);
      await expect.poll(() => new URL(page.url()).pathname).toBe('/connexion');
      expect(await page.locator('h1').textContent()).toBe('Mon espace client');
      await check();

      // The language switch, and back.
      await page.getByRole('button', { name: 'Switch to English' }).click();
      expect(await page.locator('h1').textContent()).toBe('My customer area');
      await check();
      await page.getByRole('button', { name: 'Passer en français' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');

      // A wrong password first.
      await page.getByLabel('IDENTIFIANT (n° client)').fill(customer.number);
      await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('Identifiant ou mot de passe incorrect.');
      expect(await page.getByLabel('IDENTIFIANT (n° client)').inputValue()).toBe(customer.number);
      await check();

      await page.getByLabel('Mot de passe').fill(tempPassword);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      expect(new URL(page.url()).pathname).toBe('/premiere-connexion');
      expect(await page.locator('h1').textContent()).toBe('Première connexion');
      expect(await page.locator('main').textContent()).toContain(customer.number);
      await check();

      // A mistake keeps what was typed and says what is wrong next to the field.
      await page.getByLabel('CRÉER UN MOT DE PASSE').fill('tramway cerise violette');
      await page.getByLabel('CONFIRMER LE MOT DE PASSE').fill('tramway cerise violette');
      await page.getByLabel('ADRESSE EMAIL PRINCIPALE').fill('francois.durand@exemple');
      await page.getByLabel('J’accepte de recevoir mes documents par e-mail').check();
      await page.getByRole('button', { name: 'Valider' }).click();
      expect(await page.locator('#email_primary-error').textContent()).toContain('Saisissez une adresse e-mail valide');
      expect(await page.getByLabel('ADRESSE EMAIL PRINCIPALE').inputValue()).toBe('francois.durand@exemple');
      expect(await page.getByLabel('J’accepte de recevoir mes documents par e-mail').isChecked()).toBe(true);
      await check();

      await page.getByLabel('ADRESSE EMAIL PRINCIPALE').fill('francois.durand@example.fr');
      await page.getByRole('button', { name: 'Valider' }).click();
      expect(new URL(page.url()).pathname).toBe('/profil');
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/profil-${vp.width}.png`, fullPage: true });
      const main = (await page.locator('body').textContent()) ?? '';
      for (const text of ['Bienvenue DURAND FRANCOIS', 'Votre espace client est activé', customer.number, 'francois.durand@example.fr', 'CARDINET', 'Oui, depuis le']) {
        expect(main).toContain(text);
      }
      await openMenu(page);
      expect(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link').allTextContents()).toEqual(['Profil', 'Contrats', 'Mon compte', 'Contact']);
      await check();

      await page.getByRole('link', { name: 'Contact' }).first().click();
      expect(await page.locator('h1').textContent()).toBe('Contacts');
      expect(await page.locator('main').textContent()).toContain('01.44.82.99.99');
      await check();
      await page.getByRole('link', { name: 'Tous nos parkings' }).click();
      expect(await page.locator('h1').textContent()).toBe('Tous nos parkings');
      await check();
      await page.goto(`${server.base}/page-inconnue`);
      expect(await page.locator('h1').textContent()).toBe('Page introuvable');
      await check();

      await page.goto(`${server.base}/profil`);
      await page.getByRole('button', { name: 'Déconnexion' }).click();
      expect(new URL(page.url()).pathname).toBe('/connexion');
      expect(await page.getByRole('status').textContent()).toContain('Vous êtes déconnecté.');
      await check();
      await page.goto(`${server.base}/profil`);
      expect(new URL(page.url()).pathname).toBe('/connexion');

      // Later logins: customer number and the new password.
      await page.getByLabel('IDENTIFIANT (n° client)').fill(customer.number);
      await page.getByLabel('Mot de passe').fill('tramway cerise violette');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      expect(new URL(page.url()).pathname).toBe('/profil');
      await context.close();
    });
  }
});
