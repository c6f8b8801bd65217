import type { Config } from '../../config.ts';
import type { Language } from '../../db/schema.ts';
import { formatDate, formatDateTime, translator } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import type { MailContent, MailText } from '../../lib/mail/compose.ts';
import { displayName } from '../customers/customers.service.ts';
import type { TerminationRecord } from './terminations.queries.ts';

/*
 * The termination e-mails, in the customer's language (the link of the public page in the
 * page's): the link to confirm (public page), the acknowledgement — the durable medium the
 * law asks for: the contract, the date it takes effect, the request's date and reference —
 * and the notice of a withdrawal. Content only; the service queues them.
 */

export function confirmLinkMail(lang: Language, contractNumber: string, url: string): MailContent {
  const t = translator(lang);
  return {
    subject: t('terminations.mail.link.subject'),
    paragraphs: [t('terminations.mail.link.p1', { contract: contractNumber }), t('terminations.mail.link.p2')],
    action: { label: t('terminations.mail.link.action'), url },
    note: t('terminations.mail.link.note'),
  };
}

/** The facts of a termination, as every e-mail and the PDF list them. */
export function terminationFacts(r: TerminationRecord, lang: Language): string[] {
  const t = translator(lang);
  return [
    t('terminations.fact.reference', { reference: r.reference }),
    t('terminations.fact.contract', { contract: r.contract_number, carPark: r.car_park_name }),
    t('terminations.fact.customer', { name: displayName(r), number: r.customer_number }),
    t('terminations.fact.requested', { date: formatDateTime(r.requested_at, lang) }),
    t('terminations.fact.effective', { date: formatDate(r.effective_date, lang) }),
  ];
}

export function acknowledgementMail(config: Config, r: TerminationRecord, withdrawUrl: string): MailText {
  const lang = r.language;
  const t = translator(lang);
  return (o) => ({
    subject: t('terminations.mail.ack.subject', { contract: r.contract_number }),
    greeting: t('mail.greeting', { name: displayName(r) }),
    paragraphs: [
      t('terminations.mail.ack.p1', { operator: o.name, contract: r.contract_number, date: formatDate(r.effective_date, lang) }),
      t('terminations.mail.ack.effects'),
      t('terminations.mail.ack.withdraw', { date: formatDate(r.effective_date, lang) }),
    ],
    list: terminationFacts(r, lang),
    action: { label: t('terminations.mail.ack.action'), url: withdrawUrl },
    note: t('terminations.mail.ack.note', { url: publicUrl(config, '/contrats'), phone: o.phone, email: o.email }),
  });
}

export function withdrawnMail(config: Config, r: TerminationRecord): MailText {
  const lang = r.language;
  const t = translator(lang);
  return (o) => ({
    subject: t('terminations.mail.withdrawn.subject', { contract: r.contract_number }),
    greeting: t('mail.greeting', { name: displayName(r) }),
    paragraphs: [t('terminations.mail.withdrawn.p1', { contract: r.contract_number, reference: r.reference }), t('terminations.mail.withdrawn.p2')],
    action: { label: t('terminations.mail.withdrawn.action'), url: publicUrl(config, '/contrats') },
    note: t('authMail.ifNotYou', { phone: o.phone, email: o.email }),
  });
}
