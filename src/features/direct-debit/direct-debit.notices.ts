import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { audit } from '../../lib/audit.ts';
import { type Clock, addDays, nowIso, parisDate } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { operatorSettings } from '../settings/settings.queries.ts';
import { preNotificationMail } from './direct-debit.mails.ts';
import { mandateContracts, mandateCustomer } from './direct-debit.queries.ts';
import { MANDATE_LAPSE_MONTHS, mandateLapsed, maskIban, preNotificationDue } from './direct-debit.rules.ts';
import { mandateEventColumns, noticeFacts, queueMandateNotice, recordMandateEvent, updatedRows } from './direct-debit.service.ts';

/*
 * What the worker does for direct debits (jobs `debit-pre-notifications`, `mandate-lapse`):
 *
 * - The SEPA pre-notification. The portal does not present debits (the ERP and its bank do);
 *   what it knows of a coming debit is this: a published invoice, with something left to pay,
 *   of a contract paid by direct debit (`contracts.direct_debit`) under an active mandate
 *   (`sepa_mandate_contracts`): the debit is of what remains on the invoice, on its due date.
 *   Its pre-notification (amount, date, RUM, creditor identifier, masked IBAN) is e-mailed from
 *   the mandate's delay before the due date (`pre_notification_days`, 14 unless the mandate says
 *   otherwise: `preNotificationDue`), once per invoice (`payment_notices`, kind
 *   `pre_notification`, whose primary key is the claim: two workers never send it twice).
 *
 * - The lapse. A mandate is used when a debit is presented under it: what the portal records of
 *   that is a direct-debit payment received for the customer (`payments.method` `direct_debit`,
 *   succeeded, pushed by the ERP), at or after the mandate's signature. Its last use is the
 *   latest of those, else its signature; 36 full months after it (`mandateLapsed`) the mandate
 *   lapses: revoked with `end_reason` `lapsed`, its contracts no longer paid by direct debit,
 *   the customer told by e-mail, the ERP by its feed (`mandate.revoked`, origin `system`).
 */

/** The coming debits whose pre-notification is not sent yet, due within `horizon` (Paris day). */
function comingDebits(db: Db, today: string, horizon: string) {
  return db
    .selectFrom('financial_documents as d')
    .innerJoin('contracts as k', 'k.id', 'd.contract_id')
    .innerJoin('sepa_mandate_contracts as mc', 'mc.contract_id', 'k.id')
    .innerJoin('sepa_mandates as m', 'm.id', 'mc.mandate_id')
    .select([
      'd.id',
      'd.number',
      'd.customer_id',
      'd.due_date',
      (eb) => eb('d.total_ttc_cents', '-', eb.ref('d.settled_cents')).as('remaining_cents'),
      'm.id as mandate_id',
      'm.rum',
      'm.iban_country',
      'm.iban_last4',
      'm.pre_notification_days',
    ])
    .where('d.kind', '=', 'invoice')
    .where('d.published_at', 'is not', null)
    .where('d.due_date', '>', today)
    .where('d.due_date', '<=', horizon)
    .whereRef('d.total_ttc_cents', '>', 'd.settled_cents')
    .where('k.direct_debit', '=', 1)
    .where('m.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('payment_notices as n').select('n.document_id').whereRef('n.document_id', '=', 'd.id').where('n.kind', '=', 'pre_notification'))),
    )
    .orderBy('d.due_date')
    .orderBy('d.id')
    .execute();
}

/** The longest delay a mandate may set for its pre-notifications, in days: the query looks no further. */
const PRE_NOTIFICATION_HORIZON_DAYS = 60;

/** Sends the pre-notifications due today (Paris), each once; returns how many were sent. */
export async function sendPreNotifications(db: Db, clock: Clock, config: Config): Promise<number> {
  const today = parisDate(clock.now());
  const rows = await comingDebits(db, today, addDays(today, PRE_NOTIFICATION_HORIZON_DAYS));
  const operator = await operatorSettings(db, config);
  let sent = 0;
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.id) || !r.due_date || !preNotificationDue(r.due_date, r.pre_notification_days, today)) continue;
    seen.add(r.id);
    const customer = await mandateCustomer(db, r.customer_id);
    const addresses = verifiedAddresses(customer);
    if (addresses.length === 0) continue; // no address to tell: kept, and sent once there is one
    const amount = Number(r.remaining_cents);
    const done = await inTransaction(db, async (trx) => {
      const claimed = await trx
        .insertInto('payment_notices')
        .values({ document_id: r.id, kind: 'pre_notification', mandate_id: r.mandate_id, amount_cents: amount, sent_at: nowIso(clock) })
        .onConflict((oc) => oc.columns(['document_id', 'kind']).doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const content = preNotificationMail(config, customer, {
        amountCents: amount,
        debitDay: r.due_date!,
        invoice: r.number,
        rum: r.rum,
        maskedIban: maskIban(r.iban_country, r.iban_last4),
        creditorId: operator.creditor_id,
      });
      for (const to of addresses) await enqueueMail(trx, clock, config, { to, lang: customer.language, content, dedupeKey: `pre-notification:${r.id}:${to}` });
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

/** Active mandates signed before `cutoff` (Paris day) with their last direct debit received since their signature. */
function mandatesToCheck(db: Db, cutoff: string) {
  return db
    .selectFrom('sepa_mandates as m')
    .select((eb) => [
      'm.id',
      'm.signed_at',
      eb
        .selectFrom('payments as p')
        .select((p) => p.fn.max('p.received_at').as('last'))
        .whereRef('p.customer_id', '=', 'm.customer_id')
        .where('p.method', '=', 'direct_debit')
        .where('p.status', '=', 'succeeded')
        .whereRef('p.received_at', '>=', 'm.signed_at')
        .as('last_debit_at'),
    ])
    .where('m.status', '=', 'active')
    .where('m.signed_at', '<', cutoff)
    .orderBy('m.id')
    .execute();
}

/** Lapses the active mandates unused for 36 months; returns how many lapsed. */
export async function lapseUnusedMandates(db: Db, clock: Clock, config: Config): Promise<number> {
  const today = parisDate(clock.now());
  // Only a mandate signed more than 36 months ago can have lapsed (36 months are at least 1,095 days): a few days' margin.
  const cutoff = addDays(today, -(MANDATE_LAPSE_MONTHS * 365) / 12 + 5);
  let lapsed = 0;
  for (const m of await mandatesToCheck(db, cutoff)) {
    const lastUse = (m.last_debit_at as string | null) ?? m.signed_at;
    if (!lastUse || !mandateLapsed(parisDate(new Date(lastUse)), today)) continue;
    if (await lapse(db, clock, config, m.id, parisDate(new Date(lastUse)))) lapsed++;
  }
  return lapsed;
}

async function lapse(db: Db, clock: Clock, config: Config, mandateId: string, lastUseDay: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const at = nowIso(clock);
    const done = await trx
      .updateTable('sepa_mandates')
      .set({ status: 'revoked', revoked_at: at, end_reason: 'lapsed', updated_at: at })
      .where('id', '=', mandateId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (updatedRows(done) === 0) return false; // revoked meanwhile, or another worker got there first
    const m = await trx.selectFrom('sepa_mandates').select(mandateEventColumns).where('id', '=', mandateId).executeTakeFirstOrThrow();
    const contracts = await mandateContracts(trx, mandateId);
    if (contracts.length > 0) await trx.updateTable('contracts').set({ direct_debit: 0 }).where('id', 'in', contracts.map((k) => k.id)).execute();
    const customer = await mandateCustomer(trx, m.customer_id);
    await queueMandateNotice(trx, clock, config, customer, 'lapsed', mandateId, noticeFacts(m, contracts, at));
    await audit(trx, clock, {
      actor_type: 'system',
      action: 'mandate.lapse',
      outcome: 'success',
      target_type: 'mandate',
      target_id: m.rum,
      details: { customer_id: m.customer_id, last_use: lastUseDay, contracts: contracts.map((k) => k.number) },
    });
    await recordMandateEvent(trx, clock, 'mandate.revoked', m, contracts, { status: 'revoked', origin: 'system', previousStatus: 'active', endReason: 'lapsed' });
    return true;
  });
}
