import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { Fragment } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { formatDate, translator } from '../../lib/i18n.js';
import { formatMoney } from '../../lib/money.js';
import { CsrfField, StatusMessage } from '../../lib/page.js';
import { DocumentNumber, Paging, UnlinkedNote } from '../account/account.views.js';
export function PayView({ ctx, due, selected, amount, credit, error, }) {
    const { t, lang } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx("a", { href: "/mon-compte", children: t('pay.back') }) }), _jsx("h1", { children: t('pay.title') }), due.length === 0 ? (_jsx("p", { children: t('pay.nothing') })) : (_jsxs("form", { method: "post", action: "/mon-compte/paiement", class: "panel narrow", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("p", { children: t('pay.intro') }), error && (_jsx(StatusMessage, { alert: true, id: "invoices-error", children: t(error) })), _jsxs("fieldset", { class: "choices", "aria-describedby": error ? 'invoices-error' : undefined, children: [_jsx("legend", { children: t('pay.choose') }), due.map((d) => (_jsxs("div", { class: "checkbox", children: [_jsx("input", { type: "checkbox", id: `inv-${d.id}`, name: "facture", value: d.id, checked: selected.has(d.id) }), _jsx("label", { for: `inv-${d.id}`, children: t('pay.invoice', { number: d.number, date: formatDate(d.issue_date, lang), amount: formatMoney(d.remaining, lang) }) })] }, d.id)))] }), _jsx("p", { class: "balance-amount", children: t('pay.total', { amount: formatMoney(amount, lang) }) }), credit > 0 && _jsx("p", { class: "hint", children: t('pay.creditNote', { amount: formatMoney(credit, lang) }) }), _jsx("button", { type: "submit", class: "button", children: t('pay.submit') })] }))] }));
}
const returnKey = {
    succeeded: 'pay.return.succeeded',
    pending: 'pay.return.pending',
    failed: 'pay.return.failed',
    cancelled: 'pay.return.cancelled',
    expired: 'pay.return.expired',
    superseded: 'pay.return.superseded',
};
export function ReturnView({ ctx, status, amount, attemptId }) {
    const { t, lang } = ctx;
    return (_jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('pay.return.title') }), _jsx("p", { role: "status", class: status === 'succeeded' ? 'notice' : undefined, children: t(returnKey[status], { amount: formatMoney(amount, lang) }) }), status === 'pending' && (_jsx("p", { children: _jsx("a", { href: `/mon-compte/paiement/retour/${attemptId}`, children: t('pay.return.refresh') }) })), (status === 'failed' || status === 'cancelled' || status === 'expired') && (_jsx("p", { children: _jsx("a", { class: "button", href: "/mon-compte/paiement", children: t('pay.retry') }) })), _jsx("p", { children: _jsx("a", { href: "/mon-compte", children: t('pay.back') }) })] }));
}
/** How many of the latest payments Mon compte shows; the rest are on their own page. */
export const RECENT_PAYMENTS = 5;
/**
 * Payments, each with the documents it settled. The one table of payments: the customer's
 * (credit line, numbers linked to the customer's PDF) and the back office's customer page
 * (a caption, numbers linked to the staff's download) differ only by these props.
 */
export function PaymentsTable({ ctx, payments, docNumber, caption, showCredit = false, className = 'stack', }) {
    const { t, lang } = ctx;
    return (_jsxs("table", { class: className, children: [caption !== undefined && _jsx("caption", { children: caption }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('history.date') }), _jsx("th", { scope: "col", class: "num", children: t('history.amount') }), _jsx("th", { scope: "col", children: t('history.method') }), _jsx("th", { scope: "col", children: t('history.documents') }), _jsx("th", { scope: "col", children: t('history.status') })] }) }), _jsx("tbody", { children: payments.map((p) => {
                    const credit = showCredit && p.status === 'succeeded' ? p.amount_cents - p.documents.reduce((s, d) => s + d.amount_cents, 0) : 0;
                    return (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('history.date'), children: formatDate(p.received_at ?? p.created_at, lang) }), _jsx("td", { "data-label": t('history.amount'), class: "num", children: formatMoney(p.amount_cents, lang) }), _jsx("td", { "data-label": t('history.method'), children: t(`method.${p.method}`) }), _jsx("td", { "data-label": t('history.documents'), children: _jsxs("span", { children: [p.documents.length === 0
                                            ? '—'
                                            : p.documents.map((d, i) => (_jsxs(Fragment, { children: [i > 0 && ', ', docNumber(d)] }, d.number))), credit > 0 && _jsx("span", { class: "line", children: t('history.credit', { amount: formatMoney(credit, lang) }) })] }) }), _jsx("td", { "data-label": t('history.status'), children: t(`paymentStatus.${p.status}`) })] }, p.id));
                }) })] }));
}
/** The customer's payments: numbers linked to their PDF when served, and the note on those that are not. */
function CustomerPaymentsTable({ ctx, payments, since }) {
    return (_jsxs(_Fragment, { children: [_jsx(PaymentsTable, { ctx: ctx, payments: payments, className: "stack payments", showCredit: true, docNumber: (d) => _jsx(DocumentNumber, { ctx: ctx, doc: d, since: since }) }), _jsx(UnlinkedNote, { ctx: ctx, docs: payments.flatMap((p) => p.documents), since: since })] }));
}
/** On Mon compte: the latest payments, and the way to all of them when there are more. */
export function PaymentHistory({ ctx, payments, total, since }) {
    const { t } = ctx;
    return (_jsxs("section", { class: "panel", "aria-labelledby": "paiements", children: [_jsx("h2", { id: "paiements", children: t('history.title') }), payments.length === 0 ? (_jsx("p", { children: t('history.none') })) : (_jsxs(_Fragment, { children: [total > payments.length && _jsx("p", { children: t('history.latest', { shown: payments.length, count: total }) }), _jsx(CustomerPaymentsTable, { ctx: ctx, payments: payments, since: since }), total > payments.length && (_jsx("p", { children: _jsx("a", { href: "/mon-compte/paiements", children: t('history.all', { count: total }) }) }))] }))] }));
}
/** `/mon-compte/paiements`: every payment, a page at a time. */
export function PaymentsPage({ ctx, payments, total, page, since }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx("a", { href: "/mon-compte", children: t('pay.back') }) }), _jsx("h1", { children: t('history.title') }), _jsxs("div", { class: "panel", children: [total === 0 && _jsx("p", { children: t('history.none') }), payments.length > 0 && _jsx(CustomerPaymentsTable, { ctx: ctx, payments: payments, since: since }), _jsx(Paging, { ctx: ctx, page: page, total: total, summary: "history.page", href: (n) => (n > 1 ? `/mon-compte/paiements?page=${n}` : '/mon-compte/paiements') })] })] }));
}
/** The sandbox provider's hosted page: its own frame, plainly a test, never a card field. */
export function sandboxPage(lang, csrf, session, merchant) {
    const t = translator(lang);
    const open = session.status === 'open';
    const button = (action, label, cls) => (_jsxs("form", { method: "post", action: `/sandbox-paiement/${session.id}`, class: "inline-block", children: [_jsx("input", { type: "hidden", name: "_csrf", value: csrf }), _jsx("input", { type: "hidden", name: "action", value: action }), _jsx("button", { type: "submit", class: cls, children: label })] }));
    return `<!doctype html>${renderToString(_jsxs("html", { lang: lang, children: [_jsxs("head", { children: [_jsx("meta", { charset: "utf-8" }), _jsx("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }), _jsx("title", { children: t('sandbox.title') }), _jsx("link", { rel: "stylesheet", href: "/static/portal.css" })] }), _jsxs("body", { class: "sandbox", children: [_jsx("header", { class: "sandbox-banner", role: "banner", children: _jsx("p", { children: t('sandbox.banner') }) }), _jsx("main", { id: "main", children: _jsxs("section", { class: "panel narrow", children: [_jsx("h1", { children: t('sandbox.title') }), _jsxs("dl", { class: "facts", children: [_jsx("dt", { children: t('sandbox.merchant') }), _jsx("dd", { children: merchant }), _jsx("dt", { children: t('sandbox.description') }), _jsx("dd", { children: session.description }), _jsx("dt", { children: t('sandbox.amount') }), _jsx("dd", { class: "balance-amount", children: formatMoney(session.amount_cents, lang) })] }), open ? (_jsxs("div", { class: "sandbox-actions", children: [button('pay', t('sandbox.pay'), 'button'), button('fail', t('sandbox.fail'), 'button secondary'), button('cancel', t('sandbox.cancel'), 'link-button dark'), _jsx("p", { class: "hint", children: t('sandbox.abandon') })] })) : (_jsxs(_Fragment, { children: [_jsx("p", { children: t('sandbox.closed') }), _jsx("p", { children: _jsx("a", { href: session.cancel_url, children: t('sandbox.back') }) })] }))] }) })] })] }))}`;
}
//# sourceMappingURL=payments.views.js.map