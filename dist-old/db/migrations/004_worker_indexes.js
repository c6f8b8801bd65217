/* Indexes for what the worker looks up every round, so it never scans whole tables. */
export async function up(db) {
    await db.schema.createIndex('financial_documents_to_notify').on('financial_documents').columns(['notified_at', 'published_at']).execute();
    await db.schema.createIndex('newsletter_subscriptions_status').on('newsletter_subscriptions').columns(['status', 'confirm_expires_at']).execute();
    await db.schema.createIndex('sepa_mandates_status').on('sepa_mandates').columns(['status', 'updated_at']).execute();
    await db.schema.createIndex('sandbox_webhooks_event').on('sandbox_webhooks').column('event_id').execute();
}
export async function down(db) {
    for (const i of ['sandbox_webhooks_event', 'sepa_mandates_status', 'newsletter_subscriptions_status', 'financial_documents_to_notify']) {
        await db.schema.dropIndex(i).execute();
    }
}
//# sourceMappingURL=004_worker_indexes.js.map