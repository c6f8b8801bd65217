import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { newId, parisDate, systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';
import { createStaffMember } from '../support/staff.ts';

/*
 * A subscriber replaces their car from Contrats on a phone, with the registration certificate
 * as a PDF: a first try with a bad plate keeps what was typed, the second is pending; customer
 * service approves it in "Véhicules à vérifier"; the contract's vehicles show the new plate.
 * With JavaScript (axe at 0 violations, no horizontal scroll at 360 px) and without it (the
 * upload and every form work as plain HTML).
 */

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

describe.skipIf(!chromiumPath)('replacing a vehicle, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();

  for (const javaScript of [true, false]) {
    it(`replaces a vehicle and has it approved on a phone (${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
      const park = await createCarPark(server.db, systemClock);
      const { customer, password } = await activeSubscriber(server.db, systemClock);
      const contract = await createContract(server.db, systemClock, customer.id, park.id);
      await server.db
        .insertInto('contract_vehicles')
        .values({ id: newId(), contract_id: contract.id, plate: 'AB-123-CD', plate_key: 'AB123CD', country: 'FR', description: 'Peugeot 208', valid_from: '2025-01-01', valid_to: null })
        .execute();
      const today = parisDate(new Date());
      const check = async (page: Page) => {
        await expectNoHorizontalScroll(page);
        if (javaScript) await expectAccessible(page);
      };

      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/contrats`);
      await page.getByRole('link', { name: 'Gérer les véhicules' }).click();
      expect(await page.locator('h1').textContent()).toBe(`Véhicules du contrat ${contract.number}`);
      await check(page);

      await page.getByRole('link', { name: 'Remplacer le véhicule AB-123-CD' }).click();
      expect(await page.locator('h1').textContent()).toBe('Remplacer le véhicule AB-123-CD');
      await check(page);
      await page.getByLabel(/^Immatriculation/).fill('EF-4567-GH');
      await page.getByLabel(/^Marque/).fill('Renault');
      await page.getByLabel(/^Modèle/).fill('Clio');
      await page.getByLabel(/^À partir du/).fill(today);
      await page.getByLabel(/^Certificat d’immatriculation/).setInputFiles({ name: 'carte-grise.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();

      // Refused: the plate is not in the SIV format. What was typed is kept; the file is chosen again.
      const summary = page.getByRole('alert');
      expect(await summary.textContent()).toContain('Saisissez une immatriculation française au format AB-123-CD.');
      expect(await page.getByLabel(/^Marque/).inputValue()).toBe('Renault');
      expect(await page.getByLabel(/^Immatriculation/).inputValue()).toBe('EF-4567-GH');
      await check(page);
      await page.getByLabel(/^Immatriculation/).fill('EF-456-GH');
      await page.getByLabel(/^Certificat d’immatriculation/).setInputFiles({ name: 'carte-grise.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      expect(await page.locator('main').textContent()).toContain('Votre demande est enregistrée');
      expect(await page.locator('main').textContent()).toContain('Remplacement de AB-123-CD par EF-456-GH (Renault Clio)');
      await check(page);

      // Customer service checks it in the back office.
      const agent = await createStaffMember(server.db, systemClock, { role: 'agent', displayName: `Agent ${javaScript}` });
      const token = await createStaffSession(server.db, systemClock, server.app.staffSessionPolicy, agent.id, 'full', { ip: '127.0.0.1', user_agent: 'e2e' });
      const staffContext = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript });
      await staffContext.addCookies([{ name: server.app.staffCookie.name, value: token, url: server.base }]);
      const bo = await staffContext.newPage();
      await bo.goto(`${server.base}/gestion/clients`);
      await openMenu(bo);
      await bo.getByRole('link', { name: 'Véhicules à vérifier' }).click();
      expect(await bo.locator('h1').textContent()).toBe('Véhicules à vérifier');
      await check(bo);
      await bo.locator('main table').getByRole('row').filter({ hasText: contract.number }).getByRole('link').first().click();
      expect(await bo.locator('h1').textContent()).toBe(`Demande de changement de véhicule — contrat ${contract.number}`);
      await check(bo);
      await bo.getByRole('button', { name: 'Accepter le changement' }).click();
      expect(await bo.locator('main').textContent()).toContain('Changement accepté : le client est prévenu par e-mail.');
      await check(bo);
      await staffContext.close();

      // The new plate is the contract's from today.
      await page.goto(`${server.base}/contrats/${contract.number}/vehicules`);
      const main = await page.locator('main').textContent();
      expect(main).toContain('EF-456-GH');
      expect(main).toContain('Renault Clio');
      await check(page);
      await context.close();
    });
  }
});
