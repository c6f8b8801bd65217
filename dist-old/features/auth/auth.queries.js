/** A customer's login by the number they typed: what a login attempt checks. */
export function findLoginByNumber(db, number) {
    return db
        .selectFrom('customers as c')
        .innerJoin('customer_logins as a', 'a.customer_id', 'c.id')
        .select(['c.id', 'a.state', 'a.password_hash', 'a.temp_password_hash', 'a.temp_password_expires_at'])
        .where('c.number', '=', number)
        .executeTakeFirst();
}
/** What the first-login form starts from: the addresses and choice the operator already has. */
export function findFirstLoginValues(db, customerId) {
    return db.selectFrom('customers').select(['email_primary', 'email_secondary', 'paperless']).where('id', '=', customerId).executeTakeFirstOrThrow();
}
/** What the password policy checks a new password against, and the temporary password it must differ from. */
export function findActivationCustomer(db, customerId) {
    return db
        .selectFrom('customers as c')
        .innerJoin('customer_logins as a', 'a.customer_id', 'c.id')
        .select(['c.number', 'c.last_name', 'c.first_name', 'c.company_name', 'a.temp_password_hash'])
        .where('c.id', '=', customerId)
        .executeTakeFirstOrThrow();
}
/** The current password's hash, for a page that asks for it again. */
export async function passwordHashOf(db, customerId) {
    const row = await db.selectFrom('customer_logins').select('password_hash').where('customer_id', '=', customerId).executeTakeFirstOrThrow();
    return row.password_hash;
}
//# sourceMappingURL=auth.queries.js.map