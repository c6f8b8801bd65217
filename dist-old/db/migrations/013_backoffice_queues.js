import { sql } from 'kysely';
/*
 * The back office's queues (issue 10):
 *
 * - Mandates say how they came (`source`: signed online, or a paper form received by post and
 *   recorded by customer service) and who decided on them, when (`decided_by`, `decided_at`:
 *   the member who validated or rejected a signed mandate, or recorded a paper one). A mandate
 *   that exists already and was never signed through the portal (no signature evidence) but
 *   is past the signing step came on paper.
 * - Documents sent on paper: `print_batches`, one per batch handed to the print shop, and on
 *   each document `printed_at` / `print_batch_id`. The documents already published when this
 *   runs were sent by whatever served paper customers until now: they are marked printed (with
 *   no batch), so the first batch is not the whole history.
 */
export async function up(db) {
    await db.schema
        .alterTable('sepa_mandates')
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('online').check(sql `source in ('online', 'paper')`))
        .execute();
    await db.schema.alterTable('sepa_mandates').addColumn('decided_by', 'text', (c) => c.references('staff_members.id')).execute();
    await db.schema.alterTable('sepa_mandates').addColumn('decided_at', 'text').execute();
    await db
        .updateTable('sepa_mandates')
        .set({ source: 'paper' })
        .where('signature_evidence', 'is', null)
        .where('status', '!=', 'awaiting_signature')
        .execute();
    await db.schema
        .createTable('print_batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_by', 'text', (c) => c.notNull().references('staff_members.id'))
        .addColumn('customer_count', 'integer', (c) => c.notNull())
        .addColumn('document_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.alterTable('financial_documents').addColumn('printed_at', 'text').execute();
    await db.schema.alterTable('financial_documents').addColumn('print_batch_id', 'text', (c) => c.references('print_batches.id')).execute();
    await db.updateTable('financial_documents').set({ printed_at: sql `published_at` }).where('published_at', 'is not', null).where('notified_at', 'is', null).execute();
    await db.schema.createIndex('financial_documents_to_print').on('financial_documents').columns(['printed_at', 'notified_at', 'customer_id']).execute();
    await db.schema.createIndex('financial_documents_print_batch').on('financial_documents').column('print_batch_id').execute();
}
export async function down(db) {
    await db.schema.dropIndex('financial_documents_print_batch').execute();
    await db.schema.dropIndex('financial_documents_to_print').execute();
    await db.schema.alterTable('financial_documents').dropColumn('print_batch_id').execute();
    await db.schema.alterTable('financial_documents').dropColumn('printed_at').execute();
    await db.schema.dropTable('print_batches').execute();
    await db.schema.alterTable('sepa_mandates').dropColumn('decided_at').execute();
    await db.schema.alterTable('sepa_mandates').dropColumn('decided_by').execute();
    await db.schema.alterTable('sepa_mandates').dropColumn('source').execute();
}
//# sourceMappingURL=013_backoffice_queues.js.map