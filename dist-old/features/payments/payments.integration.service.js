import { inTransaction } from '../../db/database.js';
import { forUpdate, retryOnUniqueViolation } from '../../db/dialect.js';
import { batchRefused, itemField } from '../../lib/api-batch.js';
import { audit, integrationDetails, integrationEntry } from '../../lib/audit.js';
import { newId, nowIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { documentBalances } from '../account/balance.queries.js';
import { lockCustomer } from '../customers/customers.service.js';
import { ERP_PROVIDER } from './payments.rules.js';
/** The instant stored for a day received: its midday UTC, which is that day in Paris (and in the rest of Europe). */
const receivedAt = (day) => `${day}T12:00:00.000Z`;
/** Allocations compared whatever their order. */
const allocationKey = (allocations) => allocations
    .map((a) => `${a.invoice_id}:${a.amount_cents}`)
    .sort()
    .join(',');
/** Checks one payment against the database and writes it (nothing when refused or unchanged). */
async function writePayment(trx, clock, reference, input, actor) {
    const customer = await trx.selectFrom('customers').select('id').where('number', '=', input.customer).executeTakeFirst();
    if (!customer)
        return { ok: false, errors: [{ field: 'customer', code: 'unknown', key: 'api.field.unknownCustomer' }] };
    const before = await forUpdate(trx, trx.selectFrom('payments').selectAll().where('provider', '=', ERP_PROVIDER).where('provider_reference', '=', reference)).executeTakeFirst();
    // One booking at a time per customer (the portal's own and the ERP's), so two never allocate the same amount due.
    await lockCustomer(trx, customer.id);
    if (before && before.customer_id !== customer.id)
        await lockCustomer(trx, before.customer_id);
    const errors = [];
    const numbers = input.allocations.map((a) => a.invoice);
    const invoices = new Map(numbers.length === 0
        ? []
        : (await trx.selectFrom('financial_documents').select(['id', 'number', 'kind', 'customer_id', 'published_at']).where('number', 'in', numbers).execute()).map((d) => [d.number, d]));
    const next = input.allocations.map((a, i) => {
        const invoice = invoices.get(a.invoice);
        if (!invoice || invoice.kind !== 'invoice' || invoice.customer_id !== customer.id)
            errors.push({ field: `allocations[${i}].invoice`, code: 'unknown', key: 'api.field.unknownInvoice' });
        else if (invoice.published_at === null)
            errors.push({ field: `allocations[${i}].invoice`, code: 'not_published', key: 'api.field.invoiceNotPublished' });
        return { invoice_id: invoice?.id ?? '', amount_cents: a.amount_cents };
    });
    if (errors.length > 0)
        return { ok: false, errors };
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
    if (before && fields.length === 0)
        return { ok: true, result: { outcome: 'unchanged', paymentId: before.id } };
    // What remains on each invoice, what this payment settled so far counted back.
    const remaining = await documentBalances(trx, customer.id);
    for (const a of held)
        if (remaining.has(a.invoice_id))
            remaining.set(a.invoice_id, remaining.get(a.invoice_id) + a.amount_cents);
    next.forEach((a, i) => {
        const left = remaining.get(a.invoice_id) ?? 0;
        if (a.amount_cents > left)
            errors.push({ field: `allocations[${i}].amount_cents`, code: 'too_big', key: 'api.field.payment.moreThanRemaining', params: { remaining: left } });
    });
    if (errors.length > 0)
        return { ok: false, errors };
    const now = nowIso(clock);
    let paymentId;
    if (before) {
        paymentId = before.id;
        await trx.updateTable('payments').set(columns).where('id', '=', paymentId).execute();
        await trx.deleteFrom('allocations').where('payment_id', '=', paymentId).execute();
    }
    else {
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
export async function putPayment(db, clock, reference, input, actor) {
    return retryOnUniqueViolation(db, () => inTransaction(db, async (trx) => {
        const r = await writePayment(trx, clock, reference, input, actor);
        if (!r.ok)
            throw new AppError('validation_failed', { detail: `payment ${reference} refused: ${r.errors.map((e) => e.field).join(', ')}`, fields: r.errors });
        return r.result;
    }));
}
/**
 * A batch of payments, all or nothing, in one transaction, in order (two payments of the batch
 * settling one invoice share what remains on it). `items[i]` null is an item already refused,
 * whose errors are in `refused`. When any item is bad nothing is written and the refusal
 * (`validation_failed`) names every bad field of every bad item; otherwise the outcome of each.
 */
export async function applyPaymentBatch(db, clock, items, actor, refused = []) {
    return retryOnUniqueViolation(db, () => inTransaction(db, async (trx) => {
        const errors = [...refused];
        const outcomes = [];
        const seen = new Map();
        for (const [index, item] of items.entries()) {
            if (!item)
                continue;
            const first = seen.get(item.reference);
            if (first !== undefined) {
                errors.push({ field: itemField(index, 'reference'), code: 'duplicate', key: 'api.field.batch.duplicate', params: { index: first } });
                continue;
            }
            seen.set(item.reference, index);
            const r = await writePayment(trx, clock, item.reference, item.input, actor);
            if (!r.ok)
                errors.push(...r.errors.map((e) => ({ ...e, field: itemField(index, e.field) })));
            else
                outcomes.push({ reference: item.reference, outcome: r.result.outcome });
        }
        // Thrown inside the transaction: everything above is rolled back.
        if (errors.length > 0)
            throw batchRefused(errors);
        return outcomes;
    }));
}
//# sourceMappingURL=payments.integration.service.js.map