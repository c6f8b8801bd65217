import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { inviteMember } from '../../src/features/staff/team.service.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';

/*
 * The first admin of an installation, in Chromium: the enrolment link the command line
 * prints (here the same service, `inviteMember`), a password, the authenticator app set up
 * from the secret shown as text, the recovery codes; then a later login with a code, the
 * team page, an invitation, and the log-out. Phone and desktop, axe on every page.
 */

const codeNow = (secret: string) => generate({ secret });

describe.skipIf(!chromiumPath)('a staff member enrols and logs in, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`enrols with the link, then logs in with password and code (${name})`, async () => {
      const email = `admin.${name}@operator.example`;
      const invited = await inviteMember(server.db, systemClock, server.config, { email, role: 'admin', name: `Claire ${name}` }, { kind: 'cli' });
      if (!invited.ok) throw new Error('invitation refused');
      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();

      // Enrolment: the QR code and the same secret as text.
      await page.goto(invited.link.url);
      expect(await page.locator('h1').textContent()).toBe('Activer votre accès à la gestion');
      expect(await page.getByRole('img', { name: 'QR code à scanner avec votre application d’authentification' }).isVisible()).toBe(true);
      await check(page);
      const secret = (await page.locator('code').first().textContent())!.replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      const password = `boussole ${name === 'phone' ? 'quai' : 'pont'} lanterne cerise tramway`;
      await page.getByLabel('Mot de passe', { exact: true }).fill(password);
      await page.getByLabel('Confirmez le mot de passe').fill(password);
      // A wrong code first: refused, what was typed kept (but the passwords).
      await page.getByLabel(/^Code affiché par l’application/).fill('000000');
      await page.getByRole('button', { name: 'Activer mon accès' }).click();
      expect(await page.getByRole('alert').first().textContent()).toContain('Ce code ne correspond pas');
      await check(page);
      await page.getByLabel('Mot de passe', { exact: true }).fill(password);
      await page.getByLabel('Confirmez le mot de passe').fill(password);
      await page.getByLabel(/^Code affiché par l’application/).fill(await codeNow(secret));
      await page.getByRole('button', { name: 'Activer mon accès' }).click();

      // The ten recovery codes, once; then the back office.
      expect(await page.locator('h1').textContent()).toBe('Vos codes de secours');
      expect(await page.locator('main li code, main li').count()).toBeGreaterThanOrEqual(10);
      await check(page);

      // Logged in already: the team page is theirs.
      await page.goto(`${server.base}/gestion/equipe`);
      expect(await page.locator('h1').textContent()).toBe('Équipe');
      // Log out, and in again: password, then the code of the next time step (the one used
      // at enrolment cannot serve twice).
      await page.getByRole('button', { name: 'Déconnexion' }).click();
      expect(new URL(page.url()).pathname).toBe('/gestion/connexion');
      await check(page);
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByLabel('Mot de passe').fill(password);
      await page.getByRole('button', { name: 'Continuer' }).click();
      expect(new URL(page.url()).pathname).toBe('/gestion/verification');
      await check(page);
      const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      await page.getByLabel(/^Code/).fill(next);
      await page.getByRole('button', { name: 'Valider' }).click();
      expect(new URL(page.url()).pathname).not.toBe('/gestion/verification');

      // The team, from the navigation; an invitation shows its link.
      await page.goto(`${server.base}/gestion/equipe`);
      await openMenu(page);
      expect(await page.getByRole('navigation', { name: 'Navigation de la gestion' }).getByRole('link', { name: 'Équipe' }).isVisible()).toBe(true);
      await check(page);
      await page.getByLabel('Adresse e-mail').fill(`agent.${name}@operator.example`);
      await page.getByLabel('Conseiller : sert les clients').check();
      await page.getByRole('button', { name: 'Inviter' }).click();
      expect(await page.locator('main').textContent()).toContain(`Lien d’inscription envoyé par e-mail à agent.${name}@operator.example`);
      await check(page);
      await context.close();
    });
  }
});
