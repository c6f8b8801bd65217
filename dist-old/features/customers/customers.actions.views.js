import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { z } from 'zod';
import { ErrorSummary, Field, FieldErrorText, TextAreaField, describedBy } from '../../lib/forms.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { STAFF_PREFIX } from '../../areas/staff-area.js';
import { ADDRESS_LINE_MAX, } from './customers.actions.rules.js';
/** Where the actions on a customer live: `/gestion/clients/<number>` and below. */
export const customerPath = (number, rest = '') => `${STAFF_PREFIX}/clients/${encodeURIComponent(number)}${rest}`;
/** What an action did, said on the customer's page after it (`?fait=`), by its code. */
export const actionNotices = {
    deverrouille: 'customerActions.notice.unlocked',
    'sessions-fermees': 'customerActions.notice.sessionsEnded',
    'aucune-session': 'customerActions.notice.noSession',
    'verification-envoyee': 'customerActions.notice.verificationSent',
    'verification-attendre': 'customerActions.notice.verificationWait',
    'verification-deja': 'customerActions.notice.verificationDone',
    'verification-aucune': 'customerActions.notice.verificationNone',
    'coordonnees-corrigees': 'customerActions.notice.detailsCorrected',
    'coordonnees-inchangees': 'customerActions.notice.detailsUnchanged',
    immatriculation: 'customerActions.notice.plateChanged',
    'vue-terminee': 'customerActions.notice.viewEnded',
};
/** The customer's page after an action: its notice, and the actions in view. */
export const afterAction = (number, notice) => customerPath(number, `?fait=${notice}#actions`);
const noticeQuery = z.object({ fait: z.enum(Object.keys(actionNotices)).optional().catch(undefined) });
/** The notice an action's redirect named in this page's address, if any. */
function noticeOf(url) {
    const query = Object.fromEntries(new URLSearchParams(url.split('?')[1]?.split('#')[0] ?? ''));
    const { fait } = noticeQuery.parse(query);
    return fait ? actionNotices[fait] : null;
}
/** A form of one button (and its hidden fields) posting to an action. */
function ActionButton({ ctx, action, label, fields = {} }) {
    return (_jsxs("form", { method: "post", action: action, class: "action-form", children: [_jsx(CsrfField, { ctx: ctx }), Object.entries(fields).map(([name, value]) => (_jsx("input", { type: "hidden", name: name, value: value }, name))), _jsx("button", { type: "submit", class: "button", children: label })] }));
}
/**
 * The actions customer service can take on one customer, shown on the customer's back-office
 * page (`customers.backoffice.views.tsx`): each is a form posting to its own route
 * (`customers.actions.routes.tsx`), which comes back here with a notice (`?fait=`, shown at
 * the top of this section) — but for the letter, which the answer downloads.
 */
export function CustomerActions({ ctx, customer }) {
    const { t } = ctx;
    const at = (rest) => customerPath(customer.number, rest);
    const notice = noticeOf(ctx.url);
    return (_jsxs("section", { class: "panel customer-actions", "aria-labelledby": "actions", children: [_jsx("h2", { id: "actions", tabindex: -1, children: t('customerActions.title') }), notice && (_jsx(StatusMessage, { children: t(notice) })), _jsx("h3", { children: t('customerActions.password.title') }), _jsx("p", { children: t('customerActions.password.intro') }), _jsx(ActionButton, { ctx: ctx, action: at('/courrier-mot-de-passe'), label: t('customerActions.password.submit') }), _jsx("h3", { children: t('customerActions.login.title') }), _jsx("p", { class: "hint", children: t('customerActions.unlock.hint') }), _jsx(ActionButton, { ctx: ctx, action: at('/deverrouillage'), label: t('customerActions.unlock.submit') }), _jsx("p", { class: "hint", children: t('customerActions.sessions.hint') }), _jsx(ActionButton, { ctx: ctx, action: at('/fin-des-sessions'), label: t('customerActions.sessions.submit') }), _jsx("h3", { children: t('customerActions.verify.title') }), _jsx("p", { class: "hint", children: t('customerActions.verify.hint') }), _jsxs("div", { class: "action-row", children: [_jsx(ActionButton, { ctx: ctx, action: at('/verification-email'), label: t('customerActions.verify.primary'), fields: { slot: 'primary' } }), _jsx(ActionButton, { ctx: ctx, action: at('/verification-email'), label: t('customerActions.verify.secondary'), fields: { slot: 'secondary' } })] }), _jsx("h3", { children: t('customerActions.edit.title') }), _jsxs("ul", { children: [_jsx("li", { children: _jsx("a", { href: at('/coordonnees'), children: t('customerActions.edit.details') }) }), _jsx("li", { children: _jsx("a", { href: at('/immatriculation'), children: t('customerActions.edit.plate') }) })] }), _jsx("h3", { children: t('customerActions.view.title') }), _jsx("p", { class: "hint", children: t('customerActions.view.hint') }), _jsx(ActionButton, { ctx: ctx, action: at('/vue-client'), label: t('customerActions.view.submit') })] }));
}
const BackLink = ({ ctx, number }) => (_jsx("p", { children: _jsx("a", { href: customerPath(number), children: ctx.t('customerActions.back') }) }));
/** A labelled text field of an action's form, marked optional when it is. */
function TextField(props) {
    const { ctx, name } = props;
    return (_jsx(Field, { t: ctx.t, name: name, label: _jsxs(_Fragment, { children: [ctx.t(props.label), props.optional ? _jsxs(_Fragment, { children: [" ", _jsx("span", { class: "opt", children: ctx.t('customerActions.optional') })] }) : null] }), value: props.values[name], errors: props.errors[name], hint: props.hint, type: props.type, autocomplete: props.autocomplete, inputmode: props.inputmode, required: !props.optional }));
}
const DETAIL_LABELS = {
    address_line1: 'customerActions.details.address_line1',
    address_line2: 'customerActions.details.address_line2',
    postal_code: 'customerActions.details.postal_code',
    city: 'customerActions.details.city',
    country: 'customerActions.details.country',
    phone: 'customerActions.details.phone',
    mobile_phone: 'customerActions.details.mobile_phone',
    email_primary: 'customerActions.details.email_primary',
    email_secondary: 'customerActions.details.email_secondary',
    reason: 'customerActions.details.reason',
};
/** Correcting a customer's contact details, with the reason. */
export function ContactDetailsView({ ctx, number, values, errors, }) {
    const { t } = ctx;
    const labels = Object.fromEntries(Object.entries(DETAIL_LABELS).map(([k, key]) => [k, t(key)]));
    const field = (name, extra = {}) => (_jsx(TextField, { ctx: ctx, name: name, label: DETAIL_LABELS[name], values: values, errors: errors, ...extra }));
    const lineHint = t('customerActions.details.lineHint', { max: ADDRESS_LINE_MAX });
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('customerActions.details.title', { number }) }), _jsx(BackLink, { ctx: ctx, number: number }), _jsx("p", { children: t('customerActions.details.intro') }), _jsxs("form", { method: "post", action: customerPath(number, '/coordonnees'), class: "panel", novalidate: true, children: [_jsx(ErrorSummary, { t: t, errors: errors, labels: labels }), _jsx(CsrfField, { ctx: ctx }), _jsxs("fieldset", { class: "group", children: [_jsx("legend", { children: t('customerActions.details.postal') }), field('address_line1', { hint: lineHint }), field('address_line2', { optional: true }), field('postal_code', { autocomplete: 'off' }), field('city'), field('country')] }), _jsxs("fieldset", { class: "group", children: [_jsx("legend", { children: t('customerActions.details.phones') }), field('phone', { optional: true, type: 'tel' }), field('mobile_phone', { optional: true, type: 'tel' })] }), _jsxs("fieldset", { class: "group", children: [_jsx("legend", { children: t('customerActions.details.emails') }), field('email_primary', { optional: !values.email_primary && !errors.email_primary, type: 'email' }), field('email_secondary', { optional: true, type: 'email' })] }), _jsx(TextAreaField, { t: t, name: "reason", label: t('customerActions.details.reason'), hint: t('customerActions.details.reason.hint'), errors: errors.reason, rows: 3, required: true, value: values.reason }), _jsx("button", { type: "submit", class: "button", children: t('customerActions.details.submit') })] })] }));
}
const PLATE_LABELS = {
    vehicle: 'customerActions.plate.vehicle',
    new_plate: 'customerActions.plate.new_plate',
    effective_date: 'customerActions.plate.effective_date',
    description: 'customerActions.plate.description',
};
/** Recording a change of plate on one of the customer's contracts, with its effective date. */
export function PlateChangeView({ ctx, number, vehicles, values, errors, }) {
    const { t } = ctx;
    const labels = Object.fromEntries(Object.entries(PLATE_LABELS).map(([k, key]) => [k, t(key)]));
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('customerActions.plate.title', { number }) }), _jsx(BackLink, { ctx: ctx, number: number }), vehicles.length === 0 ? (_jsx("p", { children: t('customerActions.plate.none') })) : (_jsxs(_Fragment, { children: [_jsx("p", { children: t('customerActions.plate.intro') }), _jsxs("form", { method: "post", action: customerPath(number, '/immatriculation'), class: "panel", novalidate: true, children: [_jsx(ErrorSummary, { t: t, errors: errors, labels: labels }), _jsx(CsrfField, { ctx: ctx }), _jsxs("div", { class: errors.vehicle ? 'field has-error' : 'field', children: [_jsx("label", { for: "vehicle", children: t('customerActions.plate.vehicle') }), _jsx(FieldErrorText, { t: t, name: "vehicle", errors: errors.vehicle }), _jsxs("select", { id: "vehicle", name: "vehicle", "aria-required": "true", "aria-invalid": errors.vehicle ? 'true' : undefined, "aria-describedby": describedBy(errors.vehicle && 'vehicle-error'), children: [vehicles.length > 1 && _jsx("option", { value: "", children: t('customerActions.plate.choose') }), vehicles.map((v) => (_jsx("option", { value: v.id, selected: values.vehicle === v.id, children: t('customerActions.plate.vehicleOption', { plate: v.plate, contract: v.contractNumber }) }, v.id)))] })] }), _jsx(TextField, { ctx: ctx, name: "new_plate", label: "customerActions.plate.new_plate", values: values, errors: errors, hint: t('customerActions.plate.new_plate.hint'), autocomplete: "off" }), _jsx(TextField, { ctx: ctx, name: "effective_date", label: "customerActions.plate.effective_date", values: values, errors: errors, hint: t('customerActions.plate.effective_date.hint'), type: "date" }), _jsx(TextField, { ctx: ctx, name: "description", label: "customerActions.plate.description", values: values, errors: errors, hint: t('customerActions.plate.description.hint'), optional: true }), _jsx("button", { type: "submit", class: "button", children: t('customerActions.plate.submit') })] })] }))] }));
}
//# sourceMappingURL=customers.actions.views.js.map