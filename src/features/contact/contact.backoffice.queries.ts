import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ContactCategory, ContactStatus } from '../../db/schema.ts';
import { DAY } from '../../lib/clock.ts';
import { customerNameColumns } from '../customers/customers.service.ts';
import { attachmentsOf } from './contact.queries.ts';
import { WAITING_ON_STAFF } from './contact.rules.ts';

/* What the back office reads of contact requests: the inbox, and one request whole. */

export interface InboxFilters {
  /** `open`: every request not closed; `waiting`: those waiting for customer service (`WAITING_ON_STAFF`); `all`: every one. */
  state: ContactStatus | 'open' | 'waiting' | 'all';
  category?: ContactCategory | undefined;
  /** A contract's number. */
  contract?: string | undefined;
  /** Received more than this many days ago. */
  olderThanDays?: number | undefined;
  /** `me`: assigned to the member asking; `nobody`: to nobody. */
  assignee?: 'me' | 'nobody' | undefined;
}

/**
 * The inbox's order, "the oldest waiting first": what waits for the staff (new and in
 * progress), then what waits for the customer, then what is closed; in each, the oldest first.
 */
const waitingRank = sql<number>`case r.status when 'received' then 0 when 'in_progress' then 0 when 'waiting_customer' then 1 else 2 end`;

function inboxQuery(db: Db, f: InboxFilters, staffId: string, now: Date) {
  return db
    .selectFrom('contact_requests as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .leftJoin('contracts as k', 'k.id', 'r.contract_id')
    .leftJoin('staff_members as s', 's.id', 'r.assigned_staff_id')
    .$if(f.state === 'open', (q) => q.where('r.status', '!=', 'closed'))
    .$if(f.state === 'waiting', (q) => q.where('r.status', 'in', WAITING_ON_STAFF))
    .$if(f.state !== 'open' && f.state !== 'waiting' && f.state !== 'all', (q) => q.where('r.status', '=', f.state as ContactStatus))
    .$if(f.category !== undefined, (q) => q.where('r.category', '=', f.category!))
    .$if(f.contract !== undefined, (q) => q.where('k.number', '=', f.contract!))
    .$if(f.olderThanDays !== undefined, (q) => q.where('r.created_at', '<=', new Date(now.getTime() - f.olderThanDays! * DAY).toISOString()))
    .$if(f.assignee === 'me', (q) => q.where('r.assigned_staff_id', '=', staffId))
    .$if(f.assignee === 'nobody', (q) => q.where('r.assigned_staff_id', 'is', null));
}

export interface InboxRow {
  id: string;
  reference: string;
  category: ContactCategory;
  status: ContactStatus;
  created_at: string;
  customer_number: string;
  customer_kind: string;
  last_name: string;
  first_name: string | null;
  company_name: string | null;
  contract_number: string | null;
  assignee_name: string | null;
}

/** One page of the inbox under these filters, and how many requests they match. */
export async function inboxPage(
  db: Db,
  filters: InboxFilters,
  staffId: string,
  now: Date,
  page: { limit: number; offset: number },
): Promise<{ rows: InboxRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    inboxQuery(db, filters, staffId, now)
      .select([
        'r.id',
        'r.reference',
        'r.category',
        'r.status',
        'r.created_at',
        ...customerNameColumns,
        'k.number as contract_number',
        's.display_name as assignee_name',
      ])
      .orderBy(waitingRank)
      .orderBy('r.created_at')
      .orderBy('r.reference')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    inboxQuery(db, filters, staffId, now)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** How many requests these filters match, and when the oldest of them was received (null when none): a queue on the back office's home. */
export async function inboxSummary(db: Db, filters: InboxFilters, staffId: string, now: Date): Promise<{ count: number; oldest: string | null }> {
  const row = await inboxQuery(db, filters, staffId, now)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('r.created_at').as('oldest')])
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ?? null };
}

/**
 * One request as the staff see it, by its reference: the customer, the contract, who deals
 * with it, its attachments and its whole conversation — internal notes included, each with
 * its author.
 */
export async function findRequestForStaff(db: Db, reference: string) {
  const request = await db
    .selectFrom('contact_requests as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .leftJoin('contracts as k', 'k.id', 'r.contract_id')
    .leftJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .leftJoin('staff_members as s', 's.id', 'r.assigned_staff_id')
    .selectAll('r')
    .select([
      ...customerNameColumns,
      'c.language as customer_language',
      'c.email_primary',
      'c.email_primary_verified_at',
      'c.email_secondary',
      'c.email_secondary_verified_at',
      'k.number as contract_number',
      'p.name as car_park_name',
      's.display_name as assignee_name',
    ])
    .where('r.reference', '=', reference)
    .executeTakeFirst();
  if (!request) return undefined;
  const [attachments, messages] = await Promise.all([
    attachmentsOf(db, request.id),
    db
      .selectFrom('contact_messages as m')
      .leftJoin('staff_members as s', 's.id', 'm.staff_id')
      .select(['m.id', 'm.author_type', 'm.internal', 'm.body', 'm.created_at', 's.display_name as staff_name'])
      .where('m.request_id', '=', request.id)
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute(),
  ]);
  return { ...request, attachments, messages };
}

export type StaffRequestDetails = NonNullable<Awaited<ReturnType<typeof findRequestForStaff>>>;

/** One attachment of the request of this reference, with what its audit entry names; undefined when there is none. */
export function findAttachmentForStaff(db: Db, reference: string, attachmentId: string) {
  return db
    .selectFrom('contact_attachments as a')
    .innerJoin('contact_requests as r', 'r.id', 'a.request_id')
    .select(['a.id', 'a.original_name', 'a.content_type', 'a.size_bytes', 'a.sha256', 'r.customer_id', 'r.reference'])
    .where('r.reference', '=', reference)
    .where('a.id', '=', attachmentId)
    .executeTakeFirst();
}

/** The members a request may be assigned to: every active one, by name. */
export function assignableStaff(db: Db) {
  return db.selectFrom('staff_members').select(['id', 'display_name']).where('state', '=', 'active').orderBy('display_name').orderBy('id').execute();
}
