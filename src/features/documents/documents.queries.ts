import type { Db } from '../../db/database.ts';
import type { DocumentKind } from '../../db/schema.ts';
import { remainingOf } from '../account/balance.queries.ts';
import type { DocumentLine } from './documents.rules.ts';

/*
 * Financial documents as the operator's API shows them (`GET /api/v1/documents…`): the
 * document, its lines, the numbers it refers to (customer, contract, corrected invoice), and
 * what only the portal knows (when it was published, its PDF's SHA-256, what remains to pay
 * on it — the portal's one balance code, `balance.queries.ts`).
 */

/** A document's dates and totals, in the order every list of documents gives them (alias `d`). */
export const DOCUMENT_FIGURES = ['d.issue_date', 'd.period_start', 'd.period_end', 'd.due_date', 'd.total_ht_cents', 'd.total_vat_cents', 'd.total_ttc_cents'] as const;

/** A document line's label and figures, as its page, the API and the data export show them (from `document_lines`). */
export const DOCUMENT_LINE_FIGURES = ['document_id', 'label', 'quantity_milli', 'unit_price_ht_cents', 'vat_rate_bp', 'total_ht_cents', 'total_vat_cents', 'total_ttc_cents'] as const;

/** A document as the API shows it (`GET /documents/{number}`). */
export interface DocumentRecord {
  number: string;
  kind: DocumentKind;
  customer: string;
  contract: string | null;
  corrects: string | null;
  issue_date: string;
  period_start: string | null;
  period_end: string | null;
  due_date: string | null;
  lines: DocumentLine[];
  total_ht_cents: number;
  total_vat_cents: number;
  total_ttc_cents: number;
  published: boolean;
  portal: { published_at: string | null; pdf_sha256: string | null; remaining_cents: number | null };
  created_at: string;
}

const headQuery = (db: Db) =>
  db
    .selectFrom('financial_documents as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .leftJoin('financial_documents as inv', 'inv.id', 'd.corrects_document_id')
    .select([
      'd.id',
      'd.number',
      'd.kind',
      'c.number as customer',
      'k.number as contract',
      'inv.number as corrects',
      ...DOCUMENT_FIGURES,
      'd.published_at',
      'd.pdf_sha256',
      'd.created_at',
      'd.settled_cents',
    ]);

type Head = Awaited<ReturnType<ReturnType<typeof headQuery>['execute']>>[number];

async function withLines(db: Db, heads: Head[]): Promise<DocumentRecord[]> {
  if (heads.length === 0) return [];
  const lines = await db
    .selectFrom('document_lines')
    .select(DOCUMENT_LINE_FIGURES)
    .where(
      'document_id',
      'in',
      heads.map((h) => h.id),
    )
    .orderBy('document_id')
    .orderBy('position')
    .execute();
  const byDocument = new Map<string, DocumentLine[]>();
  for (const { document_id, ...line } of lines) byDocument.set(document_id, [...(byDocument.get(document_id) ?? []), line]);
  return heads.map(({ id, settled_cents, published_at, pdf_sha256, created_at, ...h }) => ({
    ...h,
    lines: byDocument.get(id) ?? [],
    published: published_at !== null,
    portal: { published_at, pdf_sha256, remaining_cents: published_at === null ? null : remainingOf({ ...h, settled_cents }) },
    created_at,
  }));
}

/** The document of this number as the API shows it; undefined when there is none. */
export async function documentRecordByNumber(db: Db, number: string): Promise<DocumentRecord | undefined> {
  const [record] = await withLines(db, await headQuery(db).where('d.number', '=', number).execute());
  return record;
}

/** Documents by number after `after` (exclusive), at most `count`; only this customer's when one is named. */
export async function documentRecordsAfter(db: Db, after: string | null, count: number, customer?: string): Promise<DocumentRecord[]> {
  let q = headQuery(db).orderBy('d.number').limit(count);
  if (after !== null) q = q.where('d.number', '>', after);
  if (customer !== undefined) q = q.where('c.number', '=', customer);
  return withLines(db, await q.execute());
}

/** A published e-invoice by its number, with its stored file's hash; undefined for anything else. */
export async function publishedEInvoice(db: Db, number: string): Promise<{ number: string; pdf_sha256: string } | undefined> {
  const row = await db
    .selectFrom('financial_documents')
    .select(['number', 'pdf_sha256'])
    .where('number', '=', number)
    .where('published_at', 'is not', null)
    .where('e_invoice', '=', 'factur-x')
    .executeTakeFirst();
  return row?.pdf_sha256 ? { number: row.number, pdf_sha256: row.pdf_sha256 } : undefined;
}
