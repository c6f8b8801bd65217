import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { ErrorSummary, Field } from '../../lib/forms.js';
/** The page a form leads on to once done (`suite`), when there is one. */
const SuiteField = ({ suite }) => (suite ? _jsx("input", { type: "hidden", name: "suite", value: suite }) : null);
export function LoginView({ ctx, identifier = '', error, errorParams, notice, suite, }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('login.title') }), _jsx("h2", { children: t('login.heading') }), notice && (_jsx(StatusMessage, { children: t(notice) })), error && (_jsx(StatusMessage, { alert: true, id: "login-error", children: t(error, errorParams) })), _jsx("p", { children: t('login.intro') }), _jsxs("form", { method: "post", action: "/connexion", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx(SuiteField, { suite: suite }), _jsx(CustomerNumberField, { t: t, value: identifier, formError: error ? 'login-error' : undefined }), _jsx(Field, { t: t, name: "password", type: "password", label: t('login.password'), autocomplete: "current-password", required: true, formError: error ? 'login-error' : undefined }), _jsx("button", { type: "submit", class: "button", children: t('login.submit') })] }), _jsx("p", { children: _jsx("a", { href: "/mot-de-passe-oublie", children: t('login.forgot') }) })] }));
}
export function ActivationView({ ctx, number, values, errors = {}, suite, }) {
    const { t } = ctx;
    const labels = {
        password: t('activate.password'),
        password_confirm: t('activate.confirm'),
        email_primary: t('activate.emailPrimary'),
        email_secondary: t('activate.emailSecondary'),
    };
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('activate.title') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: labels }), _jsx("p", { children: t('activate.intro') }), _jsxs("form", { method: "post", action: "/premiere-connexion", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx(SuiteField, { suite: suite }), _jsxs("p", { class: "readonly-field", children: [_jsx("span", { class: "label", children: t('format.label', { label: t('activate.identifier') }) }), " ", _jsx("strong", { children: number })] }), _jsx(NewPasswordFields, { t: t, labels: labels, values: values, errors: errors }), _jsx(EmailAddressFields, { t: t, values: values, errors: errors }), _jsxs("fieldset", { class: "consent", children: [_jsx("legend", { children: t('activate.paperless.legend') }), _jsxs("div", { class: "checkbox", children: [_jsx("input", { type: "checkbox", id: "paperless", name: "paperless", value: "yes", checked: values.paperless, "aria-describedby": "paperless-benefits" }), _jsx("label", { for: "paperless", children: t('activate.paperless') })] }), _jsx("p", { class: "hint", id: "paperless-benefits", children: t('activate.paperless.benefits') })] }), _jsx("button", { type: "submit", class: "button", children: t('activate.submit') })] }), _jsxs("form", { method: "post", action: "/deconnexion", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("p", { children: t('activate.later') }), _jsx("button", { type: "submit", class: "link-button dark", children: t('header.logout') })] })] }));
}
/** The customer number typed to log in or to ask for a reset link, with where to find it. */
export function CustomerNumberField({ t, value, formError }) {
    return (_jsx(Field, { t: t, name: "identifiant", label: t('login.identifier'), hint: t('login.identifier.hint'), value: value, autocomplete: "username", required: true, formError: formError }));
}
/**
 * A new password and its confirmation, with the policy as a hint. A password the user got
 * right is kept when another field of the form is wrong; a wrong one is not echoed.
 */
export function NewPasswordFields({ t, labels, values, errors, }) {
    const keep = !errors.password && !errors.password_confirm;
    return (_jsxs(_Fragment, { children: [_jsx(Field, { t: t, name: "password", type: "password", label: labels.password, hint: t('activate.password.hint'), value: keep ? values.password : '', errors: errors.password, autocomplete: "new-password", required: true }), _jsx(Field, { t: t, name: "password_confirm", type: "password", label: labels.password_confirm, value: keep ? values.password_confirm : '', errors: errors.password_confirm, autocomplete: "new-password", required: true })] }));
}
/** The customer's two e-mail addresses: the main one required, the other optional. */
export function EmailAddressFields({ t, values, errors, }) {
    return (_jsxs(_Fragment, { children: [_jsx(Field, { t: t, name: "email_primary", type: "email", label: _jsxs(_Fragment, { children: [t('activate.emailPrimary'), " ", _jsx("span", { class: "req", children: t('activate.required') })] }), value: values.email_primary, errors: errors.email_primary, autocomplete: "email", required: true }), _jsx(Field, { t: t, name: "email_secondary", type: "email", label: _jsxs(_Fragment, { children: [t('activate.emailSecondary'), " ", _jsx("span", { class: "opt", children: t('activate.optional') })] }), value: values.email_secondary, errors: errors.email_secondary, autocomplete: "off" })] }));
}
//# sourceMappingURL=auth.views.js.map