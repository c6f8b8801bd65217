/*
 * The outbox no longer keeps what a message said once it has left (or been given up): its
 * bodies and headers held reset links, verification links and signing codes. What the back
 * office shows stays — recipient, subject, status, dates, attempts, last error — and the kind
 * of message, `template`: the dedupe key's first part (`reset:<id>:<address>` → `reset`).
 * Finished messages are then deleted after `OUTBOX_RETENTION_DAYS` (the job `outbox-purge`),
 * which the index on (status, created_at) serves.
 */
export async function up(db) {
    await db.schema.alterTable('outbox').addColumn('template', 'text', (c) => c.notNull().defaultTo('')).execute();
    // The same expression on both databases is not at hand (`instr` / `strpos`): fill it here.
    const rows = await db.selectFrom('outbox').select(['id', 'dedupe_key']).execute();
    const byTemplate = new Map();
    for (const r of rows) {
        const template = r.dedupe_key.split(':')[0];
        byTemplate.set(template, [...(byTemplate.get(template) ?? []), r.id]);
    }
    for (const [template, ids] of byTemplate) {
        for (let i = 0; i < ids.length; i += 500) {
            await db.updateTable('outbox').set({ template }).where('id', 'in', ids.slice(i, i + 500)).execute();
        }
    }
    await db.updateTable('outbox').set({ text_body: '', html_body: '', headers: '{}' }).where('status', 'in', ['sent', 'dead']).execute();
    await db.schema.createIndex('outbox_finished').on('outbox').columns(['status', 'created_at']).execute();
}
export async function down(db) {
    await db.schema.dropIndex('outbox_finished').execute();
    await db.schema.alterTable('outbox').dropColumn('template').execute();
}
//# sourceMappingURL=008_outbox_retention.js.map