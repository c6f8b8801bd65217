import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { DAY, newId, nowIso } from '../clock.js';
import { operatorSettings } from '../../features/settings/settings.queries.js';
import { composeMail } from './compose.js';
/** The kind of message a dedupe key names: its first part (`reset:<id>:<address>` → `reset`). */
export const templateOf = (dedupeKey) => dedupeKey.slice(0, dedupeKey.indexOf(':'));
/** What a sent or given-up message keeps of its content: nothing (set with its final status). */
export const CONTENT_FORGOTTEN = { text_body: '', html_body: '', headers: '{}' };
export function messageIdFor(dedupeKey, config) {
    const host = new URL(config.PUBLIC_URL).hostname;
    return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40)}@${host}>`;
}
/** Queues one e-mail; returns false when a message with this dedupe key was already queued. */
export async function enqueueMail(db, clock, config, mail) {
    const { subject, text, html } = composeMail(await operatorSettings(db, config), mail.lang, mail.content);
    const now = nowIso(clock);
    const r = await db
        .insertInto('outbox')
        .values({
        id: newId(),
        dedupe_key: mail.dedupeKey,
        template: templateOf(mail.dedupeKey),
        recipient: mail.to,
        subject,
        text_body: text,
        html_body: html,
        headers: JSON.stringify(mail.headers ?? {}),
        message_id: messageIdFor(mail.dedupeKey, config),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        locked_by: null,
        last_error: null,
        created_at: now,
        sent_at: null,
    })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}
/** Whether a message's content was forgotten (`CONTENT_FORGOTTEN`): a column expression, so that its bodies are never read to know it. */
export const contentForgotten = sql `case when text_body = '' then 1 else 0 end`;
/**
 * Sends a failed message again (customer service's "retry"): a message given up, or one still
 * being retried, goes back to pending with its attempts reset, due now. Only while its content
 * is still there: a message given up has forgotten it (it may have held a link or a code that
 * has expired since), so it cannot be sent again — the action that produced it must be done
 * again, which makes a new message. A message sent, waiting for its first try, or in a
 * worker's hands is left as it is.
 */
export async function requeueMessage(db, clock, id) {
    const now = nowIso(clock);
    const m = await db
        .selectFrom('outbox')
        .select(['recipient', 'template', 'status', 'attempts', 'locked_until', contentForgotten.as('forgotten')])
        .where('id', '=', id)
        .executeTakeFirst();
    if (!m)
        return { outcome: 'not_found' };
    const message = { recipient: m.recipient, template: m.template, status: m.status };
    if (m.status === 'sent')
        return { outcome: 'already_sent', message };
    if (Number(m.forgotten) === 1)
        return { outcome: 'content_forgotten', message };
    if (m.status === 'pending' && m.attempts === 0)
        return { outcome: 'not_failed', message };
    if (m.locked_until && m.locked_until > now)
        return { outcome: 'in_flight', message };
    const done = await db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, locked_by: null })
        .where('id', '=', id)
        .where('status', '=', m.status)
        .where('text_body', '!=', '')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .executeTakeFirst();
    return { outcome: Number(done.numUpdatedRows) === 1 ? 'requeued' : 'in_flight', message };
}
/**
 * Deletes the messages sent or given up more than `OUTBOX_RETENTION_DAYS` ago (counted from
 * when they were queued); pending ones stay whatever their age. For a periodic job.
 */
export async function purgeOutbox(db, clock, config) {
    const before = new Date(clock.now().getTime() - config.OUTBOX_RETENTION_DAYS * DAY).toISOString();
    const r = await db.deleteFrom('outbox').where('status', 'in', ['sent', 'dead']).where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
}
//# sourceMappingURL=outbox.js.map