import type { Db } from '../../db/database.ts';
import { jsonArrayFor, parseJsonArray } from '../../db/dialect.ts';
import { accountBalance, settledOf } from '../account/balance.queries.ts';
import { isPaperless } from '../customers/customers.queries.ts';

/** The customer's published invoices with something left to pay, oldest first, with that amount. */
export async function dueInvoices(db: Db, customerId: string) {
  const rows = await db
    .selectFrom('financial_documents as d')
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .select((eb) => ['d.id', 'd.number', 'd.issue_date', 'd.due_date', 'd.period_start', 'd.period_end', 'd.total_ttc_cents', 'k.number as contract_number', settledOf(eb).as('settled')])
    .where('d.customer_id', '=', customerId)
    .where('d.kind', '=', 'invoice')
    .where('d.published_at', 'is not', null)
    .where((eb) => eb('d.total_ttc_cents', '>', settledOf(eb)))
    .orderBy('d.issue_date')
    .orderBy('d.number')
    .execute();
  return rows.map(({ settled, ...r }) => ({ ...r, remaining: r.total_ttc_cents - Number(settled) }));
}

export type DueInvoice = Awaited<ReturnType<typeof dueInvoices>>[number];

/** Payments of the customer, newest first, each with the documents it settled. */
export async function paymentHistory(db: Db, customerId: string, limit = 50) {
  const settled = jsonArrayFor(db);
  const rows = await db
    .selectFrom('payments as p')
    .select((eb) => [
      'p.id',
      'p.method',
      'p.status',
      'p.amount_cents',
      'p.received_at',
      'p.created_at',
      'p.provider_reference',
      settled(
        eb
          .selectFrom('allocations as a')
          .innerJoin('financial_documents as d', 'd.id', 'a.invoice_id')
          .select(['d.number', 'a.amount_cents'])
          .whereRef('a.payment_id', '=', 'p.id')
          .orderBy('d.issue_date'),
      ).as('documents'),
    ])
    .where('p.customer_id', '=', customerId)
    .orderBy((eb) => eb.fn.coalesce('p.received_at', 'p.created_at'), 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, documents: parseJsonArray<{ number: string; amount_cents: number }>(r.documents) }));
}

export type PaymentRow = Awaited<ReturnType<typeof paymentHistory>>[number];

/** What the payment page offers: the invoices still due, the account's balance, and whether paying online is open (paperless consent). */
export async function paymentOffer(db: Db, customerId: string) {
  const [paperless, due, balance] = await Promise.all([isPaperless(db, customerId), dueInvoices(db, customerId), accountBalance(db, customerId)]);
  return { paperless, due, balance };
}

/** One of the customer's payment attempts, for its return page. */
export function findOwnAttempt(db: Db, customerId: string, attemptId: string) {
  return db.selectFrom('payment_attempts').select(['id', 'status', 'amount_cents']).where('id', '=', attemptId).where('customer_id', '=', customerId).executeTakeFirst();
}
