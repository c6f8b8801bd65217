/*
 * The ERP's feeds are kept `INTEGRATION_EVENTS_RETENTION_DAYS` (the job `events-purge`): the
 * purge finds the old events by their date.
 */
export async function up(db) {
    await db.schema.createIndex('integration_events_created').on('integration_events').column('created_at').execute();
}
export async function down(db) {
    await db.schema.dropIndex('integration_events_created').execute();
}
//# sourceMappingURL=019_integration_events_retention.js.map