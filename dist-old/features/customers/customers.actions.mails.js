import { formatDate, formatDateTime, translator } from '../../lib/i18n.js';
import { publicUrl } from '../../lib/links.js';
import { displayName } from './customers.service.js';
/*
 * What the customer is told when customer service acts on their account: a new temporary
 * password on its way by post (never the password), their sessions ended, their contact
 * details corrected, a change of plate recorded. Content only, in the customer's language;
 * the service queues them in the transaction of the change. (A new e-mail address gets the
 * profile's own verification and notice, `emails.service.ts`.)
 */
const common = (_config, c) => {
    const t = translator(c.language);
    return {
        t,
        greeting: t('mail.greeting', { name: displayName(c) }),
        /** Customer service's contacts, from the operator's settings when the mail is queued. */
        ifUnexpected: (o) => t('customerActions.mail.ifUnexpected', { phone: o.phone, email: o.email }),
    };
};
export function temporaryPasswordMail(config, c, expiresAt) {
    const { t, greeting, ifUnexpected } = common(config, c);
    return (o) => ({
        subject: t('customerActions.mail.password.subject'),
        greeting,
        paragraphs: [
            t('customerActions.mail.password.p1', { number: c.number }),
            t('customerActions.mail.password.p2', { date: formatDate(expiresAt, c.language) }),
        ],
        note: ifUnexpected(o),
    });
}
export function sessionsEndedMail(config, c, at) {
    const { t, greeting, ifUnexpected } = common(config, c);
    return (o) => ({
        subject: t('customerActions.mail.sessions.subject'),
        greeting,
        paragraphs: [t('customerActions.mail.sessions.p1', { number: c.number, date: formatDateTime(at, c.language) }), t('customerActions.mail.sessions.p2')],
        action: { label: t('authMail.passwordChanged.action'), url: publicUrl(config, '/connexion') },
        note: ifUnexpected(o),
    });
}
/** `changes`: what is now on file, one line per item (postal address, phones). */
export function contactDetailsMail(config, c, at, changes) {
    const { t, greeting, ifUnexpected } = common(config, c);
    return (o) => ({
        subject: t('customerActions.mail.details.subject'),
        greeting,
        paragraphs: [t('customerActions.mail.details.p1', { number: c.number, date: formatDateTime(at, c.language) })],
        list: changes,
        action: { label: t('authMail.toProfile'), url: publicUrl(config, '/profil') },
        note: ifUnexpected(o),
    });
}
export function plateChangeMail(config, c, change) {
    const { t, greeting, ifUnexpected } = common(config, c);
    return (o) => ({
        subject: t('customerActions.mail.plate.subject'),
        greeting,
        paragraphs: [t('customerActions.mail.plate.p1', { contract: change.contractNumber })],
        list: [
            t('customerActions.mail.plate.old', { plate: change.oldPlate }),
            t('customerActions.mail.plate.new', { plate: change.newPlate }),
            t('customerActions.mail.plate.from', { date: formatDate(change.effectiveDate, c.language) }),
        ],
        action: { label: t('customerActions.mail.plate.action'), url: publicUrl(config, `/contrats/${encodeURIComponent(change.contractNumber)}`) },
        note: ifUnexpected(o),
    });
}
//# sourceMappingURL=customers.actions.mails.js.map