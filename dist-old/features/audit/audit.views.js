import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { formatDateTime } from '../../lib/i18n.js';
import { detailLines } from './audit.rules.js';
import { StatusMessage } from '../../lib/page.js';
export const AUDIT_PATH = '/gestion/journal';
/** The log's address with these filters, from this cursor on. */
export function auditHref(f, avant) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(f))
        if (v)
            params.set(k, v);
    if (avant)
        params.set('avant', avant);
    const query = params.toString();
    return query ? `${AUDIT_PATH}?${query}` : AUDIT_PATH;
}
function Filters({ ctx, values, staff }) {
    const { t } = ctx;
    const text = (name, label, type = 'text', hint) => (_jsxs("div", { class: "field", children: [_jsx("label", { for: `f-${name}`, children: t(label) }), hint && (_jsx("p", { class: "hint", id: `f-${name}-hint`, children: t(hint) })), _jsx("input", { id: `f-${name}`, name: name, type: type, value: values[name], "aria-describedby": hint ? `f-${name}-hint` : undefined })] }));
    return (_jsxs("form", { method: "get", action: AUDIT_PATH, class: "filters", "aria-label": t('audit.filters'), children: [_jsxs("div", { class: "field", children: [_jsx("label", { for: "f-membre", children: t('audit.filter.staff') }), _jsxs("select", { id: "f-membre", name: "membre", children: [_jsx("option", { value: "", children: t('audit.filter.staff.all') }), staff.map((m) => (_jsx("option", { value: m.id, selected: values.membre === m.id, children: `${m.display_name} (${m.email})` }, m.id)))] })] }), text('client', 'audit.filter.customer'), text('action', 'audit.filter.action', 'text', 'audit.filter.action.hint'), text('du', 'audit.filter.from', 'date'), text('au', 'audit.filter.to', 'date'), _jsxs("div", { class: "filter-actions", children: [_jsx("button", { type: "submit", class: "button", children: t('audit.filter.submit') }), ' ', _jsx("a", { href: AUDIT_PATH, children: t('audit.filter.reset') })] })] }));
}
function Who({ ctx, row }) {
    const { t } = ctx;
    switch (row.actor_type) {
        case 'staff':
            return _jsx(_Fragment, { children: row.staff_name ? t('audit.actor.staff', { name: row.staff_name }) : t('audit.actor.unknownStaff', { id: row.actor_id ?? '—' }) });
        case 'customer':
            return _jsx(_Fragment, { children: row.actor_customer_number ? t('audit.actor.customer', { number: row.actor_customer_number }) : t('audit.actor.unknownCustomer', { id: row.actor_id ?? '—' }) });
        default:
            return _jsx(_Fragment, { children: t(`audit.actor.${row.actor_type}`) });
    }
}
function Target({ ctx, row }) {
    const { t } = ctx;
    if (row.target_customer_number) {
        const n = row.target_customer_number;
        return (_jsx("a", { href: `/gestion/clients/${encodeURIComponent(n)}`, "aria-label": t('audit.target.customerLabel', { number: n }), children: n }));
    }
    if (!row.target_type)
        return _jsx(_Fragment, { children: t('audit.target.none') });
    return _jsx(_Fragment, { children: `${row.target_type} ${row.target_id ?? ''}`.trim() });
}
/** The audit log: its filters, a table of entries, newest first, and the way to older ones. */
export function AuditView({ ctx, values, staff, rows, next, paged, unknownCustomer }) {
    const { t } = ctx;
    return (_jsxs(_Fragment, { children: [_jsx("h1", { children: t('audit.title') }), _jsx("p", { children: t('audit.intro') }), _jsx(Filters, { ctx: ctx, values: values, staff: staff }), unknownCustomer && (_jsx(StatusMessage, { alert: true, children: t('audit.unknownCustomer', { number: unknownCustomer }) })), rows.length === 0 ? (_jsx("p", { children: t('audit.none') })) : (_jsxs("table", { class: "stack audit-log", children: [_jsx("caption", { children: t('audit.caption') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('audit.col.at') }), _jsx("th", { scope: "col", children: t('audit.col.who') }), _jsx("th", { scope: "col", children: t('audit.col.action') }), _jsx("th", { scope: "col", children: t('audit.col.outcome') }), _jsx("th", { scope: "col", children: t('audit.col.target') }), _jsx("th", { scope: "col", children: t('audit.col.ip') }), _jsx("th", { scope: "col", children: t('audit.col.details') })] }) }), _jsx("tbody", { children: rows.map((r) => {
                            const details = detailLines(r.details);
                            return (_jsxs("tr", { children: [_jsx("td", { "data-label": t('audit.col.at'), children: _jsx("time", { dateTime: r.at, children: formatDateTime(r.at, ctx.lang) }) }), _jsx("td", { "data-label": t('audit.col.who'), children: _jsx(Who, { ctx: ctx, row: r }) }), _jsx("td", { "data-label": t('audit.col.action'), children: _jsx("code", { children: r.action }) }), _jsx("td", { "data-label": t('audit.col.outcome'), children: t(`audit.outcome.${r.outcome}`) }), _jsx("td", { "data-label": t('audit.col.target'), children: _jsx(Target, { ctx: ctx, row: r }) }), _jsx("td", { "data-label": t('audit.col.ip'), children: r.ip ?? '—' }), _jsx("td", { "data-label": t('audit.col.details'), children: details.length > 0 && (_jsx("ul", { class: "audit-details", children: details.map((d, i) => (_jsx("li", { children: d.key ? t('format.labelValue', { label: d.key, value: d.value }) : d.value }, i))) })) })] }, r.id));
                        }) })] })), (next || paged) && (_jsx("nav", { "aria-label": t('audit.paging'), class: "paging", children: _jsxs("ul", { children: [paged && (_jsx("li", { children: _jsx("a", { href: auditHref(values), children: t('audit.newest') }) })), next && (_jsx("li", { children: _jsx("a", { href: auditHref(values, next), rel: "next", children: t('audit.older') }) }))] }) }))] }));
}
//# sourceMappingURL=audit.views.js.map