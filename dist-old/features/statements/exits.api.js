import { z } from 'zod';
import { API_PREFIX } from '../../areas/api-area.js';
import { cursorQuery, decodeCursor, isoDateTime, listOf, pageOf, problemResponses, problemSchema, putResponse, sendPut } from '../../lib/api.js';
import { apiActor } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { contractNumber } from '../contracts/contracts.api.js';
import { putExitCount } from './exits.integration.service.js';
import { exitCountRecordOf, exitCountRecordsAfter, exitsContract } from './exits.queries.js';
import { MONTH_PATTERN } from './statements.rules.js';
/*
 * Petit-rouleur exit counts in the operator's API, by contract number and month:
 *   PUT /api/v1/contracts/{number}/exits/{month}          create or update a month (exits:write)
 *   GET /api/v1/contracts/{number}/exits/{month}          one month (exits:read)
 *   GET /api/v1/contracts/{number}/exits?cursor=&limit=   every month, in order (exits:read)
 * The customer sees them on the Décomptes page, with the discount the statements' rules derive.
 */
/** A month, `YYYY-MM`. */
export const month = z.string().regex(MONTH_PATTERN).describe('A month, YYYY-MM.');
/** A month's exits as the ERP sends them. */
export const exitCountInput = z
    .strictObject({
    exit_count: z.int().min(0).max(1000).describe('The number of exits in the month: it sets the discount.'),
    exits: z
        .array(isoDateTime)
        .max(1000)
        .nullish()
        .transform((v) => v ?? null)
        .describe('The exits one by one (instants in the month, Paris time), as many as exit_count; null or left out: only their number is known.'),
})
    .superRefine((c, ctx) => {
    if (c.exits === null)
        return;
    if (c.exits.length !== c.exit_count)
        ctx.addIssue({ code: 'custom', path: ['exits'], message: 'api.field.exitsCount', params: { code: 'count', count: c.exits.length } });
    const seen = new Set();
    c.exits.forEach((e, i) => {
        const at = Date.parse(e);
        if (seen.has(at))
            ctx.addIssue({ code: 'custom', path: ['exits', i], message: 'api.field.exitTwice', params: { code: 'duplicate' } });
        seen.add(at);
    });
});
/** A month's exits as the API shows them. */
export const exitCountResource = z.object({
    contract: z.string(),
    month: z.string(),
    exit_count: z.int(),
    exits: z.array(isoDateTime).nullable().describe('null: only their number was sent.'),
    discount: z
        .object({ rate_bp: z.int(), ht_cents: z.int(), vat_cents: z.int(), ttc_cents: z.int() })
        .describe('The month’s discount: its rate (basis points) by the petit-rouleur rule, its amounts as billed once the month is, else as the rule gives them.'),
    billed_by: z.string().nullable().describe('The number of the document carrying the month’s discount; once set, the count can no longer change.'),
    created_at: isoDateTime,
});
const contractParams = z.strictObject({ number: contractNumber });
const monthParams = z.strictObject({ number: contractNumber, month });
const tags = ['exit counts'];
const exitsApiRoutes = async (app) => {
    const { db, clock } = app;
    const contractOf = async (number) => {
        const contract = await exitsContract(db, number);
        if (!contract)
            throw new AppError('api_not_found');
        return contract;
    };
    app.put('/contracts/:number/exits/:month', {
        config: { apiScope: 'exits:write' },
        schema: {
            tags,
            summary: 'Create or update the exit count of a petit-rouleur contract for a month',
            description: 'Only for a `resident_petit_rouleur` contract (else 422 naming `number`), a month of its period already begun. A month already billed (`billed_by` set) keeps its count: another one is a 409 naming `exit_count`.',
            params: monthParams,
            body: exitCountInput,
            response: { 200: putResponse(exitCountResource), 201: putResponse(exitCountResource), ...problemResponses, 409: problemSchema },
        },
    }, async (req, reply) => {
        const { number, month: m } = req.params;
        const { outcome } = await putExitCount(db, clock, number, m, req.body, apiActor(req));
        const record = await exitCountRecordOf(db, await contractOf(number), m);
        if (!record)
            throw new AppError('api_not_found');
        return sendPut(reply, outcome, record, `${API_PREFIX}/contracts/${number}/exits/${m}`);
    });
    app.get('/contracts/:number/exits/:month', {
        config: { apiScope: 'exits:read' },
        schema: { tags, summary: 'Read the exit count of a contract for a month', params: monthParams, response: { 200: exitCountResource, ...problemResponses } },
    }, async (req) => {
        const record = await exitCountRecordOf(db, await contractOf(req.params.number), req.params.month);
        if (!record)
            throw new AppError('api_not_found');
        return record;
    });
    app.get('/contracts/:number/exits', {
        config: { apiScope: 'exits:read' },
        schema: { tags, summary: 'List the exit counts of a contract by month', params: contractParams, querystring: cursorQuery, response: { 200: listOf(exitCountResource), ...problemResponses } },
    }, async (req) => {
        const { cursor, limit } = req.query;
        const after = decodeCursor(cursor, 1)?.[0] ?? null;
        const contract = await contractOf(req.params.number);
        return pageOf(await exitCountRecordsAfter(db, contract, after, limit + 1), limit, (r) => [r.month], (r) => r);
    });
};
export default exitsApiRoutes;
//# sourceMappingURL=exits.api.js.map