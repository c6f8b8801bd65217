import type { Config } from '../../config.ts';
import { formatDate, formatDateLong, translator } from '../../lib/i18n.ts';
import { formatMoneyPlain } from '../../lib/money.ts';
import type { MailContent, MailText } from '../../lib/mail/compose.ts';
import type { OperatorSettings } from '../settings/settings.rules.ts';
import { type Addressee, displayName } from '../customers/customers.service.ts';
import { publicUrl } from '../../lib/links.ts';

/*
 * The direct-debit e-mails, in the customer's language: the one-time signing code, and the
 * notices of a mandate signed, revoked, validated or rejected. Content only; the steps in
 * `direct-debit.service.ts` and `direct-debit.backoffice.ts` queue them in the transaction of
 * the change they tell about. They carry the RUM and the masked IBAN, never the IBAN.
 */

export type MandateNotice = 'signed' | 'revoked' | 'validated' | 'rejected' | 'replaced' | 'lapsed';

/** What a notice tells about its mandate. */
export interface MandateFacts {
  rum: string;
  maskedIban: string;
  contracts: string[];
  /** When it happened. */
  at: string;
  /** A rejection's reason, as customer service wrote it. */
  reason?: string;
  /** A mandate replaced by a new bank account's: the new one's RUM. */
  replacedBy?: string;
}

const contacts = (o: OperatorSettings) => ({ phone: o.phone, email: o.email });

export function signingCodeMail(_config: Config, c: Addressee, rum: string, code: string): MailText {
  const t = translator(c.language);
  return (o) => ({
    subject: t('directDebit.mail.code.subject'),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [t('directDebit.mail.code.p1', { rum, code }), t('directDebit.mail.code.p2')],
    note: t('directDebit.mail.code.note', contacts(o)),
  });
}

export function mandateNoticeMail(config: Config, c: Addressee, kind: MandateNotice, f: MandateFacts): MailText {
  return (o) => mandateNotice(config, o, c, kind, f);
}

function mandateNotice(config: Config, o: OperatorSettings, c: Addressee, kind: MandateNotice, f: MandateFacts): MailContent {
  const t = translator(c.language);
  const greeting = t('mail.greeting', { name: displayName(c) });
  const list = [
    t('directDebit.mail.rum', { rum: f.rum }),
    t('directDebit.mail.iban', { iban: f.maskedIban }),
    t('directDebit.mail.contracts', { contracts: f.contracts.join(', ') }),
  ];
  const action = { label: t('directDebit.mail.action'), url: publicUrl(config, '/prelevement') };
  const date = formatDate(f.at, c.language);
  switch (kind) {
    case 'signed':
      return {
        subject: t('directDebit.mail.signed.subject', { rum: f.rum }),
        greeting,
        paragraphs: [t('directDebit.mail.signed.p1', { date, rum: f.rum, creditor: o.creditor_name }), t('directDebit.mail.signed.p2')],
        list,
        action,
        note: t('directDebit.mail.ifNotYou', contacts(o)),
      };
    case 'revoked':
      return {
        subject: t('directDebit.mail.revoked.subject', { rum: f.rum }),
        greeting,
        paragraphs: [t('directDebit.mail.revoked.p1', { date, rum: f.rum })],
        list,
        action,
        note: t('directDebit.mail.ifNotYou', contacts(o)),
      };
    case 'validated':
      return {
        subject: t('directDebit.mail.validated.subject', { rum: f.rum }),
        greeting,
        paragraphs: [t('directDebit.mail.validated.p1', { rum: f.rum }), t('directDebit.mail.validated.p2')],
        list,
        action,
      };
    case 'rejected':
      return {
        subject: t('directDebit.mail.rejected.subject', { rum: f.rum }),
        greeting,
        paragraphs: [t('directDebit.mail.rejected.p1', { rum: f.rum, reason: f.reason ?? '' }), t('directDebit.mail.rejected.p2')],
        list,
        action,
      };
    case 'replaced':
      return {
        subject: t('directDebit.mail.replaced.subject', { rum: f.rum }),
        greeting,
        paragraphs: [t('directDebit.mail.replaced.p1', { date, rum: f.rum, newRum: f.replacedBy ?? '' })],
        list,
        action,
      };
    case 'lapsed':
      return {
        subject: t('directDebit.mail.lapsed.subject', { rum: f.rum }),
        greeting,
        paragraphs: [t('directDebit.mail.lapsed.p1', { date, rum: f.rum }), t('directDebit.mail.lapsed.p2')],
        list,
        action,
        note: t('directDebit.mail.ifNotYou', contacts(o)),
      };
  }
}

/** A coming debit, as its pre-notification tells it. */
export interface ComingDebit {
  amountCents: number;
  /** `YYYY-MM-DD`: the invoice's due date. */
  debitDay: string;
  invoice: string;
  rum: string;
  maskedIban: string;
  /** The creditor's SEPA identifier (ICS). */
  creditorId: string;
}

/** The SEPA pre-notification: the amount and date of a coming debit, under which mandate, from which creditor. */
export function preNotificationMail(config: Config, c: Addressee, d: ComingDebit): MailText {
  const t = translator(c.language);
  const amount = formatMoneyPlain(d.amountCents, c.language);
  const date = formatDateLong(d.debitDay, c.language);
  return (o) => ({
    subject: t('directDebit.mail.preNotification.subject', { amount, date }),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [t('directDebit.mail.preNotification.p1', { amount, date, invoice: d.invoice, creditor: o.creditor_name }), t('directDebit.mail.preNotification.p2')],
    list: [
      t('directDebit.mail.preNotification.amount', { amount }),
      t('directDebit.mail.preNotification.date', { date }),
      t('directDebit.mail.rum', { rum: d.rum }),
      t('directDebit.mail.iban', { iban: d.maskedIban }),
      t('directDebit.mail.preNotification.creditorId', { id: d.creditorId }),
    ],
    action: { label: t('directDebit.mail.preNotification.action'), url: publicUrl(config, '/mon-compte') },
    note: t('directDebit.mail.preNotification.note', contacts(o)),
  });
}
