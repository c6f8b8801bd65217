import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, viewports, useChromium, useServer } from '../support/browser.ts';
import { createCarPark } from '../support/factories.ts';

const pages = [
  { path: '/faq', h1: { fr: 'Foire aux questions', en: 'Frequently asked questions' } },
  { path: '/parkings', h1: { fr: 'Tous nos parkings', en: 'All our car parks' } },
  { path: '/newsletter', h1: { fr: 'Newsletter', en: 'Newsletter' } },
  { path: '/accessibilite', h1: { fr: 'Déclaration d’accessibilité', en: 'Accessibility statement' } },
  { path: '/mentions-legales', h1: { fr: 'Mentions légales', en: 'Legal notice' } },
  { path: '/confidentialite', h1: { fr: 'Politique de confidentialité', en: 'Privacy policy' } },
  { path: '/api/docs', h1: { fr: 'API de l’exploitant : référence', en: 'Operator API reference' } },
];

describe.skipIf(!chromiumPath)('the public pages, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();

  beforeAll(async () => {
    await createCarPark(server.db, systemClock, { name: 'CARDINET', phone: '01.44.82.99.99' });
    await createCarPark(server.db, systemClock, { name: 'PORTE MAILLOT — PALAIS DES CONGRÈS' });
  });

  async function open(vp: { width: number; height: number }, lang: 'fr' | 'en'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: vp, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
    await context.addCookies([{ name: 'lang', value: lang, url: server.base }]);
    return { context, page: await context.newPage() };
  }

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };

  for (const [name, vp] of Object.entries(viewports)) {
    for (const lang of ['fr', 'en'] as const) {
      it(`every public page is accessible and fits the screen (${name}, ${lang})`, async () => {
        const { context, page } = await open(vp, lang);
        for (const p of pages) {
          const res = await page.goto(`${server.base}${p.path}`);
          expect(res?.status(), p.path).toBe(200);
          expect(await page.locator('html').getAttribute('lang')).toBe(lang);
          expect(await page.locator('h1').textContent(), p.path).toBe(p.h1[lang]);
          await check(page);
          if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${p.path.slice(1)}-${lang}-${vp.width}.png`, fullPage: true });
        }
        // The error page shows the request's reference (its X-Request-Id) for customer service.
        const missing = await page.goto(`${server.base}/page-inexistante`);
        expect(missing?.status()).toBe(404);
        expect(await page.locator('h1').textContent()).toBe(lang === 'fr' ? 'Page introuvable' : 'Page not found');
        const reference = (await missing!.headerValue('x-request-id'))!;
        expect(await page.locator('main').textContent()).toContain(`${lang === 'fr' ? 'à donner au service client : ' : 'to give customer service: '}${reference}`);
        await check(page);
        // The footer leads to each of them.
        await page.goto(`${server.base}/faq`);
        const footer = page.getByRole('contentinfo');
        const legal = lang === 'fr' ? 'Accessibilité : partiellement conforme' : 'Accessibility: partially compliant';
        await footer.getByRole('link', { name: legal }).click();
        expect(new URL(page.url()).pathname).toBe('/accessibilite');
        // The FAQ's table of contents leads to its questions.
        await page.goto(`${server.base}/faq`);
        const toc = page.getByRole('navigation', { name: lang === 'fr' ? 'Sommaire' : 'Contents' });
        const entry = toc.getByRole('link').nth(3);
        const target = (await entry.getAttribute('href'))!;
        await entry.click();
        expect(new URL(page.url()).hash).toBe(target);
        await expect.poll(() => page.locator(target).isVisible()).toBe(true);
        await context.close();
      });
    }

    it(`the newsletter forms: a mistake, a subscription, its confirmation and an unsubscription (${name})`, async () => {
      const { context, page } = await open(vp, 'fr');
      await page.goto(`${server.base}/parkings`);
      await page.getByRole('contentinfo').getByRole('link', { name: 'Newsletter' }).click();
      expect(new URL(page.url()).pathname).toBe('/newsletter');

      await page.getByLabel('Adresse e-mail', { exact: true }).fill('pas-une-adresse');
      await page.getByRole('button', { name: 'S’inscrire à la newsletter' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('Saisissez une adresse e-mail valide');
      expect(await page.getByLabel('Adresse e-mail', { exact: true }).inputValue()).toBe('pas-une-adresse');
      await check(page);

      const email = `e2e.${name}@example.fr`;
      await page.getByLabel('Adresse e-mail', { exact: true }).fill(email);
      await page.getByRole('button', { name: 'S’inscrire à la newsletter' }).click();
      expect(new URL(page.url()).search).toBe('?inscription');
      expect(await page.getByRole('status').textContent()).toContain('elle va recevoir un e-mail pour confirmer');
      await check(page);

      // The e-mail is in the outbox: follow its links as the subscriber would.
      const mail = await server.db.selectFrom('outbox').select('text_body').where('recipient', '=', email).executeTakeFirstOrThrow();
      const confirmLink = /http\S+\/newsletter\/confirmer\/\S+/.exec(mail.text_body)![0];
      const unsubscribeLink = /http\S+\/newsletter\/desabonnement\/\S+/.exec(mail.text_body)![0];
      await page.goto(`${server.base}${new URL(confirmLink).pathname}`);
      expect(await page.locator('h1').textContent()).toBe('Confirmer votre inscription');
      await check(page);
      await page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
      expect(await page.locator('h1').textContent()).toBe('Inscription confirmée');
      await check(page);

      await page.goto(`${server.base}${new URL(unsubscribeLink).pathname}`);
      expect(await page.locator('main').textContent()).toContain(email);
      await check(page);
      await page.getByRole('button', { name: 'Me désabonner' }).click();
      expect(await page.locator('h1').textContent()).toBe('Vous êtes désabonné');
      await check(page);

      // A link that no longer works says so, accessibly.
      await page.goto(`${server.base}${new URL(confirmLink).pathname}`);
      expect(await page.locator('h1').textContent()).toBe('Lien non valable');
      await check(page);

      // "Send me an unsubscribe link".
      await page.goto(`${server.base}/newsletter`);
      await page.getByLabel('Adresse e-mail abonnée').fill(email);
      await page.getByRole('button', { name: 'Recevoir un lien de désabonnement' }).click();
      expect(await page.getByRole('status').textContent()).toContain('Si cette adresse est abonnée');
      await check(page);
      await context.close();
    });
  }
});
