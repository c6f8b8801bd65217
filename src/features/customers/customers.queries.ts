import type { Db } from '../../db/database.ts';
import type { Language } from '../../db/schema.ts';

/** Whether the customer receives their documents by e-mail (paperless consent). */
export async function isPaperless(db: Db, customerId: string): Promise<boolean> {
  const row = await db.selectFrom('customers').select('paperless').where('id', '=', customerId).executeTakeFirstOrThrow();
  return row.paperless === 1;
}

/** The language the customer's e-mails and pages speak, as they last chose it. */
export async function setLanguage(db: Db, customerId: string, lang: Language): Promise<void> {
  await db.updateTable('customers').set({ language: lang }).where('id', '=', customerId).execute();
}
