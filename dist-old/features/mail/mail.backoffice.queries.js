import { sql } from 'kysely';
import { contentForgotten } from '../../lib/mail/outbox.js';
/*
 * The outbox as customer service sees it (`/gestion/emails`): who a message is for, its
 * subject and kind, where it stands, its tries and last error, its dates. Never its bodies nor
 * its headers — they may hold a reset link, a verification link, a signing code, an
 * unsubscribe token — which these queries never select (whether it still has them is asked
 * of the database, `contentForgotten`).
 */
/** What the list filters on: pending ones apart, those failing (being retried) are a state of their own. */
export const OUTBOX_STATES = ['pending', 'failing', 'sent', 'dead'];
/** `%` and `_` typed are looked for as such. */
const likePattern = (typed) => `%${typed.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
function filtered(db, f) {
    let q = db.selectFrom('outbox');
    if (f.state === 'failing')
        q = q.where('status', '=', 'pending').where('attempts', '>', 0);
    else if (f.state === 'pending')
        q = q.where('status', '=', 'pending').where('attempts', '=', 0);
    else if (f.state)
        q = q.where('status', '=', f.state);
    if (f.recipient !== '')
        q = q.where(sql `lower(recipient) like ${likePattern(f.recipient)} escape '\\'`);
    if (f.template)
        q = q.where('template', '=', f.template);
    return q;
}
/** How many messages match the filters. */
export async function countOutbox(db, f) {
    const { n } = await filtered(db, f)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
    return Number(n);
}
/** One page of the messages matching the filters, newest first, and how many match. */
export async function listOutbox(db, now, f, page, pageSize) {
    const n = await countOutbox(db, f);
    const rows = await filtered(db, f)
        .select(['id', 'recipient', 'subject', 'template', 'status', 'attempts', 'last_error', 'created_at', 'sent_at', 'next_attempt_at', 'locked_until', contentForgotten.as('forgotten')])
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
    return {
        total: n,
        rows: rows.map((r) => ({
            id: r.id,
            recipient: r.recipient,
            subject: r.subject,
            template: r.template,
            status: r.status,
            attempts: r.attempts,
            lastError: r.last_error,
            createdAt: r.created_at,
            sentAt: r.sent_at,
            nextAttemptAt: r.next_attempt_at,
            inFlight: r.status === 'pending' && r.locked_until !== null && r.locked_until > now,
            forgotten: Number(r.forgotten) === 1,
        })),
    };
}
/** The kinds of message in the outbox, for the filter. */
export async function outboxTemplates(db) {
    const rows = await db.selectFrom('outbox').select('template').distinct().orderBy('template').execute();
    return rows.map((r) => r.template).filter((t) => t !== '');
}
/** Whom a message was for and its kind (the notice after a retry names them). */
export function outboxMessage(db, id) {
    return db.selectFrom('outbox').select(['recipient', 'template']).where('id', '=', id).executeTakeFirst();
}
//# sourceMappingURL=mail.backoffice.queries.js.map