import type { Config } from '../../config.ts';
import type { CustomerUserRole } from '../../db/schema.ts';
import { formatDate, formatDateTime, translator } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import type { MailText } from '../../lib/mail/compose.ts';
import type { MailCustomer } from '../auth/auth.mails.ts';
import { displayName } from '../customers/customers.service.ts';

/*
 * The e-mails of a business account's users: the invitation (a one-time link to choose a
 * password, 7 days, sent again by the owner if need be), a new password's link (1 h) and the
 * notice of a new password (as the owner's, `passwordChangedMail`). Content only, in the account's language;
 * callers queue them with enqueueMail in their transaction. Addressed to the user by name.
 */

export interface MailUser {
  name: string;
  role: CustomerUserRole;
}

export function invitationMail(_config: Config, account: MailCustomer, user: MailUser, url: string, expiresAt: string): MailText {
  const t = translator(account.language);
  const name = displayName(account);
  return (o) => ({
    subject: t('usersMail.invite.subject', { account: name }),
    greeting: t('mail.greeting', { name: user.name }),
    paragraphs: [
      t('usersMail.invite.p1', { account: name, operator: o.name, role: t(`users.role.${user.role}`) }),
      t('usersMail.invite.p2', { date: formatDate(expiresAt, account.language) }),
    ],
    action: { label: t('usersMail.invite.action'), url },
    note: t('usersMail.invite.note'),
  });
}

export function userResetMail(_config: Config, account: MailCustomer, user: MailUser, url: string): MailText {
  const t = translator(account.language);
  return {
    subject: t('usersMail.reset.subject'),
    greeting: t('mail.greeting', { name: user.name }),
    paragraphs: [t('usersMail.reset.p1', { account: displayName(account) }), t('usersMail.reset.p2')],
    action: { label: t('usersMail.reset.action'), url },
    note: t('usersMail.reset.note'),
  };
}

/** A user's password changed (from Profil or by a link): told at their address, with whom to call if it was not them. */
export function userPasswordChangedMail(config: Config, account: MailCustomer, user: MailUser & { email: string }, at: string): MailText {
  const t = translator(account.language);
  return (o) => ({
    subject: t('authMail.passwordChanged.subject'),
    greeting: t('mail.greeting', { name: user.name }),
    paragraphs: [t('usersMail.passwordChanged.p1', { account: displayName(account), number: account.number, email: user.email, date: formatDateTime(at, account.language) })],
    action: { label: t('authMail.passwordChanged.action'), url: publicUrl(config, '/connexion') },
    note: t('authMail.ifNotYou', { phone: o.phone, email: o.email }),
  });
}
