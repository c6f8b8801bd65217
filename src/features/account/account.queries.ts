import type { Db } from '../../db/database.ts';
import type { DocumentKind } from '../../db/schema.ts';
import { sql } from 'kysely';
import { reusableQuery } from '../../db/reusable.ts';
import { parisDate } from '../../lib/clock.ts';
import type { StatementDocument, StatementPayment } from './account.rules.ts';
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

/**
 * The history's conditions with one shape whatever the filters (a filter not chosen matches
 * everything), so the page and its count are each one reusable query.
 */
interface HistoryArgs {
  customerId: string;
  from: string;
  to: string;
  contractId: string | null;
  kind: DocumentKind | null;
  /** 1: only documents with something remaining. */
  open: number;
}

function historyArgs(customerId: string, f: DocumentFilters): HistoryArgs {
  const from = f.year && `${f.year}-01-01` > f.since ? `${f.year}-01-01` : f.since;
  return { customerId, from, to: f.year ? `${f.year}-12-31` : '9999-12-31', contractId: f.contractId ?? null, kind: f.kind ?? null, open: f.open ? 1 : 0 };
}

function history(db: Db, a: HistoryArgs) {
  return db
    .selectFrom('financial_documents as d')
    .where('d.customer_id', '=', a.customerId)
    .where('d.published_at', 'is not', null)
    .where('d.issue_date', '>=', a.from)
    .where('d.issue_date', '<=', a.to)
    // Typed, so that PostgreSQL knows what a parameter tested alone is.
    .where((eb) => eb.or([eb(eb.cast(eb.val(a.contractId), 'text'), 'is', null), eb('d.contract_id', '=', a.contractId)]))
    .where((eb) => eb.or([eb(eb.cast(eb.val(a.kind), 'text'), 'is', null), eb('d.kind', '=', a.kind)]))
    .where((eb) => eb.or([eb(eb.cast(eb.val(a.open), 'integer'), '=', 0), hasRemaining(eb)]));
}

/** A document as Mon compte lists it (the history, what is due): with its contract's number (`k`). */
export const DOCUMENT_ROW = [
  'd.id',
  'd.kind',
  'd.number',
  'd.issue_date',
  'd.due_date',
  'd.period_start',
  'd.period_end',
  'd.total_ttc_cents',
  'd.settled_cents',
  'd.pdf_sha256',
  'k.number as contract_number',
] as const;

/** The history's documents as Mon compte lists them, newest first: a page of it, or the whole of it. */
function historyRows(db: Db, a: HistoryArgs) {
  return history(db, a).leftJoin('contracts as k', 'k.id', 'd.contract_id').select(DOCUMENT_ROW).orderBy('d.issue_date', 'desc').orderBy('d.number', 'desc');
}

const documentPage = reusableQuery((db: Db, a: HistoryArgs & { limit: number; offset: number }) => historyRows(db, a).limit(sql.lit(a.limit)).offset(a.offset), {
  literals: ['limit'],
});

const documentCount = reusableQuery((db: Db, a: HistoryArgs) => history(db, a).select((eb) => eb.fn.countAll<number>().as('n')));

/** One page of the financial-document history, newest first, each with its "reste à payer". */
export async function findDocumentPage(db: Db, customerId: string, f: DocumentFilters, page: { limit: number; offset: number }) {
  const a = historyArgs(customerId, f);
  const [rows, [count]] = await Promise.all([documentPage(db, { ...a, ...page }), documentCount(db, a)]);
  return {
    total: Number(count!.n),
    rows: rows.map(({ settled_cents, ...r }) => ({ ...r, remaining: remainingOf({ ...r, settled_cents }) })),
  };
}

export type DocumentRow = Awaited<ReturnType<typeof findDocumentPage>>['rows'][number];

/**
 * Every document of the history with these filters — exactly the rows its pages show, in their
 * order —, with its amounts HT and VAT: what the ZIP and the CSV of the list hold. A customer's
 * history is a few hundred rows at most (5 years); their files are read one at a time.
 */
export async function findDocumentList(db: Db, customerId: string, f: DocumentFilters) {
  const rows = await documentList(db, historyArgs(customerId, f));
  return rows.map(({ settled_cents, ...r }) => ({ ...r, settled_cents, remaining: remainingOf({ ...r, settled_cents }) }));
}
const documentList = reusableQuery((db: Db, a: HistoryArgs) => historyRows(db, a).select(['d.total_ht_cents', 'd.total_vat_cents']));

export type ListedDocument = Awaited<ReturnType<typeof findDocumentList>>[number];

/**
 * The years that have documents in the window, newest first (for the year filter), and how
 * many documents are older than the window (kept, shown on request). Two statements, each
 * along the history's index: counting by year in one was twice as slow (a sort of the years).
 */
export async function documentYears(db: Db, customerId: string, since: string): Promise<{ years: number[]; older: number }> {
  const [rows, [older]] = await Promise.all([issueYears(db, { customerId, since }), olderCount(db, { customerId, since })]);
  return { years: rows.map((r) => Number(r.year)).sort((a, b) => b - a), older: Number(older!.n) };
}
const issueYears = reusableQuery((db: Db, a: { customerId: string; since: string }) =>
  db
    .selectFrom('financial_documents')
    // The year only: a few values to return, not one per document.
    .select(sql<string>`substr(issue_date, 1, 4)`.as('year'))
    .distinct()
    .where('customer_id', '=', a.customerId)
    .where('published_at', 'is not', null)
    .where('issue_date', '>=', a.since),
);
const olderCount = reusableQuery((db: Db, a: { customerId: string; since: string }) =>
  db
    .selectFrom('financial_documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', a.customerId)
    .where('published_at', 'is not', null)
    .where('issue_date', '<', a.since),
);

/** The customer's contracts: the history's contract filter, and which are paid by direct debit (`directDebitCoverage`). */
export function contractOptions(db: Db, customerId: string) {
  return contractsOf(db, { customerId });
}
const contractsOf = reusableQuery((db: Db, a: { customerId: string }) =>
  db.selectFrom('contracts').select(['id', 'number', 'status', 'direct_debit']).where('customer_id', '=', a.customerId).orderBy('number'),
);

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

/**
 * What the account statement reads (`statementOf`): the customer's published documents issued up
 * to `to`, and their succeeded payments with the Paris day each was received — what the balance
 * is made of (decision 004), so that its closing balance today is "Reste à payer".
 */
export async function statementRows(db: Db, customerId: string, to: string): Promise<{ docs: StatementDocument[]; payments: StatementPayment[] }> {
  const [docs, payments] = await Promise.all([
    db
      .selectFrom('financial_documents as d')
      .leftJoin('contracts as k', 'k.id', 'd.contract_id')
      .select(['d.kind', 'd.number', 'd.issue_date', 'd.total_ttc_cents', 'k.number as contract_number'])
      .where('d.customer_id', '=', customerId)
      .where('d.published_at', 'is not', null)
      .where('d.issue_date', '<=', to)
      .execute(),
    db
      .selectFrom('payments as p')
      .select(['p.method', 'p.amount_cents', 'p.received_at', 'p.created_at', 'p.provider_reference'])
      .where('p.customer_id', '=', customerId)
      .where('p.status', '=', 'succeeded')
      .orderBy((eb) => eb.fn.coalesce('p.received_at', 'p.created_at'))
      .orderBy('p.id')
      .execute(),
  ]);
  return {
    docs,
    payments: payments
      .map(({ received_at, created_at, ...p }) => ({ ...p, day: parisDate(new Date(received_at ?? created_at)) }))
      .filter((p) => p.day <= to),
  };
}
