import type { Config } from '../../config.ts';
import type { BadgeReason } from '../../db/schema.ts';
import { formatDateLong, translator } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import type { MailContent } from '../../lib/mail/compose.ts';
import { formatMoneyPlain } from '../../lib/money.ts';
import { type Addressee, displayName } from '../customers/customers.service.ts';
import { mustReturnOldBadge } from './badges.rules.ts';

/*
 * The badges' e-mails, in the customer's language: the badge blocked, the replacement paid,
 * the new badge handed over or posted. Content only; `badges.service.ts` queues them.
 */

const badgePage = (config: Config, contractNumber: string) => publicUrl(config, `/contrats/${encodeURIComponent(contractNumber)}/badge`);

export function badgeBlockedMail(config: Config, c: Addressee, b: { contractNumber: string; badgeNumber: string; reason: BadgeReason; at: string; feeCents: number }): MailContent {
  const t = translator(c.language);
  return {
    subject: t('badges.mail.blocked.subject', { badge: b.badgeNumber }),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [
      t('badges.mail.blocked.body', { badge: b.badgeNumber, contract: b.contractNumber, reason: t(`badges.reason.${b.reason}`), date: formatDateLong(b.at, c.language) }),
      t('badges.mail.blocked.next', { fee: formatMoneyPlain(b.feeCents, c.language) }),
      ...(mustReturnOldBadge(b.reason) ? [t('badges.mail.return')] : []),
    ],
    action: { label: t('badges.mail.action'), url: badgePage(config, b.contractNumber) },
  };
}

export function badgePaidMail(config: Config, c: Addressee, b: { contractNumber: string; badgeNumber: string; reason: BadgeReason; amountCents: number; at: string }): MailContent {
  const t = translator(c.language);
  return {
    subject: t('badges.mail.paid.subject'),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [
      t('badges.mail.paid.body', { amount: formatMoneyPlain(b.amountCents, c.language), date: formatDateLong(b.at, c.language), badge: b.badgeNumber, contract: b.contractNumber }),
      t('badges.mail.paid.next'),
      ...(mustReturnOldBadge(b.reason) ? [t('badges.mail.return')] : []),
    ],
    action: { label: t('badges.mail.action'), url: badgePage(config, b.contractNumber) },
  };
}

export function badgeIssuedMail(config: Config, c: Addressee, b: { contractNumber: string; newBadge: string; delivery: 'handed_over' | 'posted'; carPark: string; reason: BadgeReason }): MailContent {
  const t = translator(c.language);
  return {
    subject: t('badges.mail.issued.subject', { badge: b.newBadge }),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [
      t(b.delivery === 'posted' ? 'badges.mail.issued.posted' : 'badges.mail.issued.handedOver', { badge: b.newBadge, contract: b.contractNumber, carPark: b.carPark }),
      ...(mustReturnOldBadge(b.reason) ? [t('badges.mail.return')] : []),
    ],
    action: { label: t('badges.mail.action'), url: badgePage(config, b.contractNumber) },
  };
}
