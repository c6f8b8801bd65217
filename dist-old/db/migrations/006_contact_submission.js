/* A contact form carries a one-time submission id: sending it twice (a double click) records one request. */
export async function up(db) {
    await db.schema.alterTable('contact_requests').addColumn('submission_id', 'text').execute();
    await db.schema.createIndex('contact_requests_submission').on('contact_requests').columns(['customer_id', 'submission_id']).unique().execute();
}
export async function down(db) {
    await db.schema.dropIndex('contact_requests_submission').execute();
    await db.schema.alterTable('contact_requests').dropColumn('submission_id').execute();
}
//# sourceMappingURL=006_contact_submission.js.map