import type { Db } from '../../db/database.ts';
import type { MandateSource, MandateStatus } from '../../db/schema.ts';
import { displayName } from '../customers/customers.service.ts';
import { type MandateContract, type MandateView, currentContracts, mandateColumns, mandateCustomer, mandateInForce, toView } from './direct-debit.queries.ts';
import { maskIban } from './direct-debit.rules.ts';

/*
 * Reading mandates for customer service (`/gestion/mandats`): every customer's, by state, the
 * ones to validate oldest signed first. Never the IBAN: its mask (the full IBAN is
 * `revealIban`, for admins, audited).
 */

export const MANDATE_STATES = ['to_validate', 'active', 'rejected', 'revoked', 'awaiting_signature'] as const satisfies readonly MandateStatus[];

export interface MandateListRow {
  id: string;
  rum: string;
  status: MandateStatus;
  source: MandateSource;
  customerNumber: string;
  customerName: string;
  holderName: string;
  maskedIban: string;
  ibanCountry: string;
  ibanLast4: string;
  signedAt: string | null;
  updatedAt: string;
}

/**
 * One page of the mandates in a state: those to validate oldest signed first (the queue), the
 * others the latest changed first. With the total, for paging.
 */
export async function listMandates(db: Db, status: MandateStatus, page: number, pageSize: number): Promise<{ rows: MandateListRow[]; total: number }> {
  const base = db.selectFrom('sepa_mandates as m').innerJoin('customers as c', 'c.id', 'm.customer_id').where('m.status', '=', status);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let q = base.select([
    'm.id',
    'm.rum',
    'm.status',
    'm.source',
    'm.holder_name',
    'm.iban_country',
    'm.iban_last4',
    'm.signed_at',
    'm.updated_at',
    'c.number',
    'c.kind',
    'c.last_name',
    'c.first_name',
    'c.company_name',
  ]);
  q = status === 'to_validate' ? q.orderBy('m.signed_at', 'asc') : q.orderBy('m.updated_at', 'desc');
  const rows = await q
    .orderBy('m.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(n),
    rows: rows.map((r) => ({
      id: r.id,
      rum: r.rum,
      status: r.status,
      source: r.source,
      customerNumber: r.number,
      customerName: displayName(r),
      holderName: r.holder_name,
      maskedIban: maskIban(r.iban_country, r.iban_last4),
      ibanCountry: r.iban_country,
      ibanLast4: r.iban_last4,
      signedAt: r.signed_at,
      updatedAt: r.updated_at,
    })),
  };
}

/** How many mandates are in each state (the filter says it). */
export async function mandateCounts(db: Db): Promise<Record<MandateStatus, number>> {
  const rows = await db
    .selectFrom('sepa_mandates')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(MANDATE_STATES.map((s) => [s, 0])) as Record<MandateStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** A mandate as customer service sees it: the customer's view, whose it is, how it came, who decided. */
export interface StaffMandateView extends MandateView {
  source: MandateSource;
  customer: { id: string; number: string; name: string };
  decidedBy: string | null;
  decidedAt: string | null;
  /** A change of bank account: the mandate this one replaces (revoked when this one is validated). */
  replaces: { id: string; rum: string } | null;
}

export async function staffMandate(db: Db, mandateId: string): Promise<StaffMandateView | undefined> {
  const row = await db
    .selectFrom('sepa_mandates as m')
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .leftJoin('staff_members as s', 's.id', 'm.decided_by')
    .leftJoin('sepa_mandates as r', 'r.id', 'm.replaces_mandate_id')
    .select(mandateColumns)
    .select('r.rum as replaces_rum')
    .select(['m.source', 'm.decided_at', 's.display_name as decided_by_name', 'c.id as customer_id', 'c.number', 'c.kind', 'c.last_name', 'c.first_name', 'c.company_name'])
    .where('m.id', '=', mandateId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...(await toView(db, row)),
    source: row.source,
    customer: { id: row.customer_id, number: row.number, name: displayName(row) },
    decidedBy: row.decided_by_name,
    decidedAt: row.decided_at,
    replaces: row.replaces_mandate_id && row.replaces_rum ? { id: row.replaces_mandate_id, rum: row.replaces_rum } : null,
  };
}

/** The steps of a mandate's life, as the audit log recorded them (`target_id` is its RUM). */
export const MANDATE_HISTORY_ACTIONS = ['mandate.create', 'mandate.sign', 'mandate.validate', 'mandate.reject', 'mandate.revoke', 'mandate.paper_record', 'mandate.replace', 'mandate.lapse'] as const;
export type MandateHistoryAction = (typeof MANDATE_HISTORY_ACTIONS)[number];

export interface MandateHistoryEntry {
  at: string;
  action: MandateHistoryAction;
  actor: { type: 'customer' } | { type: 'staff'; name: string } | { type: 'other' };
}

/** A mandate's changes of state, oldest first: who did what, when. */
export async function mandateHistory(db: Db, rum: string): Promise<MandateHistoryEntry[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('staff_members as s', (j) => j.onRef('s.id', '=', 'a.actor_id').on('a.actor_type', '=', 'staff'))
    .select(['a.at', 'a.action', 'a.actor_type', 's.display_name'])
    .where('a.target_type', '=', 'mandate')
    .where('a.target_id', '=', rum)
    .where('a.outcome', '=', 'success')
    .where('a.action', 'in', MANDATE_HISTORY_ACTIONS)
    .orderBy('a.at')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    at: r.at,
    action: r.action as MandateHistoryAction,
    actor: r.actor_type === 'customer' ? { type: 'customer' } : r.actor_type === 'staff' && r.display_name ? { type: 'staff', name: r.display_name } : { type: 'other' },
  }));
}

/** The customer a paper mandate is recorded for, found by number: the form's defaults and choices. */
export async function paperMandateCustomer(db: Db, number: string) {
  const found = await db.selectFrom('customers').select('id').where('number', '=', number).executeTakeFirst();
  if (!found) return undefined;
  const [customer, contracts, inForce] = await Promise.all([
    mandateCustomer(db, found.id),
    currentContracts(db, found.id),
    mandateInForce(db, found.id),
  ]);
  return { customer, contracts: contracts as MandateContract[], inForce };
}

export type PaperMandateCustomer = NonNullable<Awaited<ReturnType<typeof paperMandateCustomer>>>;
