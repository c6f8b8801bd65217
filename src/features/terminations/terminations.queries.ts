import type { Db } from '../../db/database.ts';
import type { TerminationStatus } from '../../db/schema.ts';
import { hashToken, isTokenShaped } from '../../lib/tokens.ts';
import { verifiedAddressColumns } from '../customers/customers.service.ts';

/*
 * Reading terminations: the customer's (Contrats), one contract's with what its summary
 * shows, the back office's queue, the one a withdrawal link or a confirmation link names.
 */

/** What a termination shows wherever it appears. */
export interface TerminationSummary {
  id: string;
  reference: string;
  contract_id: string;
  contract_number: string;
  status: TerminationStatus;
  requested_at: string;
  effective_date: string;
}

const summaryQuery = (db: Db) =>
  db
    .selectFrom('contract_terminations as r')
    .innerJoin('contracts as k', 'k.id', 'r.contract_id')
    .select(['r.id', 'r.reference', 'r.contract_id', 'k.number as contract_number', 'r.status', 'r.requested_at', 'r.effective_date']);

/** What a termination names of its contract, car park and customer, read with the contract (`contractToTerminate`) or the termination (`terminationRecord`). */
const partyColumns = [
  'k.badge_number',
  'p.name as car_park_name',
  'p.code as car_park_code',
  'c.id as customer_id',
  'c.number as customer_number',
  'c.kind',
  'c.last_name',
  'c.first_name',
  'c.company_name',
  'c.language',
] as const;

/** Terminations with their contract (`k`), its car park (`p`) and their customer (`c`): what the acknowledgement and the back office's queue read. */
const withParties = (db: Db) =>
  db
    .selectFrom('contract_terminations as r')
    .innerJoin('contracts as k', 'k.id', 'r.contract_id')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .innerJoin('customers as c', 'c.id', 'r.customer_id');

/** The customer's terminations not withdrawn, by contract id. */
export async function currentTerminations(db: Db, customerId: string): Promise<Map<string, TerminationSummary>> {
  const rows = await summaryQuery(db).where('r.customer_id', '=', customerId).where('r.status', '<>', 'withdrawn').execute();
  return new Map(rows.map((r) => [r.contract_id, r]));
}

/** A contract of this customer with what a termination's summary says, and its termination not withdrawn; undefined when not theirs. */
export async function contractToTerminate(db: Db, customerId: string, contractNumber: string) {
  const contract = await db
    .selectFrom('contracts as k')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .select([
      'k.id',
      'k.number',
      'k.product',
      'k.status',
      'k.billing_period',
      'k.end_date',
      ...partyColumns,
      ...verifiedAddressColumns,
    ])
    .where('k.customer_id', '=', customerId)
    .where('k.number', '=', contractNumber)
    .executeTakeFirst();
  if (!contract) return undefined;
  const current = await summaryQuery(db).where('r.contract_id', '=', contract.id).where('r.status', '<>', 'withdrawn').executeTakeFirst();
  return { contract, current: current ?? null };
}

export type ContractToTerminate = NonNullable<Awaited<ReturnType<typeof contractToTerminate>>>;

/** A termination with everything its acknowledgement (e-mail, PDF) says. */
export async function terminationRecord(db: Db, id: string) {
  return withParties(db)
    .select([
      'r.id',
      'r.reference',
      'r.status',
      'r.channel',
      'r.requested_at',
      'r.effective_date',
      'r.acknowledgement_to',
      'r.withdrawn_at',
      'r.processed_at',
      'k.number as contract_number',
      ...partyColumns,
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export type TerminationRecord = NonNullable<Awaited<ReturnType<typeof terminationRecord>>>;

/** The termination a withdrawal link names (any state: the page says which); undefined for an unknown link. */
export async function terminationByWithdrawToken(db: Db, token: unknown): Promise<TerminationRecord | undefined> {
  if (!isTokenShaped(token)) return undefined;
  const row = await db.selectFrom('contract_terminations').select('id').where('withdraw_token_hash', '=', hashToken(token)).executeTakeFirst();
  return row ? terminationRecord(db, row.id) : undefined;
}

/** The termination of this contract number of this customer, not withdrawn. */
export async function customerTermination(db: Db, customerId: string, contractNumber: string): Promise<TerminationRecord | undefined> {
  const row = await db
    .selectFrom('contract_terminations as r')
    .innerJoin('contracts as k', 'k.id', 'r.contract_id')
    .select('r.id')
    .where('r.customer_id', '=', customerId)
    .where('k.number', '=', contractNumber)
    .where('r.status', '<>', 'withdrawn')
    .executeTakeFirst();
  return row ? terminationRecord(db, row.id) : undefined;
}

/** A public page's confirmation link while it is unused and unexpired: whose, which contract, the address typed. */
export async function validTerminationLink(db: Db, now: Date, token: unknown) {
  if (!isTokenShaped(token)) return undefined;
  const row = await db
    .selectFrom('termination_links as l')
    .innerJoin('contracts as k', 'k.id', 'l.contract_id')
    .select(['l.id', 'l.customer_id', 'l.email', 'l.expires_at', 'l.used_at', 'k.number as contract_number'])
    .where('l.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.used_at !== null || Date.parse(row.expires_at) <= now.getTime()) return undefined;
  return row;
}

/** The back office's queue: terminations to process, oldest first; or those processed, newest first (at most 100). */
export async function terminationQueue(db: Db, status: 'requested' | 'processed') {
  return withParties(db)
    .select([
      'r.id',
      'r.reference',
      'r.channel',
      'r.requested_at',
      'r.effective_date',
      'r.processed_at',
      'k.number as contract_number',
      'k.badge_number',
      'p.name as car_park_name',
      'c.number as customer_number',
      'c.kind',
      'c.last_name',
      'c.first_name',
      'c.company_name',
    ])
    .where('r.status', '=', status)
    .orderBy('r.requested_at', status === 'requested' ? 'asc' : 'desc')
    .limit(100)
    .execute();
}

export type QueuedTermination = Awaited<ReturnType<typeof terminationQueue>>[number];
