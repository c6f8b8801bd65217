import { describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { manualClock, nowIso } from '../../src/lib/clock.ts';
import { validateMandate } from '../../src/features/direct-debit/direct-debit.backoffice.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, viewports, useChromium, useServer } from '../support/browser.ts';
import { activeSubscriber, createCarPark, createContract, insertMandateRow } from '../support/factories.ts';
import { useServerMailbox } from '../support/mail.ts';
import { createStaffMember } from '../support/staff.ts';

/*
 * Changing the bank account of an active mandate online (issue 13), in Chromium on a 360-px
 * phone, with and without JavaScript: Prélèvement → "Changer de compte bancaire" → the form
 * (a wrong IBAN, then right) → the code read from the SMTP server → both mandates shown → the
 * new one validated by customer service → the new account alone. axe on every page reached.
 */
describe.skipIf(!chromiumPath)('changing the bank account of a mandate, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();
  const mb = useServerMailbox(server, clock);

  for (const javaScript of [true, false]) {
    it(`signs a new mandate beside the active one, which its validation replaces (phone, JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { customer, password } = await activeSubscriber(server.db, clock);
      const email = `e2e-bank-${customer.number.toLowerCase()}@example.test`;
      await server.db.updateTable('customers').set({ email_primary: email, email_primary_verified_at: nowIso(clock) }).where('id', '=', customer.id).execute();
      const park = await createCarPark(server.db, clock, { name: 'CARDINET' });
      const contract = await createContract(server.db, clock, customer.id, park.id);
      await server.db.updateTable('contracts').set({ direct_debit: 1 }).where('id', '=', contract.id).execute();
      const oldId = await insertMandateRow(server.db, customer.id, '2026-01-10T09:00:00.000Z', { status: 'active', signed_at: '2026-01-10T09:00:00.000Z', signature_place: 'Paris' });
      await server.db.insertInto('sepa_mandate_contracts').values({ mandate_id: oldId, contract_id: contract.id }).execute();
      const { rum: oldRum } = await server.db.selectFrom('sepa_mandates').select('rum').where('id', '=', oldId).executeTakeFirstOrThrow();

      const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', javaScriptEnabled: javaScript });
      const page = await context.newPage();
      // axe and the layout check run inside the page: with JavaScript on (the pages are the same without it).
      const check = async () => {
        if (javaScript) {
          await expectAccessible(page);
          await expectNoHorizontalScroll(page);
        }
      };
      await logIn(page, server.base, customer.number, password);
      await page.goto(`${server.base}/prelevement`);
      await check();

      await page.getByRole('link', { name: 'Changer de compte bancaire' }).click();
      expect(await page.locator('h1').textContent()).toBe('Changer de compte bancaire');
      expect(await page.locator('main').textContent()).toContain(`mandat ${oldRum}`);
      expect(await page.locator('main').textContent()).toContain(contract.number);
      await check();
      await page.locator('#iban').fill('DE89 3704 0044 0532 0130 01');
      await page.locator('#place').fill('Paris');
      await page.getByRole('button', { name: 'Continuer : recevoir le code de signature' }).click();
      expect(await page.locator('#iban-error').textContent()).toContain('IBAN');
      expect(await page.locator('#iban').inputValue()).toBe('DE89 3704 0044 0532 0130 01');
      await check();

      await page.locator('#iban').fill('DE89 3704 0044 0532 0130 00');
      await page.getByRole('button', { name: 'Continuer : recevoir le code de signature' }).click();
      expect(await page.locator('h1').textContent()).toBe('Signer le mandat');
      await check();
      await mb.deliver();
      const code = /:\s*(\d{6})\s*$/m.exec(mb.last(email)!.text)![1]!;
      await page.getByLabel('Code de signature').fill(code);
      await page.getByRole('button', { name: 'Signer le mandat' }).click();
      expect(new URL(page.url()).pathname).toBe('/prelevement');
      const both = (await page.locator('main').textContent()) ?? '';
      expect(both).toContain('Votre nouveau compte bancaire');
      expect(both).toContain('DE•• •••• •••• 3000');
      expect(both).toContain('FR•• •••• •••• 0189');
      expect(both).toContain('Signé, en cours de validation par le service client');
      await check();

      // Customer service validates the new mandate: the old one is replaced.
      const { id: newId } = await server.db.selectFrom('sepa_mandates').select('id').where('replaces_mandate_id', '=', oldId).executeTakeFirstOrThrow();
      const staff = await createStaffMember(server.db, clock);
      await validateMandate(server.db, clock, testConfig(), newId, { staffId: staff.id, meta: { ip: '10.99.0.1', user_agent: null } });
      await page.goto(`${server.base}/prelevement`);
      const after = (await page.locator('main').textContent()) ?? '';
      expect(after).toContain('DE•• •••• •••• 3000');
      expect(after).not.toContain('FR•• •••• •••• 0189');
      expect(after).not.toContain('Votre nouveau compte bancaire');
      await check();
      await context.close();
    });
  }
});
