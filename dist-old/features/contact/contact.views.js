import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { newId } from '../../lib/clock.js';
import { ErrorSummary, Field, FieldErrorText, TextAreaField, describedBy } from '../../lib/forms.js';
import { formatDate, formatDateTime } from '../../lib/i18n.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { CarParkCard, openingHoursText, telHref } from '../public/public.views.js';
import { CATEGORIES } from './contact.rules.js';
import { describeFile, requestPath } from './contact.mails.js';
/** A blank form, with a new one-time submission id. */
export const emptyValues = () => ({ category: '', contract: '', message: '', new_plate: '', effective_date: '', submission: newId() });
function ContactErrorSummary({ ctx, errors }) {
    const { t } = ctx;
    const labels = {
        category: t('contact.form.category'),
        contract: t('contact.form.contract'),
        message: t('contact.form.message'),
        new_plate: t('contact.form.plate'),
        effective_date: t('contact.form.date'),
        attachments: t('contact.form.files'),
    };
    // The category's link goes to its first radio button.
    return (_jsx(ErrorSummary, { t: t, errors: errors, labels: labels, anchors: { category: 'category-address' }, title: "contact.form.errorSummary", level: 3, children: _jsx("p", { children: t('contact.form.files.again') }) }));
}
const Req = ({ ctx }) => _jsx("span", { class: "req", children: ctx.t('contact.form.requiredMark') });
const Opt = ({ ctx }) => _jsx("span", { class: "opt", children: ctx.t('contact.form.optionalMark') });
/** The file input of the contact form and of an answer: its limits, and its errors. */
function AttachmentsField({ ctx, errors, hasErrors }) {
    const { t } = ctx;
    return (_jsxs("div", { class: errors ? 'field has-error' : 'field', children: [_jsxs("label", { for: "attachments", children: [t('contact.form.files'), " ", _jsx(Opt, { ctx: ctx })] }), _jsx("p", { class: "hint", id: "attachments-hint", children: t('contact.form.files.hint') }), hasErrors && (_jsx("p", { class: "hint warning", id: "attachments-again", children: t('contact.form.files.again') })), _jsx(FieldErrorText, { t: t, name: "attachments", errors: errors, list: true }), _jsx("input", { type: "file", id: "attachments", name: "attachments", multiple: true, accept: ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg", "aria-invalid": errors ? 'true' : undefined, "aria-describedby": describedBy('attachments-hint', hasErrors && 'attachments-again', errors && 'attachments-error') })] }));
}
export function ContactForm({ ctx, data }) {
    const { t } = ctx;
    const { values, errors, contracts } = data;
    const hasErrors = Object.keys(errors).length > 0;
    return (_jsxs("section", { class: "panel", "aria-labelledby": "contact-form-title", children: [_jsx("h2", { id: "contact-form-title", children: t('contact.form.title') }), _jsx("p", { children: t('contact.form.intro') }), _jsx(ContactErrorSummary, { ctx: ctx, errors: errors }), _jsxs("form", { method: "post", action: "/contact", enctype: "multipart/form-data", novalidate: true, class: "contact-form", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "submission", value: values.submission }), _jsxs("fieldset", { class: errors.category ? 'choice has-error' : 'choice', "aria-describedby": errors.category ? 'category-error' : undefined, children: [_jsxs("legend", { children: [t('contact.form.category'), " ", _jsx(Req, { ctx: ctx })] }), _jsx(FieldErrorText, { t: t, name: "category", errors: errors.category }), CATEGORIES.map((c) => (_jsxs("div", { class: "radio-item", children: [_jsx("input", { type: "radio", id: `category-${c}`, name: "category", value: c, checked: values.category === c }), _jsx("label", { for: `category-${c}`, children: t(`contact.category.${c}`) }), c === 'plate' && (_jsxs("div", { class: "conditional", id: "plate-details", children: [_jsx(Field, { t: t, name: "new_plate", label: _jsxs(_Fragment, { children: [t('contact.form.plate'), " ", _jsx(Req, { ctx: ctx })] }), hint: t('contact.form.plate.hint'), value: values.new_plate, errors: errors.new_plate, autocomplete: "off", required: true }), _jsx(Field, { t: t, name: "effective_date", type: "date", label: _jsxs(_Fragment, { children: [t('contact.form.date'), " ", _jsx(Req, { ctx: ctx })] }), hint: t('contact.form.date.hint'), value: values.effective_date, errors: errors.effective_date, required: true })] }))] }, c)))] }), _jsxs("div", { class: errors.contract ? 'field has-error' : 'field', children: [_jsxs("label", { for: "contract", children: [t('contact.form.contract'), " ", _jsx(Opt, { ctx: ctx })] }), _jsx(FieldErrorText, { t: t, name: "contract", errors: errors.contract }), _jsxs("select", { id: "contract", name: "contract", "aria-invalid": errors.contract ? 'true' : undefined, "aria-describedby": describedBy(errors.contract && 'contract-error'), children: [_jsx("option", { value: "", children: t('contact.form.contract.none') }), contracts.map((k) => (_jsx("option", { value: k.number, selected: values.contract === k.number, children: k.status === 'ended' ? t('contact.form.contract.ended', { number: k.number, carPark: k.car_park_name }) : `${k.number} — ${k.car_park_name}` }, k.id)))] })] }), _jsx(TextAreaField, { t: t, name: "message", label: _jsxs(_Fragment, { children: [t('contact.form.message'), " ", _jsx(Req, { ctx: ctx })] }), hint: t('contact.form.message.hint'), errors: errors.message, rows: 8, required: true, value: values.message }), _jsx(AttachmentsField, { ctx: ctx, errors: errors.attachments, hasErrors: hasErrors }), _jsx("button", { type: "submit", class: "button", children: t('contact.form.submit') })] })] }));
}
export function RequestsList({ ctx, requests }) {
    const { t, lang } = ctx;
    return (_jsxs("section", { class: "panel", "aria-labelledby": "mes-demandes", children: [_jsx("h2", { id: "mes-demandes", tabindex: -1, children: t('contact.requests.title') }), requests.length === 0 ? (_jsx("p", { children: t('contact.requests.none') })) : (_jsxs("table", { class: "stack requests", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('contact.requests.reference') }), _jsx("th", { scope: "col", children: t('contact.requests.date') }), _jsx("th", { scope: "col", children: t('contact.requests.category') }), _jsx("th", { scope: "col", children: t('contact.requests.contract') }), _jsx("th", { scope: "col", children: t('contact.requests.status') })] }) }), _jsx("tbody", { children: requests.map((r) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('contact.requests.reference'), children: _jsx("a", { href: `/contact/demandes/${r.reference}`, children: r.reference }) }), _jsx("td", { "data-label": t('contact.requests.date'), children: formatDate(r.created_at, lang) }), _jsx("td", { "data-label": t('contact.requests.category'), children: t(`contact.category.${r.category}`) }), _jsx("td", { "data-label": t('contact.requests.contract'), children: r.contract_number ?? t('contact.request.none') }), _jsx("td", { "data-label": t('contact.requests.status'), children: _jsx("span", { class: `status status-${r.status}`, children: t(`contact.status.${r.status}`) }) })] }, r.id))) })] }))] }));
}
export function ContactPageView({ ctx, operator, parks, form, }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('contact.title') }), _jsx("p", { children: t('contact.intro') }), form ? (_jsxs(_Fragment, { children: [_jsx(ContactForm, { ctx: ctx, data: form }), _jsx(RequestsList, { ctx: ctx, requests: form.requests })] })) : (_jsxs("p", { class: "login-invite", children: [t('contact.login'), " ", _jsx("a", { href: "/connexion", children: t('contact.login.link') })] })), _jsxs("section", { class: "panel", "aria-labelledby": "service", children: [_jsx("h2", { id: "service", children: t('contact.service') }), _jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('contact.phone') }), _jsx("dd", { children: _jsx("a", { href: telHref(operator.phone), children: operator.phone }) }), _jsx("dt", { children: t('parkings.hours') }), _jsx("dd", { children: openingHoursText(ctx, operator.opening_hours) }), _jsx("dt", { children: t('contact.email') }), _jsx("dd", { children: _jsx("a", { href: `mailto:${operator.email}`, children: operator.email }) }), _jsx("dt", { children: t('contact.address') }), _jsxs("dd", { children: [operator.name, ", ", operator.address] })] })] }), parks.length > 0 && (_jsxs("section", { class: "panel", "aria-labelledby": "your-parks", children: [_jsx("h2", { id: "your-parks", children: t('contact.yourParks') }), _jsx("div", { class: "cards", children: parks.map((p) => (_jsx(CarParkCard, { ctx: ctx, park: p, headingLevel: 3 }, p.id))) })] }))] }));
}
/** A link that downloads one attachment, named, typed and sized. */
export function AttachmentLink({ ctx, href, file }) {
    const { t, lang } = ctx;
    const described = describeFile(t, lang, file);
    return (_jsx("a", { href: href, download: file.original_name, "aria-label": t('contact.request.download', { file: described }), children: described }));
}
/** The attachments of a request or of one of its messages, each a download link. */
export function AttachmentList({ ctx, files, href }) {
    return (_jsx("ul", { class: "attachments", children: files.map((a) => (_jsx("li", { children: _jsx(AttachmentLink, { ctx: ctx, href: href(a), file: a }) }, a.id))) }));
}
export const emptyAnswer = () => ({ values: { message: '', submission: newId() }, errors: {} });
/** The customer's answer to their request: a message and files, as the contact form takes them. */
function AnswerForm({ ctx, request, form }) {
    const { t } = ctx;
    const { values, errors } = form;
    const hasErrors = Object.keys(errors).length > 0;
    return (_jsxs("section", { class: "panel", "aria-labelledby": "answer-title", children: [_jsx("h2", { id: "answer-title", children: t('contact.answer.title') }), request.status === 'waiting_customer' && _jsx("p", { children: t('contact.answer.waiting') }), request.status === 'closed' && _jsx("p", { children: t('contact.answer.reopen') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: { message: t('contact.answer.message'), attachments: t('contact.form.files') }, title: "contact.answer.errorSummary", level: 3, children: _jsx("p", { children: t('contact.form.files.again') }) }), _jsxs("form", { method: "post", action: `${requestPath(request.reference)}/reponse`, enctype: "multipart/form-data", novalidate: true, class: "contact-form", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "submission", value: values.submission }), _jsx(TextAreaField, { t: t, name: "message", label: _jsxs(_Fragment, { children: [t('contact.answer.message'), " ", _jsx(Req, { ctx: ctx })] }), hint: t('contact.form.message.hint'), errors: errors.message, rows: 6, required: true, value: values.message }), _jsx(AttachmentsField, { ctx: ctx, errors: errors.attachments, hasErrors: hasErrors }), _jsx("button", { type: "submit", class: "button", children: t('contact.answer.submit') })] })] }));
}
/**
 * A request's conversation: each message with its meta line, its text and its files. The one
 * rendering for the customer's page and the back office's; they differ by the words (heading,
 * meta line), the message's class and a mark before it (the back office's internal notes).
 */
export function ConversationPanel({ ctx, headingId, title, none, messages, attachments, href, meta, kind = (m) => m.author_type, mark, }) {
    return (_jsxs("section", { class: "panel", "aria-labelledby": headingId, children: [_jsx("h2", { id: headingId, children: title }), messages.length === 0 ? (_jsx("p", { children: none })) : (_jsx("ol", { class: "conversation", children: messages.map((m) => {
                    const files = attachments.filter((a) => a.message_id === m.id);
                    return (_jsxs("li", { class: `message message-${kind(m)}`, children: [mark?.(m), _jsx("p", { class: "message-meta", children: meta(m) }), _jsx("p", { class: "message-text", children: m.body }), files.length > 0 && _jsx(AttachmentList, { ctx: ctx, files: files, href: href })] }, m.id));
                }) }))] }));
}
/** The conversation after the request, as the customer sees it: their answers and the service's replies (never a note). */
function Conversation({ ctx, request }) {
    const { t, lang } = ctx;
    return (_jsx(ConversationPanel, { ctx: ctx, headingId: "conversation-title", title: t('contact.conversation.title'), none: t('contact.conversation.none'), messages: request.messages, attachments: request.attachments, href: (a) => `${requestPath(request.reference)}/pieces/${a.id}`, meta: (m) => t('contact.conversation.meta', {
            author: t(m.author_type === 'customer' ? 'contact.conversation.you' : 'contact.conversation.service'),
            dateTime: formatDateTime(m.created_at, lang),
        }) }));
}
/**
 * What a request says, as `<dt>`/`<dd>` pairs inside its facts: the new plate and its date (a plate
 * change), the message and the files sent with it. The customer's page and the back office's;
 * they name the message and the files in their own words.
 */
export function RequestContentFacts({ ctx, request, labels, href, }) {
    const { t, lang } = ctx;
    const own = request.attachments.filter((a) => a.message_id === null);
    return (_jsxs(_Fragment, { children: [request.new_plate && (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('contact.request.plate') }), _jsx("dd", { class: "plate", children: request.new_plate })] })), request.effective_date && (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('contact.request.effective') }), _jsx("dd", { children: formatDate(request.effective_date, lang) })] })), _jsx("dt", { children: labels.message }), _jsx("dd", { class: "message-text", children: request.message }), _jsx("dt", { children: labels.files }), _jsx("dd", { children: own.length === 0 ? t('contact.request.noFiles') : _jsx(AttachmentList, { ctx: ctx, files: own, href: href }) })] }));
}
export function RequestView({ ctx, request, sent, answered, answer, }) {
    const { t, lang } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('contact.request.title', { reference: request.reference }) }), sent && (_jsxs("div", { class: "notice", role: "status", children: [_jsx("p", { children: t('contact.request.sent', { reference: request.reference }) }), _jsx("p", { children: sent.addresses.length > 0 ? t('contact.request.ackSent', { addresses: sent.addresses.join(', ') }) : t('contact.request.noAck') })] })), answered && (_jsx(StatusMessage, { children: t('contact.answer.sent') })), _jsxs("section", { class: "panel", "aria-labelledby": "request-details", children: [_jsx("h2", { id: "request-details", children: t('contact.request.details') }), _jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('contact.request.reference') }), _jsx("dd", { children: request.reference }), _jsx("dt", { children: t('contact.request.date') }), _jsx("dd", { children: formatDate(request.created_at, lang) }), _jsx("dt", { children: t('contact.request.category') }), _jsx("dd", { children: t(`contact.category.${request.category}`) }), _jsx("dt", { children: t('contact.request.contract') }), _jsx("dd", { children: request.contract_number ? (_jsxs("a", { href: `/contrats/${encodeURIComponent(request.contract_number)}`, children: [request.contract_number, request.car_park_name ? ` — ${request.car_park_name}` : ''] })) : (t('contact.request.none')) }), _jsx("dt", { children: t('contact.request.status') }), _jsx("dd", { children: _jsx("span", { class: `status status-${request.status}`, children: t(`contact.status.${request.status}`) }) }), _jsx(RequestContentFacts, { ctx: ctx, request: request, labels: { message: t('contact.request.message'), files: t('contact.request.files') }, href: (a) => `${requestPath(request.reference)}/pieces/${a.id}` })] })] }), _jsx(Conversation, { ctx: ctx, request: request }), _jsx(AnswerForm, { ctx: ctx, request: request, form: answer }), _jsx("p", { children: _jsx("a", { href: "/contact#mes-demandes", children: t('contact.request.back') }) })] }));
}
//# sourceMappingURL=contact.views.js.map