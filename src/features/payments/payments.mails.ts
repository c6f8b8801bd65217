import type { Config } from '../../config.ts';
import { formatDateLong, translator } from '../../lib/i18n.ts';
import type { MailContent } from '../../lib/mail/compose.ts';
import { formatMoneyPlain } from '../../lib/money.ts';
import { type Addressee, displayName } from '../customers/customers.service.ts';
import { publicUrl } from '../../lib/links.ts';

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
