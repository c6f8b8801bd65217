import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { isServiceCode, readHours, readServices } from './public.rules.js';
export const telHref = (phone) => `tel:${phone.replace(/[^\d+]/g, '')}`;
const weekdayFormats = {
    fr: new Intl.DateTimeFormat('fr-FR', { weekday: 'long', timeZone: 'UTC' }),
    en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }),
};
/** `lundi` / `Monday` for 1 (1 January 2024 was a Monday). */
const weekdayName = (day, lang) => weekdayFormats[lang].format(new Date(Date.UTC(2024, 0, day)));
/** `8h`, `7h30` / `8:00`, `7:30`. */
function hourText(t, hhmm) {
    const [h, minutes] = hhmm.split(':');
    return minutes === '00' ? t('parkings.hours.timeOnTheHour', { hour: Number(h) }) : t('parkings.hours.time', { hour: Number(h), minutes: minutes });
}
function hoursLineText(t, lang, line) {
    const span = line.hours && { open: hourText(t, line.hours[0]), close: hourText(t, line.hours[1]) };
    const days = line.days && { first: weekdayName(line.days[0], lang), last: weekdayName(line.days[1], lang) };
    const when = days
        ? span
            ? t('parkings.hours.days', { ...days, ...span })
            : t('parkings.hours.daysAllDay', days)
        : span
            ? t('parkings.hours.daily', span)
            : t('parkings.hours.always');
    return line.for === 'everyone' ? when : t(`parkings.hours.for.${line.for}`, { hours: when });
}
/**
 * A car park's opening hours in the reader's language (`car_parks.opening_hours`, see
 * public.rules.ts); a value that is not structured hours is shown as it is.
 */
export function openingHoursText({ t, lang }, stored) {
    const lines = readHours(stored);
    return lines ? lines.map((line) => hoursLineText(t, lang, line)).join(t('format.listSeparator')) : stored;
}
/** A car park's services in the reader's language (a service stored as text: as it is). */
export const serviceLabels = (t, stored) => readServices(stored).map((s) => (isServiceCode(s) ? t(`parkings.service.${s}`) : s));
export function CarParkCard({ ctx, park, headingLevel }) {
    const { t } = ctx;
    const services = serviceLabels(t, park.services);
    const H = headingLevel === 2 ? 'h2' : 'h3';
    return (_jsxs("article", { class: "card", "aria-labelledby": `park-${park.code}`, children: [_jsx(H, { id: `park-${park.code}`, children: park.name }), _jsxs("p", { children: [park.address_line, _jsx("br", {}), park.postal_code, " ", park.city] }), _jsxs("p", { children: [t('format.label', { label: t('contact.phone') }), " ", _jsx("a", { href: telHref(park.phone), children: park.phone }), park.email && (_jsxs(_Fragment, { children: [_jsx("br", {}), t('format.label', { label: t('contact.email') }), " ", _jsx("a", { href: `mailto:${park.email}`, children: park.email })] }))] }), _jsx("p", { children: t('format.labelValue', { label: t('parkings.hours'), value: openingHoursText(ctx, park.opening_hours) }) }), services.length > 0 && _jsx("p", { children: t('format.labelValue', { label: t('parkings.services'), value: services.join(', ') }) })] }));
}
export function CarParksView({ ctx, parks }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('parkings.title') }), _jsx("p", { children: t('parkings.intro') }), parks.length === 0 ? (_jsx("p", { children: t('parkings.none') })) : (_jsx("ul", { class: "cards", children: parks.map((p) => (_jsx("li", { children: _jsx(CarParkCard, { ctx: ctx, park: p, headingLevel: 2 }) }, p.id))) }))] }));
}
//# sourceMappingURL=public.views.js.map