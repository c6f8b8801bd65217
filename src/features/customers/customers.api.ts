import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX } from '../../areas/api-area.ts';
import { cursorQuery, decodeCursor, isoDateTime, listOf, optionalText, pageOf, problemResponses, putResponse, sendPut, text } from '../../lib/api.ts';
import { apiActor, audit, integrationDetails, integrationEntry } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { emailAddress } from '../../lib/validation.ts';
import { ADDRESS_LINE_MAX, isFrance, phoneOk } from './customers.actions.rules.ts';
import { normaliseVatNumber, vatNumberProblem } from './customers.billing.rules.ts';
import { putCustomer } from './customers.integration.service.ts';
import { customerRecordByNumber, customerRecordsAfter } from './customers.queries.ts';
import { findCustomerByNumber, issueTemporaryPassword } from './customers.service.ts';

/*
 * Customers in the operator's API, by the operator's customer number:
 *   PUT  /api/v1/customers/{number}                       create or update (customers:write)
 *   GET  /api/v1/customers/{number}                       one (customers:read)
 *   GET  /api/v1/customers?cursor=&limit=                 all, by number (customers:read)
 *   POST /api/v1/customers/{number}/temporary-password    a new temporary password, once (credentials:write)
 * The schemas below validate the requests and make the OpenAPI document; the bulk import
 * reads its rows with `customerInput` too.
 */

/** The operator's customer number: upper-case letters, digits, `-`, `_`, `.`; what the customer logs in with. */
export const customerNumber = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,29}$/)
  .describe('The operator’s customer number (upper-case letters, digits, - _ .), the customer’s login.');

const phone = z
  .string()
  .trim()
  .max(30)
  .refine((p) => phoneOk(p), { message: 'api.field.phone' })
  .nullish()
  .transform((v) => v ?? null);

/** A customer as the ERP sends it: every field the portal keeps, unknown ones refused. */
export const customerInput = z
  .strictObject({
    kind: z.enum(['individual', 'business']),
    civility: optionalText(20).describe('M., Mme…'),
    last_name: text(100).describe('The surname (for a business: its contact’s).'),
    first_name: optionalText(100),
    company_name: optionalText(200).describe('Required for a business: the name the portal greets it by.'),
    siren: z
      .string()
      .trim()
      .regex(/^\d{9}$/, { message: 'api.field.siren' })
      .nullish()
      .transform((v) => v ?? null),
    address: z
      .strictObject({
        line1: text(ADDRESS_LINE_MAX),
        line2: optionalText(ADDRESS_LINE_MAX),
        postal_code: text(10).describe('5 digits in France.'),
        city: text(ADDRESS_LINE_MAX),
        country: text(ADDRESS_LINE_MAX).default('France'),
      })
      .describe(`The postal address, lines of at most ${ADDRESS_LINE_MAX} characters (NF Z 10-011).`),
    emails: z
      .strictObject({
        primary: emailAddress.transform((e) => e.toLowerCase()),
        secondary: emailAddress
          .transform((e) => e.toLowerCase())
          .nullish()
          .transform((v) => v ?? null),
      })
      .optional()
      .describe(
        'The e-mail addresses. Left out: the portal keeps those it holds (customers manage them online). A new address is sent a verification link.',
      ),
    phones: z.strictObject({ landline: phone, mobile: phone }).default({ landline: null, mobile: null }),
    language: z.enum(['fr', 'en']).default('fr').describe('The language of the customer’s pages and e-mails.'),
    paper_required: z.boolean().default(false).describe('true: the customer receives paper whatever they chose online.'),
    billing: z
      .strictObject({
        vat_number: z
          .string()
          .transform(normaliseVatNumber)
          .nullish()
          .transform((v) => v || null)
          .describe('The intracommunity VAT number (a French one: FR, the 2-digit key, the SIREN — checked against the SIREN). null: none.'),
        email: emailAddress
          .transform((e) => e.toLowerCase())
          .nullish()
          .transform((v) => v ?? null)
          .describe('Where the customer’s documents are e-mailed and what its e-invoices name as its contact. null: its verified addresses, as for everyone.'),
      })
      .optional()
      .describe('A business customer’s billing profile (shown in Profil, changed on the customer’s request by customer service). Left out: the portal keeps what it holds.'),
  })
  .superRefine((c, ctx) => {
    const vat = c.billing?.vat_number;
    const vatProblem = vat ? vatNumberProblem(vat, c.siren) : null;
    if (vatProblem) ctx.addIssue({ code: 'custom', path: ['billing', 'vat_number'], message: `api.field.vatNumber.${vatProblem}` });
    if (c.kind === 'business' && !c.company_name) ctx.addIssue({ code: 'custom', path: ['company_name'], message: 'api.field.businessName' });
    if (isFrance(c.address.country) && !/^\d{5}$/.test(c.address.postal_code)) ctx.addIssue({ code: 'custom', path: ['address', 'postal_code'], message: 'api.field.postalCode' });
    if (c.emails?.secondary && c.emails.secondary === c.emails.primary) ctx.addIssue({ code: 'custom', path: ['emails', 'secondary'], message: 'error.email.same' });
  });


const nullableText = z.string().nullable();

/** A customer as the API shows it. */
export const customerResource = z.object({
  number: z.string(),
  kind: z.enum(['individual', 'business']),
  civility: nullableText,
  last_name: z.string(),
  first_name: nullableText,
  company_name: nullableText,
  siren: nullableText,
  address: z.object({ line1: z.string(), line2: nullableText, postal_code: z.string(), city: z.string(), country: z.string() }),
  emails: z.object({ primary: nullableText, secondary: nullableText }),
  phones: z.object({ landline: nullableText, mobile: nullableText }),
  language: z.enum(['fr', 'en']),
  paper_required: z.boolean(),
  billing: z.object({ vat_number: nullableText, email: nullableText }).describe('The billing profile: VAT number and billing e-mail (null: none).'),
  portal: z
    .object({
      login: z.enum(['none', 'not_activated', 'active', 'locked']).describe('none: no temporary password issued yet.'),
      paperless: z.boolean().describe('The customer’s paperless consent, given or withdrawn online.'),
      primary_email_verified: z.boolean(),
      secondary_email_verified: z.boolean(),
    })
    .describe('What the portal knows and the ERP does not write (read-only: refused in a PUT).'),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});

const numberParams = z.strictObject({ number: customerNumber });
const tags = ['customers'];

const customersApiRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock, config } = app;

  app.put(
    '/customers/:number',
    {
      config: { apiScope: 'customers:write' },
      schema: {
        tags,
        summary: 'Create or update a customer by their number',
        description: 'Creates the customer (201) or updates them (200); a body that changes nothing writes nothing and answers 200 with `unchanged: true`.',
        params: numberParams,
        body: customerInput,
        response: { 200: putResponse(customerResource), 201: putResponse(customerResource), ...problemResponses },
      },
    },
    async (req, reply) => {
      const { number } = req.params;
      const { outcome } = await putCustomer(db, clock, config, number, req.body, apiActor(req));
      const record = await customerRecordByNumber(db, number);
      if (!record) throw new AppError('api_not_found');
      return sendPut(reply, outcome, record, `${API_PREFIX}/customers/${number}`);
    },
  );

  app.get(
    '/customers/:number',
    {
      config: { apiScope: 'customers:read' },
      schema: { tags, summary: 'Read a customer', params: numberParams, response: { 200: customerResource, ...problemResponses } },
    },
    async (req) => {
      const record = await customerRecordByNumber(db, req.params.number);
      if (!record) throw new AppError('api_not_found');
      return record;
    },
  );

  app.get(
    '/customers',
    {
      config: { apiScope: 'customers:read' },
      schema: { tags, summary: 'List customers by number', querystring: cursorQuery, response: { 200: listOf(customerResource), ...problemResponses } },
    },
    async (req) => {
      const { cursor, limit } = req.query;
      const after = decodeCursor(cursor, 1)?.[0] ?? null;
      const rows = await customerRecordsAfter(db, after, limit + 1);
      return pageOf(rows, limit, (r) => [r.number], (r) => r);
    },
  );

  app.post(
    '/customers/:number/temporary-password',
    {
      config: { apiScope: 'credentials:write' },
      schema: {
        tags,
        summary: 'Issue a new temporary password for a customer',
        description:
          'For the ERP to print on the next invoice or letter. Answered once, never stored in clear; the previous temporary password stops working. An active account keeps its password.',
        params: numberParams,
        response: { 200: z.object({ password: z.string(), expires_at: isoDateTime }), ...problemResponses },
      },
    },
    async (req) => {
      const record = await findCustomerByNumber(db, req.params.number);
      if (!record) throw new AppError('api_not_found');
      const { password, expiresAt } = await issueTemporaryPassword(db, clock, record.id, config.TEMP_PASSWORD_DAYS);
      const actor = apiActor(req);
      await audit(db, clock, {
        ...integrationEntry(actor),
        action: 'customer.issue_temporary_password',
        outcome: 'success',
        target_type: 'customer',
        target_id: record.id,
        details: { ...integrationDetails(actor), number: record.number, expires_at: expiresAt },
      });
      return { password, expires_at: expiresAt };
    },
  );
};

export default customersApiRoutes;
