import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type Clock, addDays, nowIso, parisDate } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { operatorSettings } from '../settings/settings.queries.ts';
import { reminderMail } from './payments.mails.ts';
import { REMINDER_WINDOW_DAYS, type ReminderKind, reminderDue } from './payments.rules.ts';

/*
 * Reminders of unpaid invoices (the job `payment-reminders`): a published invoice past its due
 * date with something left to pay — neither paid nor settled by a credit note
 * (`settled_cents`) — gets a first e-mail, then a second, each with a link straight to paying
 * it online (`/mon-compte/paiement`), on the days after its due date the back office sets
 * (`operator_settings.reminder_first_days`, `reminder_second_days`: `reminderDue`). Nothing for an
 * invoice of a contract paid by direct debit (the debit settles it). Each reminder once:
 * `payment_notices` (kind `reminder_1`, `reminder_2`), claimed in the transaction that queues it.
 * Invoices due before the second reminder's day less `REMINDER_WINDOW_DAYS` are left alone: the
 * first run does not remind old debts all at once.
 */

function unpaidInvoices(db: Db, from: string, today: string) {
  return db
    .selectFrom('financial_documents as d')
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .select(['d.id', 'd.number', 'd.customer_id', 'd.due_date', 'd.total_ttc_cents', (eb) => eb('d.total_ttc_cents', '-', eb.ref('d.settled_cents')).as('remaining_cents')])
    .where('d.kind', '=', 'invoice')
    .where('d.published_at', 'is not', null)
    .where('d.due_date', '<', today)
    .where('d.due_date', '>=', from)
    .whereRef('d.total_ttc_cents', '>', 'd.settled_cents')
    .where((eb) => eb.or([eb('k.direct_debit', 'is', null), eb('k.direct_debit', '=', 0)]))
    .orderBy('d.due_date')
    .orderBy('d.id')
    .execute();
}

/** Sends the reminders due today (Paris), each once; returns how many of each were sent. */
export async function sendPaymentReminders(db: Db, clock: Clock, config: Config): Promise<Record<ReminderKind, number>> {
  const today = parisDate(clock.now());
  const operator = await operatorSettings(db, config);
  const schedule = { first: operator.reminder_first_days, second: operator.reminder_second_days };
  const rows = await unpaidInvoices(db, addDays(today, -(schedule.second + REMINDER_WINDOW_DAYS)), today);
  const counts: Record<ReminderKind, number> = { reminder_1: 0, reminder_2: 0 };
  if (rows.length === 0) return counts;
  const sentRows = await db
    .selectFrom('payment_notices')
    .select(['document_id', 'kind'])
    .where('document_id', 'in', rows.map((r) => r.id))
    .where('kind', 'in', ['reminder_1', 'reminder_2'])
    .execute();
  for (const r of rows) {
    const sent = new Set(sentRows.filter((s) => s.document_id === r.id).map((s) => s.kind as ReminderKind));
    const kind = reminderDue(r.due_date!, schedule, today, sent);
    if (!kind) continue;
    const customer = await db
      .selectFrom('customers')
      .select(['kind', 'civility', 'last_name', 'first_name', 'company_name', 'language', 'email_primary', 'email_primary_verified_at', 'email_secondary', 'email_secondary_verified_at'])
      .where('id', '=', r.customer_id)
      .executeTakeFirstOrThrow();
    const addresses = verifiedAddresses(customer);
    if (addresses.length === 0) continue;
    const amount = Number(r.remaining_cents);
    const done = await inTransaction(db, async (trx) => {
      const claimed = await trx
        .insertInto('payment_notices')
        .values({ document_id: r.id, kind, mandate_id: null, amount_cents: amount, sent_at: nowIso(clock) })
        .onConflict((oc) => oc.columns(['document_id', 'kind']).doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const content = reminderMail(config, customer, kind, { invoice: r.number, dueDay: r.due_date!, remainingCents: amount });
      for (const to of addresses) await enqueueMail(trx, clock, config, { to, lang: customer.language, content, dedupeKey: `${kind}:${r.id}:${to}` });
      return true;
    });
    if (done) counts[kind]++;
  }
  return counts;
}
