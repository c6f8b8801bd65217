import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type Clock, DAY, nowIso } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { joinedMailRecipientColumns } from '../auth/verify.service.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { newDocumentsMail } from './documents.mails.ts';

/*
 * "Vous serez informés par e-mail de la mise à disposition de tout nouveau document."
 * A customer with paperless consent gets one e-mail per verified address (a business with a
 * billing e-mail: that address, `noticeAddresses`) for the documents
 * published since the last notice — several documents published together make one e-mail.
 * A customer's documents are taken once none of them was published in the last
 * `NOTIFY_GRACE_MS`, so a batch being published is not cut in two. The e-mail itself is
 * `documents.mails.ts`.
 */

export const NOTIFY_GRACE_MS = 60_000;

/**
 * Where a customer's notice goes: a business's billing e-mail when it has one (its billing
 * profile, written by the ERP or by customer service on the customer's request: issue 14),
 * else its verified addresses.
 */
export function noticeAddresses(c: Parameters<typeof verifiedAddresses>[0] & { customer_kind: string; billing_email: string | null }): string[] {
  return c.customer_kind === 'business' && c.billing_email ? [c.billing_email] : verifiedAddresses(c);
}
/** Documents older than this are not announced any more (e.g. the address was verified late). */
const NOTIFY_WINDOW_MS = 30 * DAY;

/** The documents whose notice is due, published since `since`, with their customers: read through the index `financial_documents_to_notify` (024). */
export const awaitingNotice = (db: Db, since: string) =>
  db
    .selectFrom('financial_documents as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .select([
      'd.id',
      'd.kind',
      'd.number',
      'd.total_ttc_cents',
      'd.published_at',
      ...joinedMailRecipientColumns,
      'c.billing_email',
    ])
    .where('d.notified_at', 'is', null)
    .where('d.pdf_sha256', 'is not', null)
    .where('d.published_at', '>=', since)
    .where('c.paperless', '=', 1)
    // Only what was published while the customer had given consent.
    .whereRef('d.published_at', '>=', 'c.paperless_changed_at')
    .orderBy('c.id')
    .orderBy('d.published_at')
    .orderBy('d.number');

export async function queueDocumentNotifications(db: Db, clock: Clock, config: Config): Promise<number> {
  const now = clock.now().getTime();
  const settled = new Date(now - NOTIFY_GRACE_MS).toISOString();
  const rows = await awaitingNotice(db, new Date(now - NOTIFY_WINDOW_MS).toISOString()).execute();

  const byCustomer = new Map<string, typeof rows>();
  for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r]);

  let queued = 0;
  for (const [customerId, docs] of byCustomer) {
    const c = docs[0]!;
    if (docs.some((d) => d.published_at! > settled)) continue; // a batch is still being published
    const addresses = noticeAddresses(c);
    if (addresses.length === 0) continue; // notices go only to verified addresses; kept for later
    const content = newDocumentsMail(config, c, docs);
    const ids = docs.map((d) => d.id);
    const batchKey = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 24);
    await inTransaction(db, async (trx) => {
      // Claim the documents first: a concurrent worker that got there first updates nothing here.
      const claimed = await trx
        .updateTable('financial_documents')
        .set({ notified_at: nowIso(clock) })
        .where('id', 'in', ids)
        .where('notified_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== ids.length) throw new Error('documents notified concurrently');
      for (const to of addresses) {
        await enqueueMail(trx, clock, config, {
          to,
          lang: c.language,
          dedupeKey: `documents:${customerId}:${batchKey}:${to}`,
          content,
        });
      }
    }).then(
      () => {
        queued++;
      },
      (e: unknown) => {
        if (!(e instanceof Error && e.message === 'documents notified concurrently')) throw e;
      },
    );
  }
  return queued;
}
