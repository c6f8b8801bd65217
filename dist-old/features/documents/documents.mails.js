import { translator } from '../../lib/i18n.js';
import { formatMoneyPlain } from '../../lib/money.js';
import { displayName } from '../customers/customers.service.js';
import { publicUrl } from '../../lib/links.js';
export function newDocumentsMail(config, c, docs) {
    const lang = c.language;
    const t = translator(lang);
    const one = docs.length === 1;
    return {
        subject: one ? t('documents.mail.subject.one') : t('documents.mail.subject.many', { count: docs.length }),
        greeting: t('mail.greeting', { name: displayName(c) }),
        paragraphs: [t(one ? 'documents.mail.intro.one' : 'documents.mail.intro.many')],
        list: docs.map((d) => t('documents.mail.item', { kind: t(`account.kind.${d.kind}`), number: d.number, amount: formatMoneyPlain(d.total_ttc_cents, lang) })),
        action: { label: t('documents.mail.action'), url: publicUrl(config, '/mon-compte') },
        note: t('documents.mail.note'),
    };
}
//# sourceMappingURL=documents.mails.js.map