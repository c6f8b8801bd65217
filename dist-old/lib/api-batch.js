import { z } from 'zod';
import { fieldErrorsOf } from './api.js';
import { AppError } from './errors.js';
/*
 * Batches of the operator's API (`POST /api/v1/batches/<resource>`): up to BATCH_MAX_ITEMS
 * items applied all or nothing, in one transaction. A refused batch names every bad item —
 * what its schema refuses and what the resource's rules refuse — by its index
 * (`items[17].lines[0].vat_rate_bp`), and writes nothing.
 *
 * The route declares its body with `batchBody(item)` (the OpenAPI document shows the item)
 * and `attachValidation: true`, so that a body whose items are refused still reaches the
 * handler: `readBatch` keeps the good items for the resource's checks and the schema's
 * errors, and the resource's batch function (`applyDocumentBatch`…) adds its own and throws
 * them all together.
 */
export const BATCH_MAX_ITEMS = 1000;
/** A batch's body: `{ "items": [ … ] }`, 1 to 1,000 items. */
export const batchBody = (item) => z.strictObject({ items: z.array(item).min(1).max(BATCH_MAX_ITEMS).describe(`1 to ${BATCH_MAX_ITEMS} items, applied all or nothing.`) });
/** What a good batch did: how many of each outcome. */
export const batchSummary = z.object({ created: z.int(), updated: z.int(), unchanged: z.int() });
export const summaryOf = (outcomes) => ({
    created: outcomes.filter((o) => o === 'created').length,
    updated: outcomes.filter((o) => o === 'updated').length,
    unchanged: outcomes.filter((o) => o === 'unchanged').length,
});
/**
 * A batch's items from the handler's body and the validation error Fastify attached (none: all
 * good). An error about the body as a whole (no `items`, too many, an unknown key beside it)
 * is thrown as it is; otherwise each item is parsed again on its own and those the schema
 * refused are null, their errors kept (`items[3].lines[0].label`).
 */
export function readBatch(body, validationError, item) {
    if (!validationError)
        return { items: body.items, refused: [] };
    if (!(validationError instanceof z.ZodError))
        throw validationError;
    const itemIndex = (path) => (path[0] === 'items' && typeof path[1] === 'number' ? path[1] : null);
    if (validationError.issues.some((i) => itemIndex(i.path) === null))
        throw validationError;
    const bad = new Set(validationError.issues.map((i) => itemIndex(i.path)));
    const raw = body.items;
    return {
        items: raw.map((r, i) => (bad.has(i) ? null : item.parse(r))),
        refused: fieldErrorsOf(validationError, 'body'),
    };
}
/** `lines[0].label` of item 17 → `items[17].lines[0].label`. */
export const itemField = (index, field) => `items[${index}]${field === '' ? '' : field.startsWith('[') ? field : `.${field}`}`;
const indexOf = (e) => Number(/^items\[(\d+)\]/.exec(e.field)?.[1] ?? -1);
/** The refusal of a batch: every bad item's fields, in item order. */
export function batchRefused(errors) {
    const sorted = errors.map((e, at) => ({ e, at })).sort((a, b) => indexOf(a.e) - indexOf(b.e) || a.at - b.at);
    return new AppError('validation_failed', { detail: `batch refused: ${new Set(errors.map(indexOf)).size} bad item(s)`, fields: sorted.map((s) => s.e) });
}
//# sourceMappingURL=api-batch.js.map