import { sql } from 'kysely';
/* E-mail outbox, verification and reset tokens, contact requests, newsletter, document notifications. */
export async function up(db) {
    await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('html_body', 'text', (c) => c.notNull())
        .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('pending', 'sent', 'dead')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
    await db.schema
        .createTable('email_verifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('email_verifications_customer').on('email_verifications').column('customer_id').execute();
    await db.schema
        .createTable('password_resets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('password_resets_customer').on('password_resets').column('customer_id').execute();
    await db.schema
        .createTable('contact_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('contract_id', 'text', (c) => c.references('contracts.id'))
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('new_plate', 'text')
        .addColumn('effective_date', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('received', 'in_progress', 'closed')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('contact_requests_customer').on('contact_requests').columns(['customer_id', 'created_at']).execute();
    await db.schema
        .createTable('contact_attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('contact_requests.id').onDelete('cascade'))
        .addColumn('original_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('contact_attachments_request').on('contact_attachments').column('request_id').execute();
    await db.schema
        .createTable('newsletter_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('language', 'text', (c) => c.notNull().defaultTo('fr'))
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('pending', 'confirmed', 'unsubscribed')`))
        .addColumn('confirm_token_hash', 'text')
        .addColumn('confirm_expires_at', 'text')
        .addColumn('unsubscribe_token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('unsubscribed_at', 'text')
        .execute();
    await db.schema.alterTable('financial_documents').addColumn('notified_at', 'text').execute();
}
export async function down(db) {
    await db.schema.alterTable('financial_documents').dropColumn('notified_at').execute();
    for (const t of ['newsletter_subscriptions', 'contact_attachments', 'contact_requests', 'password_resets', 'email_verifications', 'outbox']) {
        await db.schema.dropTable(t).execute();
    }
}
//# sourceMappingURL=002_mail_and_requests.js.map