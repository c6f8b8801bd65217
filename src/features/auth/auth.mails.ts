import type { Config } from '../../config.ts';
import type { Customer } from '../../db/schema.ts';
import { formatDate, formatDateTime, translator } from '../../lib/i18n.ts';
import type { MailContent, MailText } from '../../lib/mail/compose.ts';
import type { OperatorSettings } from '../settings/settings.rules.ts';
import { displayName } from '../customers/customers.service.ts';
import { publicUrl } from '../../lib/links.ts';

/*
 * The account e-mails: address verification, notice of an address change, password reset
 * link and notice of a new password, paperless consent confirmation. Content only, in the
 * customer's language; callers queue them with enqueueMail inside their own transaction.
 * A link carries a token only where it must (verification, reset): never in a notice.
 */

/** What an e-mail needs to know about its customer. */
export type MailCustomer = Pick<Customer, 'number' | 'kind' | 'last_name' | 'first_name' | 'company_name' | 'language'>;


/** `j•••@example.fr`: enough for the owner to recognise, not a full address in an old inbox. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${address[0]}•••${address.slice(at)}`;
}

const common = (c: MailCustomer) => {
  const t = translator(c.language);
  return {
    t,
    greeting: t('mail.greeting', { name: displayName(c) }),
    /** "If it was not you, call customer service": its contacts from the operator's settings. */
    ifNotYou: (o: OperatorSettings) => t('authMail.ifNotYou', { phone: o.phone, email: o.email }),
  };
};

export function verificationMail(_config: Config, c: MailCustomer, address: string, url: string): MailText {
  const { t, greeting } = common(c);
  return (o) => ({
    subject: t('authMail.verify.subject'),
    greeting,
    paragraphs: [t('authMail.verify.p1', { address, operator: o.name }), t('authMail.verify.p2')],
    action: { label: t('authMail.verify.action'), url },
    note: t('authMail.verify.note'),
  });
}

export function emailChangedMail(
  config: Config,
  c: MailCustomer,
  at: string,
  now: { primary: string; secondary: string | null },
): MailText {
  const { t, greeting, ifNotYou } = common(c);
  return (o) => ({
    subject: t('authMail.emailChanged.subject'),
    greeting,
    paragraphs: [t('authMail.emailChanged.p1', { number: c.number, date: formatDateTime(at, c.language) })],
    list: [
      t('authMail.emailChanged.primary', { address: maskAddress(now.primary) }),
      t('authMail.emailChanged.secondary', { address: now.secondary ? maskAddress(now.secondary) : t('authMail.emailChanged.none') }),
    ],
    action: { label: t('authMail.toProfile'), url: publicUrl(config, '/profil') },
    note: `${t('authMail.emailChanged.p2')} ${ifNotYou(o)}`,
  });
}

export function resetMail(_config: Config, c: MailCustomer, url: string): MailContent {
  const { t, greeting } = common(c);
  return {
    subject: t('authMail.reset.subject'),
    greeting,
    paragraphs: [t('authMail.reset.p1', { number: c.number }), t('authMail.reset.p2')],
    action: { label: t('authMail.reset.action'), url },
    note: t('authMail.reset.note'),
  };
}

export function passwordChangedMail(config: Config, c: MailCustomer, at: string): MailText {
  const { t, greeting, ifNotYou } = common(c);
  return (o) => ({
    subject: t('authMail.passwordChanged.subject'),
    greeting,
    paragraphs: [t('authMail.passwordChanged.p1', { number: c.number, date: formatDateTime(at, c.language) })],
    action: { label: t('authMail.passwordChanged.action'), url: publicUrl(config, '/connexion') },
    note: ifNotYou(o),
  });
}

export function paperlessMail(config: Config, c: MailCustomer, given: boolean, at: string): MailText {
  const { t, greeting, ifNotYou } = common(c);
  const date = formatDate(at, c.language);
  return (o) => given
    ? {
        subject: t('authMail.paperlessOn.subject'),
        greeting,
        paragraphs: [t('authMail.paperlessOn.p1', { date })],
        list: [t('authMail.paperlessOn.l1'), t('authMail.paperlessOn.l2'), t('authMail.paperlessOn.l3')],
        action: { label: t('authMail.toProfile'), url: publicUrl(config, '/profil') },
        note: `${t('authMail.paperlessOn.p2')} ${ifNotYou(o)}`,
      }
    : {
        subject: t('authMail.paperlessOff.subject'),
        greeting,
        paragraphs: [t('authMail.paperlessOff.p1', { date })],
        list: [t('authMail.paperlessOff.l1'), t('authMail.paperlessOff.l2'), t('authMail.paperlessOff.l3')],
        action: { label: t('authMail.toProfile'), url: publicUrl(config, '/profil') },
        note: `${t('authMail.paperlessOff.p2')} ${ifNotYou(o)}`,
      };
}
