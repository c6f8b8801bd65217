import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/features/api-clients/api-clients.service.ts';
import { deliverSandboxWebhooks, httpSender } from '../../src/features/payments/sandbox.provider.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, logIn, useChromium, useServer } from '../support/browser.ts';

/*
 * The issue's end-to-end proof of the operator's API, in Chromium: the ERP creates a car park,
 * a customer and their contract through the API, asks for a temporary password and gets it
 * once; the customer logs in with it (first connection), finds the invoice the ERP published
 * with its own PDF — served byte for byte —, pays it in the sandbox; the ERP reads the payment
 * and what it settled from its feed.
 */

/** A small real PDF, as an ERP would send its own invoice. */
function erpPdf(text: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date('2026-11-01T00:00:00Z') } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text(text);
    doc.end();
  });
}

describe.skipIf(!chromiumPath)('the ERP feeds the portal through the API, and reads the payment back, in Chromium', () => {
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const server = useServer(clock);
  const browser = useChromium();

  it('creates a customer, a contract and a published invoice with its own PDF; the customer logs in, pays; the ERP reads the payment', async () => {
    const created = await createApiClient(
      server.db,
      clock,
      { name: 'erp-e2e', scopes: ['customers:write', 'car_parks:write', 'contracts:write', 'documents:write', 'credentials:write', 'payments:read'], rateLimit: '600' },
      { kind: 'cli' },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const key = created.key.key;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.base}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      return { status: res.status, json };
    };

    const park = await call('PUT', '/car-parks/APIPARK', {
      name: 'PARKING API',
      address: { line: '1 rue de l’Intégration', postal_code: '75011', city: 'PARIS' },
      phone: '01 23 45 67 89',
      email: null,
      opening_hours: [{ for: 'everyone', days: [1, 7], hours: ['07:00', '22:00'] }],
      services: [],
      petit_rouleur_30: false,
    });
    expect(park.status, JSON.stringify(park.json)).toBe(201);
    const customer = await call('PUT', '/customers/CLTAPI001', {
      kind: 'individual',
      civility: 'M.',
      last_name: 'INTEGRATION',
      first_name: 'PAUL',
      company_name: null,
      siren: null,
      address: { line1: '3 rue des Flux', line2: null, postal_code: '75011', city: 'PARIS', country: 'FRANCE' },
      emails: { primary: 'paul.integration@example.fr', secondary: null },
      phones: { landline: null, mobile: '06 12 34 56 78' },
      language: 'fr',
      paper_required: false,
    });
    expect(customer.status, JSON.stringify(customer.json)).toBe(201);
    const contract = await call('PUT', '/contracts/CTAPI001', {
      customer: 'CLTAPI001',
      car_park: 'APIPARK',
      product: 'resident',
      state: 'active',
      start_date: '2026-01-01',
      end_date: null,
      renewal_date: null,
      billing_period: 'monthly',
      price_ht_cents: 10000,
      vat_rate_bp: 2000,
      direct_debit: false,
      badge_number: null,
      space_label: null,
      vehicles: [{ plate: 'AB-123-CD', country: 'FR', description: null }],
    });
    expect(contract.status, JSON.stringify(contract.json)).toBe(201);

    const pdf = await erpPdf('FACTURE DE L’ERP FAPI-0001');
    const invoice = await call('PUT', '/documents/FAPI-0001', {
      kind: 'invoice',
      customer: 'CLTAPI001',
      contract: 'CTAPI001',
      corrects: null,
      issue_date: '2026-11-01',
      period_start: '2026-11-01',
      period_end: '2026-11-30',
      due_date: '2026-11-15',
      lines: [{ label: 'Abonnement résident novembre 2026', quantity_milli: 1000, unit_price_ht_cents: 10000, vat_rate_bp: 2000, total_ht_cents: 10000, total_vat_cents: 2000, total_ttc_cents: 12000 }],
      total_ht_cents: 10000,
      total_vat_cents: 2000,
      total_ttc_cents: 12000,
      published: true,
      pdf: pdf.toString('base64'),
    });
    expect(invoice.status, JSON.stringify(invoice.json)).toBe(201);

    const credentials = await call('POST', '/customers/CLTAPI001/temporary-password');
    expect(credentials.status, JSON.stringify(credentials.json)).toBe(200);
    const temporary = String(credentials.json.password);

    // The customer, with the temporary password printed on the next invoice.
    const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'fr-FR' });
    const page = await context.newPage();
    const check = async () => {
      await expectAccessible(page);
      await expectNoHorizontalScroll(page);
    };
    await logIn(page, server.base, 'CLTAPI001', temporary);
    expect(new URL(page.url()).pathname).toBe('/premiere-connexion');
    await check();
    await page.getByLabel('CRÉER UN MOT DE PASSE').fill('girafe horizon tamaris');
    await page.getByLabel('CONFIRMER LE MOT DE PASSE').fill('girafe horizon tamaris');
    await page.getByLabel('ADRESSE EMAIL PRINCIPALE').fill('paul.integration@example.fr');
    await page.getByLabel('J’accepte de recevoir mes documents par e-mail').check();
    await page.getByRole('button', { name: 'Valider' }).click();
    expect(new URL(page.url()).pathname).toBe('/profil');

    // Mon compte: the invoice the ERP published, its PDF the ERP's own, byte for byte.
    await page.goto(`${server.base}/mon-compte`);
    expect(await page.locator('main').textContent()).toContain('FAPI-0001');
    expect(await page.locator('main').textContent()).toContain('Reste à payer : 120,00');
    await check();
    const served = await page.request.get(`${server.base}/mon-compte/documents/FAPI-0001.pdf`);
    expect(served.status()).toBe(200);
    expect(Buffer.from(await served.body()).equals(pdf)).toBe(true);

    // Paid in the sandbox; the provider's webhook books it.
    await page.getByRole('link', { name: 'Régler le solde' }).click();
    await page.getByRole('button', { name: 'Continuer vers le paiement sécurisé' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/sandbox-paiement\/sbx_/);
    await check();
    await page.getByRole('button', { name: 'Simuler un paiement accepté' }).click();
    await page.waitForURL(/\/mon-compte\/paiement\/retour\//);
    expect(await deliverSandboxWebhooks(server.db, clock, server.config, httpSender(server.config))).toBe(1);
    await page.goto(`${server.base}/mon-compte`);
    expect(await page.locator('main').textContent()).toContain('Reste à payer : 0,00');
    await check();
    await context.close();

    // The ERP reads it back: the payment, its amount and the invoice it settled.
    let cursor = '';
    const items: Record<string, unknown>[] = [];
    for (;;) {
      const feed = await call('GET', `/feeds/payments?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(feed.status, JSON.stringify(feed.json)).toBe(200);
      const page = feed.json as { items: Record<string, unknown>[]; next_cursor: string };
      items.push(...page.items);
      if (page.items.length === 0 || page.next_cursor === cursor) break;
      cursor = page.next_cursor;
    }
    const paid = items.filter((i) => i.customer_number === 'CLTAPI001');
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ type: 'payment.received', amount_cents: 12000, method: 'card' });
    expect(JSON.stringify(paid[0])).toContain('FAPI-0001');
  });
});
