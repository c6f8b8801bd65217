import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { STAFF_PREFIX } from '../../areas/staff-area.js';
import { ErrorSummary, FieldErrorText, TextAreaField, describedBy } from '../../lib/forms.js';
import { formatDate, formatDateTime } from '../../lib/i18n.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { Paging } from '../account/account.views.js';
import { displayName } from '../customers/customers.service.js';
import { staffRequestPath } from './contact.mails.js';
import { CATEGORIES, SETTABLE_STATES, STATES, ageInDays } from './contact.rules.js';
import { ConversationPanel, RequestContentFacts } from './contact.views.js';
/* The back office's pages of contact requests: the inbox, and one request with what an agent does with it. */
export const INBOX_PATH = `${STAFF_PREFIX}/demandes`;
/** The inbox's `etat=` for a state filter ('' for the default, every request not closed). */
const stateParam = (state) => (state === 'open' ? '' : state === 'all' ? 'toutes' : state === 'waiting' ? 'a-traiter' : state);
/** The inbox's address with these filters and page: paging keeps the filters. */
export function inboxHref(f, page) {
    const q = new URLSearchParams();
    if (f.state !== 'open')
        q.set('etat', stateParam(f.state));
    if (f.category)
        q.set('objet', f.category);
    if (f.contract)
        q.set('contrat', f.contract);
    if (f.olderThanDays !== undefined)
        q.set('plus_de', String(f.olderThanDays));
    if (f.assignee)
        q.set('attribution', f.assignee === 'me' ? 'moi' : 'personne');
    if (page > 1)
        q.set('page', String(page));
    const s = q.toString();
    return `${INBOX_PATH}${s ? `?${s}` : ''}`;
}
/** A customer's page in the back office. */
export const customerHref = (number) => `${STAFF_PREFIX}/clients/${encodeURIComponent(number)}`;
/** `Aujourd’hui`, `1 jour`, `12 jours`. */
export function ageText(ctx, createdAt, now) {
    const n = ageInDays(createdAt, now);
    return n === 0 ? ctx.t('contact.inbox.age.today') : n === 1 ? ctx.t('contact.inbox.age.day') : ctx.t('contact.inbox.age.days', { n });
}
function InboxFiltersForm({ ctx, filters }) {
    const { t } = ctx;
    const state = stateParam(filters.state);
    return (_jsxs("form", { method: "get", action: INBOX_PATH, class: "filters", "aria-label": t('contact.inbox.filters'), children: [_jsxs("div", { class: "field", children: [_jsx("label", { for: "f-etat", children: t('contact.inbox.filter.state') }), _jsxs("select", { id: "f-etat", name: "etat", children: [_jsx("option", { value: "", children: t('contact.inbox.filter.state.open') }), _jsx("option", { value: "a-traiter", selected: state === 'a-traiter', children: t('contact.inbox.filter.state.waiting') }), STATES.map((s) => (_jsx("option", { value: s, selected: state === s, children: t(`contact.staffStatus.${s}`) }, s))), _jsx("option", { value: "toutes", selected: state === 'toutes', children: t('contact.inbox.filter.state.all') })] })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-objet", children: t('contact.inbox.filter.category') }), _jsxs("select", { id: "f-objet", name: "objet", children: [_jsx("option", { value: "", children: t('contact.inbox.filter.category.all') }), CATEGORIES.map((c) => (_jsx("option", { value: c, selected: filters.category === c, children: t(`contact.category.${c}`) }, c)))] })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-contrat", children: t('contact.inbox.filter.contract') }), _jsx("input", { id: "f-contrat", name: "contrat", type: "text", value: filters.contract ?? '', autocomplete: "off" })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-plus-de", children: t('contact.inbox.filter.age') }), _jsx("input", { id: "f-plus-de", name: "plus_de", type: "number", min: "0", max: "3650", inputmode: "numeric", value: filters.olderThanDays === undefined ? '' : String(filters.olderThanDays) })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-attribution", children: t('contact.inbox.filter.assignee') }), _jsxs("select", { id: "f-attribution", name: "attribution", children: [_jsx("option", { value: "", children: t('contact.inbox.filter.assignee.all') }), _jsx("option", { value: "moi", selected: filters.assignee === 'me', children: t('contact.inbox.filter.assignee.me') }), _jsx("option", { value: "personne", selected: filters.assignee === 'nobody', children: t('contact.inbox.filter.assignee.nobody') })] })] }), _jsxs("div", { class: "filter-actions", children: [_jsx("button", { type: "submit", class: "button", children: t('contact.inbox.filter.submit') }), _jsx("a", { href: INBOX_PATH, children: t('contact.inbox.filter.reset') })] })] }));
}
export function InboxView({ ctx, filters, rows, total, page, now }) {
    const { t, lang } = ctx;
    const col = {
        reference: t('contact.inbox.col.reference'),
        customer: t('contact.inbox.col.customer'),
        category: t('contact.inbox.col.category'),
        received: t('contact.inbox.col.received'),
        age: t('contact.inbox.col.age'),
        state: t('contact.inbox.col.state'),
        assignee: t('contact.inbox.col.assignee'),
    };
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('contact.inbox.title') }), _jsx("p", { children: t('contact.inbox.intro') }), _jsx(InboxFiltersForm, { ctx: ctx, filters: filters }), rows.length === 0 ? (_jsx("p", { children: t('contact.inbox.none') })) : (_jsxs("table", { class: "stack inbox", children: [_jsx("caption", { children: t('contact.inbox.caption', { total }) }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: col.reference }), _jsx("th", { scope: "col", children: col.customer }), _jsx("th", { scope: "col", children: col.category }), _jsx("th", { scope: "col", children: col.received }), _jsx("th", { scope: "col", children: col.age }), _jsx("th", { scope: "col", children: col.state }), _jsx("th", { scope: "col", children: col.assignee })] }) }), _jsx("tbody", { children: rows.map((r) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": col.reference, children: _jsx("a", { href: staffRequestPath(r.reference), children: r.reference }) }), _jsx("td", { "data-label": col.customer, children: _jsx("a", { href: customerHref(r.customer_number), children: t('contact.staff.customerLink', { number: r.customer_number, name: displayName(r) }) }) }), _jsx("td", { "data-label": col.category, children: t(`contact.category.${r.category}`) }), _jsx("td", { "data-label": col.received, children: formatDate(r.created_at, lang) }), _jsx("td", { "data-label": col.age, children: ageText(ctx, r.created_at, now) }), _jsx("td", { "data-label": col.state, children: _jsx("span", { class: `status status-${r.status}`, children: t(`contact.staffStatus.${r.status}`) }) }), _jsx("td", { "data-label": col.assignee, children: r.assignee_name ?? t('contact.inbox.nobody') })] }, r.id))) })] })), _jsx(Paging, { ctx: ctx, page: page, total: total, summary: "contact.inbox.paging", href: (p) => inboxHref(filters, p) })] }));
}
const Req = ({ ctx }) => _jsx("span", { class: "req", children: ctx.t('contact.form.requiredMark') });
/** A text area of the request page, with its hint and errors (all required). */
function TextArea({ ctx, name, label, hint, value, errors }) {
    return (_jsx(TextAreaField, { t: ctx.t, name: name, label: _jsxs(_Fragment, { children: [label, " ", _jsx(Req, { ctx: ctx })] }), hint: hint, errors: errors[name], rows: 6, required: true, value: value }));
}
/** The conversation after the request, notes included and marked. */
function StaffConversation({ ctx, request, href }) {
    const { t, lang } = ctx;
    return (_jsx(ConversationPanel, { ctx: ctx, headingId: "conversation", title: t('contact.staff.conversation'), none: t('contact.staff.conversation.none'), messages: request.messages, attachments: request.attachments, href: href, meta: (m) => {
            const author = m.author_type === 'customer' ? t('contact.staff.author.customer') : (m.staff_name ?? t('contact.staff.author.service'));
            return t('contact.staff.meta', { author, dateTime: formatDateTime(m.created_at, lang) });
        }, kind: (m) => (m.internal ? 'note' : m.author_type), mark: (m) => m.internal === 1 && _jsx("p", { class: "note-mark", children: t('contact.staff.note.mark') }) }));
}
export function StaffRequestView({ ctx, request, staff, meId, notice, values, errors }) {
    const { t, lang } = ctx;
    const path = staffRequestPath(request.reference);
    const href = (a) => `${path}/pieces/${a.id}`;
    const emailed = Boolean((request.email_primary && request.email_primary_verified_at) || (request.email_secondary && request.email_secondary_verified_at));
    const labels = {
        assignee: t('contact.staff.assign.label'),
        note: t('contact.staff.note.label'),
        reply: t('contact.staff.reply.label'),
        state: t('contact.staff.state.label'),
    };
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx("a", { href: INBOX_PATH, children: t('contact.staff.back') }) }), _jsx("h1", { children: t('contact.request.title', { reference: request.reference }) }), notice && (_jsx(StatusMessage, { children: t(notice.key, notice.params) })), _jsx(ErrorSummary, { t: t, errors: errors, labels: labels, title: "contact.staff.errorSummary" }), _jsxs("section", { class: "panel", "aria-labelledby": "request-details", children: [_jsx("h2", { id: "request-details", children: t('contact.staff.details') }), _jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('contact.staff.customer') }), _jsx("dd", { children: _jsx("a", { href: customerHref(request.customer_number), children: t('contact.staff.customerLink', { number: request.customer_number, name: displayName(request) }) }) }), _jsx("dt", { children: t('contact.staff.customerLanguage') }), _jsx("dd", { children: t(`contact.staff.language.${request.customer_language}`) }), _jsx("dt", { children: t('contact.request.category') }), _jsx("dd", { children: t(`contact.category.${request.category}`) }), _jsx("dt", { children: t('contact.request.contract') }), _jsx("dd", { children: request.contract_number ? `${request.contract_number}${request.car_park_name ? ` — ${request.car_park_name}` : ''}` : t('contact.request.none') }), _jsx("dt", { children: t('contact.staff.received') }), _jsx("dd", { children: formatDateTime(request.created_at, lang) }), _jsx("dt", { children: t('contact.staff.state') }), _jsx("dd", { children: _jsx("span", { class: `status status-${request.status}`, children: t(`contact.staffStatus.${request.status}`) }) }), request.closed_at && (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('contact.staff.closedAt') }), _jsx("dd", { children: formatDateTime(request.closed_at, lang) })] })), _jsx("dt", { children: t('contact.staff.assignee') }), _jsx("dd", { children: request.assignee_name ?? t('contact.inbox.nobody') }), _jsx(RequestContentFacts, { ctx: ctx, request: request, labels: { message: t('contact.staff.message'), files: t('contact.staff.attachments') }, href: href })] }), request.attachments.length > 0 && _jsx("p", { class: "hint", children: t('contact.staff.attachments.hint') })] }), _jsx(StaffConversation, { ctx: ctx, request: request, href: href }), _jsxs("section", { class: "panel", "aria-labelledby": "actions", children: [_jsx("h2", { id: "actions", children: t('contact.staff.actions') }), _jsx("h3", { id: "reply-title", children: t('contact.staff.reply.title') }), !emailed && _jsx("p", { class: "notice warning", children: t('contact.staff.reply.noEmail') }), _jsxs("form", { method: "post", action: `${path}/reponse`, "aria-labelledby": "reply-title", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "submission", value: values.replySubmission }), _jsx(TextArea, { ctx: ctx, name: "reply", label: labels.reply, hint: t('contact.staff.reply.hint'), value: values.reply, errors: errors }), _jsxs("div", { class: "checkbox", children: [_jsx("input", { type: "checkbox", id: "close", name: "close", value: "1", checked: values.close }), _jsx("label", { for: "close", children: t('contact.staff.reply.close') })] }), _jsx("button", { type: "submit", class: "button", children: t('contact.staff.reply.submit') })] }), _jsx("h3", { id: "note-title", children: t('contact.staff.note.title') }), _jsxs("form", { method: "post", action: `${path}/note`, "aria-labelledby": "note-title", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "submission", value: values.noteSubmission }), _jsx(TextArea, { ctx: ctx, name: "note", label: labels.note, hint: t('contact.staff.note.hint'), value: values.note, errors: errors }), _jsx("button", { type: "submit", class: "button secondary", children: t('contact.staff.note.submit') })] }), _jsx("h3", { id: "assign-title", children: t('contact.staff.assign.title') }), request.assigned_staff_id !== meId && (_jsxs("form", { method: "post", action: `${path}/attribution`, class: "inline-block", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "assignee", value: meId }), _jsx("button", { type: "submit", class: "button secondary", children: t('contact.staff.assign.me') })] })), _jsxs("form", { method: "post", action: `${path}/attribution`, "aria-labelledby": "assign-title", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsxs("div", { class: errors.assignee ? 'field has-error' : 'field', children: [_jsx("label", { for: "assignee", children: labels.assignee }), _jsx(FieldErrorText, { t: t, name: "assignee", errors: errors.assignee }), _jsxs("select", { id: "assignee", name: "assignee", "aria-invalid": errors.assignee ? 'true' : undefined, "aria-describedby": describedBy(errors.assignee && 'assignee-error'), children: [_jsx("option", { value: "", children: t('contact.staff.assign.nobody') }), staff.map((s) => (_jsx("option", { value: s.id, selected: request.assigned_staff_id === s.id, children: s.display_name }, s.id)))] })] }), _jsx("button", { type: "submit", class: "button secondary", children: t('contact.staff.assign.submit') })] }), _jsx("h3", { id: "state-title", children: t('contact.staff.state.title') }), _jsxs("form", { method: "post", action: `${path}/etat`, "aria-labelledby": "state-title", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsxs("div", { class: errors.state ? 'field has-error' : 'field', children: [_jsx("label", { for: "state", children: labels.state }), _jsx(FieldErrorText, { t: t, name: "state", errors: errors.state }), _jsx("select", { id: "state", name: "state", "aria-invalid": errors.state ? 'true' : undefined, "aria-describedby": describedBy(errors.state && 'state-error'), children: SETTABLE_STATES.map((s) => (_jsx("option", { value: s, selected: request.status === s, children: t(`contact.staffStatus.${s}`) }, s))) })] }), _jsx("button", { type: "submit", class: "button secondary", children: t('contact.staff.state.submit') })] })] })] }));
}
//# sourceMappingURL=contact.backoffice.views.js.map