import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { ErrorSummary, Field, FieldErrorText, TextAreaField, describedBy } from '../../lib/forms.js';
import { formatDateTime } from '../../lib/i18n.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { SERVICE_CODES } from '../public/public.rules.js';
import { openingHoursText } from '../public/public.views.js';
import { CAR_PARK_FIELDS, MAX_HOURS_LINES, MAX_LOGO_BYTES, SETTINGS_FIELDS, emptyHoursRow, } from './settings.rules.js';
export const SETTINGS_PATH = '/gestion/parametres';
export const PARKS_PATH = `${SETTINGS_PATH}/parkings`;
const Notice = ({ ctx, notice }) => notice && (_jsx(StatusMessage, { children: ctx.t(notice.key, notice.params) }));
const weekdayName = (day, lang) => new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
/**
 * Opening hours as lines of selects and times — no script: the lines stored and empty ones,
 * up to six; a line left at "—" is not used. `audiences`: whom a line may be for.
 */
function HoursEditor(props) {
    const { ctx, rows, errors } = props;
    const { t } = ctx;
    const shown = [...rows, emptyHoursRow(), emptyHoursRow()].slice(0, Math.max(MAX_HOURS_LINES, rows.length));
    const wrong = Boolean(errors.hours?.length);
    const days = [1, 2, 3, 4, 5, 6, 7];
    return (_jsxs("fieldset", { id: "hours", class: wrong ? 'group has-error' : 'group', "aria-describedby": describedBy('hours-hint', wrong && 'hours-error'), children: [_jsx("legend", { children: props.legend }), _jsx("p", { class: "hint", id: "hours-hint", children: t('settings.hours.hint') }), _jsx(FieldErrorText, { t: t, name: "hours", errors: errors.hours, list: true }), shown.map((row, i) => {
                const id = (part) => `hours_${i}_${part}`;
                return (_jsxs("fieldset", { class: "hours-line", children: [_jsx("legend", { children: t('settings.hours.line', { line: i + 1 }) }), _jsxs("div", { class: "field", children: [_jsx("label", { for: id('for'), children: t('settings.hours.for') }), _jsxs("select", { id: id('for'), name: id('for'), children: [_jsx("option", { value: "", children: t('settings.hours.for.none') }), props.audiences.map((a) => (_jsx("option", { value: a, selected: row.for === a, children: t(`settings.hours.for.${a}`) }, a)))] })] }), ['first', 'last'].map((part) => (_jsxs("div", { class: "field", children: [_jsx("label", { for: id(part), children: t(`settings.hours.${part}`) }), _jsxs("select", { id: id(part), name: id(part), children: [_jsx("option", { value: "", children: t('settings.hours.everyDay') }), days.map((d) => (_jsx("option", { value: String(d), selected: row[part] === String(d), children: weekdayName(d, ctx.lang) }, d)))] })] }, part))), ['open', 'close'].map((part) => (_jsxs("div", { class: "field", children: [_jsx("label", { for: id(part), children: t(`settings.hours.${part}`) }), _jsx("input", { id: id(part), name: id(part), type: "time", value: row[part] })] }, part)))] }, i));
            })] }));
}
function Section({ title, id, children }) {
    return (_jsxs("fieldset", { class: "group", id: id, children: [_jsx("legend", { children: title }), children] }));
}
const HINTS = {
    share_capital: 'settings.field.share_capital.hint',
    siren: 'settings.field.siren.hint',
    rcs: 'settings.field.rcs.hint',
    vat_number: 'settings.field.vat_number.hint',
    website: 'settings.field.website.hint',
    phone: 'settings.field.phone.hint',
    creditor_id: 'settings.field.creditor_id.hint',
    late_payment_penalty: 'settings.field.late_payment_penalty.hint',
    staff_notification_email: 'settings.field.staff_notification_email.hint',
    brand_colour: 'settings.field.brand_colour.hint',
};
const OPTIONAL_FIELDS = ['share_capital', 'mediator_name', 'mediator_address', 'mediator_website'];
const INPUT_TYPES = { email: 'email', staff_notification_email: 'email', website: 'url', mediator_website: 'url', phone: 'tel' };
/** The settings page: the form of the operator's settings, the logo's form, the way to the car parks. */
export function SettingsView({ ctx, values, errors, notice, lastSaved, logo }) {
    const { t } = ctx;
    const label = (f) => t(`settings.field.${f}`);
    const labels = { ...Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, label(f)])), hours: t('settings.field.hours') };
    const field = (f) => (_jsx(Field, { t: t, name: f, type: INPUT_TYPES[f], label: OPTIONAL_FIELDS.includes(f) ? (_jsxs(_Fragment, { children: [label(f), " ", _jsx("span", { class: "opt", children: t('settings.optional') })] })) : (label(f)), value: values[f], errors: errors[f], hint: HINTS[f] && t(HINTS[f]), required: !OPTIONAL_FIELDS.includes(f) }));
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('settings.title') }), _jsx(Notice, { ctx: ctx, notice: notice }), _jsx("p", { children: t('settings.intro') }), lastSaved && (_jsx("p", { class: "muted", children: lastSaved.by
                    ? t('settings.lastSaved', { date: formatDateTime(lastSaved.at, ctx.lang), name: lastSaved.by })
                    : t('settings.lastSaved.start', { date: formatDateTime(lastSaved.at, ctx.lang) }) })), _jsx("p", { children: _jsx("a", { href: PARKS_PATH, children: t('settings.parks.link') }) }), _jsxs("section", { class: "panel", "aria-labelledby": "operator-settings", children: [_jsx("h2", { id: "operator-settings", children: t('settings.form.title') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: labels, level: 3 }), _jsxs("form", { method: "post", action: SETTINGS_PATH, novalidate: true, class: "settings-form", children: [_jsx(CsrfField, { ctx: ctx }), _jsx(Section, { title: t('settings.section.identity'), id: "section-identity", children: ['name', 'legal_form', 'share_capital', 'address', 'siren', 'rcs', 'vat_number', 'website'].map(field) }), _jsxs(Section, { title: t('settings.section.service'), id: "section-service", children: [field('phone'), field('email'), _jsx(HoursEditor, { ctx: ctx, legend: t('settings.field.hours'), rows: values.hours, errors: errors, audiences: ['everyone'] })] }), _jsx(Section, { title: t('settings.section.mediator'), id: "section-mediator", children: ['mediator_name', 'mediator_address', 'mediator_website'].map(field) }), _jsx(Section, { title: t('settings.section.creditor'), id: "section-creditor", children: ['creditor_name', 'creditor_address', 'creditor_id'].map(field) }), _jsx(Section, { title: t('settings.section.invoices'), id: "section-invoices", children: field('late_payment_penalty') }), _jsx(Section, { title: t('settings.section.staff'), id: "section-staff", children: field('staff_notification_email') }), _jsx(Section, { title: t('settings.section.look'), id: "section-look", children: field('brand_colour') }), _jsx("button", { type: "submit", class: "button", children: t('settings.submit') })] })] }), _jsx(LogoPanel, { ctx: ctx, url: logo.url, errors: logo.errors })] }));
}
function LogoPanel({ ctx, url, errors }) {
    const { t } = ctx;
    const wrong = Boolean(errors.logo?.length);
    return (_jsxs("section", { class: "panel", "aria-labelledby": "logo-title", id: "logo-panel", children: [_jsx("h2", { id: "logo-title", children: t('settings.logo.title') }), _jsx("p", { children: t('settings.logo.intro', { max: MAX_LOGO_BYTES / 1024 }) }), url ? (_jsxs("p", { children: [t('settings.logo.current'), " ", _jsx("img", { class: "logo-preview", src: url, alt: t('settings.logo.currentAlt') })] })) : (_jsx("p", { class: "muted", children: t('settings.logo.none') })), _jsxs("form", { method: "post", action: `${SETTINGS_PATH}/logo`, enctype: "multipart/form-data", novalidate: true, children: [_jsx(CsrfField, { ctx: ctx }), _jsxs("div", { class: wrong ? 'field has-error' : 'field', children: [_jsx("label", { for: "logo", children: t('settings.logo.file') }), _jsx(FieldErrorText, { t: t, name: "logo", errors: errors.logo }), _jsx("input", { id: "logo", name: "logo", type: "file", accept: "image/png,image/jpeg", "aria-invalid": wrong ? 'true' : undefined, "aria-describedby": describedBy(wrong && 'logo-error') })] }), _jsx("button", { type: "submit", class: "button", children: t('settings.logo.submit') })] }), url && (_jsxs("form", { method: "post", action: `${SETTINGS_PATH}/logo/suppression`, class: "inline", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("button", { type: "submit", class: "link-button dark", children: t('settings.logo.remove') })] }))] }));
}
/** Every car park, with the way to its form. */
export function CarParksListView({ ctx, parks }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('settings.parks.title') }), _jsx("p", { children: t('settings.parks.intro') }), _jsx("p", { children: _jsx("a", { href: SETTINGS_PATH, children: t('settings.parks.toSettings') }) }), parks.length === 0 ? (_jsx("p", { children: t('settings.parks.none') })) : (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('settings.parks.caption', { count: parks.length }) }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('settings.parks.col.name') }), _jsx("th", { scope: "col", children: t('settings.parks.col.code') }), _jsx("th", { scope: "col", children: t('settings.parks.col.city') }), _jsx("th", { scope: "col", children: t('settings.parks.col.phone') }), _jsx("th", { scope: "col", children: t('settings.parks.col.pr30') }), _jsx("th", { scope: "col", children: t('settings.parks.col.edit') })] }) }), _jsx("tbody", { children: parks.map((p) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('settings.parks.col.name'), children: p.name }), _jsx("td", { "data-label": t('settings.parks.col.code'), children: p.code }), _jsx("td", { "data-label": t('settings.parks.col.city'), children: p.city }), _jsx("td", { "data-label": t('settings.parks.col.phone'), children: p.phone }), _jsx("td", { "data-label": t('settings.parks.col.pr30'), children: t(p.petit_rouleur_30 ? 'settings.parks.yes' : 'settings.parks.no') }), _jsx("td", { "data-label": t('settings.parks.col.edit'), children: _jsx("a", { href: `${PARKS_PATH}/${encodeURIComponent(p.code)}`, "aria-label": t('settings.parks.editLabel', { name: p.name }), children: t('settings.parks.edit') }) })] }, p.id))) })] }))] }));
}
/** One car park's form: contact details, hours, services, petit-rouleur variant. */
export function CarParkView(props) {
    const { ctx, park, values, errors } = props;
    const { t } = ctx;
    const label = (f) => t(`settings.park.field.${f}`);
    const labels = {
        ...Object.fromEntries(CAR_PARK_FIELDS.map((f) => [f, label(f)])),
        hours: label('hours'),
        services: label('services'),
        other_services: label('other_services'),
    };
    const action = `${PARKS_PATH}/${encodeURIComponent(park.code)}`;
    const servicesWrong = Boolean(errors.services?.length);
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('settings.park.title', { name: park.name }) }), _jsx(Notice, { ctx: ctx, notice: props.notice }), _jsx("p", { class: "muted", children: t('settings.park.code', { code: park.code }) }), _jsx("p", { class: "muted", children: t('format.labelValue', { label: t('parkings.hours'), value: openingHoursText(ctx, park.opening_hours) }) }), _jsx("p", { children: _jsx("a", { href: PARKS_PATH, children: t('settings.parks.back') }) }), _jsxs("section", { class: "panel", "aria-labelledby": "park-form", children: [_jsx("h2", { id: "park-form", children: t('settings.parks.edit') }), _jsx(ErrorSummary, { t: t, errors: errors, labels: labels, anchors: { services: `service-${SERVICE_CODES[0]}` }, level: 3 }), _jsxs("form", { method: "post", action: action, novalidate: true, class: "settings-form", children: [_jsx(CsrfField, { ctx: ctx }), CAR_PARK_FIELDS.map((f) => (_jsx(Field, { t: t, name: f, type: f === 'email' ? 'email' : f === 'phone' ? 'tel' : undefined, label: f === 'email' ? (_jsxs(_Fragment, { children: [label(f), " ", _jsx("span", { class: "opt", children: t('settings.optional') })] })) : (label(f)), value: values[f], errors: errors[f], inputmode: f === 'postal_code' ? 'numeric' : undefined, required: f !== 'email' }, f))), _jsx(HoursEditor, { ctx: ctx, legend: label('hours'), rows: values.hours, errors: errors, audiences: ['everyone', 'subscribers', 'reception'] }), _jsxs("fieldset", { class: servicesWrong ? 'group has-error' : 'group', "aria-describedby": servicesWrong ? 'services-error' : undefined, children: [_jsx("legend", { children: label('services') }), _jsx(FieldErrorText, { t: t, name: "services", errors: errors.services }), SERVICE_CODES.map((code) => (_jsxs("div", { class: "checkbox", children: [_jsx("input", { type: "checkbox", id: `service-${code}`, name: "services", value: code, checked: values.services.includes(code) }), _jsx("label", { for: `service-${code}`, children: t(`parkings.service.${code}`) })] }, code)))] }), _jsx(TextAreaField, { t: t, name: "other_services", label: _jsxs(_Fragment, { children: [label('other_services'), " ", _jsx("span", { class: "opt", children: t('settings.optional') })] }), hint: t('settings.park.field.other_services.hint'), errors: errors.other_services, rows: 3, value: values.other_services }), _jsxs("fieldset", { class: "group", children: [_jsx("legend", { children: label('petit_rouleur_30') }), _jsx("p", { class: "hint", id: "petit_rouleur_30-hint", children: t('settings.park.pr30.hint') }), _jsxs("div", { class: "checkbox", children: [_jsx("input", { type: "checkbox", id: "petit_rouleur_30", name: "petit_rouleur_30", value: "1", checked: values.petit_rouleur_30, "aria-describedby": "petit_rouleur_30-hint" }), _jsx("label", { for: "petit_rouleur_30", children: t('settings.park.pr30') })] })] }), _jsx("button", { type: "submit", class: "button", children: t('settings.submit') })] })] })] }));
}
//# sourceMappingURL=settings.views.js.map