import { jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { ErrorSummary } from '../../lib/forms.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { CustomerNumberField, NewPasswordFields } from './auth.views.js';
export function ResetRequestView({ ctx, identifier = '', error, errorParams, }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('reset.request.title') }), error && (_jsx(StatusMessage, { alert: true, children: t(error, errorParams) })), _jsx("p", { children: t('reset.request.intro') }), _jsxs("form", { method: "post", action: "/mot-de-passe-oublie", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx(CustomerNumberField, { t: t, value: identifier }), _jsx("button", { type: "submit", class: "button", children: t('reset.request.submit') })] }), _jsx("p", { children: t('reset.request.noEmail') }), _jsx("p", { children: _jsx("a", { href: "/connexion", children: t('reset.backToLogin') }) })] }));
}
/** The one answer to a reset request, whoever the number belongs to (A5): it must not depend on the request. */
export function ResetSentView({ ctx, phone, email }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('reset.sent.title') }), _jsx(StatusMessage, { children: t('reset.sent.body') }), _jsx("p", { children: t('reset.sent.otherwise', { phone, email }) }), _jsxs("ul", { children: [_jsx("li", { children: _jsx("a", { href: "/connexion", children: t('reset.backToLogin') }) }), _jsx("li", { children: _jsx("a", { href: "/contact", children: t('reset.contact') }) })] })] }));
}
export function ResetFormView({ ctx, token, number, values, errors = {}, }) {
    const { t } = ctx;
    const labels = { password: t('reset.form.password'), password_confirm: t('reset.form.confirm') };
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('reset.form.title') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: labels }), _jsx("p", { children: t('reset.form.intro') }), _jsxs("form", { method: "post", action: "/reinitialiser", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "token", value: token }), _jsxs("p", { class: "readonly-field", children: [_jsx("span", { class: "label", children: t('format.label', { label: t('activate.identifier') }) }), " ", _jsx("strong", { children: number })] }), _jsx(NewPasswordFields, { t: t, labels: labels, values: values, errors: errors }), _jsx("button", { type: "submit", class: "button", children: t('reset.form.submit') })] })] }));
}
export function ResetInvalidView({ ctx }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('reset.invalid.title') }), _jsx("p", { children: t('reset.invalid.body') }), _jsx("p", { children: _jsx("a", { class: "button", href: "/mot-de-passe-oublie", children: t('reset.invalid.again') }) }), _jsx("p", { children: _jsx("a", { href: "/connexion", children: t('reset.backToLogin') }) })] }));
}
const outcomeKeys = {
    used: ['verify.used.title', 'verify.used.body'],
    expired: ['verify.expired.title', 'verify.expired.body'],
    unknown: ['verify.unknown.title', 'verify.unknown.body'],
    stale: ['verify.stale.title', 'verify.stale.body'],
};
export const verifyOutcomeTitle = (o) => outcomeKeys[o][0];
export function VerifyConfirmView({ ctx, token, address }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('verify.title') }), _jsx("p", { children: t('verify.confirm.intro', { address }) }), _jsxs("form", { method: "post", action: "/verification-email", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "token", value: token }), _jsx("button", { type: "submit", class: "button", children: t('verify.confirm.submit') })] })] }));
}
export function VerifyDoneView({ ctx, address }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('verify.done.title') }), _jsx(StatusMessage, { children: t('verify.done.body', { address }) }), _jsx("p", { children: _jsx("a", { href: "/profil", children: t('verify.toPortal') }) })] }));
}
export function VerifyRefusedView({ ctx, outcome }) {
    const { t } = ctx;
    const [title, body] = outcomeKeys[outcome];
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t(title) }), _jsx("p", { children: t(body) }), _jsx("p", { children: _jsx("a", { href: "/profil", children: t('verify.toPortal') }) })] }));
}
//# sourceMappingURL=reset.views.js.map