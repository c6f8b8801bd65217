import { z } from 'zod';
import { API_PREFIX } from '../../areas/api-area.js';
import { cursorQuery, decodeCursor, isoDateTime, listOf, pageOf, problemResponses, putResponse, sendPut, text } from '../../lib/api.js';
import { apiActor } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { emailAddress } from '../../lib/validation.js';
import { hoursLine, readHours, readServices, storedHours } from '../public/public.rules.js';
import { putCarPark } from './car-parks.integration.service.js';
import { carParksAfter, findCarPark } from './settings.queries.js';
import { phoneValid } from './settings.rules.js';
/*
 * Car parks in the operator's API, by their code:
 *   PUT /api/v1/car-parks/{code}           create or update (car_parks:write)
 *   GET /api/v1/car-parks/{code}           one (car_parks:read)
 *   GET /api/v1/car-parks?cursor=&limit=   all, by code (car_parks:read)
 * With their petit-rouleur option: whether the car park applies the 30 % variant of the
 * discount (3 exits or fewer a month).
 */
/** A car park's code: upper-case letters, digits, `-`, `_`. */
export const carParkCode = z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9_-]{0,29}$/)
    .describe('The operator’s code of the car park (upper-case letters, digits, - _).');
/** A car park as the ERP sends it. */
export const carParkInput = z.strictObject({
    name: text(100),
    address: z.strictObject({
        line: text(200),
        postal_code: z.string().regex(/^\d{5}$/, { message: 'api.field.postalCode' }),
        city: text(100),
    }),
    phone: text(30).refine((p) => phoneValid(p), { message: 'api.field.phone' }),
    email: emailAddress
        .transform((e) => e.toLowerCase())
        .nullish()
        .transform((v) => v ?? null),
    opening_hours: z
        .array(hoursLine)
        .min(1)
        .max(20)
        .default([{ for: 'everyone' }])
        .describe('Lines in no language: `{ "for": "everyone" | "subscribers" | "reception", "days": [1, 5], "hours": ["08:00", "19:00"] }`; no days: every day, no hours: round the clock.'),
    services: z
        .array(z.string().trim().min(1).max(60))
        .max(20)
        .default([])
        .describe('Service codes (ev_charging, motorcycles, bicycles, cctv, step_free, lift, car_wash, family_spaces, car_sharing, guarded_24h) or text shown as is.'),
    petit_rouleur_30: z.boolean().default(false).describe('The petit-rouleur option: true when the car park applies the 30 % discount at 3 exits or fewer a month.'),
});
/** A car park as the API shows it. */
export const carParkResource = z.object({
    code: z.string(),
    name: z.string(),
    address: z.object({ line: z.string(), postal_code: z.string(), city: z.string() }),
    phone: z.string(),
    email: z.string().nullable(),
    opening_hours: z.array(hoursLine).nullable().describe('null: hours stored as text before they were structured.'),
    services: z.array(z.string()),
    petit_rouleur_30: z.boolean(),
    created_at: isoDateTime,
});
/** The columns `putCarPark` writes of a body read (the API's and the bulk import's). */
export const carParkColumnsOf = (v) => ({
    name: v.name,
    address_line: v.address.line,
    postal_code: v.address.postal_code,
    city: v.address.city,
    phone: v.phone,
    email: v.email,
    opening_hours: storedHours(v.opening_hours),
    services: JSON.stringify(v.services),
    petit_rouleur_30: v.petit_rouleur_30 ? 1 : 0,
});
export const carParkRecord = (p) => ({
    code: p.code,
    name: p.name,
    address: { line: p.address_line, postal_code: p.postal_code, city: p.city },
    phone: p.phone,
    email: p.email,
    opening_hours: readHours(p.opening_hours),
    services: readServices(p.services),
    petit_rouleur_30: p.petit_rouleur_30 === 1,
    created_at: p.created_at,
});
const codeParams = z.strictObject({ code: carParkCode });
const tags = ['car parks'];
const carParksApiRoutes = async (app) => {
    const { db, clock } = app;
    const find = (code) => findCarPark(db, code);
    app.put('/car-parks/:code', {
        config: { apiScope: 'car_parks:write' },
        schema: {
            tags,
            summary: 'Create or update a car park by its code',
            params: codeParams,
            body: carParkInput,
            response: { 200: putResponse(carParkResource), 201: putResponse(carParkResource), ...problemResponses },
        },
    }, async (req, reply) => {
        const { code } = req.params;
        const { outcome } = await putCarPark(db, clock, code, carParkColumnsOf(req.body), apiActor(req));
        const park = await find(code);
        if (!park)
            throw new AppError('api_not_found');
        return sendPut(reply, outcome, carParkRecord(park), `${API_PREFIX}/car-parks/${code}`);
    });
    app.get('/car-parks/:code', { config: { apiScope: 'car_parks:read' }, schema: { tags, summary: 'Read a car park', params: codeParams, response: { 200: carParkResource, ...problemResponses } } }, async (req) => {
        const park = await find(req.params.code);
        if (!park)
            throw new AppError('api_not_found');
        return carParkRecord(park);
    });
    app.get('/car-parks', {
        config: { apiScope: 'car_parks:read' },
        schema: { tags, summary: 'List car parks by code', querystring: cursorQuery, response: { 200: listOf(carParkResource), ...problemResponses } },
    }, async (req) => {
        const { cursor, limit } = req.query;
        const after = decodeCursor(cursor, 1)?.[0] ?? null;
        return pageOf(await carParksAfter(db, after, limit + 1), limit, (p) => [p.code], carParkRecord);
    });
};
export default carParksApiRoutes;
//# sourceMappingURL=car-parks.api.js.map