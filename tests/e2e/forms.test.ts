import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, viewports, useChromium, useServer } from '../support/browser.ts';
import { newSubscriber } from '../support/factories.ts';

/*
 * A form's errors as a subscriber on a phone reads them (issue 9, point 11): every message says
 * its numbers ("12", never "{min}"), and the error summary lists the fields in the page's order.
 * The server under test also refuses any page with an unfilled placeholder (startServer).
 */
const words = {
  fr: {
    login: { number: 'IDENTIFIANT (n° client)', password: 'Mot de passe', submit: 'Se connecter' },
    password: 'CRÉER UN MOT DE PASSE',
    confirm: 'CONFIRMER LE MOT DE PASSE',
    email: 'ADRESSE EMAIL PRINCIPALE',
    secondary: 'ADRESSE EMAIL SECONDAIRE',
    submit: 'Valider',
    tooShort: 'Le mot de passe doit contenir au moins 12 caractères.',
    summary: 'Le formulaire contient 3 erreur(s) :',
  },
  en: {
    login: { number: 'LOGIN (customer no.)', password: 'Password', submit: 'Log in' },
    password: 'CREATE A PASSWORD',
    confirm: 'CONFIRM THE PASSWORD',
    email: 'MAIN E-MAIL ADDRESS',
    secondary: 'SECONDARY E-MAIL ADDRESS',
    submit: 'Confirm',
    tooShort: 'The password must be at least 12 characters long.',
    summary: 'The form has 3 error(s):',
  },
};

describe.skipIf(!chromiumPath)('a form’s errors on a phone, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();

  for (const lang of ['fr', 'en'] as const) {
    it(`first connection: a too-short password says 12, the summary follows the page (${lang})`, async () => {
      const w = words[lang];
      const { customer, tempPassword } = await newSubscriber(server.db, systemClock, { language: lang });
      const context = await browser.newContext({ viewport: viewports.phone, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
      await context.addCookies([{ name: 'lang', value: lang, url: server.base }]);
      const page = await context.newPage();
      try {
        await page.goto(`${server.base}/connexion`);
        await page.getByLabel(w.login.number).fill(customer.number);
        await page.getByLabel(w.login.password, { exact: true }).fill(tempPassword);
        await page.getByRole('button', { name: w.login.submit }).click();
        await expect.poll(() => new URL(page.url()).pathname).toBe('/premiere-connexion');

        await page.getByLabel(w.password).fill('court');
        await page.getByLabel(w.confirm).fill('court');
        await page.getByLabel(w.email).fill('durand@');
        await page.getByLabel(w.secondary).fill('autre@');
        await page.getByRole('button', { name: w.submit }).click();

        const summary = page.getByRole('alert');
        expect(await summary.getByRole('heading').textContent()).toBe(w.summary);
        const links = await summary.getByRole('link').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
        // In the summary as on the page: password, main address, secondary address.
        expect(links.map(([href]) => href)).toEqual(['#password', '#email_primary', '#email_secondary']);
        const onPage = await page.locator('form input[aria-invalid="true"]').evaluateAll((inputs) => inputs.map((i) => `#${i.id}`));
        expect(links.map(([href]) => href)).toEqual(onPage);
        expect(links[0]![1]).toBe(`${w.password}${lang === 'fr' ? ' : ' : ': '}${w.tooShort}`);
        expect(await page.locator('#password-error').textContent()).toBe(w.tooShort);
        expect(await page.locator('main').textContent()).not.toMatch(/\{[a-z]+\}/i);

        // The summary's link takes the reader to the field.
        await summary.getByRole('link').first().click();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      } finally {
        await context.close();
      }
    });
  }
});
