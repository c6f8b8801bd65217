import { translator } from '../../lib/i18n.js';
/*
 * The newsletter's e-mails, in the subscriber's language: the confirmation of a subscription,
 * the unsubscribe link asked for, and an issue. Content only; `newsletter.service.ts` queues
 * them with the subscription's unsubscribe link and headers.
 */
export function confirmationMail(_config, lang, email, confirmLink, unsubscribeLink) {
    const t = translator(lang);
    return ({ name: operator }) => ({
        subject: t('newsletter.mail.confirm.subject', { operator }),
        greeting: t('mail.greeting.anonymous'),
        paragraphs: [t('newsletter.mail.confirm.intro', { operator, email }), t('newsletter.mail.confirm.ask')],
        action: { label: t('newsletter.mail.confirm.action'), url: confirmLink },
        note: t('newsletter.mail.confirm.note', { url: unsubscribeLink }),
    });
}
export function unsubscribeLinkMail(_config, lang, unsubscribeLink) {
    const t = translator(lang);
    return (o) => ({
        subject: t('newsletter.mail.link.subject', { operator: o.name }),
        greeting: t('mail.greeting.anonymous'),
        paragraphs: [t('newsletter.mail.link.intro')],
        action: { label: t('newsletter.mail.link.action'), url: unsubscribeLink },
        note: t('newsletter.mail.link.note'),
    });
}
export function issueText(issue, lang) {
    const [subject, body] = lang === 'fr' ? [issue.subjectFr, issue.bodyFr] : [issue.subjectEn, issue.bodyEn];
    return {
        subject: subject.trim(),
        paragraphs: body
            .replace(/\r\n?/g, '\n')
            .split(/\n\s*\n/)
            .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
            .filter(Boolean),
    };
}
export function issueMail(_config, lang, text, unsubscribeLink) {
    const t = translator(lang);
    return (o) => ({
        subject: text.subject,
        greeting: t('mail.greeting.anonymous'),
        paragraphs: text.paragraphs,
        note: t('newsletter.mail.issue.footer', { operator: o.name }),
        unsubscribe: { label: t('newsletter.mail.issue.unsubscribe'), url: unsubscribeLink },
    });
}
//# sourceMappingURL=newsletter.mails.js.map