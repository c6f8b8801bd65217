import { z } from 'zod';
import { API_PREFIX } from '../../areas/api-area.js';
import { cents, cursorQuery, decodeCursor, isoDate, isoDateTime, listOf, pageOf, problemResponses, problemSchema, putResponse, sendPut } from '../../lib/api.js';
import { BATCH_MAX_ITEMS, batchBody, batchSummary, readBatch, summaryOf } from '../../lib/api-batch.js';
import { apiActor } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { customerNumber } from '../customers/customers.api.js';
import { documentNumber } from '../documents/documents.api.js';
import { applyPaymentBatch, putPayment } from './payments.integration.service.js';
import { RECEIVED_METHODS, allocationProblems } from './payments.rules.js';
import { receivedPaymentByReference, receivedPaymentsAfter } from './received-payments.queries.js';
/*
 * Payments received outside the portal in the operator's API, by the ERP's reference:
 *   PUT  /api/v1/payments/{reference}        create or update (payments:write)
 *   GET  /api/v1/payments/{reference}        one (payments:read)
 *   GET  /api/v1/payments?cursor=&limit=     all, by reference (payments:read)
 *   POST /api/v1/batches/payments            up to 1,000, all or nothing (payments:write)
 * A transfer, a cheque, a direct debit, cash or a card at the desk, and the invoices it
 * settles (`allocations`). Online payments are the portal's, not written here.
 */
/** The ERP's reference of a payment: letters, digits, `-`, `_`, `.`. */
export const paymentReference = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/)
    .describe('The payment’s reference in the operator’s billing system (letters, digits, - _ .; at most 60).');
/** Bodies of a batch of payments: 8 MiB (1,000 payments with a few allocations each are well under 1 MiB). */
export const PAYMENT_BATCH_BODY_LIMIT = 8 * 1024 * 1024;
const paymentShape = {
    customer: customerNumber.describe('The customer’s number.'),
    method: z.enum(RECEIVED_METHODS).describe('transfer, cheque, direct_debit, cash, or card (at the desk).'),
    amount_cents: cents.min(1).describe('The amount received, in cents.'),
    received_on: isoDate.describe('The day it was received.'),
    allocations: z
        .array(z.strictObject({
        invoice: documentNumber.describe('The number of the customer’s published invoice it settles.'),
        amount_cents: cents.min(1).describe('How much of it settles this invoice: at most what remains to pay on it.'),
    }))
        .max(200)
        .default([])
        .describe('The invoices it settles; together at most the amount. What is not allocated is a credit on the customer’s account.'),
};
function paymentRules(p, ctx) {
    for (const problem of allocationProblems(p))
        ctx.addIssue({ code: 'custom', path: problem.path, message: problem.key, params: { code: problem.code, ...problem.params } });
}
/** A payment as the ERP sends it: unknown fields refused, no more allocated than received. */
export const paymentInput = z.strictObject(paymentShape).superRefine(paymentRules);
/** A payment of a batch: its reference, then the fields of `PUT /payments/{reference}`. */
export const paymentBatchItem = z.strictObject({ reference: paymentReference, ...paymentShape }).superRefine(paymentRules);
/** A payment as the API shows it. */
export const paymentResource = z.object({
    reference: z.string(),
    customer: z.string(),
    method: z.enum(['card', 'direct_debit', 'cheque', 'transfer', 'cash']),
    amount_cents: z.int(),
    received_on: z.string().nullable(),
    allocations: z.array(z.object({ invoice: z.string(), amount_cents: z.int() })),
    unallocated_cents: z.int().describe('What no invoice takes: a credit on the customer’s account (the portal may set it against the next invoices the customer pays online).'),
    created_at: isoDateTime,
});
const referenceParams = z.strictObject({ reference: paymentReference });
const tags = ['payments'];
const paymentsApiRoutes = async (app) => {
    const { db, clock } = app;
    app.put('/payments/:reference', {
        config: { apiScope: 'payments:write' },
        schema: {
            tags,
            summary: 'Record a payment received outside the portal, by its reference',
            description: 'Creates the payment (201) or replaces it and what it settles (200); a body that changes nothing writes nothing and answers 200 with `unchanged: true`. ' +
                'Each invoice gets at most what remains to pay on it (422 naming the allocation); the customer’s balance moves at once.',
            params: referenceParams,
            body: paymentInput,
            response: { 200: putResponse(paymentResource), 201: putResponse(paymentResource), ...problemResponses },
        },
    }, async (req, reply) => {
        const { reference } = req.params;
        const { outcome } = await putPayment(db, clock, reference, req.body, apiActor(req));
        const record = await receivedPaymentByReference(db, reference);
        if (!record)
            throw new AppError('api_not_found');
        return sendPut(reply, outcome, record, `${API_PREFIX}/payments/${reference}`);
    });
    app.get('/payments/:reference', {
        config: { apiScope: 'payments:read' },
        schema: { tags, summary: 'Read a payment received outside the portal', params: referenceParams, response: { 200: paymentResource, ...problemResponses } },
    }, async (req) => {
        const record = await receivedPaymentByReference(db, req.params.reference);
        if (!record)
            throw new AppError('api_not_found');
        return record;
    });
    app.get('/payments', {
        config: { apiScope: 'payments:read' },
        schema: { tags, summary: 'List payments received outside the portal by reference', querystring: cursorQuery, response: { 200: listOf(paymentResource), ...problemResponses } },
    }, async (req) => {
        const { cursor, limit } = req.query;
        const after = decodeCursor(cursor, 1)?.[0] ?? null;
        return pageOf(await receivedPaymentsAfter(db, after, limit + 1), limit, (p) => [p.reference], (p) => p);
    });
    app.post('/batches/payments', {
        config: { apiScope: 'payments:write' },
        bodyLimit: PAYMENT_BATCH_BODY_LIMIT,
        // The items the schema refuses are reported with those the database refuses: `readBatch`.
        attachValidation: true,
        schema: {
            tags,
            summary: `Record up to ${BATCH_MAX_ITEMS} payments received outside the portal, all or nothing`,
            description: 'Each item is a payment as its own PUT takes it, with its `reference`. Applied in order in one transaction (two payments settling one invoice share what remains on it): ' +
                'when any item is refused, nothing is written and the 422 names every bad field of every bad item (`items[17].allocations[0].amount_cents`). Otherwise the outcome of each item. ' +
                `Bodies up to ${PAYMENT_BATCH_BODY_LIMIT / 1024 / 1024} MiB (413 beyond).`,
            body: batchBody(paymentBatchItem),
            response: {
                200: z.object({
                    summary: batchSummary,
                    items: z.array(z.object({ index: z.int(), reference: z.string(), outcome: z.enum(['created', 'updated', 'unchanged']) })),
                }),
                ...problemResponses,
                413: problemSchema,
            },
        },
    }, async (req) => {
        const { items, refused } = readBatch(req.body, req.validationError, paymentBatchItem);
        const outcomes = await applyPaymentBatch(db, clock, items.map((item) => (item ? { reference: item.reference, input: item } : null)), apiActor(req), refused);
        return { summary: summaryOf(outcomes.map((o) => o.outcome)), items: outcomes.map((o, index) => ({ index, ...o })) };
    });
};
export default paymentsApiRoutes;
//# sourceMappingURL=payments.api.js.map