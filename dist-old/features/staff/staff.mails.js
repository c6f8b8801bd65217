import { formatDateTime, translator } from '../../lib/i18n.js';
/*
 * The staff's e-mails, in French (staff e-mails are French by design): the enrolment link,
 * on an invitation or when an admin resets a member's access. Content only; `team.service.ts`
 * queues it in the transaction that issues the link.
 */
export function enrolmentMail(_config, member, link, by, kind) {
    const t = translator('fr');
    const role = t(member.role === 'admin' ? 'staff.role.admin' : 'staff.role.agent');
    return ({ name: operator }) => ({
        subject: t('staff.mail.enrol.subject', { operator }),
        ...(member.display_name ? { greeting: t('mail.greeting', { name: member.display_name }) } : {}),
        paragraphs: [
            kind === 'invited' ? t('staff.mail.enrol.invited', { by, operator, role }) : t('staff.mail.enrol.reset', { by, operator }),
            t('staff.mail.enrol.how'),
        ],
        action: { label: t('staff.mail.enrol.action'), url: link.url },
        note: t('staff.mail.enrol.note', { date: formatDateTime(link.expiresAt, 'fr'), by }),
    });
}
//# sourceMappingURL=staff.mails.js.map