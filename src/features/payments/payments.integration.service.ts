import { inTransaction } from '../../db/database.ts';
import type { Db } from '../../db/database.ts';
import { forUpdate, retryOnUniqueViolation } from '../../db/dialect.ts';
import type { PaymentMethod } from '../../db/schema.ts';
import type { PutOutcome } from '../../lib/api.ts';
import { batchRefused, itemField } from '../../lib/api-batch.ts';
import { type IntegrationActor, audit, integrationDetails, integrationEntry } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import { documentBalances } from '../account/balance.queries.ts';
import { lockCustomer } from '../customers/customers.service.ts';
import { ERP_PROVIDER } from './payments.rules.ts';

/*
 * Payments received outside the portal — a transfer, a cheque, a direct debit, cash, a card at
 * the desk — as the operator's billing system (ERP) writes them, through the API
 * (`payments.api.ts`: one, or a batch of up to 1,000) or the bulk import, by the ERP's own
 * reference (`payments.provider = 'erp'`, `provider_reference` the reference, unique), with
 * the invoices each settles and how much (`allocations`).
 *
 * The input has passed its pure rules (`allocationProblems`: no invoice twice, no more
 * allocated than received); here come those that read the database, under a lock on the
 * customer (as the portal's own bookings take it): the customer exists, each invoice is
 * theirs and published, and no invoice gets more than what remains to pay on it — the
 * portal's one balance code (`documentBalances`), what the payment itself already settled
 * counted back. The payment and its allocations are written in one transaction (R2); what is
 * not allocated is a credit on the account. The customer's "Reste à payer" moves with it.
 */

/** What the ERP says of a payment (the API's body, an import's row), read and checked by its rules. */
export interface PaymentInput {
  /** The customer's number. */
  customer: string;
  method: PaymentMethod;
  amount_cents: number;
  /** The day it was received, `YYYY-MM-DD`. */
  received_on: string;
  /** The invoices (by number) it settles, and how much of each. */
  allocations: { invoice: string; amount_cents: number }[];
}

export interface PutPaymentResult {
  outcome: PutOutcome;
  paymentId: string;
}

type ItemResult = { ok: true; result: PutPaymentResult } | { ok: false; errors: FieldError[] };

/** The instant stored for a day received: its midday UTC, which is that day in Paris (and in the rest of Europe). */
const receivedAt = (day: string) => `${day}T12:00:00.000Z`;

/** Allocations compared whatever their order. */
const allocationKey = (allocations: { invoice_id: string; amount_cents: number }[]) =>
  allocations
    .map((a) => `${a.invoice_id}:${a.amount_cents}`)
    .sort()
    .join(',');

/** Checks one payment against the database and writes it (nothing when refused or unchanged). */
async function writePayment(trx: Db, clock: Clock, reference: string, input: PaymentInput, actor: IntegrationActor): Promise<ItemResult> {
  const customer = await trx.selectFrom('customers').select('id').where('number', '=', input.customer).executeTakeFirst();
  if (!customer) return { ok: false, errors: [{ field: 'customer', code: 'unknown', key: 'api.field.unknownCustomer' }] };
  const before = await forUpdate(trx, trx.selectFrom('payments').selectAll().where('provider', '=', ERP_PROVIDER).where('provider_reference', '=', reference)).executeTakeFirst();
  // One booking at a time per customer (the portal's own and the ERP's), so two never allocate the same amount due.
  await lockCustomer(trx, customer.id);
  if (before && before.customer_id !== customer.id) await lockCustomer(trx, before.customer_id);

  const errors: FieldError[] = [];
  const numbers = input.allocations.map((a) => a.invoice);
  const invoices = new Map(
    numbers.length === 0
      ? []
      : (await trx.selectFrom('financial_documents').select(['id', 'number', 'kind', 'customer_id', 'published_at']).where('number', 'in', numbers).execute()).map((d) => [d.number, d]),
  );
  const next = input.allocations.map((a, i) => {
    const invoice = invoices.get(a.invoice);
    if (!invoice || invoice.kind !== 'invoice' || invoice.customer_id !== customer.id) errors.push({ field: `allocations[${i}].invoice`, code: 'unknown', key: 'api.field.unknownInvoice' });
    else if (invoice.published_at === null) errors.push({ field: `allocations[${i}].invoice`, code: 'not_published', key: 'api.field.invoiceNotPublished' });
    return { invoice_id: invoice?.id ?? '', amount_cents: a.amount_cents };
  });
  if (errors.length > 0) return { ok: false, errors };

  const columns = { customer_id: customer.id, method: input.method, amount_cents: input.amount_cents, received_at: receivedAt(input.received_on) };
  const held = before ? await trx.selectFrom('allocations').select(['invoice_id', 'amount_cents']).where('payment_id', '=', before.id).execute() : [];
  const fields = before
    ? [
        ...(before.customer_id !== columns.customer_id ? ['customer'] : []),
        ...(before.method !== columns.method ? ['method'] : []),
        ...(before.amount_cents !== columns.amount_cents ? ['amount_cents'] : []),
        ...(before.received_at !== columns.received_at ? ['received_on'] : []),
        ...(allocationKey(held) !== allocationKey(next) ? ['allocations'] : []),
      ]
    : [];
  if (before && fields.length === 0) return { ok: true, result: { outcome: 'unchanged', paymentId: before.id } };

  // What remains on each invoice, what this payment settled so far counted back.
  const remaining = await documentBalances(trx, customer.id);
  for (const a of held) if (remaining.has(a.invoice_id)) remaining.set(a.invoice_id, remaining.get(a.invoice_id)! + a.amount_cents);
  next.forEach((a, i) => {
    const left = remaining.get(a.invoice_id) ?? 0;
    if (a.amount_cents > left) errors.push({ field: `allocations[${i}].amount_cents`, code: 'too_big', key: 'api.field.payment.moreThanRemaining', params: { remaining: left } });
  });
  if (errors.length > 0) return { ok: false, errors };

  const now = nowIso(clock);
  let paymentId: string;
  if (before) {
    paymentId = before.id;
    await trx.updateTable('payments').set(columns).where('id', '=', paymentId).execute();
    await trx.deleteFrom('allocations').where('payment_id', '=', paymentId).execute();
  } else {
    paymentId = newId();
    await trx
      .insertInto('payments')
      .values({ id: paymentId, ...columns, provider: ERP_PROVIDER, provider_reference: reference, status: 'succeeded', created_at: now })
      .execute();
  }
  if (next.length > 0) {
    await trx
      .insertInto('allocations')
      .values(next.map((a) => ({ id: newId(), invoice_id: a.invoice_id, payment_id: paymentId, credit_note_id: null, amount_cents: a.amount_cents, created_at: now })))
      .execute();
  }
  await audit(trx, clock, {
    ...integrationEntry(actor),
    action: before ? 'payment.update' : 'payment.create',
    outcome: 'success',
    target_type: 'customer',
    target_id: customer.id,
    details: {
      ...integrationDetails(actor),
      reference,
      payment_id: paymentId,
      method: input.method,
      amount_cents: input.amount_cents,
      invoices: numbers,
      ...(before ? { fields } : {}),
    },
  });
  return { ok: true, result: { outcome: before ? 'updated' : 'created', paymentId } };
}


/**
 * Creates or updates the payment of this ERP reference, and what it settles; nothing when it
 * is already so. Refusal: `validation_failed` naming each field (an unknown customer or
 * invoice, more than remains on an invoice).
 */
export async function putPayment(db: Db, clock: Clock, reference: string, input: PaymentInput, actor: IntegrationActor): Promise<PutPaymentResult> {
  return retryOnUniqueViolation(db, () =>
    inTransaction(db, async (trx) => {
      const r = await writePayment(trx, clock, reference, input, actor);
      if (!r.ok) throw new AppError('validation_failed', { detail: `payment ${reference} refused: ${r.errors.map((e) => e.field).join(', ')}`, fields: r.errors });
      return r.result;
    }),
  );
}

/** One payment of a batch: its ERP reference and what the ERP says of it. */
export interface PaymentBatchItem {
  reference: string;
  input: PaymentInput;
}

/**
 * A batch of payments, all or nothing, in one transaction, in order (two payments of the batch
 * settling one invoice share what remains on it). `items[i]` null is an item already refused,
 * whose errors are in `refused`. When any item is bad nothing is written and the refusal
 * (`validation_failed`) names every bad field of every bad item; otherwise the outcome of each.
 */
export async function applyPaymentBatch(
  db: Db,
  clock: Clock,
  items: (PaymentBatchItem | null)[],
  actor: IntegrationActor,
  refused: FieldError[] = [],
): Promise<{ reference: string; outcome: PutOutcome }[]> {
  return retryOnUniqueViolation(db, () =>
    inTransaction(db, async (trx) => {
      const errors = [...refused];
      const outcomes: { reference: string; outcome: PutOutcome }[] = [];
      const seen = new Map<string, number>();
      for (const [index, item] of items.entries()) {
        if (!item) continue;
        const first = seen.get(item.reference);
        if (first !== undefined) {
          errors.push({ field: itemField(index, 'reference'), code: 'duplicate', key: 'api.field.batch.duplicate', params: { index: first } });
          continue;
        }
        seen.set(item.reference, index);
        const r = await writePayment(trx, clock, item.reference, item.input, actor);
        if (!r.ok) errors.push(...r.errors.map((e) => ({ ...e, field: itemField(index, e.field) })));
        else outcomes.push({ reference: item.reference, outcome: r.result.outcome });
      }
      // Thrown inside the transaction: everything above is rolled back.
      if (errors.length > 0) throw batchRefused(errors);
      return outcomes;
    }),
  );
}
