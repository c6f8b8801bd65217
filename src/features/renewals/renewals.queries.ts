import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { joinedMailRecipientColumns } from '../auth/verify.service.ts';

/*
 * What the renewal notices read: the contracts whose notice may be due (the job), and the
 * notices sent (the back office's "Renouvellements").
 */

/**
 * The consumers' running contracts renewed tacitly whose renewal falls between `after`
 * (excluded) and `until` (included), with no notice yet for that renewal: the job decides with
 * `noticeTiming` which are due.
 */
export const renewalsToNotify = (db: Db, after: string, until: string) =>
  db
    .selectFrom('contracts as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select([
      'k.id',
      'k.number',
      'k.status',
      'k.end_date',
      'k.renewal_date',
      'p.code as car_park_code',
      'p.name as car_park_name',
      ...joinedMailRecipientColumns,
    ])
    .where('k.status', '=', 'active')
    .where('k.end_date', 'is', null)
    .where('c.kind', '=', 'individual')
    .where('k.renewal_date', '>', after)
    .where('k.renewal_date', '<=', until)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('renewal_notices as n').select(sql`1`.as('one')).whereRef('n.contract_id', '=', 'k.id').whereRef('n.renewal_date', '=', 'k.renewal_date'))),
    )
    .orderBy('k.renewal_date')
    .orderBy('k.number');

export interface RenewalNoticeFilters {
  /** Sent from this instant (included) to `until` (excluded): a Paris month as UTC bounds; null: all. */
  from: string | null;
  until: string | null;
}

export interface RenewalNoticeRow {
  id: string;
  contractNumber: string;
  customerNumber: string;
  customerName: { kind: 'individual' | 'business'; last_name: string; first_name: string | null; company_name: string | null };
  renewalDate: string;
  deadline: string;
  channel: 'email' | 'letter';
  late: boolean;
  sentAt: string;
}

function filtered(db: Db, f: RenewalNoticeFilters) {
  let q = db.selectFrom('renewal_notices as n');
  if (f.from) q = q.where('n.sent_at', '>=', f.from);
  if (f.until) q = q.where('n.sent_at', '<', f.until);
  return q;
}

/** One page of the notices sent, latest first, and how many match. */
export async function listRenewalNotices(db: Db, f: RenewalNoticeFilters, page: number, pageSize: number): Promise<{ rows: RenewalNoticeRow[]; total: number }> {
  const { n } = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await filtered(db, f)
    .innerJoin('contracts as k', 'k.id', 'n.contract_id')
    .innerJoin('customers as c', 'c.id', 'n.customer_id')
    .select(['n.id', 'k.number as contract_number', 'c.number as customer_number', 'c.kind', 'c.last_name', 'c.first_name', 'c.company_name', 'n.renewal_date', 'n.deadline', 'n.channel', 'n.late', 'n.sent_at'])
    .orderBy('n.sent_at', 'desc')
    .orderBy('n.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(n),
    rows: rows.map((r) => ({
      id: r.id,
      contractNumber: r.contract_number,
      customerNumber: r.customer_number,
      customerName: { kind: r.kind, last_name: r.last_name, first_name: r.first_name, company_name: r.company_name },
      renewalDate: r.renewal_date,
      deadline: r.deadline,
      channel: r.channel,
      late: r.late === 1,
      sentAt: r.sent_at,
    })),
  };
}
