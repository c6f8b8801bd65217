import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX } from '../../areas/api-area.ts';
import { cents, cursorQuery, decodeCursor, isoDate, isoDateTime, listOf, optionalIsoDate, optionalText, pageOf, problemResponses, problemSchema, putResponse, sendPut, text } from '../../lib/api.ts';
import { BATCH_MAX_ITEMS, batchBody, batchSummary, readBatch, summaryOf } from '../../lib/api-batch.ts';
import { apiActor } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { customerNumber } from '../customers/customers.api.ts';
import { sendPdf } from '../../lib/pdf.ts';
import { applyDocumentBatch, putDocument } from './documents.integration.service.ts';
import { documentRecordByNumber, documentRecordsAfter, publishedEInvoice } from './documents.queries.ts';
import { readDocumentPdf } from './documents.service.ts';
import { DOCUMENT_PDF_MAX_BYTES, VAT_RATE_MAX_BP, decodeBase64, documentProblems, pdfProblem } from './documents.rules.ts';

/*
 * Financial documents in the operator's API, by the document's number:
 *   PUT  /api/v1/documents/{number}                  create or update (documents:write)
 *   GET  /api/v1/documents/{number}                  one (documents:read)
 *   GET  /api/v1/documents?customer=&cursor=&limit=  all, or one customer's, by number (documents:read)
 *   POST /api/v1/batches/documents                   up to 1,000, all or nothing (documents:write)
 *   GET  /api/v1/e-invoices/{number}.pdf             a published e-invoice's file, the customer's (e_invoices:read)
 * Invoices and credit notes with their lines, VAT and totals — checked to add up the portal's
 * way (`documents.rules.ts`) — and the ERP's own PDF, base64 in the body, the document of
 * record. `published: true` publishes (and the customer is told, as for every document).
 * The schemas below validate the requests and make the OpenAPI document; the bulk import reads
 * its rows with `documentInput` too.
 */

/** A document's number: letters, digits, `-`, `_` (it names its PDF, `<number>.pdf`). */
export const documentNumber = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/)
  .describe('The document’s number in the operator’s billing system (letters, digits, - _; at most 40).');

/** Bodies of a single document: 8 MiB (a PDF of 5 MiB is about 6.7 MiB in base64). */
export const DOCUMENT_BODY_LIMIT = 8 * 1024 * 1024;
/** Bodies of a batch of documents: 32 MiB (1,000 documents without PDF are about 1 to 3 MiB). */
export const DOCUMENT_BATCH_BODY_LIMIT = 32 * 1024 * 1024;

const line = z.strictObject({
  label: text(200).describe('What is billed, as printed.'),
  quantity_milli: z.int().min(1).max(1_000_000_000).describe('The quantity in thousandths (1000 = 1; 500 = half a month).'),
  unit_price_ht_cents: cents.describe('The unit price excluding VAT, in cents (negative for a discount line).'),
  vat_rate_bp: z.int().min(0).max(VAT_RATE_MAX_BP).describe('The VAT rate in basis points (2000 = 20 %).'),
  total_ht_cents: cents.describe('quantity × unit price, rounded half away from zero to the cent.'),
  total_vat_cents: cents.describe('The line’s HT at its rate, rounded half away from zero to the cent.'),
  total_ttc_cents: cents.describe('HT + VAT.'),
});

const pdf = z
  .string()
  .transform((value, ctx) => {
    const bytes = decodeBase64(value);
    if (!bytes) {
      ctx.addIssue({ code: 'custom', message: 'api.field.document.pdfBase64', params: { code: 'format' } });
      return z.NEVER;
    }
    const problem = pdfProblem(bytes);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem.key, params: { code: problem.code, ...problem.params } });
      return z.NEVER;
    }
    return bytes;
  })
  .nullish()
  .describe(
    `The ERP’s PDF of the document, base64 (at most ${DOCUMENT_PDF_MAX_BYTES / 1024 / 1024} MiB once decoded): the document of record, served to the customer byte for byte. ` +
      'null: none, the portal renders one when the document is published. Left out: the PDF the portal holds is kept.',
  );

/** The fields of a document as the ERP sends it. */
const documentShape = {
  kind: z.enum(['invoice', 'credit_note']),
  customer: customerNumber.describe('The customer’s number (created first with a PUT on /customers).'),
  contract: optionalText(40).describe('The number of the customer’s contract it bills, if any.'),
  corrects: documentNumber
    .nullable()
    .default(null)
    .describe('For a credit note (required): the number of the customer’s invoice it corrects. Null for an invoice.'),
  issue_date: isoDate,
  period_start: optionalIsoDate,
  period_end: optionalIsoDate,
  due_date: optionalIsoDate,
  lines: z.array(line).min(1).max(200),
  total_ht_cents: cents.min(0).describe('The lines’ HT summed.'),
  total_vat_cents: cents.min(0).describe('VAT computed once per rate, on the HT of that rate’s lines, rounded half away from zero.'),
  total_ttc_cents: cents.min(0).describe('HT + VAT. Positive for both kinds: the kind gives the direction.'),
  published: z
    .boolean()
    .default(false)
    .describe('true publishes the document: the customer sees it (and is told by e-mail when paperless); it never changes again. false: a draft.'),
  pdf,
};

/** Each rule of a document's figures and fields (`documents.rules.ts`), as issues of its fields. */
function documentRules(d: Parameters<typeof documentProblems>[0], ctx: z.RefinementCtx) {
  for (const p of documentProblems(d)) ctx.addIssue({ code: 'custom', path: p.path, message: p.key, params: { code: p.code, ...p.params } });
}

/** A document as the ERP sends it: unknown fields refused, figures checked to add up. */
export const documentInput = z.strictObject(documentShape).superRefine(documentRules);

/** A document of a batch: its number, then the fields of `PUT /documents/{number}`. */
export const documentBatchItem = z.strictObject({ number: documentNumber, ...documentShape }).superRefine(documentRules);

/** A document as the API shows it. */
export const documentResource = z.object({
  number: z.string(),
  kind: z.enum(['invoice', 'credit_note']),
  customer: z.string(),
  contract: z.string().nullable(),
  corrects: z.string().nullable(),
  issue_date: z.string(),
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
  due_date: z.string().nullable(),
  lines: z.array(
    z.object({
      label: z.string(),
      quantity_milli: z.int(),
      unit_price_ht_cents: z.int(),
      vat_rate_bp: z.int(),
      total_ht_cents: z.int(),
      total_vat_cents: z.int(),
      total_ttc_cents: z.int(),
    }),
  ),
  total_ht_cents: z.int(),
  total_vat_cents: z.int(),
  total_ttc_cents: z.int(),
  published: z.boolean(),
  portal: z
    .object({
      published_at: isoDateTime.nullable(),
      pdf_sha256: z.string().nullable().describe('SHA-256 of the PDF the customer gets (the ERP’s, or the one rendered at publication); null: none yet.'),
      remaining_cents: z.int().nullable().describe('Once published: what remains to pay on an invoice; for a credit note, minus the part not yet set against invoices.'),
    })
    .describe('What the portal knows (read-only: refused in a PUT).'),
  created_at: isoDateTime,
});

const numberParams = z.strictObject({ number: documentNumber });
/** `<document number>.pdf`. */
const eInvoiceParams = z.strictObject({
  file: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}\.pdf$/)
    .describe('The document’s number followed by `.pdf`.'),
});
const tags = ['documents'];
const conflictResponses = { ...problemResponses, 409: problemSchema, 413: problemSchema };

const documentsApiRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock, config } = app;
  const deps = () => ({ db, clock, config, storage: app.storage });

  app.put(
    '/documents/:number',
    {
      config: { apiScope: 'documents:write' },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Create or update an invoice or credit note by its number',
        description:
          'Creates the document (201) or updates a draft (200); a body that changes nothing writes nothing and answers 200 with `unchanged: true`. ' +
          'Lines and totals must add up the portal’s way (422 naming each figure and what it expects). ' +
          'A published document never changes: a body that differs is refused with 409 naming each field. ' +
          `Bodies up to ${DOCUMENT_BODY_LIMIT / 1024 / 1024} MiB (413 beyond).`,
        params: numberParams,
        body: documentInput,
        response: { 200: putResponse(documentResource), 201: putResponse(documentResource), ...conflictResponses },
      },
    },
    async (req, reply) => {
      const { number } = req.params;
      const { outcome } = await putDocument(deps(), number, req.body, apiActor(req));
      const record = await documentRecordByNumber(db, number);
      if (!record) throw new AppError('api_not_found');
      return sendPut(reply, outcome, record, `${API_PREFIX}/documents/${number}`);
    },
  );

  app.get(
    '/documents/:number',
    {
      config: { apiScope: 'documents:read' },
      schema: { tags, summary: 'Read an invoice or credit note', params: numberParams, response: { 200: documentResource, ...problemResponses } },
    },
    async (req) => {
      const record = await documentRecordByNumber(db, req.params.number);
      if (!record) throw new AppError('api_not_found');
      return record;
    },
  );

  app.get(
    '/documents',
    {
      config: { apiScope: 'documents:read' },
      schema: {
        tags,
        summary: 'List invoices and credit notes by number',
        querystring: cursorQuery.extend({ customer: customerNumber.optional().describe('Only this customer’s documents.') }),
        response: { 200: listOf(documentResource), ...problemResponses },
      },
    },
    async (req) => {
      const { cursor, limit, customer } = req.query;
      const after = decodeCursor(cursor, 1)?.[0] ?? null;
      return pageOf(await documentRecordsAfter(db, after, limit + 1, customer), limit, (d) => [d.number], (d) => d);
    },
  );

  app.get(
    '/e-invoices/:file',
    {
      config: { apiScope: 'e_invoices:read' },
      schema: {
        tags: ['e-invoices'],
        summary: 'Fetch a published e-invoice: exactly the file the customer downloads',
        description:
          'The Factur-X (PDF/A-3 with its `factur-x.xml`, EN 16931) of a published invoice or credit note, as stored — rendered by the portal for a business customer, ' +
          'or the ERP’s own PDF that carried its XML — byte for byte, its SHA-256 the feed’s `pdf_sha256`: for the approved platform (plateforme agréée) to transmit the same file. ' +
          '404 for a document that is not a published e-invoice. Read the `e_invoices` feed to learn of new ones.',
        params: eInvoiceParams,
        response: problemResponses,
      },
    },
    async (req, reply) => {
      const doc = await publishedEInvoice(db, req.params.file.slice(0, -'.pdf'.length));
      if (!doc) throw new AppError('api_not_found');
      return sendPdf(reply, `${doc.number}.pdf`, await readDocumentPdf(app.storage, doc.pdf_sha256));
    },
  );

  app.post(
    '/batches/documents',
    {
      config: { apiScope: 'documents:write' },
      bodyLimit: DOCUMENT_BATCH_BODY_LIMIT,
      // The items the schema refuses are reported with those the database refuses: `readBatch`.
      attachValidation: true,
      schema: {
        tags,
        summary: `Create or update up to ${BATCH_MAX_ITEMS} documents, all or nothing`,
        description:
          'Each item is a document as its own PUT takes it, with its `number`. Applied in order in one transaction: ' +
          'when any item is refused, nothing is written and the 422 names every bad field of every bad item (`items[17].lines[0].vat_rate_bp`; ' +
          'a published document that would change: code `published`). Otherwise the outcome of each item. ' +
          `Bodies up to ${DOCUMENT_BATCH_BODY_LIMIT / 1024 / 1024} MiB, PDFs included (413 beyond): send documents with their PDFs in smaller batches.`,
        body: batchBody(documentBatchItem),
        response: {
          200: z.object({
            summary: batchSummary,
            items: z.array(z.object({ index: z.int(), number: z.string(), outcome: z.enum(['created', 'updated', 'unchanged']) })),
          }),
          ...conflictResponses,
        },
      },
    },
    async (req) => {
      const { items, refused } = readBatch(req.body, req.validationError, documentBatchItem);
      const outcomes = await applyDocumentBatch(
        deps(),
        items.map((item) => (item ? { number: item.number, input: item } : null)),
        apiActor(req),
        refused,
      );
      return { summary: summaryOf(outcomes.map((o) => o.outcome)), items: outcomes.map((o, index) => ({ index, ...o })) };
    },
  );
};

export default documentsApiRoutes;
