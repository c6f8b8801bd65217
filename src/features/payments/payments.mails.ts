import type { Config } from '../../config.ts';
import { formatDateLong, translator } from '../../lib/i18n.ts';
import type { MailContent, MailText } from '../../lib/mail/compose.ts';
import { formatMoneyPlain } from '../../lib/money.ts';
import { type Addressee, displayName } from '../customers/customers.service.ts';
import { publicUrl } from '../../lib/links.ts';
import type { ReminderKind } from './payments.rules.ts';

/*
 * The payments' e-mail: the receipt of a payment booked, in the customer's language. Content
 * only; `processProviderEvent` queues it in the booking's transaction.
 */

export interface Receipt {
  amountCents: number;
  /** When the payment was booked. */
  at: string;
  /** The invoices it settled, with the part of the payment each took. */
  settled: { number: string; amount: number }[];
  /** What is left as a credit on the account (0: none). */
  creditCents: number;
}

export function receiptMail(config: Config, c: Addressee, r: Receipt): MailContent {
  const lang = c.language;
  const t = translator(lang);
  const money = (cents: number) => formatMoneyPlain(cents, lang);
  return {
    subject: t('pay.mail.receipt.subject'),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [
      t('pay.mail.receipt.body', { amount: money(r.amountCents), date: formatDateLong(r.at, lang) }),
      ...(r.settled.length ? [t('pay.mail.receipt.settled')] : []),
    ],
    list: r.settled.map((s) => t('pay.mail.receipt.item', { number: s.number, amount: money(s.amount) })),
    ...(r.creditCents > 0 ? { note: t('pay.mail.receipt.credit', { amount: money(r.creditCents) }) } : {}),
    action: { label: t('pay.mail.receipt.action'), url: publicUrl(config, '/mon-compte') },
  };
}

/** An unpaid invoice, as its reminder tells it. */
export interface UnpaidInvoice {
  invoice: string;
  /** `YYYY-MM-DD`. */
  dueDay: string;
  remainingCents: number;
}

/** A reminder of an unpaid invoice (the first or the second), with the link straight to paying it online. */
export function reminderMail(config: Config, c: Addressee, kind: ReminderKind, u: UnpaidInvoice): MailText {
  const lang = c.language;
  const t = translator(lang);
  const amount = formatMoneyPlain(u.remainingCents, lang);
  const date = formatDateLong(u.dueDay, lang);
  const second = kind === 'reminder_2';
  return (o) => ({
    subject: t(second ? 'pay.mail.reminder2.subject' : 'pay.mail.reminder1.subject', { invoice: u.invoice }),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [
      t(second ? 'pay.mail.reminder2.p1' : 'pay.mail.reminder1.p1', { invoice: u.invoice, date, amount }),
      t('pay.mail.reminder.p2'),
      ...(second && o.late_payment_penalty ? [t('pay.mail.reminder2.penalty', { penalty: o.late_payment_penalty })] : []),
    ],
    action: { label: t('pay.mail.reminder.action'), url: publicUrl(config, '/mon-compte/paiement') },
    note: t('pay.mail.reminder.note', { phone: o.phone, email: o.email }),
  });
}
