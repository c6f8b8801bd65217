import type { Addressee } from '../customers/customers.service.ts';
import { displayName } from '../customers/customers.service.ts';
import { formatDateTime, translator } from '../../lib/i18n.ts';
import type { MailText } from '../../lib/mail/compose.ts';

/*
 * The e-mail of "Mes données", in the customer's language: the archive is ready, the link to
 * download it (logged in, 7 days). Content only; `mydata.service.ts` queues it.
 */
export function exportReadyMail(c: Addressee, url: string, expiresAt: string): MailText {
  const lang = c.language;
  const t = translator(lang);
  return (o) => ({
    subject: t('mydata.mail.subject'),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [t('mydata.mail.p1'), t('mydata.mail.p2', { date: formatDateTime(expiresAt, lang) })],
    action: { label: t('mydata.mail.action'), url },
    note: t('authMail.ifNotYou', { phone: o.phone, email: o.email }),
  });
}
