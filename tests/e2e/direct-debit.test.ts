import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { manualClock, nowIso } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, viewports, useChromium, useServer } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract } from '../support/factories.ts';
import { useServerMailbox } from '../support/mail.ts';

/*
 * Signing a SEPA mandate online, in Chromium, on a phone and a desktop: Prélèvement → the
 * form (with a mistake, then right) → the code read from the SMTP server (a wrong one, then the
 * right one) → the signed mandate and its PDF → revocation. axe on every page reached.
 */
describe.skipIf(!chromiumPath)('signing a direct-debit mandate, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();
  const mb = useServerMailbox(server, clock);

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`fills in, signs, downloads and revokes a mandate (${name})`, async () => {
      const { customer, password } = await activeSubscriber(server.db, clock);
      const email = `e2e-${customer.number.toLowerCase()}@example.test`;
      await server.db.updateTable('customers').set({ email_primary: email, email_primary_verified_at: nowIso(clock) }).where('id', '=', customer.id).execute();
      const park = await createCarPark(server.db, clock, { name: 'CARDINET' });
      const k1 = await createContract(server.db, clock, customer.id, park.id);
      const k2 = await createContract(server.db, clock, customer.id, park.id);

      const context = await browser.newContext({ viewport, locale: 'fr-FR', acceptDownloads: true });
      const page = await context.newPage();
      const check = async () => {
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      };
      await logIn(page, server.base, customer.number, password);
      expect(new URL(page.url()).pathname).toBe('/profil');

      await page.goto(`${server.base}/prelevement`);
      expect(await page.locator('h1').textContent()).toBe('Prélèvement automatique');
      await check();

      // The form, with a mistake in the IBAN: the error is next to the field, the rest is kept.
      await page.getByRole('link', { name: 'Remplir le mandat en ligne' }).click();
      expect(await page.locator('h1').textContent()).toBe('Mandat de prélèvement SEPA');
      expect(await page.locator('#holder').inputValue()).toBe('DURAND FRANCOIS');
      await check();
      await page.locator('#iban').fill('FR76 3000 6000 0112 3456 7890 188');
      await page.getByLabel(`Contrat n° ${k1.number} — CARDINET`).check();
      await page.getByLabel(`Contrat n° ${k2.number} — CARDINET`).check();
      await page.locator('#place').fill('Paris');
      await page.getByRole('button', { name: 'Continuer : recevoir le code de signature' }).click();
      expect(await page.locator('#iban-error').textContent()).toContain('La clé de contrôle de cet IBAN est fausse');
      expect(await page.locator('#iban').inputValue()).toBe('FR76 3000 6000 0112 3456 7890 188');
      expect(await page.getByLabel(`Contrat n° ${k2.number} — CARDINET`).isChecked()).toBe(true);
      await check();

      await page.locator('#iban').fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByRole('button', { name: 'Continuer : recevoir le code de signature' }).click();
      expect(await page.locator('h1').textContent()).toBe('Signer le mandat');
      expect(await page.locator('main').textContent()).toContain(email);
      await check();

      // The code, as the customer reads it in their mailbox.
      await mb.deliver();
      const code = /:\s*(\d{6})\s*$/m.exec(mb.last(email)!.text)![1]!;
      await page.getByLabel('Code de signature').fill(code === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Signer le mandat' }).click();
      expect(await page.locator('#code-error').textContent()).toBe('Ce code est incorrect. Il vous reste 4 essai(s).');
      await check();
      await page.getByLabel('Code de signature').fill(code);
      await page.getByRole('button', { name: 'Signer le mandat' }).click();
      expect(new URL(page.url()).pathname).toBe('/prelevement');
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain('Votre mandat est signé.');
      expect(main).toContain('Signé, en cours de validation par le service client');
      expect(main).toContain('FR•• •••• •••• 0189');
      expect(main).not.toContain('3000 6000 0112');
      await check();

      // The signed mandate's PDF.
      const rum = (await page.locator('dd.dd-rum').textContent())!;
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Télécharger le mandat signé ${rum} (PDF)` }).click()]);
      expect(download.suggestedFilename()).toBe(`mandat-${rum}.pdf`);
      expect((await readFile((await download.path())!)).subarray(0, 5).toString()).toBe('%PDF-');

      // Revocation: a confirmation page first.
      await page.getByRole('link', { name: 'Révoquer ce mandat' }).click();
      expect(await page.locator('h1').textContent()).toBe(`Révoquer le mandat ${rum}`);
      await check();
      await page.getByRole('button', { name: 'Oui, révoquer ce mandat' }).click();
      expect(await page.locator('main').textContent()).toContain('Votre mandat est révoqué.');
      await check();
      await context.close();
    });
  }
});
