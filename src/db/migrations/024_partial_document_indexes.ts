import { type Kysely, sql } from 'kysely';

/*
 * The worker's and the print queue's indexes on documents hold only the rows they look for
 * (issue 12): a document waiting for its notice (published, not yet notified), a document not
 * yet printed (published), a document in a print batch. Drafts, and the years of documents
 * already notified or printed, are no longer in them: at ten years of monthly documents they
 * were most of each index, and each draft an import or the API writes no longer adds three
 * index entries. Each query names what its index's condition says (`published_at >= …`
 * implies `published_at is not null`, `print_batch_id = ?` implies `is not null`), so both
 * databases still read through them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('financial_documents_to_notify').execute();
  await db.schema
    .createIndex('financial_documents_to_notify')
    .on('financial_documents')
    .column('published_at')
    .where(sql.ref('notified_at'), 'is', null)
    .where(sql.ref('published_at'), 'is not', null)
    .execute();
  await db.schema.dropIndex('financial_documents_to_print').execute();
  await db.schema
    .createIndex('financial_documents_to_print')
    .on('financial_documents')
    .columns(['customer_id', 'notified_at'])
    .where(sql.ref('printed_at'), 'is', null)
    .where(sql.ref('published_at'), 'is not', null)
    .execute();
  await db.schema.dropIndex('financial_documents_print_batch').execute();
  await db.schema.createIndex('financial_documents_print_batch').on('financial_documents').column('print_batch_id').where(sql.ref('print_batch_id'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['financial_documents_print_batch', 'financial_documents_to_print', 'financial_documents_to_notify']) await db.schema.dropIndex(name).execute();
  await db.schema.createIndex('financial_documents_to_notify').on('financial_documents').columns(['notified_at', 'published_at']).execute();
  await db.schema.createIndex('financial_documents_to_print').on('financial_documents').columns(['printed_at', 'notified_at', 'customer_id']).execute();
  await db.schema.createIndex('financial_documents_print_batch').on('financial_documents').column('print_batch_id').execute();
}
