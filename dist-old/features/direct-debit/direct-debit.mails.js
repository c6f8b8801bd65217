import { formatDate, translator } from '../../lib/i18n.js';
import { displayName } from '../customers/customers.service.js';
import { publicUrl } from '../../lib/links.js';
const contacts = (o) => ({ phone: o.phone, email: o.email });
export function signingCodeMail(_config, c, rum, code) {
    const t = translator(c.language);
    return (o) => ({
        subject: t('directDebit.mail.code.subject'),
        greeting: t('mail.greeting', { name: displayName(c) }),
        paragraphs: [t('directDebit.mail.code.p1', { rum, code }), t('directDebit.mail.code.p2')],
        note: t('directDebit.mail.code.note', contacts(o)),
    });
}
export function mandateNoticeMail(config, c, kind, f) {
    return (o) => mandateNotice(config, o, c, kind, f);
}
function mandateNotice(config, o, c, kind, f) {
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
    }
}
//# sourceMappingURL=direct-debit.mails.js.map