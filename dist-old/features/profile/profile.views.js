import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { ErrorSummary, Field } from '../../lib/forms.js';
import { formatDate } from '../../lib/i18n.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { EmailAddressFields, NewPasswordFields } from '../auth/auth.views.js';
export function ProfileView({ ctx, customer, contracts, notice, justActivated = false, }) {
    const { t, lang } = ctx;
    const none = _jsx("span", { class: "muted", children: t('profile.none') });
    const address = [
        customer.address_line1,
        customer.address_line2,
        `${customer.postal_code} ${customer.city}`,
        customer.country,
    ].filter(Boolean);
    const name = [customer.civility, customer.last_name, customer.first_name].filter(Boolean).join(' ');
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('profile.title') }), notice && (_jsx(StatusMessage, { children: t(notice) })), justActivated && _jsx(VerificationNotice, { ctx: ctx, customer: customer }), _jsxs("section", { class: "panel", "aria-labelledby": "personal", children: [_jsx("h2", { id: "personal", children: t('profile.personal') }), _jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('profile.number') }), _jsx("dd", { children: customer.number }), customer.kind === 'business' && customer.company_name && (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('profile.company') }), _jsx("dd", { children: customer.company_name })] })), _jsx("dt", { children: t('profile.name') }), _jsx("dd", { children: name }), _jsx("dt", { children: t('profile.address') }), _jsx("dd", { children: address.map((line, i) => (_jsx("span", { class: "line", children: line }, i))) }), _jsx("dt", { children: t('profile.phone') }), _jsx("dd", { children: customer.phone ?? none }), _jsx("dt", { children: t('profile.mobile') }), _jsx("dd", { children: customer.mobile_phone ?? none }), _jsx("dt", { children: t('profile.paperless') }), _jsx("dd", { children: customer.paperless === 1 && customer.paperless_changed_at
                                    ? t('profile.paperless.yes', { date: formatDate(customer.paperless_changed_at, lang) })
                                    : t('profile.paperless.no') }), _jsx("dt", { children: t('profile.language') }), _jsx("dd", { children: t(customer.language === 'fr' ? 'lang.name.fr' : 'lang.name.en') })] })] }), _jsx(EmailsSection, { ctx: ctx, customer: customer }), _jsxs("section", { class: "panel", "aria-labelledby": "mot-de-passe", children: [_jsx("h2", { id: "mot-de-passe", tabindex: -1, children: t('passwordChange.section') }), _jsx("p", { children: t('passwordChange.sectionIntro') }), _jsx("p", { children: _jsx("a", { href: "/profil/mot-de-passe", children: t('passwordChange.title') }) })] }), _jsxs("section", { class: "panel", "aria-labelledby": "documents-par-email", children: [_jsx("h2", { id: "documents-par-email", tabindex: -1, children: t('profile.paperless.title') }), customer.paperless !== 1 && _jsx("p", { children: t('activate.paperless.benefits') }), _jsxs("form", { method: "post", action: "/profil/documents-par-email", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "paperless", value: customer.paperless === 1 ? 'no' : 'yes' }), _jsx("button", { type: "submit", class: customer.paperless === 1 ? 'link-button dark' : 'button', children: t(customer.paperless === 1 ? 'profile.paperless.withdraw' : 'profile.paperless.give') })] })] }), _jsxs("section", { class: "panel", "aria-labelledby": "contracts", children: [_jsx("h2", { id: "contracts", children: t('profile.contracts') }), contracts.length === 0 ? (_jsx("p", { children: t('profile.contracts.none') })) : (_jsxs("table", { class: "stack", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('profile.contract.number') }), _jsx("th", { scope: "col", children: t('profile.contract.carPark') }), _jsx("th", { scope: "col", children: t('profile.contract.product') }), _jsx("th", { scope: "col", children: t('profile.contract.status') }), _jsx("th", { scope: "col", children: t('profile.contract.start') })] }) }), _jsx("tbody", { children: contracts.map((c) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('profile.contract.number'), children: _jsx("a", { href: `/contrats/${encodeURIComponent(c.number)}`, children: c.number }) }), _jsx("td", { "data-label": t('profile.contract.carPark'), children: c.car_park_name }), _jsx("td", { "data-label": t('profile.contract.product'), children: t(`product.${c.product}`) }), _jsx("td", { "data-label": t('profile.contract.status'), children: t(`status.${c.status}`) }), _jsx("td", { "data-label": t('profile.contract.start'), children: formatDate(c.start_date, lang) })] }, c.id))) })] }))] })] }));
}
/** The customer's two addresses, in the page's order, each with its state. */
function emailSlots(ctx, customer) {
    const { t } = ctx;
    return [
        { slot: 'primary', label: t('profile.emailPrimary'), address: customer.email_primary, verified: Boolean(customer.email_primary_verified_at) },
        { slot: 'secondary', label: t('profile.emailSecondary'), address: customer.email_secondary, verified: Boolean(customer.email_secondary_verified_at) },
    ];
}
/** The button that sends the verification link of one address again. */
function ResendVerificationForm({ ctx, slot, address, buttonClass }) {
    return (_jsxs("form", { method: "post", action: "/profil/adresses-email/verification", class: "inline", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "slot", value: slot }), _jsx("button", { type: "submit", class: buttonClass, children: ctx.t('profileEmails.resend', { address }) })] }));
}
/** "A verification link was sent to <address>", with the button that sends it again. */
export function PendingVerification({ ctx, slot, address }) {
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: ctx.t('profileEmails.sentTo', { address }) }), _jsx("p", { children: _jsx(ResendVerificationForm, { ctx: ctx, slot: slot, address: address, buttonClass: "button" }) })] }));
}
/** At the top of Profil after the first connection: each address still to verify, and why it matters. */
function VerificationNotice({ ctx, customer }) {
    const { t } = ctx;
    const pending = emailSlots(ctx, customer).filter((s) => s.address && !s.verified);
    if (pending.length === 0)
        return null;
    return (_jsxs("section", { class: "notice warning", "aria-labelledby": "adresse-a-verifier", children: [_jsx("h2", { id: "adresse-a-verifier", children: t('profileEmails.pendingTitle') }), pending.map((s) => (_jsx(PendingVerification, { ctx: ctx, slot: s.slot, address: s.address }, s.slot))), _jsx("p", { children: t('profileEmails.pendingWhy') })] }));
}
/** Each address with its state; a button sends the link again to one awaiting verification. */
function EmailsSection({ ctx, customer }) {
    const { t } = ctx;
    const slots = emailSlots(ctx, customer);
    return (_jsxs("section", { class: "panel", "aria-labelledby": "adresses-email", children: [_jsx("h2", { id: "adresses-email", tabindex: -1, children: t('profileEmails.title') }), _jsx("p", { children: t('profileEmails.intro') }), _jsx("dl", { class: "facts", children: slots.flatMap((s) => [
                    _jsx("dt", { children: s.label }, `${s.slot}-dt`),
                    _jsx("dd", { id: `email-${s.slot}`, children: s.address ? (_jsxs(_Fragment, { children: [_jsxs("span", { class: "line", children: [s.address, " (", t(s.verified ? 'profileEmails.verified' : 'profileEmails.pending'), ")"] }), !s.verified && _jsx(ResendVerificationForm, { ctx: ctx, slot: s.slot, address: s.address, buttonClass: "link-button dark" })] })) : (_jsx("span", { class: "muted", children: t('profile.none') })) }, `${s.slot}-dd`),
                ]) }), _jsx("p", { children: _jsx("a", { href: "/profil/adresses-email", children: t('profileEmails.change') }) })] }));
}
/**
 * The page of a change that asks for the current password again (A7): title, form-level
 * message, error summary, intro, the form with the current password before or after the
 * change's own fields, and the way back to Profil. What was typed is kept on error, never a
 * password.
 */
function ConfirmedChangePage(props) {
    const { ctx, errors } = props;
    const { t } = ctx;
    const current = (_jsx(Field, { t: t, name: "current_password", type: "password", label: props.labels.current_password, errors: errors.current_password, autocomplete: "current-password", required: true }));
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t(props.title) }), props.formError && (_jsx(StatusMessage, { alert: true, children: t(props.formError.key, props.formError.params) })), _jsx(ErrorSummary, { t: t, errors: errors, labels: props.labels }), _jsx("p", { children: t(props.intro) }), _jsxs("form", { method: "post", action: props.action, novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), props.currentPasswordFirst && current, props.children, !props.currentPasswordFirst && current, _jsx("button", { type: "submit", class: "button", children: t(props.submit) })] }), _jsx("p", { children: _jsx("a", { href: "/profil", children: t('emailChange.cancel') }) })] }));
}
/** The e-mail change form (A7): the addresses, then the current password. */
export function EmailChangeView({ ctx, values, errors = {}, formError }) {
    const { t } = ctx;
    const labels = {
        email_primary: t('activate.emailPrimary'),
        email_secondary: t('activate.emailSecondary'),
        current_password: t('emailChange.password'),
    };
    return (_jsx(ConfirmedChangePage, { ctx: ctx, title: "emailChange.title", intro: "emailChange.intro", action: "/profil/adresses-email", submit: "emailChange.submit", labels: labels, errors: errors, formError: formError, currentPasswordFirst: false, children: _jsx(EmailAddressFields, { t: t, values: values, errors: errors }) }));
}
/**
 * The password change form: the current password (never shown back), then the new one twice
 * with the same fields and policy hint as the first login and the reset.
 */
export function PasswordChangeView({ ctx, values, errors = {}, formError }) {
    const { t } = ctx;
    const labels = {
        current_password: t('emailChange.password'),
        password: t('reset.form.password'),
        password_confirm: t('reset.form.confirm'),
    };
    return (_jsx(ConfirmedChangePage, { ctx: ctx, title: "passwordChange.title", intro: "passwordChange.intro", action: "/profil/mot-de-passe", submit: "reset.form.submit", labels: labels, errors: errors, formError: formError, currentPasswordFirst: true, children: _jsx(NewPasswordFields, { t: t, labels: labels, values: values, errors: errors }) }));
}
//# sourceMappingURL=profile.views.js.map