import type { Db } from '../../db/database.ts';
import type { BillingProfile } from './customers.billing.rules.ts';

/** A customer's billing profile: its SIREN, VAT number and billing e-mail, each contract not ended with its purchase order. */
export async function billingProfileOf(db: Db, customerId: string): Promise<BillingProfile & { siren: string | null; kind: string }> {
  const [c, contracts] = await Promise.all([
    db.selectFrom('customers').select(['kind', 'siren', 'vat_number', 'billing_email']).where('id', '=', customerId).executeTakeFirstOrThrow(),
    db
      .selectFrom('contracts')
      .select(['number', 'purchase_order_reference'])
      .where('customer_id', '=', customerId)
      .where('status', '<>', 'ended')
      .orderBy('start_date', 'desc')
      .orderBy('number')
      .execute(),
  ]);
  return {
    kind: c.kind,
    siren: c.siren,
    vat_number: c.vat_number,
    billing_email: c.billing_email,
    purchaseOrders: contracts.map((k) => ({ number: k.number, reference: k.purchase_order_reference })),
  };
}
