import type { Db } from '../../db/database.ts';
import { jsonArrayFor, parseJsonArray } from '../../db/dialect.ts';
import { discountRateBp, statementDiscount } from './statements.rules.ts';

/*
 * The petit-rouleur exit counts as the operator's API shows them (`exits.api.ts`): the
 * operator's view, by contract number — unlike `statements.queries.ts`, which reads only the
 * session's customer's. The discount is derived by the statements' own rules
 * (`discountRateBp`, `statementDiscount`: as billed once the carrying document exists).
 */

/** A month's exit count as the API shows it. */
export interface ExitCountRecord {
  contract: string;
  month: string;
  exit_count: number;
  /** The month's exits one by one, in order; null when only their number was sent. */
  exits: string[] | null;
  discount: { rate_bp: number; ht_cents: number; vat_cents: number; ttc_cents: number };
  /** The document carrying the month's discount; null until the month is billed. */
  billed_by: string | null;
  created_at: string;
}

/** The contract of this number with what its exit counts need; undefined when there is none. */
export function exitsContract(db: Db, number: string) {
  return db
    .selectFrom('contracts as k')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select(['k.id', 'k.number', 'k.customer_id', 'k.product', 'k.start_date', 'k.end_date', 'k.billing_period', 'k.price_ht_cents', 'k.vat_rate_bp', 'p.petit_rouleur_30'])
    .where('k.number', '=', number)
    .executeTakeFirst();
}

export type ExitsContract = NonNullable<Awaited<ReturnType<typeof exitsContract>>>;

const recordQuery = (db: Db, contractId: string) => {
  const exits = jsonArrayFor(db);
  return db
    .selectFrom('exit_statements as s')
    .leftJoin('financial_documents as d', 'd.id', 's.document_id')
    .select((eb) => [
      's.month',
      's.exit_count',
      's.discount_ht_cents',
      's.created_at',
      'd.number as document_number',
      exits(eb.selectFrom('exits as e').select('e.exited_at').whereRef('e.statement_id', '=', 's.id')).as('exits'),
    ])
    .where('s.contract_id', '=', contractId);
};

type RecordRow = Awaited<ReturnType<ReturnType<typeof recordQuery>['executeTakeFirstOrThrow']>>;

function exitCountRecord(contract: ExitsContract, r: RecordRow): ExitCountRecord {
  const rateBp = discountRateBp(r.exit_count, contract.petit_rouleur_30 === 1);
  const discount = statementDiscount(contract, rateBp, r.discount_ht_cents);
  const exits = parseJsonArray<{ exited_at: string }>(r.exits)
    .map((e) => e.exited_at)
    .sort();
  return {
    contract: contract.number,
    month: r.month,
    exit_count: r.exit_count,
    exits: exits.length > 0 ? exits : null,
    discount: { rate_bp: rateBp, ht_cents: discount.ht, vat_cents: discount.vat, ttc_cents: discount.ttc },
    billed_by: r.document_number,
    created_at: r.created_at,
  };
}

/** One month of the contract as the API shows it; undefined when it has no count for that month. */
export async function exitCountRecordOf(db: Db, contract: ExitsContract, month: string): Promise<ExitCountRecord | undefined> {
  const row = await recordQuery(db, contract.id).where('s.month', '=', month).executeTakeFirst();
  return row ? exitCountRecord(contract, row) : undefined;
}

/** The contract's months after `after` (exclusive), in order, at most `count`. */
export async function exitCountRecordsAfter(db: Db, contract: ExitsContract, after: string | null, count: number): Promise<ExitCountRecord[]> {
  let q = recordQuery(db, contract.id).orderBy('s.month').limit(count);
  if (after !== null) q = q.where('s.month', '>', after);
  return (await q.execute()).map((r) => exitCountRecord(contract, r));
}
