import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.tsx';
import { testConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { freshDatabase } from '../support/app.ts';
import { createCarPark, createContract, newSubscriber } from '../support/factories.ts';

const chromiumPath = inject('chromiumPath');

/** Every page reached is checked with axe against WCAG 2.1 A and AA: 0 violations. */
async function expectAccessible(page: Page) {
  const { violations, passes } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(passes.length, 'axe ran its rules').toBeGreaterThan(10);
  const summary = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe on ${page.url()}`).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(client);
}

const viewports = [
  { name: 'phone', width: 360, height: 740, javaScript: true },
  { name: 'desktop', width: 1280, height: 800, javaScript: true },
  { name: 'phone without JavaScript', width: 360, height: 740, javaScript: false },
];

describe.skipIf(!chromiumPath)('the subscriber’s first connection, in Chromium', () => {
  let app: FastifyInstance;
  let db: Db;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    db = (await freshDatabase('sqlite')).db;
    app = await buildApp({ config: testConfig(), db, clock: systemClock });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      // Playwright starts each launch on a fresh temporary profile (--user-data-dir).
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.destroy();
  });

  for (const vp of viewports) {
    it(`goes from the invoice to the profile and back out (${vp.name})`, async () => {
      const park = await createCarPark(db, systemClock, { name: 'CARDINET', phone: '01.44.82.99.99' });
      const { customer, tempPassword } = await newSubscriber(db, systemClock, { last_name: 'DURAND', first_name: 'FRANCOIS' });
      await createContract(db, systemClock, customer.id, park.id);
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

      await page.goto(base);
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
      expect(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link').allTextContents()).toEqual(['Profil', 'Contrats', 'Mon compte', 'Contact']);
      await check();

      await page.getByRole('link', { name: 'Contact' }).first().click();
      expect(await page.locator('h1').textContent()).toBe('Contacts');
      expect(await page.locator('main').textContent()).toContain('01.44.82.99.99');
      await check();
      await page.getByRole('link', { name: 'Tous nos parkings' }).click();
      expect(await page.locator('h1').textContent()).toBe('Tous nos parkings');
      await check();
      await page.goto(`${base}/page-inconnue`);
      expect(await page.locator('h1').textContent()).toBe('Page introuvable');
      await check();

      await page.goto(`${base}/profil`);
      await page.getByRole('button', { name: 'Déconnexion' }).click();
      expect(new URL(page.url()).pathname).toBe('/connexion');
      expect(await page.getByRole('status').textContent()).toContain('Vous êtes déconnecté.');
      await check();
      await page.goto(`${base}/profil`);
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
