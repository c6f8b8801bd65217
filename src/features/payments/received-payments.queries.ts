import type { Db } from '../../db/database.ts';
import type { PaymentMethod } from '../../db/schema.ts';
import { ERP_PROVIDER } from './payments.rules.ts';

/*
 * Payments received outside the portal as the operator's API shows them
 * (`GET /api/v1/payments…`): those the ERP wrote (`provider = 'erp'`), by its reference, with
 * the invoices they settle.
 */

/** A payment received outside the portal as the API shows it (`GET /payments/{reference}`). */
export interface ReceivedPaymentRecord {
  reference: string;
  customer: string;
  method: PaymentMethod;
  amount_cents: number;
  received_on: string | null;
  allocations: { invoice: string; amount_cents: number }[];
  unallocated_cents: number;
  created_at: string;
}

const headQuery = (db: Db) =>
  db
    .selectFrom('payments as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select(['p.id', 'p.provider_reference', 'c.number as customer', 'p.method', 'p.amount_cents', 'p.received_at', 'p.created_at'])
    .where('p.provider', '=', ERP_PROVIDER);

type Head = Awaited<ReturnType<ReturnType<typeof headQuery>['execute']>>[number];

async function withAllocations(db: Db, heads: Head[]): Promise<ReceivedPaymentRecord[]> {
  if (heads.length === 0) return [];
  const allocations = await db
    .selectFrom('allocations as a')
    .innerJoin('financial_documents as d', 'd.id', 'a.invoice_id')
    .select(['a.payment_id', 'd.number as invoice', 'a.amount_cents'])
    .where(
      'a.payment_id',
      'in',
      heads.map((h) => h.id),
    )
    .orderBy('d.number')
    .execute();
  const byPayment = new Map<string, { invoice: string; amount_cents: number }[]>();
  for (const { payment_id, ...a } of allocations) byPayment.set(payment_id!, [...(byPayment.get(payment_id!) ?? []), a]);
  return heads.map((h) => {
    const settled = byPayment.get(h.id) ?? [];
    return {
      reference: h.provider_reference!,
      customer: h.customer,
      method: h.method,
      amount_cents: h.amount_cents,
      received_on: h.received_at?.slice(0, 10) ?? null,
      allocations: settled,
      unallocated_cents: h.amount_cents - settled.reduce((sum, a) => sum + a.amount_cents, 0),
      created_at: h.created_at,
    };
  });
}

/** The payment of this ERP reference as the API shows it; undefined when there is none. */
export async function receivedPaymentByReference(db: Db, reference: string): Promise<ReceivedPaymentRecord | undefined> {
  const [record] = await withAllocations(db, await headQuery(db).where('p.provider_reference', '=', reference).execute());
  return record;
}

/** Payments received outside the portal by reference after `after` (exclusive), at most `count`. */
export async function receivedPaymentsAfter(db: Db, after: string | null, count: number): Promise<ReceivedPaymentRecord[]> {
  let q = headQuery(db).orderBy('p.provider_reference').limit(count);
  if (after !== null) q = q.where('p.provider_reference', '>', after);
  return withAllocations(db, await q.execute());
}
