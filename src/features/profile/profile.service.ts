import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { type EventPayload, recordEvent } from '../../lib/events.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { paperlessMail } from '../auth/auth.mails.ts';
import { mailRecipientColumns } from '../auth/verify.service.ts';
import { lockCustomer, verifiedAddresses } from '../customers/customers.service.ts';

/**
 * Records a paperless choice: the current state on the customer, the dated change in its
 * history, and the confirmation e-mail to each verified address — all in one transaction.
 * Returns false when the choice was already the current one (nothing recorded, nothing sent).
 */
export async function setPaperless(
  db: Db,
  clock: Clock,
  config: Config,
  customerId: string,
  given: boolean,
  source: EventPayload<'customer.paperless_changed'>['source'],
  ip: string | null,
): Promise<boolean> {
  const now = nowIso(clock);
  return inTransaction(db, async (trx) => {
    // Locked first: two submits at the same instant record one change, not two.
    await lockCustomer(trx, customerId);
    const current = await trx
      .selectFrom('customers')
      .select([...mailRecipientColumns, 'paperless'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    if ((current.paperless === 1) === given) return false;
    const consentId = newId();
    await trx.updateTable('customers').set({ paperless: given ? 1 : 0, paperless_changed_at: now, updated_at: now }).where('id', '=', customerId).execute();
    await trx.insertInto('paperless_consents').values({ id: consentId, customer_id: customerId, given: given ? 1 : 0, at: now, source, ip }).execute();
    const content = paperlessMail(config, current, given, now);
    for (const to of verifiedAddresses(current)) {
      await enqueueMail(trx, clock, config, { to, lang: current.language, dedupeKey: `paperless:${consentId}:${to}`, content });
    }
    await recordEvent(trx, clock, { type: 'customer.paperless_changed', customerId, subjectId: consentId, origin: 'customer', payload: { paperless: given, source } });
    return true;
  });
}
