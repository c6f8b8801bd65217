import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { LoginState, CustomerKind, DocumentKind } from '../../db/schema.ts';
import { type Clock, nowIso } from '../../lib/clock.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import { documentTotals, lineAmounts } from '../../lib/money.ts';
import { assertSha256, type ContentStore, contentStore, Digesting } from '../../lib/content-store.ts';
import { translator } from '../../lib/i18n.ts';
import { issueTemporaryPassword } from '../customers/customers.service.ts';
import { operatorSettings } from '../settings/settings.queries.ts';
import { type OperatorSettings, legalMention } from '../settings/settings.rules.ts';
import { recordEvent } from '../../lib/events.ts';
import { DOCUMENT_FIGURES, DOCUMENT_LINE_FIGURES } from './documents.queries.ts';
import { countryCode, type EInvoiceFacts, renderFacturX, serviceAddressOf, splitOneLineAddress } from './documents.facturx.ts';
import { type DocumentPdfInput, type DocumentPdfLine, renderDocumentPdf } from './documents.pdf.ts';

/*
 * The PDF of an invoice or credit note is rendered once, when the document is published,
 * stored content-addressed, and its SHA-256 kept in financial_documents.pdf_sha256. After
 * that the document is immutable: publishing again is refused, and reading checks the hash.
 *
 * An invoice to a customer whose portal account is missing or not activated carries a
 * temporary password (security bar A1): a new one is issued for each such invoice, so the
 * latest invoice always carries the one that works.
 */

type Tx = Db; // a Transaction<Database> is a Kysely<Database>

interface LoadedDocument {
  id: string;
  number: string;
  kind: DocumentKind;
  customer_id: string;
  issue_date: string;
  period_start: string | null;
  period_end: string | null;
  due_date: string | null;
  total_ht_cents: number;
  total_vat_cents: number;
  total_ttc_cents: number;
  corrects_document_id: string | null;
  customer_number: string;
  customer_kind: CustomerKind;
  civility: string | null;
  last_name: string;
  first_name: string | null;
  company_name: string | null;
  customer_siren: string | null;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  country: string;
  contract_number: string | null;
  park_name: string | null;
  park_phone: string | null;
  park_email: string | null;
  corrected_number: string | null;
  corrected_issue_date: string | null;
  customer_vat_number: string | null;
  billing_email: string | null;
  email_primary: string | null;
  purchase_order_reference: string | null;
  park_address_line: string | null;
  park_postal_code: string | null;
  park_city: string | null;
  /** null when the customer has no portal account yet. */
  login_state: LoginState | null;
  lines: DocumentPdfLine[];
}

/**
 * Documents with their customer, contract, car park, corrected invoice and portal account:
 * one query, plus one for all their lines.
 */
async function loadDocuments(db: Tx, ids: string[]): Promise<LoadedDocument[]> {
  if (ids.length === 0) return [];
  const heads = await db
    .selectFrom('financial_documents as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .leftJoin('contracts as ct', 'ct.id', 'd.contract_id')
    .leftJoin('car_parks as p', 'p.id', 'ct.car_park_id')
    .leftJoin('financial_documents as inv', 'inv.id', 'd.corrects_document_id')
    .leftJoin('customer_logins as a', 'a.customer_id', 'd.customer_id')
    .select([
      'd.id',
      'd.number',
      'd.kind',
      'd.customer_id',
      ...DOCUMENT_FIGURES,
      'd.corrects_document_id',
      'c.number as customer_number',
      'c.kind as customer_kind',
      'c.civility',
      'c.last_name',
      'c.first_name',
      'c.company_name',
      'c.siren as customer_siren',
      'c.address_line1',
      'c.address_line2',
      'c.postal_code',
      'c.city',
      'c.country',
      'ct.number as contract_number',
      'p.name as park_name',
      'p.phone as park_phone',
      'p.email as park_email',
      'inv.number as corrected_number',
      'inv.issue_date as corrected_issue_date',
      'c.vat_number as customer_vat_number',
      'c.billing_email',
      'c.email_primary',
      'ct.purchase_order_reference',
      'p.address_line as park_address_line',
      'p.postal_code as park_postal_code',
      'p.city as park_city',
      'a.state as login_state',
    ])
    .where('d.id', 'in', ids)
    .execute();
  const lines = await db
    .selectFrom('document_lines')
    .select(DOCUMENT_LINE_FIGURES)
    .where('document_id', 'in', ids)
    .orderBy('document_id')
    .orderBy('position')
    .execute();
  const byDoc = new Map<string, DocumentPdfLine[]>();
  for (const { document_id, ...l } of lines) {
    const list = byDoc.get(document_id) ?? [];
    list.push(l);
    byDoc.set(document_id, list);
  }
  return heads.map((h) => ({ ...h, lines: byDoc.get(h.id) ?? [] }));
}

/** The PDF's content from the stored rows; refuses data that would print inconsistent amounts. */
function pdfInput(d: LoadedDocument, config: Config, operator: OperatorSettings, credentials: DocumentPdfInput['credentials']): DocumentPdfInput {
  if (d.lines.length === 0) throw new AppError('document_inconsistent', { detail: `Document ${d.number} has no lines` });
  for (const l of d.lines) {
    const expected = lineAmounts(l.unit_price_ht_cents, l.quantity_milli, l.vat_rate_bp).total_ht_cents;
    if (expected !== l.total_ht_cents) {
      throw new AppError('document_inconsistent', { detail: `Document ${d.number}: line "${l.label}" HT ${l.total_ht_cents} ≠ ${expected}` });
    }
  }
  const totals = documentTotals(d.lines);
  if (
    totals.total_ht_cents !== d.total_ht_cents ||
    totals.total_vat_cents !== d.total_vat_cents ||
    totals.total_ttc_cents !== d.total_ttc_cents
  ) {
    throw new AppError('document_inconsistent', { detail: `Document ${d.number}: stored totals do not match its lines` });
  }
  if (d.kind === 'credit_note' && (!d.corrected_number || !d.corrected_issue_date)) {
    throw new AppError('document_inconsistent', { detail: `Credit note ${d.number} does not name the invoice it corrects` });
  }
  return {
    operator: {
      name: operator.name,
      legalForm: legalMention(operator, translator('fr')),
      headOffice: operator.address,
      siren: operator.siren,
      rcs: operator.rcs,
      vatNumber: operator.vat_number,
      phone: operator.phone,
      email: operator.email,
      website: operator.website,
    },
    carPark: d.park_name ? { name: d.park_name, phone: d.park_phone ?? operator.phone, email: d.park_email } : null,
    customer: {
      number: d.customer_number,
      kind: d.customer_kind,
      civility: d.civility,
      lastName: d.last_name,
      firstName: d.first_name,
      companyName: d.company_name,
      siren: d.customer_siren,
      addressLines: [
        d.address_line1,
        ...(d.address_line2 ? [d.address_line2] : []),
        [d.postal_code, d.city, d.country].filter(Boolean).join(' '),
      ],
    },
    document: {
      kind: d.kind,
      number: d.number,
      issueDate: d.issue_date,
      periodStart: d.period_start,
      periodEnd: d.period_end,
      dueDate: d.due_date,
      lines: d.lines,
      totalHtCents: d.total_ht_cents,
      totalVatCents: d.total_vat_cents,
      totalTtcCents: d.total_ttc_cents,
      vatBreakdown: totals.byRate,
    },
    contractNumber: d.contract_number,
    correctedInvoice:
      d.kind === 'credit_note' && d.corrected_number && d.corrected_issue_date
        ? { number: d.corrected_number, issueDate: d.corrected_issue_date }
        : null,
    ...(credentials ? { credentials } : {}),
    portalUrl: config.PUBLIC_URL,
    latePaymentPenalty: operator.late_payment_penalty,
    ...(isEInvoiced(d) ? { eInvoice: eInvoiceFacts(d, operator) } : {}),
  };
}

/** A business customer (one with a SIREN) gets a Factur-X; everyone else a plain PDF (decision 017). */
const isEInvoiced = (d: LoadedDocument) => d.customer_kind === 'business' && Boolean(d.customer_siren);

/** What a Factur-X states beyond the page of a plain PDF, from the stored rows. */
function eInvoiceFacts(d: LoadedDocument, operator: OperatorSettings): EInvoiceFacts {
  const customerAddress = { line1: d.address_line1, line2: d.address_line2, postalCode: d.postal_code, city: d.city, countryCode: countryCode(d.country) };
  const park =
    d.park_name && d.park_address_line && d.park_postal_code && d.park_city
      ? { name: d.park_name, line1: d.park_address_line, line2: null, postalCode: d.park_postal_code, city: d.park_city, countryCode: 'FR' }
      : null;
  return {
    operatorAddress: splitOneLineAddress(operator.address),
    vatOnDebits: operator.vat_on_debits === 1,
    customerVatNumber: d.customer_vat_number,
    customerAddress,
    customerEmail: d.billing_email ?? d.email_primary,
    purchaseOrder: d.purchase_order_reference,
    serviceAddress: serviceAddressOf(park, customerAddress),
  };
}

/**
 * Takes the document for publishing, inside the caller's transaction: an update of its row
 * guarded by `pdf_sha256 is null`. On PostgreSQL it locks the row, on SQLite it takes the
 * write lock, so a concurrent publisher of the same document waits and then finds it taken.
 */
async function claim(trx: Tx, documentId: string): Promise<void> {
  const r = await trx
    .updateTable('financial_documents')
    .set((eb) => ({ pdf_sha256: eb.ref('pdf_sha256') }))
    .where('id', '=', documentId)
    .where('pdf_sha256', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return;
  const exists = await trx.selectFrom('financial_documents').select('number').where('id', '=', documentId).executeTakeFirst();
  if (!exists) throw new AppError('document_not_found', { detail: `No document ${documentId}` });
  throw new AppError('document_already_published', { detail: `Document ${exists.number} is already published; documents are immutable` });
}

/** What every document's PDF prints of the operator: its settings and its logo (PNG or JPEG bytes, or none). */
interface PdfContext {
  operator: OperatorSettings;
  logo: Buffer | null;
}

/** The operator's settings and logo as read now, inside the caller's transaction: once per transaction, for all its documents. */
async function pdfContext(trx: Tx, config: Config): Promise<PdfContext> {
  const operator = await operatorSettings(trx, config);
  return { operator, logo: operator.logo_sha256 ? await contentStore(config, 'assets').get(operator.logo_sha256) : null };
}

/** The PDF's content of a loaded document in this context, with the credentials it prints, if any. */
function contextInput(d: LoadedDocument, config: Config, context: PdfContext, credentials: DocumentPdfInput['credentials']): DocumentPdfInput {
  const input = pdfInput(d, config, context.operator, credentials);
  if (context.logo) input.logo = context.logo;
  return input;
}

/**
 * The PDFs' contents of these documents as their publication renders them, without the
 * credentials an invoice may carry: what the PDF benchmark renders (`bench/pdf.ts`).
 */
export async function documentPdfInputs(db: Db, config: Config, documentIds: string[]): Promise<DocumentPdfInput[]> {
  const context = await pdfContext(db, config);
  return (await loadDocuments(db, documentIds)).map((d) => contextInput(d, config, context, undefined));
}

/** Renders, stores and records the PDF of a claimed document; issues the temporary password first when due. */
async function publishClaimed(
  trx: Tx,
  storage: ContentStore,
  clock: Clock,
  config: Config,
  context: PdfContext,
  d: LoadedDocument,
  loginState: LoginState | null,
  temporaryPassword: string | undefined,
  carriesCredentials = true,
): Promise<{ sha256: string; temporaryPassword: string | null }> {
  let issued: string | null = null;
  if (carriesCredentials && d.kind === 'invoice' && (loginState === null || loginState === 'not_activated')) {
    issued = (await issueTemporaryPassword(trx, clock, d.customer_id, config.TEMP_PASSWORD_DAYS, temporaryPassword))
      .password;
  }
  const input = contextInput(d, config, context, issued ? { number: d.customer_number, temporaryPassword: issued } : undefined);
  const eInvoice = input.eInvoice;
  const bytes = eInvoice ? await renderFacturX({ ...input, eInvoice }) : await renderDocumentPdf(input);
  // Stored before the row points at it; if the transaction then fails, an unreferenced
  // file stays behind, which is harmless.
  const sha256 = await storage.put(bytes);
  const r = await trx
    .updateTable('financial_documents')
    .set({ pdf_sha256: sha256, published_at: sql<string>`coalesce(published_at, ${nowIso(clock)})`, ...(eInvoice ? { e_invoice: 'factur-x' as const } : {}) })
    .where('id', '=', d.id)
    .where('pdf_sha256', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    throw new AppError('document_already_published', { detail: `Document ${d.number} is already published; documents are immutable` });
  }
  if (eInvoice) await recordEInvoice(trx, clock, { id: d.id, number: d.number, kind: d.kind, customer_id: d.customer_id, issue_date: d.issue_date, total_ht_cents: d.total_ht_cents, total_vat_cents: d.total_vat_cents, total_ttc_cents: d.total_ttc_cents }, sha256, 'rendered');
  return { sha256, temporaryPassword: issued };
}

/** What the e-invoices feed says of a document. */
export interface EInvoicedDocument {
  id: string;
  number: string;
  kind: DocumentKind;
  customer_id: string;
  issue_date: string;
  total_ht_cents: number;
  total_vat_cents: number;
  total_ttc_cents: number;
}

/**
 * Offers a published e-invoice to the ERP (`document.e_invoice_issued`, feed `e_invoices`), in
 * the caller's transaction: the portal's Factur-X, or the ERP's own PDF found to carry one —
 * told back although the ERP sent it, so that its approved platform transmits the very file the
 * customer downloads (`GET /api/v1/e-invoices/{number}.pdf`). Origin `system`: the portal's act.
 */
export async function recordEInvoice(trx: Db, clock: Clock, d: EInvoicedDocument, sha256: string, source: 'rendered' | 'erp'): Promise<void> {
  await recordEvent(trx, clock, {
    type: 'document.e_invoice_issued',
    customerId: d.customer_id,
    subjectId: d.id,
    origin: 'system',
    payload: {
      document_number: d.number,
      kind: d.kind,
      format: 'factur-x',
      source,
      issue_date: d.issue_date,
      total_ht_cents: d.total_ht_cents,
      total_vat_cents: d.total_vat_cents,
      total_ttc_cents: d.total_ttc_cents,
      pdf_sha256: sha256,
      pdf_url: `/api/v1/e-invoices/${d.number}.pdf`,
    },
  });
}

async function loginStateOf(trx: Tx, customerId: string): Promise<LoginState | null> {
  const a = await trx.selectFrom('customer_logins').select('state').where('customer_id', '=', customerId).executeTakeFirst();
  return a?.state ?? null;
}

/**
 * Renders and stores the PDF of one document, once. Throws AppError
 * `document_already_published` if it already has one. For an invoice to a customer not yet activated, issues a new
 * temporary password (`opts.temporaryPassword`, or a random one), prints it, and returns it;
 * otherwise `temporaryPassword` is null and `opts.temporaryPassword` is ignored.
 */
export async function publishDocumentPdf(
  db: Db,
  storage: ContentStore,
  clock: Clock,
  config: Config,
  documentId: string,
  opts: { temporaryPassword?: string } = {},
): Promise<{ sha256: string; temporaryPassword: string | null }> {
  return inTransaction(db, async (trx) => {
    await claim(trx, documentId);
    const [d] = await loadDocuments(trx, [documentId]);
    if (!d) throw new AppError('document_not_found', { detail: `No document ${documentId}` });
    // Loaded after the claim, inside the transaction: the account state is current.
    return publishClaimed(trx, storage, clock, config, await pdfContext(trx, config), d, d.login_state, opts.temporaryPassword);
  });
}

/**
 * Renders and stores, inside the caller's transaction, the PDFs of documents just published
 * without one (the operator's API and import, when the ERP sends no PDF of its own). As in a
 * catch-up batch, only each customer's latest invoice among them carries a temporary password
 * (when the customer's account is missing or not activated): one printed on an older one would
 * be superseded at once.
 */
export async function renderPublishedPdfs(trx: Db, storage: ContentStore, clock: Clock, config: Config, documentIds: string[]): Promise<{ credentialsIssued: number }> {
  const loaded = await loadDocuments(trx, documentIds);
  const latestInvoice = new Map<string, LoadedDocument>();
  for (const d of loaded) {
    const held = latestInvoice.get(d.customer_id);
    if (d.kind === 'invoice' && (!held || [d.issue_date, d.number].join(' ') > [held.issue_date, held.number].join(' '))) latestInvoice.set(d.customer_id, d);
  }
  let credentialsIssued = 0;
  // One transaction: the operator's settings read once for all its documents.
  const context = await pdfContext(trx, config);
  for (const d of loaded) {
    await claim(trx, d.id);
    const state = await loginStateOf(trx, d.customer_id);
    const r = await publishClaimed(trx, storage, clock, config, context, d, state, undefined, latestInvoice.get(d.customer_id) === d);
    if (r.temporaryPassword) credentialsIssued++;
  }
  return { credentialsIssued };
}

/**
 * A document's file as the customer downloads it — the stored PDF (a business customer's
 * Factur-X), read as a stream and checked against its SHA-256 as it passes: the stream ends in an
 * error, not its last bytes, when they are altered. The one way to a document's file, for the PDF
 * route (`readDocumentPdf`) and the ZIP of every document (`account.exports.ts`) alike.
 */
export async function documentPdfStream(storage: ContentStore, sha256: string): Promise<Readable> {
  assertSha256(sha256);
  const source = await storage.stream(sha256);
  if (!source) throw new AppError('document_pdf_missing', { detail: `PDF ${sha256} is missing from storage` });
  const checked: Digesting = new Digesting({
    flush(done) {
      done(checked.digests().sha256 === sha256 ? null : new AppError('document_pdf_corrupted', { detail: `PDF ${sha256} does not match its SHA-256` }));
    },
  });
  // Either side failing ends both (a file gone half-way, the reader gone).
  pipeline(source, checked).catch(() => {});
  return checked;
}

/** The stored PDF whole, checked against its SHA-256; throws if it is missing or altered. */
export async function readDocumentPdf(storage: ContentStore, sha256: string): Promise<Buffer> {
  return buffer(await documentPdfStream(storage, sha256));
}

export interface PublishPendingResult {
  published: number;
  /** Invoices that carried a new temporary password. */
  credentialsIssued: number;
  /** Published meanwhile by someone else. */
  skipped: number;
  /** Not published: inconsistent data, storage errors… The rest of the batch goes on. */
  failed: { documentId: string; number: string; error: string }[];
}

/** How far a batch of publications is: documents handled (published, skipped or failed) out of all pending. */
export interface PublishProgress {
  done: number;
  total: number;
}

/**
 * Publishes every document without a PDF, in issue-date order (then number), by chunks:
 * one query for the chunk's documents, one for their lines, then one short transaction
 * per document. `temporaryPasswords` gives, per customer id, the temporary password to
 * print instead of a random one (the demo's known password). `onProgress` is called after
 * each document (the first start renders thousands: `main.ts` shows the count and rate).
 *
 * A catch-up batch (demo data, an import of past documents) prints temporary credentials
 * only on each customer's latest pending invoice: a password printed on an older one would
 * be superseded within the same batch, never usable — so it is not printed at all.
 */
export async function publishPendingPdfs(
  db: Db,
  storage: ContentStore,
  clock: Clock,
  config: Config,
  opts: { temporaryPasswords?: Map<string, string>; chunkSize?: number; onProgress?: (p: PublishProgress) => void } = {},
): Promise<PublishPendingResult> {
  const chunkSize = opts.chunkSize ?? 200;
  const result: PublishPendingResult = { published: 0, credentialsIssued: 0, skipped: 0, failed: [] };
  const latestInvoice = new Map<string, string>();
  const pending = await db
    .selectFrom('financial_documents')
    .select(['id', 'customer_id', 'kind'])
    .where('pdf_sha256', 'is', null)
    .orderBy('issue_date')
    .orderBy('number')
    .execute();
  for (const d of pending) if (d.kind === 'invoice') latestInvoice.set(d.customer_id, d.id);
  let done = 0;
  let after: { issue_date: string; number: string } | null = null;
  for (;;) {
    const cursor: { issue_date: string; number: string } | null = after;
    const page = await db
      .selectFrom('financial_documents')
      .select(['id', 'issue_date', 'number'])
      .where('pdf_sha256', 'is', null)
      .$if(cursor !== null, (q) =>
        q.where((eb) =>
          eb.or([
            eb('issue_date', '>', cursor!.issue_date),
            eb.and([eb('issue_date', '=', cursor!.issue_date), eb('number', '>', cursor!.number)]),
          ]),
        ),
      )
      .orderBy('issue_date')
      .orderBy('number')
      .limit(chunkSize)
      .execute();
    if (page.length === 0) return result;
    after = page[page.length - 1] as { issue_date: string; number: string };

    const loaded = new Map((await loadDocuments(db, page.map((p) => p.id))).map((d) => [d.id, d]));
    for (const p of page) {
      const d = loaded.get(p.id);
      try {
        if (!d) throw new AppError('document_not_found', { detail: `No document ${p.id}` });
        const r = await inTransaction(db, async (trx) => {
          await claim(trx, d.id);
          // The chunk was loaded before this transaction: read the account state again.
          const state = await loginStateOf(trx, d.customer_id);
          const isLatest = latestInvoice.get(d.customer_id) === d.id;
          return publishClaimed(trx, storage, clock, config, await pdfContext(trx, config), d, state, opts.temporaryPasswords?.get(d.customer_id), isLatest);
        });
        result.published++;
        if (r.temporaryPassword) result.credentialsIssued++;
      } catch (e) {
        if (isAppError(e, 'document_already_published')) result.skipped++;
        else result.failed.push({ documentId: p.id, number: p.number, error: e instanceof Error ? e.message : String(e) });
      }
      done++;
      // Documents issued while this runs are published too: the total grows with them.
      opts.onProgress?.({ done, total: Math.max(done, pending.length) });
    }
  }
}
