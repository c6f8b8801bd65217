/** The events of a feed after `after` (an event id), in the order they were committed, with their customer's number. */
export function feedEventsAfter(db, feed, after, limit) {
    return db
        .selectFrom('integration_events as e')
        .innerJoin('customers as c', 'c.id', 'e.customer_id')
        .select(['e.id', 'e.type', 'e.customer_id', 'e.subject_id', 'e.origin', 'e.payload', 'e.created_at', 'c.number as customer_number'])
        .where('e.feed', '=', feed)
        .where('e.id', '>', after)
        .orderBy('e.id')
        .limit(limit)
        .execute();
}
/** The sealed IBANs of these mandates, by mandate id. */
export async function sealedIbans(db, mandateIds) {
    if (mandateIds.length === 0)
        return [];
    return db.selectFrom('sepa_mandates').select(['id', 'rum', 'customer_id', 'iban_encrypted']).where('id', 'in', mandateIds).execute();
}
//# sourceMappingURL=feeds.queries.js.map