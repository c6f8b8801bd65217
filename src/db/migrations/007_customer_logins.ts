import type { Kysely } from 'kysely';

/*
 * A customer's login to the portal (state, temporary password, password) was `portal_accounts`;
 * "account" is the "Mon compte" page. The table now says what it holds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_accounts').renameTo('customer_logins').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customer_logins').renameTo('portal_accounts').execute();
}
