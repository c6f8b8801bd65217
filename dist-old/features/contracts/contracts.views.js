import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { formatDate } from '../../lib/i18n.js';
import { formatMoney, formatPercent, vatOf } from '../../lib/money.js';
import { MandateSummary } from '../direct-debit/direct-debit.views.js';
import { openingHoursText } from '../public/public.views.js';
function ContractFacts({ ctx, c }) {
    const { t, lang } = ctx;
    const unknown = _jsx("span", { class: "muted", children: t('contracts.unknown') });
    const vat = vatOf(c.price_ht_cents, c.vat_rate_bp);
    return (_jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('contracts.carPark') }), _jsx("dd", { children: c.car_park_name }), _jsx("dt", { children: t('contracts.address') }), _jsxs("dd", { children: [c.car_park_address, ", ", c.car_park_postal_code, " ", c.car_park_city] }), _jsx("dt", { children: t('contracts.phone') }), _jsx("dd", { children: _jsx("a", { href: `tel:${c.car_park_phone.replace(/[^\d+]/g, '')}`, children: c.car_park_phone }) }), _jsx("dt", { children: t('contracts.hours') }), _jsx("dd", { children: openingHoursText(ctx, c.car_park_hours) }), _jsx("dt", { children: t('contracts.product') }), _jsx("dd", { children: t(`product.${c.product}`) }), _jsx("dt", { children: t('contracts.status') }), _jsx("dd", { children: t(`status.${c.status}`) }), _jsx("dt", { children: t('contracts.start') }), _jsx("dd", { children: formatDate(c.start_date, lang) }), c.end_date ? (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('contracts.end') }), _jsx("dd", { children: formatDate(c.end_date, lang) })] })) : c.renewal_date ? (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('contracts.renewal') }), _jsx("dd", { children: formatDate(c.renewal_date, lang) })] })) : (_jsxs(_Fragment, { children: [_jsx("dt", { children: t('contracts.end') }), _jsx("dd", { children: t('contracts.tacit') })] })), _jsx("dt", { children: t('contracts.price') }), _jsx("dd", { children: t('contracts.priceValue', {
                    ttc: formatMoney(c.price_ht_cents + vat, lang),
                    period: t(`period.${c.billing_period}`),
                    ht: formatMoney(c.price_ht_cents, lang),
                    rate: formatPercent(c.vat_rate_bp, lang),
                    vat: formatMoney(vat, lang),
                }) }), _jsx("dt", { children: t('contracts.frequency') }), _jsx("dd", { children: t(`frequency.${c.billing_period}`) }), _jsx("dt", { children: t('contracts.payment') }), _jsx("dd", { children: t(c.direct_debit ? 'contracts.payment.directDebit' : 'contracts.payment.other') }), _jsx("dt", { children: t('contracts.vehicles') }), _jsx("dd", { children: c.vehicles.length === 0
                    ? t('contracts.vehicles.none')
                    : c.vehicles.map((v) => (_jsxs("span", { class: "line", children: [_jsx("strong", { class: "plate", children: v.plate }), v.description ? ` — ${v.description}` : ''] }, v.plate))) }), _jsx("dt", { children: t('contracts.badge') }), _jsx("dd", { children: c.badge_number ?? unknown }), _jsx("dt", { children: t('contracts.space') }), _jsx("dd", { children: c.space_label ?? unknown })] }));
}
function ContractCard({ ctx, c }) {
    const id = `contract-${c.number}`;
    return (_jsxs("article", { class: "panel", "aria-labelledby": id, children: [_jsx("h3", { id: id, children: _jsx("a", { href: `/contrats/${encodeURIComponent(c.number)}`, children: ctx.t('contracts.contract', { number: c.number }) }) }), _jsx(ContractFacts, { ctx: ctx, c: c })] }));
}
const isCurrent = (s) => s !== 'ended';
export function ContractsView({ ctx, contracts, mandate, coverage, }) {
    const { t } = ctx;
    const current = contracts.filter((c) => isCurrent(c.status));
    const ended = contracts.filter((c) => !isCurrent(c.status));
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('contracts.title') }), _jsxs("section", { "aria-labelledby": "current", children: [_jsx("h2", { id: "current", children: t('contracts.current') }), current.length === 0 ? _jsx("p", { children: t('contracts.none') }) : current.map((c) => _jsx(ContractCard, { ctx: ctx, c: c }, c.id))] }), ended.length > 0 && (_jsxs("section", { "aria-labelledby": "ended", children: [_jsx("h2", { id: "ended", children: t('contracts.ended') }), ended.map((c) => (_jsx(ContractCard, { ctx: ctx, c: c }, c.id)))] })), _jsx("p", { children: t('contracts.change') }), _jsxs("section", { class: "panel", "aria-labelledby": "direct-debit", children: [_jsx("h2", { id: "direct-debit", children: t('contracts.directDebit') }), _jsx(MandateSummary, { ctx: ctx, mandate: mandate, coverage: coverage })] })] }));
}
export function ContractView({ ctx, contract }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx("a", { href: "/contrats", children: t('contracts.back') }) }), _jsx("h1", { children: t('contracts.contract', { number: contract.number }) }), _jsx("section", { class: "panel", children: _jsx(ContractFacts, { ctx: ctx, c: contract }) }), _jsx("p", { children: t('contracts.change') })] }));
}
//# sourceMappingURL=contracts.views.js.map