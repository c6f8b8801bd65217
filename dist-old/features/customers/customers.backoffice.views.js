import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { Fragment } from 'preact';
import { STAFF_PREFIX } from '../../areas/staff-area.js';
import { formatDate, formatDateTime } from '../../lib/i18n.js';
import { formatMoney } from '../../lib/money.js';
import { Paging } from '../account/account.views.js';
import { inboxHref } from '../contact/contact.backoffice.views.js';
import { ageInDays } from '../contact/contact.rules.js';
import { listHref as mandateListHref } from '../direct-debit/direct-debit.backoffice.views.js';
import { PAPER_PATH } from '../documents/documents.backoffice.views.js';
import { LETTERS_PATH } from '../letters/letters.views.js';
import { PaymentsTable } from '../payments/payments.views.js';
import { emailsHref } from '../mail/mail.backoffice.views.js';
import { StatementsTable, formatMonth } from '../statements/statements.views.js';
import { CustomerActions } from './customers.actions.views.js';
import { SEARCH_PAGE_SIZE } from './customers.backoffice.queries.js';
import { displayName } from './customers.service.js';
/* The back office's home, its customer search and one customer's page (French: `ctx.t` is the staff's). */
export const CUSTOMERS_PATH = `${STAFF_PREFIX}/clients`;
export const customerHref = (number) => `${CUSTOMERS_PATH}/${encodeURIComponent(number)}`;
export const customerDocumentsHref = (number, page = 1) => `${customerHref(number)}/documents${page > 1 ? `?page=${page}` : ''}`;
export const staffPdfHref = (customerNumber, documentNumber) => `${customerHref(customerNumber)}/documents/${encodeURIComponent(documentNumber)}.pdf`;
/** A contact request in the back office's inbox. */
export const requestHref = (reference) => `${STAFF_PREFIX}/demandes/${encodeURIComponent(reference)}`;
export const searchHref = (query, page = 1) => `${CUSTOMERS_PATH}?${new URLSearchParams({ q: query, ...(page > 1 ? { page: String(page) } : {}) })}`;
/** The search box: a GET form, so it works without script and its results have an address. */
export function SearchForm({ ctx, query }) {
    const { t } = ctx;
    return (_jsxs("form", { method: "get", action: CUSTOMERS_PATH, role: "search", class: "panel", children: [_jsxs("div", { class: "field", children: [_jsx("label", { for: "q", children: t('customers.search.label') }), _jsx("p", { class: "hint", id: "q-hint", children: t('customers.search.hint') }), _jsx("input", { type: "search", id: "q", name: "q", value: query, "aria-describedby": "q-hint", autocomplete: "off", spellcheck: false, maxlength: 200 })] }), _jsx("button", { type: "submit", class: "button", children: t('customers.search.submit') })] }));
}
/** One line of the home page: what waits, linking to the list of it; `detail` beside it. */
function QueueLine({ href, text, detail }) {
    return (_jsxs("li", { children: [_jsx("a", { href: href, children: text }), detail && _jsxs(_Fragment, { children: [" \u2014 ", detail] })] }));
}
/** `/gestion`: the agent's start page — the search, then what waits in each queue, each a link to its list. */
export function HomeView({ ctx, queues, now }) {
    const { t } = ctx;
    const waiting = { state: 'waiting' };
    const oldest = queues.requestsWaiting.oldest;
    const oldestDays = oldest === null ? null : ageInDays(oldest, now);
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('customers.home.heading') }), _jsx(SearchForm, { ctx: ctx, query: "" }), _jsxs("section", { class: "panel", "aria-labelledby": "files", children: [_jsx("h2", { id: "files", children: t('customers.home.queues') }), _jsxs("ul", { children: [_jsx(QueueLine, { href: inboxHref(waiting, 1), text: t('customers.home.requestsWaiting', { count: queues.requestsWaiting.count }), detail: oldestDays === null ? undefined : oldestDays === 0 ? t('customers.home.oldestToday') : t('customers.home.oldestDays', { n: oldestDays }) }), _jsx(QueueLine, { href: inboxHref({ ...waiting, assignee: 'nobody' }, 1), text: t('customers.home.requestsUnassigned', { count: queues.requestsUnassigned }) }), _jsx(QueueLine, { href: inboxHref({ ...waiting, assignee: 'me' }, 1), text: t('customers.home.requestsMine', { count: queues.requestsMine }) }), _jsx(QueueLine, { href: mandateListHref('to_validate'), text: t('customers.home.mandates', { count: queues.mandatesToValidate }) }), _jsx(QueueLine, { href: PAPER_PATH, text: t('customers.home.paper', { documents: queues.paper.documents, customers: queues.paper.customers }) }), _jsx(QueueLine, { href: emailsHref({ state: 'failing', recipient: '', template: null }), text: t('customers.home.mailsFailing', { count: queues.mailsFailing }) }), _jsx(QueueLine, { href: emailsHref({ state: 'dead', recipient: '', template: null }), text: t('customers.home.mailsDead', { count: queues.mailsDead }) }), _jsx(QueueLine, { href: LETTERS_PATH, text: t('customers.home.neverActivated', { count: queues.neverActivated }) })] })] }), _jsxs("section", { class: "panel", "aria-labelledby": "en-bref", children: [_jsx("h2", { id: "en-bref", children: t('customers.home.figures') }), _jsx("ul", { children: _jsx(QueueLine, { href: CUSTOMERS_PATH, text: t('customers.home.customers', { count: queues.customers }) }) })] })] }));
}
export function SearchView({ ctx, query, outcome }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('customers.search.title') }), _jsx(SearchForm, { ctx: ctx, query: query }), outcome.kind === 'tooShort' && (_jsx("p", { class: "form-error", role: "status", children: t('customers.search.tooShort') })), outcome.kind === 'results' && outcome.total === 0 && _jsx("p", { role: "status", children: t('customers.search.none', { query: query.trim() }) }), outcome.kind === 'results' && outcome.total > 0 && (_jsxs("div", { class: "panel", children: [_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('customers.search.caption', { query: query.trim(), total: outcome.total }) }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('customers.col.number') }), _jsx("th", { scope: "col", children: t('customers.col.name') }), _jsx("th", { scope: "col", children: t('customers.col.city') }), _jsx("th", { scope: "col", children: t('customers.col.login') }), _jsx("th", { scope: "col", children: t('customers.col.matched') })] }) }), _jsx("tbody", { children: outcome.rows.map((r) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('customers.col.number'), children: _jsx("a", { href: customerHref(r.number), children: r.number }) }), _jsx("td", { "data-label": t('customers.col.name'), children: displayName(r) }), _jsxs("td", { "data-label": t('customers.col.city'), children: [r.postal_code, " ", r.city] }), _jsx("td", { "data-label": t('customers.col.login'), children: t(`customers.loginState.${r.login_state ?? 'none'}`) }), _jsx("td", { "data-label": t('customers.col.matched'), children: _jsxs("span", { children: [r.matchedOn.map((f) => t(`customers.match.${f}`)).join(', '), r.exact && ` (${t('customers.search.exact')})`] }) })] }, r.id))) })] }), _jsx(Paging, { ctx: ctx, page: outcome.page, total: outcome.total, size: SEARCH_PAGE_SIZE, summary: "customers.search.page", href: (n) => searchHref(query, n) })] }))] }));
}
// ---------------------------------------------------------------- one customer
const SECTIONS = [
    ['identite', 'customers.section.identity'],
    ['connexion', 'customers.section.login'],
    ['papier', 'customers.section.paperless'],
    ['contrats', 'customers.section.contracts'],
    ['compte', 'customers.section.account'],
    ['paiements', 'customers.section.payments'],
    ['mandats', 'customers.section.mandates'],
    ['decomptes', 'customers.section.statements'],
    ['demandes', 'customers.section.requests'],
    ['emails', 'customers.section.mails'],
    ['actions', 'customers.section.actions'],
];
const headingOf = (id) => SECTIONS.find(([s]) => s === id)[1];
function Section({ ctx, id, children }) {
    return (_jsxs("section", { class: "panel", "aria-labelledby": id, children: [_jsx("h2", { id: id, tabindex: -1, children: ctx.t(headingOf(id)) }), children] }));
}
function Fact({ label, children }) {
    return (_jsxs(_Fragment, { children: [_jsx("dt", { children: label }), _jsx("dd", { children: children })] }));
}
function EmailFact({ ctx, address, verifiedAt }) {
    const { t, lang } = ctx;
    if (!address)
        return _jsx(_Fragment, { children: t('profile.none') });
    return (_jsxs(_Fragment, { children: [address, " (", verifiedAt ? t('customers.email.verified', { date: formatDate(verifiedAt, lang) }) : t('customers.email.unverified'), ")"] }));
}
function Identity({ ctx, c }) {
    const { t, lang } = ctx;
    return (_jsxs("dl", { class: "facts", children: [_jsx(Fact, { label: t('profile.number'), children: c.number }), _jsx(Fact, { label: t('customers.field.kind'), children: t(`customers.kind.${c.kind}`) }), _jsx(Fact, { label: t('profile.name'), children: [c.civility, c.last_name, c.first_name].filter(Boolean).join(' ') }), c.company_name && _jsx(Fact, { label: t('profile.company'), children: c.company_name }), c.siren && _jsx(Fact, { label: t('customers.field.siren'), children: c.siren }), _jsx(Fact, { label: t('profile.address'), children: [c.address_line1, c.address_line2, `${c.postal_code} ${c.city}`, c.country].filter(Boolean).map((line) => (_jsx("span", { class: "line", children: line }, line))) }), _jsx(Fact, { label: t('profile.phone'), children: c.phone ?? t('profile.none') }), _jsx(Fact, { label: t('profile.mobile'), children: c.mobile_phone ?? t('profile.none') }), _jsx(Fact, { label: t('profile.emailPrimary'), children: _jsx(EmailFact, { ctx: ctx, address: c.email_primary, verifiedAt: c.email_primary_verified_at }) }), _jsx(Fact, { label: t('profile.emailSecondary'), children: _jsx(EmailFact, { ctx: ctx, address: c.email_secondary, verifiedAt: c.email_secondary_verified_at }) }), _jsx(Fact, { label: t('profile.language'), children: t(`lang.name.${c.language}`) }), _jsx(Fact, { label: t('customers.field.since'), children: formatDate(c.created_at, lang) })] }));
}
/** Where the customer's login stands, in a sentence. */
function loginSentence(ctx, s) {
    const { t, lang } = ctx;
    switch (s.state) {
        case 'none':
            return t('customers.login.none');
        case 'not_activated':
            if (!s.issuedAt || !s.expiresAt)
                return t('customers.login.notActivated');
            return t(s.expired ? 'customers.login.temporaryExpired' : 'customers.login.temporary', {
                issued: formatDateTime(s.issuedAt, lang),
                expires: formatDateTime(s.expiresAt, lang),
            });
        case 'active':
            return s.activatedAt ? t('customers.login.active', { date: formatDate(s.activatedAt, lang) }) : t('customers.login.activeUndated');
        case 'locked':
            return t('customers.login.locked');
    }
}
const HOW_KEYS = {
    password: 'customers.how.password',
    temporary_password: 'customers.how.temporary_password',
    wrong_password: 'customers.how.wrong_password',
    temporary_password_expired: 'customers.how.temporary_password_expired',
    account_locked: 'customers.how.account_locked',
};
function Login({ ctx, file }) {
    const { t, lang } = ctx;
    const s = file.login;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: loginSentence(ctx, s) }), s.heldUntil ? (_jsx("p", { class: "notice warning", children: t('customers.login.held', { until: formatDateTime(s.heldUntil, lang), failures: s.failures }) })) : (s.failures > 0 && _jsx("p", { children: t('customers.login.failures', { failures: s.failures }) })), _jsx("dl", { class: "facts", children: _jsx(Fact, { label: t('customers.login.last'), children: s.lastLoginAt ? formatDateTime(s.lastLoginAt, lang) : t('customers.login.never') }) }), file.logins.length === 0 ? (_jsx("p", { children: t('customers.logins.none') })) : (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('customers.logins.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('customers.col.at') }), _jsx("th", { scope: "col", children: t('customers.col.result') }), _jsx("th", { scope: "col", children: t('customers.col.how') }), _jsx("th", { scope: "col", children: t('customers.col.ip') })] }) }), _jsx("tbody", { children: file.logins.map((l, i) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('customers.col.at'), children: formatDateTime(l.at, lang) }), _jsx("td", { "data-label": t('customers.col.result'), children: t(`customers.outcome.${l.outcome}`) }), _jsx("td", { "data-label": t('customers.col.how'), children: l.how ? (HOW_KEYS[l.how] ? t(HOW_KEYS[l.how]) : l.how) : '—' }), _jsx("td", { "data-label": t('customers.col.ip'), class: "bo-long", children: l.ip ?? '—' })] }, `${l.at}-${i}`))) })] }))] }));
}
const SOURCE_KEYS = { first_login: 'customers.source.first_login', profile: 'customers.source.profile' };
function Paperless({ ctx, file }) {
    const { t, lang } = ctx;
    const c = file.customer;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: c.paperless === 1
                    ? c.paperless_changed_at
                        ? t('customers.paperless.yes', { date: formatDate(c.paperless_changed_at, lang) })
                        : t('customers.paperless.yesUndated')
                    : t('customers.paperless.no') }), file.consents.length === 0 ? (_jsx("p", { children: t('customers.paperless.none') })) : (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('customers.paperless.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('customers.col.at') }), _jsx("th", { scope: "col", children: t('customers.col.choice') }), _jsx("th", { scope: "col", children: t('customers.col.source') })] }) }), _jsx("tbody", { children: file.consents.map((p) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('customers.col.at'), children: formatDateTime(p.at, lang) }), _jsx("td", { "data-label": t('customers.col.choice'), children: t(p.given === 1 ? 'customers.paperless.given' : 'customers.paperless.withdrawn') }), _jsx("td", { "data-label": t('customers.col.source'), children: SOURCE_KEYS[p.source] ? t(SOURCE_KEYS[p.source]) : p.source })] }, p.id))) })] }))] }));
}
function Contracts({ ctx, file }) {
    const { t, lang } = ctx;
    if (file.contracts.length === 0)
        return _jsx("p", { children: t('customers.contracts.none') });
    return (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('customers.contracts.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('account.col.contract') }), _jsx("th", { scope: "col", children: t('customers.col.product') }), _jsx("th", { scope: "col", children: t('customers.col.carPark') }), _jsx("th", { scope: "col", children: t('customers.col.start') }), _jsx("th", { scope: "col", children: t('customers.col.end') }), _jsx("th", { scope: "col", children: t('customers.col.status') }), _jsx("th", { scope: "col", children: t('customers.col.plates') })] }) }), _jsx("tbody", { children: file.contracts.map((k) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('account.col.contract'), children: k.number }), _jsx("td", { "data-label": t('customers.col.product'), children: t(`product.${k.product}`) }), _jsx("td", { "data-label": t('customers.col.carPark'), children: k.car_park_name }), _jsx("td", { "data-label": t('customers.col.start'), children: formatDate(k.start_date, lang) }), _jsx("td", { "data-label": t('customers.col.end'), children: k.end_date ? formatDate(k.end_date, lang) : '—' }), _jsx("td", { "data-label": t('customers.col.status'), children: t(`status.${k.status}`) }), _jsx("td", { "data-label": t('customers.col.plates'), children: _jsx("span", { children: k.vehicles.length === 0
                                    ? '—'
                                    : k.vehicles.map((v, i) => (_jsxs(Fragment, { children: [i > 0 && ', ', _jsx("span", { class: "plate", children: v.plate })] }, v.plate))) }) })] }, k.id))) })] }));
}
/** A document's number: a link to its PDF (the staff's download) when it has one. */
function StaffDocumentNumber({ ctx, customerNumber, doc }) {
    if (!doc.pdf_sha256)
        return _jsx(_Fragment, { children: doc.number });
    return (_jsx("a", { href: staffPdfHref(customerNumber, doc.number), "aria-label": ctx.t('customers.documents.pdf', { number: doc.number }), children: doc.number }));
}
/** Documents, newest first: number (the PDF), type, date, contract, amount and what remains. */
export function DocumentsTable({ ctx, customerNumber, rows, caption }) {
    const { t, lang } = ctx;
    return (_jsxs(_Fragment, { children: [_jsxs("table", { class: "stack", children: [_jsx("caption", { children: caption }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('account.col.number') }), _jsx("th", { scope: "col", children: t('account.col.type') }), _jsx("th", { scope: "col", children: t('account.col.date') }), _jsx("th", { scope: "col", children: t('account.col.contract') }), _jsx("th", { scope: "col", class: "num", children: t('account.col.amount') }), _jsx("th", { scope: "col", class: "num", children: t('account.col.remaining') })] }) }), _jsx("tbody", { children: rows.map((d) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('account.col.number'), children: _jsx(StaffDocumentNumber, { ctx: ctx, customerNumber: customerNumber, doc: d }) }), _jsx("td", { "data-label": t('account.col.type'), children: t(`account.kind.${d.kind}`) }), _jsx("td", { "data-label": t('account.col.date'), children: formatDate(d.issue_date, lang) }), _jsx("td", { "data-label": t('account.col.contract'), children: d.contract_number ?? '—' }), _jsx("td", { "data-label": t('account.col.amount'), class: "num", children: formatMoney(d.total_ttc_cents, lang) }), _jsx("td", { "data-label": t('account.col.remaining'), class: "num", children: formatMoney(d.remaining, lang) })] }, d.id))) })] }), rows.some((d) => !d.pdf_sha256) && _jsx("p", { class: "hint", children: t('customers.documents.noPdf') })] }));
}
function Account({ ctx, file }) {
    const { t, lang } = ctx;
    const { balance, documents, customer } = file;
    return (_jsxs(_Fragment, { children: [_jsx("p", { class: "balance-amount", children: balance > 0
                    ? t('customers.balance.due', { amount: formatMoney(balance, lang) })
                    : balance < 0
                        ? t('customers.balance.credit', { amount: formatMoney(-balance, lang) })
                        : t('customers.balance.settled') }), documents.total === 0 ? (_jsx("p", { children: t('customers.documents.none') })) : (_jsxs(_Fragment, { children: [_jsx(DocumentsTable, { ctx: ctx, customerNumber: customer.number, rows: documents.rows, caption: t('customers.documents.caption', { shown: documents.rows.length, total: documents.total }) }), _jsx("p", { children: _jsx("a", { href: customerDocumentsHref(customer.number), children: t('customers.documents.all', { count: documents.total }) }) })] }))] }));
}
function Payments({ ctx, file }) {
    const { t } = ctx;
    const { payments, customer } = file;
    if (payments.total === 0)
        return _jsx("p", { children: t('history.none') });
    return (_jsx(PaymentsTable, { ctx: ctx, payments: payments.rows, caption: t('customers.payments.caption', { shown: payments.rows.length, total: payments.total }), docNumber: (d) => _jsx(StaffDocumentNumber, { ctx: ctx, customerNumber: customer.number, doc: d }) }));
}
function Mandates({ ctx, file }) {
    const { t, lang } = ctx;
    if (file.mandates.length === 0)
        return _jsx("p", { children: t('customers.mandates.none') });
    return (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('customers.mandates.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('customers.col.rum') }), _jsx("th", { scope: "col", children: t('customers.col.status') }), _jsx("th", { scope: "col", children: t('customers.col.iban') }), _jsx("th", { scope: "col", children: t('customers.col.signed') })] }) }), _jsx("tbody", { children: file.mandates.map((m) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('customers.col.rum'), class: "bo-long", children: m.rum }), _jsx("td", { "data-label": t('customers.col.status'), children: t(`customers.mandate.${m.status}`) }), _jsx("td", { "data-label": t('customers.col.iban'), children: m.maskedIban }), _jsx("td", { "data-label": t('customers.col.signed'), children: m.signed_at ? formatDate(m.signed_at, lang) : '—' })] }, m.id))) })] }));
}
function Statements({ ctx, file }) {
    const { t, lang } = ctx;
    if (file.statements.length === 0)
        return _jsx("p", { children: t('customers.statements.none') });
    return (_jsx(_Fragment, { children: file.statements.map(({ contract, rows, months }) => rows.length === 0 ? (_jsx("p", { children: t('customers.statements.empty', { number: contract.number, carPark: contract.car_park_name }) }, contract.id)) : (_jsx(StatementsTable, { ctx: ctx, rows: rows, caption: t('customers.statements.caption', { number: contract.number, carPark: contract.car_park_name, shown: rows.length, count: months }), month: (row) => formatMonth(row.month, lang), docNumber: (doc) => _jsx(StaffDocumentNumber, { ctx: ctx, customerNumber: file.customer.number, doc: doc }) }, contract.id))) }));
}
function Requests({ ctx, file }) {
    const { t, lang } = ctx;
    if (file.requests.length === 0)
        return _jsx("p", { children: t('customers.requests.none') });
    return (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('customers.requests.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('customers.col.reference') }), _jsx("th", { scope: "col", children: t('customers.col.at') }), _jsx("th", { scope: "col", children: t('customers.col.category') }), _jsx("th", { scope: "col", children: t('customers.col.status') })] }) }), _jsx("tbody", { children: file.requests.map((r) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('customers.col.reference'), children: _jsx("a", { href: requestHref(r.reference), children: r.reference }) }), _jsx("td", { "data-label": t('customers.col.at'), children: formatDate(r.created_at, lang) }), _jsx("td", { "data-label": t('customers.col.category'), children: t(`contact.category.${r.category}`) }), _jsx("td", { "data-label": t('customers.col.status'), children: t(`contact.staffStatus.${r.status}`) })] }, r.id))) })] }));
}
function Mails({ ctx, file }) {
    const { t, lang } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("p", { class: "hint", children: t('customers.mails.note') }), file.mails.length === 0 ? (_jsx("p", { children: t('customers.mails.none') })) : (_jsxs("table", { class: "stack", children: [_jsx("caption", { children: t('customers.mails.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('customers.col.at') }), _jsx("th", { scope: "col", children: t('customers.col.subject') }), _jsx("th", { scope: "col", children: t('customers.col.template') }), _jsx("th", { scope: "col", children: t('customers.col.recipient') }), _jsx("th", { scope: "col", children: t('customers.col.status') })] }) }), _jsx("tbody", { children: file.mails.map((m) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('customers.col.at'), children: formatDateTime(m.created_at, lang) }), _jsx("td", { "data-label": t('customers.col.subject'), class: "bo-long", children: m.subject }), _jsx("td", { "data-label": t('customers.col.template'), children: m.template }), _jsx("td", { "data-label": t('customers.col.recipient'), class: "bo-long", children: m.recipient }), _jsxs("td", { "data-label": t('customers.col.status'), children: [t(`customers.mail.${m.status}`), m.sent_at && ` (${formatDateTime(m.sent_at, lang)})`] })] }, m.id))) })] }))] }));
}
/** `/gestion/clients/:number`: the customer at a glance, one section per subject, with a table of contents. */
export function CustomerView({ ctx, file }) {
    const { t } = ctx;
    const c = file.customer;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx("a", { href: CUSTOMERS_PATH, children: t('customers.page.back') }) }), _jsxs("h1", { children: [displayName(c), " \u2014 ", c.number] }), _jsxs("nav", { class: "toc", "aria-labelledby": "sommaire", children: [_jsx("h2", { id: "sommaire", children: t('customers.page.toc') }), _jsx("ul", { children: SECTIONS.map(([id, key]) => (_jsx("li", { children: _jsx("a", { href: `#${id}`, children: t(key) }) }, id))) })] }), _jsx(Section, { ctx: ctx, id: "identite", children: _jsx(Identity, { ctx: ctx, c: c }) }), _jsx(Section, { ctx: ctx, id: "connexion", children: _jsx(Login, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "papier", children: _jsx(Paperless, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "contrats", children: _jsx(Contracts, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "compte", children: _jsx(Account, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "paiements", children: _jsx(Payments, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "mandats", children: _jsx(Mandates, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "decomptes", children: _jsx(Statements, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "demandes", children: _jsx(Requests, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "emails", children: _jsx(Mails, { ctx: ctx, file: file }) }), _jsx(Section, { ctx: ctx, id: "actions", children: _jsx(CustomerActions, { ctx: ctx, customer: { id: c.id, number: c.number } }) })] }));
}
/** `/gestion/clients/:number/documents`: every document, a page at a time. */
export function CustomerDocumentsView({ ctx, customer, rows, total, page, size, }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx("a", { href: customerHref(customer.number), children: t('customers.page.title', { number: customer.number }) }) }), _jsx("h1", { children: t('customers.documents.heading', { name: displayName(customer), number: customer.number }) }), _jsxs("div", { class: "panel", children: [total === 0 ? (_jsx("p", { children: t('customers.documents.none') })) : (rows.length > 0 && _jsx(DocumentsTable, { ctx: ctx, customerNumber: customer.number, rows: rows, caption: t('customers.documents.listCaption') })), _jsx(Paging, { ctx: ctx, page: page, total: total, size: size, summary: "customers.documents.page", href: (n) => customerDocumentsHref(customer.number, n) })] })] }));
}
//# sourceMappingURL=customers.backoffice.views.js.map