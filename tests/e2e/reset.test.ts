import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber } from '../support/factories.ts';
import { useServerOutbox } from '../support/mail.ts';

/*
 * "Mot de passe oublié ?" from the login page to the new password, reading the e-mail from a
 * real SMTP server; then the e-mail address change and its verification link. Phone and
 * desktop, axe on every page reached.
 */
describe.skipIf(!chromiumPath)('forgotten password and e-mail addresses, in Chromium', () => {
  const OLD_PASSWORD = 'violet tramway cerise';
  const NEW_PASSWORD = 'girafe lanterne ardoise';
  const server = useServer(systemClock);
  const browser = useChromium();
  const { smtp, worker } = useServerOutbox(server, systemClock);

  /** Delivers what is queued, then the path of the link to the app (its PUBLIC_URL) in the last mail to `address`. */
  async function linkIn(address: string, subject: string): Promise<string> {
    await worker.drain();
    const mails = smtp.to(address);
    const mail = mails[mails.length - 1];
    expect(mail?.subject).toBe(subject);
    const m = new RegExp(`${server.config.PUBLIC_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+`).exec(mail!.text);
    expect(m, mail!.text).not.toBeNull();
    return new URL(m![0]).pathname;
  }

  const h1 = (page: Page) => page.locator('h1').textContent();
  const path = (page: Page) => new URL(page.url()).pathname;

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`resets a forgotten password from the e-mail, then changes and verifies an address (${name})`, async () => {
      const { customer } = await activeSubscriber(server.db, systemClock, OLD_PASSWORD, { last_name: 'OUBLI', first_name: 'MARIE' });
      const address = `marie.${name}@example.fr`;
      await server.db
        .updateTable('customers')
        .set({ email_primary: address, email_primary_verified_at: new Date().toISOString() })
        .where('id', '=', customer.id)
        .execute();

      // Another device, logged in before: the reset must end its session.
      const otherContext = await browser.newContext({ viewport, locale: 'fr-FR' });
      const other = await otherContext.newPage();
      await logIn(other, server.base, customer.number, OLD_PASSWORD);
      expect(path(other)).toBe('/profil');

      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();
      const check = async () => {
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      };

      await page.goto(`${server.base}/connexion`);
      await check();
      await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
      expect(path(page)).toBe('/mot-de-passe-oublie');
      expect(await h1(page)).toBe('Mot de passe oublié');
      await check();

      await page.getByRole('button', { name: 'Recevoir un lien par e-mail' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('Saisissez votre identifiant');
      await check();

      await page.getByLabel('IDENTIFIANT (n° client)').fill(customer.number);
      await page.getByRole('button', { name: 'Recevoir un lien par e-mail' }).click();
      expect(await h1(page)).toBe('Demande enregistrée');
      expect(await page.getByRole('status').textContent()).toContain('Si ce numéro client correspond à un compte activé');
      expect(await page.locator('main').textContent()).toContain('utilisez le mot de passe temporaire imprimé en haut à gauche de votre dernière facture');
      await check();

      const resetPath = await linkIn(address, 'Choisir un nouveau mot de passe');
      expect(resetPath).toMatch(/^\/reinitialiser\/[A-Za-z0-9_-]{43}$/);
      await page.goto(`${server.base}${resetPath}`);
      expect(await h1(page)).toBe('Choisir un nouveau mot de passe');
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/reinitialiser-${viewport.width}.png`, fullPage: true });
      await check();

      // The password policy, with the error next to the field.
      await page.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).fill('azertyuiop123');
      await page.getByLabel('CONFIRMER LE NOUVEAU MOT DE PASSE').fill('azertyuiop123');
      await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
      expect(await page.locator('#password-error').textContent()).toMatch(/trop facile|trop courant/);
      await check();

      await page.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('CONFIRMER LE NOUVEAU MOT DE PASSE').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
      // Not logged in: the login page, with a notice.
      expect(path(page)).toBe('/connexion');
      expect(await page.getByRole('status').textContent()).toContain('Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.');
      await check();

      // The other device is logged out.
      await other.goto(`${server.base}/profil`);
      expect(path(other)).toBe('/connexion');
      await otherContext.close();

      // The notice e-mail.
      await worker.drain();
      const notice = smtp.to(address).at(-1)!;
      expect(notice.subject).toBe('Votre mot de passe a été modifié');
      expect(notice.text).toContain('contactez sans attendre le service client');

      // The link works once.
      await page.goto(`${server.base}${resetPath}`);
      expect(await h1(page)).toBe('Lien non valable');
      await check();
      await page.getByRole('link', { name: 'Demander un nouveau lien' }).click();
      expect(path(page)).toBe('/mot-de-passe-oublie');

      await logIn(page, server.base, customer.number, NEW_PASSWORD);
      expect(path(page)).toBe('/profil');
      expect(await page.locator('#email-primary').textContent()).toContain(`${address} (vérifiée)`);
      await check();

      // Changing the address asks for the password again (A7).
      await page.getByRole('link', { name: 'Modifier mes adresses e-mail' }).click();
      expect(await h1(page)).toBe('Modifier mes adresses e-mail');
      await check();
      const newAddress = `marie.${name}.nouvelle@example.org`;
      await page.getByLabel('ADRESSE EMAIL PRINCIPALE').fill(newAddress);
      await page.getByRole('button', { name: 'Enregistrer mes adresses' }).click();
      expect(await page.locator('#current_password-error').textContent()).toContain('Saisissez votre mot de passe actuel.');
      expect(await page.getByLabel('ADRESSE EMAIL PRINCIPALE').inputValue()).toBe(newAddress);
      await check();
      await page.getByLabel('MOT DE PASSE ACTUEL').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Enregistrer mes adresses' }).click();
      expect(path(page)).toBe('/profil');
      expect(await page.getByRole('status').textContent()).toContain('Vos adresses e-mail sont enregistrées');
      expect(await page.locator('#email-primary').textContent()).toContain(`${newAddress} (en attente de vérification)`);
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/profil-adresses-${viewport.width}.png`, fullPage: true });
      await check();

      const verifyPath = await linkIn(newAddress, 'Vérifiez votre adresse e-mail');
      expect(smtp.to(address).at(-1)!.subject).toBe('Les adresses e-mail de votre espace client ont été modifiées');
      await page.goto(`${server.base}${verifyPath}`);
      expect(await h1(page)).toBe('Vérifier mon adresse e-mail');
      await check();
      await page.getByRole('button', { name: 'Confirmer mon adresse e-mail' }).click();
      expect(await h1(page)).toBe('Adresse e-mail vérifiée');
      await check();
      await page.getByRole('link', { name: 'Accéder à mon espace client' }).click();
      expect(await page.locator('#email-primary').textContent()).toContain(`${newAddress} (vérifiée)`);
      await context.close();
    }, 90_000);
  }
});
