import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { formatDate } from '../../lib/i18n.js';
import { formatAmount, formatMoney } from '../../lib/money.js';
import { MandateSummary } from '../direct-debit/direct-debit.views.js';
import { pdfServed } from './account.rules.js';
export const PAGE_SIZE = 20;
/** How many documents due Mon compte lists under the balance (the oldest); the "à régler" history shows them all. */
export const DUE_SHOWN = 5;
/** The query string of the history with these filters and page: paging keeps the filters. */
export function historyHref(f, page) {
    const q = new URLSearchParams();
    if (f.contrat)
        q.set('contrat', f.contrat);
    if (f.type)
        q.set('type', f.type);
    if (f.annee)
        q.set('annee', String(f.annee));
    if (f.etat)
        q.set('etat', f.etat);
    if (page > 1)
        q.set('page', String(page));
    const s = q.toString();
    return `/mon-compte${s ? `?${s}` : ''}#historique`;
}
export const pdfHref = (number) => `/mon-compte/documents/${encodeURIComponent(number)}.pdf`;
/** A document's number, a link to its PDF when the PDF route will serve it (`pdfServed`), else plain text. */
export function DocumentNumber({ ctx, doc, since }) {
    const { t } = ctx;
    if (!pdfServed(doc, since))
        return _jsx(_Fragment, { children: doc.number });
    return (_jsx("a", { href: pdfHref(doc.number), "aria-label": t('account.pdf.label', { type: t(`account.the.${doc.kind}`), number: doc.number }), children: doc.number }));
}
/** Said once under a list where some numbers are not links: why, and how to get those documents. */
export function UnlinkedNote({ ctx, docs, since }) {
    return docs.some((d) => !pdfServed(d, since)) ? _jsx("p", { class: "hint", children: ctx.t('account.pdf.unlinked') }) : null;
}
/** "Reste à payer": the balance, the way to pay it, what makes it up, or what paying online needs. */
function BalancePanel({ ctx, balance, paperless, due, since }) {
    const { t, lang } = ctx;
    // Money received and not yet set against an invoice: what the documents' remainders leave of the balance.
    const unallocated = due.reduce((sum, d) => sum + d.remaining, 0) - balance;
    const shown = due.slice(0, DUE_SHOWN);
    return (_jsxs("section", { class: "panel balance", "aria-labelledby": "balance", children: [_jsxs("div", { class: "balance-line", children: [_jsx("p", { id: "balance", class: "balance-amount", children: t('account.balance', { amount: formatMoney(Math.max(0, balance), lang) }) }), paperless && balance > 0 && (_jsx("a", { class: "button", href: "/mon-compte/paiement", children: t('pay.button') }))] }), balance < 0 && _jsx("p", { children: t('account.credit', { amount: formatMoney(-balance, lang) }) }), due.length > 0 && (_jsxs(_Fragment, { children: [_jsx("h2", { id: "a-regler", class: "due-title", children: t(due.some((d) => d.kind === 'invoice') ? 'account.due.title' : 'account.due.creditTitle') }), _jsxs("ul", { class: "due-list", "aria-labelledby": "a-regler", children: [shown.map((d) => (_jsxs("li", { children: [_jsxs("span", { children: [t(`account.kind.${d.kind}`), " ", _jsx(DocumentNumber, { ctx: ctx, doc: d, since: since }), ' ', _jsxs("span", { class: "muted", children: [t('account.due.date', { date: formatDate(d.issue_date, lang) }), d.contract_number && ` · ${t('account.due.contract', { number: d.contract_number })}`] })] }), _jsx("strong", { children: d.remaining > 0
                                            ? t('account.due.remaining', { amount: formatMoney(d.remaining, lang) })
                                            : t('account.due.credit', { amount: formatMoney(-d.remaining, lang) }) })] }, d.id))), unallocated > 0 && (_jsxs("li", { children: [_jsx("span", { children: t('account.due.unallocated') }), _jsx("strong", { children: t('account.due.credit', { amount: formatMoney(unallocated, lang) }) })] }))] }), due.length > shown.length && (_jsxs("p", { children: [t('account.due.shown', { shown: shown.length, count: due.length }), ' ', _jsx("a", { href: historyHref({ etat: 'a-regler' }, 1), children: t('account.due.all', { count: due.length }) })] })), _jsx(UnlinkedNote, { ctx: ctx, docs: shown, since: since })] })), !paperless && (_jsxs("p", { children: [t('account.paperlessNeeded'), " ", _jsx("a", { href: "/profil#documents-par-email", children: t('account.paperlessLink') })] }))] }));
}
/** The history's filters: a GET form, so the filtered page has an address of its own. */
function HistoryFilters({ ctx, filters, contracts, years }) {
    const { t } = ctx;
    const kindLabel = (k) => t(`account.kind.${k}`);
    return (_jsxs("form", { method: "get", action: "/mon-compte#historique", class: "filters", "aria-label": t('account.filters'), children: [_jsxs("div", { class: "field", children: [_jsx("label", { for: "f-contrat", children: t('account.filter.contract') }), _jsxs("select", { id: "f-contrat", name: "contrat", children: [_jsx("option", { value: "", children: t('account.filter.all') }), contracts.map((c) => (_jsx("option", { value: c.number, selected: filters.contrat === c.number, children: c.number }, c.number)))] })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-type", children: t('account.filter.type') }), _jsxs("select", { id: "f-type", name: "type", children: [_jsx("option", { value: "", children: t('account.filter.all') }), ['invoice', 'credit_note'].map((k) => (_jsx("option", { value: k, selected: filters.type === k, children: kindLabel(k) }, k)))] })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-annee", children: t('account.filter.year') }), _jsxs("select", { id: "f-annee", name: "annee", children: [_jsx("option", { value: "", children: t('account.filter.all') }), years.map((y) => (_jsx("option", { value: String(y), selected: filters.annee === y, children: y }, y)))] })] }), _jsxs("div", { class: "field", children: [_jsx("label", { for: "f-etat", children: t('account.filter.state') }), _jsxs("select", { id: "f-etat", name: "etat", children: [_jsx("option", { value: "", children: t('account.filter.all') }), _jsx("option", { value: "a-regler", selected: filters.etat === 'a-regler', children: t('account.filter.open') })] })] }), _jsxs("div", { class: "filter-actions", children: [_jsx("button", { type: "submit", class: "button", children: t('account.filter.submit') }), _jsx("a", { href: "/mon-compte#historique", children: t('account.filter.reset') })] })] }));
}
/** One page of invoices and credit notes, each with what remains and its PDF. */
function DocumentsTable({ ctx, rows, since }) {
    const { t, lang } = ctx;
    const kindLabel = (k) => t(`account.kind.${k}`);
    return (rows.length === 0 ? (_jsx("p", { children: t('account.none') })) : (_jsxs("table", { class: "stack documents", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('account.col.type') }), _jsx("th", { scope: "col", children: t('account.col.number') }), _jsx("th", { scope: "col", children: t('account.col.contract') }), _jsx("th", { scope: "col", children: t('account.col.date') }), _jsx("th", { scope: "col", children: t('account.col.period') }), _jsx("th", { scope: "col", class: "num", children: t('account.col.amount') }), _jsx("th", { scope: "col", class: "num", children: t('account.col.remaining') }), _jsx("th", { scope: "col", children: t('account.col.pdf') })] }) }), _jsx("tbody", { children: rows.map((d) => (_jsxs("tr", { children: [_jsx("td", { "data-label": t('account.col.type'), children: kindLabel(d.kind) }), _jsx("th", { scope: "row", "data-label": t('account.col.number'), children: d.number }), _jsx("td", { "data-label": t('account.col.contract'), children: d.contract_number ?? '—' }), _jsx("td", { "data-label": t('account.col.date'), children: formatDate(d.issue_date, lang) }), _jsx("td", { "data-label": t('account.col.period'), children: d.period_start && d.period_end
                                ? t('account.period', { start: formatDate(d.period_start, lang), end: formatDate(d.period_end, lang) })
                                : '—' }), _jsx("td", { "data-label": t('account.col.amount'), class: "num", children: formatAmount(d.kind === 'invoice' ? d.total_ttc_cents : -d.total_ttc_cents, lang) }), _jsx("td", { "data-label": t('account.col.remaining'), class: "num", children: formatAmount(d.remaining, lang) }), _jsx("td", { "data-label": t('account.col.pdf'), children: pdfServed(d, since) ? (_jsx("a", { href: pdfHref(d.number), "aria-label": t('account.pdf.label', { type: t(`account.the.${d.kind}`), number: d.number }), children: t('account.pdf') })) : (_jsx("span", { class: "muted", children: t('account.pdf.none') })) })] }, d.id))) })] })));
}
/** Where a list is, which page of how many, and the previous and next pages (their links keep the list's filters). */
export function Paging({ ctx, page, total, summary, href, size = PAGE_SIZE, }) {
    const { t } = ctx;
    const pages = Math.max(1, Math.ceil(total / size));
    if (pages <= 1)
        return null;
    return (_jsxs("nav", { "aria-label": t('account.paging'), class: "paging", children: [_jsx("p", { children: t(summary, { page, pages, total }) }), _jsxs("ul", { children: [page > 1 && (_jsx("li", { children: _jsx("a", { href: href(page - 1), rel: "prev", children: t('account.previous') }) })), page < pages && (_jsx("li", { children: _jsx("a", { href: href(page + 1), rel: "next", children: t('account.next') }) }))] })] }));
}
export function AccountView(p) {
    const { ctx, filters } = p;
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('account.title') }), _jsx(BalancePanel, { ctx: ctx, balance: p.balance, paperless: p.paperless, due: p.due, since: p.since }), _jsxs("section", { class: "panel", "aria-labelledby": "historique", children: [_jsx("h2", { id: "historique", tabindex: -1, children: t('account.history') }), _jsx("p", { children: t(p.paperless ? 'account.window.fiveYears' : 'account.window.twelveMonths') }), p.olderCount > 0 && _jsx("p", { class: "muted", children: t('account.older', { count: p.olderCount }) }), _jsx(HistoryFilters, { ctx: ctx, filters: filters, contracts: p.contracts, years: p.years }), _jsx(DocumentsTable, { ctx: ctx, rows: p.rows, since: p.since }), _jsx(Paging, { ctx: ctx, page: p.page, total: p.total, summary: "account.page", href: (page) => historyHref(filters, page) })] }), p.payments, _jsxs("section", { class: "panel", "aria-labelledby": "direct-debit", children: [_jsx("h2", { id: "direct-debit", children: t('account.directDebit.title') }), _jsx(MandateSummary, { ctx: ctx, mandate: p.mandate, coverage: p.directDebit })] })] }));
}
//# sourceMappingURL=account.views.js.map