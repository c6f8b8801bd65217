import { jsx as _jsx } from "preact/jsx-runtime";
import { pageContext, sendPage } from '../../lib/page.js';
import { defaultContentDir, pageRenderer, readPageSources } from './pages.content.js';
import { ContentPageView } from './pages.views.js';
/**
 * The content pages: one `GET /<slug>` per `content/<lang>/<slug>.md` (/faq, /accessibilite,
 * /mentions-legales, /confidentialite…), in the request's language. Read and checked once at
 * start, rendered again when the operator's settings they show change; an unknown slug is
 * simply not a route (the app's 404 page).
 */
const pagesRoutes = async (app, opts) => {
    const pages = pageRenderer(await readPageSources(opts.contentDir ?? defaultContentDir), app.config);
    for (const slug of pages(app.operator).keys()) {
        app.get(`/${slug}`, async (req, reply) => {
            const page = pages(app.operator).get(slug)[req.lang];
            const ctx = pageContext(req, reply);
            return sendPage(reply, ctx, page.title, _jsx(ContentPageView, { ctx: ctx, page: page }));
        });
    }
};
export default pagesRoutes;
//# sourceMappingURL=pages.routes.js.map