import { formatDate, formatDateTime, translator } from '../../lib/i18n.js';
import { displayName } from '../customers/customers.service.js';
import { publicUrl } from '../../lib/links.js';
/** `j•••@example.fr`: enough for the owner to recognise, not a full address in an old inbox. */
export function maskAddress(address) {
    const at = address.lastIndexOf('@');
    if (at <= 0)
        return '•••';
    return `${address[0]}•••${address.slice(at)}`;
}
const common = (c) => {
    const t = translator(c.language);
    return {
        t,
        greeting: t('mail.greeting', { name: displayName(c) }),
        /** "If it was not you, call customer service": its contacts from the operator's settings. */
        ifNotYou: (o) => t('authMail.ifNotYou', { phone: o.phone, email: o.email }),
    };
};
export function verificationMail(_config, c, address, url) {
    const { t, greeting } = common(c);
    return (o) => ({
        subject: t('authMail.verify.subject'),
        greeting,
        paragraphs: [t('authMail.verify.p1', { address, operator: o.name }), t('authMail.verify.p2')],
        action: { label: t('authMail.verify.action'), url },
        note: t('authMail.verify.note'),
    });
}
export function emailChangedMail(config, c, at, now) {
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
export function resetMail(_config, c, url) {
    const { t, greeting } = common(c);
    return {
        subject: t('authMail.reset.subject'),
        greeting,
        paragraphs: [t('authMail.reset.p1', { number: c.number }), t('authMail.reset.p2')],
        action: { label: t('authMail.reset.action'), url },
        note: t('authMail.reset.note'),
    };
}
export function passwordChangedMail(config, c, at) {
    const { t, greeting, ifNotYou } = common(c);
    return (o) => ({
        subject: t('authMail.passwordChanged.subject'),
        greeting,
        paragraphs: [t('authMail.passwordChanged.p1', { number: c.number, date: formatDateTime(at, c.language) })],
        action: { label: t('authMail.passwordChanged.action'), url: publicUrl(config, '/connexion') },
        note: ifNotYou(o),
    });
}
export function paperlessMail(config, c, given, at) {
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
//# sourceMappingURL=auth.mails.js.map