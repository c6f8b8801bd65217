import type { Config } from '../../config.ts';
import { type Db, inTransaction, insertAll } from '../../db/database.ts';
import { forUpdate, retryOnUniqueViolation } from '../../db/dialect.ts';
import type { Insertable } from 'kysely';
import type { Database, FinancialDocument } from '../../db/schema.ts';
import type { PutOutcome } from '../../lib/api.ts';
import { batchRefused, itemField } from '../../lib/api-batch.ts';
import { type AuditEntry, type IntegrationActor, auditAll, integrationDetails, integrationEntry } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { type ContentStore, sha256Hex } from '../../lib/content-store.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import type { DocumentFigures, DocumentLine } from './documents.rules.ts';
import { isFacturX } from './documents.facturx.ts';
import { recordEInvoice, renderPublishedPdfs } from './documents.service.ts';

/*
 * Invoices and credit notes as the operator's billing system (ERP) writes them — through the
 * API (`documents.api.ts`: one, or a batch of up to 1,000) or the bulk import — by the
 * document's number: created when the number is new, updated while it is a draft, left alone
 * (nothing written, nothing audited) when it is already as sent.
 *
 * The input has passed its pure rules (`documents.rules.ts`: figures that add up, a credit
 * note naming its invoice…); here come those that read the database: the customer exists, the
 * contract is theirs, the corrected invoice is theirs (and published when the credit note is).
 *
 * Publishing (`published: true`) shows the document to the customer, counts it in their
 * balance and has it announced as every published document is (the `document-notices` job,
 * `documents.notify.ts`; the paper queue for the others). Its PDF is the ERP's when it sent
 * one — stored content-addressed as every PDF (`pdf_sha256`), served byte for byte — or else
 * rendered by the portal (`renderPublishedPdfs`, with the temporary password on the latest
 * invoice of a customer not yet activated). A published document never changes again: a PUT
 * that differs is refused (409 `api_conflict`, naming each field), one that does not is
 * `unchanged`. The ERP's PDF is stored when the transaction is about to commit, never for a
 * refused write.
 */

/** What the ERP says of a document (the API's body, an import's row), read and checked by its rules. */
export interface DocumentInput extends DocumentFigures {
  /** The customer's number. */
  customer: string;
  /** The contract's number, or null. */
  contract: string | null;
  /** For a credit note: the number of the invoice it corrects. */
  corrects: string | null;
  lines: DocumentLine[];
  published: boolean;
  /** The ERP's PDF (its bytes); null: none, the portal renders one at publication; absent: the one held is kept. */
  pdf?: Buffer | null | undefined;
}

/** What a write needs: the database, the clock, the configuration (rendering), the content store. */
export interface DocumentDeps {
  db: Db;
  clock: Clock;
  config: Config;
  storage: ContentStore;
}

export interface PutDocumentResult {
  outcome: PutOutcome;
  documentId: string;
}

interface Written extends PutDocumentResult {
  /** Published without a PDF: the portal renders one. */
  render: boolean;
  /** The ERP's PDF to store before the commit. */
  pdf: Buffer | null;
  /** The write set the document's PDF (sent, or taken away): whether it is an e-invoice is read again. */
  pdfChanged?: boolean;
  /** The write published the document. */
  published?: boolean;
}

type ItemResult = { ok: true; written: Written } | { ok: false; errors: FieldError[]; conflict: boolean };

const columnField = {
  kind: 'kind',
  customer_id: 'customer',
  contract_id: 'contract',
  corrects_document_id: 'corrects',
  issue_date: 'issue_date',
  period_start: 'period_start',
  period_end: 'period_end',
  due_date: 'due_date',
  total_ht_cents: 'total_ht_cents',
  total_vat_cents: 'total_vat_cents',
  total_ttc_cents: 'total_ttc_cents',
} as const;

type Columns = { [K in keyof typeof columnField]: FinancialDocument[K] };
type LineColumns = DocumentLine & { position: number };

const LINE_FIELDS = ['label', 'quantity_milli', 'unit_price_ht_cents', 'vat_rate_bp', 'total_ht_cents', 'total_vat_cents', 'total_ttc_cents'] as const;

/** The fields that differ, as the API names them (`contract`, `lines[2].label`, `lines[3]` for a line added or removed). */
function changedFields(before: FinancialDocument, next: Columns, beforeLines: LineColumns[], nextLines: LineColumns[]): string[] {
  const fields: string[] = (Object.keys(columnField) as (keyof Columns)[]).filter((k) => before[k] !== next[k]).map((k) => columnField[k]);
  for (let i = 0; i < Math.max(beforeLines.length, nextLines.length); i++) {
    const [b, n] = [beforeLines[i], nextLines[i]];
    if (!b || !n) fields.push(`lines[${i}]`);
    else for (const f of LINE_FIELDS) if (b[f] !== n[f]) fields.push(`lines[${i}].${f}`);
  }
  return fields;
}

/** What the checks of a batch's documents read from the database, once for all of them. */
interface BatchReads {
  /** Customers' ids by number. */
  customers: Map<string, string>;
  contracts: Map<string, { id: string; customer_id: string }>;
  /** The documents the credit notes name, by number, as they stand when each is written: the batch's own writes go in. */
  corrected: Map<string, Pick<FinancialDocument, 'id' | 'kind' | 'customer_id' | 'published_at'>>;
  /** The batch's documents already held (locked on PostgreSQL to the end of the transaction), and their lines. */
  held: Map<string, FinancialDocument>;
  heldLines: Map<string, LineColumns[]>;
}

/** Numbers per `in (…)` list. */
const READ_CHUNK = 500;
/** The customers of a list, read and locked by one statement (`BATCH_MAX_ITEMS`, `PUT_MANY_MAX`: a thousand documents). */
const CUSTOMERS_LOCKED_AT_ONCE = 1000;

async function readInChunks<T>(values: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const rows: T[] = [];
  for (let i = 0; i < unique.length; i += READ_CHUNK) rows.push(...(await read(unique.slice(i, i + READ_CHUNK))));
  return rows;
}

async function readForBatch(trx: Db, items: DocumentBatchItem[]): Promise<BatchReads> {
  // The customers read and locked before their documents, in one statement, in the order of
  // their ids, as a payment's booking locks its customer before the invoices (decision 014):
  // writing a document moves its customer's balance, and two writers taking those rows in
  // different orders would deadlock on PostgreSQL. A list names at most a thousand customers
  // (the largest batch; the import's groups), which one statement takes.
  const customerNumbers = [...new Set(items.map((i) => i.input.customer))];
  if (customerNumbers.length > CUSTOMERS_LOCKED_AT_ONCE) throw new Error(`writeDocuments: ${customerNumbers.length} customers, more than one statement locks in order`);
  const customers =
    customerNumbers.length === 0 ? [] : await forUpdate(trx, trx.selectFrom('customers').select(['id', 'number']).where('number', 'in', customerNumbers).orderBy('id')).execute();
  const contracts = await readInChunks(
    items.flatMap((i) => (i.input.contract === null ? [] : [i.input.contract])),
    (numbers) => trx.selectFrom('contracts').select(['id', 'customer_id', 'number']).where('number', 'in', numbers).execute(),
  );
  const corrected = await readInChunks(
    items.flatMap((i) => (i.input.corrects === null ? [] : [i.input.corrects])),
    (numbers) => trx.selectFrom('financial_documents').select(['id', 'kind', 'customer_id', 'published_at', 'number']).where('number', 'in', numbers).execute(),
  );
  const held = await readInChunks(
    items.map((i) => i.number),
    (numbers) => forUpdate(trx, trx.selectFrom('financial_documents').selectAll().where('number', 'in', numbers)).execute(),
  );
  const heldLines = await readInChunks(
    held.map((d) => d.id),
    (ids) => trx.selectFrom('document_lines').select(['document_id', 'position', ...LINE_FIELDS]).where('document_id', 'in', ids).orderBy('document_id').orderBy('position').execute(),
  );
  const linesOf = new Map<string, LineColumns[]>();
  for (const { document_id, ...line } of heldLines) {
    const list = linesOf.get(document_id) ?? [];
    list.push(line);
    linesOf.set(document_id, list);
  }
  return {
    customers: new Map(customers.map((c) => [c.number, c.id])),
    contracts: new Map(contracts.map(({ number, ...c }) => [number, c])),
    corrected: new Map(corrected.map(({ number, ...d }) => [number, d])),
    held: new Map(held.map((d) => [d.number, d])),
    heldLines: linesOf,
  };
}

/**
 * Checks each document against the database and writes it (nothing when refused or
 * unchanged), in order, as if each were checked and written alone: a credit note finds an
 * invoice written before it in the list. The database is read once for the whole list and the
 * new rows are inserted together — documents, lines, audit entries, hundreds per statement —
 * before an update that may point at them, and at the end: the caller then stores or renders
 * the PDFs (`finish`). The numbers are all different.
 */
async function writeDocuments(
  trx: Db,
  clock: Clock,
  items: DocumentBatchItem[],
  actor: IntegrationActor,
): Promise<ItemResult[]> {
  if (new Set(items.map((i) => i.number)).size !== items.length) throw new Error('writeDocuments: a number twice');
  const reads = await readForBatch(trx, items);
  const pending: { documents: Insertable<Database['financial_documents']>[]; lines: Insertable<Database['document_lines']>[]; audit: AuditEntry[] } = { documents: [], lines: [], audit: [] };
  const flush = async () => {
    await insertAll(trx, 'financial_documents', pending.documents.splice(0));
    await insertAll(trx, 'document_lines', pending.lines.splice(0));
    await auditAll(trx, clock, pending.audit.splice(0));
  };
  // What every audit entry of the list says of its author, and the instant of its writes.
  const author = integrationEntry(actor);
  const authorDetails = integrationDetails(actor);
  const now = nowIso(clock);
  // Made once for the list, not per document (an import writes a hundred thousand).
  /** An audit entry of the document `number`, made key by key: an object spread first then added to takes microseconds on Node. */
  const entry = (action: string, number: string, customerId: string, documentId: string, details: Record<string, unknown>) => {
    const said: Record<string, unknown> = Object.assign({}, authorDetails);
    said.number = number;
    said.document_id = documentId;
    pending.audit.push({ actor_type: author.actor_type, actor_id: author.actor_id, ip: author.ip, user_agent: author.user_agent, action, outcome: 'success', target_type: 'customer', target_id: customerId, details: Object.assign(said, details) });
  };
  const addLines = (documentId: string, lines: LineColumns[]) => {
    for (const l of lines) pending.lines.push({ id: newId(), document_id: documentId, ...l });
  };
  /** What a later credit note of the list finds under this number. */
  const remember = (number: string, id: string, input: DocumentInput, customerId: string) =>
    reads.corrected.set(number, { id, kind: input.kind, customer_id: customerId, published_at: input.published ? now : null });
  const results: ItemResult[] = [];
  for (const { number, input } of items) results.push(await writeOne(number, input));
  await flush();
  return results;

  async function writeOne(number: string, input: DocumentInput): Promise<ItemResult> {
    const errors: FieldError[] = [];
    const customerId = reads.customers.get(input.customer);
    if (!customerId) errors.push({ field: 'customer', code: 'unknown', key: 'api.field.unknownCustomer' });
    let contractId: string | null = null;
    if (input.contract !== null) {
      const contract = reads.contracts.get(input.contract);
      if (!contract || (customerId && contract.customer_id !== customerId)) errors.push({ field: 'contract', code: 'unknown', key: 'api.field.document.unknownContract' });
      else contractId = contract.id;
    }
    let correctsId: string | null = null;
    if (input.corrects !== null) {
      const invoice = reads.corrected.get(input.corrects);
      if (!invoice || invoice.kind !== 'invoice' || input.corrects === number || (customerId && invoice.customer_id !== customerId)) {
        errors.push({ field: 'corrects', code: 'unknown', key: 'api.field.unknownInvoice' });
      } else if (input.published && invoice.published_at === null) {
        errors.push({ field: 'corrects', code: 'not_published', key: 'api.field.invoiceNotPublished' });
      } else correctsId = invoice.id;
    }
    if (!customerId || errors.length > 0) return { ok: false, errors, conflict: false };

    const next: Columns = {
      kind: input.kind,
      customer_id: customerId,
      contract_id: contractId,
      corrects_document_id: correctsId,
      issue_date: input.issue_date,
      period_start: input.period_start,
      period_end: input.period_end,
      due_date: input.due_date,
      total_ht_cents: input.total_ht_cents,
      total_vat_cents: input.total_vat_cents,
      total_ttc_cents: input.total_ttc_cents,
    };
    const nextLines: LineColumns[] = input.lines.map((l, i) => ({
      position: i + 1,
      label: l.label,
      quantity_milli: l.quantity_milli,
      unit_price_ht_cents: l.unit_price_ht_cents,
      vat_rate_bp: l.vat_rate_bp,
      total_ht_cents: l.total_ht_cents,
      total_vat_cents: l.total_vat_cents,
      total_ttc_cents: l.total_ttc_cents,
    }));
    const sentSha = input.pdf ? sha256Hex(input.pdf) : null;
    const before = reads.held.get(number);
    if (!before) {
      const id = newId();
      pending.documents.push({ id, number, ...next, pdf_sha256: sentSha, published_at: input.published ? now : null, notified_at: null, printed_at: null, print_batch_id: null, created_at: now });
      addLines(id, nextLines);
      entry('document.create', number, customerId, id, { kind: input.kind, total_ttc_cents: input.total_ttc_cents, pdf: sentSha ? 'erp' : null });
      if (input.published) entry('document.publish', number, customerId, id, { pdf: sentSha ? 'erp' : 'rendered' });
      remember(number, id, input, customerId);
      return { ok: true, written: { outcome: 'created', documentId: id, render: input.published && !sentSha, pdf: input.pdf ?? null, pdfChanged: sentSha !== null, published: input.published } };
    }

    const beforeLines = reads.heldLines.get(before.id) ?? [];
    const fields = changedFields(before, next, beforeLines, nextLines);

    if (before.published_at !== null) {
      // The document of record: what the customer was sent stays as it was.
      const conflicts = [...(input.published ? [] : ['published']), ...fields, ...(sentSha && sentSha !== before.pdf_sha256 ? ['pdf'] : [])];
      if (conflicts.length > 0) {
        return {
          ok: false,
          conflict: true,
          errors: conflicts.map((field) => ({ field, code: 'published', key: field === 'published' ? 'api.field.document.staysPublished' : 'api.field.document.published' })),
        };
      }
      return { ok: true, written: { outcome: 'unchanged', documentId: before.id, render: false, pdf: null } };
    }

    // A draft: anything may change; its PDF is kept when none is said.
    const pdfSha = input.pdf === undefined ? before.pdf_sha256 : sentSha;
    if (pdfSha !== before.pdf_sha256) fields.push('pdf');
    if (input.published) fields.push('published');
    if (fields.length === 0) return { ok: true, written: { outcome: 'unchanged', documentId: before.id, render: false, pdf: null } };
    // The rows inserted so far first: the update may name one of them (the invoice it corrects).
    await flush();
    await trx
      .updateTable('financial_documents')
      .set({ ...next, pdf_sha256: pdfSha, published_at: input.published ? now : null })
      .where('id', '=', before.id)
      .execute();
    if (fields.some((f) => f.startsWith('lines['))) {
      await trx.deleteFrom('document_lines').where('document_id', '=', before.id).execute();
      addLines(before.id, nextLines);
    }
    entry('document.update', number, customerId, before.id, { fields });
    if (input.published) entry('document.publish', number, customerId, before.id, { pdf: pdfSha ? 'erp' : 'rendered' });
    remember(number, before.id, input, customerId);
    return { ok: true, written: { outcome: 'updated', documentId: before.id, render: input.published && !pdfSha, pdf: input.pdf ?? null, pdfChanged: pdfSha !== before.pdf_sha256, published: input.published } };
  }
}

/**
 * Before the commit: the ERP's PDFs stored — each recorded as an e-invoice when it carries its
 * `factur-x.xml`, kept byte for byte (decision 017) —, the others rendered; every e-invoice
 * published offered to the ERP's `e_invoices` feed (the rendered ones by the renderer).
 */
async function finish(trx: Db, deps: DocumentDeps, written: Written[]): Promise<void> {
  for (const w of written) if (w.pdf) await deps.storage.put(w.pdf);
  for (const w of written) {
    if (!w.pdfChanged) continue;
    const facturX = w.pdf !== null && (await isFacturX(w.pdf));
    await trx.updateTable('financial_documents').set({ e_invoice: facturX ? 'factur-x' : null }).where('id', '=', w.documentId).execute();
  }
  const toRender = written.filter((w) => w.render).map((w) => w.documentId);
  if (toRender.length > 0) await renderPublishedPdfs(trx, deps.storage, deps.clock, deps.config, toRender);
  const published = written.filter((w) => w.published && !w.render).map((w) => w.documentId);
  if (published.length === 0) return;
  const rows = await trx
    .selectFrom('financial_documents')
    .select(['id', 'number', 'kind', 'customer_id', 'issue_date', 'total_ht_cents', 'total_vat_cents', 'total_ttc_cents', 'pdf_sha256', 'e_invoice'])
    .where('id', 'in', published)
    .where('e_invoice', '=', 'factur-x')
    .execute();
  for (const r of rows) if (r.pdf_sha256) await recordEInvoice(trx, deps.clock, r, r.pdf_sha256, 'erp');
}


/** The refusal of a document, naming its fields: a published document that would change (`api_conflict`), else `validation_failed`. */
const refusalOf = (number: string, r: Extract<ItemResult, { ok: false }>) =>
  new AppError(r.conflict ? 'api_conflict' : 'validation_failed', { detail: `document ${number} refused: ${r.errors.map((e) => e.field).join(', ')}`, fields: r.errors });

/**
 * Creates or updates the document of this number from what the ERP says; nothing when it is
 * already so. Refusals: `validation_failed` (an unknown customer, contract or invoice),
 * `api_conflict` (a published document that would change), each naming its fields.
 */
export async function putDocument(deps: DocumentDeps, number: string, input: DocumentInput, actor: IntegrationActor): Promise<PutDocumentResult> {
  return retryOnUniqueViolation(deps.db, () =>
    inTransaction(deps.db, async (trx) => {
      const [r] = (await writeDocuments(trx, deps.clock, [{ number, input }], actor)) as [ItemResult];
      if (!r.ok) throw refusalOf(number, r);
      await finish(trx, deps, [r.written]);
      return { outcome: r.written.outcome, documentId: r.written.documentId };
    }),
  );
}

/**
 * Documents written as `putDocument` writes each, one after the other — the bulk import's —,
 * with the database read once for all of them and their rows inserted together: the outcome
 * of each, or its refusal (written: nothing of it). The numbers are all different. Their PDFs
 * are stored or rendered together at the end, as a batch's are: a customer not yet activated
 * gets one temporary password, on their latest invoice among them, not one per invoice (an
 * argon2 hash each, and all but the last superseded at once).
 */
export async function putDocuments(deps: DocumentDeps, items: DocumentBatchItem[], actor: IntegrationActor): Promise<(PutOutcome | AppError)[]> {
  return retryOnUniqueViolation(deps.db, () =>
    inTransaction(deps.db, async (trx) => {
      const results = await writeDocuments(trx, deps.clock, items, actor);
      await finish(trx, deps, results.flatMap((r) => (r.ok ? [r.written] : [])));
      return results.map((r, i) => (r.ok ? r.written.outcome : refusalOf((items[i] as DocumentBatchItem).number, r)));
    }),
  );
}

/** One document of a batch: its number and what the ERP says of it. */
export interface DocumentBatchItem {
  number: string;
  input: DocumentInput;
}

/**
 * A batch of documents, all or nothing, in one transaction, in order (a credit note may
 * correct an invoice earlier in the batch). `items[i]` null is an item already refused, whose
 * errors are in `refused` (`items[i].…`). Every item is checked; when any is bad, nothing is
 * written and the refusal (`validation_failed`) names every bad field of every bad item — a
 * published document that would change among them (`code: published`). Otherwise the outcome
 * of each item, in order.
 */
export async function applyDocumentBatch(
  deps: DocumentDeps,
  items: (DocumentBatchItem | null)[],
  actor: IntegrationActor,
  refused: FieldError[] = [],
): Promise<{ number: string; outcome: PutOutcome }[]> {
  return retryOnUniqueViolation(deps.db, () =>
    inTransaction(deps.db, async (trx) => {
      const errors = [...refused];
      const seen = new Map<string, number>();
      const checked: { index: number; item: DocumentBatchItem }[] = [];
      for (const [index, item] of items.entries()) {
        if (!item) continue;
        const first = seen.get(item.number);
        if (first !== undefined) {
          errors.push({ field: itemField(index, 'number'), code: 'duplicate', key: 'api.field.batch.duplicate', params: { index: first } });
          continue;
        }
        seen.set(item.number, index);
        checked.push({ index, item });
      }
      const results = await writeDocuments(
        trx,
        deps.clock,
        checked.map((c) => c.item),
        actor,
      );
      const written: Written[] = [];
      const outcomes: { number: string; outcome: PutOutcome }[] = [];
      results.forEach((r, k) => {
        const { index, item } = checked[k] as { index: number; item: DocumentBatchItem };
        if (!r.ok) errors.push(...r.errors.map((e) => ({ ...e, field: itemField(index, e.field) })));
        else {
          written.push(r.written);
          outcomes.push({ number: item.number, outcome: r.written.outcome });
        }
      });
      // Thrown inside the transaction: everything above is rolled back.
      if (errors.length > 0) throw batchRefused(errors);
      await finish(trx, deps, written);
      return outcomes;
    }),
  );
}
