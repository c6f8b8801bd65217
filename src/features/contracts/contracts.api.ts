import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX } from '../../areas/api-area.ts';
import { cents, cursorQuery, decodeCursor, isoDate, isoDateTime, listOf, optionalIsoDate, optionalText, pageOf, problemResponses, problemSchema, putResponse, sendPut, text } from '../../lib/api.ts';
import { apiActor } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { customerNumber } from '../customers/customers.api.ts';
import { PURCHASE_ORDER_MAX, normalisePurchaseOrder } from '../customers/customers.billing.rules.ts';
import { carParkCode } from '../settings/car-parks.api.ts';
import { putContract } from './contracts.integration.service.ts';
import { contractRecordByNumber, contractRecordsAfter } from './contracts.queries.ts';
import { BILLING_PERIODS, CONTRACT_STATES, FRENCH, PRODUCTS, overlappingPlates, vehiclePlate } from './contracts.rules.ts';

/*
 * Contracts in the operator's API, by the operator's contract number:
 *   PUT /api/v1/contracts/{number}                        create or update (contracts:write)
 *   GET /api/v1/contracts/{number}                        one (contracts:read)
 *   GET /api/v1/contracts?customer=&cursor=&limit=        all, or one customer's, by number (contracts:read)
 * With their vehicles and plates (`contracts.rules.ts`: how a plate is read, how the vehicles
 * sent replace those held). The bulk import reads its rows with `contractInput` too.
 */

/** The operator's contract number: upper-case letters, digits, `-`, `_`, `.`. */
export const contractNumber = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,29}$/)
  .describe('The operator’s contract number (upper-case letters, digits, - _ .).');

/** A date, or null when absent. */

/** A vehicle as the ERP sends it; its plate read the one way (`vehiclePlate`). */
export const vehicleInput = z
  .strictObject({
    plate: text(20).describe('French: SIV (AB-123-CD) or FNI (123 ABC 75), written in any case, with or without dashes or spaces; stored normalised. Foreign: letters and digits.'),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .refine((c) => /^[A-Z]{2}$/.test(c), { message: 'api.field.country' })
      .default(FRENCH)
      .describe('ISO 3166-1 alpha-2 code of the country that registered the plate; FR when left out.'),
    description: optionalText(100).describe('The vehicle, as the customer names it (make, model, colour).'),
    valid_from: optionalIsoDate.describe('The first day the plate is in force; null: since the contract began.'),
    valid_to: optionalIsoDate.describe('The last day the plate is in force; null: still in force.'),
  })
  .superRefine((v, ctx) => {
    if (!vehiclePlate(v.plate, v.country)) ctx.addIssue({ code: 'custom', path: ['plate'], message: 'api.field.plate' });
    if (v.valid_from && v.valid_to && v.valid_to < v.valid_from) ctx.addIssue({ code: 'custom', path: ['valid_to'], message: 'api.field.validTo', params: { code: 'before_start' } });
  })
  .transform((v) => ({ ...v, plate: vehiclePlate(v.plate, v.country) ?? v.plate }));

/** A contract as the ERP sends it: every field the portal keeps, unknown ones refused. */
export const contractInput = z
  .strictObject({
    customer: customerNumber.describe('The customer’s number: the customer must exist (put it first). A contract stays with its customer.'),
    car_park: carParkCode.describe('The car park’s code: the car park must exist (put it first).'),
    product: z.enum(PRODUCTS).describe('resident_petit_rouleur: the monthly exit counts (exit counts, below) set a discount.'),
    state: z.enum(CONTRACT_STATES),
    start_date: isoDate,
    end_date: optionalIsoDate.describe('null: no end date (tacit renewal). Not before start_date.'),
    renewal_date: optionalIsoDate.describe('Not before start_date.'),
    billing_period: z.enum(BILLING_PERIODS),
    price_ht_cents: cents.min(0).describe('The price per billing period, excluding VAT, in integer cents.'),
    vat_rate_bp: z.int().min(0).max(10_000).describe('The VAT rate in basis points (2000 = 20 %).'),
    direct_debit: z.boolean().default(false).describe('The payment mode: true, paid by SEPA direct debit; false, paid on receipt of the invoice.'),
    badge_number: optionalText(40),
    space_label: optionalText(40),
    max_vehicles: z.int().min(1).max(20).default(1).describe('How many vehicles the contract allows at once: the customer replaces or adds vehicles online within it. 1 when left out.'),
    purchase_order_reference: z
      .string()
      .transform(normalisePurchaseOrder)
      .refine((v) => v === null || v.length <= PURCHASE_ORDER_MAX, { message: 'api.field.purchaseOrder', params: { max: PURCHASE_ORDER_MAX } })
      .nullable()
      .optional()
      .describe(`The customer’s purchase-order reference for what the contract bills (at most ${PURCHASE_ORDER_MAX} characters), carried by its invoices (Factur-X). null: none. Left out: the portal keeps what it holds (the customer may have it changed through customer service).`),
    vehicles: z
      .array(vehicleInput)
      .max(20)
      .default([])
      .describe(
        'Replaces the vehicles the portal holds, matched by plate and country: a plate sent takes the period and description sent; a plate in force no longer sent ends the day before (Paris); one not begun yet is removed; one already ended is kept as history. A plate twice only for periods sharing no day.',
      ),
  })
  .superRefine((c, ctx) => {
    if (c.end_date && c.end_date < c.start_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'api.field.notBeforeStart', params: { code: 'before_start' } });
    if (c.renewal_date && c.renewal_date < c.start_date) ctx.addIssue({ code: 'custom', path: ['renewal_date'], message: 'api.field.notBeforeStart', params: { code: 'before_start' } });
    for (const i of overlappingPlates(c.vehicles)) ctx.addIssue({ code: 'custom', path: ['vehicles', i, 'plate'], message: 'api.field.plateTwice', params: { code: 'duplicate' } });
  });

const nullableText = z.string().nullable();
const nullableDate = isoDate.nullable();

/** A contract as the API shows it. */
export const contractResource = z.object({
  number: z.string(),
  customer: z.string().describe('The customer’s number.'),
  car_park: z.string().describe('The car park’s code.'),
  product: z.enum(PRODUCTS),
  state: z.enum(CONTRACT_STATES),
  start_date: isoDate,
  end_date: nullableDate,
  renewal_date: nullableDate,
  billing_period: z.enum(BILLING_PERIODS),
  price_ht_cents: z.int(),
  vat_rate_bp: z.int(),
  direct_debit: z.boolean(),
  badge_number: nullableText,
  space_label: nullableText,
  max_vehicles: z.int().describe('How many vehicles the contract allows at once.'),
  purchase_order_reference: nullableText.describe('The customer’s purchase-order reference (null: none).'),
  vehicles: z
    .array(z.object({ plate: z.string(), country: z.string(), description: nullableText, valid_from: nullableDate, valid_to: nullableDate }))
    .describe('Every vehicle the portal holds, past ones included, by period.'),
  termination: z
    .object({
      reference: z.string(),
      status: z.enum(['requested', 'processed']).describe('requested: customer service has still to process it (badge, final invoice or credit note).'),
      requested_at: isoDateTime,
      effective_date: isoDate.describe('The contract’s last day.'),
    })
    .nullable()
    .describe('A termination the customer asked online and has not withdrawn (read them all in the terminations feed); null: none.'),
  created_at: isoDateTime,
});

const numberParams = z.strictObject({ number: contractNumber });
const listQuery = cursorQuery.extend({ customer: customerNumber.optional().describe('Only the contracts of the customer of this number.') });
const tags = ['contracts'];

const contractsApiRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app;

  app.put(
    '/contracts/:number',
    {
      config: { apiScope: 'contracts:write' },
      schema: {
        tags,
        summary: 'Create or update a contract by its number',
        description:
          'Creates the contract (201) or updates it (200); a body that changes nothing writes nothing and answers 200 with `unchanged: true`. An unknown customer or car park is a 422 naming `customer` or `car_park`.',
        params: numberParams,
        body: contractInput,
        response: { 200: putResponse(contractResource), 201: putResponse(contractResource), ...problemResponses, 409: problemSchema },
      },
    },
    async (req, reply) => {
      const { number } = req.params;
      const { outcome } = await putContract(db, clock, number, req.body, apiActor(req));
      const record = await contractRecordByNumber(db, number);
      if (!record) throw new AppError('api_not_found');
      return sendPut(reply, outcome, record, `${API_PREFIX}/contracts/${number}`);
    },
  );

  app.get(
    '/contracts/:number',
    {
      config: { apiScope: 'contracts:read' },
      schema: { tags, summary: 'Read a contract', params: numberParams, response: { 200: contractResource, ...problemResponses } },
    },
    async (req) => {
      const record = await contractRecordByNumber(db, req.params.number);
      if (!record) throw new AppError('api_not_found');
      return record;
    },
  );

  app.get(
    '/contracts',
    {
      config: { apiScope: 'contracts:read' },
      schema: { tags, summary: 'List contracts by number, all or one customer’s', querystring: listQuery, response: { 200: listOf(contractResource), ...problemResponses } },
    },
    async (req) => {
      const { cursor, limit, customer } = req.query;
      const after = decodeCursor(cursor, 1)?.[0] ?? null;
      return pageOf(await contractRecordsAfter(db, after, limit + 1, customer), limit, (r) => [r.number], (r) => r);
    },
  );
};

export default contractsApiRoutes;
