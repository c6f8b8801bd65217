import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { formatDateTime } from '../../lib/i18n.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { Paging } from '../account/account.views.js';
import { OUTBOX_STATES } from './mail.backoffice.queries.js';
/*
 * The outbox page (`/gestion/emails`): the e-mails waiting, sent, failing and given up, with
 * their failure reason and "retry". Never what they said.
 */
export const EMAILS_PATH = '/gestion/emails';
/** The list's URL for these filters and page (`etat`, `destinataire`, `modele`, `page`). */
export function emailsHref(f, page = 1) {
    const q = new URLSearchParams();
    if (f.state)
        q.set('etat', f.state);
    if (f.recipient)
        q.set('destinataire', f.recipient);
    if (f.template)
        q.set('modele', f.template);
    if (page > 1)
        q.set('page', String(page));
    const s = q.toString();
    return s ? `${EMAILS_PATH}?${s}` : EMAILS_PATH;
}
const stateOf = (r) => (r.status === 'pending' ? (r.attempts > 0 ? 'failing' : 'pending') : r.status);
const retriedKey = {
    requeued: 'mail.bo.retried.requeued',
    content_forgotten: 'mail.bo.retried.forgotten',
    already_sent: 'mail.bo.retried.sent',
    not_failed: 'mail.bo.retried.notFailed',
    in_flight: 'mail.bo.retried.inFlight',
};
function Retried({ ctx, retried }) {
    if (retried.outcome === 'not_found')
        return null;
    const text = ctx.t(retriedKey[retried.outcome], { recipient: retried.recipient, template: retried.template });
    return retried.outcome === 'requeued' ? (_jsx("div", { class: "notice", role: "status", children: _jsx("p", { children: text }) })) : (_jsx(StatusMessage, { alert: true, children: text }));
}
/** The retry button of a message that can be sent again; what to do instead for one that cannot. */
function RetryCell({ ctx, row, back }) {
    const { t } = ctx;
    const state = stateOf(row);
    if (state === 'dead' && row.forgotten)
        return _jsx("span", { class: "hint", children: t('mail.bo.cannotResend') });
    if ((state === 'dead' || state === 'failing') && !row.inFlight) {
        return (_jsxs("form", { method: "post", action: `${EMAILS_PATH}/${row.id}/nouvel-essai`, class: "inline", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "retour", value: back }), _jsx("button", { type: "submit", class: "button dd-secondary", "aria-label": t('mail.bo.retry.label', { recipient: row.recipient, subject: row.subject }), children: t('mail.bo.retry') })] }));
    }
    return null;
}
export function EmailsView({ ctx, data }) {
    const { t } = ctx;
    const { filters } = data;
    const back = emailsHref(filters, data.page);
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('mail.bo.title') }), data.retried && _jsx(Retried, { ctx: ctx, retried: data.retried }), _jsx("p", { children: t('mail.bo.intro') }), _jsxs("form", { method: "get", action: EMAILS_PATH, class: "filters", "aria-label": t('mail.bo.filters'), children: [_jsxs("div", { class: "field", children: [_jsx("label", { for: "f-etat", children: t('mail.bo.filter.state') }), _jsxs("select", { id: "f-etat", name: "etat", children: [_jsx("option", { value: "", children: t('mail.bo.filter.all') }), OUTBOX_STATES.map((s) => (_jsx("option", { value: s, selected: filters.state === s, children: t(`mail.bo.state.${s}`) }, s)))] })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-destinataire", children: t('mail.bo.filter.recipient') }), _jsx("input", { id: "f-destinataire", name: "destinataire", type: "text", value: filters.recipient, autocomplete: "off", spellcheck: false })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-modele", children: t('mail.bo.filter.template') }), _jsxs("select", { id: "f-modele", name: "modele", children: [_jsx("option", { value: "", children: t('mail.bo.filter.all') }), data.templates.map((m) => (_jsx("option", { value: m, selected: filters.template === m, children: m }, m)))] })] }), _jsxs("div", { class: "filter-actions", children: [_jsx("button", { type: "submit", class: "button", children: t('mail.bo.filter.apply') }), _jsx("a", { href: EMAILS_PATH, children: t('mail.bo.filter.reset') })] })] }), data.rows.length === 0 ? (_jsx("p", { children: t('mail.bo.empty') })) : (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('mail.bo.caption', { count: data.total }) }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('mail.bo.col.recipient') }), _jsx("th", { scope: "col", children: t('mail.bo.col.subject') }), _jsx("th", { scope: "col", children: t('mail.bo.col.template') }), _jsx("th", { scope: "col", children: t('mail.bo.col.state') }), _jsx("th", { scope: "col", class: "num", children: t('mail.bo.col.attempts') }), _jsx("th", { scope: "col", children: t('mail.bo.col.error') }), _jsx("th", { scope: "col", children: t('mail.bo.col.dates') }), _jsx("th", { scope: "col", children: t('mail.bo.col.action') })] }) }), _jsx("tbody", { children: data.rows.map((r) => {
                            const state = stateOf(r);
                            return (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('mail.bo.col.recipient'), children: _jsx("span", { class: "bo-address", children: r.recipient }) }), _jsx("td", { "data-label": t('mail.bo.col.subject'), children: r.subject }), _jsx("td", { "data-label": t('mail.bo.col.template'), children: _jsx("span", { class: "dd-mono", children: r.template }) }), _jsx("td", { "data-label": t('mail.bo.col.state'), children: _jsx("span", { class: `bo-mail bo-mail-${state}`, children: t(r.inFlight ? 'mail.bo.state.inFlight' : `mail.bo.state.${state}`) }) }), _jsx("td", { class: "num", "data-label": t('mail.bo.col.attempts'), children: r.attempts }), _jsx("td", { "data-label": t('mail.bo.col.error'), children: r.lastError ? _jsx("span", { class: "bo-error", children: r.lastError }) : _jsx("span", { class: "muted", children: "\u2014" }) }), _jsx("td", { "data-label": t('mail.bo.col.dates'), children: _jsxs("span", { children: [_jsx("span", { class: "line", children: t('mail.bo.date.created', { date: formatDateTime(r.createdAt, ctx.lang) }) }), r.sentAt && _jsx("span", { class: "line", children: t('mail.bo.date.sent', { date: formatDateTime(r.sentAt, ctx.lang) }) }), r.status === 'pending' && _jsx("span", { class: "line", children: t('mail.bo.date.next', { date: formatDateTime(r.nextAttemptAt, ctx.lang) }) })] }) }), _jsx("td", { "data-label": t('mail.bo.col.action'), children: _jsx(RetryCell, { ctx: ctx, row: r, back: back }) })] }, r.id));
                        }) })] })), _jsx(Paging, { ctx: ctx, page: data.page, total: data.total, summary: "mail.bo.page", href: (page) => emailsHref(filters, page) })] }));
}
//# sourceMappingURL=mail.backoffice.views.js.map