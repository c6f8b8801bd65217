import { Fragment as _Fragment, jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { renderToString } from 'preact-render-to-string';
import { legalMention, logoUrl, themeUrl } from '../features/settings/settings.rules.js';
import { csrfBindingOfPage, fullSessionCustomer } from '../features/auth/sessions.js';
import { translator } from './i18n.js';
import { navItems, staffNavItems } from './nav.js';
import { STAFF_PREFIX, isStaffUrl, staffOf } from '../areas/staff-area.js';
export function pageContext(req, reply) {
    const lang = req.lang;
    return {
        lang,
        t: translator(lang),
        csrf: reply.generateCsrf({ userInfo: csrfBindingOfPage(req) }),
        path: req.url.split('?')[0] ?? '/',
        url: req.url,
        customer: isStaffUrl(req.url) ? null : fullSessionCustomer(req.session),
        viewedBy: isStaffUrl(req.url) ? null : (req.session?.viewedBy ?? null),
        staff: staffOf(req),
        operator: req.server.operator,
    };
}
/** Hidden CSRF field for every state-changing form. */
export const CsrfField = ({ ctx }) => _jsx("input", { type: "hidden", name: "_csrf", value: ctx.csrf });
/** The operator's name in the header, after its logo when it has one (the name says it: the image is decorative). */
function BrandOperator({ ctx }) {
    const logo = logoUrl(ctx.operator);
    return (_jsxs("span", { class: "brand-operator", children: [logo && _jsx("img", { class: "brand-logo", src: logo, alt: "" }), ctx.operator.name] }));
}
function Header({ ctx }) {
    const { t, customer } = ctx;
    const other = ctx.lang === 'fr' ? 'en' : 'fr';
    const tools = (_jsxs("div", { class: "tools", children: [_jsxs("form", { method: "post", action: "/langue", class: "inline", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("input", { type: "hidden", name: "lang", value: other }), _jsx("input", { type: "hidden", name: "next", value: ctx.url }), _jsx("button", { type: "submit", class: "link-button", lang: other, "aria-label": t('lang.switch.label'), children: t('lang.switch') })] }), customer && !ctx.viewedBy && (_jsx(PostButton, { ctx: ctx, action: "/deconnexion", class: "link-button", children: t('header.logout') }))] }));
    // Logged in: the navigation beside the brand, behind a "Menu" disclosure on a phone (no
    // script: <details>; on a wide screen the stylesheet keeps it open and hides the button),
    // then the welcome line with the language switch and logout, always in view.
    return (_jsxs("header", { class: "site-header", children: [ctx.viewedBy && customer && _jsx(StaffViewBanner, { ctx: ctx, viewer: ctx.viewedBy, customer: customer }), _jsxs("div", { class: "bar", children: [_jsxs("a", { class: "brand", href: "/", children: [_jsx(BrandOperator, { ctx: ctx }), _jsx("span", { class: "brand-site", children: t('site.title') })] }), customer ? (_jsxs("details", { class: "menu", children: [_jsx("summary", { children: t('nav.menu') }), _jsx("nav", { "aria-label": t('nav.label'), class: "main-nav", children: _jsxs("ul", { children: [navItems
                                            .filter((i) => !i.visible || i.visible(customer))
                                            .map((i) => (_jsx("li", { children: _jsx("a", { href: i.href, "aria-current": ctx.path.startsWith(i.href) ? 'page' : undefined, children: t(i.key) }) }, i.href))), _jsx("li", { children: _jsx("a", { href: "/contact", "aria-current": ctx.path === '/contact' || ctx.path.startsWith('/contact/') ? 'page' : undefined, children: t('nav.contact') }) })] }) })] })) : (tools)] }), customer && (_jsxs("div", { class: "bar secondary", children: [_jsx("p", { class: "welcome", children: t('header.welcome', { name: customer.displayName }) }), tools] }))] }));
}
/** A form that is one button posting to `action` (logout, leaving the customer's view): the headers' one way to write it. */
function PostButton({ ctx, action, class: className, children }) {
    return (_jsxs("form", { method: "post", action: action, class: "inline", children: [_jsx(CsrfField, { ctx: ctx }), _jsx("button", { type: "submit", class: className, children: children })] }));
}
/** On every page of a staff member's read-only view of a customer: what this is, and the way out. */
function StaffViewBanner({ ctx, viewer, customer }) {
    const { t } = ctx;
    return (_jsxs("div", { class: "staff-view-banner", children: [_jsxs("p", { children: [_jsx("strong", { children: t('customerView.banner.title') }), ' ', t('customerView.banner.who', { staff: viewer.staffName, name: customer.displayName, number: customer.number })] }), _jsx(PostButton, { ctx: ctx, action: "/vue-client/fin", class: "button", children: t('customerView.banner.quit') })] }));
}
function Footer({ ctx }) {
    const { t, operator } = ctx;
    const site = new URL(operator.website).host;
    const here = (href) => (ctx.path === href ? 'page' : undefined);
    // The manual's footer, CONTACTS first.
    const links = [
        ['/contact', t('footer.contacts')],
        ['/faq', t('footer.faq')],
        ['/newsletter', t('footer.newsletter')],
        ['/prelevement', t('directDebit.footer')],
        ['/parkings', t('footer.parkings')],
    ];
    const legal = [
        ['/mentions-legales', t('footer.legalNotice')],
        ['/confidentialite', t('footer.privacy')],
        ['/accessibilite', t('footer.accessibility')],
    ];
    return (_jsxs("footer", { class: "site-footer", children: [_jsx("nav", { "aria-label": t('footer.label'), children: _jsxs("ul", { children: [links.map(([href, label]) => (_jsx("li", { children: _jsx("a", { href: href, "aria-current": here(href), children: label }) }, href))), _jsx("li", { children: _jsx("a", { href: operator.website, children: t('footer.back', { site }) }) })] }) }), _jsx("nav", { "aria-label": t('footer.legalLabel'), class: "footer-legal", children: _jsx("ul", { children: legal.map(([href, label]) => (_jsx("li", { children: _jsx("a", { href: href, "aria-current": here(href), children: label }) }, href))) }) }), _jsx("p", { class: "legal", children: t('footer.legal', {
                    operator: operator.name,
                    legal: legalMention(operator, t),
                    siren: operator.siren,
                }) })] }));
}
/** The back office's frame: its name, its navigation by role, who is logged in and log-out. */
function StaffHeader({ ctx }) {
    const { t, staff } = ctx;
    return (_jsxs("header", { class: "site-header", children: [_jsxs("div", { class: "bar", children: [_jsxs("a", { class: "brand", href: STAFF_PREFIX, children: [_jsx(BrandOperator, { ctx: ctx }), _jsx("span", { class: "brand-site", children: t('staff.site.title') })] }), staff && (_jsxs("details", { class: "menu", children: [_jsx("summary", { children: t('nav.menu') }), _jsx("nav", { "aria-label": t('staff.nav.label'), class: "main-nav", children: _jsx("ul", { children: staffNavItems
                                        .filter((i) => !i.role || i.role === staff.role)
                                        .map((i) => (_jsx("li", { children: _jsx("a", { href: i.href, "aria-current": ctx.path === i.href || ctx.path.startsWith(`${i.href}/`) ? 'page' : undefined, children: t(i.key) }) }, i.href))) }) })] }))] }), staff && (_jsxs("div", { class: "bar secondary", children: [_jsx("p", { class: "welcome", children: t('staff.header.who', { name: staff.displayName, role: t(staff.role === 'admin' ? 'staff.role.admin' : 'staff.role.agent') }) }), _jsx("div", { class: "tools", children: _jsx(PostButton, { ctx: ctx, action: `${STAFF_PREFIX}/deconnexion`, class: "link-button", children: t('header.logout') }) })] }))] }));
}
function StaffFooter({ ctx }) {
    return (_jsx("footer", { class: "site-footer", children: _jsx("p", { class: "legal", children: ctx.t('staff.footer', { operator: ctx.operator.name }) }) }));
}
export const renderMain = (body) => ({ html: renderToString(_jsx(_Fragment, { children: body })) });
const isRendered = (body) => !Array.isArray(body) && typeof body.html === 'string';
export function Layout({ ctx, title, children }) {
    const inStaffArea = isStaffUrl(ctx.path);
    return (_jsxs("html", { lang: ctx.lang, children: [_jsxs("head", { children: [_jsx("meta", { charset: "utf-8" }), _jsx("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }), _jsx("title", { children: `${title} — ${ctx.t(inStaffArea ? 'staff.site.title' : 'site.title')} — ${ctx.operator.name}` }), _jsx("link", { rel: "stylesheet", href: "/static/portal.css" }), themeUrl(ctx.operator) && _jsx("link", { rel: "stylesheet", href: themeUrl(ctx.operator) })] }), _jsxs("body", { children: [_jsx("a", { class: "skip-link", href: "#main", children: ctx.t('site.skip') }), inStaffArea ? _jsx(StaffHeader, { ctx: ctx }) : _jsx(Header, { ctx: ctx }), isRendered(children) ? (_jsx("main", { id: "main", tabindex: -1, dangerouslySetInnerHTML: { __html: children.html } })) : (_jsx("main", { id: "main", tabindex: -1, children: children })), inStaffArea ? _jsx(StaffFooter, { ctx: ctx }) : _jsx(Footer, { ctx: ctx })] })] }));
}
/** Renders a full page. The one way pages are sent. */
export function sendPage(reply, ctx, title, body, status = 200) {
    const html = `<!doctype html>${renderToString(_jsx(Layout, { ctx: ctx, title: title, children: body }))}`;
    return reply.status(status).type('text/html; charset=utf-8').send(html);
}
/**
 * What a form or an action just did, said at the top of what it concerns — a status the
 * screen reader announces — or, with `alert`, what went wrong. The one way pages say either
 * in a line (a block of several paragraphs is a `div` of the same class and role).
 */
export function StatusMessage({ children, alert = false, id }) {
    return alert ? (_jsx("p", { class: "form-error", role: "alert", id: id, children: children })) : (_jsx("p", { class: "notice", role: "status", id: id, children: children }));
}
/** A page made of a heading and a message: errors and notices; its way home is the back office's there. */
export function MessagePage({ ctx, titleKey, messageKey }) {
    return (_jsxs("section", { class: "panel", children: [_jsx("h1", { children: ctx.t(titleKey) }), _jsx("p", { children: ctx.t(messageKey) }), _jsx("p", { children: _jsx("a", { href: isStaffUrl(ctx.path) ? STAFF_PREFIX : '/', children: ctx.t('error.home') }) })] }));
}
//# sourceMappingURL=page.js.map