import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { STAFF_PREFIX } from '../../areas/staff-area.js';
import { ErrorSummary, Field } from '../../lib/forms.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { STAFF_MIN_LENGTH } from '../../lib/passwords.js';
import { groupByFour } from './staff.rules.js';
/* The staff's own pages: login, second factor, enrolment and its recovery codes. */
/** The page to go on to once logged in, carried by the login forms. */
const SuiteField = ({ suite }) => (suite ? _jsx("input", { type: "hidden", name: "suite", value: suite }) : null);
/** A form-level message: an error (`role="alert"`, with an id its fields point to) or a notice. */
function FormMessage({ ctx, error, errorParams, notice }) {
    return (_jsxs(_Fragment, { children: [notice && (_jsx(StatusMessage, { children: ctx.t(notice) })), error && (_jsx(StatusMessage, { alert: true, id: "form-error", children: ctx.t(error, errorParams) }))] }));
}
export function StaffLoginView({ ctx, email = '', error, errorParams, notice, suite, }) {
    const { t } = ctx;
    const formError = error ? 'form-error' : undefined;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('staff.login.title') }), _jsx(FormMessage, { ctx: ctx, error: error, errorParams: errorParams, notice: notice }), _jsx("p", { children: t('staff.login.intro', { operator: ctx.operator.name }) }), _jsxs("form", { method: "post", action: `${STAFF_PREFIX}/connexion`, novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx(SuiteField, { suite: suite }), _jsx(Field, { t: t, name: "email", type: "email", label: t('staff.login.email'), value: email, autocomplete: "username", required: true, formError: formError }), _jsx(Field, { t: t, name: "password", type: "password", label: t('staff.login.password'), autocomplete: "current-password", required: true, formError: formError }), _jsx("button", { type: "submit", class: "button", children: t('staff.login.submit') })] })] }));
}
export function SecondFactorView({ ctx, error, errorParams, suite, }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('staff.verify.title') }), _jsx(FormMessage, { ctx: ctx, error: error, errorParams: errorParams }), _jsx("p", { children: t('staff.verify.intro') }), _jsxs("form", { method: "post", action: `${STAFF_PREFIX}/verification`, novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx(SuiteField, { suite: suite }), _jsx(Field, { t: t, name: "code", label: t('staff.verify.code'), hint: t('staff.verify.code.hint'), autocomplete: "one-time-code", required: true, formError: error ? 'form-error' : undefined }), _jsx("button", { type: "submit", class: "button", children: t('staff.verify.submit') })] }), _jsx("p", { children: _jsx("a", { href: `${STAFF_PREFIX}/connexion`, children: t('staff.verify.restart') }) })] }));
}
export function EnrolmentView({ ctx, page, values, errors = {} }) {
    const { t } = ctx;
    const labels = {
        name: t('staff.enrol.name'),
        password: t('staff.enrol.password'),
        password_confirm: t('staff.enrol.confirm'),
        code: t('staff.enrol.code'),
    };
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('staff.enrol.title') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: labels }), _jsx("p", { children: t('staff.enrol.intro', { operator: ctx.operator.name, role: t(page.role === 'admin' ? 'staff.role.admin' : 'staff.role.agent') }) }), _jsxs("form", { method: "post", action: `${STAFF_PREFIX}/inscription`, novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "token", value: page.token }), _jsxs("p", { class: "readonly-field", children: [_jsx("span", { class: "label", children: t('format.label', { label: t('staff.enrol.email') }) }), " ", _jsx("strong", { children: page.email })] }), _jsx(Field, { t: t, name: "name", label: labels.name, value: values.name, errors: errors.name, autocomplete: "name", required: true }), _jsx(Field, { t: t, name: "password", type: "password", label: labels.password, hint: t('staff.enrol.password.hint', { min: STAFF_MIN_LENGTH }), errors: errors.password, autocomplete: "new-password", required: true }), _jsx(Field, { t: t, name: "password_confirm", type: "password", label: labels.password_confirm, errors: errors.password_confirm, autocomplete: "new-password", required: true }), _jsxs("fieldset", { class: "consent", children: [_jsx("legend", { children: t('staff.enrol.totp.legend') }), _jsx("p", { children: t('staff.enrol.totp.scan') }), _jsx("p", { class: "qr-code", children: _jsx("img", { src: page.qrCode, alt: t('staff.enrol.totp.qrAlt'), width: 200, height: 200 }) }), _jsx("p", { children: t('staff.enrol.totp.manual') }), _jsx("p", { class: "totp-secret", children: _jsx("code", { children: groupByFour(page.secret) }) }), _jsx(Field, { t: t, name: "code", label: labels.code, hint: t('staff.enrol.code.hint'), value: values.code, errors: errors.code, inputmode: "numeric", autocomplete: "one-time-code", required: true })] }), _jsx("button", { type: "submit", class: "button", children: t('staff.enrol.submit') })] })] }));
}
export function EnrolmentInvalidView({ ctx }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('staff.enrol.invalid.title') }), _jsx("p", { children: t('staff.enrol.invalid') }), _jsx("p", { children: _jsx("a", { href: `${STAFF_PREFIX}/connexion`, children: t('staff.enrol.toLogin') }) })] }));
}
/** The recovery codes, shown once, right after the enrolment. */
export function RecoveryCodesView({ ctx, codes }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('staff.codes.title') }), _jsx(StatusMessage, { children: t('staff.codes.intro', { count: codes.length }) }), _jsx("p", { children: _jsx("strong", { children: t('staff.codes.keep') }) }), _jsx("h2", { children: t('staff.codes.list') }), _jsx("ol", { class: "recovery-codes", children: codes.map((c) => (_jsx("li", { children: _jsx("code", { children: c }) }, c))) }), _jsx("p", { children: _jsx("a", { class: "button", href: STAFF_PREFIX, children: t('staff.codes.continue') }) })] }));
}
//# sourceMappingURL=staff.views.js.map