import { describe, expect, it } from 'vitest';
import { api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { type TestApp, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract } from '../../../tests/support/factories.ts';
import { fieldError } from '../../../tests/support/forms.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { normaliseVatNumber, vatNumberProblem } from './customers.billing.rules.ts';

/* A business customer's billing profile (issue 14): VAT number, billing e-mail, each contract's purchase-order reference. */

describe('the VAT number’s rule', () => {
  it('checks a French number’s key against its SIREN, and the customer’s SIREN', () => {
    expect(normaliseVatNumber('fr 96 552.100.554')).toBe('FR96552100554');
    expect(vatNumberProblem('FR96552100554', '552100554')).toBeNull();
    expect(vatNumberProblem('FR96552100554', null)).toBeNull();
    expect(vatNumberProblem('FR97552100554', '552100554')).toBe('key');
    expect(vatNumberProblem('FR11123456782', '552100554')).toBe('siren');
    expect(vatNumberProblem('FR9655210055', null)).toBe('format');
    expect(vatNumberProblem('96552100554', null)).toBe('format');
    expect(vatNumberProblem('BE0123456749', '552100554')).toBeNull();
  });
});

describe.each(databaseKinds())('the billing profile in the API (%s)', (kind) => {
  const t = useTestApp(kind);
  let serial = 0;
  const number = () => `BILL${process.pid % 1000}${Date.now() % 100000}${++serial}`;
  const customer = (over: Record<string, unknown> = {}) => ({
    kind: 'business',
    last_name: 'LEROY',
    company_name: 'TRANSPORTS LEROY',
    siren: '552100554',
    address: { line1: 'ZONE ARTISANALE NORD', postal_code: '33000', city: 'BORDEAUX' },
    ...over,
  });

  it('accepts, checks and returns a customer’s VAT number and billing e-mail; left out, they are kept', async () => {
    const { key } = await apiClientWith(t, ['customers:write', 'customers:read']);
    const n = number();
    const created = await api(t, key, 'PUT', `/api/v1/customers/${n}`, customer({ billing: { vat_number: 'fr 96 552 100 554', email: 'Compta@Leroy.example' } }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ billing: { vat_number: 'FR96552100554', email: 'compta@leroy.example' } });
    expect(await t.db.selectFrom('customers').select(['vat_number', 'billing_email']).where('number', '=', n).executeTakeFirstOrThrow()).toEqual({ vat_number: 'FR96552100554', billing_email: 'compta@leroy.example' });

    // Left out: kept. Sent: replaced as a whole.
    expect((await api(t, key, 'PUT', `/api/v1/customers/${n}`, customer())).json()).toMatchObject({ unchanged: true, billing: { vat_number: 'FR96552100554' } });
    expect((await api(t, key, 'PUT', `/api/v1/customers/${n}`, customer({ billing: { vat_number: null } }))).json()).toMatchObject({ unchanged: false, billing: { vat_number: null, email: null } });

    // Refused, naming the field: a wrong key, another company's number, no format at all.
    for (const [vat, code] of [
      ['FR97552100554', 'The key of this French VAT number does not match'],
      ['FR11123456782', 'This French VAT number does not hold the customer’s SIREN.'],
      ['12345', 'Not a valid EU VAT number'],
    ] as const) {
      const problem = expectProblem(await api(t, key, 'PUT', `/api/v1/customers/${n}`, customer({ billing: { vat_number: vat } })), 422, 'validation_failed');
      expect(problem.errors?.map((e) => e.field)).toEqual(['billing.vat_number']);
      expect(problem.errors?.[0]?.message).toContain(code.slice(0, 30));
    }
    expect(expectProblem(await api(t, key, 'PUT', `/api/v1/customers/${n}`, customer({ billing: { email: 'pas une adresse' } })), 422, 'validation_failed').errors?.map((e) => e.field)).toEqual(['billing.email']);
  });

  it('accepts and returns a contract’s purchase-order reference; left out, it is kept', async () => {
    const { key } = await apiClientWith(t, ['customers:write', 'contracts:write', 'contracts:read']);
    const c = number();
    await api(t, key, 'PUT', `/api/v1/customers/${c}`, customer());
    const park = await createCarPark(t.db, t.clock);
    const k = number();
    const contract = (over: Record<string, unknown> = {}) => ({ customer: c, car_park: park.code, product: 'business', state: 'active', start_date: '2026-01-01', billing_period: 'monthly', price_ht_cents: 50000, vat_rate_bp: 2000, ...over });
    const created = await api(t, key, 'PUT', `/api/v1/contracts/${k}`, contract({ purchase_order_reference: '  BC-2026-0042 ' }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ purchase_order_reference: 'BC-2026-0042' });
    expect((await api(t, key, 'PUT', `/api/v1/contracts/${k}`, contract())).json()).toMatchObject({ unchanged: true, purchase_order_reference: 'BC-2026-0042' });
    expect((await api(t, key, 'PUT', `/api/v1/contracts/${k}`, contract({ purchase_order_reference: null }))).json()).toMatchObject({ unchanged: false, purchase_order_reference: null });
    expect(expectProblem(await api(t, key, 'PUT', `/api/v1/contracts/${k}`, contract({ purchase_order_reference: 'x'.repeat(51) })), 422, 'validation_failed').errors?.map((e) => e.field)).toEqual(['purchase_order_reference']);
  });
});

describe.each(databaseKinds())('the billing profile in Profil, asked for and applied (%s)', (kind) => {
  const t = useTestApp(kind);
  let ip = 0;
  const nextIp = () => `10.0.14.${++ip}`;

  /** A business customer logged in, with a VAT number, a billing e-mail and two contracts (one with a purchase order). */
  async function business(tt: TestApp) {
    const { b, customer } = await loggedInCustomer(tt, nextIp(), { kind: 'business', company_name: 'TRANSPORTS LEROY' });
    await tt.db.updateTable('customers').set({ siren: '552100554', vat_number: 'FR96552100554', billing_email: 'compta@leroy.example' }).where('id', '=', customer.id).execute();
    const park = await createCarPark(tt.db, tt.clock);
    const first = await createContract(tt.db, tt.clock, customer.id, park.id, { product: 'business' });
    const second = await createContract(tt.db, tt.clock, customer.id, park.id, { product: 'business' });
    await tt.db.updateTable('contracts').set({ purchase_order_reference: 'BC-OLD-1' }).where('id', '=', first.id).execute();
    return { b, customer, first, second };
  }

  it('shows a business customer’s Facturation section; a consumer has none, nor its request page', async () => {
    const { b, first, second } = await business(t);
    const page = (await b.get('/profil')).body;
    expect(page).toContain('<h2 id="facturation" tabindex="-1">Facturation</h2>');
    for (const s of ['552100554', 'FR96552100554', 'compta@leroy.example', `Référence de commande du contrat ${first.number}`, 'BC-OLD-1', `Référence de commande du contrat ${second.number}`, 'href="/profil/facturation"']) {
      expect(page).toContain(s);
    }
    const consumer = await loggedInCustomer(t, nextIp());
    expect((await consumer.b.get('/profil')).body).not.toContain('id="facturation"');
    expect((await consumer.b.get('/profil/facturation')).statusCode).toBe(404);
    expect((await consumer.b.submit('/profil', '/profil/facturation', { vat_number: 'FR96552100554' })).statusCode).toBe(404);
  });

  it('files a request to customer service with the values asked; a wrong VAT number is said next to it, the form keeping what was typed', async () => {
    const { b, customer, first, second } = await business(t);
    const form = await b.get('/profil/facturation');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="FR96552100554"');
    expect(form.body).toContain(`name="po_${first.number}"`);

    const wrong = await b.submit('/profil/facturation', '/profil/facturation', { vat_number: 'FR11123456782', billing_email: 'factures@leroy.example', [`po_${second.number}`]: 'BC-2026-7', comment: 'Merci' });
    expect(wrong.statusCode).toBe(422);
    expect(fieldError(wrong.body, 'vat_number')).toContain('Ce n° de TVA ne contient pas votre SIREN (552100554).');
    for (const kept of ['value="FR11123456782"', 'value="factures@leroy.example"', 'value="BC-2026-7"', '>Merci</textarea>']) expect(wrong.body).toContain(kept);

    const same = await b.submit('/profil/facturation', '/profil/facturation', { vat_number: 'FR96552100554', billing_email: 'compta@leroy.example', [`po_${first.number}`]: 'BC-OLD-1' });
    expect(same.statusCode).toBe(422);
    expect(same.body).toContain('Ces valeurs sont celles que nous avons déjà');

    const sent = await b.submit('/profil/facturation', '/profil/facturation', { vat_number: 'fr 96 552 100 554', billing_email: 'Factures@Leroy.example', [`po_${first.number}`]: 'BC-OLD-1', [`po_${second.number}`]: 'BC-2026-7', comment: 'Nouveau service comptable' });
    expect(sent.statusCode, sent.body).toBe(303);
    expect(sent.headers.location).toBe('/profil?facturation=demandee#facturation');
    expect((await b.get(sent.headers.location as string)).body).toContain('Votre demande de modification du profil de facturation a été transmise');
    // Nothing changes before customer service applies it.
    expect((await t.db.selectFrom('customers').select('billing_email').where('id', '=', customer.id).executeTakeFirstOrThrow()).billing_email).toBe('compta@leroy.example');

    const requests = await t.db.selectFrom('contact_requests').select(['reference', 'category', 'message', 'status']).where('customer_id', '=', customer.id).execute();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ category: 'billing', status: 'received' });
    expect(requests[0]!.message.split('\n')).toEqual([
      'Modification du profil de facturation demandée :',
      '- E-mail de facturation : compta@leroy.example → factures@leroy.example',
      `- Référence de commande du contrat ${second.number} : Non renseigné → BC-2026-7`,
      '',
      'Nouveau service comptable',
    ]);
    // In customer service's inbox, by its subject.
    const { b: staff } = await loggedInStaff(t, nextIp());
    const inbox = await staff.get('/gestion/demandes?objet=billing');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(requests[0]!.reference);
    expect(inbox.body).toContain('Profil de facturation (n° de TVA, e-mail de facturation, référence de commande)');
  });

  it('customer service applies it from the customer’s page, audited old → new with the reason; Profil shows it', async () => {
    const { b, customer, first, second } = await business(t);
    const { b: staff, staff: member } = await loggedInStaff(t, nextIp());
    const base = `/gestion/clients/${customer.number}`;
    expect((await staff.get(base)).body).toContain(`href="${base}/facturation"`);
    const form = await staff.get(`${base}/facturation`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="BC-OLD-1"');

    const noReason = await staff.submit(`${base}/facturation`, `${base}/facturation`, { vat_number: 'FR96552100554', billing_email: '', [`po_${first.number}`]: '', [`po_${second.number}`]: 'BC-2026-7', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(fieldError(noReason.body, 'reason')).toContain('Indiquez le motif');
    expect(noReason.body).toContain('value="BC-2026-7"');

    const done = await staff.submit(`${base}/facturation`, `${base}/facturation`, { vat_number: 'FR96552100554', billing_email: '', [`po_${first.number}`]: '', [`po_${second.number}`]: 'BC-2026-7', reason: 'Demande DEM-2026-000001' });
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe(`${base}?fait=facturation-modifiee#actions`);
    expect(await t.db.selectFrom('customers').select(['vat_number', 'billing_email']).where('id', '=', customer.id).executeTakeFirstOrThrow()).toEqual({ vat_number: 'FR96552100554', billing_email: null });
    const refs = await t.db.selectFrom('contracts').select(['number', 'purchase_order_reference']).where('customer_id', '=', customer.id).orderBy('number').execute();
    expect(Object.fromEntries(refs.map((r) => [r.number, r.purchase_order_reference]))).toEqual({ [first.number]: null, [second.number]: 'BC-2026-7' });
    const trail = await t.db.selectFrom('audit_log').select(['actor_type', 'actor_id', 'details']).where('target_id', '=', customer.id).where('action', '=', 'customer.billing_profile_correct').execute();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actor_type: 'staff', actor_id: member.id });
    expect(JSON.parse(trail[0]!.details as string)).toEqual({
      reason: 'Demande DEM-2026-000001',
      changes: [
        { field: 'billing_email', contract: null, from: 'compta@leroy.example', to: null },
        { field: 'purchase_order_reference', contract: first.number, from: 'BC-OLD-1', to: null },
        { field: 'purchase_order_reference', contract: second.number, from: null, to: 'BC-2026-7' },
      ],
    });
    // The same again: nothing written, said so.
    const again = await staff.submit(`${base}/facturation`, `${base}/facturation`, { vat_number: 'FR96552100554', billing_email: '', [`po_${first.number}`]: '', [`po_${second.number}`]: 'BC-2026-7', reason: 'Encore' });
    expect(again.headers.location).toBe(`${base}?fait=facturation-inchangee#actions`);
    const profil = (await b.get('/profil')).body;
    expect(profil).toContain('BC-2026-7');
    expect(profil).toContain('Aucun : vos documents sont envoyés à vos adresses e-mail vérifiées.');

    // A wrong VAT number is refused there too; a consumer has no billing profile to apply.
    const wrong = await staff.submit(`${base}/facturation`, `${base}/facturation`, { vat_number: 'FR97552100554', reason: 'x' });
    expect(wrong.statusCode).toBe(400);
    expect(fieldError(wrong.body, 'vat_number')).toContain('La clé de ce n° de TVA');
    const consumer = await loggedInCustomer(t, nextIp());
    expect((await staff.get(`/gestion/clients/${consumer.customer.number}/facturation`)).statusCode).toBe(404);
  });
});
