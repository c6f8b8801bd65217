import { describe, expect, it } from 'vitest';
import { api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark } from '../../../tests/support/factories.ts';
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
