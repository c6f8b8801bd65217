import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { prepareDataExports } from '../../src/features/mydata/mydata.service.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessibleWhenScripted, logIn, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber } from '../support/factories.ts';
import { useServerOutbox } from '../support/mail.ts';
import { seedEveryKind } from '../support/mydata.ts';
import { zipEntries, zipEntry } from '../support/zip.ts';

/*
 * "Mes données personnelles" in Chromium on a 360-px phone, with JavaScript (axe at 0
 * violations on every page reached, no horizontal scroll) and without: asked for from Profil,
 * the state shown while it is prepared, the job run, the e-mail with its link, the state
 * "prête", the archive downloaded from the page and by the e-mail's link, the page of an
 * expired link.
 */
describe.skipIf(!chromiumPath)('exporting my data, in Chromium', () => {
  const server = useServer(systemClock);
  const browser = useChromium();
  const { smtp, worker } = useServerOutbox(server, systemClock);
  let seq = 0;

  const h1 = (page: Page) => page.locator('h1').textContent();

  for (const javaScript of [true, false]) {
    const how = javaScript ? 'phone, axe' : 'phone, without JavaScript';

    it(`asks for the export from Profil, sees it prepared, downloads it after the job ran (${how})`, async () => {
      const n = ++seq;
      const address = `mes-donnees.${n}@example.fr`;
      const { customer, password } = await activeSubscriber(server.db, systemClock, undefined, { email_primary: address, email_primary_verified_at: new Date().toISOString(), paperless: 1, paperless_changed_at: new Date().toISOString() });
      const seeded = await seedEveryKind(server.db, systemClock, server.config, customer, `E${n}`, server.storage);

      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript, acceptDownloads: true });
      const page = await context.newPage();
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/profil`);
      expect(await page.locator('#mes-donnees + p + p').textContent()).toBe('Vous n’avez pas encore demandé d’export.');
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByRole('link', { name: 'Mes données personnelles' }).click();
      expect(await h1(page)).toBe('Mes données personnelles');
      await expectAccessibleWhenScripted(page, javaScript);

      await page.getByRole('button', { name: 'Demander l’export de mes données' }).click();
      expect(await page.getByRole('status').textContent()).toContain('l’export est en préparation');
      expect(await page.getByText(/^Export en préparation \(demandé le/).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Demander l’export de mes données' }).count()).toBe(0);
      await expectAccessibleWhenScripted(page, javaScript);
      await page.goto(`${server.base}/profil`);
      expect(await page.locator('#mes-donnees + p + p').textContent()).toMatch(/^Export en préparation/);

      // The job's work.
      expect((await prepareDataExports(server.db, systemClock, server.config, `e2e-${n}`, { documents: server.storage })).prepared).toBe(1);
      await worker.drain();
      const mail = smtp.to(address).find((m) => m.subject === 'Vos données personnelles sont prêtes');
      expect(mail, 'the e-mail announcing the export').toBeDefined();
      const link = new RegExp(`${server.base.replace(/[.]/g, '\\.')}/profil/mes-donnees/archive/[A-Za-z0-9_-]{43}`).exec(mail!.text)?.[0];
      expect(link).toBeDefined();

      await page.goto(`${server.base}/profil`);
      expect(await page.locator('#mes-donnees + p + p').textContent()).toMatch(/^Export prêt, téléchargeable jusqu’au /);
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByRole('link', { name: 'Mes données personnelles' }).click();
      await expectAccessibleWhenScripted(page, javaScript);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Télécharger mes données \(ZIP, / }).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^mes-donnees-${customer.number}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
      const zip = readFileSync((await download.path())!);
      const entries = zipEntries(zip);
      for (const name of ['README.txt', 'identite.json', 'contrats.json', 'consentements.json', 'connexions.json', 'demandes.json', 'emails.json', 'documents.json', 'paiements.json', 'mandats.json', 'decomptes.json', 'journal.json', `documents/26FE${n}.pdf`]) expect(entries).toContain(name);
      expect(JSON.parse(zipEntry(zip, 'identite.json').toString('utf8')).customer.number).toBe(customer.number);
      expect(zip.toString('latin1')).not.toContain(seeded.resetToken);

      // The e-mail's link, in the same logged-in browser.
      const byLink = await context.request.get(link!);
      expect(byLink.status()).toBe(200);
      expect((await byLink.body()).equals(zip)).toBe(true);

      // Once its 7 days are over, the link's page says so.
      await server.db.updateTable('data_exports').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('customer_id', '=', customer.id).execute();
      await page.goto(link!);
      expect(await h1(page)).toBe('Ce lien a expiré');
      await expectAccessibleWhenScripted(page, javaScript);
      await page.getByRole('link', { name: 'Demander un nouvel export' }).click();
      expect(await page.getByText(/^Le dernier export a expiré le /).count()).toBe(1);
      await expectAccessibleWhenScripted(page, javaScript);
      await context.close();
    });
  }
});
