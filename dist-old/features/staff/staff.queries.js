/* What the staff's pages read: members by e-mail, by enrolment link, by id; the team. */
/** A member by their login e-mail (lower case), with what the login checks. */
export function findMemberByEmail(db, email) {
    return db
        .selectFrom('staff_members')
        .select(['id', 'email', 'display_name', 'role', 'state', 'password_hash', 'totp_secret_encrypted'])
        .where('email', '=', email)
        .executeTakeFirst();
}
/** The invited member an enrolment link (by its token's hash) is for, while it is valid. */
export function findEnrolment(db, tokenHash, now) {
    return db
        .selectFrom('staff_members')
        .select(['id', 'email', 'display_name', 'role', 'totp_secret_encrypted'])
        .where('enrolment_token_hash', '=', tokenHash)
        .where('enrolment_expires_at', '>', now)
        .where('state', '=', 'invited')
        .executeTakeFirst();
}
/** A member's sealed TOTP secret and last accepted step. */
export function secondFactorOf(db, staffId) {
    return db.selectFrom('staff_members').select(['totp_secret_encrypted', 'totp_last_step']).where('id', '=', staffId).executeTakeFirst();
}
/** One member, as the team page shows them. */
export function findMember(db, id) {
    return db
        .selectFrom('staff_members')
        .select(['id', 'email', 'display_name', 'role', 'state', 'last_login_at', 'disabled_at', 'created_at', 'enrolment_expires_at'])
        .where('id', '=', id)
        .executeTakeFirst();
}
/** Every member: active first, then invited, then disabled; by name, then e-mail. */
export function listTeam(db) {
    return db
        .selectFrom('staff_members')
        .select(['id', 'email', 'display_name', 'role', 'state', 'last_login_at', 'disabled_at', 'created_at', 'enrolment_expires_at'])
        .orderBy((eb) => eb.case().when('state', '=', 'active').then(0).when('state', '=', 'invited').then(1).else(2).end())
        .orderBy('display_name')
        .orderBy('email')
        .execute();
}
/** How many admins can log in now. */
export async function countActiveAdmins(db) {
    const row = await db
        .selectFrom('staff_members')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('role', '=', 'admin')
        .where('state', '=', 'active')
        .executeTakeFirstOrThrow();
    return Number(row.n);
}
//# sourceMappingURL=staff.queries.js.map