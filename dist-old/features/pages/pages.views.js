import { jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { formatDate } from '../../lib/i18n.js';
function TocList({ entries }) {
    return (_jsx("ul", { children: entries.map((e) => (_jsxs("li", { children: [_jsx("a", { href: `#${e.id}`, children: e.text }), e.children.length > 0 && _jsx(TocList, { entries: e.children })] }, e.id))) }));
}
/** A content page: its h1, an optional table of contents, then the Markdown's HTML. */
export function ContentPageView({ ctx, page }) {
    return (_jsxs("article", { class: "prose", "aria-labelledby": page.headingId, children: [_jsx("h1", { id: page.headingId, children: page.heading }), page.updated && _jsx("p", { class: "muted", children: ctx.t('pages.updated', { date: formatDate(page.updated, ctx.lang) }) }), page.toc && page.toc.length > 0 && (_jsxs("nav", { class: "toc", "aria-labelledby": "toc-title", children: [_jsx("h2", { id: "toc-title", children: ctx.t('pages.toc') }), _jsx(TocList, { entries: page.toc })] })), _jsx("div", { class: "prose-body", dangerouslySetInnerHTML: { __html: page.bodyHtml } })] }));
}
//# sourceMappingURL=pages.views.js.map