import { formatDate, formatTime, translator } from '../../lib/i18n.js';
import { displayName } from '../customers/customers.service.js';
import { publicUrl } from '../../lib/links.js';
import { STAFF_PREFIX } from '../../areas/staff-area.js';
/*
 * The contact e-mails: to the customer, in their language, the acknowledgement of a request and
 * the staff's replies; to the staff, in French (staff e-mails are French by design; their words
 * are the French catalogue's), the notice of a new request and of a customer's answer. Content
 * only; the services queue them in the transaction of what causes them.
 */
/** A request in "Mes demandes", and in the back office. */
export const requestPath = (reference) => `/contact/demandes/${reference}`;
export const staffRequestPath = (reference) => `${STAFF_PREFIX}/demandes/${reference}`;
export const fileTypeKey = { 'application/pdf': 'contact.fileType.pdf', 'image/png': 'contact.fileType.png', 'image/jpeg': 'contact.fileType.jpeg' };
/** `12 Ko` / `1,2 Mo` in French, `12 KB` / `1.2 MB` in English. */
export function formatSize(bytes, lang) {
    const t = translator(lang);
    const nf = (n, digits) => new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits }).format(n);
    if (bytes < 1024 * 1024)
        return t('contact.size.kb', { n: nf(Math.max(1, Math.ceil(bytes / 1024)), 0) });
    return t('contact.size.mb', { n: nf(Math.round((bytes / (1024 * 1024)) * 10) / 10, 1) });
}
/** `facture.pdf (PDF, 12 Ko)`: in the e-mails and on the request's page. */
export const describeFile = (t, lang, f) => t('contact.request.file', {
    name: f.original_name,
    type: t(fileTypeKey[f.content_type] ?? 'contact.fileType.pdf'),
    size: formatSize(f.size_bytes, lang),
});
/** The first words of a message, on one line, for the acknowledgement. */
export function summarise(message, max = 200) {
    const line = message.replace(/\s+/g, ' ').trim();
    return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
/** The message's lines, as the paragraphs of an e-mail. */
const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');
/** The request's facts, one list item each, in `t`'s language. */
function details(t, lang, r) {
    return [
        t('contact.mail.reference', { reference: r.reference }),
        t('contact.mail.category', { category: t(`contact.category.${r.category}`) }),
        t('contact.mail.contract', { contract: r.contractNumber ?? t('contact.request.none') }),
        ...(r.newPlate && r.effectiveDate ? [t('contact.mail.plate', { plate: r.newPlate, date: formatDate(r.effectiveDate, lang) })] : []),
        t('contact.mail.files', { files: r.files.length ? r.files.map((f) => describeFile(t, lang, f)).join(', ') : t('contact.request.noFiles') }),
    ];
}
export function acknowledgementMail(config, c, r) {
    const lang = c.language;
    const t = translator(lang);
    return {
        subject: t('contact.mail.ack.subject', { reference: r.reference }),
        greeting: t('mail.greeting', { name: displayName(c) }),
        paragraphs: [t('contact.mail.ack.intro', { date: formatDate(r.at, lang) })],
        list: [...details(t, lang, r), t('contact.mail.summary', { summary: summarise(r.message) })],
        action: { label: t('contact.mail.ack.action'), url: publicUrl(config, requestPath(r.reference)) },
        note: t('contact.mail.ack.note', { reference: r.reference }),
    };
}
/** The staff's notice of a new request, with the link to it in the back office. */
export function staffNoticeMail(config, c, r, acknowledged) {
    const t = translator('fr');
    return {
        subject: t('contact.mail.staff.subject', { reference: r.reference, category: t(`contact.category.${r.category}`), number: c.number }),
        paragraphs: [
            t('contact.mail.staff.intro', { date: formatDate(r.at, 'fr'), time: formatTime(r.at, 'fr') }),
            ...(acknowledged ? [] : [t('contact.mail.staff.noAck')]),
            t('contact.mail.staff.message'),
            ...lines(r.message),
        ],
        list: [t('contact.mail.staff.customer', { number: c.number, name: displayName(c) }), ...details(t, 'fr', r)],
        action: { label: t('contact.mail.staff.action'), url: publicUrl(config, staffRequestPath(r.reference)) },
        note: t('contact.mail.staff.note'),
    };
}
/** A staff reply, to the customer in their language: the reply itself and the way back to the request. */
export function replyMail(config, c, r) {
    const lang = c.language;
    const t = translator(lang);
    return {
        subject: t('contact.mail.reply.subject', { reference: r.reference }),
        greeting: t('mail.greeting', { name: displayName(c) }),
        paragraphs: [
            t('contact.mail.reply.intro', { reference: r.reference, date: formatDate(r.requestedAt, lang) }),
            ...lines(r.body),
            t(r.closed ? 'contact.mail.reply.closed' : 'contact.mail.reply.waiting'),
        ],
        action: { label: t('contact.mail.reply.action'), url: publicUrl(config, requestPath(r.reference)) },
        note: t('contact.mail.reply.note', { reference: r.reference }),
    };
}
/** The staff's notice of a customer's answer, like a new request's. */
export function staffAnswerNoticeMail(config, c, r) {
    const t = translator('fr');
    return {
        subject: t('contact.mail.staffAnswer.subject', { reference: r.reference, number: c.number }),
        paragraphs: [
            t('contact.mail.staffAnswer.intro', { date: formatDate(r.at, 'fr'), time: formatTime(r.at, 'fr') }),
            ...(r.reopened ? [t('contact.mail.staffAnswer.reopened')] : []),
            t('contact.mail.staffAnswer.message'),
            ...lines(r.message),
        ],
        list: [
            t('contact.mail.staff.customer', { number: c.number, name: displayName(c) }),
            t('contact.mail.reference', { reference: r.reference }),
            t('contact.mail.category', { category: t(`contact.category.${r.category}`) }),
            t('contact.mail.files', { files: r.files.length ? r.files.map((f) => describeFile(t, 'fr', f)).join(', ') : t('contact.request.noFiles') }),
        ],
        action: { label: t('contact.mail.staff.action'), url: publicUrl(config, staffRequestPath(r.reference)) },
        note: t('contact.mail.staff.note'),
    };
}
//# sourceMappingURL=contact.mails.js.map