import { formatDateLong, translator } from '../../lib/i18n.js';
import { formatMoneyPlain } from '../../lib/money.js';
import { displayName } from '../customers/customers.service.js';
import { publicUrl } from '../../lib/links.js';
export function receiptMail(config, c, r) {
    const lang = c.language;
    const t = translator(lang);
    const money = (cents) => formatMoneyPlain(cents, lang);
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
//# sourceMappingURL=payments.mails.js.map