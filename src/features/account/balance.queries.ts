import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, DocumentKind } from '../../db/schema.ts';

/*
 * "Reste à payer", derived and never stored.
 * - An invoice: its TTC minus what settles it — allocations of succeeded payments and of
 *   credit notes.
 * - A credit note: minus the part of it not yet set against an invoice (a credit).
 * - The account: invoices TTC − credit notes TTC − succeeded payments, over published documents. Money received but
 *   not yet allocated still lowers the account's balance; a negative balance is a credit.
 */

type Eb = ExpressionBuilder<Database & { d: Database['financial_documents'] }, 'd'>;

/** What has settled invoice `d`, in cents. */
export function settledOf(eb: Eb) {
  return eb
    .selectFrom('allocations as al')
    .leftJoin('payments as pay', 'pay.id', 'al.payment_id')
    .select(sql<number>`coalesce(sum(al.amount_cents), 0)`.as('s'))
    .whereRef('al.invoice_id', '=', 'd.id')
    .where((w) => w.or([w('al.credit_note_id', 'is not', null), w('pay.status', '=', 'succeeded')]));
}

/** How much of credit note `d` has been set against invoices, in cents. */
export function usedOf(eb: Eb) {
  return eb
    .selectFrom('allocations as al')
    .select(sql<number>`coalesce(sum(al.amount_cents), 0)`.as('u'))
    .whereRef('al.credit_note_id', '=', 'd.id');
}

/** Whether document `d` has something remaining: an invoice not fully settled, a credit note not fully used ("à régler"). */
export function hasRemaining(eb: Eb) {
  return eb.or([
    eb.and([eb('d.kind', '=', 'invoice'), eb('d.total_ttc_cents', '>', settledOf(eb))]),
    eb.and([eb('d.kind', '=', 'credit_note'), eb('d.total_ttc_cents', '>', usedOf(eb))]),
  ]);
}

/** What remains of a document, from its TTC and what settled or used it: positive for an invoice, negative for a credit note's unused part. */
export function remainingOf(d: { kind: DocumentKind; total_ttc_cents: number }, settled: unknown, used: unknown): number {
  return d.kind === 'invoice' ? d.total_ttc_cents - Number(settled) : Number(used) - d.total_ttc_cents;
}

/** The remaining amount of each of a customer's documents (negative for an unused credit note). */
export async function documentBalances(db: Db, customerId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('financial_documents as d')
    .select((eb) => ['d.id', 'd.kind', 'd.total_ttc_cents', settledOf(eb).as('settled'), usedOf(eb).as('used')])
    .where('d.customer_id', '=', customerId)
    .where('d.published_at', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, remainingOf(r, r.settled, r.used)]));
}

/** The account's "reste à payer" in cents (negative: the customer is in credit). */
export async function accountBalance(db: Db, customerId: string): Promise<number> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('financial_documents')
        .select(sql<number>`coalesce(sum(case when kind = 'invoice' then total_ttc_cents else -total_ttc_cents end), 0)`.as('x'))
        .where('customer_id', '=', customerId)
        // A document counts once it is issued to the customer.
        .where('published_at', 'is not', null)
        .as('documents'),
      eb
        .selectFrom('payments')
        .select(sql<number>`coalesce(sum(amount_cents), 0)`.as('x'))
        .where('customer_id', '=', customerId)
        .where('status', '=', 'succeeded')
        .as('paid'),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.documents) - Number(row.paid);
}
