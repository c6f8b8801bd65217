import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
/** A schema's type in a few words: `string (date)`, `integer`, `"fr" | "en"`, `array of object`, `… | null`. */
export function typeOf(s) {
    if (!s)
        return 'any';
    const variants = s.anyOf ?? s.oneOf;
    if (variants)
        return variants.map(typeOf).join(' | ');
    if (s.enum)
        return s.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (s.const !== undefined)
        return JSON.stringify(s.const);
    const types = [s.type ?? 'any'].flat();
    return types
        .map((t) => {
        if (t === 'array')
            return `array of ${typeOf(s.items)}`;
        const bounds = [];
        if (s.format)
            bounds.push(s.format);
        if (s.maxLength !== undefined)
            bounds.push(`≤ ${s.maxLength} chars`);
        if (t !== 'string' && s.minimum !== undefined)
            bounds.push(`≥ ${s.minimum}`);
        if (t !== 'string' && s.maximum !== undefined)
            bounds.push(`≤ ${s.maximum}`);
        return bounds.length ? `${t} (${bounds.join(', ')})` : t;
    })
        .join(' | ');
}
/** The fields of a body, nested ones by their dotted path (`address.postal_code`, `lines[].label`). */
export function fieldsOf(schema, prefix = '') {
    if (!schema?.properties)
        return [];
    const out = [];
    for (const [name, s] of Object.entries(schema.properties)) {
        const path = prefix ? `${prefix}.${name}` : name;
        const object = [s, ...(s.anyOf ?? [])].find((v) => v.properties);
        const arrayOfObjects = s.type === 'array' && s.items?.properties ? s.items : undefined;
        out.push({ name: path, type: typeOf(s), required: (schema.required ?? []).includes(name), description: s.description ?? object?.description ?? '' });
        if (object)
            out.push(...fieldsOf(object, path));
        if (arrayOfObjects)
            out.push(...fieldsOf(arrayOfObjects, `${path}[]`));
    }
    return out;
}
/** A path with its parameters marked (`/customers/{number}` → the name in `<var>`). */
function PathText({ path }) {
    const parts = path.split(/(\{[^}]+\})/);
    return (_jsx(_Fragment, { children: parts.map((p) => p.startsWith('{') ? (_jsxs(_Fragment, { children: ['{', _jsx("var", { children: p.slice(1, -1) }), '}'] })) : (p)) }));
}
/** A caption naming the operation, its path marked as in the headings. */
function Caption({ ctx, which, method, path }) {
    const [before = '', after = ''] = ctx.t(which, { operation: '\u0000' }).split('\u0000');
    return (_jsxs("caption", { children: [before, _jsxs("code", { children: [method.toUpperCase(), " ", _jsx(PathText, { path: path })] }), after] }));
}
const anchorOf = (method, path) => `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
/** The parameters or the body fields of an operation: name, (where), type, required, description. */
function FieldsTable({ ctx, which, method, path, rows }) {
    const { t } = ctx;
    const withIn = rows.some((r) => r.in !== undefined);
    return (_jsxs("table", { class: "stack", children: [_jsx(Caption, { ctx: ctx, which: which, method: method, path: path }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('api.docs.col.name') }), withIn && _jsx("th", { scope: "col", children: t('api.docs.col.in') }), _jsx("th", { scope: "col", children: t('api.docs.col.type') }), _jsx("th", { scope: "col", children: t('api.docs.col.required') }), _jsx("th", { scope: "col", children: t('api.docs.col.description') })] }) }), _jsx("tbody", { children: rows.map((r) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('api.docs.col.name'), children: _jsx("code", { children: r.name }) }), withIn && _jsx("td", { "data-label": t('api.docs.col.in'), children: r.in }), _jsx("td", { "data-label": t('api.docs.col.type'), children: _jsx("code", { children: r.type }) }), _jsx("td", { "data-label": t('api.docs.col.required'), children: t(r.required ? 'api.docs.yes' : 'api.docs.no') }), _jsx("td", { "data-label": t('api.docs.col.description'), lang: "en", children: r.description })] }, `${r.in ?? ''}:${r.name}`))) })] }));
}
function OperationSection({ ctx, method, path, op }) {
    const { t } = ctx;
    const id = anchorOf(method, path);
    const params = op.parameters ?? [];
    const body = op.requestBody?.content?.['application/json']?.schema;
    const fields = fieldsOf(body);
    const inName = (where) => (where === 'path' ? t('api.docs.in.path') : where === 'query' ? t('api.docs.in.query') : where);
    return (_jsxs("section", { class: "panel", "aria-labelledby": id, children: [_jsx("h2", { id: id, children: _jsxs("code", { children: [method.toUpperCase(), " ", _jsx(PathText, { path: path })] }) }), op.summary && _jsx("p", { lang: "en", children: op.summary }), op.description && _jsx("p", { lang: "en", children: op.description }), _jsxs("p", { children: [t('api.docs.scope'), " ", _jsx("code", { children: op['x-scope'] ?? t('api.docs.noScope') })] }), params.length > 0 && (_jsx(FieldsTable, { ctx: ctx, which: "api.docs.caption.parameters", method: method, path: path, rows: params.map((p) => ({ name: p.name, in: inName(p.in), type: typeOf(p.schema), required: p.required === true, description: p.description ?? p.schema?.description ?? '' })) })), fields.length > 0 && _jsx(FieldsTable, { ctx: ctx, which: "api.docs.caption.body", method: method, path: path, rows: fields }), _jsxs("table", { class: "stack", children: [_jsx(Caption, { ctx: ctx, which: "api.docs.caption.responses", method: method, path: path }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('api.docs.col.status') }), _jsx("th", { scope: "col", children: t('api.docs.col.description') })] }) }), _jsx("tbody", { children: Object.entries(op.responses ?? {}).map(([status, r]) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", "data-label": t('api.docs.col.status'), children: status }), _jsx("td", { "data-label": t('api.docs.col.description'), lang: "en", children: r.description ?? '' })] }, status))) })] })] }));
}
/** Every operation of the document, in its order, with a table of contents. */
export function ApiDocsPage({ ctx, document }) {
    const { t } = ctx;
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })));
    return (_jsxs("div", { class: "api-docs", children: [_jsx("h1", { children: t('api.docs.title') }), _jsx("p", { children: t('api.docs.intro') }), _jsxs("p", { children: [_jsx("a", { href: "/api/openapi.json", children: t('api.docs.document') }), " (OpenAPI 3.1, ", document.info.title, " ", document.info.version, ")"] }), _jsx("p", { children: t('api.docs.auth') }), document.info.description && _jsx("p", { lang: "en", children: document.info.description }), _jsxs("nav", { "aria-labelledby": "api-contents", children: [_jsx("h2", { id: "api-contents", children: t('api.docs.contents') }), _jsx("ul", { children: operations.map(({ method, path, op }) => (_jsxs("li", { children: [_jsx("a", { href: `#${anchorOf(method, path)}`, children: _jsxs("code", { children: [method.toUpperCase(), " ", _jsx(PathText, { path: path })] }) }), op.summary && _jsxs("span", { lang: "en", children: [" \u2014 ", op.summary] })] }, `${method} ${path}`))) })] }), operations.map(({ method, path, op }) => (_jsx(OperationSection, { ctx: ctx, method: method, path: path, op: op }, `${method} ${path}`)))] }));
}
//# sourceMappingURL=api-docs.views.js.map