import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { formatDate, formatTime } from '../../lib/i18n.js';
import { formatMoney, formatPercent } from '../../lib/money.js';
import { DocumentNumber, UnlinkedNote } from '../account/account.views.js';
import { ExitsChart, countLabel } from './statements.chart.js';
/* Months and times are shown in Paris time, in the page's language. */
const locale = (lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
const midMonth = (month) => new Date(`${month}-15T12:00:00Z`);
const monthLong = { fr: new Intl.DateTimeFormat(locale('fr'), { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }), en: new Intl.DateTimeFormat(locale('en'), { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }) };
const monthShort = { fr: new Intl.DateTimeFormat(locale('fr'), { month: 'short', year: '2-digit', timeZone: 'Europe/Paris' }), en: new Intl.DateTimeFormat(locale('en'), { month: 'short', year: '2-digit', timeZone: 'Europe/Paris' }) };
/** `novembre 2026` / `November 2026`. */
export function formatMonth(month, lang) {
    return monthLong[lang].format(midMonth(month));
}
/** `nov. 26` / `Nov 26`, for the chart's axis. */
export function formatMonthShort(month, lang) {
    return monthShort[lang].format(midMonth(month));
}
/** One month of one contract, as the page shows it. */
export const monthHref = (contractNumber, month) => `/decomptes/${encodeURIComponent(contractNumber)}/${month}`;
export function StatementsView({ ctx, contracts, since }) {
    const { t } = ctx;
    return (_jsxs("div", { class: "statements", children: [_jsx("h1", { children: t('statements.title') }), _jsx("p", { children: t('statements.intro') }), _jsx("p", { class: "statements-rule", children: t('statements.rule') }), contracts.map((c, i) => (_jsx(ContractSection, { ctx: ctx, data: c, idBase: `k${i + 1}`, since: since }, c.contract.id)))] }));
}
function ContractSection({ ctx, data, idBase, since }) {
    const { t, lang } = ctx;
    const { contract, rows } = data;
    const variant30 = contract.petit_rouleur_30 === 1;
    const headingId = `${idBase}-heading`;
    const months = data.chart.map((m) => ({
        month: m.month,
        exits: m.exits,
        long: formatMonth(m.month, lang),
        short: formatMonthShort(m.month, lang),
    }));
    return (_jsxs("section", { class: "panel", "aria-labelledby": headingId, children: [_jsx("h2", { id: headingId, children: t('statements.contract', { number: contract.number, carPark: contract.car_park_name }) }), contract.status !== 'active' && _jsx("p", { children: t('statements.status', { status: t(`status.${contract.status}`) }) }), variant30 && _jsx("p", { class: "statements-rule", children: t('statements.rule30') }), rows.length === 0 ? (_jsx("p", { children: t('statements.none') })) : (_jsxs(_Fragment, { children: [_jsx("h3", { children: t('statements.chart.heading') }), _jsx("div", { class: "chart-scroll", role: "group", tabindex: 0, "aria-label": t('statements.chart.region', { number: contract.number }), children: _jsx(ExitsChart, { ctx: ctx, idBase: `${idBase}-chart`, contractNumber: contract.number, months: months, variant30: variant30 }) }), _jsx("p", { class: "hint", children: t('statements.table.hint') }), _jsx(StatementsTable, { ctx: ctx, rows: rows, caption: t('statements.table.caption', { number: contract.number }), month: (row) => (row.detailed ? _jsx("a", { href: monthHref(contract.number, row.month), children: formatMonth(row.month, lang) }) : formatMonth(row.month, lang)), docNumber: (doc) => _jsx(DocumentNumber, { ctx: ctx, doc: doc, since: since }) }), _jsx(UnlinkedNote, { ctx: ctx, docs: rows.flatMap((r) => (r.document ? [r.document] : [])), since: since })] }))] }));
}
/**
 * A contract's statements, a row a month: exits, rate, discount and the document that carried it.
 * The one table for the customer's page and the back office's customer page; they differ by the
 * caption, the month cell (a link to the month's exits or not) and the document's link.
 */
export function StatementsTable({ ctx, rows, caption, month, docNumber, }) {
    const { t, lang } = ctx;
    return (_jsxs("table", { class: "stack statements-table", children: [_jsx("caption", { children: caption }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('statements.col.month') }), _jsx("th", { scope: "col", class: "num", children: t('statements.col.exits') }), _jsx("th", { scope: "col", class: "num", children: t('statements.col.rate') }), _jsx("th", { scope: "col", class: "num", children: t('statements.col.discount') }), _jsx("th", { scope: "col", children: t('statements.col.document') })] }) }), _jsx("tbody", { children: rows.map((row) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('statements.col.month'), children: month(row) }), _jsx("td", { "data-label": t('statements.col.exits'), class: "num", children: row.exits }), _jsx("td", { "data-label": t('statements.col.rate'), class: "num", children: formatPercent(row.rateBp, lang) }), _jsx("td", { "data-label": t('statements.col.discount'), class: "num", children: formatMoney(row.discount.ttc, lang) }), _jsx("td", { "data-label": t('statements.col.document'), children: row.document ? docNumber(row.document) : _jsx("span", { class: "muted", children: t('statements.document.none') }) })] }, row.month))) })] }));
}
export function ExitsView({ ctx, statement, rateBp, discount, exits, since, }) {
    const { t, lang } = ctx;
    const month = formatMonth(statement.month, lang);
    return (_jsxs("div", { class: "statements", children: [_jsx("p", { children: _jsx("a", { href: "/decomptes", children: t('statements.back') }) }), _jsx("h1", { children: t('statements.exits.title', { month }) }), _jsxs("section", { class: "panel", "aria-labelledby": "summary", children: [_jsx("h2", { id: "summary", children: t('statements.exits.summary') }), _jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('statements.exits.contract') }), _jsx("dd", { children: statement.contract_number }), _jsx("dt", { children: t('statements.exits.carPark') }), _jsx("dd", { children: statement.car_park_name }), _jsx("dt", { children: t('statements.exits.count') }), _jsx("dd", { children: countLabel(ctx, statement.exit_count) }), _jsx("dt", { children: t('statements.exits.rate') }), _jsx("dd", { children: formatPercent(rateBp, lang) }), _jsx("dt", { children: t('statements.exits.discount') }), _jsx("dd", { children: t('statements.exits.discountValue', {
                                    ttc: formatMoney(discount.ttc, lang),
                                    ht: formatMoney(discount.ht, lang),
                                    vat: formatMoney(discount.vat, lang),
                                }) }), _jsx("dt", { children: t('statements.exits.document') }), _jsx("dd", { children: statement.document ? _jsx(DocumentNumber, { ctx: ctx, doc: statement.document, since: since }) : _jsx("span", { class: "muted", children: t('statements.document.none') }) })] }), _jsx(UnlinkedNote, { ctx: ctx, docs: statement.document ? [statement.document] : [], since: since }), _jsx("p", { class: "statements-rule", children: t('statements.rule') }), statement.petit_rouleur_30 === 1 && _jsx("p", { class: "statements-rule", children: t('statements.rule30') })] }), _jsxs("section", { class: "panel", "aria-labelledby": "exits", children: [_jsx("h2", { id: "exits", children: t('statements.exits.list') }), exits.length === 0 ? (_jsx("p", { children: t('statements.exits.none') })) : (_jsxs("table", { class: "stack exits-table", children: [_jsx("caption", { children: t('statements.exits.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('statements.col.position') }), _jsx("th", { scope: "col", children: t('statements.col.date') }), _jsx("th", { scope: "col", children: t('statements.col.time') })] }) }), _jsx("tbody", { children: exits.map((e, i) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('statements.col.position'), children: i + 1 }), _jsx("td", { "data-label": t('statements.col.date'), children: formatDate(e.exited_at, lang) }), _jsx("td", { "data-label": t('statements.col.time'), children: _jsx("time", { dateTime: e.exited_at, children: formatTime(e.exited_at, lang) }) })] }, e.id))) })] }))] })] }));
}
//# sourceMappingURL=statements.views.js.map