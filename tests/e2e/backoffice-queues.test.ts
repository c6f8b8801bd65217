import { describe, expect, it } from 'vitest';
import { createMandate, signMandate } from '../../src/features/direct-debit/direct-debit.service.ts';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { HOUR, manualClock, nowIso } from '../../src/lib/clock.ts';
import { enqueueMail } from '../../src/lib/mail/outbox.ts';
import { OutboxWorker } from '../../src/lib/mail/worker.ts';
import { insertDocument } from '../support/documents.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, openMenu, useChromium, useServer, viewports } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer, emailColumns } from '../support/factories.ts';
import { createStaffMember } from '../support/staff.ts';

/*
 * The back office's queues in Chromium, on a phone and a desktop, as an admin: the mandates to
 * validate (one shown with its full IBAN, then validated; another rejected, first without a
 * reason), a paper mandate recorded (first with a wrong IBAN), the paper queue and its batch,
 * the outbox with a message given up. axe on every page reached, no sideways scrolling.
 */
describe.skipIf(!chromiumPath)('the back office’s queues, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();
  const IBAN = 'FR7630006000011234567890189';

  async function customerWithContract() {
    const { customer } = await activeSubscriber(server.db, clock);
    const email = `e2e-bo-${customer.number.toLowerCase()}@example.test`;
    await server.db.updateTable('customers').set(emailColumns(email, null, nowIso(clock))).where('id', '=', customer.id).execute();
    const park = await createCarPark(server.db, clock, { name: 'CARDINET' });
    const contract = await createContract(server.db, clock, customer.id, park.id);
    return { customer, email, contract };
  }

  async function signedMandate() {
    const who = await customerWithContract();
    const c = { db: server.db, clock, config: server.config, customerId: who.customer.id, meta: { ip: '127.0.0.1', user_agent: null } };
    const created = await createMandate(c, { holderName: 'DURAND FRANCOIS', holderAddress: '1 RUE DE LA PAIX\n75008 PARIS\nFrance', iban: IBAN, ibanCountry: 'FR', bic: 'BNPAFRPP', contractIds: [who.contract.id], place: 'Paris' }, '');
    if (!created.ok) throw new Error(created.reason);
    const mail = await server.db.selectFrom('outbox').select('text_body').where('recipient', '=', who.email).where('template', '=', 'mandate-code').executeTakeFirstOrThrow();
    const code = /:\s*(\d{6})\s*$/m.exec(mail.text_body)![1]!;
    expect((await signMandate({ ...c, storage: server.storage, lang: 'fr' }, created.mandateId, code)).ok).toBe(true);
    return { ...who, rum: created.rum };
  }

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`works through the mandates, the paper queue and the outbox (${name})`, async () => {
      const toValidate = await signedMandate();
      const toReject = await signedMandate();
      const paper = await customerWithContract();
      const printed = await createCustomer(server.db, clock);
      await insertDocument(server.db, { customerId: printed.id, number: `${printed.number}-1`, issueDate: '2026-11-20', htCents: 21667 });
      const lost = `e2e-lost-${name}@example.test`;
      await enqueueMail(server.db, clock, server.config, { to: lost, lang: 'fr', content: { subject: 'Votre avis', paragraphs: ['Bonjour'] }, dedupeKey: `e2e-lost:${lost}` });
      clock.advance(HOUR);
      await new OutboxWorker(server.db, clock, server.config, { send: () => Promise.reject(new Error('550 mailbox unavailable')), close: () => undefined, describe: () => 'refusing' }, { giveUpAfterMs: HOUR, batchSize: 1000 }).runOnce();

      const admin = await createStaffMember(server.db, clock, { role: 'admin', displayName: 'Claire Admin' });
      const token = await createStaffSession(server.db, clock, server.app.staffSessionPolicy, admin.id, 'full', { ip: '127.0.0.1', user_agent: 'e2e' });
      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      await context.addCookies([{ name: server.app.staffCookie.name, value: token, url: server.base }]);
      const page = await context.newPage();
      const check = async () => {
        await expectAccessible(page);
        await expectNoHorizontalScroll(page);
      };

      // The queue, then one mandate: its full IBAN shown to the admin, then validated.
      await page.goto(`${server.base}/gestion/mandats`);
      expect(await page.locator('h1').textContent()).toBe('Mandats de prélèvement');
      await check();
      await openMenu(page);
      expect(await page.getByRole('link', { name: 'Envois papier' }).isVisible()).toBe(true);
      await page.getByRole('link', { name: toValidate.rum }).click();
      expect(await page.locator('h1').textContent()).toBe(`Mandat ${toValidate.rum}`);
      await check();
      await page.getByRole('button', { name: 'Afficher l’IBAN complet' }).click();
      expect(await page.locator('#iban-complet').textContent()).toBe('FR76 3000 6000 0112 3456 7890 189');
      await check();
      await page.getByRole('button', { name: 'Valider le mandat' }).click();
      expect(await page.locator('[role=status]').textContent()).toContain('Le mandat est validé.');
      await check();

      // Another, rejected: first without a reason.
      await page.goto(`${server.base}/gestion/mandats`);
      await page.getByRole('link', { name: toReject.rum }).click();
      await page.getByRole('button', { name: 'Refuser le mandat' }).click();
      expect(await page.locator('#reason-error').textContent()).toBe('Saisissez le motif du refus : il est envoyé au client.');
      await check();
      await page.getByLabel('Motif du refus').fill('Le RIB joint est au nom d’une autre personne.');
      await page.getByRole('button', { name: 'Refuser le mandat' }).click();
      expect(await page.locator('[role=status]').textContent()).toContain('Le mandat est refusé.');
      await check();

      // A paper mandate: the customer, then the form, with a wrong IBAN first.
      await page.goto(`${server.base}/gestion/mandats`);
      await page.getByRole('link', { name: 'Enregistrer un mandat papier' }).click();
      await check();
      await page.getByLabel('Numéro client').fill(paper.customer.number);
      await page.getByRole('button', { name: 'Continuer' }).click();
      await check();
      await page.locator('#iban').fill('FR76 3000 6000 0112 3456 7890 188');
      await page.locator('#signed_on').fill('2026-11-20');
      await page.locator('#place').fill('Paris');
      await page.getByRole('button', { name: 'Enregistrer le mandat' }).click();
      expect(await page.locator('#iban-error').textContent()).toContain('La clé de contrôle de cet IBAN est fausse');
      await check();
      await page.locator('#iban').fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByRole('button', { name: 'Enregistrer le mandat' }).click();
      expect(await page.locator('[role=status]').textContent()).toContain('Le mandat papier est enregistré et actif.');
      await check();

      // The paper queue and its batch.
      await page.goto(`${server.base}/gestion/papier`);
      expect(await page.locator('main').textContent()).toContain(`${printed.number}-1`);
      await check();
      await page.getByRole('button', { name: /Créer le lot pour l’imprimeur/ }).click();
      expect(await page.locator('[role=status]').textContent()).toContain('Lot créé');
      await check();

      // The outbox, the message given up, and why it cannot be sent again.
      await page.goto(`${server.base}/gestion/emails?etat=dead`);
      expect(await page.locator('main').textContent()).toContain(lost);
      await check();
      await page.goto(`${server.base}/gestion/emails`);
      await check();
      await context.close();
    });
  }
});
