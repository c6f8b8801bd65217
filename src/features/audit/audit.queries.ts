import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditCursor } from './audit.rules.ts';

/** What the log is filtered by; every filter is optional. */
export interface AuditFilters {
  /** Entries by this staff member. */
  staffId?: string | undefined;
  /** Entries about this customer (its target) or by them (its actor). */
  customerId?: string | undefined;
  /** Actions whose name starts with this (`customer.` → every customer action). */
  actionPrefix?: string | undefined;
  /** From this instant (included) to this one (excluded), ISO UTC. */
  from?: string | undefined;
  until?: string | undefined;
  /** Older than this entry: the next page. */
  before?: AuditCursor | null | undefined;
}

/**
 * A page of the audit log, newest first (`limit` + 1 rows: one more says there is a next
 * page), with the names the reader needs: the staff member or customer who acted, the
 * customer it was about. Served by the indexes on `at` (001), the actor (001) and the target (009).
 */
export function auditPage(db: Db, f: AuditFilters, limit: number) {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('staff_members as sm', (j) => j.onRef('sm.id', '=', 'a.actor_id').on('a.actor_type', '=', 'staff'))
    .leftJoin('customers as ac', (j) => j.onRef('ac.id', '=', 'a.actor_id').on('a.actor_type', '=', 'customer'))
    .leftJoin('customers as tc', (j) => j.onRef('tc.id', '=', 'a.target_id').on('a.target_type', '=', 'customer'))
    .select([
      'a.id',
      'a.at',
      'a.actor_type',
      'a.actor_id',
      'a.action',
      'a.outcome',
      'a.target_type',
      'a.target_id',
      'a.ip',
      'a.details',
      'a.user_name',
      'sm.display_name as staff_name',
      'ac.number as actor_customer_number',
      'tc.number as target_customer_number',
    ]);
  if (f.staffId) q = q.where('a.actor_type', '=', 'staff').where('a.actor_id', '=', f.staffId);
  if (f.customerId) {
    const id = f.customerId;
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('a.target_type', '=', 'customer'), eb('a.target_id', '=', id)]),
        eb.and([eb('a.actor_type', '=', 'customer'), eb('a.actor_id', '=', id)]),
      ]),
    );
  }
  if (f.actionPrefix) q = q.where(sql<string>`substr(${sql.ref('a.action')}, 1, ${sql.lit(f.actionPrefix.length)})`, '=', f.actionPrefix);
  if (f.from) q = q.where('a.at', '>=', f.from);
  if (f.until) q = q.where('a.at', '<', f.until);
  if (f.before) {
    const { at, id } = f.before;
    q = q.where((eb) => eb.or([eb('a.at', '<', at), eb.and([eb('a.at', '=', at), eb('a.id', '<', id)])]));
  }
  return q.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(limit + 1).execute();
}

export type AuditRow = Awaited<ReturnType<typeof auditPage>>[number];

/** The staff, for the filter's list: every member, disabled ones too (their past actions stay). */
export function staffForFilter(db: Db) {
  return db.selectFrom('staff_members').select(['id', 'display_name', 'email']).orderBy('display_name').orderBy('email').execute();
}

/** A customer's id from their number, for the filter. */
export async function customerIdByNumber(db: Db, number: string): Promise<string | undefined> {
  const row = await db.selectFrom('customers').select('id').where('number', '=', number).executeTakeFirst();
  return row?.id;
}
