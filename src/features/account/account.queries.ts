import type { Db } from '../../db/database.ts';
import type { DocumentKind } from '../../db/schema.ts';
import { hasRemaining, remainingOf } from './balance.queries.ts';

export interface DocumentFilters {
  /** Oldest issue date shown (`YYYY-MM-DD`): the history window. */
  since: string;
  contractId?: string | undefined;
  kind?: DocumentKind | undefined;
  year?: number | undefined;
  /** Only documents with something remaining ("à régler"). */
  open?: boolean | undefined;
}

function filtered(db: Db, customerId: string, f: DocumentFilters) {
  let q = db
    .selectFrom('financial_documents as d')
    .where('d.customer_id', '=', customerId)
    .where('d.published_at', 'is not', null)
    .where('d.issue_date', '>=', f.since);
  if (f.contractId) q = q.where('d.contract_id', '=', f.contractId);
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  if (f.year) q = q.where('d.issue_date', '>=', `${f.year}-01-01`).where('d.issue_date', '<=', `${f.year}-12-31`);
  if (f.open) q = q.where((eb) => hasRemaining(eb));
  return q;
}

/** One page of the financial-document history, newest first, each with its "reste à payer". */
export async function findDocumentPage(db: Db, customerId: string, f: DocumentFilters, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    filtered(db, customerId, f)
      .leftJoin('contracts as k', 'k.id', 'd.contract_id')
      .select([
        'd.id',
        'd.kind',
        'd.number',
        'd.issue_date',
        'd.period_start',
        'd.period_end',
        'd.total_ttc_cents',
        'd.settled_cents',
        'd.pdf_sha256',
        'k.number as contract_number',
      ])
      .orderBy('d.issue_date', 'desc')
      .orderBy('d.number', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, customerId, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map(({ settled_cents, ...r }) => ({ ...r, remaining: remainingOf({ ...r, settled_cents }) })),
  };
}

export type DocumentRow = Awaited<ReturnType<typeof findDocumentPage>>['rows'][number];

/** Years that have documents in the window, newest first (for the year filter). */
export async function documentYears(db: Db, customerId: string, since: string): Promise<number[]> {
  const rows = await db
    .selectFrom('financial_documents')
    .select('issue_date')
    .distinct()
    .where('customer_id', '=', customerId)
    .where('published_at', 'is not', null)
    .where('issue_date', '>=', since)
    .execute();
  return [...new Set(rows.map((r) => Number(r.issue_date.slice(0, 4))))].sort((a, b) => b - a);
}

/** How many documents are older than the window (kept, shown on request). */
export async function countOlderDocuments(db: Db, customerId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('financial_documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('published_at', 'is not', null)
    .where('issue_date', '<', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function contractOptions(db: Db, customerId: string) {
  return db.selectFrom('contracts').select(['id', 'number']).where('customer_id', '=', customerId).orderBy('number').execute();
}

/** One of the customer's published documents by its number (whether its PDF is served: `pdfServed`). */
export function findPublishedDocument(db: Db, customerId: string, number: string) {
  return db
    .selectFrom('financial_documents')
    .select(['number', 'issue_date', 'pdf_sha256'])
    .where('customer_id', '=', customerId)
    .where('number', '=', number)
    .where('published_at', 'is not', null)
    .executeTakeFirst();
}
