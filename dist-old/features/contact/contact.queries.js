import { verifiedAddresses } from '../customers/customers.service.js';
/** The customer's contracts to choose from: current ones first, then ended ones. */
export async function contractChoices(db, customerId) {
    const rows = await db
        .selectFrom('contracts as k')
        .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
        .select(['k.id', 'k.number', 'k.status', 'p.name as car_park_name'])
        .where('k.customer_id', '=', customerId)
        .orderBy('k.start_date', 'desc')
        .orderBy('k.number')
        .execute();
    return [...rows.filter((r) => r.status !== 'ended'), ...rows.filter((r) => r.status === 'ended')];
}
/** "Mes demandes", newest first. */
export function listRequests(db, customerId) {
    return db
        .selectFrom('contact_requests as r')
        .leftJoin('contracts as k', 'k.id', 'r.contract_id')
        .select(['r.id', 'r.reference', 'r.created_at', 'r.category', 'r.status', 'k.number as contract_number'])
        .where('r.customer_id', '=', customerId)
        .orderBy('r.created_at', 'desc')
        .orderBy('r.reference', 'desc')
        .execute();
}
/**
 * One request of this customer by its reference, with its attachments (the request's own and
 * those of the customer's answers) and its conversation as the customer sees it: never the
 * staff's internal notes. Undefined when the request is not theirs.
 */
export async function findRequest(db, customerId, reference) {
    const request = await db
        .selectFrom('contact_requests as r')
        .leftJoin('contracts as k', 'k.id', 'r.contract_id')
        .leftJoin('car_parks as p', 'p.id', 'k.car_park_id')
        .selectAll('r')
        .select(['k.number as contract_number', 'p.name as car_park_name'])
        .where('r.customer_id', '=', customerId)
        .where('r.reference', '=', reference)
        .executeTakeFirst();
    if (!request)
        return undefined;
    const [attachments, messages] = await Promise.all([
        attachmentsOf(db, request.id),
        db
            .selectFrom('contact_messages')
            .select(['id', 'author_type', 'body', 'created_at'])
            .where('request_id', '=', request.id)
            .where('internal', '=', 0)
            .orderBy('created_at')
            .orderBy('id')
            .execute(),
    ]);
    return { ...request, attachments, messages };
}
/** A request's attachments, the request's own (`message_id` null) and its answers'. */
export function attachmentsOf(db, requestId) {
    return db
        .selectFrom('contact_attachments')
        .select(['id', 'message_id', 'original_name', 'content_type', 'size_bytes', 'sha256'])
        .where('request_id', '=', requestId)
        .orderBy('created_at')
        .orderBy('original_name')
        .execute();
}
/** One attachment of one of this customer's requests; undefined when not theirs. */
export function findOwnAttachment(db, customerId, reference, attachmentId) {
    return db
        .selectFrom('contact_attachments as a')
        .innerJoin('contact_requests as r', 'r.id', 'a.request_id')
        .select(['a.id', 'a.original_name', 'a.content_type', 'a.size_bytes', 'a.sha256'])
        .where('r.customer_id', '=', customerId)
        .where('r.reference', '=', reference)
        .where('a.id', '=', attachmentId)
        .executeTakeFirst();
}
/** The customer's verified e-mail addresses: the only ones that get mail. */
export async function verifiedAddressesOf(db, customerId) {
    const c = await db
        .selectFrom('customers')
        .select(['email_primary', 'email_primary_verified_at', 'email_secondary', 'email_secondary_verified_at'])
        .where('id', '=', customerId)
        .executeTakeFirst();
    return c ? verifiedAddresses(c) : [];
}
//# sourceMappingURL=contact.queries.js.map