import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { ErrorSummary, FieldErrorText, FieldFrame, describedBy } from '../../lib/forms.js';
import { formatDate, formatDateTime, formatTime } from '../../lib/i18n.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { PendingVerification } from '../profile/profile.views.js';
const mandatePdfHref = (m) => `/prelevement/mandat/${m.id}.pdf`;
/** The masked IBAN, and what a screen reader says instead of the bullets. */
export function MaskedIban({ ctx, mandate }) {
    const { t } = ctx;
    return (_jsxs("span", { class: "dd-iban", children: [_jsx("span", { "aria-hidden": "true", children: mandate.maskedIban }), _jsx("span", { class: "dd-sr", children: t('directDebit.iban.spoken', { country: mandate.ibanCountry, last4: mandate.ibanLast4 }) })] }));
}
function Status({ ctx, status }) {
    return _jsx("span", { class: `dd-status dd-status-${status}`, children: ctx.t(`directDebit.status.${status}`) });
}
const contractLabel = (t, k) => t('directDebit.contract', { number: k.number, carPark: k.car_park_name });
/**
 * What a customer without a mandate in force is told first: to sign up, unless their
 * contracts are already paid by direct debit (a paper mandate), all or some of them.
 */
function NoMandateIntro({ ctx, coverage }) {
    const { t } = ctx;
    if (coverage.all)
        return _jsx("p", { children: t('directDebit.intro.all') });
    if (coverage.numbers.length > 0)
        return _jsx("p", { children: t('directDebit.intro.some', { contracts: coverage.numbers.join(', ') }) });
    return _jsx("p", { children: t('directDebit.intro') });
}
/**
 * The customer's mandate in a few lines, for Contrats and Mon compte: its RUM and state, the
 * masked IBAN, the contracts, and a link to /prelevement. Without a mandate: an invitation to
 * sign up, with the same link — or, for contracts already paid by direct debit, that they are.
 */
export function MandateSummary({ ctx, mandate, coverage }) {
    const { t } = ctx;
    if (!mandate) {
        return (_jsxs("div", { class: "dd-summary", children: [_jsx(NoMandateIntro, { ctx: ctx, coverage: coverage }), _jsx("p", { children: _jsx("a", { href: "/prelevement", children: t(coverage.all ? 'directDebit.summary.page' : 'directDebit.summary.start') }) })] }));
    }
    return (_jsxs("div", { class: "dd-summary", children: [_jsxs("p", { children: [t('directDebit.summary.mandate', { rum: mandate.rum, status: t(`directDebit.status.${mandate.status}`) }), ' ', t('directDebit.summary.account'), " ", _jsx(MaskedIban, { ctx: ctx, mandate: mandate })] }), mandate.contracts.length > 0 && _jsx("p", { children: t('directDebit.summary.contracts', { contracts: mandate.contracts.map((k) => k.number).join(', ') }) }), _jsx("p", { children: _jsx("a", { href: "/prelevement", children: t('directDebit.summary.link') }) })] }));
}
/** Creditor, ICS, RUM, recurrent payment: the head of the mandate text. */
function CreditorFacts({ ctx, creditor, rum }) {
    const { t } = ctx;
    return (_jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('directDebit.text.creditorName') }), _jsx("dd", { children: creditor.name }), _jsx("dt", { children: t('directDebit.text.creditorAddress') }), _jsx("dd", { children: creditor.address }), _jsx("dt", { children: t('directDebit.text.ics') }), _jsx("dd", { children: creditor.ics }), _jsx("dt", { children: t('directDebit.text.rum') }), _jsx("dd", { class: "dd-rum", children: rum }), _jsx("dt", { children: t('directDebit.text.paymentType') }), _jsx("dd", { children: t('directDebit.text.recurrent') })] }));
}
/** The contracts a mandate is to cover, one checkbox each: the customer's form and the staff's paper form. */
export function ContractsFieldset({ ctx, legend, hint, errors, contracts, checked, empty, }) {
    const { t } = ctx;
    return (_jsxs("fieldset", { class: errors ? 'panel dd-group dd-contracts has-error' : 'panel dd-group dd-contracts', "aria-describedby": describedBy('contracts-hint', errors && 'contracts-error'), children: [_jsxs("legend", { children: [legend, " ", _jsx("span", { class: "req", children: t('directDebit.form.required') })] }), _jsx("p", { class: "hint", id: "contracts-hint", children: hint }), _jsx(FieldErrorText, { t: t, name: "contracts", errors: errors }), contracts.length === 0 && empty && _jsx("p", { children: empty }), contracts.map((k) => (_jsxs("div", { class: "checkbox", children: [_jsx("input", { type: "checkbox", id: `contract-${k.id}`, name: "contracts", value: k.id, checked: checked.includes(k.id) }), _jsx("label", { for: `contract-${k.id}`, children: contractLabel(t, k) })] }, k.id)))] }));
}
/** The standard authorisation and refund-rights text, and the note on the customer's rights. */
function LegalText({ ctx, creditor }) {
    const { t } = ctx;
    return (_jsxs("div", { class: "dd-legal", children: [_jsx("p", { children: t('directDebit.text.authorisation', { creditor: creditor.name }) }), _jsx("p", { class: "hint", children: t('directDebit.text.rights') }), _jsx("p", { class: "hint", children: t('directDebit.text.privacy', { creditor: creditor.name }) })] }));
}
/**
 * The debtor's part of a mandate's facts (holder, address, IBAN, BIC, contracts), as `<dt>`/`<dd>`
 * pairs inside a `<dl class="facts">`: the customer's page and the back office's mandate page.
 * `iban` replaces the masked IBAN (the back office shows it whole once revealed).
 */
export function DebtorFacts({ ctx, mandate, iban }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('directDebit.field.holder') }), _jsx("dd", { children: mandate.holderName }), _jsx("dt", { children: t('directDebit.field.address') }), _jsx("dd", { children: mandate.holderAddress.map((l, i) => (_jsx("span", { class: "line", children: l }, i))) }), _jsx("dt", { children: t('directDebit.field.iban') }), _jsx("dd", { children: iban ?? _jsx(MaskedIban, { ctx: ctx, mandate: mandate }) }), _jsx("dt", { children: t('directDebit.field.bic') }), _jsx("dd", { children: mandate.bic ?? _jsx("span", { class: "muted", children: t('directDebit.none') }) }), _jsx("dt", { children: t('directDebit.field.contracts') }), _jsx("dd", { children: mandate.contracts.map((k) => (_jsx("span", { class: "line", children: contractLabel(t, k) }, k.id))) })] }));
}
/** A mandate's facts: state, RUM, holder, masked IBAN, BIC, contracts, signature (without RUM and payment type under CreditorFacts). */
function MandateFacts({ ctx, mandate, debtorOnly = false }) {
    const { t } = ctx;
    return (_jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('directDebit.field.status') }), _jsx("dd", { children: _jsx(Status, { ctx: ctx, status: mandate.status }) }), !debtorOnly && (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('directDebit.field.rum') }), _jsx("dd", { class: "dd-rum", children: mandate.rum })] })), _jsx(DebtorFacts, { ctx: ctx, mandate: mandate }), !debtorOnly && (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('directDebit.field.paymentType') }), _jsx("dd", { children: t('directDebit.text.recurrent') })] })), mandate.signedAt ? (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('directDebit.field.signed') }), _jsx("dd", { children: t('directDebit.signedValue', { date: formatDate(mandate.signedAt, ctx.lang), place: mandate.signaturePlace ?? '' }) })] })) : (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('directDebit.field.place') }), _jsx("dd", { children: mandate.signaturePlace })] }))] }));
}
const noticeKey = {
    signed: 'directDebit.notice.signed',
    revoked: 'directDebit.notice.revoked',
    alreadyRevoked: 'directDebit.notice.alreadyRevoked',
    alreadySigned: 'directDebit.notice.alreadySigned',
};
export function DirectDebitView({ ctx, data }) {
    const { t } = ctx;
    const { current, lastEnded, pending } = data;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('directDebit.title') }), data.notice && (_jsx("div", { class: "notice dd-notice", role: "status", children: _jsx("p", { children: t(noticeKey[data.notice]) }) })), data.error && (_jsx(StatusMessage, { alert: true, children: t(data.error) })), !current && !data.signingAddress && data.hasCurrentContracts && (_jsxs("section", { class: "notice warning", "aria-labelledby": "adresse-a-verifier", children: [_jsx("h2", { id: "adresse-a-verifier", children: t('profileEmails.pendingTitle') }), _jsx(NoVerifiedEmail, { ctx: ctx, pendingAddress: data.pendingAddress })] })), current ? (_jsxs("section", { class: "panel", "aria-labelledby": "mandat", children: [_jsx("h2", { id: "mandat", children: t('directDebit.current.title') }), _jsx(MandateFacts, { ctx: ctx, mandate: current }), _jsx("p", { children: t(current.status === 'active' ? 'directDebit.active.note' : 'directDebit.toValidate.note') }), current.hasPdf && (_jsx("p", { children: _jsx("a", { href: mandatePdfHref(current), "aria-label": t('directDebit.pdf.label', { rum: current.rum }), download: true, children: t('directDebit.pdf') }) })), _jsx("p", { class: "dd-actions", children: _jsx("a", { class: "button dd-secondary", href: `/prelevement/mandat/${current.id}/revocation`, children: t('directDebit.revoke') }) }), _jsx("p", { class: "hint", children: t('directDebit.change') })] })) : (_jsxs(_Fragment, { children: [_jsx(NoMandateIntro, { ctx: ctx, coverage: data.coverage }), lastEnded && (_jsxs("section", { class: "panel dd-ended", "aria-labelledby": "dernier-mandat", children: [_jsx("h2", { id: "dernier-mandat", children: t(lastEnded.status === 'rejected' ? 'directDebit.rejected.title' : 'directDebit.revoked.title') }), _jsx("p", { children: lastEnded.status === 'rejected'
                                    ? t('directDebit.rejected.text', { rum: lastEnded.rum, reason: lastEnded.rejectionReason ?? '' })
                                    : t('directDebit.revoked.text', { rum: lastEnded.rum, date: formatDate(lastEnded.revokedAt ?? lastEnded.createdAt, ctx.lang) }) }), lastEnded.hasPdf && (_jsx("p", { children: _jsx("a", { href: mandatePdfHref(lastEnded), "aria-label": t('directDebit.pdf.label', { rum: lastEnded.rum }), download: true, children: t('directDebit.pdf') }) }))] })), pending && data.signingAddress && (_jsxs("section", { class: "panel", "aria-labelledby": "a-signer", children: [_jsx("h2", { id: "a-signer", children: t('directDebit.draft.title') }), _jsx("p", { children: t('directDebit.draft.text', { rum: pending.rum }) }), _jsx("p", { children: _jsx("a", { href: `/prelevement/mandat/${pending.id}/signature`, children: t('directDebit.draft.continue', { rum: pending.rum }) }) })] })), _jsxs("section", { class: "panel", "aria-labelledby": "en-ligne", children: [_jsx("h2", { id: "en-ligne", children: t('directDebit.online.title') }), !data.hasCurrentContracts ? (_jsx("p", { children: t('directDebit.online.noContracts') })) : data.signingAddress ? (_jsxs(_Fragment, { children: [_jsx("p", { children: t('directDebit.online.text', { address: data.signingAddress }) }), _jsx("p", { children: _jsx("a", { class: "button", href: "/prelevement/mandat", children: t('directDebit.online.start') }) })] })) : (_jsx("p", { children: t('directDebit.online.afterVerification') }))] }), _jsxs("section", { class: "panel", "aria-labelledby": "par-courrier", children: [_jsx("h2", { id: "par-courrier", children: t('directDebit.paper.title') }), _jsx("p", { children: t('directDebit.paper.text', { address: data.operatorAddress }) }), _jsx("p", { children: _jsx("a", { href: "/prelevement/formulaire.pdf", download: true, children: t('directDebit.paper.link') }) })] })] }))] }));
}
/** Why the online form needs a verified address; the link to verify it sent again when there is one awaiting. */
export function NoVerifiedEmail({ ctx, pendingAddress = null }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: t('directDebit.online.noEmail') }), pendingAddress && _jsx(PendingVerification, { ctx: ctx, slot: "primary", address: pendingAddress }), _jsx("p", { children: _jsx("a", { href: "/profil#adresses-email", children: t('directDebit.online.noEmail.link') }) })] }));
}
/** A page that only says why the online form cannot be used, with the way out. */
export function CannotSignView({ ctx, reason }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('directDebit.form.title') }), reason === 'no_verified_email' ? (_jsx(NoVerifiedEmail, { ctx: ctx })) : (_jsx("p", { role: "alert", children: t(reason === 'no_contracts'
                    ? 'directDebit.online.noContracts'
                    : reason === 'already_has_mandate'
                        ? 'directDebit.already'
                        : 'directDebit.error.tooManyCodes') })), _jsx("p", { children: _jsx("a", { href: "/prelevement", children: t('directDebit.title') }) })] }));
}
// ---------------------------------------------------------------- the form
export function TextField(p) {
    const { t } = p.ctx;
    return (_jsx(FieldFrame, { t: t, name: p.name, label: _jsxs(_Fragment, { children: [p.label, " ", _jsx("span", { class: p.optional ? 'opt' : 'req', children: t(p.optional ? 'directDebit.form.optional' : 'directDebit.form.required') })] }), hint: p.hint, errors: p.error, children: _jsx("input", { id: p.name, name: p.name, type: (p.type ?? 'text'), value: p.value, autocomplete: p.autocomplete, "aria-required": p.optional ? undefined : 'true', "aria-invalid": p.error ? 'true' : undefined, "aria-describedby": describedBy(p.hint && `${p.name}-hint`, p.error && `${p.name}-error`), ...(p.extra ?? {}) }) }));
}
/** The names of a mandate form's fields: the customer's form, and the staff's paper form (which adds its own). */
export const mandateFieldLabels = (t) => ({
    holder: t('directDebit.form.holder'),
    street: t('directDebit.form.street'),
    postal_code: t('directDebit.form.postalCode'),
    city: t('directDebit.form.city'),
    country: t('directDebit.form.country'),
    iban: t('directDebit.form.iban'),
    bic: t('directDebit.form.bic'),
    contracts: t('directDebit.form.contracts'),
    place: t('directDebit.form.place'),
});
export function MandateFormView({ ctx, form }) {
    const { t } = ctx;
    const { values, errors, contracts } = form;
    const labels = mandateFieldLabels(t);
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('directDebit.form.title') }), _jsx("p", { children: t('directDebit.form.intro') }), _jsx(ErrorSummary, { t: ctx.t, errors: errors, labels: labels, anchors: { contracts: `contract-${contracts[0]?.id ?? ''}` }, title: "directDebit.form.errorSummary" }), _jsxs("form", { method: "post", action: "/prelevement/mandat", novalidate: true, class: "dd-form", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "rum", value: values.rum }), _jsxs("section", { class: "panel", "aria-labelledby": "creancier", children: [_jsx("h2", { id: "creancier", children: t('directDebit.text.creditor') }), _jsx(CreditorFacts, { ctx: ctx, creditor: form.creditor, rum: values.rum })] }), _jsxs("fieldset", { class: "panel dd-group", children: [_jsx("legend", { children: t('directDebit.form.debtor') }), _jsx(TextField, { ctx: ctx, name: "holder", label: labels.holder, value: values.holder, error: errors.holder, hint: t('directDebit.form.holder.hint'), autocomplete: "name" }), _jsx(TextField, { ctx: ctx, name: "street", label: labels.street, value: values.street, error: errors.street, autocomplete: "street-address" }), _jsxs("div", { class: "dd-row", children: [_jsx(TextField, { ctx: ctx, name: "postal_code", label: labels.postal_code, value: values.postal_code, error: errors.postal_code, autocomplete: "postal-code" }), _jsx(TextField, { ctx: ctx, name: "city", label: labels.city, value: values.city, error: errors.city, autocomplete: "address-level2" })] }), _jsx(TextField, { ctx: ctx, name: "country", label: labels.country, value: values.country, error: errors.country, autocomplete: "country-name" })] }), _jsxs("fieldset", { class: "panel dd-group", children: [_jsx("legend", { children: t('directDebit.form.account') }), _jsx(TextField, { ctx: ctx, name: "iban", label: labels.iban, value: values.iban, error: errors.iban, hint: t('directDebit.form.iban.hint'), autocomplete: "off", extra: { spellcheck: 'false', autocapitalize: 'characters', class: 'dd-mono' } }), _jsx(TextField, { ctx: ctx, name: "bic", label: labels.bic, value: values.bic, error: errors.bic, hint: t('directDebit.form.bic.hint'), optional: true, autocomplete: "off", extra: { spellcheck: 'false', autocapitalize: 'characters', class: 'dd-mono' } })] }), _jsx(ContractsFieldset, { ctx: ctx, legend: labels.contracts, hint: t('directDebit.form.contracts.hint'), errors: errors.contracts, contracts: contracts, checked: values.contracts }), _jsxs("section", { class: "panel", "aria-labelledby": "texte-mandat", children: [_jsx("h2", { id: "texte-mandat", children: t('directDebit.form.text') }), _jsx(LegalText, { ctx: ctx, creditor: form.creditor }), _jsx(TextField, { ctx: ctx, name: "place", label: labels.place, value: values.place, error: errors.place, hint: t('directDebit.form.place.hint'), autocomplete: "address-level2" })] }), _jsxs("p", { class: "dd-actions", children: [_jsx("button", { type: "submit", class: "button", children: t('directDebit.form.submit') }), _jsx("a", { href: "/prelevement", children: t('directDebit.form.cancel') })] })] })] }));
}
export function SignatureView({ ctx, data }) {
    const { t } = ctx;
    const { mandate, code, codeError, message } = data;
    const base = `/prelevement/mandat/${mandate.id}`;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('directDebit.sign.title') }), message &&
                (message.kind === 'error' ? (_jsx(StatusMessage, { alert: true, children: t(message.key, message.params) })) : (_jsx("div", { class: "notice dd-notice", role: "status", children: _jsx("p", { children: t(message.key, message.params) }) }))), _jsx("p", { children: t('directDebit.sign.intro') }), _jsxs("section", { class: "panel", "aria-labelledby": "le-mandat", children: [_jsx("h2", { id: "le-mandat", children: t('directDebit.text.title') }), _jsx(CreditorFacts, { ctx: ctx, creditor: data.creditor, rum: mandate.rum }), _jsx("h3", { class: "dd-subhead", children: t('directDebit.pdf.debtor') }), _jsx(MandateFacts, { ctx: ctx, mandate: mandate, debtorOnly: true }), _jsx(LegalText, { ctx: ctx, creditor: data.creditor })] }), _jsxs("section", { class: "panel", "aria-labelledby": "signer", children: [_jsx("h2", { id: "signer", children: t('directDebit.sign.step') }), code && (_jsx("p", { children: t('directDebit.sign.sent', { date: formatDateTime(code.sentAt, ctx.lang), address: code.sentTo, time: formatTime(code.expiresAt, ctx.lang) }) })), _jsxs("form", { method: "post", action: `${base}/signature`, novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsxs("div", { class: codeError ? 'field has-error' : 'field', children: [_jsx("label", { for: "code", children: t('directDebit.sign.code') }), _jsx("p", { class: "hint", id: "code-hint", children: t('directDebit.sign.code.hint') }), _jsx(FieldErrorText, { t: ctx.t, name: "code", errors: codeError && [codeError] }), _jsx("input", { id: "code", name: "code", type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 12, class: "dd-code", "aria-required": "true", "aria-invalid": codeError ? 'true' : undefined, "aria-describedby": describedBy('code-hint', 'consent', codeError && 'code-error') })] }), _jsx("p", { id: "consent", children: t('directDebit.sign.consent', { place: mandate.signaturePlace ?? '' }) }), _jsx("button", { type: "submit", class: "button", children: t('directDebit.sign.submit') })] }), _jsxs("form", { method: "post", action: `${base}/nouveau-code`, class: "dd-resend", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("p", { class: "hint", id: "resend-hint", children: t('directDebit.sign.resend.hint') }), _jsx("button", { type: "submit", class: "button dd-secondary", "aria-describedby": "resend-hint", children: t('directDebit.sign.resend') })] })] })] }));
}
// ---------------------------------------------------------------- revocation
export function RevocationView({ ctx, mandate }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('directDebit.revoke.title', { rum: mandate.rum }) }), _jsx("p", { children: t('directDebit.revoke.text') }), _jsx(MandateFacts, { ctx: ctx, mandate: mandate }), _jsxs("form", { method: "post", action: `/prelevement/mandat/${mandate.id}/revocation`, class: "dd-actions", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("button", { type: "submit", class: "button dd-danger", children: t('directDebit.revoke.confirm') }), _jsx("a", { href: "/prelevement", children: t('directDebit.revoke.back') })] })] }));
}
//# sourceMappingURL=direct-debit.views.js.map