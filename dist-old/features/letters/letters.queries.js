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
    'c.email_primary',
    'c.email_primary_verified_at',
    'c.email_secondary',
    'c.email_secondary_verified_at',
];
/** The customers of these numbers, by number (those that exist). */
export function lettersTo(db, numbers) {
    return db.selectFrom('customers as c').select(letterColumns).where('c.number', 'in', numbers.length > 0 ? [...numbers] : ['']).orderBy('c.number').execute();
}
/** The customers who have never activated their account — no login yet, or one still `not_activated`: the one definition the list and the count share. */
const neverActivatedCustomers = (db) => db
    .selectFrom('customers as c')
    .leftJoin('customer_logins as a', 'a.customer_id', 'c.id')
    .where((eb) => eb.or([eb('a.state', 'is', null), eb('a.state', '=', 'not_activated')]));
/** Every customer who has never activated their account. */
export function neverActivated(db) {
    return neverActivatedCustomers(db).select(letterColumns).orderBy('c.number').execute();
}
/** How many customers have never activated their account. */
export async function countNeverActivated(db) {
    const row = await neverActivatedCustomers(db)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
    return Number(row.n);
}
/** The latest batches printed, newest first, with who printed them. */
export function recentBatches(db, limit = 20) {
    return db
        .selectFrom('letter_batches as b')
        .innerJoin('staff_members as m', 'm.id', 'b.staff_id')
        .select(['b.id', 'b.letter_count', 'b.created_at', 'm.display_name as staff_name'])
        .orderBy('b.created_at', 'desc')
        .orderBy('b.id')
        .limit(limit)
        .execute();
}
export function findBatch(db, id) {
    return db.selectFrom('letter_batches').select(['id', 'csv', 'created_at', 'letter_count']).where('id', '=', id).executeTakeFirst();
}
//# sourceMappingURL=letters.queries.js.map