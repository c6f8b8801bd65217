import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { manualClock, newId } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns } from '../support/factories.ts';
import { type Mailbox, mailbox } from '../support/mail.ts';
import { enrolledStaffMember, totpCode } from '../support/staff.ts';

/*
 * Customer service serves one subscriber, in Chromium, on a phone and a desktop. The customer
 * writes through the contact form with a PDF attached; an agent logs in through the real forms
 * (e-mail, password, the code of their authenticator app), finds the customer by their plate
 * typed another way than it is stored, opens their page, then their request, downloads the
 * attachment (a download, never shown inline: the very bytes sent) and replies. The e-mail is
 * delivered for real to an SMTP server (the outbox's job, as `useMailTestApp` runs it); the
 * customer sees the reply and the state in "Mes demandes", answers back, and the agent sees the
 * answer. axe and no sideways scrolling on every page reached.
 *
 * The admin who validates a mandate signed online is `backoffice-queues.test.ts`'s journey.
 */

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% facture contestée\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

describe.skipIf(!chromiumPath)('an agent answers a customer’s request, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();
  const env = () => ({ db: server.db, clock, config: server.config });

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };
  const path = (page: Page) => new URL(page.url()).pathname;

  const plates = { phone: ['GH-482-KL', 'gh482kl'], desktop: ['FR-715-ZT', 'fr 715zt'] } as const;

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`finds the customer by plate, reads the request and its PDF, replies; the customer gets it and answers back (${name})`, async () => {
      const [plate, typed] = plates[name as keyof typeof plates];
      const email = `e2e-journey-${name}@example.test`;
      const { customer, password } = await activeSubscriber(server.db, clock, undefined, { ...emailColumns(email, null, '2026-01-05T10:00:00.000Z'), last_name: `MARCHAND ${name.toUpperCase()}` });
      const park = await createCarPark(server.db, clock, { name: `CARDINET ${name}` });
      const contract = await createContract(server.db, clock, customer.id, park.id);
      await server.db.insertInto('contract_vehicles').values({ id: newId(), contract_id: contract.id, plate, plate_key: plate.replace(/-/g, ''), description: null }).execute();
      const agent = await enrolledStaffMember(env(), 'agent');
      const mb: Mailbox = await mailbox(env());
      const customerContext = await browser.newContext({ viewport, locale: 'fr-FR' });
      const staffContext = await browser.newContext({ viewport, locale: 'fr-FR', acceptDownloads: true });
      try {
        // ---- the customer writes, with a PDF
        const mine = await customerContext.newPage();
        await logIn(mine, server.base, customer.number, password);
        expect(path(mine)).toBe('/profil');
        await mine.goto(`${server.base}/contact`);
        await mine.getByLabel('Question sur une facture').check();
        await mine.getByLabel(/^Contrat concerné/).selectOption(contract.number);
        await mine.getByLabel(/^Votre message/).fill('Bonjour, le montant de ma facture de novembre me paraît trop élevé : facture jointe.');
        await mine.getByLabel(/^Pièces jointes/).setInputFiles({ name: 'facture-novembre.pdf', mimeType: 'application/pdf', buffer: PDF });
        await mine.getByRole('button', { name: 'Envoyer ma demande' }).click();
        expect(path(mine)).toMatch(/^\/contact\/demandes\/DEM-\d{4}-\d{6}$/);
        const reference = path(mine).split('/').pop()!;

        // ---- the agent logs in: e-mail and password, then the code of their app
        const page = await staffContext.newPage();
        await page.goto(`${server.base}/gestion`);
        expect(path(page)).toBe('/gestion/connexion');
        await check(page);
        await page.getByLabel('Adresse e-mail').fill(agent.staff.email);
        await page.getByLabel('Mot de passe').fill(agent.password);
        await page.getByRole('button', { name: 'Continuer' }).click();
        expect(path(page)).toBe('/gestion/verification');
        await check(page);
        await page.getByLabel(/^Code/).fill(await totpCode(agent.secret, clock.now()));
        await page.getByRole('button', { name: 'Valider' }).click();
        expect(path(page)).toBe('/gestion');
        await check(page);

        // ---- finds the customer by plate, typed another way than it is stored
        await page.getByLabel('Rechercher un client').fill(typed);
        await page.getByRole('button', { name: 'Rechercher' }).click();
        expect(path(page)).toBe('/gestion/clients');
        const found = page.locator('main table tbody tr');
        expect(await found.count()).toBe(1);
        expect(await found.textContent()).toContain(`MARCHAND ${name.toUpperCase()}`);
        await check(page);
        await found.getByRole('link', { name: customer.number }).click();
        expect(path(page)).toBe(`/gestion/clients/${customer.number}`);
        expect(await page.locator('main').textContent()).toContain(plate);
        // The request, in the inbox's words (not the customer's "Reçue").
        expect(await page.locator('main tr').filter({ has: page.getByRole('link', { name: reference }) }).textContent()).toContain('Nouvelle');
        await check(page);

        // ---- the request, from the customer's page, and its attachment: a download, the bytes sent
        await page.getByRole('link', { name: reference }).click();
        expect(path(page)).toBe(`/gestion/demandes/${reference}`);
        expect(await page.locator('main').textContent()).toContain('le montant de ma facture de novembre me paraît trop élevé');
        await check(page);
        const file = page.locator('main a[href*="/pieces/"]');
        expect(await file.count()).toBe(1);
        const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
        expect(download.suggestedFilename()).toBe('facture-novembre.pdf');
        expect((await readFile((await download.path())!)).equals(PDF)).toBe(true);
        const answer = await page.request.get(new URL((await file.getAttribute('href'))!, server.base).href);
        expect(answer.status()).toBe(200);
        expect(answer.headers()['content-type']).toBe('application/pdf');
        expect(answer.headers()['content-disposition']).toMatch(/^attachment; filename="facture-novembre\.pdf"/);
        expect(answer.headers()['x-content-type-options']).toBe('nosniff');
        expect(path(page)).toBe(`/gestion/demandes/${reference}`);

        // ---- the reply
        const replyText = 'Bonjour, la facture comprend la régularisation d’octobre ; le détail figure en page 2. Pouvez-vous nous confirmer que c’est clair ?';
        await page.getByLabel(/^Réponse/).fill(replyText);
        await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
        expect(path(page)).toBe(`/gestion/demandes/${reference}`);
        expect(await page.getByRole('status').textContent()).toContain('La réponse est envoyée au client et visible dans « Mes demandes ».');
        expect(await page.locator('#conversation').locator('..').textContent()).toContain(replyText);
        await check(page);

        // ---- the e-mail, delivered to a real SMTP server by the outbox's job
        expect((await mb.deliver()).failed).toBe(0);
        const mail = mb.last(email);
        expect(mail?.subject).toBe(`Réponse à votre demande ${reference}`);
        expect(mail?.text).toContain(replyText);
        expect(mb.link(mail!.text, server.base)).toBe(`${server.base}/contact/demandes/${reference}`);

        // ---- the customer sees it in "Mes demandes", with its state, and answers back
        await openMenu(mine);
        await mine.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Contact' }).click();
        expect(path(mine)).toBe('/contact');
        const row = mine.locator('table.requests tbody tr').filter({ hasText: reference });
        expect(await row.textContent()).toContain('En attente de votre réponse');
        await check(mine);
        await row.getByRole('link', { name: reference }).click();
        expect(path(mine)).toBe(`/contact/demandes/${reference}`);
        const request = (await mine.locator('main').textContent()) ?? '';
        expect(request).toContain(replyText);
        expect(request).toContain('En attente de votre réponse');
        expect(request).toContain('Le service client attend votre réponse pour traiter votre demande.');
        await check(mine);
        const answerText = 'Merci, c’est clair : je n’avais pas vu la régularisation.';
        await mine.getByLabel(/^Votre réponse/).fill(answerText);
        await mine.getByRole('button', { name: 'Envoyer ma réponse' }).click();
        expect(await mine.getByRole('status').textContent()).toContain('Votre réponse a bien été envoyée au service client.');
        await check(mine);

        // ---- customer service is told, and the agent sees the answer (its link is the request's page)
        expect((await mb.deliver()).failed).toBe(0);
        const notice = mb.last(server.config.STAFF_NOTIFICATION_EMAIL);
        expect(notice?.subject).toBe(`Réponse du client à la demande ${reference} — client ${customer.number}`);
        await page.goto(mb.link(notice!.text, server.base)!);
        expect(path(page)).toBe(`/gestion/demandes/${reference}`);
        expect(await page.locator('#conversation').locator('..').textContent()).toContain(answerText);
        await check(page);
      } finally {
        await customerContext.close();
        await staffContext.close();
        await mb.close();
      }
    });
  }
});
