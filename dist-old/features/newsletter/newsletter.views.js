import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { ErrorSummary, Field } from '../../lib/forms.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
export function NewsletterView({ ctx, notice, errors = {}, values = {}, }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('newsletter.title') }), _jsx("p", { children: t('newsletter.intro') }), notice && (_jsx(StatusMessage, { children: t(notice) })), _jsxs("section", { class: "panel newsletter-form", "aria-labelledby": "subscribe-title", children: [_jsx("h2", { id: "subscribe-title", children: t('newsletter.subscribe.title') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: { email: t('newsletter.email') } }), _jsxs("form", { method: "post", action: "/newsletter", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx(Field, { t: t, name: "email", type: "email", label: t('newsletter.email'), hint: t('newsletter.email.hint'), value: values.email, errors: errors.email, autocomplete: "email", required: true }), _jsx("p", { children: t('newsletter.language') }), _jsxs("p", { class: "consent-note", children: [t('newsletter.privacy'), _jsx("a", { href: "/confidentialite", children: t('newsletter.privacy.link') }), "."] }), _jsx("button", { type: "submit", class: "button", children: t('newsletter.subscribe.submit') })] })] }), _jsxs("section", { class: "panel newsletter-form", "aria-labelledby": "unsubscribe-title", id: "desabonnement", children: [_jsx("h2", { id: "unsubscribe-title", children: t('newsletter.unsubscribe.title') }), _jsx("p", { children: t('newsletter.unsubscribe.intro') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: { unsubscribe_email: t('newsletter.unsubscribe.email') } }), _jsxs("form", { method: "post", action: "/newsletter/desabonnement", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx(Field, { t: t, name: "unsubscribe_email", type: "email", label: t('newsletter.unsubscribe.email'), value: values.unsubscribe_email, errors: errors.unsubscribe_email, autocomplete: "email", required: true }), _jsx("button", { type: "submit", class: "button", children: t('newsletter.unsubscribe.request') })] })] })] }));
}
/** A heading, a sentence, one button that posts back to `action`. */
export function OneButtonView({ ctx, titleKey, text, action, submitKey, }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t(titleKey) }), _jsx("p", { children: text }), _jsxs("form", { method: "post", action: action, children: [_jsx(CsrfField, { ctx: ctx }), _jsx("button", { type: "submit", class: "button", children: t(submitKey) })] })] }));
}
/** An outcome (confirmed, unsubscribed, link not valid) and where to go next. */
export function OutcomeView({ ctx, titleKey, messageKey, link, }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t(titleKey) }), _jsx("p", { children: t(messageKey) }), _jsx("p", { children: _jsx("a", { href: link.href, children: t(link.key) }) })] }));
}
//# sourceMappingURL=newsletter.views.js.map