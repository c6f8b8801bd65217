import type { Db } from '../../db/database.ts';

/** Whether the customer receives their documents by e-mail (paperless consent). */
export async function isPaperless(db: Db, customerId: string): Promise<boolean> {
  const row = await db.selectFrom('customers').select('paperless').where('id', '=', customerId).executeTakeFirstOrThrow();
  return row.paperless === 1;
}
