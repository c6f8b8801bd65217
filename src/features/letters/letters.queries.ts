import type { Db } from '../../db/database.ts';
import { verifiedAddressColumns } from '../customers/customers.service.ts';

/** What a letter needs of its customer: names, postal address, language, and the addresses a notice may go to. */
export const letterColumns = [
  'c.id',
  'c.number',
  'c.kind',
  'c.civility',
  'c.last_name',
  'c.first_name',
  'c.company_name',
  'c.address_line1',
  'c.address_line2',
  'c.postal_code',
  'c.city',
  'c.country',
  'c.language',
  ...verifiedAddressColumns,
] as const;

export type LetterRecipient = Awaited<ReturnType<typeof lettersTo>>[number];

/** The customers of these numbers, by number (those that exist). */
export function lettersTo(db: Db, numbers: readonly string[]) {
  return db.selectFrom('customers as c').select(letterColumns).where('c.number', 'in', numbers.length > 0 ? [...numbers] : ['']).orderBy('c.number').execute();
}

/** The customers who have never activated their account — no login yet, or one still `not_activated`: the one definition the list and the count share. */
const neverActivatedCustomers = (db: Db) =>
  db
    .selectFrom('customers as c')
    .leftJoin('customer_logins as a', 'a.customer_id', 'c.id')
    .where((eb) => eb.or([eb('a.state', 'is', null), eb('a.state', '=', 'not_activated')]));

/** Every customer who has never activated their account. */
export function neverActivated(db: Db) {
  return neverActivatedCustomers(db).select(letterColumns).orderBy('c.number').execute();
}

/** How many customers have never activated their account. */
export async function countNeverActivated(db: Db): Promise<number> {
  const row = await neverActivatedCustomers(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest batches printed, newest first, with who printed them. */
export function recentBatches(db: Db, limit = 20) {
  return db
    .selectFrom('letter_batches as b')
    .innerJoin('staff_members as m', 'm.id', 'b.staff_id')
    .select(['b.id', 'b.letter_count', 'b.created_at', 'm.display_name as staff_name'])
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id')
    .limit(limit)
    .execute();
}

export function findBatch(db: Db, id: string) {
  return db.selectFrom('letter_batches').select(['id', 'csv', 'created_at', 'letter_count']).where('id', '=', id).executeTakeFirst();
}
