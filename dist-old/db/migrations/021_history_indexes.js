import { sql } from 'kysely';
/*
 * The indexes "Mon compte" reads its history through, at the scale of ten years of monthly
 * documents (issue 12):
 * - a customer's documents in the order shown (newest first, then by number) with whether
 *   they are published, so a page of 20 is read from the index and stops at 20, and the year
 *   filter and the counts never read the documents themselves. It replaces the index on
 *   (customer, issue date) of 001, which it extends;
 * - a customer's payments in the order shown (when received, or else created), for the same
 *   reason.
 */
export async function up(db) {
    await db.schema
        .createIndex('financial_documents_history')
        .on('financial_documents')
        .columns(['customer_id', 'issue_date', 'number', 'published_at'])
        .execute();
    await db.schema.dropIndex('financial_documents_customer').execute();
    await db.schema
        .createIndex('payments_history')
        .on('payments')
        .expression(sql `customer_id, (coalesce(received_at, created_at)), id`)
        .execute();
}
export async function down(db) {
    await db.schema.dropIndex('payments_history').execute();
    await db.schema.createIndex('financial_documents_customer').on('financial_documents').columns(['customer_id', 'issue_date']).execute();
    await db.schema.dropIndex('financial_documents_history').execute();
}
//# sourceMappingURL=021_history_indexes.js.map