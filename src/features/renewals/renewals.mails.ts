import type { Config } from '../../config.ts';
import { formatDateLong, translator } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import type { MailContent } from '../../lib/mail/compose.ts';
import { type Addressee, displayName } from '../customers/customers.service.ts';

/*
 * The renewal notice (loi Chatel, L215-1), in the customer's language: the contract, the day it
 * renews, the deadline to refuse, the right not to renew, and the way to do it — the
 * termination function, logged in from Contrats (`/contrats`) or without logging in at
 * `/resilier` (the public page every footer links to). Content only; `renewals.service.ts`
 * queues it.
 */

export interface NoticeContract {
  number: string;
  car_park_name: string;
  renewal_date: string;
  deadline: string;
  late: boolean;
}

export const TERMINATE_PATH = '/resilier';
export const CONTRACTS_PATH = '/contrats';

export function renewalNoticeMail(config: Config, c: Addressee, k: NoticeContract): MailContent {
  const lang = c.language;
  const t = translator(lang);
  const renewal = formatDateLong(k.renewal_date, lang);
  const deadline = formatDateLong(k.deadline, lang);
  const terminateUrl = publicUrl(config, TERMINATE_PATH);
  return {
    subject: t('renewals.mail.subject', { number: k.number, renewal }),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [
      t('renewals.mail.renewal', { number: k.number, carPark: k.car_park_name, renewal }),
      t('renewals.mail.right', { deadline }),
      ...(k.late ? [t('renewals.mail.late')] : []),
      t('renewals.mail.how'),
    ],
    list: [t('renewals.mail.loggedIn', { url: publicUrl(config, CONTRACTS_PATH) }), t('renewals.mail.public', { url: terminateUrl })],
    action: { label: t('renewals.mail.action'), url: terminateUrl },
    note: t('renewals.mail.note'),
  };
}
