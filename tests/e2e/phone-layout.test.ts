import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { manualClock, nowIso } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, viewports, useChromium, useServer } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns, newSubscriber } from '../support/factories.ts';

/*
 * The portal on a 360×740 phone: the header and its menu stay compact on every customer
 * page (at most 120 px when the menu is closed), the menu opens and reaches every section
 * with and without JavaScript, the desktop keeps its full navigation, and after the first
 * connection the unverified address is said at once, with its resend button, on the first
 * screen. axe finds nothing on any of them.
 */

const MAX_HEADER_PX = 120;

describe.skipIf(!chromiumPath)('the portal on a phone, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  /** An active petit-rouleur subscriber: the longest menu (Décomptes petits rouleurs is in it). */
  async function subscriber(language: 'fr' | 'en' = 'fr') {
    const park = await createCarPark(server.db, clock, { name: 'CARDINET' });
    const { customer, password } = await activeSubscriber(server.db, clock, undefined, {
      language,
      last_name: 'DE LA ROCHEFOUCAULD',
      first_name: 'MARIE-CHRISTINE',
      ...emailColumns('marie.dlr@example.fr', null, nowIso(clock)),
    });
    await createContract(server.db, clock, customer.id, park.id, { product: 'resident_petit_rouleur' });
    return { customer, password };
  }

  const headerHeight = async (page: Page) => (await page.locator('header.site-header').boundingBox())!.height;
  const shot = async (page: Page, name: string) => {
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
  };

  const pages = [
    { path: '/profil', fr: 'Profil', en: 'Profile' },
    { path: '/contrats', fr: 'Contrats', en: 'Contracts' },
    { path: '/mon-compte', fr: 'Mon compte', en: 'My account' },
    { path: '/decomptes', fr: 'Décomptes petits rouleurs', en: 'Low-mileage statements' },
    { path: '/contact', fr: 'Contact', en: 'Contact' },
  ] as const;

  for (const language of ['fr', 'en'] as const) {
    it(`keeps the header and closed menu within ${MAX_HEADER_PX} px on every customer page (${language})`, async () => {
      const { customer, password } = await subscriber(language);
      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR' });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      for (const p of [...pages, { path: '/prelevement' }]) {
        await page.goto(`${server.base}${p.path}`);
        await shot(page, `header-${language}${p.path.replace('/', '-')}`);
        expect(await headerHeight(page), `header on ${p.path}`).toBeLessThanOrEqual(MAX_HEADER_PX);
        // The language switch and logout are on the first screen, without opening anything.
        await expect.poll(() => page.getByRole('button', { name: language === 'fr' ? 'Déconnexion' : 'Log out' }).isVisible()).toBe(true);
        await expect.poll(() => page.getByRole('button', { name: language === 'fr' ? 'Switch to English' : 'Passer en français' }).isVisible()).toBe(true);
        if (language === 'fr') await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      }
      await context.close();
    }, 60_000);
  }

  for (const javaScript of [true, false]) {
    it(`opens the menu and reaches every section, the current one marked (${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
      const { customer, password } = await subscriber();
      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      expect(new URL(page.url()).pathname).toBe('/profil');
      // A <summary>: a disclosure button to assistive technology, without an ARIA role Playwright names.
      const menu = page.locator('header summary', { hasText: 'Menu' });
      const nav = page.getByRole('navigation', { name: 'Navigation principale' });
      for (const target of pages) {
        // Closed on arrival: its links are out of sight until the button opens it.
        expect(await page.locator('details.menu').getAttribute('open')).toBeNull();
        expect(await nav.getByRole('link', { name: target.fr, exact: true }).isVisible()).toBe(false);
        await menu.click();
        expect(await nav.getByRole('link').allTextContents()).toEqual(pages.map((p) => p.fr));
        if (javaScript) {
          await shot(page, `menu-open${target.path.replace('/', '-')}`);
          await expectAccessible(page);
          await expectNoHorizontalScroll(page);
        }
        await nav.getByRole('link', { name: target.fr, exact: true }).click();
        expect(new URL(page.url()).pathname).toBe(target.path);
        // The page reached is the one marked current in the menu.
        expect(await page.locator('.main-nav a[aria-current="page"]').allTextContents()).toEqual([target.fr]);
      }
      // The language switch and logout need no menu.
      await page.getByRole('button', { name: 'Switch to English' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await menu.click();
      expect(await nav.count()).toBe(0);
      expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allTextContents()).toEqual(pages.map((p) => p.en));
      await page.getByRole('button', { name: 'Log out' }).click();
      expect(new URL(page.url()).pathname).toBe('/connexion');
      await context.close();
    }, 60_000);
  }

  it('keeps the full navigation on a desktop, without a menu button', async () => {
    const { customer, password } = await subscriber();
    const context = await browser.newContext({ viewport: viewports.desktop, locale: 'fr-FR' });
    const page = await context.newPage();
    await logIn(page, server.base, customer.number, password);
    await page.goto(`${server.base}/mon-compte`);
    await shot(page, 'header-desktop');
    expect(await page.locator('header summary', { hasText: 'Menu' }).isVisible()).toBe(false);
    const links = page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link');
    expect(await links.allTextContents()).toEqual(pages.map((p) => p.fr));
    for (const link of await links.all()) expect(await link.isVisible()).toBe(true);
    expect(await page.locator('.main-nav a[aria-current="page"]').allTextContents()).toEqual(['Mon compte']);
    await expectAccessible(page);
    await context.close();
  });

  it('says on the first screen after the first connection that the address awaits verification, with the resend button', async () => {
    const park = await createCarPark(server.db, clock, { name: 'CARDINET' });
    const { customer, tempPassword } = await newSubscriber(server.db, clock, { last_name: 'DURAND', first_name: 'FRANCOIS' });
    await createContract(server.db, clock, customer.id, park.id);
    const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR' });
    const page = await context.newPage();
    await logIn(page, server.base, customer.number, tempPassword);
    expect(new URL(page.url()).pathname).toBe('/premiere-connexion');
    await page.getByLabel('CRÉER UN MOT DE PASSE').fill('tramway cerise violette');
    await page.getByLabel('CONFIRMER LE MOT DE PASSE').fill('tramway cerise violette');
    await page.getByLabel('ADRESSE EMAIL PRINCIPALE').fill('francois.durand@example.fr');
    await page.getByRole('button', { name: 'Valider' }).click();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/profil?active=1');
    await shot(page, 'profil-active');

    const notice = page.getByRole('region', { name: 'Vérifiez votre adresse e-mail' });
    expect(await notice.textContent()).toContain('Un lien de vérification a été envoyé à francois.durand@example.fr');
    const resend = notice.getByRole('button', { name: 'Renvoyer le lien de vérification à francois.durand@example.fr' });
    const onFirstScreen = async (box: { y: number; height: number } | null) => box !== null && box.y >= 0 && box.y + box.height <= viewports.phone.height;
    expect(await onFirstScreen(await resend.boundingBox()), 'the resend button is on the first screen').toBe(true);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    // Direct debit says it first too, with the same button.
    await page.goto(`${server.base}/prelevement`);
    await shot(page, 'prelevement-unverified');
    const ddNotice = page.getByRole('region', { name: 'Vérifiez votre adresse e-mail' });
    expect(await ddNotice.textContent()).toContain('il faut une adresse e-mail principale vérifiée');
    const ddResend = ddNotice.getByRole('button', { name: 'Renvoyer le lien de vérification à francois.durand@example.fr' });
    expect(await onFirstScreen(await ddResend.boundingBox()), 'the resend button is on the first screen').toBe(true);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    // The link went out at activation: asking again at once is answered "wait a few minutes".
    await ddResend.click();
    expect(new URL(page.url()).pathname).toBe('/profil');
    expect(await page.getByRole('status').textContent()).toContain('il y a moins de 5 minutes');
    await context.close();
  });
});
