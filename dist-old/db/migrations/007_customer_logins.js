import { sql } from 'kysely';
/*
 * A customer's login to the portal (state, temporary password, password) was `portal_accounts`;
 * "account" is the "Mon compte" page. The table now says what it holds.
 */
export async function up(db) {
    await db.schema.alterTable('portal_accounts').renameTo('customer_logins').execute();
    // The throttle's keys per customer number follow the name: failures and holds in progress carry over.
    await sql `update login_throttle set key = 'login:' || substr(key, 9) where key like 'account:%'`.execute(db);
}
export async function down(db) {
    await sql `update login_throttle set key = 'account:' || substr(key, 7) where key like 'login:%'`.execute(db);
    await db.schema.alterTable('customer_logins').renameTo('portal_accounts').execute();
}
//# sourceMappingURL=007_customer_logins.js.map