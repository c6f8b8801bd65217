import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PutOutcome } from '../../lib/api.ts';
import type { IntegrationActor } from '../../lib/audit.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ContentStore } from '../../lib/content-store.ts';
import { customerInput, customerNumber } from '../customers/customers.api.ts';
import { putCustomer } from '../customers/customers.integration.service.ts';
import { carParkCode, carParkColumnsOf, carParkInput } from '../settings/car-parks.api.ts';
import { putCarPark } from '../settings/car-parks.integration.service.ts';
import type { CellFormat } from './import.rules.ts';
import { readFileSync } from 'node:fs';
import { AppError } from '../../lib/errors.ts';
import { contractInput, contractNumber } from '../contracts/contracts.api.ts';
import { putContract } from '../contracts/contracts.integration.service.ts';
import { exitCountInput, month } from '../statements/exits.api.ts';
import { putExitCount } from '../statements/exits.integration.service.ts';
import { documentInput, documentNumber } from '../documents/documents.api.ts';
import { putDocument, putDocuments } from '../documents/documents.integration.service.ts';
import { pdfProblem } from '../documents/documents.rules.ts';
import { paymentInput, paymentReference } from '../payments/payments.api.ts';
import { putPayment } from '../payments/payments.integration.service.ts';
const checkedPdf = (path: string) => {
  const bytes = readFileSync(path);
  const problem = pdfProblem(bytes);
  if (problem) throw new AppError('validation_failed', { fields: [{ field: 'pdf', code: problem.code, key: problem.key, ...(problem.params ? { params: problem.params } : {}) }] });
  return bytes;
};

/*
 * What each kind of file holds, column by column, and how a resource read from it is written:
 * the API's own schemas (the route's `params` and `body`) and its own write (`put…` of the
 * feature's `*.integration.service.ts`), with the command line as the actor. A file is the
 * API's PUTs written as lines: each column says where its cell goes —
 *   `params.<name>`   the resource's identifier, as in the API's URL (`/customers/{number}`);
 *   `body.<path>`     a field of the API's body (`body.address.postal_code`);
 *   `item.<path>`     a field of an item of the body's list (`list`: a document's lines), one
 *                     item per line — the lines of one resource repeat its identifier;
 *                     `item.` alone: the item is the cell's value (a month's exits);
 *   `file.<name>`     a file of the `--pdfs` folder, handed to the write beside the body.
 * `docs/import.md` documents every column (a test checks it), with a sample file per kind.
 *
 * A kind is its columns and its `writer({ params, body, put })`: the API's schemas and write.
 */

export const IMPORT_KINDS = ['customers', 'car-parks', 'contracts', 'documents', 'payments', 'exits'] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];
export const isImportKind = (s: string): s is ImportKindName => (IMPORT_KINDS as readonly string[]).includes(s);

export interface ImportColumn {
  /** Its name in the header line. */
  name: string;
  /** Where its value goes (above). */
  to: `params.${string}` | `body.${string}` | `item.${string}` | `file.${string}`;
  format: CellFormat;
  /** A value is required; the column must be in the header (a list's columns only when the list is). */
  required: boolean;
  /** A value as a French spreadsheet writes it. */
  example: string;
}

/** What a write needs besides what the file says (the API's app has the same). */
export interface ImportContext {
  db: Db;
  clock: Clock;
  config: Config;
  /** Where documents' PDFs are kept (`contentStore(config, 'documents')`). */
  storage: ContentStore;
}

/** A resource read from the file, checked by the API's schemas, for a write of several. */
export interface ImportEntry<P = unknown, B = unknown> {
  params: P;
  body: B;
}

/**
 * The API's schemas of a resource's PUT, and its write. `putMany`, when the resource has one:
 * the same writes for resources without files, one after the other, done together — the
 * outcome of each or its refusal (a 4xx `AppError`, nothing of it written).
 */
export interface ImportWriter {
  params: z.ZodType;
  body: z.ZodType;
  put(ctx: ImportContext, params: unknown, body: unknown, files: Record<string, string>, actor: IntegrationActor): Promise<PutOutcome>;
  putMany?(ctx: ImportContext, entries: ImportEntry[], actor: IntegrationActor): Promise<(PutOutcome | AppError)[]>;
}

/** A writer, typed on its schemas. `files`: the column's name → the file's absolute path. */
const writer = <P extends z.ZodType, B extends z.ZodType>(w: {
  params: P;
  body: B;
  put(ctx: ImportContext, params: z.output<P>, body: z.output<B>, files: Record<string, string>, actor: IntegrationActor): Promise<PutOutcome>;
  putMany?(ctx: ImportContext, entries: ImportEntry<z.output<P>, z.output<B>>[], actor: IntegrationActor): Promise<(PutOutcome | AppError)[]>;
}): ImportWriter => w as ImportWriter;

export interface ImportKind {
  name: ImportKindName;
  columns: ImportColumn[];
  /** The body's list given one item per line (`item.*` columns). */
  list?: string;
  writer: ImportWriter;
}

const col = (name: string, to: ImportColumn['to'], format: CellFormat, required: boolean, example: string): ImportColumn => ({ name, to, format, required, example });

const customers: ImportKind = {
  name: 'customers',
  columns: [
    col('number', 'params.number', 'text', true, 'CLT013261'),
    col('kind', 'body.kind', 'text', true, 'individual'),
    col('civility', 'body.civility', 'text', false, 'M.'),
    col('last_name', 'body.last_name', 'text', true, 'DURAND'),
    col('first_name', 'body.first_name', 'text', false, 'François'),
    col('company_name', 'body.company_name', 'text', false, 'SARL LES LILAS'),
    col('siren', 'body.siren', 'text', false, '123456789'),
    col('address_line1', 'body.address.line1', 'text', true, '12 RUE DES LILAS'),
    col('address_line2', 'body.address.line2', 'text', false, 'BAT B'),
    col('postal_code', 'body.address.postal_code', 'text', true, '75019'),
    col('city', 'body.address.city', 'text', true, 'PARIS'),
    col('country', 'body.address.country', 'text', false, 'France'),
    col('email_primary', 'body.emails.primary', 'text', false, 'francois.durand@example.org'),
    col('email_secondary', 'body.emails.secondary', 'text', false, 'f.durand@example.com'),
    col('phone', 'body.phones.landline', 'text', false, '01 42 00 00 00'),
    col('mobile', 'body.phones.mobile', 'text', false, '06 12 34 56 78'),
    col('language', 'body.language', 'text', false, 'fr'),
    col('paper_required', 'body.paper_required', 'boolean', false, 'non'),
    col('vat_number', 'body.billing.vat_number', 'text', false, 'FR40303265045'),
    col('billing_email', 'body.billing.email', 'text', false, 'compta@lilas.example'),
  ],
  writer: writer({
    params: z.strictObject({ number: customerNumber }),
    body: customerInput,
    put: async ({ db, clock, config }, { number }, body, _files, actor) => (await putCustomer(db, clock, config, number, body, actor)).outcome,
  }),
};

const carParks: ImportKind = {
  name: 'car-parks',
  columns: [
    col('code', 'params.code', 'text', true, 'LILAS'),
    col('name', 'body.name', 'text', true, 'PARC DES LILAS'),
    col('address_line', 'body.address.line', 'text', true, '3 rue des Lilas'),
    col('postal_code', 'body.address.postal_code', 'text', true, '75019'),
    col('city', 'body.address.city', 'text', true, 'PARIS'),
    col('phone', 'body.phone', 'text', true, '01 42 00 00 00'),
    col('email', 'body.email', 'text', false, 'lilas@operateur.example'),
    col('opening_hours', 'body.opening_hours', 'hours', false, 'everyone | reception 1-5 08:00-19:00'),
    col('services', 'body.services', 'list', false, 'ev_charging | motorcycles'),
    col('petit_rouleur_30', 'body.petit_rouleur_30', 'boolean', false, 'oui'),
  ],
  writer: writer({
    params: z.strictObject({ code: carParkCode }),
    body: carParkInput,
    put: async ({ db, clock }, { code }, body, _files, actor) => (await putCarPark(db, clock, code, carParkColumnsOf(body), actor)).outcome,
  }),
};

/*
 * The four below are documented and read (their samples too), and wait for their API
 * resource: `putContract` and `putExitCount` (contracts), `putDocument` and `putPayment`
 * (documents, payments). Their columns already go where those resources' schemas take them
 * (`contractInput`, `exitCountInput`, `documentInput`, `paymentInput`); wiring one is its
 * `writer({ params, body, put })` — see `docs/import.md`, "For the portal's developers".
 */

const contracts: ImportKind = {
  name: 'contracts',
  list: 'vehicles',
  columns: [
    col('number', 'params.number', 'text', true, 'CTR-2024-0042'),
    col('customer', 'body.customer', 'text', true, 'CLT013261'),
    col('car_park', 'body.car_park', 'text', true, 'LILAS'),
    col('product', 'body.product', 'text', true, 'resident'),
    col('state', 'body.state', 'text', true, 'active'),
    col('start_date', 'body.start_date', 'date', true, '01/09/2024'),
    col('end_date', 'body.end_date', 'date', false, '31/08/2027'),
    col('renewal_date', 'body.renewal_date', 'date', false, '01/09/2025'),
    col('billing_period', 'body.billing_period', 'text', true, 'monthly'),
    col('price_ht', 'body.price_ht_cents', 'amount', true, '95,00'),
    col('vat_rate', 'body.vat_rate_bp', 'rate', true, '20'),
    col('direct_debit', 'body.direct_debit', 'boolean', false, 'oui'),
    col('badge_number', 'body.badge_number', 'text', false, 'B-004512'),
    col('space_label', 'body.space_label', 'text', false, 'N-2 / 118'),
    col('max_vehicles', 'body.max_vehicles', 'integer', false, '1'),
    col('purchase_order_reference', 'body.purchase_order_reference', 'text', false, 'BC-2026-0042'),
    col('plate', 'item.plate', 'text', true, 'AB-123-CD'),
    col('plate_country', 'item.country', 'text', false, 'FR'),
    col('vehicle', 'item.description', 'text', false, 'Clio grise'),
    col('plate_from', 'item.valid_from', 'date', false, '01/09/2024'),
    col('plate_to', 'item.valid_to', 'date', false, '31/08/2027'),
  ],
  writer: writer({ params: z.strictObject({ number: contractNumber }), body: contractInput, put: async ({ db, clock }, { number }, body, _files, actor) => (await putContract(db, clock, number, body, actor)).outcome }),
};

const documents: ImportKind = {
  name: 'documents',
  list: 'lines',
  columns: [
    col('number', 'params.number', 'text', true, 'FA2026-000123'),
    col('kind', 'body.kind', 'text', true, 'invoice'),
    col('customer', 'body.customer', 'text', true, 'CLT013261'),
    col('contract', 'body.contract', 'text', false, 'CTR-2024-0042'),
    col('corrects', 'body.corrects', 'text', false, 'FA2026-000101'),
    col('issue_date', 'body.issue_date', 'date', true, '01/11/2026'),
    col('period_start', 'body.period_start', 'date', false, '01/11/2026'),
    col('period_end', 'body.period_end', 'date', false, '30/11/2026'),
    col('due_date', 'body.due_date', 'date', false, '15/11/2026'),
    col('total_ht', 'body.total_ht_cents', 'amount', true, '95,00'),
    col('total_vat', 'body.total_vat_cents', 'amount', true, '19,00'),
    col('total_ttc', 'body.total_ttc_cents', 'amount', true, '114,00'),
    col('published', 'body.published', 'boolean', false, 'oui'),
    col('pdf', 'file.pdf', 'pdf', false, 'FA2026-000123.pdf'),
    col('line_label', 'item.label', 'text', true, 'Abonnement résident novembre 2026'),
    col('line_quantity', 'item.quantity_milli', 'thousandths', true, '1'),
    col('line_unit_price_ht', 'item.unit_price_ht_cents', 'amount', true, '95,00'),
    col('line_vat_rate', 'item.vat_rate_bp', 'rate', true, '20'),
    col('line_total_ht', 'item.total_ht_cents', 'amount', true, '95,00'),
    col('line_total_vat', 'item.total_vat_cents', 'amount', true, '19,00'),
    col('line_total_ttc', 'item.total_ttc_cents', 'amount', true, '114,00'),
  ],
  writer: writer({
    params: z.strictObject({ number: documentNumber }),
    body: documentInput,
    put: async (deps, { number }, body, files, actor) => (await putDocument(deps, number, files.pdf ? { ...body, pdf: checkedPdf(files.pdf) } : body, actor)).outcome,
    putMany: (deps, entries, actor) => putDocuments(deps, entries.map(({ params, body }) => ({ number: params.number, input: body })), actor),
  }),
};

const payments: ImportKind = {
  name: 'payments',
  list: 'allocations',
  columns: [
    col('reference', 'params.reference', 'text', true, 'VIR-2026-11-0042'),
    col('customer', 'body.customer', 'text', true, 'CLT013261'),
    col('method', 'body.method', 'text', true, 'transfer'),
    col('amount', 'body.amount_cents', 'amount', true, '114,00'),
    col('received_on', 'body.received_on', 'date', true, '12/11/2026'),
    col('invoice', 'item.invoice', 'text', true, 'FA2026-000123'),
    col('allocated', 'item.amount_cents', 'amount', true, '114,00'),
  ],
  writer: writer({ params: z.strictObject({ reference: paymentReference }), body: paymentInput, put: async ({ db, clock }, { reference }, body, _files, actor) => (await putPayment(db, clock, reference, body, actor)).outcome }),
};

const exits: ImportKind = {
  name: 'exits',
  list: 'exits',
  columns: [
    col('contract', 'params.number', 'text', true, 'CTR-2025-0107'),
    col('month', 'params.month', 'month', true, '10/2026'),
    col('exit_count', 'body.exit_count', 'integer', true, '3'),
    col('exited_at', 'item.', 'dateTime', true, '03/10/2026 07:42'),
  ],
  writer: writer({ params: z.strictObject({ number: contractNumber, month }), body: exitCountInput, put: async ({ db, clock }, { number, month }, body, _files, actor) => (await putExitCount(db, clock, number, month, body, actor)).outcome }),
};

export const importKinds: Record<ImportKindName, ImportKind> = {
  customers,
  'car-parks': carParks,
  contracts,
  documents,
  payments,
  exits,
};
