import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { audit } from '../../lib/audit.ts';
import { type Clock, addDays, newId, nowIso, parisDate } from '../../lib/clock.ts';
import { recordEvent } from '../../lib/events.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { renewalNoticeMail } from './renewals.mails.ts';
import { renewalsToNotify } from './renewals.queries.ts';
import { addMonths, chatelDeadline, noticeTiming } from './renewals.rules.ts';

/*
 * Sends the loi Chatel notices that are due (the job `renewal-notices`): for each consumer's
 * contract renewed tacitly whose window has opened (`renewals.rules.ts`), one notice per
 * contract and deadline — the row in `renewal_notices` is inserted first, under its unique key,
 * so two workers, or two runs, never send it twice. It goes by e-mail to each verified address,
 * in the customer's language; a customer with no verified address gets it by letter: the row
 * says `letter` and the back office ("Renouvellements") shows it to post, as paper documents
 * wait for the print queue. Sent after the window's last day, it is recorded late. Each notice
 * is audited (the system) and told to the ERP (`contract.renewal_notice_sent`, `terminations`).
 */

export interface RenewalNoticeCounts {
  email: number;
  letter: number;
  late: number;
}

export async function sendRenewalNotices(db: Db, clock: Clock, config: Config): Promise<RenewalNoticeCounts> {
  const today = parisDate(clock.now());
  // Renewals from tomorrow (the deadline not past) to a little over three months ahead (months'
  // ends), each then decided exactly by the rules.
  const candidates = await renewalsToNotify(db, today, addDays(addMonths(today, 3), 4)).execute();
  const counts: RenewalNoticeCounts = { email: 0, letter: 0, late: 0 };
  for (const k of candidates) {
    const deadline = chatelDeadline({ status: k.status, end_date: k.end_date, renewal_date: k.renewal_date, customer_kind: k.customer_kind });
    if (!deadline || !k.renewal_date) continue;
    const timing = noticeTiming(today, deadline);
    if (timing !== 'due' && timing !== 'late') continue;
    const late = timing === 'late';
    const addresses = verifiedAddresses(k);
    const channel = addresses.length > 0 ? 'email' : 'letter';
    const sent = await inTransaction(db, async (trx) => {
      const id = newId();
      const inserted = await trx
        .insertInto('renewal_notices')
        .values({ id, contract_id: k.id, customer_id: k.customer_id, renewal_date: k.renewal_date!, deadline, channel, late: late ? 1 : 0, sent_at: nowIso(clock) })
        .onConflict((oc) => oc.columns(['contract_id', 'deadline']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false; // another run sent it
      const content = renewalNoticeMail(config, k, { number: k.number, car_park_name: k.car_park_name, renewal_date: k.renewal_date!, deadline, late });
      for (const to of addresses) {
        await enqueueMail(trx, clock, config, { to, lang: k.language, dedupeKey: `renewal:${k.id}:${deadline}:${to}`, content });
      }
      await audit(trx, clock, {
        actor_type: 'system',
        action: 'contract.renewal_notice_sent',
        outcome: 'success',
        target_type: 'customer',
        target_id: k.customer_id,
        details: { contract: k.number, renewal_date: k.renewal_date, deadline, channel, late },
      });
      await recordEvent(trx, clock, {
        type: 'contract.renewal_notice_sent',
        customerId: k.customer_id,
        subjectId: id,
        origin: 'system',
        payload: { contract_number: k.number, car_park: k.car_park_code, renewal_date: k.renewal_date!, deadline, channel, late },
      });
      return true;
    });
    if (!sent) continue;
    counts[channel]++;
    if (late) counts.late++;
  }
  return counts;
}
