import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';

/*
 * A subscriber tells us about a new licence plate, with the registration certificate as a PDF:
 * a first try without the message keeps everything typed, the second is recorded and listed
 * in "Mes demandes". Phone and desktop, axe on every page.
 */

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

describe.skipIf(!chromiumPath)('a contact request, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };

  it('shows a visitor the contacts and how to log in, without the form', async () => {
    const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.base}/contact`);
    expect(await page.locator('h1').textContent()).toBe('Contacts');
    expect(await page.locator('form[action="/contact"]').count()).toBe(0);
    await page.getByRole('link', { name: 'Se connecter à mon espace client' }).click();
    expect(new URL(page.url()).pathname).toBe('/connexion');
    await page.goBack();
    await check(page);
    await context.close();
  });

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`sends a change of plate with a PDF, after a first try without a message (${name})`, async () => {
      const park = await createCarPark(server.db, systemClock, { name: `CARDINET ${name}` });
      const { customer, password } = await activeSubscriber(server.db, systemClock);
      await server.db
        .updateTable('customers')
        .set({ email_primary: `durand.${name}@example.fr`, email_primary_verified_at: new Date().toISOString() })
        .where('id', '=', customer.id)
        .execute();
      const contract = await createContract(server.db, systemClock, customer.id, park.id);
      const today = new Date().toISOString().slice(0, 10);

      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      expect(new URL(page.url()).pathname).toBe('/profil');

      // "Contact" is in the navigation of every page.
      await openMenu(page);
      await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Contact' }).click();
      expect(new URL(page.url()).pathname).toBe('/contact');
      expect(await page.locator('h1').textContent()).toBe('Contacts');
      expect(await page.locator('main').textContent()).toContain('Vous n’avez encore envoyé aucune demande.');
      // The plate fields appear only for a change of plate.
      expect(await page.getByLabel(/^Nouvelle immatriculation/).isVisible()).toBe(false);
      await check(page);

      await page.getByLabel('Changement d’immatriculation / de véhicule').check();
      expect(await page.getByLabel(/^Nouvelle immatriculation/).isVisible()).toBe(true);
      await page.getByLabel(/^Nouvelle immatriculation/).fill('ab 123 cd');
      await page.getByLabel(/^Date à partir de laquelle/).fill(today);
      await page.getByLabel(/^Contrat concerné/).selectOption(contract.number);
      await page.getByLabel(/^Pièces jointes/).setInputFiles({ name: 'carte-grise.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Envoyer ma demande' }).click();

      // Refused: the message is missing. Everything typed is still there; the file must be chosen again.
      expect(new URL(page.url()).pathname).toBe('/contact');
      const summary = page.getByRole('alert');
      expect(await summary.textContent()).toContain('Votre message : Saisissez votre message.');
      expect(await page.locator('#message-error').textContent()).toContain('Saisissez votre message.');
      expect(await page.getByLabel('Changement d’immatriculation / de véhicule').isChecked()).toBe(true);
      expect(await page.getByLabel(/^Nouvelle immatriculation/).inputValue()).toBe('ab 123 cd');
      expect(await page.getByLabel(/^Date à partir de laquelle/).inputValue()).toBe(today);
      expect(await page.getByLabel(/^Contrat concerné/).inputValue()).toBe(contract.number);
      expect(await page.locator('#attachments-again').textContent()).toContain('choisissez-les à nouveau');
      expect(await page.getByLabel(/^Pièces jointes/).inputValue()).toBe('');
      await check(page);
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/contact-error-${name}.png`, fullPage: true });

      await summary.getByRole('link', { name: /Votre message/ }).click();
      await page.getByLabel(/^Votre message/).fill('Je change de véhicule : nouvelle immatriculation ci-dessus.\nCertificat joint.');
      await page.getByLabel(/^Pièces jointes/).setInputFiles({ name: 'carte-grise.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Envoyer ma demande' }).click();

      expect(new URL(page.url()).pathname).toMatch(/^\/contact\/demandes\/DEM-\d{4}-\d{6}$/);
      const reference = new URL(page.url()).pathname.split('/').pop()!;
      expect(await page.locator('h1').textContent()).toBe(`Demande ${reference}`);
      const status = await page.getByRole('status').textContent();
      expect(status).toContain(`Votre demande ${reference} a bien été enregistrée.`);
      expect(status).toContain(`durand.${name}@example.fr`);
      const main = (await page.locator('main').textContent()) ?? '';
      for (const text of ['Changement d’immatriculation / de véhicule', 'AB-123-CD', contract.number, 'Reçue', 'carte-grise.pdf (PDF, 1 Ko)', 'Certificat joint.']) {
        expect(main, text).toContain(text);
      }
      await check(page);
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/contact-request-${name}.png`, fullPage: true });

      // Stored under its SHA-256, the very bytes chosen.
      const stored = await server.db.selectFrom('contact_attachments as a').innerJoin('contact_requests as r', 'r.id', 'a.request_id').select(['a.sha256']).where('r.reference', '=', reference).execute();
      expect(stored).toHaveLength(1);
      expect(readFileSync(join(server.config.DATA_DIR, 'attachments', stored[0]!.sha256.slice(0, 2), `${stored[0]!.sha256}.pdf`)).equals(PDF)).toBe(true);

      await page.getByRole('link', { name: 'Retour à mes demandes' }).click();
      expect(new URL(page.url()).pathname).toBe('/contact');
      const row = page.locator('table.requests tbody tr').filter({ hasText: reference });
      expect(await row.count()).toBe(1);
      expect(await row.textContent()).toContain('Reçue');
      expect(await row.textContent()).toContain(contract.number);
      await check(page);
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/contact-${name}.png`, fullPage: true });

      await row.getByRole('link', { name: reference }).click();
      expect(await page.locator('h1').textContent()).toBe(`Demande ${reference}`);
      expect(await page.getByRole('status').count()).toBe(0);
      await context.close();
    });
  }
});
