import { type Db, inTransaction } from '../../db/database.ts';
import { type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { csvAmount, csvFile } from '../../lib/csv.ts';
import { AppError } from '../../lib/errors.ts';
import { translator } from '../../lib/i18n.ts';
import { awaitingPrint, printBatchContents } from './documents.backoffice.queries.ts';

/*
 * Paper for the customers without paperless consent (`/gestion/papier`): customer service
 * makes a batch of every document waiting to be printed, which marks them sent to print (the
 * next batch does not repeat them), then hands the batch's file to the print shop. Both are
 * audited under the staff member.
 */

export type PrintBatchResult = { ok: true; batchId: string; customers: number; documents: number } | { ok: false; reason: 'nothing_to_print' };

/**
 * Takes every document waiting to be printed into a new batch, in one transaction: they are
 * marked printed now, under the batch. Two batches made at once never share a document (the
 * update is guarded on `printed_at`).
 */
export async function createPrintBatch(db: Db, clock: Clock, by: StaffActor): Promise<PrintBatchResult> {
  return inTransaction(db, async (trx): Promise<PrintBatchResult> => {
    const now = nowIso(clock);
    const batchId = newId();
    await trx.insertInto('print_batches').values({ id: batchId, created_by: by.staffId, customer_count: 0, document_count: 0, created_at: now }).execute();
    await trx
      .updateTable('financial_documents')
      .set({ printed_at: now, print_batch_id: batchId })
      .where('id', 'in', awaitingPrint(trx).select('d.id'))
      .where('printed_at', 'is', null)
      .execute();
    const counts = await trx
      .selectFrom('financial_documents')
      .select((eb) => [eb.fn.count<number>('customer_id').distinct().as('customers'), eb.fn.countAll<number>().as('documents')])
      .where('print_batch_id', '=', batchId)
      .executeTakeFirstOrThrow();
    const customers = Number(counts.customers);
    const documents = Number(counts.documents);
    if (documents === 0) {
      await trx.deleteFrom('print_batches').where('id', '=', batchId).execute();
      return { ok: false, reason: 'nothing_to_print' };
    }
    await trx.updateTable('print_batches').set({ customer_count: customers, document_count: documents }).where('id', '=', batchId).execute();
    await audit(trx, clock, {
      actor_type: 'staff',
      actor_id: by.staffId,
      action: 'documents.print_batch',
      outcome: 'success',
      target_type: 'print_batch',
      target_id: batchId,
      ...by.meta,
      details: { customers, documents },
    });
    return { ok: true, batchId, customers, documents };
  });
}

/**
 * The print shop's file of a batch: one line per customer — number, name, postal address, how
 * many documents, their numbers, the net amount TTC — by customer number. Its download is
 * audited. Throws a 404 AppError for an unknown batch.
 */
export async function printBatchFile(db: Db, clock: Clock, batchId: string, by: StaffActor): Promise<{ createdAt: string; csv: string }> {
  const batch = await printBatchContents(db, batchId);
  if (!batch) throw new AppError('not_found');
  const t = translator('fr');
  const header = [
    t('documents.paper.csv.number'),
    t('documents.paper.csv.name'),
    t('documents.paper.csv.line1'),
    t('documents.paper.csv.line2'),
    t('documents.paper.csv.postalCode'),
    t('documents.paper.csv.city'),
    t('documents.paper.csv.country'),
    t('documents.paper.csv.count'),
    t('documents.paper.csv.documents'),
    t('documents.paper.csv.amount'),
  ];
  const rows = batch.customers.map((c) => [
    c.number,
    c.name,
    c.address.line1,
    c.address.line2 ?? '',
    c.address.postalCode,
    c.address.city,
    c.address.country,
    c.documents.length,
    c.documents.map((d) => d.number).join(', '),
    csvAmount(c.netTtcCents),
  ]);
  await audit(db, clock, {
    actor_type: 'staff',
    actor_id: by.staffId,
    action: 'documents.print_export',
    outcome: 'success',
    target_type: 'print_batch',
    target_id: batchId,
    ...by.meta,
    details: { customers: rows.length },
  });
  return { createdAt: batch.createdAt, csv: csvFile(header, rows) };
}
