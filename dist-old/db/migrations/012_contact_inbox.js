import { sql } from 'kysely';
/*
 * The contact requests' inbox in the back office (issue 10): a request may now wait for the
 * customer's answer (`waiting_customer`), is assigned to a staff member, is closed at a date,
 * and carries a conversation — the customer's and the staff's messages, and the staff's
 * internal notes, which the customer never sees. An attachment belongs to the request itself
 * (no `message_id`) or to a later message of the customer.
 *
 * The state's CHECK constraint cannot be altered in SQLite. Rather than rebuild the table (a
 * DROP of `contact_requests` would, with foreign keys on, cascade to its attachments), the
 * state moves to a new column under the new constraint, the old column and its constraint are
 * dropped, and the new one takes the old name: the same statements on both databases, every
 * row, index and foreign key kept.
 */
/** Moves `contact_requests.status` to a column allowing `states`, each row's value given by `value`. */
async function replaceStatusColumn(db, states, value) {
    const allowed = sql.join(states.map((s) => sql.lit(s)));
    // Both databases carry the constraint over to the column's new name.
    await db.schema
        .alterTable('contact_requests')
        .addColumn('status_new', 'text', (c) => c.notNull().defaultTo('received').check(sql `status_new in (${allowed})`))
        .execute();
    await sql `update contact_requests set status_new = ${value}`.execute(db);
    await db.schema.alterTable('contact_requests').dropColumn('status').execute();
    await db.schema.alterTable('contact_requests').renameColumn('status_new', 'status').execute();
}
export async function up(db) {
    await replaceStatusColumn(db, ['received', 'in_progress', 'waiting_customer', 'closed'], sql `status`);
    await db.schema.alterTable('contact_requests').addColumn('assigned_staff_id', 'text', (c) => c.references('staff_members.id')).execute();
    await db.schema.alterTable('contact_requests').addColumn('closed_at', 'text').execute();
    // The inbox: by state, oldest first; "assigned to me".
    await db.schema.createIndex('contact_requests_inbox').on('contact_requests').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('contact_requests_assignee').on('contact_requests').columns(['assigned_staff_id', 'status']).execute();
    await db.schema
        .createTable('contact_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('contact_requests.id').onDelete('cascade'))
        .addColumn('author_type', 'text', (c) => c.notNull().check(sql `author_type in ('customer', 'staff')`))
        // The staff member who wrote it; null for the customer's messages.
        .addColumn('staff_id', 'text', (c) => c.references('staff_members.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        // 1: an internal note of the staff, never shown to the customer nor e-mailed.
        .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0).check(sql `internal in (0, 1)`))
        // The form's one-time id: the same form sent twice records one message.
        .addColumn('submission_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('contact_messages_internal_by_staff', sql `author_type = 'staff' or internal = 0`)
        .execute();
    await db.schema.createIndex('contact_messages_request').on('contact_messages').columns(['request_id', 'created_at']).execute();
    await db.schema.createIndex('contact_messages_submission').on('contact_messages').columns(['request_id', 'submission_id']).unique().execute();
    // An attachment of a later message (the customer's answer); null: of the request itself.
    await db.schema.alterTable('contact_attachments').addColumn('message_id', 'text', (c) => c.references('contact_messages.id')).execute();
}
export async function down(db) {
    // The answers' attachments go with their messages; the request's own stay.
    await sql `delete from contact_attachments where message_id is not null`.execute(db);
    await db.schema.alterTable('contact_attachments').dropColumn('message_id').execute();
    await db.schema.dropTable('contact_messages').execute();
    await db.schema.dropIndex('contact_requests_assignee').execute();
    await db.schema.dropIndex('contact_requests_inbox').execute();
    await db.schema.alterTable('contact_requests').dropColumn('closed_at').execute();
    await db.schema.alterTable('contact_requests').dropColumn('assigned_staff_id').execute();
    await replaceStatusColumn(db, ['received', 'in_progress', 'closed'], sql `case when status = 'waiting_customer' then 'in_progress' else status end`);
}
//# sourceMappingURL=012_contact_inbox.js.map