import type { Db } from '../../db/database.ts';
import { displayName } from '../customers/customers.service.ts';

/*
 * The paper queue (`/gestion/papier`): the documents a customer is still to receive by post —
 * published, not printed yet, and either the customer has no paperless consent (and the
 * document was not announced by e-mail) or the operator's billing system says paper is
 * required for them (`paper_required`, through the API or the import) — grouped by customer, and the batches already handed to the print shop. Only reads; the batches are made
 * by `documents.backoffice.ts`.
 */

/** The documents waiting to be printed: the one definition the page, the counts and a new batch share (through the index `financial_documents_to_print`, 024). */
export const awaitingPrint = (db: Db) =>
  db
    .selectFrom('financial_documents as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .where('d.published_at', 'is not', null)
    .where('d.printed_at', 'is', null)
    .where((eb) => eb.or([eb.and([eb('c.paperless', '=', 0), eb('d.notified_at', 'is', null)]), eb('c.paper_required', '=', 1)]));

/** A customer to send paper to, with the documents of the envelope. */
export interface PaperCustomer {
  id: string;
  number: string;
  name: string;
  /** Street lines, postal code, city, country. */
  address: { line1: string; line2: string | null; postalCode: string; city: string; country: string };
  documents: { number: string; kind: 'invoice' | 'credit_note'; ttcCents: number }[];
  /** Invoices less credit notes, TTC. */
  netTtcCents: number;
}

const customerColumns = ['c.id', 'c.number', 'c.kind', 'c.last_name', 'c.first_name', 'c.company_name', 'c.address_line1', 'c.address_line2', 'c.postal_code', 'c.city', 'c.country'] as const;

type CustomerRow = {
  id: string;
  number: string;
  kind: string;
  last_name: string;
  first_name: string | null;
  company_name: string | null;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  country: string;
};

/** The customers with their documents, in the order of `customers`; documents by number. */
function group(customers: CustomerRow[], docs: { customer_id: string; number: string; kind: 'invoice' | 'credit_note'; total_ttc_cents: number }[]): PaperCustomer[] {
  const byCustomer = new Map<string, PaperCustomer>();
  for (const c of customers) {
    byCustomer.set(c.id, {
      id: c.id,
      number: c.number,
      name: displayName(c),
      address: { line1: c.address_line1, line2: c.address_line2, postalCode: c.postal_code, city: c.city, country: c.country },
      documents: [],
      netTtcCents: 0,
    });
  }
  for (const d of docs) {
    const c = byCustomer.get(d.customer_id);
    if (!c) continue;
    c.documents.push({ number: d.number, kind: d.kind, ttcCents: d.total_ttc_cents });
    c.netTtcCents += d.kind === 'credit_note' ? -d.total_ttc_cents : d.total_ttc_cents;
  }
  return [...byCustomer.values()];
}

/** How many customers and documents wait to be printed. */
export async function paperCounts(db: Db): Promise<{ customers: number; documents: number }> {
  const row = await awaitingPrint(db)
    .select((eb) => [eb.fn.count<number>('d.customer_id').distinct().as('customers'), eb.fn.countAll<number>().as('documents')])
    .executeTakeFirstOrThrow();
  return { customers: Number(row.customers), documents: Number(row.documents) };
}

/** One page of the customers to send paper to, by customer number, each with the documents waiting. */
export async function paperQueue(db: Db, page: number, pageSize: number): Promise<PaperCustomer[]> {
  const customers = await awaitingPrint(db)
    .select(customerColumns)
    .groupBy(customerColumns)
    .orderBy('c.number')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  if (customers.length === 0) return [];
  const docs = await awaitingPrint(db)
    .select(['d.customer_id', 'd.number', 'd.kind', 'd.total_ttc_cents'])
    .where('d.customer_id', 'in', customers.map((c) => c.id))
    .orderBy('d.number')
    .execute();
  return group(customers, docs);
}

/** The customers and documents of a print batch, as its file lists them; undefined for an unknown batch. */
export async function printBatchContents(db: Db, batchId: string): Promise<{ createdAt: string; customers: PaperCustomer[] } | undefined> {
  const batch = await db.selectFrom('print_batches').select('created_at').where('id', '=', batchId).executeTakeFirst();
  if (!batch) return undefined;
  const inBatch = db.selectFrom('financial_documents as d').innerJoin('customers as c', 'c.id', 'd.customer_id').where('d.print_batch_id', '=', batchId);
  const customers = await inBatch.select(customerColumns).groupBy(customerColumns).orderBy('c.number').execute();
  const docs = await inBatch.select(['d.customer_id', 'd.number', 'd.kind', 'd.total_ttc_cents']).orderBy('d.number').execute();
  return { createdAt: batch.created_at, customers: group(customers, docs) };
}

export interface PrintBatchSummary {
  id: string;
  createdAt: string;
  createdBy: string;
  customers: number;
  documents: number;
}

/** The latest print batches, newest first. */
export async function recentPrintBatches(db: Db, limit: number): Promise<PrintBatchSummary[]> {
  const rows = await db
    .selectFrom('print_batches as b')
    .innerJoin('staff_members as s', 's.id', 'b.created_by')
    .select(['b.id', 'b.created_at', 's.display_name', 'b.customer_count', 'b.document_count'])
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, createdBy: r.display_name, customers: r.customer_count, documents: r.document_count }));
}
