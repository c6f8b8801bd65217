import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DAY, systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessibleWhenScripted, logIn, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns } from '../support/factories.ts';
import { useServerOutbox } from '../support/mail.ts';

/*
 * The users of a business account in Chromium, on a phone (360 px), with and without
 * JavaScript (issue 14): the owner invites an accountant from Profil (the form's errors first),
 * the invitation is read from a real SMTP server, the invitee chooses a password from its link
 * and logs in with their e-mail address; then the accountant's view — the navigation, Mon
 * compte, a contract without its actions, a contract change refused, their own password changed
 * from Profil (a wrong current password first); the owner sends an expired invitation again,
 * whose new link works while the old one does not. axe on every page (with JavaScript: axe runs
 * in the page).
 */
describe.skipIf(!chromiumPath)('users of a business account, in Chromium', () => {
  const OWNER_PASSWORD = 'violet tramway cerise';
  const USER_PASSWORD = 'girafe lanterne ardoise';
  const NEW_USER_PASSWORD = 'cerise ardoise tramway';
  const server = useServer(systemClock);
  const browser = useChromium();
  const { smtp, worker } = useServerOutbox(server, systemClock);

  const h1 = (page: Page) => page.locator('h1').textContent();
  const path = (page: Page) => new URL(page.url()).pathname;
  /** The link to `/utilisateur/…` an e-mail holds. */
  const linkIn = (text: string) => new RegExp(`${server.base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/utilisateur/\\S+`).exec(text)![0];

  for (const javaScript of [true, false]) {
    it(`invites an accountant, who logs in with their address and sees the account read-only (phone, JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const tag = javaScript ? 'js' : 'nojs';
      const { customer } = await activeSubscriber(server.db, systemClock, OWNER_PASSWORD, {
        kind: 'business',
        company_name: `TRANSPORTS ${tag.toUpperCase()} SAS`,
        paperless: 1,
        paperless_changed_at: '2026-01-01T00:00:00.000Z',
        ...emailColumns(`direction.${tag}@transports.example`, null, new Date().toISOString()),
      });
      const park = await createCarPark(server.db, systemClock);
      const contract = await createContract(server.db, systemClock, customer.id, park.id, { product: 'business' });

      const owner = await (await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript })).newPage();
      const check = (page: Page) => expectAccessibleWhenScripted(page, javaScript);
      await logIn(owner, server.base, customer.number, OWNER_PASSWORD);
      expect(path(owner)).toBe('/profil');
      await owner.getByRole('link', { name: 'Gérer les utilisateurs du compte' }).click();
      expect(await h1(owner)).toBe('Utilisateurs');
      await check(owner);

      // Nothing typed: the errors, summary and fields; then what was typed is kept.
      await owner.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      expect(await owner.locator('.error-summary').textContent()).toContain('Choisissez un rôle.');
      await check(owner);
      const address = `paul.${tag}@transports.example`;
      await owner.getByLabel('Adresse e-mail').fill(address);
      await owner.getByLabel('Nom et prénom').fill('Paul Lefèvre');
      await owner.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      expect(await owner.locator('#role-error').textContent()).toBe('Choisissez un rôle.');
      expect(await owner.getByLabel('Nom et prénom').inputValue()).toBe('Paul Lefèvre');
      await owner.getByLabel('Rôle', { exact: true }).selectOption('accountant');
      await owner.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      expect(await owner.getByRole('status').textContent()).toContain('Invitation envoyée');
      expect(await owner.locator('main table').textContent()).toContain('Paul Lefèvre');
      await check(owner);

      // The e-mail, from the SMTP server; its link opens the password page.
      await worker.drain();
      const mail = smtp.to(address).at(-1)!;
      expect(mail.subject).toBe(`Invitation à l’espace client de TRANSPORTS ${tag.toUpperCase()} SAS`);
      const link = linkIn(mail.text);

      const invitee = await (await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript })).newPage();
      await invitee.goto(link);
      expect(await h1(invitee)).toBe('Choisir votre mot de passe');
      expect(await invitee.locator('main').textContent()).toContain(customer.number);
      await check(invitee);
      await invitee.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).fill('court');
      await invitee.getByLabel('CONFIRMER LE NOUVEAU MOT DE PASSE').fill('court');
      await invitee.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
      expect(await invitee.locator('#password-error').textContent()).toContain('au moins 12 caractères');
      await check(invitee);
      await invitee.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).fill(USER_PASSWORD);
      await invitee.getByLabel('CONFIRMER LE NOUVEAU MOT DE PASSE').fill(USER_PASSWORD);
      await invitee.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
      expect(path(invitee)).toBe('/connexion');
      expect(await invitee.getByRole('status').textContent()).toContain('Connectez-vous avec votre adresse e-mail');
      await check(invitee);

      // The login by e-mail, on the same form.
      await logIn(invitee, server.base, address, USER_PASSWORD);
      expect(path(invitee)).toBe('/profil');
      expect(await invitee.locator('.welcome').textContent()).toContain('Paul Lefèvre');
      expect(await invitee.locator('main').textContent()).toContain(customer.number);
      expect(await invitee.getByRole('link', { name: 'Gérer les utilisateurs du compte' }).count()).toBe(0);
      expect(await invitee.getByRole('button', { name: /documents par e-mail|recevoir mes documents/i }).count()).toBe(0);
      await check(invitee);

      // The navigation: what an accountant uses.
      await openMenu(invitee);
      const nav = await invitee.getByRole('navigation', { name: 'Navigation principale' }).textContent();
      for (const entry of ['Profil', 'Contrats', 'Mon compte', 'Contact']) expect(nav).toContain(entry);
      await invitee.getByRole('link', { name: 'Mon compte' }).click();
      expect(path(invitee)).toBe('/mon-compte');
      await check(invitee);

      await openMenu(invitee);
      await invitee.getByRole('link', { name: 'Contrats' }).click();
      expect(path(invitee)).toBe('/contrats');
      expect(await invitee.locator('main').textContent()).toContain(contract.number);
      expect(await invitee.locator('main a[href*="/resiliation"], main a[href*="/vehicules"], main a[href*="/badge"]').count()).toBe(0);
      await check(invitee);
      await invitee.getByRole('link', { name: new RegExp(contract.number) }).first().click();
      expect(path(invitee)).toBe(`/contrats/${contract.number}`);
      expect(await invitee.locator('main').textContent()).toContain('lecture seule');
      await check(invitee);

      // A contract change typed in the address bar: the 403 page, accessible too.
      const refused = await invitee.goto(`${server.base}/contrats/${contract.number}/resiliation`);
      expect(refused?.status()).toBe(403);
      expect(await h1(invitee)).toBe('Accès réservé');
      await check(invitee);

      // Their own password, from Profil: the owner's form and rules; a wrong current password keeps the new one typed.
      await invitee.goto(`${server.base}/profil`);
      await invitee.getByRole('link', { name: 'Changer mon mot de passe' }).click();
      expect(await h1(invitee)).toBe('Changer mon mot de passe');
      await check(invitee);
      await invitee.getByLabel('MOT DE PASSE ACTUEL').fill(OWNER_PASSWORD);
      await invitee.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).fill(NEW_USER_PASSWORD);
      await invitee.getByLabel('CONFIRMER LE NOUVEAU MOT DE PASSE').fill(NEW_USER_PASSWORD);
      await invitee.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
      expect(await invitee.locator('#current_password-error').textContent()).toBe('Mot de passe incorrect.');
      expect(await invitee.getByLabel('MOT DE PASSE ACTUEL').inputValue()).toBe('');
      expect(await invitee.getByLabel('NOUVEAU MOT DE PASSE', { exact: true }).inputValue()).toBe(NEW_USER_PASSWORD);
      await check(invitee);
      await invitee.getByLabel('MOT DE PASSE ACTUEL').fill(USER_PASSWORD);
      await invitee.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
      expect(path(invitee)).toBe('/profil');
      expect(await invitee.getByRole('status').textContent()).toContain('Votre mot de passe a été modifié');
      await check(invitee);

      // An invitation left to expire: the owner sends it again; the old link is dead, the new one works.
      const late = `lea.${tag}@transports.example`;
      await owner.goto(`${server.base}/profil/utilisateurs`);
      await owner.getByLabel('Adresse e-mail').fill(late);
      await owner.getByLabel('Nom et prénom').fill('Léa Martin');
      await owner.getByLabel('Rôle', { exact: true }).selectOption('manager');
      await owner.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await worker.drain();
      const oldLink = linkIn(smtp.to(late).at(-1)!.text);
      await server.db.updateTable('customer_users').set({ token_expires_at: new Date(Date.now() - DAY).toISOString() }).where('email', '=', late).execute();
      await owner.goto(`${server.base}/profil/utilisateurs`);
      expect(await owner.locator('main table').textContent()).toContain('Invitation expirée');
      await check(owner);
      await owner.getByRole('button', { name: 'Renvoyer l’invitation à Léa Martin' }).click();
      expect(await owner.getByRole('status').textContent()).toContain('Invitation renvoyée');
      expect(await owner.locator('main table').textContent()).toContain('Invitation envoyée (valable jusqu’au');
      await check(owner);
      await worker.drain();
      const newLink = linkIn(smtp.to(late).at(-1)!.text);
      expect(newLink).not.toBe(oldLink);
      const lea = await (await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript })).newPage();
      await lea.goto(oldLink);
      expect(await h1(lea)).toBe('Lien expiré ou déjà utilisé');
      await check(lea);
      await lea.goto(newLink);
      expect(await h1(lea)).toBe('Choisir votre mot de passe');

      // The owner removes them: their next page is the login.
      await owner.goto(`${server.base}/profil/utilisateurs`);
      await owner.getByRole('button', { name: 'Retirer l’accès de Paul Lefèvre' }).click();
      expect(await owner.getByRole('status').textContent()).toContain('L’accès est retiré');
      await check(owner);
      await invitee.goto(`${server.base}/mon-compte`);
      expect(path(invitee)).toBe('/connexion');
    });
  }
});
